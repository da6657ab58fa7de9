//! Writing through the API, with an operator token: each change answers with the order as it is
//! after it. A write sent with an `Idempotency-Key` (1 to 255 visible ASCII characters) is done
//! once: the key is claimed before the change and the answer kept with it, so a retry with the
//! same key and body gets the first answer (`Idempotent-Replayed: true`), one still being answered
//! 409, and the key reused for another request 422. Keys are per token and kept for at least a
//! day. Answers of our own faults (5xx) are not kept, so a retry does the write anew.

use std::future::Future;

use app::error::AppError;
use app::i18n::Locale;
use app::model::{LifecycleState, Operator, Role};
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Extension, Path};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::schema::{
    Approval, AssigneeChange, ContactChange, NewNote, Order, Rejection, StepChange, SyncReport,
};
use super::{Api, answer, caller, problem};
use crate::db::idempotency::{self, Stored};

/// The header a client names a write by, to send it again safely.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// A path's parameters, or the problem of a path that is not one (not UTF-8, say).
pub(super) fn path<T>(extracted: Result<Path<T>, PathRejection>) -> Result<T, AppError> {
    extracted
        .map(|Path(value)| value)
        .map_err(|rejection| AppError::BadRequest { message: rejection.body_text() })
}

/// The JSON body as `T`; an empty body is `empty` when the write takes one.
fn body<T: DeserializeOwned>(bytes: &Bytes, empty: Option<fn() -> T>) -> Result<T, AppError> {
    if let (true, Some(empty)) = (bytes.iter().all(u8::is_ascii_whitespace), empty) {
        return Ok(empty());
    }
    serde_json::from_slice(bytes).map_err(|error| AppError::BadRequest {
        message: format!("The body is not the expected JSON: {error}"),
    })
}

/// The request's `Idempotency-Key`, if it sent a well-formed one.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else { return Ok(None) };
    let key = value
        .to_str()
        .ok()
        .filter(|key| (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()));
    key.map(|key| Some(key.to_string())).ok_or_else(|| AppError::BadRequest {
        message: "An Idempotency-Key is 1 to 255 visible ASCII characters.".to_string(),
    })
}

/// Idempotency keys one token may hold at once (they are forgotten after a day): a script that
/// sends a new key with every write, 7 a minute all day, stays below it.
const MAX_KEYS_HELD: i64 = 10_000;

/// The largest body a write takes: every body of this API is a few small fields.
const BODY_LIMIT: usize = 64 * 1024;

/// One write by an operator token: `act` does it with the parsed body, under the request's
/// idempotency key if it has one. The token is checked before the body is read, and the write
/// runs to its end in a task of its own, so that neither a timeout nor a client that hangs up
/// leaves a key claimed without its answer.
async fn write<B, T, F, Fut>(
    api: Api,
    headers: HeaderMap,
    uri: &Uri,
    raw: Body,
    empty: Option<fn() -> B>,
    act: F,
) -> Response
where
    B: DeserializeOwned + Send + 'static,
    T: Serialize + Send + 'static,
    F: FnOnce(Api, Operator, B) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let started = async {
        let by = caller(&api, &headers, Role::Operator).await.map_err(|e| problem(&e))?;
        let key = idempotency_key(&headers).map_err(|e| problem(&e))?;
        let bytes = axum::body::to_bytes(raw, BODY_LIMIT).await.map_err(|_| {
            super::problem_with(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The body is larger than this API takes (64 KiB).",
            )
        })?;
        Ok::<_, Response>((by, key, bytes))
    };
    let (by, key, bytes) = match started.await {
        Ok(started) => started,
        Err(refused) => return refused,
    };
    let hash =
        hex::encode(Sha256::new().chain_update(uri.path()).chain_update([0]).chain_update(&bytes).finalize());
    let pool = api.db.pool().clone();
    if let Some(key) = &key {
        match idempotency::claim(&pool, &by.id, key, &hash, crate::db::now_ms()).await {
            Err(error) => return problem(&error.into()),
            // Each kept answer is an order: a token holds a bounded number of keys at a time (a
            // retry of a key it holds is still answered).
            Ok(Stored::Claimed) => match idempotency::held(&pool, &by.id).await {
                Ok(held) if held > MAX_KEYS_HELD => {
                    let released = idempotency::release(&pool, &by.id, key).await;
                    let error = released
                        .map_or(AppError::Unavailable, |()| AppError::RateLimited { retry_after_secs: 3600 });
                    return problem(&error);
                }
                Ok(_) => {}
                Err(error) => return problem(&error.into()),
            },
            Ok(Stored::Answered { request_hash, status, body }) if request_hash == hash => {
                return replayed(status, body);
            }
            Ok(Stored::Answered { .. }) => return problem(&reused()),
            Ok(Stored::InFlight { request_hash }) if request_hash == hash => {
                return problem(&AppError::conflict(
                    "A request with this Idempotency-Key is still being answered; ask again in a moment.",
                ));
            }
            Ok(Stored::InFlight { .. }) => return problem(&reused()),
        }
    }
    let task = tokio::spawn(async move {
        let result = match body(&bytes, empty) {
            Ok(value) => act(api.clone(), by.clone(), value).await,
            Err(error) => Err(error),
        };
        let response = answer(result);
        let Some(key) = key else { return response };
        keep(&pool, &by.id, &key, response).await
    });
    task.await.unwrap_or_else(|error| {
        tracing::error!("an API write ended abnormally: {error}");
        problem(&AppError::Internal)
    })
}

