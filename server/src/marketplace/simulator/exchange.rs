//! Recording of every request and answer, so tests can check both against the official spec.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Shared;
use super::faults::Injected;

/// Largest body recorded.
const MAX_RECORDED: usize = 16 * 1024 * 1024;

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub content_type: Option<String>,
    pub request_body: Vec<u8>,
    pub status: u16,
    pub response_body: Vec<u8>,
    /// The answer was a fault the test asked for, not the simulator's own.
    pub injected: bool,
}

pub async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if shared.exchanges().is_none() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let request_body = to_bytes(body, MAX_RECORDED).await.unwrap_or_default();
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().map(str::to_string);
    let content_type =
        parts.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(Request::from_parts(parts, Body::from(request_body.clone()))).await;
    let injected = response.extensions().get::<Injected>().is_some();
    let (parts, body) = response.into_parts();
    let (response_body, body) = if injected {
        (Vec::new(), body)
    } else {
        let bytes = to_bytes(body, MAX_RECORDED).await.unwrap_or_default();
        (bytes.to_vec(), Body::from(bytes))
    };
    if let Some(exchanges) = shared.exchanges().as_mut() {
        exchanges.push(Exchange {
            method,
            path,
            query,
            content_type,
            request_body: request_body.to_vec(),
            status: parts.status.as_u16(),
            response_body,
            injected,
        });
    }
    Response::from_parts(parts, body)
}
