//! Decisions reach STACKIT exactly once through the outbox: under faults, past the client's timeout, given up and retried or revived by an admin.

use std::time::{Duration, Instant};

use crate::support::orders::{LIVE, PREVIEW, approve, count, eventually, get_fault, post_fault, state_of};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::Role;
use server::db::work;
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Fault, FaultKind};

on_both_databases!(
    concurrent_approvals_reach_stackit_exactly_once,
    stackit_saying_no_shows_the_real_state,
    reject_is_refused_for_live_products_and_needs_a_reason,
    decisions_reach_stackit_exactly_once_through_faults,
    an_approval_that_outlasts_the_client_timeout_is_not_sent_twice,
    a_decision_that_keeps_failing_is_given_up_and_an_admin_retries_it,
    a_revived_approval_whose_answer_was_lost_is_not_sent_again,
);

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
    let work = work::work(app.db.pool(), &id).await.unwrap().unwrap();
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
    // The order turns active as the job reads STACKIT back, the decision ends a moment later in
    // the job's own transaction: wait for both.
    eventually(Duration::from_secs(20), "the retried approval arrives and its decision ends", || async {
        state_of(&app, &id).await == "SUBSCRIPTION_ACTIVE"
            && work::work(app.db.pool(), &id).await.unwrap().unwrap().decision_state.is_none()
    })
    .await;
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1);
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
    let job_id = work::work(app.db.pool(), &id).await.unwrap().unwrap().decision_job_id.unwrap();
    let admin = app.signed_in(Role::Admin).await;
    assert_eq!(app.call(&admin, "/api/retry_job", &[("job_id", &job_id)]).await.status(), 200);
    eventually(Duration::from_secs(20), "the revived job is done", || async {
        count(&app, "SELECT COUNT(*) FROM jobs WHERE kind = 'stackit.decision' AND state = 'done'").await == 1
    })
    .await;
    assert_eq!(state_of(&app, &id).await, "SUBSCRIPTION_ACTIVE");
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "one approve call at STACKIT");
}

async fn concurrent_approvals_reach_stackit_exactly_once(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let (alice, bob) = (app.signed_in(Role::Operator).await, app.signed_in(Role::Operator).await);
    let attempts = (0..10).map(|n| {
        let http = if n % 2 == 0 { alice.clone() } else { bob.clone() };
        let url = app.url("/api/approve_order");
        let id = id.clone();
        tokio::spawn(async move {
            http.post(url)
                .header("accept", "application/json")
                .form(&[("subscription_id", id.as_str()), ("instance_url", "https://acme.example")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts {
        statuses.push(attempt.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "one approve call at STACKIT");
    let stored = server::db::orders::get(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(stored.lifecycle_state, "SUBSCRIPTION_ACTIVE");
    assert_eq!(stored.instance_target.as_deref(), Some("https://acme.example"));
    let approvals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'order.approved'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(approvals, 1);
}

async fn stackit_saying_no_shows_the_real_state(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let id = place_order(&sim, LIVE.0, LIVE.1, None);
    // The application's own sync at start must not see the order after the clock moves on (it
    // would learn of the time-out before the approval does): let it import the order, or, if it
    // ran before the order existed, import it here.
    let mut imported = false;
    for _ in 0..30 {
        if server::db::orders::get(app.db.pool(), &id).await.unwrap().is_some() {
            imported = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if !imported {
        run_once(&vendor_client(&sim), &app.db).await.unwrap();
    }
    sim.state().advance_clock(15 * 86_400);
    let operator = app.signed_in(Role::Operator).await;
    let answer = app.call(&operator, "/api/approve_order", &[("subscription_id", &id)]).await;
    assert_eq!(answer.status(), 409);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert!(body.to_string().contains("SUBSCRIPTION_APPROVAL_TIMED_OUT"), "{body}");
    let stored = server::db::orders::get(app.db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(stored.lifecycle_state, "SUBSCRIPTION_APPROVAL_TIMED_OUT", "re-read from STACKIT");
    assert_eq!(app.call(&operator, "/api/approve_order", &[("subscription_id", &id)]).await.status(), 409);
    assert_eq!(sim.state().get(&id).unwrap().approve_calls, 1, "no call for an order we know is not pending");
    let bad_url = app
        .call(&operator, "/api/approve_order", &[("subscription_id", &id), ("instance_url", "ftp://x")])
        .await;
    assert_eq!(bad_url.status(), 422);
}

async fn reject_is_refused_for_live_products_and_needs_a_reason(backend: Backend) {
    let (app, sim) = TestApp::spawn_with_stackit(backend).await;
    let live = place_order(&sim, LIVE.0, LIVE.1, None);
    let preview = place_order(&sim, PREVIEW.0, PREVIEW.1, None);
    run_once(&vendor_client(&sim), &app.db).await.unwrap();
    let operator = app.signed_in(Role::Operator).await;
    assert_eq!(
        app.call(&operator, "/api/reject_order", &[("subscription_id", &live), ("reason", "no")])
            .await
            .status(),
        409
    );
    assert_eq!(sim.state().get(&live).unwrap().reject_calls, 0, "STACKIT is not even asked");
    assert_eq!(
        app.call(&operator, "/api/reject_order", &[("subscription_id", &preview), ("reason", "  ")])
            .await
            .status(),
        422
    );
    assert_eq!(
        app.call(
            &operator,
            "/api/reject_order",
            &[("subscription_id", &preview), ("reason", "outside our region")]
        )
        .await
        .status(),
        200
    );
    let stored = server::db::orders::get(app.db.pool(), &preview).await.unwrap().unwrap();
    assert_eq!(stored.lifecycle_state, "SUBSCRIPTION_REJECTED");
}
