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
    /// Ordered at + approval window (STACKIT's, else the product's, else 30 days).
    pub deadline_ms: i64,
    /// 0 for pending orders, 1 for all others: the inbox shows pending work first.
    pub queue_rank: i64,
}

/// The columns an order is written with, in the order `bind_values` binds them.
macro_rules! order_columns {
    () => {
        "subscription_id, organization_id, project_id, lifecycle_state, lifecycle_state_raw,
    ordered_at, ordered_at_ms, approval_timeout, approval_timeout_secs, auto_renewal,
    terminates_at, terminates_at_ms, valid_from, valid_from_ms, valid_until, valid_until_ms,
    product_id, product_name, plan_id, vendor_plan_id, vendor_product_id, price_type,
    pricing_plan, delivery_method, product_lifecycle_state, vendor_name, vendor_website_url,
    rate, validity_period, validity_period_secs, notice_period, notice_period_secs, assets_json,
    consumer_notification_email, contact_email, contact_email_source, instance_target,
    first_seen_at_ms, updated_at_ms, deadline_ms, queue_rank"
    };
}

/// How many columns `order_columns!` names.
const ORDER_COLUMNS: usize = 41;

/// The insert of every column; the statements below add what happens on conflict.
macro_rules! insert_order {
    () => {
        concat!(
            "INSERT INTO orders (",
            order_columns!(),
            ") VALUES (
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
    $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39,
    $40, $41
)
"
        )
    };
}

/// On conflict, the columns STACKIT owns are overwritten and ours kept: the first-seen time
/// stays, a contact e-mail is only set where there is none, an instance target only added.
macro_rules! stackit_update {
    () => {
        "ON CONFLICT (subscription_id) DO UPDATE SET
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
    updated_at_ms = excluded.updated_at_ms,
    deadline_ms = excluded.deadline_ms,
    queue_rank = excluded.queue_rank"
    };
}

const UPSERT_SQL: &str = concat!(insert_order!(), stackit_update!());
const UPDATE_UNCHANGED_SINCE_SQL: &str =
    concat!(insert_order!(), stackit_update!(), " WHERE orders.updated_at_ms = $42");

fn bind_row<'q>(
    sql: &'q str,
    row: &'q OrderRow,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    bind_values(sqlx::query(sql), row)
}

/// Binds an order's values, in the order of `order_columns!`, after those already bound.
fn bind_values<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    row: &'q OrderRow,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
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
        .bind(row.deadline_ms)
        .bind(row.queue_rank)
}

/// Inserts the order, or updates the STACKIT-owned fields of an existing one. Takes any executor
/// so it can share a transaction with its events.
pub async fn upsert<'e, E>(executor: E, row: &OrderRow) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    bind_row(UPSERT_SQL, row).execute(executor).await?;
    Ok(())
}

/// Inserts the orders that do not exist yet; the IDs it inserted (the others were stored by
/// another writer first). In statements of up to 100 rows: one statement per row cost a large
/// sync a round trip to SQLite's worker thread for each order.
pub async fn insert_new_many(
    tx: &mut sqlx::AnyConnection,
    kind: crate::db::DatabaseKind,
    rows: &[OrderRow],
) -> super::Result<Vec<String>> {
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(100) {
        let sql = format!(
            "INSERT INTO orders ({}) VALUES {} ON CONFLICT (subscription_id) DO NOTHING RETURNING subscription_id",
            order_columns!(),
            super::value_rows(kind, chunk.len(), ORDER_COLUMNS)
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = bind_values(query, row);
        }
        for row in query.fetch_all(&mut *tx).await? {
            inserted.push(sqlx::Row::try_get(&row, 0)?);
        }
    }
    Ok(inserted)
}

