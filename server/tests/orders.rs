//! The operator console's work on orders, over HTTP against the real application and the
//! simulator: the role matrix, approve exactly once, reject rules, the inbox and the order page.

use crate::support::orders::{LIVE, PREVIEW};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::Role;
use server::jobs::sync::run_once;

/// A server function, the least role it needs, and its form arguments.
type Call<'a> = (&'a str, Role, Vec<(&'a str, &'a str)>);

async fn every_server_function_checks_the_role_on_the_server(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let client = vendor_client(&sim);
    let orders: Vec<String> =
        (0..8).map(|_| place_order(&sim, PREVIEW.0, PREVIEW.1, Some("it@c.example"))).collect();
    run_once(&client, &app.db).await.unwrap();
    let step: String =
        sqlx::query_scalar("SELECT id FROM order_steps WHERE subscription_id = $1 ORDER BY position")
            .bind(&orders[0])
            .fetch_one(app.db.pool())
            .await
            .unwrap();

    let template_step: String =
        sqlx::query_scalar("SELECT id FROM checklist_steps WHERE product_id = $1 ORDER BY position")
            .bind(PREVIEW.0)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at_ms, last_error, created_at_ms, updated_at_ms)
         VALUES ('dead-job', 'mail', '{\"to\":\"a@c.example\",\"subject\":\"s\",\"body\":\"b\"}', 'dead', 8, 8, $1, 'smtp down', $1, $1)",
    )
    .bind(server::db::now_ms())
    .execute(app.db.pool())
    .await
    .unwrap();

    let mut sessions = vec![("anonymous", None, crate::support::cookie_client())];
    for role in [Role::Viewer, Role::Operator, Role::Admin] {
        sessions.push((role.as_str(), Some(role), app.signed_in(role).await));
    }
    let mut unauthorized_successes = 0;
    let mut checked = 0;
    for (index, (name, role, http)) in sessions.iter().enumerate() {
        let order = orders[index * 2].as_str();
        let other = orders[index * 2 + 1].as_str();
        let invitee = format!("invitee{index}@vendor.example");
        let calls: Vec<Call> = vec![
            ("/api/order_counts", Role::Viewer, vec![]),
            ("/api/list_orders", Role::Viewer, vec![("query[sort]", "deadline")]),
            ("/api/get_order", Role::Viewer, vec![("subscription_id", order)]),
            (
                "/api/set_contact_email",
                Role::Operator,
                vec![("subscription_id", order), ("email", "ops@c.example")],
            ),
            (
                "/api/set_step",
                Role::Operator,
                vec![("subscription_id", orders[0].as_str()), ("step_id", step.as_str()), ("done", "true")],
            ),
            (
                "/api/add_note",
                Role::Operator,
                vec![("subscription_id", order), ("body", "called the customer")],
            ),
            ("/api/assign_order", Role::Operator, vec![("subscription_id", order), ("assignee", "")]),
            ("/api/approve_order", Role::Operator, vec![("subscription_id", order)]),
            ("/api/reject_order", Role::Operator, vec![("subscription_id", other), ("reason", "not for us")]),
            ("/api/dashboard", Role::Viewer, vec![]),
            ("/api/sync_now", Role::Operator, vec![]),
            ("/api/audit_log", Role::Admin, vec![("filter[action]", "order.approved")]),
            ("/api/list_operators", Role::Admin, vec![]),
            ("/api/outbox", Role::Admin, vec![]),
            ("/api/retry_job", Role::Admin, vec![("job_id", "dead-job")]),
            (
                "/api/set_carry_over",
                Role::Admin,
                vec![("product_id", PREVIEW.0), ("step_id", template_step.as_str()), ("on", "true")],
            ),
            (
                "/api/invite_operator",
                Role::Admin,
                vec![("email", invitee.as_str()), ("name", "Invitee"), ("role", "viewer")],
            ),
        ];
        for (path, needed, form) in calls {
            let status = app.call(http, path, &form).await.status().as_u16();
            let allowed = role.is_some_and(|r| r >= needed);
            checked += 1;
            if allowed {
                assert!(status == 200, "{name} {path}: {status}");
            } else {
                assert!(matches!(status, 401 | 403), "{name} {path}: {status}");
                if status < 300 {
                    unauthorized_successes += 1;
                }
                if role.is_none() {
                    assert_eq!(status, 401, "{path}");
                } else {
                    assert_eq!(status, 403, "{name} {path}");
                }
            }
        }
    }
    assert_eq!(checked, 17 * 4, "17 server functions, 4 kinds of caller");
    assert_eq!(unauthorized_successes, 0);
    let approved = sim.state().subscriptions.iter().filter(|s| s.approve_calls > 0).count();
    assert_eq!(approved, 2, "only the operator's and the admin's approvals reached STACKIT");
}

