//! `/metrics` in Prometheus' text format: what the process measured ([`crate::measurements`]:
//! HTTP requests, sync runs, Vendor API calls, job runner ticks) plus gauges read from the
//! database at scrape time (orders by state, jobs by state and age), the same on every replica.

use std::fmt::Write as _;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use secrecy::ExposeSecret as _;

use crate::db::{Database, gauges, now_ms};

use crate::measurements::{http_request, labels, render_recorded, worker_idle_secs};

const HELP: &[(&str, &str, &str)] = &[
    ("orderdesk_http_requests_total", "counter", "HTTP requests answered, by route and status."),
    ("orderdesk_http_request_duration_seconds", "histogram", "Time taken to answer HTTP requests, by route."),
    ("orderdesk_sync_runs_total", "counter", "Scheduled sync runs, by kind (full, pending) and outcome."),
    ("orderdesk_sync_duration_seconds", "histogram", "Time taken by scheduled sync runs, by kind."),
    (
        "orderdesk_vendor_api_calls_total",
        "counter",
        "Calls to STACKIT's Vendor API, by endpoint and outcome.",
    ),
    ("orderdesk_orders", "gauge", "Orders by STACKIT state."),
    ("orderdesk_jobs", "gauge", "Background jobs by kind and state."),
    (
        "orderdesk_jobs_oldest_age_seconds",
        "gauge",
        "Age of the oldest job waiting to run (queued or running).",
    ),
    (
        "orderdesk_worker_last_round_age_seconds",
        "gauge",
        "Seconds since this process's job runner last finished a round.",
    ),
];

/// Renders every metric.
pub async fn render(db: &Database) -> crate::db::Result<String> {
    let pool = db.pool();
    let orders = gauges::orders_by_state(pool).await?;
    let jobs = gauges::jobs_by_kind_and_state(pool).await?;
    let oldest = gauges::oldest_waiting_job(pool).await?;
    let mut out = String::new();
    for (name, kind, help) in HELP {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }
    render_recorded(&mut out);
    for (state, count) in orders {
        let _ = writeln!(out, "orderdesk_orders{} {count}", labels(&[("state", &state)]));
    }
    for (kind, state, count) in jobs {
        let _ = writeln!(out, "orderdesk_jobs{} {count}", labels(&[("kind", &kind), ("state", &state)]));
    }
    let age = oldest.map_or(0.0, |at| ((now_ms() - at).max(0)) as f64 / 1000.0);
    let _ = writeln!(out, "orderdesk_jobs_oldest_age_seconds {age}");
    if let Some(idle) = worker_idle_secs() {
        let _ = writeln!(out, "orderdesk_worker_last_round_age_seconds {idle}");
    }
    Ok(out)
}

/// `GET /metrics`. With `ORDERDESK_METRICS_TOKEN` set, only for `Authorization: Bearer <token>`.
/// The bearer token `/metrics` wants (`ORDERDESK_METRICS_TOKEN`), if any.
#[derive(Clone)]
pub struct MetricsToken(pub Option<secrecy::SecretString>);

pub async fn endpoint(
    State(db): State<Database>,
    State(MetricsToken(token)): State<MetricsToken>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = &token {
        let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let expected = format!("Bearer {}", token.expose_secret());
        if !crate::security::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return (StatusCode::UNAUTHORIZED, "a bearer token is required for /metrics\n").into_response();
        }
    }
    match render(&db).await {
        Ok(text) => {
            ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "rendering metrics");
            (StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable\n").into_response()
        }
    }
}

/// Middleware: counts every answered request by its matched route (not its path, so the number
/// of series stays bounded) and status.
pub async fn track(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let route = request.extensions().get::<axum::extract::MatchedPath>().cloned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("(fallback)", axum::extract::MatchedPath::as_str);
    http_request(route, response.status().as_u16(), started.elapsed());
    response
}
