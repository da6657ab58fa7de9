//! The Vendor API client against the simulator over real HTTP: authentication, every call,
//! STACKIT's semantics, every fault kind, and conformance of both sides to the official spec.

use std::time::Duration;

use crate::support::openapi::Spec;
use app::model::LifecycleState;
use server::marketplace::client::ListFilter;
use server::marketplace::error::VendorApiError;
use server::marketplace::redirect_token::{RedirectTokenVerifier, VerifierSettings};

use crate::support::marketplace::{assert_conforms, client, client_with, key_credentials, order, simulator};
use crate::support::orders::{LIVE, PREVIEW};

#[tokio::test]
async fn the_key_flow_authenticates_and_listing_follows_every_page() {
    let sim = simulator(250).await;
    let client = client(&sim);
    let all = client.list_all(&ListFilter { include_expired: true, ..ListFilter::default() }).await.unwrap();
    assert_eq!(all.len(), 250);
    let unique: std::collections::HashSet<_> = all.iter().map(|s| &s.subscription_id).collect();
    assert_eq!(unique.len(), 250);
    let current = client.list_all(&ListFilter::default()).await.unwrap();
    let expired = all.iter().filter(|s| s.state().is_expired()).count();
    assert!(expired > 0);
    assert_eq!(current.len(), 250 - expired);
    let one_product = ListFilter { product_id: Some(PREVIEW.0.into()), include_expired: true };
    assert!(client.list_all(&one_product).await.unwrap().iter().all(|s| s.product.product_id == PREVIEW.0));
    let organization = &all[0].organization_id;
    let by_org = client
        .list_by_organization(organization, &ListFilter { include_expired: true, ..ListFilter::default() })
        .await
        .unwrap();
    assert!(by_org.iter().any(|s| s.subscription_id == all[0].subscription_id));
    assert_conforms(&sim);
}

#[tokio::test]
async fn a_redirect_token_resolves_to_its_subscription() {
    let sim = simulator(0).await;
    let (project, id) = order(&sim, LIVE.0, LIVE.1).await;
    let redirect: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v1/consumers/projects/{project}/subscriptions/{id}/redirects", sim.base_url()))
        .bearer_auth(sim.consumer_token(&project))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = redirect["redirectUrl"].as_str().unwrap();
    let token = url.split("x-stackit-marketplace-token=").nth(1).expect("the token in the sign-up URL");
    let verifier = RedirectTokenVerifier::new(
        VerifierSettings::new(&sim.keys_url(), &sim.keys_url()),
        reqwest::Client::new(),
    );
    let verified = verifier.verify(token).await.expect("the simulator's token verifies");

    let subscription = client(&sim).resolve_customer(&verified.token).await.unwrap();
    assert_eq!(
        (subscription.subscription_id.as_str(), subscription.project_id.as_str()),
        (id.as_str(), project.as_str())
    );
    assert_eq!(subscription.state(), LifecycleState::Pending);
    assert_eq!(subscription.consumer_notification_email.as_deref(), Some("it@customer.example"));
    let error = client(&sim).resolve_customer("not-a-token").await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_conforms(&sim);
}

#[tokio::test]
async fn approve_only_from_pending_and_reject_only_for_preview() {
    let sim = simulator(0).await;
    let client = client(&sim);
    let (_, live) = order(&sim, LIVE.0, LIVE.1).await;
    let (_, preview) = order(&sim, PREVIEW.0, PREVIEW.1).await;

    assert_eq!(
        client.reject(&live).await.unwrap_err().status(),
        Some(400),
        "a live product cannot be rejected"
    );
    client.approve(&live, Some("https://acme.datavault.example")).await.unwrap();
    let active = client.get(&live, false).await.unwrap();
    assert_eq!(active.state(), LifecycleState::Active);
    assert!(active.valid_from.is_some());
    let again = client.approve(&live, None).await.unwrap_err();
    assert!(matches!(&again, VendorApiError::Status { status: 400, body: Some(_), .. }), "{again}");

    client.reject(&preview).await.unwrap();
    assert_eq!(client.get(&preview, true).await.unwrap().state(), LifecycleState::Rejected);
    assert!(client.get(&preview, false).await.unwrap_err().is_not_visible(), "rejected is expired");
    assert!(client.get("00000000-0000-4000-8000-000000000000", true).await.unwrap_err().is_not_visible());
    assert_eq!(sim.state().get(&live).unwrap().approve_calls, 2);
    assert_eq!(
        sim.state().get(&live).unwrap().instance_target.as_deref(),
        Some("https://acme.datavault.example")
    );
    assert_conforms(&sim);
}

