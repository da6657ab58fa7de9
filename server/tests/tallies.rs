//! The overview's tallies (orders per state, activations per day and approval time, pending
//! orders per deadline hour and how many of them are unassigned) are kept by the database as
//! orders change: after a sync of a varied history, decisions, STACKIT's own changes, an edited
//! order, assignments and a deleted one, they equal a recount from `orders`, on both engines; and
//! the counts read from them equal the counts of every pending order, whatever the hour.

use crate::support::{Backend, TestDatabase, order};
use app::model::Role;
use server::db::{Database, orders, tallies, work};
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
    let (kept, counted) =
        (tallies::deadlines(pool, false).await.unwrap(), tallies::deadlines(pool, true).await.unwrap());
    assert_eq!(kept, counted, "pending orders per deadline hour after {after}");
    // At an hour's start, just after it, in its middle and at its last millisecond; now and a
    // week and a month from now (beyond the deadlines too).
    let now = server::db::now_ms();
    let hour = now - now % tallies::HOUR_MS;
    for at in [
        hour,
        hour + 1,
        hour + 1_800_000,
        hour + tallies::HOUR_MS - 1,
        now + 7 * 86_400_000,
        now + 40 * 86_400_000,
    ] {
        for soon in [1, tallies::HOUR_MS, 3 * 86_400_000 + 1] {
            assert_eq!(
                tallies::deadline_counts(pool, at, soon).await.unwrap(),
                counted_by_deadline(db, at, soon).await,
                "overdue, due soon, unassigned at {at} (+{soon}) after {after}"
            );
        }
    }
}

/// The deadline counts of every pending order, as the pages counted them before the tallies.
async fn counted_by_deadline(db: &Database, now: i64, soon: i64) -> (i64, i64, i64) {
    const SQL: &str = "SELECT (SELECT COUNT(*) FROM orders WHERE queue_rank = 0 AND deadline_ms < $1),
                              (SELECT COUNT(*) FROM orders WHERE queue_rank = 0 AND deadline_ms >= $1 AND deadline_ms < $2),
                              (SELECT COUNT(*) FROM orders WHERE queue_rank = 0 AND assignee_id IS NULL)";
    sqlx::query_as(SQL).bind(now).bind(now + soon).fetch_one(db.pool()).await.unwrap()
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

    // Pending orders assigned, unassigned, their deadline moved, one deleted.
    let operator = server::accounts::create_operator(
        &db,
        "tally@vendor.example",
        "Tally",
        Role::Operator,
        "a long enough password",
    )
    .await
    .unwrap();
    let pending = orders::pending_ids(db.pool()).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    for id in pending.iter().take(4) {
        work::set_assignee(&mut tx, id, Some(&operator)).await.unwrap();
    }
    work::set_assignee(&mut tx, &pending[0], None).await.unwrap();
    tx.commit().await.unwrap();
    assert_tallies_equal_a_recount(&db, "assignments").await;
    sqlx::query("UPDATE orders SET deadline_ms = deadline_ms + 86400000 WHERE subscription_id IN ($1, $2)")
        .bind(&pending[1])
        .bind(&pending[5])
        .execute(db.pool())
        .await
        .unwrap();
    assert_tallies_equal_a_recount(&db, "deadlines moved").await;
    let written = ["7a8b9c0d-1e2f-4a3b-8c4d-000000000001", "7a8b9c0d-1e2f-4a3b-8c4d-000000000002"];
    for id in written {
        orders::upsert(db.pool(), &order(id, "SUBSCRIPTION_PENDING")).await.unwrap();
    }
    let mut tx = db.begin_write().await.unwrap();
    work::set_assignee(&mut tx, written[0], Some(&operator)).await.unwrap();
    tx.commit().await.unwrap();
    assert_tallies_equal_a_recount(&db, "pending orders written").await;
    sqlx::query("DELETE FROM orders WHERE subscription_id IN ($1, $2)")
        .bind(written[0])
        .bind(written[1])
        .execute(db.pool())
        .await
        .unwrap();
    assert_tallies_equal_a_recount(&db, "pending orders deleted").await;
}

on_both_databases!(the_overview_tallies_equal_a_recount_whatever_changes);

/// PostgreSQL: a batch of new orders is a statement per 100 orders in one transaction, and its
/// first statement already locks the "pending" tally. A decision on a pending order whose
/// deadline hour a later statement of the batch reaches must wait for the batch, not deadlock
/// with it: every writer locks the per-state tallies before the deadline hours. (SQLite has one
/// writer at a time.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_batch_and_a_decision_in_the_same_deadline_hour_do_not_deadlock() {
    let (_database, db) = TestDatabase::fresh(Backend::Postgres).await;
    let hour = (server::db::now_ms() / tallies::HOUR_MS + 48) * tallies::HOUR_MS;
    let pending_at = |id: &str, deadline_ms: i64| {
        let mut row = order(id, "SUBSCRIPTION_PENDING");
        row.deadline_ms = deadline_ms;
        row.queue_rank = 0;
        row
    };
    let decided = pending_at("5d6e7f80-1a2b-4c3d-8e4f-000000000001", hour + 60_000);
    orders::upsert(db.pool(), &decided).await.unwrap();

    let mut batch = db.begin_write().await.unwrap();
    let first = [pending_at("5d6e7f80-1a2b-4c3d-8e4f-000000000002", hour + 5 * tallies::HOUR_MS)];
    orders::insert_new_many(&mut batch, db.kind(), &first).await.unwrap();
    let decision = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin_write().await?;
            work::set_state(&mut tx, "5d6e7f80-1a2b-4c3d-8e4f-000000000001", "SUBSCRIPTION_ACTIVE").await?;
            tx.commit().await
        })
    };
    // The decision locks what it locks first, then waits.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let second = [pending_at("5d6e7f80-1a2b-4c3d-8e4f-000000000003", hour + 120_000)];
    orders::insert_new_many(&mut batch, db.kind(), &second)
        .await
        .expect("the batch's second statement reaches the decided order's hour");
    batch.commit().await.expect("the batch commits");
    decision.await.unwrap().expect("the decision goes through after the batch");
    assert_tallies_equal_a_recount(&db, "a batch beside a decision").await;
}
