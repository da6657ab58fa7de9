//! Access tokens for the Vendor API: STACKIT's service-account key flow (an RS512-signed assertion
//! exchanged at the token endpoint, the bearer cached and renewed before it expires, the refresh
//! token used while valid), or a static bearer token.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::error::VendorApiError;

/// STACKIT's default token endpoint, used when neither configuration nor the key names one.
pub const DEFAULT_TOKEN_ENDPOINT: &str = "https://service-account.api.stackit.cloud/token";

/// Renew this long before a token's `exp` (STACKIT's SDKs use 5 minutes).
const RENEW_BEFORE_SECS: i64 = 300;

/// A service-account key file as STACKIT issues it. Holds the private key: not `Serialize`, and
/// `Debug` leaves the key out.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountKey {
    pub id: String,
    pub credentials: KeyCredentials,
}

/// The `credentials` part of a key file.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyCredentials {
    pub kid: String,
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub private_key: SecretString,
    #[serde(default)]
    pub token_endpoint: Option<String>,
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("id", &self.id)
            .field("kid", &self.credentials.kid)
            .field("iss", &self.credentials.iss)
            .finish_non_exhaustive()
    }
}

impl ServiceAccountKey {
    /// Reads a key from its JSON text; the error names what is wrong, never the key itself.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let key: ServiceAccountKey =
            // serde's message may quote a value (the private key itself, in a key file stored as
            // one JSON string): only where and what kind of error.
            serde_json::from_str(text).map_err(|e| {
                format!("not a STACKIT service-account key ({:?} error at line {}, column {})", e.classify(), e.line(), e.column())
            })?;
        EncodingKey::from_rsa_pem(key.credentials.private_key.expose_secret().as_bytes())
            .map_err(|_| "credentials.privateKey is not an RSA private key in PEM".to_string())?;
        Ok(key)
    }
}

/// How Orderdesk proves itself to the Vendor API.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A bearer token given as it is.
    StaticToken(SecretString),
    /// The service-account key flow.
    ServiceAccount { key: ServiceAccountKey, token_endpoint: String },
}

struct CachedTokens {
    access: SecretString,
    access_exp: i64,
    refresh: Option<(SecretString, i64)>,
}

/// Hands out bearer tokens, fetching and renewing them as needed. Shared by all calls.
pub struct Authenticator {
    credentials: Credentials,
    http: reqwest::Client,
    cache: Mutex<Option<CachedTokens>>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: SecretString,
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde(default)]
    refresh_token: Option<SecretString>,
}

impl Authenticator {
    pub fn new(credentials: Credentials, http: reqwest::Client) -> Self {
        Authenticator { credentials, http, cache: Mutex::new(None) }
    }

