//! The pending poll at a vendor's scale (`jobs/sync.rs`): with a thousand pending orders or more,
//! when the whole listing takes at least ten times fewer calls than one per pending order, it
//! reads the listing to find which pending orders changed, and reads one by one only those and
//! the ones the listing did not show. The reminders it queues are queued together, each once.

use server::db::{Database, orders};
use server::jobs::sync::{poll_pending, remind, run_once};
use server::marketplace::simulator::{Simulator, SimulatorSettings};

use crate::support::{Backend, TestDatabase, order};

/// Enough subscriptions for a thousand pending ones (a fifth of the seeded ones are pending).
const MANY: usize = 5_100;

async fn state_of(db: &Database, id: &str) -> String {
    orders::get(db.pool(), id).await.unwrap().unwrap().lifecycle_state
}

async fn reminders(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE 'notify:deadline:%'")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn many_pending_orders_are_polled_by_listing_not_one_call_each(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let settings = SimulatorSettings { seed_subscriptions: MANY, ..SimulatorSettings::for_tests() };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = crate::support::vendor_client(&sim);
    run_once(&client, &db).await.unwrap();
    let pending = orders::pending_ids(db.pool()).await.unwrap();
    assert!(pending.len() >= 1_000, "{} pending", pending.len());

    // Approved and withdrawn at STACKIT; one order STACKIT does not show at all.
    let (approved, withdrawn) = (&pending[0], &pending[1]);
    sim.state().approve(approved, None).unwrap();
    sim.state().cancel(withdrawn).unwrap();
    let unknown = "5e0c2a1f-0000-4000-8000-00000000abcd";
    orders::upsert(db.pool(), &order(unknown, "SUBSCRIPTION_PENDING")).await.unwrap();
    sim.take_exchanges();

    let report = poll_pending(&client, &db, &[], None).await.unwrap();
    assert_eq!(report.changed, 2);
    assert_eq!(state_of(&db, approved).await, "SUBSCRIPTION_ACTIVE");
    assert_eq!(state_of(&db, withdrawn).await, "SUBSCRIPTION_CANCELLED");
    assert_eq!(state_of(&db, unknown).await, "SUBSCRIPTION_PENDING", "kept as last seen");
    let calls = sim.take_exchanges();
    let listed = calls.iter().filter(|c| c.method == "GET" && c.path.ends_with("/subscriptions")).count();
    let one_by_one: Vec<&str> = calls
        .iter()
        .filter(|c| c.method == "GET" && !c.path.ends_with("/subscriptions"))
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(listed, MANY.div_ceil(100), "every listing page once");
    // Read one by one: the two the listing shows in another state (what is written is their own
    // answer, never a list's entry, which can lag) and the one it does not show.
    let mut read: Vec<&str> = one_by_one.iter().map(|path| path.rsplit('/').next().unwrap()).collect();
    read.sort_unstable();
    let mut expected = vec![approved.as_str(), withdrawn.as_str(), unknown];
    expected.sort_unstable();
    assert_eq!(read, expected);
    assert_eq!(report.unchanged as usize, pending.len() - 2, "the others as the listing shows them");

    // Nothing changed since: nothing is written.
    let again = poll_pending(&client, &db, &[], None).await.unwrap();
    assert_eq!((again.new, again.changed), (0, 0));
}

async fn reminders_are_queued_once_each_for_the_nearest_threshold(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: 1_000,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    run_once(&crate::support::vendor_client(&sim), &db).await.unwrap();
    let now = server::db::now_ms();
    const DAY: i64 = 86_400_000;
    let due = orders::due_within(db.pool(), now, 7 * DAY).await.unwrap();
    let within_one = due.iter().filter(|(_, deadline, _)| deadline - now <= DAY).count() as u64;
    assert!(within_one > 0 && (due.len() as u64) > within_one, "{within_one} of {}", due.len());

    let ended = orders::ended_between(db.pool(), now - 7 * DAY, now).await.unwrap();
    assert!(!ended.is_empty());
    let queued = remind(&db, &[7, 1, 7], now).await.unwrap();
    assert_eq!(queued, (due.len() + ended.len()) as u64, "every reminder, and the deprovision notices");
    let nearest: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE 'notify:deadline:%' AND dedupe_key LIKE '%:1'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(nearest as u64, within_one, "each order for the nearest threshold");
    assert_eq!(reminders(&db).await, due.len() as i64);
    assert_eq!(remind(&db, &[1, 7], now).await.unwrap(), 0, "each once");
    assert_eq!(remind(&db, &[], now).await.unwrap(), 0);
}

on_both_databases!(
    many_pending_orders_are_polled_by_listing_not_one_call_each,
    reminders_are_queued_once_each_for_the_nearest_threshold,
);
