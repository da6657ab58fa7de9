//! Helpers for the Vendor API client against the simulator: a simulator, a client of it (with
//! the service-account key flow), spec conformance of what passed between them, and an order.

use std::sync::Arc;
use std::time::Duration;

use super::openapi::Spec;
use server::marketplace::auth::{Authenticator, Credentials, ServiceAccountKey};
use server::marketplace::client::{ClientSettings, RetryPolicy, VendorClient};
use server::marketplace::simulator::{Simulator, SimulatorHandle, SimulatorSettings};

pub async fn simulator(seeded: usize) -> SimulatorHandle {
    let settings = SimulatorSettings { seed_subscriptions: seeded, ..SimulatorSettings::for_tests() };
    Simulator::build(settings).await.expect("a simulator").spawn()
}

pub fn client_with(
    sim: &SimulatorHandle,
    credentials: Credentials,
    project: &str,
    timeout: Duration,
) -> VendorClient {
    let http = reqwest::Client::new();
    let auth = Arc::new(Authenticator::new(credentials, http.clone()));
    let settings = ClientSettings {
        base_url: sim.base_url().to_string(),
        vendor_project_id: project.to_string(),
        timeout,
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
    };
    VendorClient::new(settings, auth, http)
}

pub fn key_credentials(sim: &SimulatorHandle) -> Credentials {
    let key =
        ServiceAccountKey::from_json(&sim.service_account_key_json()).expect("the simulator's key file");
    let token_endpoint = key.credentials.token_endpoint.clone().expect("the key names its token endpoint");
    Credentials::ServiceAccount { key, token_endpoint }
}

pub fn client(sim: &SimulatorHandle) -> VendorClient {
    client_with(sim, key_credentials(sim), &sim.vendor_project_id(), Duration::from_secs(5))
}

/// Every request the client sent and every answer the simulator gave conform to the spec.
pub fn assert_conforms(sim: &SimulatorHandle) {
    let exchanges = sim.take_exchanges();
    assert!(!exchanges.is_empty(), "nothing was recorded");
    let violations = Spec::load().violations(&exchanges);
    assert!(violations.is_empty(), "spec violations:\n{}", violations.join("\n"));
}

/// Orders `product` for a new customer project through the consumer API; returns (project, id).
pub async fn order(sim: &SimulatorHandle, product: &str, sku: &str) -> (String, String) {
    let project = uuid::Uuid::new_v4().to_string();
    let response = reqwest::Client::new()
        .post(format!("{}/v1/consumers/projects/{project}/subscriptions", sim.base_url()))
        .bearer_auth(sim.consumer_token(&project))
        .json(&serde_json::json!({ "productId": product, "sku": sku, "consumerNotificationEmail": "it@customer.example" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    (project, body["subscriptionId"].as_str().unwrap().to_string())
}
