//! The consumer API: the customer's side, which the simulator needs to play orders, cancellations
//! and the sign-up redirect. Any access token the simulator issued is accepted.

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
use super::vendor::{GetQuery, ListQuery, flag, list, organization_listing};
use super::{Caller, Shared, token};
use crate::marketplace::model::{CreateSubscriptionPayload, SubscriptionRedirect};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/consumers/projects/{project_id}/subscriptions", get(list_by_project).post(create))
        .route("/v1/consumers/organizations/{organization_id}/subscriptions", get(list_by_organization))
        .route(
            "/v1/consumers/projects/{project_id}/subscriptions/{subscription_id}",
            get(get_subscription).delete(cancel),
        )
        .route(
            "/v1/consumers/projects/{project_id}/subscriptions/{subscription_id}/terminate",
            post(terminate),
        )
        .route("/v1/consumers/projects/{project_id}/subscriptions/{subscription_id}/redirects", get(redirect))
}

fn of_project(shared: &Shared, project_id: &str, subscription_id: &str) -> Result<(), SimError> {
    match shared.state().get(subscription_id) {
        Some(s) if s.wire.project_id == project_id => Ok(()),
        _ => Err(SimError::not_found(format!("subscription {subscription_id} not found"))),
    }
}

async fn create(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path(project_id): Path<String>,
    body: Bytes,
) -> Result<Response, SimError> {
    let payload: CreateSubscriptionPayload = serde_json::from_slice(&body)
        .map_err(|_| SimError::bad_request("body must carry productId and sku"))?;
    let mut state = shared.state();
    let now = state.now_ms();
    let email = payload.consumer_notification_email.as_deref().filter(|e| !e.trim().is_empty());
    let created = state.create(&project_id, &payload.product_id, &payload.sku, email, now)?.clone();
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn list_by_project(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path(project_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, SimError> {
    let listing =
        Listing { project_id: Some(project_id), product_id: query.product_id.clone(), ..Listing::default() };
    list(&shared, listing, &query)
}

async fn list_by_organization(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path(organization_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, SimError> {
    list(&shared, organization_listing(organization_id, &query), &query)
}

async fn get_subscription(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
    Query(query): Query<GetQuery>,
) -> Result<Response, SimError> {
    let include_expired = flag(query.include_expired.as_deref(), "includeExpired")?;
    let mut state = shared.state();
    state.tick();
    match state.get(&subscription_id) {
        Some(s) if s.wire.project_id == project_id && (include_expired || !s.wire.state().is_expired()) => {
            Ok(Json(s.wire.clone()).into_response())
        }
        _ => Err(SimError::not_found(format!("subscription {subscription_id} not found"))),
    }
}

async fn cancel(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
) -> Result<Response, SimError> {
    of_project(&shared, &project_id, &subscription_id)?;
    shared.state().cancel(&subscription_id)?;
    Ok(StatusCode::ACCEPTED.into_response())
}

async fn terminate(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
) -> Result<Response, SimError> {
    of_project(&shared, &project_id, &subscription_id)?;
    shared.state().terminate(&subscription_id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RedirectQuery {
    redirect_target: Option<String>,
}

/// Where the portal sends the customer: the vendor's sign-up URL with a fresh token.
async fn redirect(
    State(shared): State<Arc<Shared>>,
    _caller: Caller,
    Path((project_id, subscription_id)): Path<(String, String)>,
    Query(query): Query<RedirectQuery>,
) -> Result<Response, SimError> {
    // The spec declares no 404 for redirects: a subscription outside the project is forbidden.
    of_project(&shared, &project_id, &subscription_id)
        .map_err(|e| SimError::new(StatusCode::FORBIDDEN, e.message))?;
    let token = token::mint_redirect_token(&shared, &subscription_id, 900);
    let signup = shared.signup_url();
    let separator = if signup.contains('?') { '&' } else { '?' };
    let redirect = SubscriptionRedirect {
        redirect_target: query.redirect_target.unwrap_or_else(|| "SIGNUP".to_string()),
        redirect_url: format!("{signup}{separator}x-stackit-marketplace-token={token}"),
    };
    Ok(Json(redirect).into_response())
}
