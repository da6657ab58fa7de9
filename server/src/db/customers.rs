//! SQL for customers, their projects, one-time links and sign-up states.

use sqlx::{AnyPool, FromRow};

/// A customer as stored.
#[derive(Debug, Clone, FromRow)]
pub struct CustomerRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub email_verified_at_ms: Option<i64>,
}

/// One subscription as a customer sees it in a list.
#[derive(Debug, Clone, FromRow)]
pub struct CustomerOrderRow {
    pub subscription_id: String,
    pub project_id: String,
    pub product_name: String,
    pub pricing_plan: String,
    pub lifecycle_state: String,
    pub ordered_at_ms: i64,
    pub deadline_ms: i64,
    pub instance_target: Option<String>,
    pub vendor_name: String,
    pub vendor_website_url: String,
    pub steps_done: i64,
    pub steps_total: i64,
}

/// A customer-visible checklist step.
#[derive(Debug, Clone, FromRow)]
pub struct CustomerStepRow {
    /// Written to the customer; the step's internal title is not read here.
    #[sqlx(flatten)]
    pub wording: super::setup::WordingRow,
    pub done_at_ms: Option<i64>,
}

const CUSTOMER_COLUMNS: &str = "SELECT id, email, password_hash, email_verified_at_ms FROM customers";

pub async fn by_email(pool: &AnyPool, email: &str) -> super::Result<Option<CustomerRow>> {
    Ok(sqlx::query_as::<_, CustomerRow>(&format!("{CUSTOMER_COLUMNS} WHERE email = $1"))
        .bind(email.trim().to_lowercase())
        .fetch_optional(pool)
        .await?)
}

pub async fn by_id(pool: &AnyPool, id: &str) -> super::Result<Option<CustomerRow>> {
    Ok(sqlx::query_as::<_, CustomerRow>(&format!("{CUSTOMER_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// Inserts a customer who registered in `locale` (a tag); a second account for one address fails
/// as a unique violation.
pub async fn insert<'e, E>(
    executor: E,
    id: &str,
    email: &str,
    password_hash: &str,
    locale: &str,
) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str =
        "INSERT INTO customers (id, email, password_hash, created_at_ms, locale) VALUES ($1, $2, $3, $4, $5)";
    sqlx::query(SQL)
        .bind(id)
        .bind(email.trim().to_lowercase())
        .bind(password_hash)
        .bind(crate::db::now_ms())
        .bind(locale)
        .execute(executor)
        .await?;
    Ok(())
}

/// Stores a one-time link for `purpose` (`verify` or `reset`).
pub async fn insert_token<'e, E>(
    executor: E,
    token_hash: &str,
    customer_id: &str,
    purpose: &str,
    expires_at_ms: i64,
) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "INSERT INTO customer_tokens (token_hash, customer_id, purpose, expires_at_ms) VALUES ($1, $2, $3, $4)";
    sqlx::query(SQL)
        .bind(token_hash)
        .bind(customer_id)
        .bind(purpose)
        .bind(expires_at_ms)
        .execute(executor)
        .await?;
    Ok(())
}

/// Uses a one-time link: the customer it belongs to, once; `None` when unknown, used or expired.
pub async fn use_token(pool: &AnyPool, token_hash: &str, purpose: &str) -> super::Result<Option<String>> {
    let now = crate::db::now_ms();
    let Some(customer) = token_owner(pool, token_hash, purpose).await? else {
        return Ok(None);
    };
    const USE: &str =
        "UPDATE customer_tokens SET used_at_ms = $2 WHERE token_hash = $1 AND used_at_ms IS NULL";
    let used = sqlx::query(USE).bind(token_hash).bind(now).execute(pool).await?.rows_affected() == 1;
    Ok(used.then_some(customer))
}

/// The customer whose unused, unexpired link of `purpose` this is, without using it.
pub async fn token_owner(pool: &AnyPool, token_hash: &str, purpose: &str) -> super::Result<Option<String>> {
    const FIND: &str = "SELECT customer_id FROM customer_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at_ms IS NULL AND expires_at_ms > $3";
    Ok(sqlx::query_scalar::<_, String>(FIND)
        .bind(token_hash)
        .bind(purpose)
        .bind(crate::db::now_ms())
        .fetch_optional(pool)
        .await?)
}

