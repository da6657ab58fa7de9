//! Open pages keep themselves current: what changed after a page's cursor (a colleague's tick, a
//! new order from STACKIT) and who else has an order open, over HTTP as the pages ask.

use app::model::{InboxPage, Live, OrderDetail, Role};

use crate::support::{Backend, TestApp, place_order, vendor_client};
use server::jobs::sync::run_once;

async fn live(app: &TestApp, client: &reqwest::Client, form: &[(&str, &str)]) -> Live {
    let response = client
        .post(app.url("/api/live"))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn open_pages_hear_of_colleagues_changes_and_new_orders(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let (ada, bob) = (app.signed_in(Role::Operator).await, app.signed_in(Role::Operator).await);

    // Ada's inbox and order page, as drawn.
    let inbox: InboxPage = ada
        .post(app.url("/api/list_orders"))
        .header("accept", "application/json")
        .form(&[("query[sort]", "deadline")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let detail: OrderDetail =
        app.call(&ada, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    let (inbox_cursor, order_cursor) = (inbox.cursor.to_string(), detail.cursor.to_string());
    assert!(inbox.cursor > 0, "the order's arrival is a change already seen");
    let quiet = live(&app, &ada, &[("cursor", &inbox_cursor)]).await;
    assert_eq!((quiet.changes, quiet.new_orders, quiet.changed.len()), (0, 0, 0));
    let alone = live(&app, &ada, &[("cursor", &order_cursor), ("order", &id)]).await;
    assert_eq!((alone.changes, alone.others.len()), (0, 0), "nobody else has it open yet");

    // Bob opens the same order and ticks a step.
    let with_ada = live(&app, &bob, &[("cursor", &order_cursor), ("order", &id)]).await;
    assert_eq!(with_ada.others, ["Test Operator"], "Bob sees that Ada has it open");
    let step = &detail.steps[0].id;
    let tick = [("subscription_id", id.as_str()), ("step_id", step.as_str()), ("done", "true")];
    assert_eq!(app.call(&bob, "/api/set_step", &tick).await.status(), 200);
    // Without JavaScript Bob lands back at the step, told what happened, with a way back.
    let landed =
        bob.post(app.url("/api/set_step")).header("accept", "text/html").form(&tick).send().await.unwrap();
    let location = landed.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/orders/{id}?done=ticked&step={step}#step-{step}"));
    let landed = bob.get(app.url(&location)).send().await.unwrap();
    let page = landed.text().await.unwrap();
    assert!(page.contains("Done: “Confirm the order with the customer”."), "{page}");
    assert!(page.contains("Take back the tick on “Confirm the order with the customer”"));
    assert!(page.contains(&format!("id=\"step-{step}\"")), "the fragment's target");
    let ticked = live(&app, &ada, &[("cursor", &order_cursor), ("order", &id)]).await;
    assert_eq!(ticked.changes, 1, "Ada's order page hears of Bob's tick");
    let everywhere = live(&app, &ada, &[("cursor", &inbox_cursor)]).await;
    assert_eq!((everywhere.changes, everywhere.new_orders), (1, 0));
    assert_eq!(everywhere.changed, std::slice::from_ref(&id), "the inbox knows which row to redraw");

    // A new order from STACKIT.
    let second = place_order(&sim, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let arrived = live(&app, &ada, &[("cursor", &inbox_cursor)]).await;
    assert_eq!(arrived.new_orders, 1, "one new order to offer");
    assert!(arrived.changed.contains(&second));
    let untouched = live(&app, &ada, &[("cursor", &order_cursor), ("order", &id)]).await;
    assert_eq!(untouched.changes, 1, "another order's arrival is not this order's change");

    // Viewers may ask; strangers may not; odd values do no harm.
    let viewer = app.signed_in(Role::Viewer).await;
    assert_eq!(
        live(&app, &viewer, &[("cursor", "-5")]).await.new_orders,
        2,
        "a cursor below 0 counts from 0"
    );
    let long = "x".repeat(5_000);
    assert_eq!(live(&app, &viewer, &[("cursor", "0"), ("order", &long)]).await.others.len(), 0);
    live(&app, &viewer, &[("cursor", "0"), ("order", "made-up")]).await;
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_viewers WHERE subscription_id <> $1")
        .bind(&id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0, "only orders there are have viewers");
    let anonymous = crate::support::cookie_client();
    let refused = anonymous.post(app.url("/api/live")).form(&[("cursor", "0")]).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let malformed = viewer.post(app.url("/api/live")).form(&[("cursor", "soon")]).send().await.unwrap();
    assert_eq!(malformed.status(), 400);

    // A flood of asks: each answered, the note that the viewer has the order open written once
    // (not once per ask). A cursor from before the last 10,000 changes reads only those.
    const SPAN: &str = "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10100)
                        INSERT INTO events (subscription_id, kind, actor, detail, created_at_ms)
                        SELECT $1, 'note.added', 'flood', '{}', 0 FROM n";
    sqlx::query(SPAN).bind(&id).execute(app.db.pool()).await.unwrap();
    let me: Option<app::model::Operator> = app.call(&viewer, "/api/me", &[]).await.json().await.unwrap();
    let viewer_id = me.unwrap().id;
    let seen_at = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT seen_at_ms FROM order_viewers WHERE subscription_id = $1 AND operator_id = $2",
        )
        .bind(&id)
        .bind(&viewer_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
    };
    let flood = [("cursor", "0"), ("order", id.as_str())];
    let asks = (0..200).map(|_| live(&app, &viewer, &flood));
    let answers = futures::future::join_all(asks).await;
    assert!(answers.iter().all(|a| a.changes > 10_100), "an order's changes are all counted");
    let first = seen_at().await;
    let inbox = live(&app, &viewer, &[("cursor", "0")]).await;
    assert_eq!(
        (inbox.changes, inbox.new_orders),
        (10_000, 0),
        "the orders' arrivals are older than the last 10,000"
    );
    assert_eq!(inbox.changed, std::slice::from_ref(&id));
    live(&app, &viewer, &flood).await;
    assert_eq!(seen_at().await, first, "asked again within seconds: nothing written");
}

on_both_databases!(open_pages_hear_of_colleagues_changes_and_new_orders);