/// Keeps `response` as the answer to `key` (or gives the key back after a fault of ours, so
/// that a retry does the write anew), and returns it.
async fn keep(pool: &sqlx::AnyPool, token: &str, key: &str, response: Response) -> Response {
    let status = response.status();
    let kept = if status.is_server_error() {
        idempotency::release(pool, token, key).await.map(|()| response)
    } else {
        let (parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return problem(&AppError::Internal);
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        idempotency::answer(pool, token, key, status.as_u16(), &text)
            .await
            .map(|()| Response::from_parts(parts, Body::from(bytes)))
    };
    kept.unwrap_or_else(|error| {
        tracing::warn!("an idempotency key could not be kept: {error}");
        problem(&AppError::Unavailable)
    })
}

fn reused() -> AppError {
    AppError::invalid("Idempotency-Key", "This Idempotency-Key was sent with another request; use a new key.")
}

/// The first answer to a request sent again with its key.
fn replayed(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() { "application/json" } else { "application/problem+json" };
    let mut response = super::json_response(status, body, content_type);
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// The order after a change.
async fn order_now(api: &Api, id: &str) -> Result<Order, AppError> {
    Ok(api.ports.orders.order(id, Locale::En).await?.into())
}

/// Ticks a step (`{"done": true}`) or takes the tick back (`false`); the step by its ID or by
/// its stable key (`provision`).
#[utoipa::path(post, path = "/api/v1/orders/{id}/steps/{step}", tag = "orders",
    params(("id" = String, Path, description = "The order's subscription ID"),
           ("step" = String, Path, description = "The step's ID or key, e.g. `provision`"),
           super::openapi::IdempotencyKey),
    request_body = StepChange, security(("token" = [])),
    responses((status = 200, description = "The order after the change", body = Order), super::openapi::WriteFailures))]
pub(super) async fn set_step(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    uri: Uri,
    params: Result<Path<(String, String)>, PathRejection>,
    raw: Body,
) -> Response {
    let (id, step) = match path(params) {
        Ok(params) => params,
        Err(error) => return problem(&error),
    };
    write(api, headers, &uri, raw, None, |api, by, change: StepChange| async move {
        let order = api.ports.orders.order(&id, Locale::En).await?;
        let found =
            order.steps.iter().find(|s| s.id == step).or_else(|| order.steps.iter().find(|s| s.key == step));
        let step_id = found.map(|s| s.id.clone()).ok_or(AppError::NotFound)?;
        api.ports.orders.set_step(&id, &step_id, change.done, &by).await?;
        order_now(&api, &id).await
    })
    .await
}

