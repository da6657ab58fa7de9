//! The Vendor API, V1–V6: bearer required (401), only the vendor's own project (403).

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http::StatusCode;
use serde::Deserialize;

use super::state::{Listing, SimError};
use super::{Caller, Shared, token};
use crate::marketplace::model::{
    ApproveSubscriptionPayload, ListSubscriptionsResponse, ResolveCustomerPayload,
};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/vendors/projects/{project_id}/resolve-customer", post(resolve_customer))
        .route("/v1/vendors/projects/{project_id}/subscriptions", get(list_by_project))
        .route("/v1/vendors/organizations/{organization_id}/subscriptions", get(list_by_organization))
        .route("/v1/vendors/projects/{project_id}/subscriptions/{subscription_id}", get(get_subscription))
        .route("/v1/vendors/projects/{project_id}/subscriptions/{subscription_id}/approve", post(approve))
        .route("/v1/vendors/projects/{project_id}/subscriptions/{subscription_id}/reject", post(reject))
}

/// Query of the listings (V2, V3).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    pub cursor: Option<String>,
    pub limit: Option<String>,
    pub product_id: Option<String>,
    pub include_expired: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetQuery {
    pub include_expired: Option<String>,
}

/// Page size: default 50, at most 100 (larger is clamped), at least 1.
pub fn page_limit(raw: Option<&str>) -> Result<usize, SimError> {
    match raw {
        None => Ok(50),
        Some(text) => match text.parse::<i64>() {
            Ok(limit) if limit >= 1 => Ok(usize::try_from(limit.min(100)).unwrap_or(100)),
            _ => Err(SimError::bad_request("limit must be a positive integer")),
        },
    }
}

/// `true`/`false`, default false.
pub fn flag(raw: Option<&str>, name: &str) -> Result<bool, SimError> {
    match raw {
        None => Ok(false),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(SimError::bad_request(format!("{name} must be true or false"))),
    }
}

fn vendor(caller: &Caller, shared: &Shared, project_id: &str) -> Result<(), SimError> {
    if caller.role != "vendor" {
        return Err(SimError::new(
            StatusCode::FORBIDDEN,
            "only the vendor's service account may call the vendor API",
        ));
    }
    if shared.state().vendor_project_id != project_id {
        return Err(SimError::new(
            StatusCode::FORBIDDEN,
            format!("project {project_id} is not your vendor project"),
        ));
    }
    Ok(())
}

async fn resolve_customer(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Result<Response, SimError> {
    vendor(&caller, &shared, &project_id)?;
    let payload: ResolveCustomerPayload = serde_json::from_slice(&body)
        .map_err(|_| SimError::bad_request("body must be {\"token\": \"...\"}"))?;
    let subscription_id = token::check_redirect_token(&shared, &payload.token)?;
    let mut state = shared.state();
    state.tick();
    let subscription =
        state.get(&subscription_id).ok_or_else(|| SimError::not_found("subscription not found"))?;
    Ok(Json(subscription.wire.clone()).into_response())
}

/// A page of a listing (vendor and consumer listings alike).
pub fn list(shared: &Shared, listing: Listing, query: &ListQuery) -> Result<Response, SimError> {
    let limit = page_limit(query.limit.as_deref())?;
    let listing =
        Listing { include_expired: flag(query.include_expired.as_deref(), "includeExpired")?, ..listing };
    let (items, cursor) = shared.state().page(&listing, query.cursor.as_deref(), limit)?;
    let limit = i32::try_from(limit).unwrap_or(100);
    Ok(Json(ListSubscriptionsResponse { cursor, items, limit: Some(limit) }).into_response())
}

async fn list_by_project(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(project_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, SimError> {
    vendor(&caller, &shared, &project_id)?;
    list(&shared, Listing { product_id: query.product_id.clone(), ..Listing::default() }, &query)
}

async fn list_by_organization(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(organization_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, SimError> {
    if caller.role != "vendor" {
        return Err(SimError::new(
            StatusCode::FORBIDDEN,
            "only the vendor's service account may call the vendor API",
        ));
    }
    list(&shared, organization_listing(organization_id, &query), &query)
}

/// The listing of one customer organisation's subscriptions (vendor and consumer alike).
pub fn organization_listing(organization_id: String, query: &ListQuery) -> Listing {
    Listing {
        organization_id: Some(organization_id),
        product_id: query.product_id.clone(),
        ..Listing::default()
    }
}

async fn get_subscription(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
    Query(query): Query<GetQuery>,
) -> Result<Response, SimError> {
    vendor(&caller, &shared, &project_id)?;
    let include_expired = flag(query.include_expired.as_deref(), "includeExpired")?;
    let mut state = shared.state();
    state.tick();
    match state.get(&subscription_id) {
        Some(s) if include_expired || !s.wire.state().is_expired() => {
            Ok(Json(s.wire.clone()).into_response())
        }
        // The spec declares no 404 for this call (README's table does): 403 is what it allows.
        _ => Err(SimError::new(
            StatusCode::FORBIDDEN,
            format!("subscription {subscription_id} is not visible in project {project_id}"),
        )),
    }
}

/// STACKIT's reference code sends no body, the newest spec requires one: both are accepted.
async fn approve(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, SimError> {
    vendor(&caller, &shared, &project_id)?;
    let payload: ApproveSubscriptionPayload = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveSubscriptionPayload::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|_| SimError::bad_request("body must be {} or {\"instanceTarget\": \"...\"}"))?
    };
    shared.state().approve(&subscription_id, payload.instance_target)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn reject(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
) -> Result<Response, SimError> {
    vendor(&caller, &shared, &project_id)?;
    shared.state().reject(&subscription_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
