//! The automation API's tokens (`api_tokens`): created and revoked by admins from the command
//! line, looked up by the ID a token starts with, their last use noted.

use sqlx::{AnyPool, FromRow};

/// A stored token (never its secret: only the secret's SHA-256).
#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub secret_hash: String,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, name, role, secret_hash, created_at_ms, expires_at_ms, revoked_at_ms, last_used_at_ms";

/// Stores a new token; a taken name is a unique violation.
pub async fn insert(pool: &AnyPool, token: &TokenRow) -> super::Result<()> {
    const SQL: &str = "INSERT INTO api_tokens (id, name, role, secret_hash, created_at_ms, expires_at_ms)
                       VALUES ($1, $2, $3, $4, $5, $6)";
    sqlx::query(SQL)
        .bind(&token.id)
        .bind(&token.name)
        .bind(&token.role)
        .bind(&token.secret_hash)
        .bind(token.created_at_ms)
        .bind(token.expires_at_ms)
        .execute(pool)
        .await?;
    Ok(())
}

/// The token with this ID, if any.
pub async fn by_id(pool: &AnyPool, id: &str) -> super::Result<Option<TokenRow>> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

/// Every token, the newest first.
pub async fn all(pool: &AnyPool) -> super::Result<Vec<TokenRow>> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens ORDER BY created_at_ms DESC, name");
    Ok(sqlx::query_as(&sql).fetch_all(pool).await?)
}

/// Notes a use at `now_ms`, at most once a minute (a script calling in a loop writes little).
pub async fn used(pool: &AnyPool, id: &str, now_ms: i64) -> super::Result<()> {
    const SQL: &str = "UPDATE api_tokens SET last_used_at_ms = $2
                       WHERE id = $1 AND (last_used_at_ms IS NULL OR last_used_at_ms < $3)";
    sqlx::query(SQL).bind(id).bind(now_ms).bind(now_ms - 60_000).execute(pool).await?;
    Ok(())
}

/// Revokes the token named `name` at `now_ms`; whether one was (still) there to revoke.
pub async fn revoke(pool: &AnyPool, name: &str, now_ms: i64) -> super::Result<bool> {
    const SQL: &str = "UPDATE api_tokens SET revoked_at_ms = $2 WHERE name = $1 AND revoked_at_ms IS NULL";
    Ok(sqlx::query(SQL).bind(name).bind(now_ms).execute(pool).await?.rows_affected() > 0)
}
