//! Captured mails: where mail goes when no SMTP relay is configured (demo, tests), for admins to
//! read in the outbox.

use sqlx::{AnyPool, FromRow};

/// One captured mail.
#[derive(Debug, FromRow)]
pub struct CapturedMailRow {
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// Keeps one mail.
pub async fn capture(pool: &AnyPool, to: &str, subject: &str, body: &str) -> super::Result<()> {
    const SQL: &str = "INSERT INTO captured_mails (id, recipient, subject, body, created_at_ms) VALUES ($1, $2, $3, $4, $5)";
    sqlx::query(SQL)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(super::now_ms())
        .execute(pool)
        .await?;
    Ok(())
}

/// The newest captured mails (at most 200), newest first.
pub async fn recent(pool: &AnyPool) -> super::Result<Vec<CapturedMailRow>> {
    const SQL: &str = "SELECT recipient, subject, body, created_at_ms FROM captured_mails ORDER BY created_at_ms DESC, id LIMIT 200";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}