/// Ends every unused link of `purpose` of a customer (the other reset links once one was used).
pub async fn end_tokens(pool: &AnyPool, customer_id: &str, purpose: &str) -> super::Result<()> {
    const SQL: &str = "UPDATE customer_tokens SET used_at_ms = $3 WHERE customer_id = $1 AND purpose = $2 AND used_at_ms IS NULL";
    sqlx::query(SQL).bind(customer_id).bind(purpose).bind(crate::db::now_ms()).execute(pool).await?;
    Ok(())
}

pub async fn set_verified(pool: &AnyPool, customer_id: &str) -> super::Result<()> {
    const SQL: &str =
        "UPDATE customers SET email_verified_at_ms = COALESCE(email_verified_at_ms, $2) WHERE id = $1";
    sqlx::query(SQL).bind(customer_id).bind(crate::db::now_ms()).execute(pool).await?;
    Ok(())
}

const ORDER_COLUMNS: &str = "
SELECT o.subscription_id, o.project_id, o.product_name, o.pricing_plan, o.lifecycle_state, o.ordered_at_ms,
       o.deadline_ms, o.instance_target, o.vendor_name, o.vendor_website_url,
       (SELECT COUNT(*) FROM order_steps s WHERE s.subscription_id = o.subscription_id AND s.customer_visible = 1 AND s.done_at_ms IS NOT NULL) AS steps_done,
       (SELECT COUNT(*) FROM order_steps s WHERE s.subscription_id = o.subscription_id AND s.customer_visible = 1) AS steps_total
FROM orders o JOIN customer_projects cp ON cp.project_id = o.project_id AND cp.customer_id = $1";

/// The subscriptions of every project the customer belongs to, newest first.
pub async fn orders_of(pool: &AnyPool, customer_id: &str) -> super::Result<Vec<CustomerOrderRow>> {
    Ok(sqlx::query_as::<_, CustomerOrderRow>(&format!(
        "{ORDER_COLUMNS} ORDER BY o.ordered_at_ms DESC, o.subscription_id"
    ))
    .bind(customer_id)
    .fetch_all(pool)
    .await?)
}

/// One subscription, only if the customer belongs to its project.
pub async fn order_of(
    pool: &AnyPool,
    customer_id: &str,
    subscription_id: &str,
) -> super::Result<Option<CustomerOrderRow>> {
    Ok(sqlx::query_as::<_, CustomerOrderRow>(&format!("{ORDER_COLUMNS} WHERE o.subscription_id = $2"))
        .bind(customer_id)
        .bind(subscription_id)
        .fetch_optional(pool)
        .await?)
}

/// The steps of an order a customer may see, in order.
pub async fn visible_steps(pool: &AnyPool, subscription_id: &str) -> super::Result<Vec<CustomerStepRow>> {
    const SQL: &str = "SELECT customer_title_en, customer_description_en, customer_title_de, customer_description_de,
                              done_at_ms
                       FROM order_steps WHERE subscription_id = $1 AND customer_visible = 1 ORDER BY position";
    Ok(sqlx::query_as::<_, CustomerStepRow>(SQL).bind(subscription_id).fetch_all(pool).await?)
}

pub async fn set_password(pool: &AnyPool, customer_id: &str, password_hash: &str) -> super::Result<()> {
    sqlx::query("UPDATE customers SET password_hash = $2 WHERE id = $1")
        .bind(customer_id)
        .bind(password_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a customer.
pub async fn close_sessions(pool: &AnyPool, customer_id: &str) -> super::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE realm = 'customer' AND subject_id = $1")
        .bind(customer_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Links for `purpose` of a customer that still work (to limit how many are mailed).
pub async fn live_tokens(pool: &AnyPool, customer_id: &str, purpose: &str) -> super::Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM customer_tokens WHERE customer_id = $1 AND purpose = $2 AND used_at_ms IS NULL AND expires_at_ms > $3";
    Ok(sqlx::query_scalar::<_, i64>(SQL)
        .bind(customer_id)
        .bind(purpose)
        .bind(crate::db::now_ms())
        .fetch_one(pool)
        .await?)
}

/// The language tag a customer's mails are written in.
pub async fn locale_of(pool: &AnyPool, customer_id: &str) -> super::Result<String> {
    const SQL: &str = "SELECT locale FROM customers WHERE id = $1";
    Ok(sqlx::query_scalar(SQL).bind(customer_id).fetch_one(pool).await?)
}
