//! A first sync of many orders loads an empty table without its sorting indexes on SQLite and
//! builds them at its end (`db/bulk_load.rs`): afterwards every index is there and every record
//! is as a sync with them writes it; a process that stopped mid-load builds them at its next
//! start, and after a listing that failed part-way; a table with orders never loses them.
//! PostgreSQL never defers, on the same tests. Such a first sync tells the operators of the
//! orders waiting in one mail once it is complete, on both engines.

use std::time::Duration;

use app::i18n::Locale;
use app::model::Role;

use crate::support::{Backend, TestApp, TestDatabase, order, ordered_at};
use server::db::inbox::{self, InboxFilter};
use server::db::{Database, bulk_load, orders, tallies};
use server::jobs::runner::{RetryPause, Worker};
use server::jobs::sync::{SyncReport, remind, run_once};
use server::mail::Mailer;
use server::mail::notify::MailContext;
use server::marketplace::simulator::{Simulator, SimulatorSettings};

/// More than a batch of the sync (5,000): the first batch is full, so the sync defers.
const MANY: usize = 5_100;

/// Every index of the database.
async fn order_indexes(db: &Database, backend: Backend) -> Vec<String> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name",
        Backend::Postgres => {
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap()
}

/// What SQLite loads a first sync without.
const DEFERRED: [&str; 7] = [
    "orders_queue",
    "orders_newest",
    "orders_state_queue",
    "orders_by_state",
    "orders_assignee_queue",
    "events_by_order",
    "order_steps_by_order",
];

async fn notices(db: &Database) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT dedupe_key FROM jobs WHERE kind = 'notify' ORDER BY dedupe_key")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

async fn unfinished_first_loads(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM first_loads").fetch_one(db.pool()).await.unwrap()
}

async fn kept_definitions(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM deferred_indexes").fetch_one(db.pool()).await.unwrap()
}

