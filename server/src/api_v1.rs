//! The automation API, `/api/v1` (apart from the console's server functions under `/api/`): a
//! vendor's own systems read the inbox and its orders, and an operator token ticks steps, notes,
//! sets the contact, assigns, approves and rejects, with a token (`Authorization: Bearer odk_…`,
//! see `accounts::api_tokens`), as JSON. A change answers with the order as it is after it and is
//! recorded under the token's name. Every failure is one shape, RFC 9457 problem details with the
//! console's error codes: no token or a bad one 401, a viewer token that writes 403, an unknown
//! order 404, a malformed body 400, a refused value 422.

use std::collections::HashMap;

use app::api::ports::Ports;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{InboxQuery, InboxRow, Operator, OrderDetail, Role};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::db::Database;

/// What the API needs: the database (for tokens) and the console's ports.
#[derive(Clone)]
pub struct Api {
    db: Database,
    ports: Ports,
}

/// The API's routes, to be merged into the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>(db: Database, ports: Ports) -> Router<S> {
    let wrong_method = || async {
        problem_with(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This path does not take that method.",
        )
    };
    Router::new()
        .route("/api/v1/orders", get(list_orders).fallback(wrong_method))
        .route("/api/v1/orders/{id}", get(get_order).fallback(wrong_method))
        .route("/api/v1/orders/{id}/steps/{step}", post(set_step).fallback(wrong_method))
        .route("/api/v1/orders/{id}/notes", post(add_note).fallback(wrong_method))
        .route("/api/v1/orders/{id}/contact", post(set_contact).fallback(wrong_method))
        .route("/api/v1/orders/{id}/assignee", post(assign).fallback(wrong_method))
        .route("/api/v1/orders/{id}/approve", post(approve).fallback(wrong_method))
        .route("/api/v1/orders/{id}/reject", post(reject).fallback(wrong_method))
        // Anything else under the prefix is a problem too, not the console's HTML page.
        .route("/api/v1", any(|| async { problem(&AppError::NotFound) }))
        .route("/api/v1/{*rest}", any(|| async { problem(&AppError::NotFound) }))
        .layer(Extension(Api { db, ports }))
}

/// One page of orders and the cursor of the next (`after`), if there is one.
#[derive(Debug, Serialize)]
struct OrderList {
    orders: Vec<InboxRow>,
    next: Option<String>,
}

/// `GET /api/v1/orders`: the inbox's filters as query parameters (`q`, `state`, `product`,
/// `overdue`, `due_soon`, `assigned`, `sort`, `after`), 50 orders a page in the inbox's order.
async fn list_orders(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let result = async {
        let caller = caller(&api, &headers, Role::Viewer).await?;
        let query = InboxQuery::from_params(|name| params.get(name).cloned());
        api.ports.orders.inbox(&query, &caller).await
    }
    .await;
    answer(result.map(|page| OrderList { orders: page.rows, next: page.next }))
}

/// `GET /api/v1/orders/{id}`: one order as its page shows it (STACKIT's fields, contact,
/// checklist, notes, timeline, decision).
async fn get_order(Extension(api): Extension<Api>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let result: Result<OrderDetail, AppError> = async {
        caller(&api, &headers, Role::Viewer).await?;
        api.ports.orders.order(&id, Locale::En).await
    }
    .await;
    answer(result)
}

/// `{"done": true}` ticks the step (by its ID), `false` takes the tick back.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepChange {
    done: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewNote {
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Contact {
    email: String,
}

/// `{"assignee": "<operator ID>"}`, or `null` for nobody.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Assignee {
    assignee: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Approval {
    #[serde(default)]
    instance_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rejection {
    reason: String,
}

/// A change by an operator token, then the order as it is after it.
async fn change<T, F, Fut>(
    api: Api,
    headers: HeaderMap,
    id: String,
    body: Result<Json<T>, JsonRejection>,
    act: F,
) -> Response
where
    F: FnOnce(Api, Operator, String, T) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let result = async {
        let by = caller(&api, &headers, Role::Operator).await?;
        let Json(body) = body.map_err(|rejection| AppError::BadRequest { message: rejection.body_text() })?;
        act(api.clone(), by, id.clone(), body).await?;
        api.ports.orders.order(&id, Locale::En).await
    }
    .await;
    answer(result)
}

/// `POST /api/v1/orders/{id}/steps/{step}` `{"done": true|false}`.
async fn set_step(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path((id, step)): Path<(String, String)>,
    body: Result<Json<StepChange>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, change: StepChange| async move {
        api.ports.orders.set_step(&id, &step, change.done, &by).await
    })
    .await
}

/// `POST /api/v1/orders/{id}/notes` `{"body": "…"}`.
async fn add_note(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<NewNote>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, note: NewNote| async move {
        api.ports.orders.add_note(&id, &note.body, &by).await
    })
    .await
}

/// `POST /api/v1/orders/{id}/contact` `{"email": "…"}`.
async fn set_contact(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Contact>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, contact: Contact| async move {
        api.ports.orders.set_contact_email(&id, &contact.email, &by).await
    })
    .await
}

/// `POST /api/v1/orders/{id}/assignee` `{"assignee": "<operator ID>" | null}`.
async fn assign(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Assignee>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, to: Assignee| async move {
        let assignee = to.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty());
        api.ports.orders.assign(&id, assignee, &by).await
    })
    .await
}

/// `POST /api/v1/orders/{id}/approve` `{"instance_url": "https://…"}` (optional): exactly once
/// at STACKIT however often it is sent.
async fn approve(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Approval>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, approval: Approval| async move {
        let target = app::api::orders::instance_target(approval.instance_url.as_deref())?;
        match api.ports.orders.approve(&id, target, &by).await {
            // Sent again (a retry after a timeout): the approval under way or done is the answer.
            Err(refused @ AppError::Conflict { .. }) => {
                let order = api.ports.orders.order(&id, Locale::En).await?;
                let approving = order.decision.as_ref().is_some_and(|d| d.approve)
                    || order.row.state == app::model::LifecycleState::Active;
                if approving { Ok(()) } else { Err(refused) }
            }
            other => other,
        }
    })
    .await
}

/// `POST /api/v1/orders/{id}/reject` `{"reason": "…"}` (preview products only).
async fn reject(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Rejection>, JsonRejection>,
) -> Response {
    change(api, headers, id, body, |api, by, id, rejection: Rejection| async move {
        if rejection.reason.trim().is_empty() {
            return Err(AppError::invalid("reason", "Say why the order is rejected."));
        }
        api.ports.orders.reject(&id, rejection.reason.trim(), &by).await
    })
    .await
}

/// The token's identity, if it has at least `role`.
async fn caller(api: &Api, headers: &HeaderMap, role: Role) -> Result<Operator, AppError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token)
        .ok_or(AppError::Unauthorized)?;
    let caller = crate::accounts::api_tokens::authenticate(&api.db, presented.trim()).await?;
    if caller.has(role) { Ok(caller) } else { Err(AppError::Forbidden) }
}

fn answer<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], Json(value)).into_response(),
        Err(error) => problem(&error),
    }
}

/// An error as RFC 9457 problem details.
fn problem(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    problem_with(status, error.code(), &error.to_string())
}

fn problem_with(status: StatusCode, code: &str, detail: &str) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "code": code,
    });
    let mut response =
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}