/// The order's one-path writes share their shape: the order ID, then `act` on the order.
macro_rules! order_write {
    ($(#[$doc:meta])* $name:ident, $route:literal, $body:ty, $empty:expr, |$api:ident, $by:ident, $id:ident, $value:ident| $act:block) => {
        $(#[$doc])*
        #[utoipa::path(post, path = $route, tag = "orders",
            params(("id" = String, Path, description = "The order's subscription ID"), super::openapi::IdempotencyKey),
            request_body = $body, security(("token" = [])),
            responses((status = 200, description = "The order after the change", body = Order), super::openapi::WriteFailures))]
        pub(super) async fn $name(
            Extension(api): Extension<Api>,
            headers: HeaderMap,
            uri: Uri,
            params: Result<Path<String>, PathRejection>,
            raw: Body,
        ) -> Response {
            let $id = match path(params) {
                Ok(id) => id,
                Err(error) => return problem(&error),
            };
            write(api, headers, &uri, raw, $empty, |$api, $by, $value: $body| async move {
                #[allow(clippy::redundant_locals)]
                let () = $act;
                order_now(&$api, &$id).await
            })
            .await
        }
    };
}

order_write!(
    /// Adds an internal note (plain text).
    add_note, "/api/v1/orders/{id}/notes", NewNote, None, |api, by, id, note| {
        api.ports.orders.add_note(&id, &note.body, &by).await?;
    }
);

order_write!(
    /// Sets the customer's contact e-mail.
    set_contact, "/api/v1/orders/{id}/contact", ContactChange, None, |api, by, id, contact| {
        api.ports.orders.set_contact_email(&id, &contact.email, &by).await?;
    }
);

order_write!(
    /// Assigns the order to an operator (by ID), or to nobody (`null`).
    assign, "/api/v1/orders/{id}/assignee", AssigneeChange, None, |api, by, id, to| {
        let assignee = to.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty());
        api.ports.orders.assign(&id, assignee, &by).await?;
    }
);

order_write!(
    /// Approves the order at STACKIT, with the instance's address if given (the body may be
    /// empty). Exactly once at STACKIT however often it is sent: a retry answers with the order.
    approve, "/api/v1/orders/{id}/approve", Approval, Some(Approval::default), |api, by, id, approval| {
        let target = app::api::orders::instance_target(approval.instance_url.as_deref())?;
        match api.ports.orders.approve(&id, target, &by).await {
            // Sent again (a retry after a timeout): the approval under way or done is the answer.
            Err(refused @ AppError::Conflict { .. }) => {
                let order = api.ports.orders.order(&id, Locale::En).await?;
                let approving = order.decision.as_ref().is_some_and(|d| d.approve)
                    || order.row.state == LifecycleState::Active;
                if !approving {
                    return Err(refused);
                }
            }
            other => other?,
        }
    }
);

order_write!(
    /// Rejects the order at STACKIT (preview products only), saying why.
    reject, "/api/v1/orders/{id}/reject", Rejection, None, |api, by, id, rejection| {
        if rejection.reason.trim().is_empty() {
            return Err(AppError::invalid("reason", "Say why the order is rejected."));
        }
        api.ports.orders.reject(&id, rejection.reason.trim(), &by).await?;
    }
);

/// Reads every subscription from STACKIT now (as the scheduled sync does), and says what it found.
#[utoipa::path(post, path = "/api/v1/sync", tag = "sync", params(super::openapi::IdempotencyKey),
    security(("token" = [])),
    responses((status = 200, description = "What the sync found", body = SyncReport), super::openapi::WriteFailures))]
pub(super) async fn sync(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    uri: Uri,
    raw: Body,
) -> Response {
    write(
        api,
        headers,
        &uri,
        raw,
        Some(|| serde_json::Value::Null),
        |api, _by, _body: serde_json::Value| async move {
            // One sync through the API at a time in this process: a second waits for none.
            let Ok(_running) = api.syncing.clone().try_lock_owned() else {
                return Err(AppError::conflict(
                    "A sync asked for through the API is running; ask again when it is done.",
                ));
            };
            let (new, changed, unchanged) = api.ports.orders.sync_now().await?;
            Ok(SyncReport { new, changed, unchanged })
        },
    )
    .await
}
