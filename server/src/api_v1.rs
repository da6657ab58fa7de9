//! The automation API, `/api/v1` (apart from the console's server functions under `/api/`): a
//! vendor's own systems read the inbox and its orders with a token (`Authorization: Bearer
//! odk_…`, see `accounts::api_tokens`), as JSON. Every failure is one shape, RFC 9457 problem
//! details with the console's error codes: no token or a bad one 401, an unknown order 404, a
//! filter the inbox refuses 422.

use std::collections::HashMap;

use app::api::ports::Ports;
use app::error::AppError;
use app::i18n::Locale;
use app::model::{InboxQuery, InboxRow, Operator, OrderDetail, Role};
use axum::extract::{Extension, Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::db::Database;

/// What the API needs: the database (for tokens) and the console's ports.
#[derive(Clone)]
pub struct Api {
    db: Database,
    ports: Ports,
}

/// The API's routes, to be merged into the server's router.
pub fn routes<S: Clone + Send + Sync + 'static>(db: Database, ports: Ports) -> Router<S> {
    Router::new()
        .route("/api/v1/orders", get(list_orders))
        .route("/api/v1/orders/{id}", get(get_order))
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

/// The token's identity, if it has at least `role`.
async fn caller(api: &Api, headers: &HeaderMap, role: Role) -> Result<Operator, AppError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
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
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": error.to_string(),
        "code": error.code(),
    });
    let mut response =
        (status, [(header::CONTENT_TYPE, "application/problem+json")], body.to_string()).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    }
    response
}
