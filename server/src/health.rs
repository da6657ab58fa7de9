//! `/healthz` (the process is alive) and `/readyz` (it can serve: database reachable, migrations applied).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::db::Database;

/// How long the job runner may go without finishing a job or a round before the process counts
/// as unhealthy (leases are shorter than this).
const WORKER_STALLED_SECS: f64 = 300.0;

/// Alive: 200 while the process answers and its job runner keeps going (or has not started yet);
/// 503 when the runner has been stuck for five minutes, so an orchestrator restarts it.
pub async fn healthz() -> (StatusCode, Json<Value>) {
    liveness(crate::measurements::worker_idle_secs())
}

/// The answer of `/healthz` for a job runner that last finished a job or a round `idle` seconds
/// ago.
fn liveness(idle: Option<f64>) -> (StatusCode, Json<Value>) {
    match idle {
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
pub async fn readyz(State(db): State<Database>) -> (StatusCode, Json<Value>) {
    if db.is_ready().await {
        (StatusCode::OK, Json(json!({ "status": "ready", "database": "ok" })))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "not ready", "database": "unavailable" })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stuck_job_runner_makes_the_process_unhealthy() {
        let (status, Json(body)) = liveness(None);
        assert_eq!((status, body["worker"].as_str()), (StatusCode::OK, Some("starting")));
        let (status, Json(body)) = liveness(Some(2.5));
        assert_eq!((status, body["worker"].as_str()), (StatusCode::OK, Some("running")));
        let (status, Json(body)) = liveness(Some(WORKER_STALLED_SECS));
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, Json(body)) = liveness(Some(WORKER_STALLED_SECS + 1.0));
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!((body["status"].as_str(), body["worker"].as_str()), (Some("unhealthy"), Some("stalled")));
    }
}
