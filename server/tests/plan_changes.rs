//! Plan changes: a new order for the same project and product follows the one it replaces, however the sync meets the pair.

use crate::support::orders::{LIVE, approve, count};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::Role;
use server::db::orders;
use server::jobs::sync::run_once;

on_both_databases!(plan_changes_follow_the_previous_order, a_first_sync_links_the_plan_changes_it_meets,);

async fn plan_changes_follow_the_previous_order(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let client = vendor_client(&sim);
    let old = place_order(&sim, LIVE.0, LIVE.1, Some("it@acme.example"));
    run_once(&client, &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    let set = app
        .call(
            &operator,
            "/api/set_contact_email",
            &[("subscription_id", &old), ("email", "ops@acme.example")],
        )
        .await;
    assert_eq!(set.status(), 200);
    // The admin marks "Provision the customer's instance" as carried over; the operator ticks it
    // and "Confirm the order" on the old order.
    let step_id = |title: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "SELECT id FROM checklist_steps WHERE product_id = $1 AND title = $2",
            )
            .bind(LIVE.0)
            .bind(title)
            .fetch_one(db.pool())
            .await
            .unwrap()
        }
    };
    let admin = app.signed_in(Role::Admin).await;
    let provision = step_id("Provision the customer's instance").await;
    let form = [("product_id", LIVE.0), ("step_id", provision.as_str()), ("on", "true")];
    assert_eq!(app.call(&admin, "/api/set_carry_over", &form).await.status(), 200);
    assert_eq!(app.call(&operator, "/api/set_carry_over", &form).await.status(), 403, "admins only");
    for position in [0, 1] {
        let order_step = format!("{old}-{position}");
        let form = [("subscription_id", old.as_str()), ("step_id", order_step.as_str()), ("done", "true")];
        assert_eq!(app.call(&operator, "/api/set_step", &form).await.status(), 200);
    }
    assert_eq!(approve(&app, &operator, &old).await, 200);

    // The customer changes plans: STACKIT cancels the old subscription and creates a new one for
    // the same project and product.
    let project = orders::get(app.db.pool(), &old).await.unwrap().unwrap().project_id;
    let new = {
        let mut state = sim.state();
        state.cancel(&old).unwrap();
        let now = state.now_ms() + 1_000;
        state
            .create(&project, LIVE.0, "dv-business-9c0d1e2f", Some("it@acme.example"), now)
            .unwrap()
            .subscription_id
            .clone()
    };
    run_once(&client, &app.db).await.unwrap();
    let stored = orders::get(app.db.pool(), &new).await.unwrap().unwrap();
    assert_eq!(
        stored.contact_email.as_deref(),
        Some("ops@acme.example"),
        "the operator's address carries over"
    );
    assert_eq!(stored.contact_email_source.as_deref(), Some("operator"));
    let linked: (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT replaces_subscription_id, replaces_plan FROM orders WHERE subscription_id = $1",
    )
    .bind(&new)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(linked.0.as_deref(), Some(old.as_str()));
    let old_plan = orders::get(app.db.pool(), &old).await.unwrap().unwrap().pricing_plan;
    assert_eq!(linked.1.as_deref(), Some(old_plan.as_str()));

    // The carried-over step is done on the new order as it was on the old; the other is not.
    let done: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT title, done_at_ms FROM order_steps WHERE subscription_id = $1 ORDER BY position",
    )
    .bind(&new)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(done[0].1.is_none(), "{done:?}");
    assert_eq!(done[1].0, "Provision the customer's instance");
    assert!(done[1].1.is_some(), "{done:?}");

    // The inbox says "plan change from X to Y"; both order pages link to each other.
    let inbox = operator.get(app.url("/orders")).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains(&format!("plan change from {old_plan} to")), "the inbox names the plan change");
    let page: serde_json::Value =
        app.call(&operator, "/api/get_order", &[("subscription_id", &new)]).await.json().await.unwrap();
    assert_eq!(page["replaces"][0], old.as_str());
    let page: serde_json::Value =
        app.call(&operator, "/api/get_order", &[("subscription_id", &old)]).await.json().await.unwrap();
    assert_eq!(page["replaced_by"][0], new.as_str());
    assert!(page.to_string().contains("Replaced by order"), "the old timeline says so");

    // A later sync changes nothing, and a third order of another project is no plan change.
    let other = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&client, &app.db).await.unwrap();
    let replaces: Option<String> =
        sqlx::query_scalar("SELECT replaces_subscription_id FROM orders WHERE subscription_id = $1")
            .bind(&other)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(replaces, None);
}

async fn a_first_sync_links_the_plan_changes_it_meets(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let client = vendor_client(&sim);
    // Before Orderdesk ever synced: an order, approved, cancelled, and its successor on another plan.
    let old = place_order(&sim, LIVE.0, LIVE.1, None);
    client.approve(&old, None).await.unwrap();
    let new = {
        let mut state = sim.state();
        state.cancel(&old).unwrap();
        let project = state.get(&old).unwrap().wire.project_id.clone();
        let now = state.now_ms() + 1_000;
        state.create(&project, LIVE.0, "dv-business-9c0d1e2f", None, now).unwrap().subscription_id.clone()
    };
    let unrelated = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&client, &app.db).await.unwrap();
    let replaces = |id: String| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "SELECT replaces_subscription_id FROM orders WHERE subscription_id = $1",
            )
            .bind(id)
            .fetch_one(db.pool())
            .await
            .unwrap()
        }
    };
    assert_eq!(replaces(new.clone()).await.as_deref(), Some(old.as_str()));
    assert_eq!(replaces(old.clone()).await, None);
    assert_eq!(replaces(unrelated).await, None);
    // Syncing again links nothing twice.
    run_once(&client, &app.db).await.unwrap();
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events WHERE kind = 'plan.changed_from'").await, 1);
}
