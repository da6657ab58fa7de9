//! The sync from STACKIT (the simulator) into the orders table, on both database engines.

use crate::support::{Backend, TestDatabase};
use server::db::{Database, events, orders, tallies};
use server::jobs::sync::{SyncReport, apply_page, load_page, run_once};
use server::marketplace::client::VendorClient;
use server::marketplace::simulator::{Simulator, SimulatorHandle, SimulatorSettings};

async fn simulator(seeded: usize) -> (SimulatorHandle, VendorClient) {
    let settings = SimulatorSettings {
        seed_subscriptions: seeded,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = crate::support::vendor_client(&sim);
    (sim, client)
}

async fn event_count(db: &Database) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM events").fetch_one(db.pool()).await.unwrap()
}

fn pending_order(sim: &SimulatorHandle, project: &str, email: Option<&str>) -> String {
    let mut state = sim.state();
    let now = state.now_ms();
    state
        .create(project, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", email, now)
        .unwrap()
        .subscription_id
        .clone()
}

async fn a_second_sync_of_unchanged_subscriptions_writes_nothing(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(230).await;
    let first = run_once(&client, &db).await.unwrap();
    assert_eq!(first, SyncReport { new: 230, changed: 0, unchanged: 0, looked_up: 0 });
    let stored: i64 = tallies::counts_by_state(db.pool()).await.unwrap().iter().map(|(_, n)| n).sum();
    assert_eq!(stored, 230);
    assert_eq!(event_count(&db).await, 230, "one order.created per order");

    let id = sim.state().subscriptions[0].wire.subscription_id.clone();
    let before = orders::get(db.pool(), &id).await.unwrap().unwrap();
    let second = run_once(&client, &db).await.unwrap();
    assert_eq!(second, SyncReport { new: 0, changed: 0, unchanged: 230, looked_up: 0 });
    assert_eq!(event_count(&db).await, 230, "no events for unchanged orders");
    assert_eq!(orders::get(db.pool(), &id).await.unwrap().unwrap(), before, "not even updated_at moved");
}

async fn state_changes_become_events_and_our_fields_survive(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(0).await;
    let with_email = pending_order(&sim, "p-1", Some("it@acme.example"));
    let without_email = pending_order(&sim, "p-2", None);
    assert_eq!(run_once(&client, &db).await.unwrap().new, 2);
    let stored = orders::get(db.pool(), &with_email).await.unwrap().unwrap();
    assert_eq!(
        (stored.contact_email.as_deref(), stored.contact_email_source.as_deref()),
        (Some("it@acme.example"), Some("stackit"))
    );
    assert_eq!(orders::get(db.pool(), &without_email).await.unwrap().unwrap().contact_email, None);

    client.approve(&with_email, Some("https://acme.example")).await.unwrap();
    sim.state().subscriptions[1].wire.lifecycle_state_raw = "SUBSCRIPTION_FROZEN".into();
    let report = run_once(&client, &db).await.unwrap();
    assert_eq!(report, SyncReport { new: 0, changed: 2, unchanged: 0, looked_up: 0 });

    let approved = orders::get(db.pool(), &with_email).await.unwrap().unwrap();
    assert_eq!(approved.lifecycle_state, "SUBSCRIPTION_ACTIVE");
    assert!(approved.valid_from_ms.is_some());
    let history = events::for_order(db.pool(), &with_email).await.unwrap();
    assert_eq!(
        history.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["order.created", "state.changed"]
    );
    let change: serde_json::Value = serde_json::from_str(&history[1].detail).unwrap();
    assert_eq!(change, serde_json::json!({ "from": "SUBSCRIPTION_PENDING", "to": "SUBSCRIPTION_ACTIVE" }));

    let frozen = orders::get(db.pool(), &without_email).await.unwrap().unwrap();
    assert_eq!(
        (frozen.lifecycle_state.as_str(), frozen.lifecycle_state_raw.as_str()),
        ("UNKNOWN", "SUBSCRIPTION_FROZEN")
    );
}

async fn a_failed_listing_changes_nothing(backend: Backend) {
    use server::marketplace::simulator::{Fault, FaultKind};
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(150).await;
    sim.inject(Fault::next(FaultKind::Malformed, 1).on_paths("/v1/vendors/"));
    sim.inject(Fault { count: None, fraction: Some(1.0), ..Fault::next(FaultKind::Malformed, 0) });
    assert!(run_once(&client, &db).await.is_err());
    assert!(tallies::counts_by_state(db.pool()).await.unwrap().is_empty(), "nothing half-written");
    sim.clear_faults();
    assert_eq!(run_once(&client, &db).await.unwrap().new, 150);
}

async fn an_order_missing_from_the_list_is_looked_up_before_anything_is_concluded(backend: Backend) {
    use server::marketplace::simulator::{Fault, FaultKind};
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(0).await;
    let approved_elsewhere = pending_order(&sim, "p-1", None);
    let vanished = pending_order(&sim, "p-2", None);
    let listed = pending_order(&sim, "p-3", None);
    assert_eq!(run_once(&client, &db).await.unwrap().new, 3);

    // The listing lags: two open orders are missing from it. One was approved meanwhile; STACKIT
    // answers 404 for the other.
    client.approve(&approved_elsewhere, None).await.unwrap();
    for id in [&approved_elsewhere, &vanished] {
        let mut state = sim.state();
        let index = state.subscriptions.iter().position(|s| &s.wire.subscription_id == id).unwrap();
        state.subscriptions[index].unlisted = true;
    }
    let vanished_path = format!("/v1/vendors/projects/{}/subscriptions/{vanished}", sim.vendor_project_id());
    let not_found = |count| Fault::next(FaultKind::Status { status: 404 }, count).on_paths(&vanished_path);
    sim.inject(not_found(1));
    let report = run_once(&client, &db).await.unwrap();
    assert_eq!(report, SyncReport { new: 0, changed: 1, unchanged: 1, looked_up: 2 });
    let state = |id: &str| {
        let (db, id) = (db.clone(), id.to_string());
        async move { orders::get(db.pool(), &id).await.unwrap().unwrap().lifecycle_state }
    };
    assert_eq!(state(&approved_elsewhere).await, "SUBSCRIPTION_ACTIVE", "its lookup is applied");
    assert_eq!(state(&vanished).await, "SUBSCRIPTION_PENDING", "kept as last seen, not closed");
    assert_eq!(state(&listed).await, "SUBSCRIPTION_PENDING");

    // A lookup that fails for another reason fails the run and concludes nothing either.
    let down =
        Fault { count: None, fraction: Some(1.0), ..Fault::next(FaultKind::Status { status: 500 }, 0) };
    sim.inject(down.on_paths(&vanished_path));
    let error = run_once(&client, &db).await.unwrap_err();
    assert!(format!("{error:#}").contains("missing from the list"), "{error:#}");
    assert_eq!(state(&vanished).await, "SUBSCRIPTION_PENDING");
    assert_eq!(event_count(&db).await, 4, "three orders created, one approval; nothing else");
}

/// Two syncs at once (a scheduled one and "Sync now", or two replicas), each adding one half of a
/// plan change: the new order is still linked to the one it replaces.
async fn two_syncs_adding_the_halves_of_a_plan_change_at_once_still_link_them(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(0).await;
    for n in 0..20 {
        let project = format!("project-{n}");
        let old = pending_order(&sim, &project, None);
        client.approve(&old, None).await.unwrap();
        let new = {
            let mut state = sim.state();
            state.cancel(&old).unwrap();
            let now = state.now_ms() + 1_000;
            let plan = "dv-business-9c0d1e2f";
            state.create(&project, "datavault-1a2b3c4d", plan, None, now).unwrap().subscription_id.clone()
        };
        let halves = [client.get(&old, true).await.unwrap(), client.get(&new, true).await.unwrap()];
        let (mut one, mut other) = (SyncReport::default(), SyncReport::default());
        let (first, second) =
            tokio::join!(apply_page(&db, &halves[..1], &mut one), apply_page(&db, &halves[1..], &mut other));
        first.unwrap();
        second.unwrap();
        const SQL: &str = "SELECT replaces_subscription_id FROM orders WHERE subscription_id = $1";
        let replaces: Option<String> = sqlx::query_scalar(SQL).bind(&new).fetch_one(db.pool()).await.unwrap();
        assert_eq!(replaces.as_deref(), Some(old.as_str()), "pair {n}");
    }
}

/// A first load writes its pages as new without looking up stored rows. An order another writer
/// stored meanwhile (a customer's sign-up) is still compared and applied once, as a change; the
/// others are new, each with one creation event.
async fn a_first_load_page_applies_an_order_stored_meanwhile_as_a_change(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let (sim, client) = simulator(0).await;
    let signed_up = pending_order(&sim, "p-1", None);
    let others = [pending_order(&sim, "p-2", None), pending_order(&sim, "p-3", None)];
    let arrived = client.get(&signed_up, true).await.unwrap();
    apply_page(&db, &[arrived], &mut SyncReport::default()).await.unwrap();
    client.approve(&signed_up, None).await.unwrap();

    let mut page = vec![client.get(&signed_up, true).await.unwrap()];
    for id in &others {
        page.push(client.get(id, true).await.unwrap());
    }
    let mut report = SyncReport::default();
    load_page(&db, &page, &mut report).await.unwrap();
    assert_eq!(report, SyncReport { new: 2, changed: 1, unchanged: 0, looked_up: 0 });
    let state = |id: String| {
        let db = db.clone();
        async move { orders::get(db.pool(), &id).await.unwrap().unwrap().lifecycle_state_raw }
    };
    assert_eq!(state(signed_up.clone()).await, "SUBSCRIPTION_ACTIVE");
    for id in &others {
        assert_eq!(state(id.clone()).await, "SUBSCRIPTION_PENDING");
    }
    assert_eq!(event_count(&db).await, 4, "three orders created, one state change");

    // The same page again: every order is stored now, nothing is written.
    let mut again = SyncReport::default();
    load_page(&db, &page, &mut again).await.unwrap();
    assert_eq!(again, SyncReport { new: 0, changed: 0, unchanged: 3, looked_up: 0 });
    assert_eq!(event_count(&db).await, 4);
}

on_both_databases!(
    a_first_load_page_applies_an_order_stored_meanwhile_as_a_change,
    two_syncs_adding_the_halves_of_a_plan_change_at_once_still_link_them,
    a_second_sync_of_unchanged_subscriptions_writes_nothing,
    state_changes_become_events_and_our_fields_survive,
    a_failed_listing_changes_nothing,
    an_order_missing_from_the_list_is_looked_up_before_anything_is_concluded,
);
