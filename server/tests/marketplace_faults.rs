//! The Vendor API client when STACKIT misbehaves: rejected and expiring tokens, server errors,
//! rate limits, dropped connections, slow and malformed answers, and approvals never retried blind.

use std::time::Duration;

use app::model::LifecycleState;
use secrecy::SecretString;
use server::marketplace::auth::Credentials;
use server::marketplace::client::ListFilter;
use server::marketplace::error::VendorApiError;
use server::marketplace::simulator::{Fault, FaultKind, Simulator, SimulatorSettings};

use crate::support::marketplace::{assert_conforms, client, client_with, key_credentials, order, simulator};
use crate::support::orders::LIVE;

#[tokio::test]
async fn a_rejected_token_leads_to_one_reauthentication() {
    let sim = simulator(5).await;
    let client = client(&sim);
    assert!(!client.list_all(&ListFilter::default()).await.unwrap().is_empty());
    sim.revoke_tokens();
    assert!(client.list_all(&ListFilter::default()).await.is_ok(), "a new assertion after the 401");

    let static_token = Credentials::StaticToken(SecretString::from(sim.consumer_token("x")));
    let fixed = client_with(&sim, static_token, &sim.vendor_project_id(), Duration::from_secs(5));
    assert_eq!(
        fixed.list_all(&ListFilter::default()).await.unwrap_err().status(),
        Some(403),
        "a consumer's token"
    );
    sim.revoke_tokens();
    assert_eq!(
        fixed.list_all(&ListFilter::default()).await.unwrap_err().status(),
        Some(401),
        "no loop on 401"
    );
    assert_conforms(&sim);
}

#[tokio::test]
async fn the_bearer_is_cached_and_renewed_with_the_refresh_token_before_it_expires() {
    // Tokens living 302 s are renewed 300 s before expiry: after two seconds, a refresh is due.
    let settings =
        SimulatorSettings { access_token_secs: 302, seed_subscriptions: 3, ..SimulatorSettings::for_tests() };
    let sim = Simulator::build(settings).await.unwrap().spawn();
    let client = client(&sim);
    client.list_all(&ListFilter::default()).await.unwrap();
    client.list_all(&ListFilter::default()).await.unwrap();
    assert_eq!(sim.token_grants(), (1, 0), "one assertion, then the cached bearer");
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    client.list_all(&ListFilter::default()).await.unwrap();
    assert_eq!(sim.token_grants(), (1, 1), "renewed with the refresh token, no new assertion");
    assert_conforms(&sim);
}

#[tokio::test]
async fn safe_calls_survive_server_errors_rate_limits_and_dropped_connections() {
    let sim = simulator(20).await;
    let client = client(&sim);
    for kind in [
        FaultKind::Status { status: 500 },
        FaultKind::Status { status: 503 },
        FaultKind::Status { status: 429 },
        FaultKind::Drop,
    ] {
        sim.inject(Fault::next(kind.clone(), 3));
        let listed = client.list_all(&ListFilter { include_expired: true, ..ListFilter::default() }).await;
        assert_eq!(listed.map(|l| l.len()).ok(), Some(20), "{kind:?}");
    }
    sim.inject(Fault::next(FaultKind::Status { status: 500 }, 4));
    let exhausted = client.list_all(&ListFilter::default()).await.unwrap_err();
    assert_eq!(exhausted.status(), Some(500), "gives up after max_attempts");
    assert_conforms(&sim);
}

#[tokio::test]
async fn slow_and_malformed_answers_are_clear_errors() {
    let sim = simulator(2).await;
    let slow = client_with(&sim, key_credentials(&sim), &sim.vendor_project_id(), Duration::from_millis(300));
    sim.inject(Fault::next(FaultKind::Latency { millis: 1_000 }, 4));
    assert!(matches!(slow.list_all(&ListFilter::default()).await, Err(VendorApiError::Timeout { .. })));
    sim.clear_faults();
    sim.inject(Fault::next(FaultKind::Latency { millis: 50 }, 1));
    assert!(slow.list_all(&ListFilter::default()).await.is_ok(), "latency under the timeout is fine");
    sim.inject(Fault::next(FaultKind::Malformed, 1));
    assert!(matches!(slow.list_all(&ListFilter::default()).await, Err(VendorApiError::Decode { .. })));
    sim.inject(Fault {
        fraction: Some(1.0),
        count: None,
        ..Fault::next(FaultKind::Status { status: 502 }, 0)
    });
    assert_eq!(slow.list_all(&ListFilter::default()).await.unwrap_err().status(), Some(502));
    sim.clear_faults();
    assert!(slow.list_all(&ListFilter::default()).await.is_ok());
    assert_conforms(&sim);
}

#[tokio::test]
async fn approve_is_never_retried_blindly() {
    let sim = simulator(0).await;
    let client = client(&sim);
    let (_, refused) = order(&sim, LIVE.0, LIVE.1).await;
    sim.inject(Fault::next(FaultKind::Status { status: 503 }, 1));
    assert_eq!(client.approve(&refused, None).await.unwrap_err().status(), Some(503));
    assert_eq!(sim.state().get(&refused).unwrap().approve_calls, 0, "the refused call never arrived");
    assert_eq!(client.get(&refused, false).await.unwrap().state(), LifecycleState::Pending);

    let (_, lost) = order(&sim, LIVE.0, LIVE.1).await;
    sim.inject(Fault::next(FaultKind::Drop, 1));
    let error = client.approve(&lost, None).await.unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert_eq!(sim.state().get(&lost).unwrap().approve_calls, 1, "sent once, not retried");
    assert_eq!(client.get(&lost, false).await.unwrap().state(), LifecycleState::Active, "it did happen");
    assert_conforms(&sim);
}
