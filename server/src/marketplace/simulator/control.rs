//! Controls only a simulator has, under `/simulator/` (no authentication: the simulator is for
//! one machine): the clock, suspensions, products, seeding, fault injection, key rotation, and
//! consumer tokens for playing the customer.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use http::StatusCode;
use serde::Deserialize;

use super::faults::Fault;
use super::state::{Plan, Product, SimError, rfc3339};
use super::{Shared, seed, token};
use crate::marketplace::model::{PriceType, ProductState, is_product_id};

pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/simulator/clock", get(clock).post(advance_clock))
        .route("/simulator/subscriptions/{id}/suspend", post(suspend))
        .route("/simulator/subscriptions/{id}/restore", post(restore))
        .route("/simulator/subscriptions/{id}/stats", get(stats))
        .route("/simulator/products", get(products))
        .route("/simulator/products/{product_id}", put(put_product))
        .route("/simulator/seed", post(seed_subscriptions))
        .route("/simulator/faults", post(add_fault).delete(clear_faults))
        .route("/simulator/keys/rotate", post(rotate_keys))
        .route("/simulator/consumer-tokens", post(consumer_token))
        .route("/simulator/tokens/revoke", post(revoke_tokens))
}

fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, SimError> {
    serde_json::from_slice(bytes).map_err(|e| SimError::bad_request(format!("unreadable body: {e}")))
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    let now = shared.state().now_ms();
    Json(serde_json::json!({ "now": rfc3339(now) })).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Advance {
    advance_seconds: i64,
}

async fn advance_clock(
    State(shared): State<Arc<Shared>>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let advance: Advance = body(&bytes)?;
    if advance.advance_seconds < 0 {
        return Err(SimError::bad_request("the clock only moves forward"));
    }
    let mut state = shared.state();
    state.advance_clock(advance.advance_seconds);
    Ok(Json(serde_json::json!({ "now": rfc3339(state.now_ms()) })).into_response())
}

async fn suspend(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Response, SimError> {
    shared.state().set_suspended(&id, true)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn restore(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Response, SimError> {
    shared.state().set_suspended(&id, false)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn stats(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Result<Response, SimError> {
    let state = shared.state();
    let subscription =
        state.get(&id).ok_or_else(|| SimError::not_found(format!("subscription {id} not found")))?;
    Ok(Json(serde_json::json!({
        "lifecycleState": subscription.wire.lifecycle_state_raw,
        "approveCalls": subscription.approve_calls,
        "rejectCalls": subscription.reject_calls,
        "instanceTarget": subscription.instance_target,
    }))
    .into_response())
}

async fn products(State(shared): State<Arc<Shared>>) -> Response {
    let state = shared.state();
    let products: Vec<_> = state
        .products
        .iter()
        .map(|p| {
            serde_json::json!({
                "productId": p.product_id,
                "name": p.name,
                "lifecycleState": p.state,
                "approvalWindowSecs": p.approval_window_secs,
                "plans": p.plans.iter().map(|plan| serde_json::json!({
                    "planId": plan.plan_id, "vendorPlanId": plan.vendor_plan_id, "pricingPlan": plan.pricing_plan,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(products).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductBody {
    name: String,
    lifecycle_state: ProductState,
    approval_window_secs: i64,
    plans: Vec<PlanBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlanBody {
    plan_id: String,
    vendor_plan_id: String,
    pricing_plan: String,
    #[serde(default = "contract")]
    price_type: PriceType,
    #[serde(default)]
    rate: String,
}

fn contract() -> PriceType {
    PriceType::Contract
}

async fn put_product(
    State(shared): State<Arc<Shared>>,
    Path(product_id): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let product: ProductBody = body(&bytes)?;
    if !is_product_id(&product_id) || !product.plans.iter().all(|p| is_product_id(&p.plan_id)) {
        return Err(SimError::bad_request("product and plan IDs look like name-1a2b3c4d"));
    }
    let vendor_product_id =
        product_id.rsplit_once('-').map_or(product_id.clone(), |(name, _)| name.to_string());
    let plans = product
        .plans
        .into_iter()
        .map(|p| Plan {
            plan_id: p.plan_id,
            vendor_plan_id: p.vendor_plan_id,
            pricing_plan: p.pricing_plan,
            price_type: p.price_type,
            rate: p.rate,
            validity_period: "P1M".into(),
            notice_period: "2592000s".into(),
        })
        .collect();
    shared.state().upsert_product(Product {
        product_id,
        name: product.name,
        vendor_product_id,
        state: product.lifecycle_state,
        approval_window_secs: product.approval_window_secs,
        plans,
    })?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct SeedBody {
    count: usize,
    #[serde(default)]
    seed: u64,
}

async fn seed_subscriptions(
    State(shared): State<Arc<Shared>>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let request: SeedBody = body(&bytes)?;
    if request.count > 1_000_000 {
        return Err(SimError::bad_request("at most 1,000,000 subscriptions at a time"));
    }
    let mut state = shared.state();
    seed::seed_subscriptions(&mut state, request.count, request.seed);
    Ok(Json(serde_json::json!({ "subscriptions": state.subscriptions.len() })).into_response())
}

async fn add_fault(
    State(shared): State<Arc<Shared>>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let fault: Fault = body(&bytes)?;
    if fault.count.is_none() && fault.fraction.is_none() {
        return Err(SimError::bad_request("a fault needs count or fraction"));
    }
    shared.faults().push(fault);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults().clear();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RotateBody {
    #[serde(default)]
    retire_old: bool,
}

async fn rotate_keys(
    State(shared): State<Arc<Shared>>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let request: RotateBody = if bytes.is_empty() { RotateBody::default() } else { body(&bytes)? };
    let shared_for_keys = shared.clone();
    let kid =
        tokio::task::spawn_blocking(move || token::rotate_redirect_key(&shared_for_keys, request.retire_old))
            .await
            .map_err(|_| SimError::new(StatusCode::INTERNAL_SERVER_ERROR, "key generation failed"))?
            .map_err(|_| SimError::new(StatusCode::INTERNAL_SERVER_ERROR, "key generation failed"))?;
    Ok(Json(serde_json::json!({ "kid": kid })).into_response())
}

async fn revoke_tokens(State(shared): State<Arc<Shared>>) -> Response {
    shared.mint.revoke_all();
    StatusCode::NO_CONTENT.into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsumerTokenBody {
    project_id: String,
}

async fn consumer_token(
    State(shared): State<Arc<Shared>>,
    bytes: axum::body::Bytes,
) -> Result<Response, SimError> {
    let request: ConsumerTokenBody = body(&bytes)?;
    let token = shared.mint.issue(&request.project_id, "consumer", "access", 3_600);
    Ok(Json(serde_json::json!({ "accessToken": token })).into_response())
}
