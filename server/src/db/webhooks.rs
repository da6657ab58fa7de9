//! What the webhook reads: order events, with the order they belong to, that have no delivery
//! queued yet.

use sqlx::{AnyPool, FromRow};

/// One event to deliver, with its order's fields at the time of reading.
#[derive(Debug, FromRow)]
pub struct PendingEvent {
    pub id: i64,
    pub subscription_id: Option<String>,
    pub kind: String,
    /// Who caused it, as stored (`operator:<id>`, `token:<name>`, `stackit`, `orderdesk`).
    pub actor: String,
    pub detail: String,
    pub created_at_ms: i64,
    pub lifecycle_state: Option<String>,
    pub product_id: Option<String>,
    pub pricing_plan: Option<String>,
    pub project_id: Option<String>,
    pub organization_id: Option<String>,
    pub contact_email: Option<String>,
}

/// The newest event ID recorded before `before_ms` (0 when none).
pub async fn newest_event_before(pool: &AnyPool, before_ms: i64) -> super::Result<i64> {
    const SQL: &str = "SELECT COALESCE(MAX(id), 0) FROM events WHERE created_at_ms < $1";
    Ok(sqlx::query_scalar(SQL).bind(before_ms).fetch_one(pool).await?)
}

/// The newest event ID after `after_id` recorded before `before_ms` (`after_id` when none).
pub async fn settled_after(pool: &AnyPool, after_id: i64, before_ms: i64) -> super::Result<i64> {
    const SQL: &str = "SELECT COALESCE(MAX(id), $1) FROM events WHERE id > $1 AND created_at_ms < $2";
    Ok(sqlx::query_scalar(SQL).bind(after_id).bind(before_ms).fetch_one(pool).await?)
}

/// Up to `limit` events of `kinds` after `after_id` that have no delivery job yet, oldest first.
pub async fn undelivered(
    pool: &AnyPool,
    after_id: i64,
    kinds: &[&str],
    limit: usize,
) -> super::Result<Vec<PendingEvent>> {
    // The kinds are our own constants, never input: written into the statement.
    let kinds: Vec<String> = kinds.iter().map(|kind| format!("'{kind}'")).collect();
    let sql = format!(
        "SELECT e.id, e.subscription_id, e.kind, e.actor, e.detail, e.created_at_ms, o.lifecycle_state, o.product_id,
                o.pricing_plan, o.project_id, o.organization_id, o.contact_email
         FROM events e LEFT JOIN orders o ON o.subscription_id = e.subscription_id
         WHERE e.id > $1 AND e.kind IN ({})
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.dedupe_key = 'webhook:' || e.id)
         ORDER BY e.id LIMIT {limit}",
        kinds.join(", ")
    );
    Ok(sqlx::query_as::<_, PendingEvent>(&sql).bind(after_id).fetch_all(pool).await?)
}

/// The newest webhook deliveries: (job ID, payload, state, attempts, last error, updated at).
pub async fn deliveries(
    pool: &AnyPool,
) -> super::Result<Vec<(String, String, String, i64, Option<String>, i64)>> {
    const SQL: &str = "SELECT id, payload, state, attempts, last_error, updated_at_ms FROM jobs
                       WHERE kind = 'webhook' ORDER BY created_at_ms DESC, id LIMIT 100";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}
