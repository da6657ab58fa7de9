//! What `/metrics` reads from the database at scrape time: the same on every replica.

use sqlx::AnyPool;

/// Orders by STACKIT state.
pub async fn orders_by_state(pool: &AnyPool) -> super::Result<Vec<(String, i64)>> {
    const SQL: &str = "SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state ORDER BY 1";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}

/// Jobs by kind and state.
pub async fn jobs_by_kind_and_state(pool: &AnyPool) -> super::Result<Vec<(String, String, i64)>> {
    const SQL: &str = "SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state ORDER BY 1, 2";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}

/// When the oldest job waiting to run (queued or running) was due.
pub async fn oldest_waiting_job(pool: &AnyPool) -> super::Result<Option<i64>> {
    const SQL: &str = "SELECT MIN(run_at_ms) FROM jobs WHERE state IN ('queued', 'running')";
    Ok(sqlx::query_scalar(SQL).fetch_one(pool).await?)
}
