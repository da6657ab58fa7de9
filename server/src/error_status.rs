//! Server functions answer every error with 500 and the `AppError` in the body, unless the function
//! itself set a status; arguments that fail to decode never reach the function. This layer gives
//! each server-function error the status its `AppError` stands for (a malformed argument 400, a
//! rate limit 429) and the `Retry-After` it names, whichever path produced it.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, StatusCode};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Error bodies are a few hundred bytes; anything longer is passed on untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Middleware: corrects the status of server-function error responses and adds `Retry-After`.
pub async fn server_fn_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "reading a server function's error answer");
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            return Response::from_parts(parts, Body::empty());
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if parts.status == StatusCode::INTERNAL_SERVER_ERROR
            && let Ok(status) = StatusCode::from_u16(error.status())
        {
            parts.status = status;
        }
        if let Some(seconds) = error.retry_after_secs() {
            parts.headers.insert(http::header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
