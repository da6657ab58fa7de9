//! The `orders` table: one row per STACKIT subscription, with every field the Vendor API gives.

use sqlx::{AnyPool, FromRow};

/// One order as stored. Field names follow the columns; see the migration for their meaning.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct OrderRow {
    pub subscription_id: String,
    pub organization_id: String,
    pub project_id: String,
    /// Normalised state (`SUBSCRIPTION_*`, or `UNKNOWN` for values we do not know).
    pub lifecycle_state: String,
    /// The state exactly as STACKIT sent it.
    pub lifecycle_state_raw: String,
    pub ordered_at: String,
    pub ordered_at_ms: i64,
    pub approval_timeout: Option<String>,
    pub approval_timeout_secs: Option<i64>,
    /// 0 or 1 (SQLite has no boolean the `Any` driver can read).
    pub auto_renewal: Option<i64>,
    pub terminates_at: Option<String>,
    pub terminates_at_ms: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_from_ms: Option<i64>,
    pub valid_until: Option<String>,
    pub valid_until_ms: Option<i64>,
    pub product_id: String,
    pub product_name: String,
    pub plan_id: String,
    pub vendor_plan_id: Option<String>,
    pub vendor_product_id: Option<String>,
    pub price_type: String,
    pub pricing_plan: String,
    pub delivery_method: String,
    pub product_lifecycle_state: String,
    pub vendor_name: String,
    pub vendor_website_url: String,
    pub rate: String,
    pub validity_period: String,
    pub validity_period_secs: Option<i64>,
    pub notice_period: String,
    pub notice_period_secs: Option<i64>,
    pub assets_json: Option<String>,
    pub consumer_notification_email: Option<String>,
    pub contact_email: Option<String>,
    pub contact_email_source: Option<String>,
    pub instance_target: Option<String>,
    pub first_seen_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Columns STACKIT owns: a sync overwrites these and nothing else.
const UPSERT_SQL: &str = "
INSERT INTO orders (
    subscription_id, organization_id, project_id, lifecycle_state, lifecycle_state_raw,
    ordered_at, ordered_at_ms, approval_timeout, approval_timeout_secs, auto_renewal,
    terminates_at, terminates_at_ms, valid_from, valid_from_ms, valid_until, valid_until_ms,
    product_id, product_name, plan_id, vendor_plan_id, vendor_product_id, price_type,
    pricing_plan, delivery_method, product_lifecycle_state, vendor_name, vendor_website_url,
    rate, validity_period, validity_period_secs, notice_period, notice_period_secs, assets_json,
    consumer_notification_email, contact_email, contact_email_source, instance_target,
    first_seen_at_ms, updated_at_ms
) VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
    $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39
)
ON CONFLICT (subscription_id) DO UPDATE SET
    organization_id = excluded.organization_id,
    project_id = excluded.project_id,
    lifecycle_state = excluded.lifecycle_state,
    lifecycle_state_raw = excluded.lifecycle_state_raw,
    ordered_at = excluded.ordered_at,
    ordered_at_ms = excluded.ordered_at_ms,
    approval_timeout = excluded.approval_timeout,
    approval_timeout_secs = excluded.approval_timeout_secs,
    auto_renewal = excluded.auto_renewal,
    terminates_at = excluded.terminates_at,
    terminates_at_ms = excluded.terminates_at_ms,
    valid_from = excluded.valid_from,
    valid_from_ms = excluded.valid_from_ms,
    valid_until = excluded.valid_until,
    valid_until_ms = excluded.valid_until_ms,
    product_id = excluded.product_id,
    product_name = excluded.product_name,
    plan_id = excluded.plan_id,
    vendor_plan_id = excluded.vendor_plan_id,
    vendor_product_id = excluded.vendor_product_id,
    price_type = excluded.price_type,
    pricing_plan = excluded.pricing_plan,
    delivery_method = excluded.delivery_method,
    product_lifecycle_state = excluded.product_lifecycle_state,
    vendor_name = excluded.vendor_name,
    vendor_website_url = excluded.vendor_website_url,
    rate = excluded.rate,
    validity_period = excluded.validity_period,
    validity_period_secs = excluded.validity_period_secs,
    notice_period = excluded.notice_period,
    notice_period_secs = excluded.notice_period_secs,
    assets_json = excluded.assets_json,
    consumer_notification_email = excluded.consumer_notification_email,
    contact_email = COALESCE(orders.contact_email, excluded.contact_email),
    contact_email_source = COALESCE(orders.contact_email_source, excluded.contact_email_source),
    instance_target = COALESCE(excluded.instance_target, orders.instance_target),
    updated_at_ms = excluded.updated_at_ms";

