//! `/metrics` in Prometheus' text format: counters kept in the process (HTTP requests, sync runs,
//! Vendor API calls, job runner ticks) plus gauges read from the database at scrape time (orders
//! by state, jobs by state and age), which are the same on every replica.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode, header};
use secrecy::ExposeSecret as _;

use crate::db::{Database, now_ms};
use crate::startup::AppState;

/// A metric's name and its labels, rendered (`name{a="b"}`), in a stable order.
type Series = (&'static str, String);

#[derive(Default)]
struct Counters {
    values: BTreeMap<Series, f64>,
}

static COUNTERS: LazyLock<Mutex<Counters>> = LazyLock::new(Mutex::default);

/// A Prometheus histogram: how many observations fell at or below each bound (kept per bucket,
/// summed up when rendered), their count and their sum.
#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    /// One slot per bound, and the last for what is above every bound.
    buckets: Vec<u64>,
    count: u64,
    sum: f64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Histogram { bounds, buckets: vec![0; bounds.len() + 1], count: 0, sum: 0.0 }
    }

    fn observe(&mut self, value: f64) {
        let slot = self.bounds.iter().position(|bound| value <= *bound).unwrap_or(self.bounds.len());
        self.buckets[slot] += 1;
        self.count += 1;
        self.sum += value;
    }

    /// `name_bucket{…,le="…"}` lines (cumulative, ending with `+Inf`), `name_sum` and
    /// `name_count`; `pairs` are the series' own labels.
    fn render(&self, out: &mut String, name: &str, pairs: &[(&str, &str)]) {
        let mut below = 0;
        for (slot, in_slot) in self.buckets.iter().enumerate() {
            below += in_slot;
            let le = self.bounds.get(slot).map_or_else(|| "+Inf".to_string(), f64::to_string);
            let mut with_le = pairs.to_vec();
            with_le.push(("le", &le));
            let _ = writeln!(out, "{name}_bucket{} {below}", labels(&with_le));
        }
        let series = labels(pairs);
        let _ = writeln!(out, "{name}_sum{series} {}\n{name}_count{series} {}", self.sum, self.count);
    }
}

/// Upper bounds of the request-time buckets, in seconds.
const REQUEST_BOUNDS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Upper bounds of the sync-time buckets, in seconds.
const SYNC_BOUNDS: &[f64] = &[1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0];

/// One route's requests: counts by status and the time they took.
struct Route {
    by_status: HashMap<u16, u64>,
    took: Histogram,
}

/// Requests by route. Kept apart from the other counters so that counting a request allocates
/// nothing once its route and status have been seen.
static REQUESTS: LazyLock<Mutex<HashMap<String, Route>>> = LazyLock::new(Mutex::default);

/// Time taken by scheduled sync runs, by kind.
static SYNC_TIMES: LazyLock<Mutex<BTreeMap<String, Histogram>>> = LazyLock::new(Mutex::default);

/// When the job runner last finished a round (milliseconds since the epoch; 0: never).
static WORKER_TICK_MS: AtomicI64 = AtomicI64::new(0);

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

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
    format!("{{{}}}", inner.join(","))
}

fn add(name: &'static str, pairs: &[(&str, &str)], by: f64) {
    if let Ok(mut counters) = COUNTERS.lock() {
        *counters.values.entry((name, labels(pairs))).or_default() += by;
    }
}

/// An answered HTTP request.
pub fn http_request(route: &str, status: u16, latency: Duration) {
    let Ok(mut requests) = REQUESTS.lock() else { return };
    let entry = match requests.get_mut(route) {
        Some(entry) => entry,
        None => requests
            .entry(route.to_string())
            .or_insert_with(|| Route { by_status: HashMap::new(), took: Histogram::new(REQUEST_BOUNDS) }),
    };
    *entry.by_status.entry(status).or_default() += 1;
    entry.took.observe(latency.as_secs_f64());
}

/// A finished scheduled sync run.
pub fn sync_finished(kind: &str, ok: bool, took: Duration) {
    let outcome = if ok { "ok" } else { "error" };
    add("orderdesk_sync_runs_total", &[("kind", kind), ("outcome", outcome)], 1.0);
    if let Ok(mut times) = SYNC_TIMES.lock() {
        times
            .entry(kind.to_string())
            .or_insert_with(|| Histogram::new(SYNC_BOUNDS))
            .observe(took.as_secs_f64());
    }
}

/// One HTTP exchange with the Vendor API (each retry counts).
pub fn vendor_call(endpoint: &str, outcome: &str) {
    add("orderdesk_vendor_api_calls_total", &[("endpoint", endpoint), ("outcome", outcome)], 1.0);
}

/// The job runner finished a round.
pub fn worker_round() {
    WORKER_TICK_MS.store(now_ms(), Ordering::Relaxed);
}

/// Seconds since the job runner's last round; None before its first.
pub fn worker_idle_secs() -> Option<f64> {
    let at = WORKER_TICK_MS.load(Ordering::Relaxed);
    (at > 0).then(|| (now_ms() - at) as f64 / 1000.0)
}

/// Renders every metric.
pub async fn render(db: &Database) -> sqlx::Result<String> {
    let pool = db.pool();
    let orders: Vec<(String, i64)> =
        sqlx::query_as("SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state ORDER BY 1")
            .fetch_all(pool)
            .await?;
    let jobs: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state ORDER BY 1, 2")
            .fetch_all(pool)
            .await?;
    let oldest: Option<i64> =
        sqlx::query_scalar("SELECT MIN(run_at_ms) FROM jobs WHERE state IN ('queued', 'running')")
            .fetch_one(pool)
            .await?;
    let mut out = String::new();
    for (name, kind, help) in HELP {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }
    if let Ok(requests) = REQUESTS.lock() {
        let mut routes: Vec<_> = requests.iter().collect();
        routes.sort_by(|a, b| a.0.cmp(b.0));
        for (route, entry) in routes {
            let mut statuses: Vec<_> = entry.by_status.iter().collect();
            statuses.sort_by_key(|(status, _)| **status);
            for (status, count) in statuses {
                let status = status.to_string();
                let series = labels(&[("route", route), ("status", &status)]);
                let _ = writeln!(out, "orderdesk_http_requests_total{series} {count}");
            }
            entry.took.render(&mut out, "orderdesk_http_request_duration_seconds", &[("route", route)]);
        }
    }
    if let Ok(times) = SYNC_TIMES.lock() {
        for (kind, took) in times.iter() {
            took.render(&mut out, "orderdesk_sync_duration_seconds", &[("kind", kind)]);
        }
    }
    if let Ok(counters) = COUNTERS.lock() {
        for ((name, labels), value) in &counters.values {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    }
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
pub async fn endpoint(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let expected = format!("Bearer {}", token.expose_secret());
        if !crate::security::constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return (StatusCode::UNAUTHORIZED, "a bearer token is required for /metrics\n").into_response();
        }
    }
    match render(&state.db).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_each_observation_in_every_bucket_at_or_above_it() {
        let mut histogram = Histogram::new(&[0.1, 1.0]);
        for value in [0.05, 0.1, 0.5, 3.0] {
            histogram.observe(value);
        }
        let mut out = String::new();
        histogram.render(&mut out, "t_seconds", &[("route", "/x")]);
        assert_eq!(
            out,
            "t_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n\
             t_seconds_bucket{route=\"/x\",le=\"1\"} 3\n\
             t_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n\
             t_seconds_sum{route=\"/x\"} 3.65\n\
             t_seconds_count{route=\"/x\"} 4\n"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(labels(&[("route", "/a\"b\\c")]), r#"{route="/a\"b\\c"}"#);
    }
}
