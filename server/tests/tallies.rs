//! The overview's tallies (orders per state, activations per day and approval time) are kept by
//! the database as orders change: after a sync of a varied history, decisions, STACKIT's own
//! changes, an edited order and a deleted one, they equal a recount from `orders`, on both engines.

use crate::support::{Backend, TestDatabase, order};
use server::db::{Database, orders, tallies};
use server::jobs::sync::run_once;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

async fn assert_tallies_equal_a_recount(db: &Database, after: &str) {
    let pool = db.pool();
    let (kept, counted) =
        (tallies::counts_by_state(pool).await.unwrap(), tallies::recount_by_state(pool).await.unwrap());
    assert_eq!(kept, counted, "orders per state after {after}");
    let (kept, counted) =
        (tallies::activations(pool, false).await.unwrap(), tallies::activations(pool, true).await.unwrap());
    assert_eq!(kept, counted, "activations after {after}");
}

async fn the_overview_tallies_equal_a_recount_whatever_changes(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: 400,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = crate::support::vendor_client(&sim);
    assert_tallies_equal_a_recount(&db, "migrations (no orders)").await;

    run_once(&client, &db).await.unwrap();
    assert!(tallies::activations(db.pool(), false).await.unwrap().len() > 10, "a varied history");
    assert_tallies_equal_a_recount(&db, "the first sync").await;

    // Decisions and STACKIT's own changes, read back by the next sync.
    let pending: Vec<String> = orders::pending_ids(db.pool()).await.unwrap().into_iter().take(5).collect();
    for id in &pending {
        client.approve(id, Some("https://acme.example")).await.unwrap();
    }
    {
        let mut state = sim.state();
        let active = state
            .subscriptions
            .iter_mut()
            .filter(|s| s.wire.lifecycle_state_raw == "SUBSCRIPTION_ACTIVE")
            .take(3);
        for subscription in active {
            subscription.wire.lifecycle_state_raw = "SUBSCRIPTION_CANCELLED".into();
        }
    }
    let report = run_once(&client, &db).await.unwrap();
    assert_eq!(report.changed, 8);
    assert_tallies_equal_a_recount(&db, "approvals and cancellations").await;

    // An order written directly: new, then its order time moved (its approval time changes),
    // then deleted.
    let mut row = order("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "SUBSCRIPTION_ACTIVE");
    row.valid_from_ms = Some(row.ordered_at_ms + 5 * 3_600_000);
    orders::upsert(db.pool(), &row).await.unwrap();
    assert_tallies_equal_a_recount(&db, "an upserted order").await;
    row.ordered_at_ms -= 3_600_000;
    row.lifecycle_state = "SUBSCRIPTION_CANCELLING".into();
    row.lifecycle_state_raw = "SUBSCRIPTION_CANCELLING".into();
    orders::upsert(db.pool(), &row).await.unwrap();
    assert_tallies_equal_a_recount(&db, "an order moved in time and state").await;
    sqlx::query("DELETE FROM orders WHERE subscription_id = $1")
        .bind(&row.subscription_id)
        .execute(db.pool())
        .await
        .unwrap();
    assert_tallies_equal_a_recount(&db, "a deleted order").await;
}

on_both_databases!(the_overview_tallies_equal_a_recount_whatever_changes);
