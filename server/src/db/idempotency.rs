//! The automation API's remembered answers to writes sent with an `Idempotency-Key`
//! (`api_idempotency`), per token: claimed before the write, answered after it.

use sqlx::AnyPool;

/// How long a key and its answer are kept at least (they are forgotten at the next tidy-up after).
pub const KEPT_MS: i64 = 86_400_000;

/// A claimed key without an answer after this long belongs to a request that died with its
/// process (a write runs to its end otherwise): the next request with the key may take it.
pub const UNANSWERED_MS: i64 = 5 * 60_000;

/// What is stored under a token's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Nothing: this request claimed the key.
    Claimed,
    /// A request with this key is still being answered.
    InFlight { request_hash: String },
    /// The first answer: its status and JSON body.
    Answered { request_hash: String, status: u16, body: String },
}

/// Claims `key` for `token` with the request's hash, or says what has it already.
pub async fn claim(
    pool: &AnyPool,
    token: &str,
    key: &str,
    request_hash: &str,
    now: i64,
) -> super::Result<Stored> {
    const CLAIM: &str = "INSERT INTO api_idempotency (token_id, key, request_hash, created_at_ms)
                         VALUES ($1, $2, $3, $4) ON CONFLICT (token_id, key) DO NOTHING";
    let claimed = sqlx::query(CLAIM)
        .bind(token)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected();
    if claimed == 1 {
        return Ok(Stored::Claimed);
    }
    // A claim whose request never answered (its process died) is free again after a while.
    const RECLAIM: &str = "UPDATE api_idempotency SET request_hash = $3, created_at_ms = $4
                           WHERE token_id = $1 AND key = $2 AND status IS NULL AND created_at_ms < $5";
    let reclaimed = sqlx::query(RECLAIM)
        .bind(token)
        .bind(key)
        .bind(request_hash)
        .bind(now)
        .bind(now - UNANSWERED_MS)
        .execute(pool)
        .await?
        .rows_affected();
    if reclaimed == 1 {
        return Ok(Stored::Claimed);
    }
    const READ: &str =
        "SELECT request_hash, status, body FROM api_idempotency WHERE token_id = $1 AND key = $2";
    let row: Option<(String, Option<i64>, Option<String>)> =
        sqlx::query_as(READ).bind(token).bind(key).fetch_optional(pool).await?;
    Ok(match row {
        // Pruned between the two statements: nobody has it now, so this request may.
        None => Stored::Claimed,
        Some((request_hash, Some(status), Some(body))) => {
            Stored::Answered { request_hash, status: u16::try_from(status).unwrap_or(500), body }
        }
        Some((request_hash, _, _)) => Stored::InFlight { request_hash },
    })
}

/// How many keys `token` holds (kept answers and claims).
pub async fn held(pool: &AnyPool, token: &str) -> super::Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM api_idempotency WHERE token_id = $1")
        .bind(token)
        .fetch_one(pool)
        .await?)
}

/// Keeps the answer to the request that claimed `key`.
pub async fn answer(pool: &AnyPool, token: &str, key: &str, status: u16, body: &str) -> super::Result<()> {
    const SQL: &str = "UPDATE api_idempotency SET status = $3, body = $4 WHERE token_id = $1 AND key = $2";
    sqlx::query(SQL).bind(token).bind(key).bind(i64::from(status)).bind(body).execute(pool).await?;
    Ok(())
}

/// Gives a claimed key back (the request failed on our side, so a retry should do it anew).
pub async fn release(pool: &AnyPool, token: &str, key: &str) -> super::Result<()> {
    const SQL: &str = "DELETE FROM api_idempotency WHERE token_id = $1 AND key = $2 AND status IS NULL";
    sqlx::query(SQL).bind(token).bind(key).execute(pool).await?;
    Ok(())
}

/// Forgets keys claimed before `before`; the number forgotten.
pub async fn prune(pool: &AnyPool, before: i64) -> super::Result<u64> {
    Ok(sqlx::query("DELETE FROM api_idempotency WHERE created_at_ms < $1")
        .bind(before)
        .execute(pool)
        .await?
        .rows_affected())
}
