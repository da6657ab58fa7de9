//! The simulator's keys: RSA pairs for redirect tokens (rotatable) and for the vendor's service
//! account, and the secret it signs its own access and refresh tokens with.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand_core_06::{OsRng, RngCore as _};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::{Deserialize, Serialize};

/// An RSA key pair with its PEM forms.
pub struct RsaPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl RsaPair {
    /// A fresh 2048-bit pair.
    pub fn generate() -> anyhow::Result<Self> {
        let private = RsaPrivateKey::new(&mut OsRng, 2048)?;
        let public = RsaPublicKey::from(&private);
        Ok(RsaPair {
            private_pem: private.to_pkcs8_pem(LineEnding::LF)?.to_string(),
            public_pem: public.to_public_key_pem(LineEnding::LF)?,
        })
    }
}

/// A random identifier of `bytes` random bytes, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0_u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    buffer.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the simulator's own bearer tokens say.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenClaims {
    pub sub: String,
    /// `access` or `refresh`.
    pub typ: String,
    /// `vendor` or `consumer`.
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

/// Signs and checks the simulator's access and refresh tokens (HS256 with a secret of its own).
pub struct TokenMint {
    secret: std::sync::Mutex<Vec<u8>>,
}

impl TokenMint {
    pub fn new() -> Self {
        TokenMint { secret: std::sync::Mutex::new(fresh_secret()) }
    }

    fn secret(&self) -> Vec<u8> {
        self.secret.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Makes every token issued so far invalid (as if STACKIT revoked them): callers get 401.
    pub fn revoke_all(&self) {
        *self.secret.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = fresh_secret();
    }

    /// A token for `sub` in `role`, valid for `lifetime_secs` of real time (SDKs compare with their clock).
    pub fn issue(&self, sub: &str, role: &str, typ: &str, lifetime_secs: i64) -> String {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let claims = TokenClaims {
            sub: sub.to_string(),
            typ: typ.to_string(),
            role: role.to_string(),
            iat: now,
            exp: now + lifetime_secs,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.secret()),
        )
        .unwrap_or_default()
    }

    /// The claims of a token this simulator issued and that has not expired.
    pub fn check(&self, token: &str) -> Option<TokenClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_aud = false;
        validation.leeway = 0;
        jsonwebtoken::decode::<TokenClaims>(token, &DecodingKey::from_secret(&self.secret()), &validation)
            .ok()
            .map(|data| data.claims)
    }
}

fn fresh_secret() -> Vec<u8> {
    let mut secret = vec![0_u8; 32];
    OsRng.fill_bytes(&mut secret);
    secret
}

impl Default for TokenMint {
    fn default() -> Self {
        Self::new()
    }
}
