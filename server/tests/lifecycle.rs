//! Orders over time, against the real application and the simulator: every lifecycle state
//! followed through STACKIT's controls and clock, and operators reminded of deadlines once per
//! threshold. (Decisions, plan changes, replicas and what others see have files of their own.)

use std::time::Duration;

use crate::support::orders::{LIVE, count, eventually, state_of};
use crate::support::{Backend, TestApp, place_order, vendor_client};
use app::model::Role;
use server::db::orders;
use server::jobs::sync::run_once;

on_both_databases!(operators_are_reminded_of_deadlines_once_per_threshold, every_lifecycle_state_is_followed,);

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
