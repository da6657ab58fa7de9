//! Attacks on the redirect token's verification, against a key server on port 0.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

use super::*;
use crate::marketplace::simulator::keys::RsaPair;

const ISSUER: &str = "https://keys.example/v1/resolve-customer/keys.json";

/// A key server on port 0 whose key map the test can change, counting its hits.
struct KeyServer {
    url: String,
    keys: Arc<Mutex<BTreeMap<String, String>>>,
    hits: Arc<AtomicUsize>,
}

type KeyState = (Arc<Mutex<BTreeMap<String, String>>>, Arc<AtomicUsize>);

async fn key_server(initial: &[(&str, &RsaPair)]) -> KeyServer {
    let keys = Arc::new(Mutex::new(
        initial.iter().map(|(kid, pair)| (kid.to_string(), pair.public_pem.clone())).collect(),
    ));
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route(
            "/keys.json",
            get(|State((keys, hits)): State<KeyState>| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                axum::Json(keys.lock().unwrap().clone())
            }),
        )
        .with_state((keys.clone(), hits.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/keys.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    KeyServer { url, keys, hits }
}

fn verifier(url: &str) -> RedirectTokenVerifier {
    let mut settings = VerifierSettings::new(url, ISSUER);
    settings.min_refetch_interval = Duration::ZERO;
    RedirectTokenVerifier::new(settings, reqwest::Client::new())
}

fn sign(pair: &RsaPair, kid: &str, claims: serde_json::Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_string());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()).unwrap())
        .unwrap()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn claims() -> serde_json::Value {
    json!({ "iss": ISSUER, "sub": "9f1c7e2a-43b5-4d8e-a1f0-2b3c4d5e6f70", "iat": now(), "exp": now() + 600 })
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

static PAIRS: std::sync::OnceLock<(RsaPair, RsaPair)> = std::sync::OnceLock::new();
fn pairs() -> &'static (RsaPair, RsaPair) {
    PAIRS.get_or_init(|| (RsaPair::generate().unwrap(), RsaPair::generate().unwrap()))
}

#[tokio::test]
async fn a_valid_token_is_accepted() {
    let (pair, _) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let token = sign(pair, "k1", claims());
    let verified = verifier(&server.url).verify(&token).await.unwrap();
    assert_eq!(verified.key_id, "k1");
    assert_eq!(verified.token, token);
}

#[tokio::test]
async fn expired_and_not_yet_valid_tokens_are_refused() {
    let (pair, _) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let verifier = verifier(&server.url);
    let expired = sign(pair, "k1", json!({ "iss": ISSUER, "exp": now() - 120 }));
    assert_eq!(verifier.verify(&expired).await, Err(RedirectTokenError::Expired));
    let early = sign(pair, "k1", json!({ "iss": ISSUER, "exp": now() + 600, "nbf": now() + 300 }));
    assert_eq!(verifier.verify(&early).await, Err(RedirectTokenError::NotYetValid));
    let within_leeway = sign(pair, "k1", json!({ "iss": ISSUER, "exp": now() - 5 }));
    assert!(verifier.verify(&within_leeway).await.is_ok(), "a few seconds of clock skew are tolerated");
}

#[tokio::test]
async fn a_token_from_another_issuer_is_refused() {
    let (pair, _) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let token = sign(pair, "k1", json!({ "iss": "https://evil.example/keys.json", "exp": now() + 600 }));
    assert_eq!(verifier(&server.url).verify(&token).await, Err(RedirectTokenError::WrongIssuer));
}

#[tokio::test]
async fn alg_none_and_hs256_with_the_public_key_are_refused() {
    let (pair, _) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let verifier = verifier(&server.url);
    let none = format!("{}.{}.", b64(&json!({ "alg": "none", "kid": "k1" })), b64(&claims()));
    assert_eq!(verifier.verify(&none).await, Err(RedirectTokenError::UnsupportedAlgorithm("none".into())));
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("k1".into());
    let confused =
        jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(pair.public_pem.as_bytes()))
            .unwrap();
    assert_eq!(
        verifier.verify(&confused).await,
        Err(RedirectTokenError::UnsupportedAlgorithm("HS256".into()))
    );
}

#[tokio::test]
async fn an_unknown_kid_is_refetched_once_and_then_refused() {
    let (pair, other) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let mut settings = VerifierSettings::new(&server.url, ISSUER);
    settings.min_refetch_interval = Duration::from_secs(3600);
    let verifier = RedirectTokenVerifier::new(settings, reqwest::Client::new());
    assert!(verifier.verify(&sign(pair, "k1", claims())).await.is_ok());
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    let stranger = sign(other, "k9", claims());
    assert_eq!(verifier.verify(&stranger).await, Err(RedirectTokenError::UnknownKey("k9".into())));
    assert_eq!(verifier.verify(&stranger).await, Err(RedirectTokenError::UnknownKey("k9".into())));
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "refetching is rate limited");
}

