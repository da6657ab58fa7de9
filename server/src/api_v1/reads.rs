//! Reading through the API: the inbox as a list, one order with everything its page shows.

use app::i18n::Locale;
use app::model::{InboxQuery, Role};
use axum::extract::rejection::PathRejection;
use axum::extract::{Extension, Path, RawQuery};
use axum::http::HeaderMap;
use axum::response::Response;

use super::schema::{ListParams, Order, OrderList, OrderSummary};
use super::{Api, answer, caller};

/// The inbox's orders, 50 a page, filtered and sorted as asked; `next` is the cursor of the
/// following page (pass it as `after`).
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(ListParams),
    security(("token" = [])),
    responses((status = 200, description = "A page of orders", body = OrderList), super::openapi::ReadFailures))]
pub(super) async fn list_orders(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let result = async {
        let by = caller(&api, &headers, Role::Viewer).await?;
        let pairs = app::url::query_pairs(raw.as_deref().unwrap_or(""));
        let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let query = InboxQuery::from_params(get);
        api.ports.orders.inbox(&query, &by).await
    }
    .await;
    answer(result.map(|page| OrderList {
        orders: page.rows.into_iter().map(OrderSummary::from).collect(),
        next: page.next,
    }))
}

/// One order: STACKIT's fields, the contact e-mail and its source, the checklist (each step with
/// its stable key), notes, assignee, timeline and where a decision stands.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = String, Path, description = "The order's subscription ID")),
    security(("token" = [])),
    responses((status = 200, description = "The order", body = Order), super::openapi::ReadFailures))]
pub(super) async fn get_order(
    Extension(api): Extension<Api>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let result = async {
        caller(&api, &headers, Role::Viewer).await?;
        let id = super::writes::path(id)?;
        api.ports.orders.order(&id, Locale::En).await
    }
    .await;
    answer(result.map(Order::from))
}
