//! Orders over time, against the real application and the simulator: decisions sent exactly once
//! through the outbox under faults, given up and retried by an admin, plan changes, reminders,
//! two replicas on one database, and `/metrics`.

use std::time::{Duration, Instant};

use crate::support::{Backend, TestApp, TestDatabase, place_order, test_config, vendor_client};
use app::model::Role;
use server::db::orders;
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Fault, FaultKind, SimulatorHandle};

const LIVE: (&str, &str) = ("datavault-1a2b3c4d", "dv-starter-5e6f7a8b");

on_both_databases!(
    decisions_reach_stackit_exactly_once_through_faults,
    an_approval_that_outlasts_the_client_timeout_is_not_sent_twice,
    a_decision_that_keeps_failing_is_given_up_and_an_admin_retries_it,
    a_revived_approval_whose_answer_was_lost_is_not_sent_again,
    plan_changes_follow_the_previous_order,
    operators_are_reminded_of_deadlines_once_per_threshold,
    two_replicas_share_the_work_without_doubling_it,
    metrics_count_requests_orders_and_jobs,
    order_events_reach_the_webhook_signed_and_once,
    every_lifecycle_state_is_followed,
    a_first_sync_links_the_plan_changes_it_meets,
);

/// Waits (at most `limit`) until `check` holds; panics with `what` when it does not.
async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn post_fault(kind: FaultKind, count: u32) -> Fault {
    Fault { method: Some("POST".into()), ..Fault::next(kind, count) }
}

fn get_fault(kind: FaultKind, count: u32) -> Fault {
    Fault { method: Some("GET".into()), ..Fault::next(kind, count) }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

async fn state_of(app: &TestApp, id: &str) -> String {
    orders::get(app.db.pool(), id).await.unwrap().unwrap().lifecycle_state
}

async fn approve(app: &TestApp, operator: &reqwest::Client, id: &str) -> u16 {
    app.call(operator, "/api/approve_order", &[("subscription_id", id)]).await.status().as_u16()
}

async fn decisions_reach_stackit_exactly_once_through_faults(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &["--job-retry-base-ms", "50"]).await;
    let ids: Vec<String> = (0..6).map(|_| place_order(&sim, LIVE.0, LIVE.1, None)).collect();
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;

    // 0: the approval is applied, the connection breaks, and STACKIT cannot be read back either:
    //    the next attempt reads first, finds it active, and does not call approve again.
    sim.inject(post_fault(FaultKind::Drop, 1));
    sim.inject(get_fault(FaultKind::Status { status: 500 }, 6));
    assert_eq!(approve(&app, &operator, &ids[0]).await, 200);
    sim.clear_faults();
    // 1: the answer is not JSON, after the approval took effect.
    sim.inject(post_fault(FaultKind::Malformed, 1));
    assert_eq!(approve(&app, &operator, &ids[1]).await, 200);
    // 2, 3: STACKIT is down or busy: nothing happened there; the job retries.
    sim.inject(post_fault(FaultKind::Status { status: 503 }, 1));
    assert_eq!(approve(&app, &operator, &ids[2]).await, 200);
    sim.inject(post_fault(FaultKind::Status { status: 429 }, 2));
    assert_eq!(approve(&app, &operator, &ids[3]).await, 200);
    // 4: a slow answer, within the client's timeout.
    sim.inject(post_fault(FaultKind::Latency { millis: 300 }, 1));
    assert_eq!(approve(&app, &operator, &ids[4]).await, 200);
    // 5: no fault at all.
    assert_eq!(approve(&app, &operator, &ids[5]).await, 200);
    // A second click on each is refused by the claim, whatever phase its job is in.
    for id in &ids {
        assert_eq!(approve(&app, &operator, id).await, 409);
    }

    eventually(Duration::from_secs(30), "every order is active", || async {
        let mut all = true;
        for id in &ids {
            all &= state_of(&app, id).await == "SUBSCRIPTION_ACTIVE";
        }
        all && count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state <> 'done'")
            .await
            == 0
    })
    .await;
    for id in &ids {
        assert_eq!(sim.state().get(id).unwrap().approve_calls, 1, "one approve call for {id}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events WHERE kind = 'order.approved'").await, 6);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events WHERE kind = 'decision.queued'").await, 6);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders WHERE decision_state IS NOT NULL").await, 0);
    let retried =
        count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND attempts > 1").await;
    assert!(retried >= 2, "the down and busy cases were retried ({retried})");
}