async fn the_inbox_filters_searches_and_pages(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    for n in 0..110 {
        let email = format!("team{n}@customer{n}.example");
        place_order(
            &sim,
            if n % 2 == 0 { LIVE.0 } else { PREVIEW.0 },
            if n % 2 == 0 { LIVE.1 } else { PREVIEW.1 },
            Some(&email),
        );
    }
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let viewer = app.signed_in(Role::Viewer).await;
    let list = |form: Vec<(&'static str, String)>| {
        let viewer = viewer.clone();
        let url = app.url("/api/list_orders");
        async move {
            let response =
                viewer.post(url).header("accept", "application/json").form(&form).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<app::model::InboxPage>().await.unwrap()
        }
    };
    let mut seen = std::collections::HashSet::new();
    let mut after = String::new();
    let mut pages = 0;
    loop {
        let page = list(vec![("query[sort]", "deadline".into()), ("query[after]", after.clone())]).await;
        pages += 1;
        for row in &page.rows {
            assert!(seen.insert(row.subscription_id.clone()), "no order twice");
        }
        match page.next {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (3, 110));
    // Filtered by a state, pages follow the deadline alone (one state has one queue rank).
    let (mut pending, mut after, mut deadlines) =
        (std::collections::HashSet::new(), String::new(), Vec::new());
    loop {
        let form = vec![("query[state]", "SUBSCRIPTION_PENDING".into()), ("query[after]", after.clone())];
        let page = list(form).await;
        for row in &page.rows {
            assert!(pending.insert(row.subscription_id.clone()), "no order twice");
            deadlines.push(row.deadline_ms);
        }
        match page.next {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(pending.len(), 110);
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "in deadline order");

    let found = list(vec![("query[q]", "TEAM7@customer7".into())]).await;
    assert_eq!(found.rows.len(), 1);
    assert_eq!(found.rows[0].contact_email.as_deref(), Some("team7@customer7.example"));
    let id = found.rows[0].subscription_id.clone();
    let by_id = list(vec![("query[q]", id[9..18].to_string())]).await;
    assert_eq!(by_id.rows.iter().map(|r| r.subscription_id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    // The searched fields are one text with a line between them: a term never spans two.
    for spanning in [format!("example\n{}", &id[..4]), format!("example{}", &id[..4])] {
        assert_eq!(list(vec![("query[q]", spanning)]).await.rows.len(), 0);
    }
    let preview =
        list(vec![("query[product]", PREVIEW.0.into()), ("query[state]", "SUBSCRIPTION_PENDING".into())])
            .await;
    assert_eq!(preview.rows.len(), 50);
    assert!(preview.rows.iter().all(|r| r.product_name.contains("Insight")));
    assert_eq!(list(vec![("query[overdue]", "true".into())]).await.rows.len(), 0);
    assert_eq!(list(vec![("query[assigned]", "me".into())]).await.rows.len(), 0);
    // Due within three days (where the overview's tile links) and overdue are apart.
    let day = 86_400_000;
    let (soon_id, late_id) = ("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8e");
    let soon = crate::support::ordered_at(
        crate::support::order(soon_id, "SUBSCRIPTION_PENDING"),
        server::db::now_ms() - 28 * day,
    );
    let late = crate::support::ordered_at(
        crate::support::order(late_id, "SUBSCRIPTION_PENDING"),
        server::db::now_ms() - 31 * day,
    );
    for row in [&soon, &late] {
        server::db::orders::upsert(app.db.pool(), row).await.unwrap();
    }
    let ids =
        |page: app::model::InboxPage| page.rows.into_iter().map(|r| r.subscription_id).collect::<Vec<_>>();
    assert_eq!(ids(list(vec![("query[due_soon]", "true".into())]).await), [soon_id]);
    assert_eq!(ids(list(vec![("query[overdue]", "true".into())]).await), [late_id]);
    for row in [soon_id, late_id] {
        sqlx::query("DELETE FROM orders WHERE subscription_id = $1")
            .bind(row)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    // Short terms (below a trigram's three characters) and quotes are matched as typed.
    assert_eq!(list(vec![("query[q]", "m7".into())]).await.rows.len(), 1 + 10);
    assert_eq!(list(vec![("query[q]", "\"team7".into())]).await.rows.len(), 0);
    // Search follows the order (PostgreSQL's trigram index too): a changed contact address is
    // found by the new one only, and a deleted order is not found at all.
    let mut tx = app.db.begin().await.unwrap();
    server::db::work::set_contact_email(&mut tx, &id, "renamed-ops@elsewhere.example", "operator")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(list(vec![("query[q]", "team7@customer7".into())]).await.rows.len(), 0);
    assert_eq!(list(vec![("query[q]", "renamed-ops@else".into())]).await.rows.len(), 1);
    let mut gone = crate::support::order("6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", "SUBSCRIPTION_PENDING");
    gone.contact_email = Some("gone-soon@nowhere.example".into());
    gone.contact_email_source = Some("stackit".into());
    server::db::orders::upsert(app.db.pool(), &gone).await.unwrap();
    assert_eq!(list(vec![("query[q]", "gone-soon".into())]).await.rows.len(), 1);
    sqlx::query("DELETE FROM orders WHERE subscription_id = $1")
        .bind(&gone.subscription_id)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(list(vec![("query[q]", "gone-soon".into())]).await.rows.len(), 0);
    assert_eq!(list(vec![("query[q]", "team9@customer9".into())]).await.rows.len(), 1);
    let wildcard = list(vec![("query[q]", "%".into())]).await;
    assert_eq!(wildcard.rows.len(), 0, "LIKE wildcards are matched literally");
    let bad = viewer
        .post(app.url("/api/list_orders"))
        .header("accept", "application/json")
        .form(&[("query[after]", "garbage!")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let bad_state = viewer
        .post(app.url("/api/list_orders"))
        .header("accept", "application/json")
        .form(&[("query[state]", "DROP TABLE")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad_state.status(), 422);
}

async fn working_an_order_is_recorded_and_notes_are_escaped(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    let detail: app::model::OrderDetail =
        app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    assert_eq!(detail.steps.len(), 4);
    assert_eq!(detail.row.contact_email.as_deref(), Some("it@acme.example"));
    let step = detail.steps[0].id.clone();
    assert_eq!(
        app.call(
            &operator,
            "/api/set_step",
            &[("subscription_id", &id), ("step_id", &step), ("done", "true")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.call(
            &operator,
            "/api/add_note",
            &[("subscription_id", &id), ("body", "<script>alert(1)</script>")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.call(&operator, "/api/set_contact_email", &[("subscription_id", &id), ("email", "not an email")])
            .await
            .status(),
        422
    );
    assert_eq!(
        app.call(
            &operator,
            "/api/set_contact_email",
            &[("subscription_id", &id), ("email", "ops@acme.example")]
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.call(&operator, "/api/add_note", &[("subscription_id", "no-such-order"), ("body", "x")])
            .await
            .status(),
        404
    );

    let detail: app::model::OrderDetail =
        app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    assert!(
        detail.steps[0].done_at_ms.is_some() && detail.steps[0].done_by.as_deref() == Some("Test Operator")
    );
    assert_eq!(detail.row.steps_done, 1);
    assert_eq!(detail.row.contact_source, Some(app::model::EmailSource::Operator));
    assert_eq!(detail.consumer_notification_email.as_deref(), Some("it@acme.example"), "both are kept");
    let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["order.created", "step.done", "note.added", "contact.changed"]);
    assert_eq!(detail.timeline[1].actor, "Test Operator");

    let page = operator.get(app.url(&format!("/orders/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert(1)"),
        "notes are escaped"
    );
    assert!(html.contains("ops@acme.example") && html.contains("1 of 4 done"));
    assert_eq!(operator.get(app.url("/orders/no-such-order")).send().await.unwrap().status(), 404);

    // "Assign to me" from the inbox returns to the view it was taken in, at the order's row;
    // a return address elsewhere is not followed.
    let inbox = operator.get(app.url("/orders?state=SUBSCRIPTION_PENDING")).send().await.unwrap();
    let inbox = inbox.text().await.unwrap();
    assert!(
        inbox.contains("Assign to me")
            && inbox.contains(r#"name="back" value="/orders?state=SUBSCRIPTION_PENDING""#)
    );
    let me: Option<app::model::Operator> = app.call(&operator, "/api/me", &[]).await.json().await.unwrap();
    let me = me.unwrap().id;
    let assign = |back: &'static str| {
        let request = operator.post(app.url("/api/assign_order")).header("accept", "text/html").form(&[
            ("subscription_id", id.as_str()),
            ("assignee", me.as_str()),
            ("back", back),
        ]);
        async move {
            let answer = request.send().await.unwrap();
            answer.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
        }
    };
    let back = assign("/orders?state=SUBSCRIPTION_PENDING").await;
    assert_eq!(back, format!("/orders?state=SUBSCRIPTION_PENDING#order-{id}"));
    for elsewhere in ["//evil.example/orders", "https://evil.example", "/settings"] {
        assert_eq!(assign(elsewhere).await, format!("/orders/{id}?done=assigned#work"), "{elsewhere}");
    }
    let detail: app::model::OrderDetail =
        app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    assert_eq!(detail.row.assignee.as_deref(), Some("Test Operator"));
}

async fn the_dashboard_counts_deadlines_and_times_to_approval(backend: Backend) {
    use server::db::orders::upsert;
    let app = TestApp::spawn(backend).await;
    let now = server::db::now_ms();
    let (hour, day) = (3_600_000_i64, 86_400_000_i64);
    let overdue = crate::support::ordered_at(
        crate::support::order("00000000-0000-4000-8000-000000000001", "SUBSCRIPTION_PENDING"),
        now - 31 * day,
    );
    let soon = crate::support::ordered_at(
        crate::support::order("00000000-0000-4000-8000-000000000002", "SUBSCRIPTION_PENDING"),
        now - 28 * day,
    );
    let calm = crate::support::ordered_at(
        crate::support::order("00000000-0000-4000-8000-000000000003", "SUBSCRIPTION_PENDING"),
        now - day,
    );
    for row in [&overdue, &soon, &calm] {
        upsert(app.db.pool(), row).await.unwrap();
    }
    for (n, hours) in [(4, 10), (5, 20), (6, 30), (7, 40)] {
        let mut active =
            crate::support::order(&format!("00000000-0000-4000-8000-00000000000{n}"), "SUBSCRIPTION_ACTIVE");
        active.ordered_at_ms = now - 5 * day;
        active.valid_from_ms = Some(active.ordered_at_ms + hours * hour);
        upsert(app.db.pool(), &active).await.unwrap();
    }
    let viewer = app.signed_in(Role::Viewer).await;
    let dashboard: app::model::Dashboard =
        app.call(&viewer, "/api/dashboard", &[]).await.json().await.unwrap();
    assert_eq!((dashboard.overdue, dashboard.due_soon), (1, 1));
    let times = dashboard.last_30_days.unwrap();
    assert_eq!((times.orders, times.median_hours, times.p90_hours), (4, 25.0, 40.0));
    assert_eq!(dashboard.weekly.len(), 12);
    assert_eq!(dashboard.weekly.iter().map(|w| w.approved).sum::<u64>(), 4);
    // The figures are kept between visits, but not past a change: one more activation counts.
    let mut fifth = crate::support::order("00000000-0000-4000-8000-000000000008", "SUBSCRIPTION_ACTIVE");
    fifth.ordered_at_ms = now - 5 * day;
    fifth.valid_from_ms = Some(fifth.ordered_at_ms + 50 * hour);
    upsert(app.db.pool(), &fifth).await.unwrap();
    let dashboard: app::model::Dashboard =
        app.call(&viewer, "/api/dashboard", &[]).await.json().await.unwrap();
    let times = dashboard.last_30_days.unwrap();
    assert_eq!((times.orders, times.median_hours, times.p90_hours), (5, 30.0, 50.0));
    sqlx::query("DELETE FROM orders WHERE subscription_id = $1")
        .bind(&fifth.subscription_id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let html = viewer.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("median 25.0 hours, 90% within 40.0 hours (4 orders)"), "{html}");
    assert!(
        html.contains("<svg") && html.contains("Orders approved per week over the last 12 weeks: 4 in all")
    );
}

async fn sync_now_and_the_audit_log(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    let operator = app.signed_in(Role::Operator).await;
    let synced: (u64, u64, u64) = app.call(&operator, "/api/sync_now", &[]).await.json().await.unwrap();
    assert_eq!(synced.0 + synced.1 + synced.2, 1);
    assert!(server::db::orders::get(app.db.pool(), &id).await.unwrap().is_some());
    app.call(&operator, "/api/approve_order", &[("subscription_id", &id)]).await;

    let admin = app.signed_in(Role::Admin).await;
    let approvals: Vec<app::model::AuditEntry> = app
        .call(&admin, "/api/audit_log", &[("filter[action]", "order.approved")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approvals.len(), 1);
    assert_eq!(
        (approvals[0].actor.as_str(), approvals[0].subscription_id.as_deref()),
        ("Test Operator", Some(id.as_str()))
    );
    let operator_id = approvals[0].actor_id.clone().unwrap();
    let by_operator: Vec<app::model::AuditEntry> =
        app.call(&admin, "/api/audit_log", &[("filter[operator]", &operator_id)]).await.json().await.unwrap();
    assert!(by_operator.iter().all(|e| e.actor == "Test Operator") && !by_operator.is_empty());
    let html = admin.get(app.url("/audit?action=order.approved")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Approved at STACKIT"));
    assert_eq!(operator.get(app.url("/audit")).send().await.unwrap().status(), 403);
}

on_both_databases!(
    the_dashboard_counts_deadlines_and_times_to_approval,
    sync_now_and_the_audit_log,
    every_server_function_checks_the_role_on_the_server,
    the_inbox_filters_searches_and_pages,
    working_an_order_is_recorded_and_notes_are_escaped,
);
