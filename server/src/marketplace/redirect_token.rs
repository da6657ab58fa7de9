//! Verification of the token STACKIT puts on the sign-up redirect (README section 2 [decision]):
//! RS256 only; the `kid` looked up in the key map (`{kid: PEM}`) from the configured keys URL,
//! cached and refetched once on an unknown `kid` (rate limited); issuer pinned; `exp`/`nbf` with a
//! small leeway; size bound. Nothing is taken from the token to decide whom to trust. The key map
//! is fetched by one request at a time, without holding up requests the cached keys can serve;
//! after a failed fetch the next waits longer and longer, and the map's size is capped.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde::Deserialize;
use std::sync::{Mutex, PoisonError};

/// Longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Largest key map read (a handful of RSA keys is a few KB).
const MAX_KEY_MAP_BYTES: usize = 256 * 1024;

/// Longest pause between fetches while the keys URL keeps failing.
const MAX_FAILURE_BACKOFF: Duration = Duration::from_secs(600);

/// Why a token was refused. Each names what the customer can do about it on the error page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectTokenError {
    #[error("the token is not a well-formed JWT")]
    Malformed,
    #[error("the token is longer than {MAX_TOKEN_BYTES} bytes")]
    TooLarge,
    #[error("the token is signed with {0}, only RS256 is accepted")]
    UnsupportedAlgorithm(String),
    #[error("the token names no key (kid)")]
    MissingKeyId,
    #[error("the token is signed with an unknown key ({0})")]
    UnknownKey(String),
    #[error("the token's signature is invalid")]
    InvalidSignature,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token was issued by someone else")]
    WrongIssuer,
    #[error("STACKIT's signing keys cannot be fetched: {0}")]
    KeysUnavailable(String),
}

/// A token that passed every check. Its claims carry no business data we rely on: the
/// subscription comes from ResolveCustomer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The token itself, to pass to ResolveCustomer.
    pub token: String,
    pub key_id: String,
    pub expires_at: i64,
    pub issued_at: Option<i64>,
}

/// Settings of the verifier.
#[derive(Debug, Clone)]
pub struct VerifierSettings {
    pub keys_url: String,
    pub issuer: String,
    /// Tolerance for clock differences when checking `exp` and `nbf`.
    pub leeway: Duration,
    /// Least time between two fetches caused by unknown `kid`s.
    pub min_refetch_interval: Duration,
    /// Keys older than this are fetched again on the next verification.
    pub max_key_age: Duration,
    /// After a failed fetch, no other for this long; it doubles with each further failure (up
    /// to ten minutes), so an outage of the keys URL does not make every sign-up wait for it.
    pub failure_backoff: Duration,
}

impl VerifierSettings {
    /// STACKIT's production keys URL and issuer, or the simulator's when given its keys URL.
    pub fn new(keys_url: &str, issuer: &str) -> Self {
        VerifierSettings {
            keys_url: keys_url.to_string(),
            issuer: issuer.to_string(),
            leeway: Duration::from_secs(30),
            min_refetch_interval: Duration::from_secs(30),
            max_key_age: Duration::from_secs(3600),
            failure_backoff: Duration::from_secs(30),
        }
    }
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
    /// The last failed fetch and how many failed in a row since the last success.
    failed_at: Option<Instant>,
    failures: u32,
}

/// Verifies redirect tokens; shares one key cache between all requests.
pub struct RedirectTokenVerifier {
    settings: VerifierSettings,
    http: reqwest::Client,
    /// Held only to read or replace the keys, never during a fetch.
    cache: Mutex<KeyCache>,
    /// Held by the one request fetching the key map.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Deserialize)]
struct JwtHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    exp: i64,
    #[serde(default)]
    iat: Option<i64>,
}

