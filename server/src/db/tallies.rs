//! The overview's figures as the database keeps them (issue 14): orders per lifecycle state,
//! activations per UTC day and approval time, and pending orders per hour of their deadline, kept
//! by triggers on `orders` (see the migrations `order_tallies` and `deadline_tallies`) so that a
//! visit reads a few hundred small rows instead of every order ever seen. The recounts from
//! `orders` beside them are what a test compares the tallies with.

use sqlx::AnyPool;

/// One UTC day in milliseconds: the tallies' unit of time.
pub const DAY_MS: i64 = 86_400_000;

/// Number of orders per stored lifecycle state, from the tallies (states without orders are
/// absent), in the states' order.
pub async fn counts_by_state(pool: &AnyPool) -> super::Result<Vec<(String, i64)>> {
    const SQL: &str =
        "SELECT lifecycle_state, orders FROM order_state_tallies WHERE orders <> 0 ORDER BY lifecycle_state";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}

/// Orders waiting for approval, from the tallies, in the caller's transaction.
pub async fn waiting(connection: &mut sqlx::AnyConnection) -> super::Result<u64> {
    const SQL: &str = "SELECT orders FROM order_state_tallies WHERE lifecycle_state = 'SUBSCRIPTION_PENDING'";
    let waiting: Option<i64> = sqlx::query_scalar(SQL).fetch_optional(&mut *connection).await?;
    Ok(waiting.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// The same, counted from `orders` (a full scan: for tests and checks, not for pages).
pub async fn recount_by_state(pool: &AnyPool) -> super::Result<Vec<(String, i64)>> {
    const SQL: &str =
        "SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state ORDER BY lifecycle_state";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}

/// Orders STACKIT activated on `since_day` or later (UTC days since 1970), by how long their
/// approval took in tenths of an hour: (tenths, activated since `since_day`, activated since
/// `recent_day`), in ascending order of tenths. (PostgreSQL sums BIGINTs to NUMERIC, hence the
/// casts back.)
pub async fn approval_times(
    pool: &AnyPool,
    since_day: i64,
    recent_day: i64,
) -> super::Result<Vec<(i64, i64, i64)>> {
    const SQL: &str = "SELECT tenths, CAST(SUM(orders) AS BIGINT),
                              CAST(SUM(CASE WHEN day >= $2 THEN orders ELSE 0 END) AS BIGINT)
                       FROM activation_tallies WHERE day >= $1
                       GROUP BY tenths HAVING SUM(orders) <> 0 ORDER BY tenths";
    Ok(sqlx::query_as(SQL).bind(since_day).bind(recent_day).fetch_all(pool).await?)
}

/// Orders STACKIT activated on each UTC day since `since_day`: (day, count), days without
/// activations absent.
pub async fn activations_by_day(pool: &AnyPool, since_day: i64) -> super::Result<Vec<(i64, i64)>> {
    const SQL: &str = "SELECT day, CAST(SUM(orders) AS BIGINT) FROM activation_tallies WHERE day >= $1
                       GROUP BY day HAVING SUM(orders) <> 0 ORDER BY day";
    Ok(sqlx::query_as(SQL).bind(since_day).fetch_all(pool).await?)
}

/// Every (day, tenths, orders) of the activation tallies that is not zero, counted from
/// `orders` when `recount`, else read from the tallies: the two must be equal.
pub async fn activations(pool: &AnyPool, recount: bool) -> super::Result<Vec<(i64, i64, i64)>> {
    const TALLIED: &str =
        "SELECT day, tenths, orders FROM activation_tallies WHERE orders <> 0 ORDER BY day, tenths";
    const RECOUNT: &str = "SELECT valid_from_ms / 86400000 AS day,
                                  CASE WHEN valid_from_ms > ordered_at_ms THEN (valid_from_ms - ordered_at_ms) / 360000 ELSE 0 END AS tenths,
                                  COUNT(*)
                           FROM orders WHERE valid_from_ms IS NOT NULL
                           GROUP BY 1, 2 ORDER BY 1, 2";
    Ok(sqlx::query_as(if recount { RECOUNT } else { TALLIED }).fetch_all(pool).await?)
}

/// How often the activation tallies have changed: figures computed from them hold until it moves.
pub async fn activations_generation(pool: &AnyPool) -> super::Result<i64> {
    const SQL: &str = "SELECT generation FROM tally_generations WHERE tally = 'activations'";
    Ok(sqlx::query_scalar(SQL).fetch_optional(pool).await?.unwrap_or(0))
}

/// One hour in milliseconds: the deadline tallies' unit of time.
pub const HOUR_MS: i64 = 3_600_000;

/// Orders waiting for approval as the inbox and the overview count them at `now_ms`: (overdue,
/// due within `soon_ms`, assigned to nobody). Whole hours of deadlines are read from the deadline
/// tallies (migration 22) and only the hour `now_ms` (and `now_ms + soon_ms`) falls in is counted
/// in the queue's index (`orders_queue`), so the cost is an hour's orders and a row per hour with
/// pending orders, not every order waiting. For times after the first hour of 1970 (a tally's
/// hour is its deadline divided and truncated, so the hours before `now_ms`'s are all whole).
pub async fn deadline_counts(pool: &AnyPool, now_ms: i64, soon_ms: i64) -> super::Result<(i64, i64, i64)> {
    const SQL: &str = "SELECT (SELECT COALESCE(CAST(SUM(orders) AS BIGINT), 0) FROM deadline_tallies WHERE hour < $1),
                              (SELECT COUNT(*) FROM orders WHERE queue_rank = 0 AND deadline_ms >= $2 AND deadline_ms < $3),
                              (SELECT COALESCE(CAST(SUM(orders) AS BIGINT), 0) FROM deadline_tallies WHERE hour < $4),
                              (SELECT COUNT(*) FROM orders WHERE queue_rank = 0 AND deadline_ms >= $5 AND deadline_ms < $6),
                              (SELECT COALESCE(CAST(SUM(unassigned) AS BIGINT), 0) FROM deadline_tallies)";
    let soon = now_ms.saturating_add(soon_ms);
    let (now_hour, soon_hour) = (now_ms.div_euclid(HOUR_MS), soon.div_euclid(HOUR_MS));
    let (whole, partial, whole_soon, partial_soon, unassigned): (i64, i64, i64, i64, i64) =
        sqlx::query_as(SQL)
            .bind(now_hour)
            .bind(now_hour * HOUR_MS)
            .bind(now_ms)
            .bind(soon_hour)
            .bind(soon_hour * HOUR_MS)
            .bind(soon)
            .fetch_one(pool)
            .await?;
    let (before_now, before_soon) = (whole + partial, whole_soon + partial_soon);
    Ok((before_now, before_soon - before_now, unassigned))
}

/// Every (hour, pending orders, of them unassigned) of the deadline tallies, counted from
/// `orders` when `recount`, else read from the tallies: the two must be equal.
pub async fn deadlines(pool: &AnyPool, recount: bool) -> super::Result<Vec<(i64, i64, i64)>> {
    const TALLIED: &str = "SELECT hour, orders, unassigned FROM deadline_tallies ORDER BY hour";
    const RECOUNT: &str = "SELECT deadline_ms / 3600000 AS hour, COUNT(*),
                                  CAST(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END) AS BIGINT)
                           FROM orders WHERE queue_rank = 0 GROUP BY 1 ORDER BY 1";
    Ok(sqlx::query_as(if recount { RECOUNT } else { TALLIED }).fetch_all(pool).await?)
}
