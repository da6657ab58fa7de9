//! Attempts counted against limits (sign-ins, registrations, mails sent on someone's request):
//! one row per attempt and scope in `login_failures`. An attempt is written *before* the work it
//! stands for and counted afterwards, so parallel requests each see the others and a limit holds
//! however many arrive at once.

use sqlx::AnyPool;

/// Records an attempt in `scope` at `at_ms`; its ID, to forget it again.
pub async fn record(pool: &AnyPool, scope: &str, at_ms: i64) -> super::Result<i64> {
    const SQL: &str = "INSERT INTO login_failures (scope, at_ms) VALUES ($1, $2) RETURNING id";
    Ok(sqlx::query_scalar::<_, i64>(SQL).bind(scope).bind(at_ms).fetch_one(pool).await?)
}

/// Attempts in `scope` since `since_ms`.
pub async fn count_since(pool: &AnyPool, scope: &str, since_ms: i64) -> super::Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND at_ms >= $2";
    Ok(sqlx::query_scalar::<_, i64>(SQL).bind(scope).bind(since_ms).fetch_one(pool).await?)
}

/// The time of the newest attempt in `scope` since `since_ms` other than `except_id`.
pub async fn latest_other(
    pool: &AnyPool,
    scope: &str,
    since_ms: i64,
    except_id: i64,
) -> super::Result<Option<i64>> {
    const SQL: &str = "SELECT MAX(at_ms) FROM login_failures WHERE scope = $1 AND at_ms >= $2 AND id <> $3";
    Ok(sqlx::query_scalar::<_, Option<i64>>(SQL)
        .bind(scope)
        .bind(since_ms)
        .bind(except_id)
        .fetch_one(pool)
        .await?)
}

/// The time of the oldest attempt in `scope` since `since_ms`.
pub async fn oldest_since(pool: &AnyPool, scope: &str, since_ms: i64) -> super::Result<Option<i64>> {
    const SQL: &str = "SELECT MIN(at_ms) FROM login_failures WHERE scope = $1 AND at_ms >= $2";
    Ok(sqlx::query_scalar::<_, Option<i64>>(SQL).bind(scope).bind(since_ms).fetch_one(pool).await?)
}

/// Forgets attempts by ID (refused ones, which must not count, and successful sign-ins).
pub async fn forget(pool: &AnyPool, ids: &[i64]) -> super::Result<()> {
    for id in ids {
        sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(id).execute(pool).await?;
    }
    Ok(())
}

/// Forgets every attempt of `scope` (an account's failures after it signed in).
pub async fn clear_scope(pool: &AnyPool, scope: &str) -> super::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE scope = $1").bind(scope).execute(pool).await?;
    Ok(())
}

/// Deletes attempts older than `before_ms` (no limit looks back that far); the number.
pub async fn prune(pool: &AnyPool, before_ms: i64) -> super::Result<u64> {
    let done =
        sqlx::query("DELETE FROM login_failures WHERE at_ms < $1").bind(before_ms).execute(pool).await?;
    Ok(done.rows_affected())
}
