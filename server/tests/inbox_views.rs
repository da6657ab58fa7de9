//! The inbox's quick views and total over HTTP, and its CSV export: the counts equal a recount of
//! the orders, the export holds every order of the view in the view's order (past one batch of
//! the database), and bad requests get a clear 4xx.

use std::collections::BTreeSet;

use app::model::{InboxPage, Role, Total};

use crate::support::{Backend, TestApp, vendor_client};
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

/// More orders than the total counts exactly when filtered, and than the export reads at once.
const ORDERS: usize = 1_200;

async fn list(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> InboxPage {
    let response = client
        .post(app.url("/api/list_orders"))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn count(app: &TestApp, sql: &str, binds: &[i64]) -> u64 {
    let mut query = sqlx::query_scalar::<_, i64>(sql);
    for value in binds {
        query = query.bind(*value);
    }
    u64::try_from(query.fetch_one(app.db.pool()).await.unwrap()).unwrap()
}

/// The export of `query` as (status, body).
async fn export(app: &TestApp, client: &reqwest::Client, query: &str) -> (u16, String) {
    let response = client.get(app.url(&format!("/orders.csv{query}"))).send().await.unwrap();
    let status = response.status().as_u16();
    if status == 200 {
        let headers = response.headers();
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"orders-"), "{disposition}");
    }
    (status, response.text().await.unwrap())
}

/// The subscription IDs of an export, in its order (the first column; IDs have no commas).
fn ids(csv: &str) -> Vec<String> {
    csv.lines().skip(1).map(|line| line.split(',').next().unwrap().to_string()).collect()
}

async fn quick_views_totals_and_the_export_agree_with_a_recount(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: ORDERS,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    let me: app::model::Operator = operator
        .post(app.url("/api/me"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json::<Option<app::model::Operator>>()
        .await
        .unwrap()
        .unwrap();

    // Two waiting orders taken.
    let pending = list(&app, &operator, &[("query[state]", "SUBSCRIPTION_PENDING")]).await;
    assert!(pending.rows.len() >= 3, "the seed has waiting orders");
    for row in &pending.rows[..2] {
        let form = [("subscription_id", row.subscription_id.as_str()), ("assignee", me.id.as_str())];
        assert_eq!(app.call(&operator, "/api/assign_order", &form).await.status(), 200);
    }

    let page = list(&app, &operator, &[("query[sort]", "deadline")]).await;
    let now = page.now_ms;
    assert_eq!(page.total, Total::Exact(ORDERS as u64), "every order, from the tallies");
    let waiting =
        count(&app, "SELECT COUNT(*) FROM orders WHERE lifecycle_state = 'SUBSCRIPTION_PENDING'", &[]).await;
    assert_eq!(pending.total, Total::Exact(waiting));
    assert_eq!(page.views.mine, 2);
    assert_eq!(page.views.unassigned, waiting - 2);
    let overdue =
        "SELECT COUNT(*) FROM orders WHERE lifecycle_state = 'SUBSCRIPTION_PENDING' AND deadline_ms < $1";
    assert_eq!(page.views.overdue, count(&app, overdue, &[now]).await);
    let due_soon = "SELECT COUNT(*) FROM orders WHERE lifecycle_state = 'SUBSCRIPTION_PENDING' AND deadline_ms >= $1 AND deadline_ms < $2";
    assert_eq!(page.views.due_soon, count(&app, due_soon, &[now, now + app::model::DUE_SOON_MS]).await);
    let mine =
        list(&app, &operator, &[("query[state]", "SUBSCRIPTION_PENDING"), ("query[assigned]", "me")]).await;
    assert_eq!((mine.rows.len(), mine.total), (2, Total::Exact(2)), "the view is what its count says");
    // A filter past the cap says "more than"; a narrower one counts exactly.
    let all = list(&app, &operator, &[("query[q]", "-")]).await;
    assert_eq!(all.total, Total::MoreThan(1_000));
    let product = &page.rows[0].product_name;
    let product_id: String =
        sqlx::query_scalar("SELECT product_id FROM orders WHERE product_name = $1 LIMIT 1")
            .bind(product)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let of_product =
        list(&app, &operator, &[("query[product]", &product_id), ("query[state]", "SUBSCRIPTION_PENDING")])
            .await;
    let recount =
        "SELECT COUNT(*) FROM orders WHERE lifecycle_state = 'SUBSCRIPTION_PENDING' AND product_id = ";
    let expected = count(&app, &format!("{recount}'{product_id}'"), &[]).await;
    assert_eq!(of_product.total, Total::Exact(expected));

    // The export: every order once, in the inbox's order, a viewer's too.
    let viewer = app.signed_in(Role::Viewer).await;
    let (status, csv) = export(&app, &viewer, "").await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("subscription_id,state,product,plan,contact_email,"), "{csv:.200}");
    let exported = ids(&csv);
    assert_eq!(exported.len(), ORDERS);
    assert_eq!(exported.iter().collect::<BTreeSet<_>>().len(), ORDERS, "no order twice");
    let first_page: Vec<String> = page.rows.iter().map(|r| r.subscription_id.clone()).collect();
    assert_eq!(exported[..first_page.len()], first_page[..], "the inbox's order");
    let (_, newest) = export(&app, &viewer, "?sort=newest").await;
    let newest_page = list(&app, &viewer, &[("query[sort]", "newest")]).await;
    assert_eq!(
        ids(&newest)[..50],
        newest_page.rows.iter().map(|r| r.subscription_id.clone()).collect::<Vec<_>>()[..]
    );
    assert_eq!(ids(&newest).len(), ORDERS);
    let (_, mine_csv) =
        export(&app, &operator, "?state=SUBSCRIPTION_PENDING&assigned=me&after=ignored").await;
    assert_eq!(
        ids(&mine_csv),
        pending.rows[..2].iter().map(|r| r.subscription_id.clone()).collect::<Vec<_>>()
    );

    // A contact address a spreadsheet would read as a formula is written as text.
    let target = &pending.rows[2].subscription_id;
    let form = [("subscription_id", target.as_str()), ("email", "=cmd@evil.example")];
    assert_eq!(app.call(&operator, "/api/set_contact_email", &form).await.status(), 200);
    let (_, csv) = export(&app, &operator, &format!("?q={target}")).await;
    assert!(csv.contains(",\"'=cmd@evil.example\","), "{csv}");

    // Attacks: no session, bad filters, a malformed address.
    let anonymous = crate::support::cookie_client();
    assert_eq!(export(&app, &anonymous, "").await.0, 401);
    for bad in ["?sort=evil", "?assigned=everyone", "?state=DROP%20TABLE"] {
        let (status, body) = export(&app, &viewer, bad).await;
        assert_eq!(status, 422, "{bad}: {body}");
    }
    assert_eq!(export(&app, &viewer, "?q=a%00b").await.0, 400, "a NUL character");
    assert_eq!(export(&app, &viewer, "?q=%ZZ").await.0, 200, "a stray % is searched as text");
}

on_both_databases!(quick_views_totals_and_the_export_agree_with_a_recount);