impl RedirectTokenVerifier {
    pub fn new(settings: VerifierSettings, http: reqwest::Client) -> Self {
        RedirectTokenVerifier {
            settings,
            http,
            cache: Mutex::new(KeyCache::default()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// Checks `raw` and returns what it proves, or why it is refused.
    pub async fn verify(&self, raw: &str) -> Result<VerifiedToken, RedirectTokenError> {
        let raw = raw.trim();
        if raw.len() > MAX_TOKEN_BYTES {
            return Err(RedirectTokenError::TooLarge);
        }
        let header = read_header(raw)?;
        if header.alg != "RS256" {
            return Err(RedirectTokenError::UnsupportedAlgorithm(header.alg));
        }
        let key_id = header.kid.filter(|k| !k.is_empty()).ok_or(RedirectTokenError::MissingKeyId)?;
        let key = self.key(&key_id).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.settings.issuer]);
        validation.set_required_spec_claims(&["exp", "iss"]);
        validation.validate_aud = false;
        validation.validate_nbf = true;
        validation.leeway = self.settings.leeway.as_secs();
        let data =
            jsonwebtoken::decode::<Claims>(raw, &key, &validation).map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => RedirectTokenError::Expired,
                ErrorKind::ImmatureSignature => RedirectTokenError::NotYetValid,
                ErrorKind::InvalidIssuer => RedirectTokenError::WrongIssuer,
                ErrorKind::InvalidSignature => RedirectTokenError::InvalidSignature,
                _ => RedirectTokenError::Malformed,
            })?;
        Ok(VerifiedToken {
            token: raw.to_string(),
            key_id,
            expires_at: data.claims.exp,
            issued_at: data.claims.iat,
        })
    }

    /// The key named `kid`, fetching the key map when it is stale, or once (rate limited) when the
    /// `kid` is unknown, as after a key rotation.
    async fn key(&self, kid: &str) -> Result<DecodingKey, RedirectTokenError> {
        if self.should_fetch(kid) {
            // A request that has its key waits for nobody: if another is fetching, it goes on
            // with the cached (stale) key. One without its key waits for that fetch's outcome.
            let turn = if self.lookup(kid).is_some() {
                self.fetching.try_lock().ok()
            } else {
                Some(self.fetching.lock().await)
            };
            if let Some(_turn) = turn
                && self.should_fetch(kid)
            {
                let fetched = self.fetch_keys().await;
                self.store(fetched)?;
            }
        }
        self.lookup(kid).ok_or_else(|| {
            if self.cache().fetched_at.is_none() {
                RedirectTokenError::KeysUnavailable("the last fetch failed; it is tried again shortly".into())
            } else {
                RedirectTokenError::UnknownKey(kid.to_string())
            }
        })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, KeyCache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lookup(&self, kid: &str) -> Option<DecodingKey> {
        self.cache().keys.get(kid).cloned()
    }

    /// Whether the key map should be fetched for `kid` now: it is stale, or `kid` is unknown
    /// and the last fetch is long enough ago, and no failed fetch is too recent.
    fn should_fetch(&self, kid: &str) -> bool {
        let cache = self.cache();
        let age = cache.fetched_at.map(|at| at.elapsed());
        let stale = age.is_none_or(|age| age > self.settings.max_key_age);
        let unknown = !cache.keys.contains_key(kid);
        let may_refetch = age.is_none_or(|age| age >= self.settings.min_refetch_interval);
        let backoff = self
            .settings
            .failure_backoff
            .saturating_mul(2_u32.saturating_pow(cache.failures.saturating_sub(1).min(16)))
            .min(MAX_FAILURE_BACKOFF);
        let backing_off = cache.failed_at.is_some_and(|at| at.elapsed() < backoff);
        (stale || (unknown && may_refetch)) && !backing_off
    }

    /// Keeps a fetch's outcome. Stale keys still serve while the keys URL is down; no keys at all
    /// cannot, and that failure is returned.
    fn store(
        &self,
        fetched: Result<HashMap<String, DecodingKey>, RedirectTokenError>,
    ) -> Result<(), RedirectTokenError> {
        let mut cache = self.cache();
        match fetched {
            Ok(keys) => {
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
                cache.failed_at = None;
                cache.failures = 0;
                Ok(())
            }
            Err(error) => {
                cache.failed_at = Some(Instant::now());
                cache.failures = cache.failures.saturating_add(1);
                if cache.keys.is_empty() {
                    return Err(error);
                }
                tracing::warn!(%error, "refreshing STACKIT's redirect keys failed");
                Ok(())
            }
        }
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, RedirectTokenError> {
        let unavailable = |message: String| RedirectTokenError::KeysUnavailable(message);
        let mut response = self
            .http
            .get(&self.settings.keys_url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| unavailable(format!("{} unreachable: {e}", self.settings.keys_url)))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("{} answered {}", self.settings.keys_url, response.status())));
        }
        if response.content_length().is_some_and(|length| length > MAX_KEY_MAP_BYTES as u64) {
            return Err(unavailable(format!("the key map is larger than {MAX_KEY_MAP_BYTES} bytes")));
        }
        let mut body = Vec::new();
        while let Some(chunk) =
            response.chunk().await.map_err(|e| unavailable(format!("reading the key map: {e}")))?
        {
            if body.len() + chunk.len() > MAX_KEY_MAP_BYTES {
                return Err(unavailable(format!("the key map is larger than {MAX_KEY_MAP_BYTES} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        let map: HashMap<String, String> =
            serde_json::from_slice(&body).map_err(|e| unavailable(format!("unreadable key map: {e}")))?;
        let mut keys = HashMap::new();
        for (kid, pem) in map {
            match DecodingKey::from_rsa_pem(pem.as_bytes()) {
                Ok(key) => {
                    keys.insert(kid, key);
                }
                Err(error) => {
                    tracing::warn!(%kid, %error, "skipping a redirect key that is not an RSA public key")
                }
            }
        }
        Ok(keys)
    }
}

fn read_header(raw: &str) -> Result<JwtHeader, RedirectTokenError> {
    let mut parts = raw.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(RedirectTokenError::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD.decode(header).map_err(|_| RedirectTokenError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| RedirectTokenError::Malformed)
}

#[cfg(test)]
mod tests {
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
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()).unwrap(),
        )
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
        assert_eq!(
            verifier.verify(&none).await,
            Err(RedirectTokenError::UnsupportedAlgorithm("none".into()))
        );
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
}