/// Updates STACKIT's fields of a known order if nobody changed it since `updated_at_ms` (read
/// before); false when someone did (another sync run was first).
pub async fn update_unchanged_since(
    tx: &mut sqlx::AnyConnection,
    row: &OrderRow,
    updated_at_ms: i64,
) -> super::Result<bool> {
    let result = bind_row(UPDATE_UNCHANGED_SINCE_SQL, row).bind(updated_at_ms).execute(&mut *tx).await?;
    Ok(result.rows_affected() == 1)
}

const GET_SQL: &str = "SELECT * FROM orders WHERE subscription_id = $1";

/// One order by its subscription ID.
pub async fn get(pool: &AnyPool, subscription_id: &str) -> super::Result<Option<OrderRow>> {
    Ok(sqlx::query_as::<_, OrderRow>(GET_SQL).bind(subscription_id).fetch_optional(pool).await?)
}

/// The stored orders among `subscription_ids` (any number; queried in chunks).
pub async fn get_many(
    pool: &AnyPool,
    kind: crate::db::DatabaseKind,
    subscription_ids: &[&str],
) -> super::Result<Vec<OrderRow>> {
    let mut rows = Vec::with_capacity(subscription_ids.len());
    for chunk in subscription_ids.chunks(500) {
        let sql = format!(
            "SELECT * FROM orders WHERE subscription_id IN ({})",
            super::placeholders(kind, chunk.len())
        );
        let mut query = sqlx::query_as::<_, OrderRow>(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(pool).await?);
    }
    Ok(rows)
}

/// Whether any order is stored (a first sync finds none).
pub async fn any_stored(pool: &AnyPool) -> super::Result<bool> {
    let any: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM orders LIMIT 1) o").fetch_one(pool).await?;
    Ok(any > 0)
}

/// Orders STACKIT may still change: every state but the final ones.
pub async fn open_ids(pool: &AnyPool) -> super::Result<Vec<String>> {
    const SQL: &str = "SELECT subscription_id FROM orders
                       WHERE lifecycle_state NOT IN ('SUBSCRIPTION_CANCELLED', 'SUBSCRIPTION_REJECTED',
                                                     'SUBSCRIPTION_APPROVAL_TIMED_OUT')";
    Ok(sqlx::query_scalar(SQL).fetch_all(pool).await?)
}

/// Orders waiting for approval.
pub async fn pending_ids(pool: &AnyPool) -> super::Result<Vec<String>> {
    const SQL: &str = "SELECT subscription_id FROM orders WHERE queue_rank = 0 ORDER BY deadline_ms";
    Ok(sqlx::query_scalar(SQL).fetch_all(pool).await?)
}

/// Pending orders whose deadline is after `now_ms` and at most `within_ms` away: (ID, deadline,
/// first seen).
pub async fn due_within(
    pool: &AnyPool,
    now_ms: i64,
    within_ms: i64,
) -> super::Result<Vec<(String, i64, i64)>> {
    const SQL: &str = "SELECT subscription_id, deadline_ms, first_seen_at_ms FROM orders
                       WHERE queue_rank = 0 AND deadline_ms > $1 AND deadline_ms <= $2";
    Ok(sqlx::query_as(SQL).bind(now_ms).bind(now_ms.saturating_add(within_ms)).fetch_all(pool).await?)
}

/// Subscriptions that were live and ended between `since_ms` and `now_ms` (cancelled, their
/// notice period over): the customer's instance is to be removed. (ID, end, first seen).
pub async fn ended_between(
    pool: &AnyPool,
    since_ms: i64,
    now_ms: i64,
) -> super::Result<Vec<(String, i64, i64)>> {
    const SQL: &str = "SELECT subscription_id, terminates_at_ms, first_seen_at_ms FROM orders
                       WHERE lifecycle_state IN ('SUBSCRIPTION_CANCELLING', 'SUBSCRIPTION_CANCELLED')
                         AND valid_from_ms IS NOT NULL
                         AND terminates_at_ms IS NOT NULL AND terminates_at_ms > $1 AND terminates_at_ms <= $2";
    Ok(sqlx::query_as(SQL).bind(since_ms).bind(now_ms).fetch_all(pool).await?)
}
