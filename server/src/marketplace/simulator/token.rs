//! The identity side: the token endpoint of the service-account key flow (as STACKIT's SDKs expect
//! it), the redirect-token key map, and the redirect tokens themselves.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use http::StatusCode;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::keys::{RsaPair, random_hex};
use super::state::{SimError, rfc3339};
use super::{KEYS_PATH, RedirectKey, Shared};

/// Lifetime of refresh tokens.
const REFRESH_SECS: i64 = 86_400;

pub fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/token", post(token)).route(KEYS_PATH, get(key_map))
}

/// The vendor's key file as STACKIT issues it (the fields the SDKs parse strictly), with
/// `credentials.tokenEndpoint` pointing at this simulator.
pub fn service_account_key_json(shared: &Shared) -> String {
    let account = &shared.service_account;
    let now = crate::clock::now_ms();
    let key = serde_json::json!({
        "id": account.key_id,
        "publicKey": account.keys.public_pem,
        "createdAt": rfc3339(now),
        "validUntil": rfc3339(now + 365 * 86_400_000),
        "keyType": "USER_MANAGED",
        "keyOrigin": "GENERATED",
        "keyAlgorithm": "RSA_2048",
        "active": true,
        "credentials": {
            "kid": account.kid,
            "iss": account.iss,
            "sub": account.sub,
            "aud": account.aud,
            "privateKey": account.keys.private_pem,
            "tokenEndpoint": format!("{}/token", shared.base_url),
        }
    });
    serde_json::to_string_pretty(&key).unwrap_or_default()
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    grant_type: Option<String>,
    assertion: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Debug, Serialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: i64,
    token_type: &'static str,
    scope: &'static str,
    refresh_token: String,
}

#[derive(Debug, Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(serde_json::json!({ "error": error, "error_description": description }))).into_response()
}

fn answer(shared: &Shared, subject: &str, refreshed: bool) -> Response {
    {
        let mut grants = shared.grants.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if refreshed { grants.1 += 1 } else { grants.0 += 1 }
    }
    Json(TokenAnswer {
        access_token: shared.mint.issue(subject, "vendor", "access", shared.access_token_secs),
        expires_in: shared.access_token_secs,
        token_type: "Bearer",
        scope: "",
        refresh_token: shared.mint.issue(subject, "vendor", "refresh", REFRESH_SECS),
    })
    .into_response()
}

async fn token(State(shared): State<Arc<Shared>>, Form(form): Form<TokenForm>) -> Response {
    match form.grant_type.as_deref() {
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            let Some(assertion) = form.assertion else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "assertion is missing");
            };
            match check_assertion(&shared, &assertion) {
                Ok(subject) => answer(&shared, &subject, false),
                Err(reason) => oauth_error(StatusCode::UNAUTHORIZED, "invalid_grant", &reason),
            }
        }
        Some("refresh_token") => {
            let claims = form.refresh_token.as_deref().and_then(|t| shared.mint.check(t));
            match claims.filter(|c| c.typ == "refresh") {
                Some(claims) => answer(&shared, &claims.sub, true),
                None => {
                    oauth_error(StatusCode::UNAUTHORIZED, "invalid_grant", "refresh token invalid or expired")
                }
            }
        }
        _ => {
            oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "use jwt-bearer or refresh_token")
        }
    }
}

/// Verifies the RS512 assertion against the registered service-account key.
fn check_assertion(shared: &Shared, assertion: &str) -> Result<String, String> {
    let account = &shared.service_account;
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| "assertion is not a JWT".to_string())?;
    if header.alg != Algorithm::RS512 {
        return Err("assertion must be signed with RS512".into());
    }
    if header.kid.as_deref() != Some(account.kid.as_str()) {
        return Err("assertion names an unknown key".into());
    }
    let key = DecodingKey::from_rsa_pem(account.keys.public_pem.as_bytes()).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(Algorithm::RS512);
    validation.set_audience(&[&account.aud]);
    validation.set_required_spec_claims(&["exp", "iss", "sub", "aud"]);
    let claims = jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation)
        .map_err(|e| format!("assertion refused: {e}"))?
        .claims;
    if claims.iss != account.iss || claims.sub != account.sub {
        return Err("assertion iss/sub do not match the service account".into());
    }
    Ok(claims.sub)
}

/// `{kid: PEM}` for every published redirect key, as STACKIT serves it (not a JWKS).
async fn key_map(State(shared): State<Arc<Shared>>) -> Response {
    let keys: BTreeMap<String, String> =
        shared.redirect_keys().iter().map(|k| (k.kid.clone(), k.keys.public_pem.clone())).collect();
    Json(keys).into_response()
}

#[derive(Debug, Serialize, Deserialize)]
struct RedirectClaims {
    iss: String,
    sub: String,
    iat: i64,
    exp: i64,
    jti: String,
}

/// A redirect token for `subscription_id`: RS256, `kid` of the current key, `iss` = key map URL.
pub fn mint_redirect_token(shared: &Shared, subscription_id: &str, lifetime_secs: i64) -> String {
    let keys = shared.redirect_keys();
    let Some(current) = keys.last() else { return String::new() };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(current.kid.clone());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = RedirectClaims {
        iss: shared.keys_url(),
        sub: subscription_id.to_string(),
        iat: now,
        exp: now + lifetime_secs,
        jti: uuid::Uuid::new_v4().to_string(),
    };
    EncodingKey::from_rsa_pem(current.keys.private_pem.as_bytes())
        .and_then(|key| jsonwebtoken::encode(&header, &claims, &key))
        .unwrap_or_default()
}

/// The subscription a redirect token stands for; 400 when it is not one of ours or has expired.
pub fn check_redirect_token(shared: &Shared, token: &str) -> Result<String, SimError> {
    let invalid = || SimError::bad_request("token is invalid or expired");
    let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
    let keys = shared.redirect_keys();
    let key = keys.iter().find(|k| Some(&k.kid) == header.kid.as_ref()).ok_or_else(invalid)?;
    let decoding = DecodingKey::from_rsa_pem(key.keys.public_pem.as_bytes()).map_err(|_| invalid())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[shared.keys_url()]);
    validation.validate_aud = false;
    let data =
        jsonwebtoken::decode::<RedirectClaims>(token, &decoding, &validation).map_err(|_| invalid())?;
    Ok(data.claims.sub)
}

/// Makes a new key current. The old ones stay published unless `retire_old`.
pub fn rotate_redirect_key(shared: &Shared, retire_old: bool) -> anyhow::Result<String> {
    let pair = RsaPair::generate()?;
    let kid = random_hex(8);
    let mut keys = shared.redirect_keys();
    if retire_old {
        keys.clear();
    }
    keys.push(RedirectKey { kid: kid.clone(), keys: pair });
    Ok(kid)
}
