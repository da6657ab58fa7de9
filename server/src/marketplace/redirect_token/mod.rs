//! Verification of the token STACKIT puts on the sign-up redirect (README section 2 [decision]):
//! RS256 only; the `kid` looked up in the key map (`{kid: PEM}`) from the configured keys URL,
//! cached and refetched once on an unknown `kid` (rate limited); issuer pinned; `exp`/`nbf` with a
//! small leeway; size bound. Nothing is taken from the token to decide whom to trust. The key map
//! is fetched by one request at a time, without holding up requests the cached keys can serve;
//! after a failed fetch the next waits longer and longer, and the map's size is capped.

use std::time::Duration;

mod keys;

use keys::KeyCache;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, Validation, errors::ErrorKind};
use serde::Deserialize;
use std::sync::Mutex;

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
mod tests;
