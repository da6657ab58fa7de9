//! The automation API, `/api/v1` (apart from the console's server functions under `/api/`): a
//! vendor's own systems read the inbox and its orders, and an operator token ticks steps, notes,
//! sets the contact, assigns, approves, rejects and syncs, with a token (`Authorization: Bearer
//! odk_…`, see `accounts::api_tokens`), as JSON in the shapes of [`schema`], described by the
//! OpenAPI document at `/api/v1/openapi.json` ([`openapi`]). A change answers with the order as
//! it is after it and is recorded under the token's name; a write sent with an `Idempotency-Key`
//! is done once however often it is sent ([`writes`]). Each token has a rate limit ([`rate`]).
//! Every failure is one shape, RFC 9457 problem details with the console's error codes: no token
//! or a bad one 401, a viewer token that writes 403, an unknown order 404, a malformed body 400, a
//! refused value 422, too many requests 429.

pub mod openapi;
mod rate;
mod reads;
pub mod schema;
mod writes;

use app::api::ports::Ports;
use app::error::AppError;
use app::model::{Operator, Role};
use axum::Router;
use axum::extract::Extension;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde::Serialize;

use crate::db::Database;
pub use rate::RateLimit;

/// What the API needs: the database (for tokens and idempotency keys), the console's ports and
/// the tokens' rate limit.
#[derive(Clone)]
pub struct Api {
    db: Database,
    ports: Ports,
    limit: RateLimit,
    /// Held while a sync asked for through the API runs.
    syncing: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// The API's routes, to be merged into the server's router; `per_minute` requests per token.
pub fn routes<S: Clone + Send + Sync + 'static>(db: Database, ports: Ports, per_minute: u32) -> Router<S> {
    let wrong_method = || async {
        problem_with(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This path does not take that method.",
        )
    };
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::served).fallback(wrong_method))
        .route("/api/v1/orders", get(reads::list_orders).fallback(wrong_method))
        .route("/api/v1/orders/{id}", get(reads::get_order).fallback(wrong_method))
        .route("/api/v1/orders/{id}/steps/{step}", post(writes::set_step).fallback(wrong_method))
        .route("/api/v1/orders/{id}/notes", post(writes::add_note).fallback(wrong_method))
        .route("/api/v1/orders/{id}/contact", post(writes::set_contact).fallback(wrong_method))
        .route("/api/v1/orders/{id}/assignee", post(writes::assign).fallback(wrong_method))
        .route("/api/v1/orders/{id}/approve", post(writes::approve).fallback(wrong_method))
        .route("/api/v1/orders/{id}/reject", post(writes::reject).fallback(wrong_method))
        .route("/api/v1/sync", post(writes::sync).fallback(wrong_method))
        // Anything else under the prefix is a problem too, not the console's HTML page.
        .route("/api/v1", any(|| async { problem(&AppError::NotFound) }))
        .route("/api/v1/{*rest}", any(|| async { problem(&AppError::NotFound) }))
        .layer(Extension(Api {
            db,
            ports,
            limit: RateLimit::per_minute(per_minute),
            syncing: Default::default(),
        }))
}

/// Middleware around the whole server: an error answered under `/api/v1` by a layer in front of
/// the API (the body limit's 413, the timeout's 408, the NUL and cross-site refusals) is turned
/// into a problem too, so that a client reads one shape whatever refused it.
pub async fn as_problems(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let under_api = request.uri().path() == "/api/v1" || request.uri().path().starts_with("/api/v1/");
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"application/problem+json"));
    if !under_api
        || is_problem
        || !(response.status().is_client_error() || response.status().is_server_error())
    {
        return response;
    }
    let status = response.status();
    let code = match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "unavailable",
        _ => "bad_request",
    };
    let detail = match status {
        StatusCode::REQUEST_TIMEOUT => "The request took too long.",
        StatusCode::PAYLOAD_TOO_LARGE => "The body is larger than this server accepts.",
        StatusCode::FORBIDDEN => "Cross-site writes are refused.",
        _ => "The request was refused before it reached the API.",
    };
    let (mut parts, _) = response.into_parts();
    let replaced = problem_with(status, code, detail);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in replaced.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    Response::from_parts(parts, replaced.into_body())
}

/// The token's identity, if it has at least `role` and budget left.
async fn caller(api: &Api, headers: &HeaderMap, role: Role) -> Result<Operator, AppError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token)
        .ok_or(AppError::Unauthorized)?;
    let caller = crate::accounts::api_tokens::authenticate(&api.db, presented.trim()).await?;
    api.limit.take(&caller.id)?;
    if caller.has(role) { Ok(caller) } else { Err(AppError::Forbidden) }
}

/// A success as JSON, never cached.
fn ok<T: Serialize>(value: &T) -> Response {
    json_response(StatusCode::OK, serde_json::to_string(value).unwrap_or_default(), "application/json")
}

fn json_response(status: StatusCode, body: String, content_type: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

fn answer<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => ok(&value),
        Err(error) => problem(&error),
    }
}

/// An error as RFC 9457 problem details (with `Retry-After` when it names a wait).
fn problem(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = problem_body(status, error.code(), &error.to_string(), field_of(error));
    if let Some(secs) = error.retry_after_secs() {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
    }
    response
}

fn field_of(error: &AppError) -> Option<String> {
    match error {
        AppError::Validation { field, .. } => Some(field.clone()),
        _ => None,
    }
}

fn problem_with(status: StatusCode, code: &str, detail: &str) -> Response {
    problem_body(status, code, detail, None)
}

fn problem_body(status: StatusCode, code: &str, detail: &str, field: Option<String>) -> Response {
    let body = schema::Problem {
        kind: "about:blank".to_string(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        code: code.to_string(),
        field,
    };
    let mut response =
        json_response(status, serde_json::to_string(&body).unwrap_or_default(), "application/problem+json");
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}