async fn an_approval_that_outlasts_the_client_timeout_is_not_sent_twice(backend: Backend) {
    // STACKIT takes 1.5 s to apply the approval; Orderdesk gives a call 1 s.
    let (app, sim) = TestApp::spawn_with_stackit_and(
        backend,
        &["--job-retry-base-ms", "50", "--stackit-api-timeout-secs", "1"],
    )
    .await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    sim.inject(post_fault(FaultKind::Latency { millis: 1_500 }, 1));
    let asked = Instant::now();
    assert_eq!(approve(&app, &operator, &id).await, 200, "queued: the call timed out");
    assert!(asked.elapsed() >= Duration::from_secs(1));

    // The order page says it is retrying, why, and not before the late call could have landed.
    let order: serde_json::Value =
        app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await.json().await.unwrap();
    let decision = &order["decision"];
    assert_eq!(decision["phase"], "Retrying", "{order}");
    assert!(decision["last_error"].as_str().unwrap().contains("did not answer in time"), "{decision}");
    let wait = decision["next_attempt_ms"].as_i64().unwrap() - order["now_ms"].as_i64().unwrap();
    assert!(wait >= 500, "the retry waits out the client's timeout, not the 50 ms pause ({wait} ms)");

    // The retry reads first, finds the late approval, and does not send another.
    eventually(Duration::from_secs(20), "the order is active and its job done", || async {
        state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE"
            && count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state = 'done'")
                .await
                == 1
    })
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "one approve call");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM events WHERE kind = 'order.approved'").await, 1);
}

async fn a_decision_that_keeps_failing_is_given_up_and_an_admin_retries_it(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &["--job-retry-base-ms", "1"]).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    let down = Fault { fraction: Some(1.0), count: None, ..post_fault(FaultKind::Status { status: 503 }, 0) };
    sim.inject(down);
    assert_eq!(approve(&app, &operator, &id).await, 200, "queued: the operator's intent is kept");

    // While it retries, the order page says so.
    let page = app.call(&operator, "/api/get_order", &[("subscription_id", &id)]).await;
    let order: serde_json::Value = page.json().await.unwrap();
    assert_eq!(order["decision_state"], "approving", "{order}");

    eventually(Duration::from_secs(60), "the job is dead", || async {
        count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state = 'dead'").await == 1
    })
    .await;
    let work = orders::work(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(work.decision_state.as_deref(), Some("failed"));
    let error = work.decision_error.unwrap();
    assert!(error.contains("after 10 attempts") && error.contains("503"), "{error}");
    assert_eq!(state_of(&app, &id).await, "SUBSCRIPTION_PENDING");
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 0, "nothing reached STACKIT");

    // The outbox lists it; only an admin may retry it.
    let job_id = work.decision_job_id.unwrap();
    assert_eq!(app.call(&operator, "/api/retry_job", &[("job_id", &job_id)]).await.status(), 403);
    let admin = app.signed_in(Role::Admin).await;
    let outbox: serde_json::Value = app.call(&admin, "/api/outbox", &[]).await.json().await.unwrap();
    assert!(outbox["failed"].as_array().unwrap().iter().any(|j| j["id"] == job_id && j["state"] == "dead"));
    sim.clear_faults();
    assert_eq!(app.call(&admin, "/api/retry_job", &[("job_id", &job_id)]).await.status(), 200);
    assert_eq!(
        app.call(&admin, "/api/retry_job", &[("job_id", &job_id)]).await.status(),
        409,
        "not dead any more"
    );
    eventually(Duration::from_secs(20), "the retried approval arrives", || async {
        state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE"
    })
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1);
    assert_eq!(orders::work(app.db.pool(), &id).await.unwrap().unwrap().decision_state, None);
}

async fn a_revived_approval_whose_answer_was_lost_is_not_sent_again(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &["--job-retry-base-ms", "1"]).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    // STACKIT applies the approval but the answer is lost, and it cannot be read back at all:
    // every attempt fails until the job is given up.
    sim.inject(post_fault(FaultKind::Drop, 1));
    sim.inject(Fault { fraction: Some(1.0), count: None, ..get_fault(FaultKind::Status { status: 500 }, 0) });
    assert_eq!(approve(&app, &operator, &id).await, 200);
    eventually(Duration::from_secs(60), "the job is dead", || async {
        count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state = 'dead'").await == 1
    })
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1);

    // An admin revives it once STACKIT answers again: the revived job still knows the approval
    // may have been sent, reads first, finds the order active and sends nothing.
    sim.clear_faults();
    let job_id = orders::work(app.db.pool(), &id).await.unwrap().unwrap().decision_job_id.unwrap();
    let admin = app.signed_in(Role::Admin).await;
    assert_eq!(app.call(&admin, "/api/retry_job", &[("job_id", &job_id)]).await.status(), 200);
    eventually(Duration::from_secs(20), "the revived job is done", || async {
        count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state = 'done'").await == 1
    })
    .await;
    assert_eq!(state_of(&app, &id).await, "SUBSCRIPTION_ACTIVE");
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "one approve call at STACKIT");
}

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

