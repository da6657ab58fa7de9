//! `/healthz` (the process is alive) and `/readyz` (it can serve: database reachable, migrations applied).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::startup::AppState;

/// How long the job runner may go without finishing a round before the process counts as
/// unhealthy (a round waits for its slowest job; leases are shorter than this).
const WORKER_STALLED_SECS: f64 = 300.0;

/// Alive: 200 while the process answers and its job runner keeps going (or has not started yet);
/// 503 when the runner has been stuck for five minutes, so an orchestrator restarts it.
pub async fn healthz() -> (StatusCode, Json<Value>) {
    match crate::metrics::worker_idle_secs() {
        Some(idle) if idle > WORKER_STALLED_SECS => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unhealthy", "worker": "stalled", "worker_idle_secs": idle })),
        ),
        Some(idle) => {
            (StatusCode::OK, Json(json!({ "status": "ok", "worker": "running", "worker_idle_secs": idle })))
        }
        None => (StatusCode::OK, Json(json!({ "status": "ok", "worker": "starting" }))),
    }
}

/// Ready: 200 when the database answers and is fully migrated, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if state.db.is_ready().await {
        (StatusCode::OK, Json(json!({ "status": "ready", "database": "ok" })))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "not ready", "database": "unavailable" })))
    }
}