#[tokio::test]
async fn a_kid_that_appears_after_a_key_rotation_is_found() {
    let (pair, rotated) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let verifier = verifier(&server.url);
    assert!(verifier.verify(&sign(pair, "k1", claims())).await.is_ok());
    server.keys.lock().unwrap().insert("k2".into(), rotated.public_pem.clone());
    assert!(verifier.verify(&sign(rotated, "k2", claims())).await.is_ok());
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
    server.keys.lock().unwrap().clear();
    let mut cold = VerifierSettings::new(&server.url, ISSUER);
    cold.min_refetch_interval = Duration::ZERO;
    let after_retirement = RedirectTokenVerifier::new(cold, reqwest::Client::new());
    assert_eq!(
        after_retirement.verify(&sign(pair, "k1", claims())).await,
        Err(RedirectTokenError::UnknownKey("k1".into()))
    );
}

#[tokio::test]
async fn tampered_payloads_and_signatures_are_refused() {
    let (pair, other) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let verifier = verifier(&server.url);
    let token = sign(pair, "k1", claims());
    let parts: Vec<&str> = token.split('.').collect();
    let mut tampered_claims = claims();
    tampered_claims["sub"] = json!("00000000-0000-4000-8000-000000000000");
    let tampered_payload = format!("{}.{}.{}", parts[0], b64(&tampered_claims), parts[2]);
    assert_eq!(verifier.verify(&tampered_payload).await, Err(RedirectTokenError::InvalidSignature));
    let foreign_signature = sign(other, "k1", claims());
    let spliced = format!("{}.{}.{}", parts[0], parts[1], foreign_signature.split('.').nth(2).unwrap());
    assert_eq!(verifier.verify(&spliced).await, Err(RedirectTokenError::InvalidSignature));
}

#[tokio::test]
async fn malformed_and_oversize_strings_are_refused() {
    let (pair, _) = pairs();
    let server = key_server(&[("k1", pair)]).await;
    let verifier = verifier(&server.url);
    for garbage in ["", "abc", "a.b", "a.b.c.d", "!!!.???.***", "\u{1F600}.x.y"] {
        assert_eq!(verifier.verify(garbage).await, Err(RedirectTokenError::Malformed), "{garbage:?}");
    }
    let no_kid = format!("{}.{}.sig", b64(&json!({ "alg": "RS256" })), b64(&claims()));
    assert_eq!(verifier.verify(&no_kid).await, Err(RedirectTokenError::MissingKeyId));
    let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
    assert_eq!(verifier.verify(&huge).await, Err(RedirectTokenError::TooLarge));
    assert_eq!(server.hits.load(Ordering::SeqCst), 0, "garbage never costs a key fetch");
}

/// A keys URL answering `status` with `body`, counting its hits.
async fn broken_key_server(status: u16, body: String) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = Router::new().route(
        "/keys.json",
        get(move || async move {
            counted.fetch_add(1, Ordering::SeqCst);
            (http::StatusCode::from_u16(status).unwrap(), body)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/keys.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

#[tokio::test]
async fn a_failing_keys_url_is_not_asked_again_by_every_request() {
    let (pair, _) = pairs();
    let (url, hits) = broken_key_server(500, "down".into()).await;
    let verifier = verifier(&url);
    let token = sign(pair, "k1", claims());
    let answers = futures::future::join_all((0..20).map(|_| verifier.verify(&token))).await;
    assert!(answers.iter().all(|a| matches!(a, Err(RedirectTokenError::KeysUnavailable(_)))));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "one fetch, then a pause before the next");
}

#[tokio::test]
async fn an_oversize_key_map_is_not_read() {
    let (pair, _) = pairs();
    let huge = format!("{{\"k1\": \"{}\"}}", "A".repeat(2 * MAX_KEY_MAP_BYTES));
    let (url, _) = broken_key_server(200, huge).await;
    match verifier(&url).verify(&sign(pair, "k1", claims())).await {
        Err(RedirectTokenError::KeysUnavailable(message)) => {
            assert!(message.contains("larger"), "{message}")
        }
        other => panic!("expected KeysUnavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_keys_url_that_is_down_is_a_clear_error() {
    let (pair, _) = pairs();
    let verifier = verifier("http://127.0.0.1:9/keys.json");
    match verifier.verify(&sign(pair, "k1", claims())).await {
        Err(RedirectTokenError::KeysUnavailable(message)) => {
            assert!(message.contains("unreachable"), "{message}")
        }
        other => panic!("expected KeysUnavailable, got {other:?}"),
    }
}