async fn operators_are_reminded_of_deadlines_once_per_threshold(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    app.operator(Role::Operator).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let deadline = orders::get(app.db.pool(), &id).await.unwrap().unwrap().deadline_ms;
    let day = 86_400_000;
    let remind = |at: i64| {
        let db = app.db.clone();
        async move { server::jobs::sync::remind(&db, &[3, 1], at).await.unwrap() }
    };
    assert_eq!(remind(deadline - 5 * day).await, 0, "not yet");
    assert_eq!(remind(deadline - 3 * day + 1).await, 1, "three days before");
    assert_eq!(remind(deadline - 2 * day).await, 0, "once per threshold");
    assert_eq!(remind(deadline - day / 2).await, 1, "one day before");
    assert_eq!(remind(deadline - day / 4).await, 0);
    assert_eq!(remind(deadline + 1).await, 0, "past the deadline STACKIT times it out");
    eventually(Duration::from_secs(10), "the reminders are mailed", || async {
        count(&app, "SELECT COUNT(*) FROM captured_mails WHERE subject LIKE 'Approve within%'").await == 2
    })
    .await;
}

async fn start_replica(database: &TestDatabase, sim: &SimulatorHandle) -> String {
    let mut config = test_config(database, &["--pending-poll-secs", "1"]);
    let key_path = database.folder.path().join("vendor-key.json");
    std::fs::write(&key_path, sim.service_account_key_json()).unwrap();
    config.stackit.stackit_api_url = sim.base_url().to_string();
    config.stackit.stackit_vendor_project_id = Some(sim.vendor_project_id().parse().unwrap());
    config.stackit.stackit_service_account_key_path = Some(key_path);
    config.sync_interval_secs = 86_400;
    let app = server::startup::Application::build(config).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    address
}