    /// A bearer token valid for at least a few more minutes.
    pub async fn bearer(&self) -> Result<SecretString, VendorApiError> {
        let (key, endpoint) = match &self.credentials {
            Credentials::StaticToken(token) => return Ok(token.clone()),
            Credentials::ServiceAccount { key, token_endpoint } => (key, token_endpoint),
        };
        let mut cache = self.cache.lock().await;
        let now = unix_now();
        if let Some(tokens) = cache.as_ref() {
            if tokens.access_exp - RENEW_BEFORE_SECS > now {
                return Ok(tokens.access.clone());
            }
            if let Some((refresh, refresh_exp)) = &tokens.refresh
                && refresh_exp - RENEW_BEFORE_SECS > now
            {
                let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.expose_secret())];
                match self.token_request(endpoint, &form).await {
                    Ok(renewed) => {
                        let access = renewed.access.clone();
                        *cache = Some(renewed);
                        return Ok(access);
                    }
                    Err(error) => {
                        tracing::warn!(%error, "refreshing the STACKIT token failed; signing a new assertion")
                    }
                }
            }
        }
        let assertion = sign_assertion(key)?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        let tokens = self.token_request(endpoint, &form).await?;
        let access = tokens.access.clone();
        *cache = Some(tokens);
        Ok(access)
    }

    /// Forgets `rejected` (STACKIT answered 401 to it) so the next call fetches a new token.
    pub async fn invalidate(&self, rejected: &SecretString) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|t| t.access.expose_secret() == rejected.expose_secret()) {
            *cache = None;
        }
    }

    /// For the set-up check: signs an assertion and asks for a token (never from the cache), then
    /// renews it with its refresh token. The token's lifetime in seconds and how the renewal went
    /// (`None`: no refresh token came); `None` altogether for a static token.
    pub async fn probe(&self) -> Result<Option<(i64, Option<Result<(), String>>)>, VendorApiError> {
        let Credentials::ServiceAccount { key, token_endpoint } = &self.credentials else {
            return Ok(None);
        };
        let assertion = sign_assertion(key)?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        let tokens = self.token_request(token_endpoint, &form).await?;
        let lifetime = tokens.access_exp - unix_now();
        let renewed = match &tokens.refresh {
            Some((refresh, _)) => {
                let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.expose_secret())];
                Some(self.token_request(token_endpoint, &form).await.map(|_| ()).map_err(|e| e.to_string()))
            }
            None => None,
        };
        Ok(Some((lifetime, renewed)))
    }

    /// The token endpoint a service-account key is exchanged at.
    pub fn token_endpoint(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::ServiceAccount { token_endpoint, .. } => Some(token_endpoint),
            Credentials::StaticToken(_) => None,
        }
    }

    /// Whether a 401 can be cured by fetching a new token.
    pub fn can_reauthenticate(&self) -> bool {
        matches!(self.credentials, Credentials::ServiceAccount { .. })
    }

    async fn token_request(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<CachedTokens, VendorApiError> {
        let auth_error = |message: String| VendorApiError::Auth { message };
        let response = self
            .http
            .post(endpoint)
            .form(form)
            .timeout(Duration::from_secs(15))
            .send()
            .await
            .map_err(|e| auth_error(format!("token endpoint {endpoint} unreachable: {e}")))?;
        let status = response.status();
        let body =
            response.bytes().await.map_err(|e| auth_error(format!("reading the token answer: {e}")))?;
        if !status.is_success() {
            let detail = VendorApiError::from_response(status.as_u16(), endpoint, &body);
            return Err(auth_error(detail.to_string()));
        }
        let answer: TokenResponse =
            serde_json::from_slice(&body).map_err(|e| auth_error(format!("unreadable token answer: {e}")))?;
        let now = unix_now();
        let access_exp = jwt_exp(answer.access_token.expose_secret())
            .or(answer.expires_in.map(|s| now + s))
            .unwrap_or(now + 600);
        let refresh = answer.refresh_token.and_then(|token| {
            let exp = jwt_exp(token.expose_secret())?;
            Some((token, exp))
        });
        Ok(CachedTokens { access: answer.access_token, access_exp, refresh })
    }
}

#[derive(serde::Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    jti: String,
    iat: i64,
    exp: i64,
}

/// The assertion STACKIT's token endpoint expects: RS512, `kid` from the key, 10 minutes valid.
fn sign_assertion(key: &ServiceAccountKey) -> Result<String, VendorApiError> {
    let mut header = Header::new(Algorithm::RS512);
    header.kid = Some(key.credentials.kid.clone());
    let now = unix_now();
    let claims = AssertionClaims {
        iss: &key.credentials.iss,
        sub: &key.credentials.sub,
        aud: &key.credentials.aud,
        jti: uuid::Uuid::new_v4().to_string(),
        iat: now,
        exp: now + 600,
    };
    let encoding = EncodingKey::from_rsa_pem(key.credentials.private_key.expose_secret().as_bytes())
        .map_err(|_| VendorApiError::Auth {
            message: "the service-account private key is not valid PEM".into(),
        })?;
    jsonwebtoken::encode(&header, &claims, &encoding)
        .map_err(|e| VendorApiError::Auth { message: format!("signing the assertion: {e}") })
}

/// The `exp` claim of a JWT, read without verifying it (as STACKIT's SDKs do).
pub(crate) fn jwt_exp(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes).ok()?.get("exp")?.as_i64()
}

pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