#[tokio::test]
async fn another_vendors_project_is_forbidden_and_no_token_is_unauthorized() {
    let sim = simulator(3).await;
    let stranger = client_with(
        &sim,
        key_credentials(&sim),
        "0d9c8b7a-6f5e-4d3c-2b1a-098765432100",
        Duration::from_secs(5),
    );
    assert_eq!(stranger.list_all(&ListFilter::default()).await.unwrap_err().status(), Some(403));
    let anonymous = reqwest::Client::new()
        .get(format!("{}/v1/vendors/projects/{}/subscriptions", sim.base_url(), sim.vendor_project_id()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert_eq!(body["status"], 401);
    assert!(body["timeStamp"].is_string() && body["path"].as_str().unwrap().starts_with("/v1/vendors/"));
    assert_conforms(&sim);
}

#[tokio::test]
async fn tokens_signed_after_a_key_rotation_verify_and_retired_keys_do_not() {
    let sim = simulator(0).await;
    let (_, id) = order(&sim, LIVE.0, LIVE.1).await;
    let mut settings = VerifierSettings::new(&sim.keys_url(), &sim.keys_url());
    settings.min_refetch_interval = Duration::ZERO;
    let verifier = RedirectTokenVerifier::new(settings, reqwest::Client::new());
    let before = sim.redirect_token(&id);
    verifier.verify(&before).await.unwrap();

    let rotated: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/simulator/keys/rotate", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let after = sim.redirect_token(&id);
    assert_eq!(verifier.verify(&after).await.unwrap().key_id, rotated["kid"].as_str().unwrap());
    assert!(verifier.verify(&before).await.is_ok(), "the old key is still published");

    sim.rotate_redirect_key(true).unwrap();
    let fresh = RedirectTokenVerifier::new(
        VerifierSettings::new(&sim.keys_url(), &sim.keys_url()),
        reqwest::Client::new(),
    );
    assert!(matches!(
        fresh.verify(&before).await,
        Err(server::marketplace::redirect_token::RedirectTokenError::UnknownKey(_))
    ));
    assert!(
        client(&sim).resolve_customer(&before).await.unwrap_err().status() == Some(400),
        "STACKIT refuses it too"
    );
}

#[tokio::test]
async fn the_lifecycle_follows_the_simulated_clock_and_the_customer() {
    let sim = simulator(0).await;
    let client = client(&sim);
    let http = reqwest::Client::new();
    let (_, waiting) = order(&sim, LIVE.0, LIVE.1).await;
    let (project, cancelled) = order(&sim, PREVIEW.0, PREVIEW.1).await;
    client.approve(&cancelled, None).await.unwrap();

    let advance = |seconds: i64| {
        http.post(format!("{}/simulator/clock", sim.base_url()))
            .json(&serde_json::json!({ "advanceSeconds": seconds }))
            .send()
    };
    advance(13 * 86_400).await.unwrap();
    assert_eq!(client.get(&waiting, false).await.unwrap().state(), LifecycleState::Pending);
    advance(86_400).await.unwrap();
    assert_eq!(client.get(&waiting, false).await.unwrap().state(), LifecycleState::ApprovalTimedOut);

    let suspend = http
        .post(format!("{}/simulator/subscriptions/{cancelled}/suspend", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(suspend.status(), 204);
    assert_eq!(client.get(&cancelled, false).await.unwrap().state(), LifecycleState::Inactive);
    http.post(format!("{}/simulator/subscriptions/{cancelled}/restore", sim.base_url()))
        .send()
        .await
        .unwrap();

    let consumer = sim.consumer_token(&project);
    let url = format!("{}/v1/consumers/projects/{project}/subscriptions/{cancelled}", sim.base_url());
    assert_eq!(http.delete(&url).bearer_auth(&consumer).send().await.unwrap().status(), 202);
    let cancelling = client.get(&cancelled, false).await.unwrap();
    assert_eq!(cancelling.state(), LifecycleState::Cancelling);
    assert!(cancelling.terminates_at.is_some());
    assert_eq!(http.delete(&url).bearer_auth(&consumer).send().await.unwrap().status(), 409);
    advance(30 * 86_400).await.unwrap();
    assert_eq!(client.get(&cancelled, true).await.unwrap().state(), LifecycleState::Cancelled);

    let second = http
        .post(format!("{}/v1/consumers/projects/{project}/subscriptions", sim.base_url()))
        .bearer_auth(&consumer)
        .json(&serde_json::json!({ "productId": PREVIEW.0, "sku": PREVIEW.1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 201, "a new order once the old one ended (a plan change)");
    let duplicate = http
        .post(format!("{}/v1/consumers/projects/{project}/subscriptions", sim.base_url()))
        .bearer_auth(&consumer)
        .json(&serde_json::json!({ "productId": PREVIEW.0, "sku": PREVIEW.1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 409, "one live order per product and project");
    assert_conforms(&sim);
}

#[test]
fn the_conformance_checker_catches_what_it_should() {
    use server::marketplace::simulator::Exchange;
    let spec = Spec::load();
    let subscription = serde_json::json!({
        "subscriptionId": "s", "organizationId": "o", "projectId": "p", "lifecycleState": "SUBSCRIPTION_ACTIVE",
        "orderedAt": "2026-01-01T00:00:00Z",
        "product": { "deliveryMethod": "SAAS", "lifecycleState": "PRODUCT_LIVE", "planId": "x", "priceType": "FREE",
            "pricingPlan": "x", "productId": "x", "productName": "x", "vendorName": "x", "vendorWebsiteUrl": "x",
            "validityPeriod": "x", "noticePeriod": "x", "rate": "x" }
    });
    let exchange = |method: &str,
                    path: &str,
                    query: Option<&str>,
                    request: &str,
                    status: u16,
                    response: &serde_json::Value| Exchange {
        method: method.into(),
        path: path.into(),
        query: query.map(str::to_string),
        content_type: (!request.is_empty()).then(|| "application/json".to_string()),
        request_body: request.as_bytes().to_vec(),
        status,
        response_body: if response.is_null() { Vec::new() } else { response.to_string().into_bytes() },
        injected: false,
    };
    let get = "/v1/vendors/projects/p/subscriptions/s";
    assert!(spec.check(&exchange("GET", get, Some("includeExpired=true"), "", 200, &subscription)).is_ok());

    let mut missing = subscription.clone();
    missing.as_object_mut().unwrap().remove("product");
    let mut bad_enum = subscription.clone();
    bad_enum["lifecycleState"] = serde_json::json!("SUBSCRIPTION_PAUSED");
    let mut bad_type = subscription.clone();
    bad_type["product"]["rate"] = serde_json::json!(9.9);
    let error = serde_json::json!({ "error": "Teapot", "message": "m", "path": get, "status": 418, "timeStamp": "2026-01-01T00:00:00Z" });
    let approve = "/v1/vendors/projects/p/subscriptions/s/approve";
    let reject = "/v1/vendors/projects/p/subscriptions/s/reject";
    let wrong = [
        exchange("GET", get, None, "", 200, &missing),
        exchange("GET", get, None, "", 200, &bad_enum),
        exchange("GET", get, None, "", 200, &bad_type),
        exchange("GET", get, None, "", 418, &error),
        exchange("GET", get, Some("includeDeleted=true"), "", 200, &subscription),
        exchange("GET", get, Some("includeExpired=yes"), "", 200, &subscription),
        exchange(
            "GET",
            "/v1/vendors/projects/p/subscriptions",
            Some("limit=ten"),
            "",
            200,
            &serde_json::json!({}),
        ),
        exchange("POST", approve, None, "", 204, &serde_json::Value::Null),
        exchange("POST", approve, None, "{\"instanceTarget\": 5}", 204, &serde_json::Value::Null),
        exchange("POST", reject, None, "{}", 204, &serde_json::Value::Null),
        exchange("POST", reject, None, "", 204, &subscription),
        exchange("GET", "/v1/vendors/unknown", None, "", 200, &subscription),
    ];
    for (i, case) in wrong.iter().enumerate() {
        assert!(spec.check(case).is_err(), "case {i} should be a violation: {} {}", case.method, case.path);
    }
}