async fn a_first_sync_of_many_orders_ends_with_every_index_every_record_and_one_mail(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let indexes = order_indexes(&db, backend).await;
    assert!(DEFERRED.iter().all(|name| indexes.iter().any(|index| index == name)), "{indexes:?}");
    let settings = SimulatorSettings {
        seed_subscriptions: MANY,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = crate::support::vendor_client(&sim);

    let first = run_once(&client, &db).await.unwrap();
    assert_eq!(first.new, MANY as u64);
    assert_eq!(order_indexes(&db, backend).await, indexes, "every index built again");
    assert_eq!(kept_definitions(&db).await, 0, "no definition left behind");
    let pool = db.pool();
    assert_eq!(tallies::counts_by_state(pool).await.unwrap(), tallies::recount_by_state(pool).await.unwrap());
    assert_eq!(tallies::deadlines(pool, false).await.unwrap(), tallies::deadlines(pool, true).await.unwrap());
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events").fetch_one(pool).await.unwrap();
    assert_eq!(events, MANY as i64, "one order.created per order");
    let pending = orders::pending_ids(pool).await.unwrap().len() as i64;
    assert_eq!(
        notices(&db).await,
        [Some("notify:backlog".to_string())],
        "one notice of them all, not one each"
    );
    assert_eq!(unfinished_first_loads(&db).await, 0);
    let steps: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT subscription_id) FROM order_steps")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(steps, pending, "a checklist per pending order");

    // The operators (not viewers) get one mail each, in their language, with the count.
    server::accounts::create_operator(&db, "ops@vendor.example", "Ops", Role::Operator, PASSWORD)
        .await
        .unwrap();
    server::accounts::create_operator(&db, "look@vendor.example", "Look", Role::Viewer, PASSWORD)
        .await
        .unwrap();
    sqlx::query("UPDATE operators SET locale = 'de' WHERE email = 'ops@vendor.example'")
        .execute(pool)
        .await
        .unwrap();
    worker(&db).run_due().await.unwrap();
    let mails: Vec<(String, String, String)> =
        sqlx::query_as("SELECT recipient, subject, body FROM captured_mails ORDER BY recipient")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (to, subject, body) = &mails[0];
    assert_eq!(to, "ops@vendor.example");
    assert_eq!(subject, &format!("Aufträge, die auf Freigabe warten: {}", Locale::De.number(pending as u64)));
    assert!(body.contains("https://orderdesk.example/orders"), "{body}");

    // Later orders are announced one by one again.
    let id = {
        let mut state = sim.state();
        let now = state.now_ms();
        let project = uuid::Uuid::new_v4().to_string();
        state
            .create(&project, "datavault-1a2b3c4d", "dv-starter-5e6f7a8b", None, now)
            .unwrap()
            .subscription_id
            .clone()
    };
    let second = run_once(&client, &db).await.unwrap();
    assert_eq!(second, SyncReport { new: 1, changed: 0, unchanged: MANY as u64, looked_up: 0 });
    let key: Option<String> = sqlx::query_scalar(
        "SELECT dedupe_key FROM jobs WHERE kind = 'notify' AND dedupe_key <> 'notify:backlog'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(key, Some(format!("notify:new:{id}")));
    assert_eq!(order_indexes(&db, backend).await, indexes);

    // Deadlines already near when the mail went out get no reminder each; a threshold an order
    // reaches later does, and so does an order of after the load.
    const DAY: i64 = 86_400_000;
    let now = server::db::now_ms();
    let near = orders::due_within(pool, now, 3 * DAY).await.unwrap();
    assert!(near.len() > 100, "{} near", near.len());
    let ended = orders::ended_between(pool, now - 7 * DAY, now).await.unwrap();
    assert!(ended.len() > 50, "{} ended", ended.len());
    remind(&db, &[3], now).await.unwrap();
    assert_eq!(deadline_reminders(&db).await, 0, "in the one mail");
    assert_eq!(deprovision_notices(&db).await, 0, "in the one mail too");
    // One that ends after the mail went out is announced.
    let (ending, ..) = &ended[0];
    sqlx::query("UPDATE orders SET terminates_at_ms = $2 WHERE subscription_id = $1")
        .bind(ending)
        .bind(now + 3_600_000)
        .execute(pool)
        .await
        .unwrap();
    remind(&db, &[3], now + 7_200_000).await.unwrap();
    assert_eq!(deprovision_notices(&db).await, 1);
    let later = now + 2 * DAY;
    // Two days on, every order within a threshold reached it since the mail.
    let reached = orders::due_within(pool, later, 3 * DAY).await.unwrap();
    assert!(!reached.is_empty());
    remind(&db, &[1, 3], later).await.unwrap();
    assert_eq!(deadline_reminders(&db).await, reached.len() as i64, "the thresholds reached since");
    sqlx::query("UPDATE orders SET deadline_ms = $2 WHERE subscription_id = $1")
        .bind(&id)
        .bind(later + 3 * DAY - 1)
        .execute(pool)
        .await
        .unwrap();
    remind(&db, &[1, 3], later).await.unwrap();
    assert_eq!(deadline_reminders(&db).await, reached.len() as i64 + 1, "an order of after the load");
}

async fn deprovision_notices(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE 'notify:deprovision:%'")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

async fn deadline_reminders(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE dedupe_key LIKE 'notify:deadline:%'")
        .fetch_one(db.pool())
        .await
        .unwrap()
}

const PASSWORD: &str = "a long enough password";

fn worker(db: &Database) -> Worker {
    let context = MailContext {
        origin: "https://orderdesk.example".into(),
        vendor_name: None,
        zone: app::i18n::Clock::named("Europe/Berlin"),
    };
    let mailer = Mailer::Capture { db: db.clone(), show_links: false };
    Worker::new(db.clone(), mailer, context, None, RetryPause::default(), Duration::from_secs(60))
}

async fn indexes_a_stopped_first_sync_deferred_are_built_at_the_next_start(backend: Backend) {
    let (database, db) = TestDatabase::fresh(backend).await;
    let indexes = order_indexes(&db, backend).await;
    let deferred = bulk_load::defer(&db).await.unwrap();
    assert_eq!(deferred, backend == Backend::Sqlite, "only SQLite defers");
    let during = order_indexes(&db, backend).await;
    match backend {
        Backend::Sqlite => {
            assert_eq!(during.len() + DEFERRED.len(), indexes.len(), "{during:?}");
            assert!(DEFERRED.iter().all(|name| !during.iter().any(|index| index == name)), "{during:?}");
            assert!(during.iter().any(|name| name == "orders_by_project_product"), "what a sync reads stays");
            assert_eq!(kept_definitions(&db).await, 7);
        }
        Backend::Postgres => assert_eq!(during, indexes),
    }
    // Pages still answer meanwhile, in their order, from the table.
    for (id, deadline) in
        [("5e0c2a1f-0000-4000-8000-000000000002", 2), ("5e0c2a1f-0000-4000-8000-000000000001", 1)]
    {
        let mut row = ordered_at(order(id, "SUBSCRIPTION_PENDING"), 1_000);
        row.deadline_ms = deadline;
        orders::upsert(db.pool(), &row).await.unwrap();
    }
    let page = inbox::inbox(&db, &InboxFilter { limit: 10, ..InboxFilter::default() }).await.unwrap();
    let ids: Vec<&str> = page.iter().map(|row| row.subscription_id.as_str()).collect();
    assert_eq!(ids, ["5e0c2a1f-0000-4000-8000-000000000001", "5e0c2a1f-0000-4000-8000-000000000002"]);

    // The process stops mid-load; a command-line tool that migrates leaves the load alone; the
    // server's next start builds what it deferred.
    db.pool().close().await;
    let cli = database.connect().await;
    assert_eq!(order_indexes(&cli, backend).await, during, "the command line builds nothing");
    cli.pool().close().await;
    let config = crate::support::test_config(&database, &[]);
    let app = TestApp::start(database, config).await;
    assert_eq!(order_indexes(&app.db, backend).await, indexes);
    assert_eq!(kept_definitions(&app.db).await, 0);
    assert_eq!(bulk_load::restore(&app.db).await.unwrap(), 0, "nothing left to build");
}

async fn a_first_load_cut_short_is_announced_once_it_is_complete(backend: Backend) {
    use server::marketplace::simulator::{Fault, FaultKind};
    let (_database, db) = TestDatabase::fresh(backend).await;
    let indexes = order_indexes(&db, backend).await;
    let settings = SimulatorSettings {
        seed_subscriptions: 12_000,
        record_exchanges: false,
        ..SimulatorSettings::for_tests()
    };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = crate::support::vendor_client(&sim);
    // The listing breaks after the first batch (50 pages of 100) is written.
    let broken =
        Fault { count: None, fraction: Some(1.0), ..Fault::next(FaultKind::Status { status: 500 }, 0) };
    sim.inject(broken.after(60));
    assert!(run_once(&client, &db).await.is_err());
    let written: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders").fetch_one(db.pool()).await.unwrap();
    assert!(written >= 5_000, "the first batch stays: {written}");
    assert_eq!(order_indexes(&db, backend).await, indexes, "every index built although the load failed");
    assert_eq!(notices(&db).await, Vec::<Option<String>>::new(), "nothing announced yet");
    assert_eq!(unfinished_first_loads(&db).await, 1);
    // Nothing about the orders loaded so far is mailed one by one while the load is unfinished.
    let now = server::db::now_ms();
    assert!(!orders::due_within(db.pool(), now, 3 * 86_400_000).await.unwrap().is_empty());
    remind(&db, &[3], now).await.unwrap();
    assert_eq!((deadline_reminders(&db).await, deprovision_notices(&db).await), (0, 0));

    // The next sync completes the load: its orders are not announced one by one either, and
    // all that wait are in the one notice.
    sim.clear_faults();
    let report = run_once(&client, &db).await.unwrap();
    assert_eq!(report.new + written as u64, 12_000);
    assert_eq!(notices(&db).await, [Some("notify:backlog".to_string())]);
    assert_eq!(unfinished_first_loads(&db).await, 0);
    let payload: String = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'notify'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let waiting = orders::pending_ids(db.pool()).await.unwrap().len();
    assert!(payload.contains(&format!("\"waiting\":{waiting}")), "{payload}");
    assert_eq!(order_indexes(&db, backend).await, indexes);
}

async fn a_table_with_orders_keeps_its_indexes(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let indexes = order_indexes(&db, backend).await;
    orders::upsert(db.pool(), &order("5e0c2a1f-0000-4000-8000-000000000003", "SUBSCRIPTION_ACTIVE"))
        .await
        .unwrap();
    assert!(!bulk_load::defer(&db).await.unwrap());
    assert_eq!(order_indexes(&db, backend).await, indexes);
    assert_eq!(kept_definitions(&db).await, 0);
}

on_both_databases!(
    a_first_sync_of_many_orders_ends_with_every_index_every_record_and_one_mail,
    indexes_a_stopped_first_sync_deferred_are_built_at_the_next_start,
    a_table_with_orders_keeps_its_indexes,
    a_first_load_cut_short_is_announced_once_it_is_complete,
);
