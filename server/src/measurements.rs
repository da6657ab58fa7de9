//! What the process measures as it runs (HTTP requests, sync runs, Vendor API calls, job runner
//! rounds), recorded from every layer into counters and histograms; `metrics` renders them for
//! Prometheus. It sits below everything so that the database, STACKIT and job code can record
//! without knowing the web edge.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use crate::clock::now_ms;

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

/// When the job runner last finished a job or a round (milliseconds since the epoch; 0: never).
static WORKER_TICK_MS: AtomicI64 = AtomicI64::new(0);

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

pub fn labels(pairs: &[(&str, &str)]) -> String {
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

/// The job runner finished a job or a round.
pub fn worker_round() {
    WORKER_TICK_MS.store(now_ms(), Ordering::Relaxed);
}

/// Seconds since the job runner last finished a job or a round; None before the first.
pub fn worker_idle_secs() -> Option<f64> {
    let at = WORKER_TICK_MS.load(Ordering::Relaxed);
    (at > 0).then(|| (now_ms() - at) as f64 / 1000.0)
}

/// Writes what this process recorded (requests, sync times, counters) in Prometheus' text format.
pub fn render_recorded(out: &mut String) {
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
            entry.took.render(out, "orderdesk_http_request_duration_seconds", &[("route", route)]);
        }
    }
    if let Ok(times) = SYNC_TIMES.lock() {
        for (kind, took) in times.iter() {
            took.render(out, "orderdesk_sync_duration_seconds", &[("kind", kind)]);
        }
    }
    if let Ok(counters) = COUNTERS.lock() {
        for ((name, labels), value) in &counters.values {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    }
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
