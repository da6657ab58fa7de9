//! Helpers for the tests of orders over time: waiting for the background work, faults at
//! STACKIT, and short reads of the database.

use std::time::{Duration, Instant};

use server::db::orders;
use server::marketplace::simulator::{Fault, FaultKind};

use super::TestApp;

/// A product and plan the simulator sells (live).
pub const LIVE: (&str, &str) = ("datavault-1a2b3c4d", "dv-starter-5e6f7a8b");
/// A preview product of the seeded catalogue: its orders may be rejected.
pub const PREVIEW: (&str, &str) = ("insight-0a1b2c3d", "in-trial-4d5e6f7a");

/// Waits (at most `limit`) until `check` holds; panics with `what` when it does not.
pub async fn eventually<F, Fut>(limit: Duration, what: &str, mut check: F)
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

pub fn post_fault(kind: FaultKind, count: u32) -> Fault {
    Fault { method: Some("POST".into()), ..Fault::next(kind, count) }
}

pub fn get_fault(kind: FaultKind, count: u32) -> Fault {
    Fault { method: Some("GET".into()), ..Fault::next(kind, count) }
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(app.db.pool()).await.unwrap()
}

pub async fn state_of(app: &TestApp, id: &str) -> String {
    orders::get(app.db.pool(), id).await.unwrap().unwrap().lifecycle_state
}

pub async fn approve(app: &TestApp, operator: &reqwest::Client, id: &str) -> u16 {
    app.call(operator, "/api/approve_order", &[("subscription_id", id)]).await.status().as_u16()
}

/// Waits until the application's own full sync at start has finished (`TestApp` does, for every
/// application connected to a simulator).
pub async fn startup_sync_done(app: &TestApp) {
    eventually(Duration::from_secs(30), "the sync at start has finished", || async {
        count(app, "SELECT COUNT(*) FROM sync_runs WHERE kind = 'full' AND finished_at_ms IS NOT NULL").await
            > 0
    })
    .await;
}
