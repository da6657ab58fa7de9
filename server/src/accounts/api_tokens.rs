//! Tokens for the automation API: a vendor's own systems (provisioning, billing, ticketing) read
//! orders without a browser. A token is `odk_<id>_<secret>`: the ID finds its row, the secret is
//! kept only as its SHA-256 and compared in constant time, so a leaked table grants nothing. A
//! token acts with its role (viewer or operator) under its own name, never as a person.

use app::error::AppError;
use app::model::{Operator, Role};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

use crate::db::api_tokens::{self, TokenRow};
use crate::db::{Database, now_ms};

const PREFIX: &str = "odk_";
/// Hex characters of a token's ID.
const ID_CHARS: usize = 12;
const DAY_MS: i64 = 86_400_000;
/// A token's last use is written at most this often.
const USE_NOTED_EVERY_MS: i64 = 60_000;

/// A token's name: what its actions are recorded under.
fn token_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    // No control characters, nor the invisible ones that turn or hide text (a name that reads
    // as another's in the timeline).
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
    };
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(hidden) {
        return Err(AppError::invalid("name", "Name the token in 1 to 100 characters."));
    }
    Ok(name.to_string())
}

/// Creates a token called `name` with `role` (viewer or operator), valid for `days` days or
/// until revoked; the token itself, shown once and kept nowhere.
pub async fn create(db: &Database, name: &str, role: Role, days: Option<u32>) -> Result<String, AppError> {
    let name = token_name(name)?;
    if days == Some(0) {
        return Err(AppError::invalid("expires_in_days", "A token lasts at least a day."));
    }
    if !matches!(role, Role::Viewer | Role::Operator) {
        return Err(AppError::invalid("role", "A token is a viewer or an operator."));
    }
    let mut id = [0_u8; ID_CHARS / 2];
    let mut secret = [0_u8; 32];
    rand::rng().fill_bytes(&mut id);
    rand::rng().fill_bytes(&mut secret);
    let (id, secret) = (hex::encode(id), URL_SAFE_NO_PAD.encode(secret));
    let now = now_ms();
    let row = TokenRow {
        id: id.clone(),
        name,
        role: role.as_str().to_string(),
        secret_hash: digest(&secret),
        created_at_ms: now,
        expires_at_ms: days.map(|d| now + i64::from(d) * DAY_MS),
        revoked_at_ms: None,
        last_used_at_ms: None,
    };
    match api_tokens::insert(db.pool(), &row).await {
        Ok(()) => Ok(format!("{PREFIX}{id}_{secret}")),
        Err(error) if error.is_unique_violation() => {
            Err(AppError::conflict("A token with this name exists."))
        }
        Err(error) => Err(error.into()),
    }
}

/// Who a presented token acts as: an `Operator` named after the token (ID `token:<name>`, which
/// the change record reads as the token, no e-mail), or `Unauthorized` for anything else (malformed, unknown, wrong secret, revoked,
/// expired), alike so that nothing tells them apart.
pub async fn authenticate(db: &Database, presented: &str) -> Result<Operator, AppError> {
    let (id, secret) = split(presented).ok_or(AppError::Unauthorized)?;
    let row = api_tokens::by_id(db.pool(), id).await?.ok_or(AppError::Unauthorized)?;
    let now = now_ms();
    let live = row.revoked_at_ms.is_none() && row.expires_at_ms.is_none_or(|at| at > now);
    if !same(digest(secret).as_bytes(), row.secret_hash.as_bytes()) || !live {
        return Err(AppError::Unauthorized);
    }
    let role = Role::parse(&row.role).ok_or(AppError::Unauthorized)?;
    // The last use is noted at most once a minute, and never at the cost of the request: a
    // script polling while a sync holds SQLite's writer still gets its answer.
    if row.last_used_at_ms.is_none_or(|at| at < now - USE_NOTED_EVERY_MS)
        && let Err(error) = api_tokens::used(db.pool(), &row.id, now).await
    {
        tracing::warn!(token = %row.name, "noting an API token's use: {error}");
    }
    Ok(Operator { id: format!("token:{}", row.name), email: String::new(), display_name: row.name, role })
}

/// Every token (for the command line's list).
pub async fn list(db: &Database) -> Result<Vec<TokenRow>, AppError> {
    Ok(api_tokens::all(db.pool()).await?)
}

/// Revokes the token called `name`; `NotFound` when there is none (or it is revoked already).
pub async fn revoke(db: &Database, name: &str) -> Result<(), AppError> {
    if api_tokens::revoke(db.pool(), name.trim(), now_ms()).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// The ID and secret of a token shaped like one.
fn split(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix(PREFIX)?;
    let id = rest.get(..ID_CHARS)?;
    let secret = rest.get(ID_CHARS..)?.strip_prefix('_')?;
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(id) && !secret.is_empty() && secret.len() <= 64).then_some((id, secret))
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Equal, in time that does not depend on where two strings of one length differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_of_the_right_shape_are_looked_up() {
        let secret = URL_SAFE_NO_PAD.encode([7_u8; 32]);
        let token = format!("odk_0123456789ab_{secret}");
        assert_eq!(split(&token), Some(("0123456789ab", secret.as_str())));
        assert_eq!(split("odk_0123456789ab__x-y"), Some(("0123456789ab", "_x-y")), "the secret may hold _");
        for bad in [
            "",
            "odk_",
            "odk_0123456789ab",
            "odk_0123456789ab_",
            "odk_zz23456789ab_x",
            "Bearer x",
            "odk_ä123456789a_x",
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
        assert_eq!(split(&format!("odk_0123456789ab_{}", "x".repeat(65))), None);
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
