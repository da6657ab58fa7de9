//! Fault injection: error statuses, latency, malformed bodies and dropped connections, for the
//! next N matching calls or a fraction of them. Malformed and dropped answers come *after* the
//! call took effect (the approval happened, the answer was lost), which is the case that
//! exactly-once delivery must survive; an injected status means the call never arrived.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use rand::Rng as _;
use serde::Deserialize;

use super::{Shared, error_body};

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FaultKind {
    /// Answer with this status (and an `ErrorResponse`) without handling the call.
    Status { status: u16 },
    /// Wait this long, then handle the call normally.
    Latency { millis: u64 },
    /// Handle the call, then answer 200 with a body that is not JSON.
    Malformed,
    /// Handle the call, then break the connection instead of answering.
    Drop,
}

/// A fault and which calls it hits.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Hit the next `count` matching calls (then the fault is gone)...
    #[serde(default)]
    pub count: Option<u32>,
    /// ...or this fraction of matching calls, for as long as the fault is in place.
    #[serde(default)]
    pub fraction: Option<f64>,
    /// Only calls whose path starts with this (default: every Vendor API call).
    #[serde(default = "vendor_paths")]
    pub path_prefix: String,
    /// Only calls with this method (default: any).
    #[serde(default)]
    pub method: Option<String>,
    /// Let this many matching calls through before the fault starts (default: none).
    #[serde(default)]
    pub after: u32,
}

fn vendor_paths() -> String {
    "/v1/vendors/".into()
}

impl Fault {
    /// A fault for the next `count` Vendor API calls.
    pub fn next(kind: FaultKind, count: u32) -> Self {
        Fault {
            kind,
            count: Some(count),
            fraction: None,
            path_prefix: vendor_paths(),
            method: None,
            after: 0,
        }
    }

    /// Lets `calls` matching calls through before the fault starts.
    pub fn after(mut self, calls: u32) -> Self {
        self.after = calls;
        self
    }

    /// Narrows the fault to paths starting with `prefix`.
    pub fn on_paths(mut self, prefix: &str) -> Self {
        self.path_prefix = prefix.to_string();
        self
    }
}

/// Picks the fault (if any) for a call, counting down `count` faults.
fn pick(shared: &Shared, method: &str, path: &str) -> Option<FaultKind> {
    let mut faults = shared.faults();
    let mut chosen = None;
    for fault in faults.iter_mut() {
        let matches = path.starts_with(&fault.path_prefix)
            && fault.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        if !matches {
            continue;
        }
        if fault.after > 0 {
            fault.after -= 1;
            continue;
        }
        if let Some(count) = fault.count.as_mut() {
            if *count > 0 {
                *count -= 1;
                chosen = Some(fault.kind.clone());
                break;
            }
        } else if let Some(fraction) = fault.fraction
            && rand::rng().random_bool(fraction.clamp(0.0, 1.0))
        {
            chosen = Some(fault.kind.clone());
            break;
        }
    }
    faults.retain(|f| f.count != Some(0));
    chosen
}

/// Marks a response as injected, so conformance checks can tell it from the simulator's own.
#[derive(Clone, Copy)]
pub struct Injected;

pub async fn inject(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let Some(kind) = pick(&shared, request.method().as_str(), &path) else {
        return next.run(request).await;
    };
    tracing::debug!(?kind, %path, "injecting a fault");
    let mut response = match kind {
        FaultKind::Status { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = error_body(status, "injected fault", &path);
            if status == StatusCode::TOO_MANY_REQUESTS {
                response.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("0"));
            }
            response
        }
        FaultKind::Latency { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(request).await
        }
        FaultKind::Malformed => {
            let _ = next.run(request).await;
            (
                StatusCode::OK,
                [(http::header::CONTENT_TYPE, "application/json")],
                "{\"items\": [ this is not json",
            )
                .into_response()
        }
        FaultKind::Drop => {
            let _ = next.run(request).await;
            let broken = futures::stream::once(async {
                Err::<bytes::Bytes, std::io::Error>(std::io::Error::other(
                    "connection dropped by the simulator",
                ))
            });
            Response::new(Body::from_stream(broken))
        }
    };
    response.extensions_mut().insert(Injected);
    response
}
