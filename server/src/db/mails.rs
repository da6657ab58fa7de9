//! Captured mails: where mail goes when no SMTP relay is configured (demo, tests), for admins to
//! read in the outbox.

use sqlx::AnyPool;

/// Keeps one mail.
pub async fn capture(pool: &AnyPool, to: &str, subject: &str, body: &str) -> sqlx::Result<()> {
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