async fn two_replicas_share_the_work_without_doubling_it(backend: Backend) {
    let (first, sim) = TestApp::spawn_with_stackit_and(backend, &["--pending-poll-secs", "1"]).await;
    let second = start_replica(&first.database, &sim).await;
    let ids: Vec<String> = (0..8).map(|_| place_order(&sim, LIVE.0, LIVE.1, None)).collect();
    run_once(&vendor_client(&sim), &first.db).await.unwrap();

    // Each order approved through both replicas at once: one call each reaches STACKIT.
    let (email, password) = first.operator(Role::Operator).await;
    let mut calls = Vec::new();
    for base in [first.address.clone(), second.clone()] {
        let http = crate::support::cookie_client();
        let signed = http
            .post(format!("{base}/api/login"))
            .header("accept", "application/json")
            .form(&[("email", email.as_str()), ("password", password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), 200);
        for id in &ids {
            let (http, url, id) = (http.clone(), format!("{base}/api/approve_order"), id.clone());
            calls.push(tokio::spawn(async move {
                let form = [("subscription_id", id.as_str())];
                http.post(url).header("accept", "application/json").form(&form).send().await.unwrap().status()
            }));
        }
    }
    let mut ok = 0;
    for call in calls {
        ok += usize::from(call.await.unwrap() == 200);
    }
    assert_eq!(ok, ids.len(), "one of the two clicks on each order wins");
    for id in &ids {
        assert_eq!(sim.state().get(id).unwrap().approve_calls, 1);
    }

    // The pending poll runs about once a second across both replicas, never twice at once.
    tokio::time::sleep(Duration::from_millis(4_500)).await;
    let runs = server::db::leases::runs(first.db.pool(), "pending").await.unwrap();
    let finished: Vec<_> = runs.iter().filter(|r| r.finished_at_ms.is_some()).collect();
    assert!(finished.len() >= 3 && runs.len() <= 7, "{} runs in 4.5 s by two replicas", runs.len());
    for pair in finished.windows(2) {
        assert!(pair[1].started_at_ms >= pair[0].finished_at_ms.unwrap(), "runs never overlap: {pair:?}");
    }
}

async fn metrics_count_requests_orders_and_jobs(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), 200);
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(text.contains("# TYPE orderdesk_http_requests_total counter"), "{text}");
    assert!(text.contains(r#"orderdesk_http_requests_total{route="/healthz",status="200"}"#), "{text}");
    assert!(text.contains("# TYPE orderdesk_http_request_duration_seconds histogram"), "{text}");
    assert!(
        text.contains(r#"orderdesk_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"}"#),
        "{text}"
    );
    assert!(text.contains(r#"orderdesk_http_request_duration_seconds_count{route="/healthz"}"#), "{text}");
    assert!(text.contains("# TYPE orderdesk_sync_duration_seconds histogram"), "{text}");
    assert!(text.contains(r#"orderdesk_orders{state="SUBSCRIPTION_PENDING"} 1"#), "{text}");
    assert!(text.contains(r#"orderdesk_vendor_api_calls_total{endpoint="list",outcome="ok"}"#), "{text}");
    assert!(text.contains("orderdesk_jobs_oldest_age_seconds"), "{text}");

    // With a token configured, scrapers must bring it.
    let (locked, _sim) = TestApp::spawn_with_stackit_and(backend, &["--metrics-token", "s3cret"]).await;
    assert_eq!(locked.get("/metrics").await.status(), 401);
    let scraped = locked.client.get(locked.url("/metrics")).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(scraped.status(), 200);
}

/// What a webhook receiver saw: (headers we check, body, the status it answered).
type Received = std::sync::Arc<std::sync::Mutex<Vec<(String, String, String, String, u16)>>>;

/// A receiver that answers 500 to its first `failures` requests, then 204.
async fn webhook_receiver(failures: usize) -> (String, Received) {
    use axum::http::HeaderMap;
    let seen: Received = Default::default();
    let record = seen.clone();
    let router = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let record = record.clone();
            async move {
                let header = |name: &str| {
                    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
                };
                let mut seen = record.lock().unwrap();
                let status = if seen.len() < failures { 500 } else { 204 };
                seen.push((
                    header("x-orderdesk-event"),
                    header("x-orderdesk-delivery"),
                    format!("{}|{}", header("x-orderdesk-timestamp"), header("x-orderdesk-signature")),
                    body,
                    status,
                ));
                axum::http::StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, seen)
}

async fn order_events_reach_the_webhook_signed_and_once(backend: Backend) {
    let (url, seen) = webhook_receiver(2).await;
    let args =
        ["--webhook-url", url.as_str(), "--webhook-secret", "hook secret", "--job-retry-base-ms", "50"];
    let (app, sim) = TestApp::spawn_with_stackit_and(backend, &args).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, Some("it@acme.example"));
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    assert_eq!(approve(&app, &operator, &id).await, 200);

    let delivered = |seen: &Received| {
        let seen = seen.lock().unwrap();
        seen.iter().filter(|r| r.4 == 204).map(|r| r.0.clone()).collect::<Vec<_>>()
    };
    eventually(Duration::from_secs(30), "created, state change and approval are delivered", || async {
        let events = delivered(&seen);
        ["order.created", "order.state_changed", "order.approved"]
            .iter()
            .all(|e| events.iter().any(|d| d == e))
    })
    .await;
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().take(2).all(|r| r.4 == 500), "the first two attempts failed and were retried");
    let mut ids: Vec<&String> = seen.iter().filter(|r| r.4 == 204).map(|r| &r.1).collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "each event delivered once");
    for (event, _, stamp, body, _) in &seen {
        let (timestamp, signature) = stamp.split_once('|').unwrap();
        let expected = server::webhooks::signature("hook secret", timestamp.parse().unwrap(), body);
        assert_eq!(signature, expected, "signed: {event}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["type"], event.as_str());
        assert_eq!(json["subscription_id"], id.as_str());
    }
    let approved = seen.iter().find(|r| r.0 == "order.approved").unwrap();
    let json: serde_json::Value = serde_json::from_str(&approved.3).unwrap();
    assert_eq!(json["order"]["contact_email"], "it@acme.example");

    // Admins see the deliveries in the outbox.
    let admin = app.signed_in(Role::Admin).await;
    let outbox: serde_json::Value = app.call(&admin, "/api/outbox", &[]).await.json().await.unwrap();
    assert_eq!(outbox["webhook_url"], url.as_str());
    assert!(outbox["deliveries"].as_array().unwrap().iter().any(|d| d["event"] == "order.approved"));
}

async fn every_lifecycle_state_is_followed(backend: Backend) {
    use server::jobs::sync::{poll_pending, remind};
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    app.operator(Role::Operator).await;
    let client = vendor_client(&sim);
    let times_out = place_order(&sim, LIVE.0, LIVE.1, None);
    let withdrawn = place_order(&sim, LIVE.0, LIVE.1, None);
    let lives = place_order(&sim, LIVE.0, LIVE.1, None);
    let unseen_end = place_order(&sim, LIVE.0, LIVE.1, None);
    client.approve(&unseen_end, None).await.unwrap();
    run_once(&client, &app.db).await.unwrap();
    client.approve(&lives, None).await.unwrap();
    sim.state().cancel(&withdrawn).unwrap();

    // The pending poll sees the approval made elsewhere and the withdrawn order.
    let report = poll_pending(&client, &app.db, &[], None).await.unwrap();
    assert_eq!(report.changed, 2);
    assert_eq!(state_of(&app, &lives).await, "SUBSCRIPTION_ACTIVE");
    assert_eq!(state_of(&app, &withdrawn).await, "SUBSCRIPTION_CANCELLED");

    // STACKIT suspends and restores the live one (shown as suspended meanwhile).
    sim.state().set_suspended(&lives, true).unwrap();
    run_once(&client, &app.db).await.unwrap();
    assert_eq!(state_of(&app, &lives).await, "SUBSCRIPTION_INACTIVE");
    assert_eq!(app::model::LifecycleState::Inactive.label(), "Suspended");
    sim.state().set_suspended(&lives, false).unwrap();
    run_once(&client, &app.db).await.unwrap();
    assert_eq!(state_of(&app, &lives).await, "SUBSCRIPTION_ACTIVE");

    // The approval window passes: the pending order times out.
    sim.state().advance_clock(31 * 86_400);
    poll_pending(&client, &app.db, &[], None).await.unwrap();
    assert_eq!(state_of(&app, &times_out).await, "SUBSCRIPTION_APPROVAL_TIMED_OUT");
    assert!(orders::pending_ids(app.db.pool()).await.unwrap().is_empty());

    // The customer cancels the live one: cancelling until the notice period ends, then cancelled.
    sim.state().cancel(&lives).unwrap();
    run_once(&client, &app.db).await.unwrap();
    let row = orders::get(app.db.pool(), &lives).await.unwrap().unwrap();
    assert_eq!(row.lifecycle_state, "SUBSCRIPTION_CANCELLING");
    let ends = row.terminates_at_ms.expect("the end date is kept");

    // Once its end has passed the operators are told to deprovision it, once, even while STACKIT
    // still says cancelling; the withdrawn order (never live) needs nothing.
    assert_eq!(remind(&app.db, &[], ends + 1).await.unwrap(), 1);
    assert_eq!(remind(&app.db, &[], ends + 2).await.unwrap(), 0);

    // Another is cancelled and ends while nobody syncs (an outage longer than the reminders' week
    // of look-back): the sync that sees it cancelled queues the notice. The first one's arrival
    // at cancelled queues nothing more.
    {
        // At once, so that the app's own background sync cannot see it cancelling in between.
        let mut state = sim.state();
        state.cancel(&unseen_end).unwrap();
        state.advance_clock(60 * 86_400);
    }
    run_once(&client, &app.db).await.unwrap();
    assert_eq!(state_of(&app, &lives).await, "SUBSCRIPTION_CANCELLED");
    assert_eq!(state_of(&app, &unseen_end).await, "SUBSCRIPTION_CANCELLED");
    assert_eq!(remind(&app.db, &[], ends + 61 * 86_400_000).await.unwrap(), 0);
    eventually(Duration::from_secs(10), "the deprovision mails are out", || async {
        count(&app, "SELECT COUNT(*) FROM captured_mails WHERE subject LIKE 'Deprovision:%'").await == 2
    })
    .await;
    const SQL: &str = "SELECT subscription_id, detail FROM events WHERE kind = 'state.changed' ORDER BY id";
    let changes: Vec<(String, String)> = sqlx::query_as(SQL).fetch_all(app.db.pool()).await.unwrap();
    assert_eq!(changes.len(), 8, "every transition is in the timeline once: {changes:#?}");
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