/// Inserts the order, or updates the STACKIT-owned fields of an existing one. The first-seen time
/// is only set on insert, and a contact e-mail only where the order has none: once set, changing
/// it is ours to do. Takes any executor so it can share a transaction with its events.
pub async fn upsert<'e, E>(executor: E, row: &OrderRow) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(UPSERT_SQL)
        .bind(&row.subscription_id)
        .bind(&row.organization_id)
        .bind(&row.project_id)
        .bind(&row.lifecycle_state)
        .bind(&row.lifecycle_state_raw)
        .bind(&row.ordered_at)
        .bind(row.ordered_at_ms)
        .bind(&row.approval_timeout)
        .bind(row.approval_timeout_secs)
        .bind(row.auto_renewal)
        .bind(&row.terminates_at)
        .bind(row.terminates_at_ms)
        .bind(&row.valid_from)
        .bind(row.valid_from_ms)
        .bind(&row.valid_until)
        .bind(row.valid_until_ms)
        .bind(&row.product_id)
        .bind(&row.product_name)
        .bind(&row.plan_id)
        .bind(&row.vendor_plan_id)
        .bind(&row.vendor_product_id)
        .bind(&row.price_type)
        .bind(&row.pricing_plan)
        .bind(&row.delivery_method)
        .bind(&row.product_lifecycle_state)
        .bind(&row.vendor_name)
        .bind(&row.vendor_website_url)
        .bind(&row.rate)
        .bind(&row.validity_period)
        .bind(row.validity_period_secs)
        .bind(&row.notice_period)
        .bind(row.notice_period_secs)
        .bind(&row.assets_json)
        .bind(&row.consumer_notification_email)
        .bind(&row.contact_email)
        .bind(&row.contact_email_source)
        .bind(&row.instance_target)
        .bind(row.first_seen_at_ms)
        .bind(row.updated_at_ms)
        .execute(executor)
        .await?;
    Ok(())
}

const GET_SQL: &str = "SELECT * FROM orders WHERE subscription_id = $1";

/// One order by its subscription ID.
pub async fn get(pool: &AnyPool, subscription_id: &str) -> sqlx::Result<Option<OrderRow>> {
    sqlx::query_as::<_, OrderRow>(GET_SQL).bind(subscription_id).fetch_optional(pool).await
}

/// The stored orders among `subscription_ids` (any number; queried in chunks).
pub async fn get_many(pool: &AnyPool, subscription_ids: &[&str]) -> sqlx::Result<Vec<OrderRow>> {
    let mut rows = Vec::with_capacity(subscription_ids.len());
    for chunk in subscription_ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT * FROM orders WHERE subscription_id IN ({})", placeholders.join(", "));
        let mut query = sqlx::query_as::<_, OrderRow>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(pool).await?);
    }
    Ok(rows)
}

const COUNTS_SQL: &str =
    "SELECT lifecycle_state, COUNT(*) FROM orders GROUP BY lifecycle_state ORDER BY lifecycle_state";

/// Number of orders per stored lifecycle state (states without orders are absent).
pub async fn counts_by_state(pool: &AnyPool) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as::<_, (String, i64)>(COUNTS_SQL).fetch_all(pool).await
}
