//! What changed since a page was drawn, read from the change record every write already keeps
//! (`events`), and who else has an order open (`order_viewers`). Both live in the database, so
//! an open page on one replica sees what a colleague did through another.

use sqlx::AnyPool;

/// Past this many changes a page stops counting (it reloads or offers to).
pub const MOST: i64 = 10_000;

/// The newest change so far: a page drawn now has seen every change up to it.
pub async fn latest(pool: &AnyPool) -> super::Result<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(pool).await?)
}

/// Changes recorded after `since` (up to [`MOST`]) and how many of them are new orders. A
/// count rather than the newest ID: on PostgreSQL a transaction may commit after one that took
/// a later ID, and its change still counts when it appears.
pub async fn changes_since(pool: &AnyPool, since: i64) -> super::Result<(i64, i64)> {
    const SQL: &str = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE id > $1 LIMIT $2) e),
                              (SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE kind = $3 AND id > $1 LIMIT $2) n)";
    Ok(sqlx::query_as(SQL)
        .bind(since)
        .bind(MOST)
        .bind(app::model::EventKind::OrderCreated.as_str())
        .fetch_one(pool)
        .await?)
}

/// Changes to one order recorded after `since`.
pub async fn order_changes_since(pool: &AnyPool, subscription_id: &str, since: i64) -> super::Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM events WHERE subscription_id = $1 AND id > $2";
    Ok(sqlx::query_scalar(SQL).bind(subscription_id).bind(since).fetch_one(pool).await?)
}

/// The orders changed after `since`, the most recently changed first (at most 200).
pub async fn changed_orders(pool: &AnyPool, since: i64) -> super::Result<Vec<String>> {
    const SQL: &str = "SELECT subscription_id FROM events WHERE id > $1 AND subscription_id IS NOT NULL
                       GROUP BY subscription_id ORDER BY MAX(id) DESC LIMIT 200";
    Ok(sqlx::query_scalar(SQL).bind(since).fetch_all(pool).await?)
}

/// How long a note that someone has an order open stands before it is written again: every open
/// page asks every few seconds, and a write per ask (a flood of asks) would take SQLite's single
/// write lock from the work that matters.
pub const SEEN_REFRESH_MS: i64 = 10_000;

/// Notes that `operator` has the order open at `now_ms` (an order there is: an address made up
/// writes nothing), forgetting who left long ago. A note younger than [`SEEN_REFRESH_MS`] stands:
/// only read, nothing written.
pub async fn seen(pool: &AnyPool, subscription_id: &str, operator: &str, now_ms: i64) -> super::Result<()> {
    const LAST: &str = "SELECT seen_at_ms FROM order_viewers WHERE subscription_id = $1 AND operator_id = $2";
    let last: Option<i64> =
        sqlx::query_scalar(LAST).bind(subscription_id).bind(operator).fetch_optional(pool).await?;
    if last.is_some_and(|at| at > now_ms - SEEN_REFRESH_MS) {
        return Ok(());
    }
    const TOUCH: &str = "INSERT INTO order_viewers (subscription_id, operator_id, seen_at_ms)
                         SELECT subscription_id, $2, $3 FROM orders WHERE subscription_id = $1
                         ON CONFLICT (subscription_id, operator_id) DO UPDATE SET seen_at_ms = excluded.seen_at_ms";
    const FORGET: &str = "DELETE FROM order_viewers WHERE subscription_id = $1 AND seen_at_ms < $2";
    sqlx::query(TOUCH).bind(subscription_id).bind(operator).bind(now_ms).execute(pool).await?;
    sqlx::query(FORGET).bind(subscription_id).bind(now_ms - 3_600_000).execute(pool).await?;
    Ok(())
}

/// The names of the others who had the order open at `since_ms` or later.
pub async fn others(
    pool: &AnyPool,
    subscription_id: &str,
    operator: &str,
    since_ms: i64,
) -> super::Result<Vec<String>> {
    const SQL: &str = "SELECT o.display_name FROM order_viewers v JOIN operators o ON o.id = v.operator_id
                       WHERE v.subscription_id = $1 AND v.operator_id <> $2 AND v.seen_at_ms >= $3
                       ORDER BY o.display_name";
    Ok(sqlx::query_scalar(SQL).bind(subscription_id).bind(operator).bind(since_ms).fetch_all(pool).await?)
}
