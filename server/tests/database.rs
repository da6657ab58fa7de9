//! The data layer on both engines: migrations, orders, the audit trail and the job queue.

use crate::support::{Backend, TestDatabase, order, with_database_name};
use app::model::{Actor, EventKind};
use server::db::{events, jobs, leases, orders, tallies};

async fn migrations_apply_and_the_database_reports_ready(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let db = database.connect().await;
    assert!(db.is_ready().await);
    // Applying again (a restart, or a second replica) changes nothing and does not fail.
    db.migrate().await.unwrap();
    assert!(db.is_ready().await);
    assert!(tallies::counts_by_state(db.pool()).await.unwrap().is_empty());
}

async fn an_order_round_trips_with_every_field(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let mut row = order("9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70", "SUBSCRIPTION_PENDING");
    row.terminates_at = Some("2026-12-31T23:59:59Z".into());
    row.terminates_at_ms = Some(1_798_761_599_000);
    row.assets_json = Some(r#"{"serviceLevelAgreement":{"version":{"en":"1.0"}}}"#.into());
    orders::upsert(db.pool(), &row).await.unwrap();
    assert_eq!(orders::get(db.pool(), &row.subscription_id).await.unwrap(), Some(row));
}

async fn a_sync_upsert_updates_stackit_fields_and_keeps_ours(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let mut row = order("1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "SUBSCRIPTION_PENDING");
    row.contact_email = Some("ops@customer.example".into());
    row.contact_email_source = Some("operator".into());
    orders::upsert(db.pool(), &row).await.unwrap();

    let mut from_stackit = order(&row.subscription_id, "SUBSCRIPTION_ACTIVE");
    from_stackit.instance_target = Some("https://customer.vendor.example".into());
    from_stackit.first_seen_at_ms = row.first_seen_at_ms + 60_000;
    orders::upsert(db.pool(), &from_stackit).await.unwrap();

    let stored = orders::get(db.pool(), &row.subscription_id).await.unwrap().unwrap();
    assert_eq!(stored.lifecycle_state, "SUBSCRIPTION_ACTIVE");
    assert_eq!(stored.instance_target.as_deref(), Some("https://customer.vendor.example"));
    assert_eq!(stored.contact_email.as_deref(), Some("ops@customer.example"));
    assert_eq!(stored.contact_email_source.as_deref(), Some("operator"));
    assert_eq!(stored.first_seen_at_ms, row.first_seen_at_ms);
    let counts = tallies::counts_by_state(db.pool()).await.unwrap();
    assert_eq!(counts, vec![("SUBSCRIPTION_ACTIVE".to_string(), 1)]);
}

async fn the_schema_refuses_states_it_does_not_know(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let row = order("2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", "SUBSCRIPTION_FROZEN");
    assert!(orders::upsert(db.pool(), &row).await.is_err());
    let mut row = order("2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", "UNKNOWN");
    row.lifecycle_state_raw = "SUBSCRIPTION_FROZEN".into();
    orders::upsert(db.pool(), &row).await.unwrap();
    let mut half = order("3f4a5b6c-7d8e-4f9a-0b1c-2d3e4f5a6b7c", "SUBSCRIPTION_PENDING");
    half.contact_email_source = None;
    assert!(orders::upsert(db.pool(), &half).await.is_err(), "an e-mail without its source");
}

async fn events_are_kept_in_order_and_commit_with_their_change(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let row = order("4a5b6c7d-8e9f-4a0b-1c2d-3e4f5a6b7c8d", "SUBSCRIPTION_PENDING");
    orders::upsert(db.pool(), &row).await.unwrap();
    for kind in [EventKind::OrderCreated, EventKind::StateChanged] {
        let event = events::NewEvent {
            subscription_id: Some(&row.subscription_id),
            kind,
            actor: &Actor::Stackit,
            detail: serde_json::json!({ "kind": kind.as_str() }),
        };
        events::record(db.pool(), &event).await.unwrap();
    }
    let mut tx = db.pool().begin().await.unwrap();
    let rolled_back = events::NewEvent {
        subscription_id: Some(&row.subscription_id),
        kind: EventKind::NoteAdded,
        actor: &Actor::Operator("1".into()),
        detail: serde_json::json!({}),
    };
    events::record(&mut *tx, &rolled_back).await.unwrap();
    tx.rollback().await.unwrap();

    let stored = events::for_order(db.pool(), &row.subscription_id).await.unwrap();
    assert_eq!(
        stored.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["order.created", "state.changed"]
    );
    assert!(stored[0].id < stored[1].id);
}

async fn a_job_is_claimed_by_exactly_one_of_many_workers(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let job = jobs::NewJob {
            kind: "test",
            payload: serde_json::json!({ "n": n }),
            max_attempts: 3,
            dedupe_key: None,
        };
        ids.push(jobs::enqueue(db.pool(), &job).await.unwrap());
    }
    let workers = (0..8).map(|w| {
        let pool = db.pool().clone();
        tokio::spawn(async move {
            let mut claimed = Vec::new();
            loop {
                match jobs::claim(&pool, &format!("worker-{w}"), 60_000).await {
                    Ok(Some(job)) => claimed.push(job.id),
                    Ok(None) => break,
                    // SQLite may report a busy database under contention; PostgreSQL may not.
                    Err(error) if error.to_string().contains("locked") => continue,
                    Err(error) => panic!("{error}"),
                }
            }
            claimed
        })
    });
    let mut claimed: Vec<String> = Vec::new();
    for worker in workers {
        claimed.extend(worker.await.unwrap());
    }
    claimed.sort();
    ids.sort();
    assert_eq!(claimed, ids, "every job claimed exactly once");
}

async fn a_failing_job_is_retried_then_dead_and_an_expired_lease_is_taken_over(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let job = jobs::NewJob {
        kind: "test",
        payload: serde_json::json!({}),
        max_attempts: 2,
        dedupe_key: Some("once"),
    };
    let id = jobs::enqueue(db.pool(), &job).await.unwrap();
    let duplicate = jobs::enqueue(db.pool(), &job).await.unwrap_err();
    assert!(duplicate.is_unique_violation());

    let first = jobs::claim(db.pool(), "a", 60_000).await.unwrap().unwrap();
    assert_eq!((first.id.as_str(), first.attempts), (id.as_str(), 1));
    assert!(jobs::claim(db.pool(), "b", 60_000).await.unwrap().is_none(), "held under a lease");
    assert!(!jobs::complete(db.pool(), &id, "b").await.unwrap(), "only the holder completes");
    assert!(jobs::fail(db.pool(), &id, "a", "STACKIT answered 503", 0).await.unwrap());
    assert_eq!(jobs::get(db.pool(), &id).await.unwrap().unwrap().state, "queued");

    // Worker "c" takes it and dies: a lease already expired lets "d" take over.
    let taken = jobs::claim(db.pool(), "c", -1).await.unwrap().unwrap();
    assert_eq!(taken.attempts, 2);
    let taken_over = jobs::claim(db.pool(), "d", 60_000).await.unwrap().unwrap();
    assert_eq!(taken_over.locked_by.as_deref(), Some("d"));
    assert!(!jobs::fail(db.pool(), &id, "c", "late", 0).await.unwrap(), "the dead worker lost it");
    assert!(jobs::fail(db.pool(), &id, "d", "STACKIT answered 503 again", 0).await.unwrap());
    let dead = jobs::get(db.pool(), &id).await.unwrap().unwrap();
    assert_eq!(
        (dead.state.as_str(), dead.last_error.as_deref()),
        ("dead", Some("STACKIT answered 503 again"))
    );
    assert!(jobs::claim(db.pool(), "e", 60_000).await.unwrap().is_none());
}

#[tokio::test]
async fn a_bulk_connection_goes_back_to_the_pool_with_its_usual_page_cache() {
    let database = TestDatabase::create(Backend::Sqlite).await;
    let db = server::db::Database::connect(&database.url, 1).await.unwrap();
    let cache = |db: server::db::Database| async move {
        let mut connection = db.pool().acquire().await.unwrap();
        sqlx::query_scalar::<_, i64>("PRAGMA cache_size").fetch_one(&mut *connection).await.unwrap()
    };
    let usual = cache(db.clone()).await;
    let mut bulk = db.bulk_connection().await.unwrap();
    let during: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(bulk.connection()).await.unwrap();
    assert_eq!(during, -65_536, "64 MiB while a batch is written");
    bulk.release().await;
    assert_eq!(cache(db).await, usual, "the pool's only connection has its usual cache again");
}

async fn old_sync_runs_and_expired_sessions_are_forgotten(backend: Backend) {
    let (_database, db) = TestDatabase::fresh(backend).await;
    let pool = db.pool();
    let now = server::db::now_ms();
    let day = 86_400_000;
    let run = |kind: &'static str, days_ago: i64, error: Option<&'static str>| async move {
        let id = leases::run_started(pool, kind, "replica-1").await.unwrap();
        leases::run_finished(pool, &id, (0, 0, 0), error).await.unwrap();
        let at = now - days_ago * day;
        sqlx::query("UPDATE sync_runs SET started_at_ms = $2, finished_at_ms = $3 WHERE id = $1")
            .bind(&id)
            .bind(at)
            .bind(at + 1_000)
            .execute(pool)
            .await
            .unwrap();
        id
    };
    run("pending", 40, None).await;
    run("pending", 35, Some("STACKIT answered 503")).await;
    let recent = run("pending", 1, None).await;
    // The only successful full sync is old: it is kept (and what came after it).
    let last_full = run("full", 40, None).await;
    let failed_after = run("full", 39, Some("timed out")).await;
    use server::db::operators::open_session;
    open_session(pool, "expired", "operator", "someone", now - 1).await.unwrap();
    open_session(pool, "live", "customer", "someone", now + day).await.unwrap();

    assert_eq!(server::jobs::schedule::tidy(&db, now).await.unwrap(), 3);
    let ids = |kind| async move {
        leases::runs(pool, kind).await.unwrap().into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(ids("pending").await, vec![recent]);
    assert_eq!(ids("full").await, vec![last_full.clone(), failed_after]);
    assert_eq!(leases::last_success(pool, "full").await.unwrap().map(|(at, _)| at), Some(now - 40 * day));
    let sessions: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(pool).await.unwrap();
    assert_eq!(sessions, vec!["live".to_string()]);
    assert_eq!(server::jobs::schedule::tidy(&db, now).await.unwrap(), 0, "nothing more to forget");
}

on_both_databases!(
    old_sync_runs_and_expired_sessions_are_forgotten,
    migrations_apply_and_the_database_reports_ready,
    an_order_round_trips_with_every_field,
    a_sync_upsert_updates_stackit_fields_and_keeps_ours,
    the_schema_refuses_states_it_does_not_know,
    events_are_kept_in_order_and_commit_with_their_change,
    a_job_is_claimed_by_exactly_one_of_many_workers,
    a_failing_job_is_retried_then_dead_and_an_expired_lease_is_taken_over,
);

#[test]
fn database_names_are_replaced_in_postgres_urls() {
    assert_eq!(with_database_name("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
    assert_eq!(
        with_database_name("postgres://u@h:5/postgres?sslmode=disable", "t1"),
        "postgres://u@h:5/t1?sslmode=disable"
    );
    assert_eq!(with_database_name("postgres://u@h:5", "t1"), "postgres://u@h:5/t1");
}
