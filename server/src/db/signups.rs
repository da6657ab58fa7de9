//! SQL for sign-up states: the short-lived link between STACKIT's redirect and the account a
//! customer registers or signs in with, and the redirect tokens already used.

use sqlx::{AnyPool, FromRow};

/// A sign-up state still open.
#[derive(Debug, Clone, FromRow)]
pub struct SignupRow {
    pub subscription_id: String,
    pub project_id: String,
}

/// The subscription a marketplace token was exchanged for, if it was.
pub async fn used_marketplace_token(pool: &AnyPool, token_hash: &str) -> super::Result<Option<String>> {
    const SQL: &str = "SELECT subscription_id FROM marketplace_tokens WHERE token_hash = $1";
    Ok(sqlx::query_scalar::<_, String>(SQL).bind(token_hash).fetch_optional(pool).await?)
}

/// Records that a marketplace token was exchanged; `false` if it had been already.
pub async fn record_marketplace_token<'e, E>(
    executor: E,
    token_hash: &str,
    subscription_id: &str,
) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "INSERT INTO marketplace_tokens (token_hash, subscription_id, used_at_ms) VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO NOTHING";
    let done = sqlx::query(SQL)
        .bind(token_hash)
        .bind(subscription_id)
        .bind(crate::db::now_ms())
        .execute(executor)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_signup<'e, E>(
    executor: E,
    token_hash: &str,
    subscription_id: &str,
    project_id: &str,
    expires_at_ms: i64,
) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "INSERT INTO signups (token_hash, subscription_id, project_id, expires_at_ms) VALUES ($1, $2, $3, $4)";
    sqlx::query(SQL)
        .bind(token_hash)
        .bind(subscription_id)
        .bind(project_id)
        .bind(expires_at_ms)
        .execute(executor)
        .await?;
    Ok(())
}

/// A sign-up state that is neither claimed nor expired.
pub async fn open_signup(pool: &AnyPool, token_hash: &str) -> super::Result<Option<SignupRow>> {
    const SQL: &str = "SELECT subscription_id, project_id FROM signups WHERE token_hash = $1 AND claimed_at_ms IS NULL AND expires_at_ms > $2";
    Ok(sqlx::query_as::<_, SignupRow>(SQL)
        .bind(token_hash)
        .bind(crate::db::now_ms())
        .fetch_optional(pool)
        .await?)
}

/// The subscription of a sign-up state, claimed or not, while it has not expired.
pub async fn signup_subscription(pool: &AnyPool, token_hash: &str) -> super::Result<Option<String>> {
    const SQL: &str = "SELECT subscription_id FROM signups WHERE token_hash = $1 AND expires_at_ms > $2";
    Ok(sqlx::query_scalar::<_, String>(SQL)
        .bind(token_hash)
        .bind(crate::db::now_ms())
        .fetch_optional(pool)
        .await?)
}

/// Claims a sign-up state for an account, once.
pub async fn claim_signup<'e, E>(executor: E, token_hash: &str) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "UPDATE signups SET claimed_at_ms = $2 WHERE token_hash = $1 AND claimed_at_ms IS NULL AND expires_at_ms > $2";
    Ok(sqlx::query(SQL).bind(token_hash).bind(crate::db::now_ms()).execute(executor).await?.rows_affected()
        == 1)
}

/// Makes the customer's address the order's contact when STACKIT gave none.
pub async fn offer_contact_email<'e, E>(
    executor: E,
    subscription_id: &str,
    email: &str,
) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    const SQL: &str = "UPDATE orders SET contact_email = $2, contact_email_source = 'customer' WHERE subscription_id = $1 AND contact_email IS NULL";
    Ok(sqlx::query(SQL).bind(subscription_id).bind(email).execute(executor).await?.rows_affected() == 1)
}
