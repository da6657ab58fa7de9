//! The `order_notes` table: operators' internal notes on an order.

use sqlx::{AnyPool, FromRow};

/// A note with its author's name.
#[derive(Debug, Clone, FromRow)]
pub struct NoteRow {
    pub author: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// Adds a note.
pub async fn add(
    tx: &mut sqlx::AnyConnection,
    subscription_id: &str,
    author: &app::model::Actor,
    body: &str,
) -> super::Result<()> {
    const SQL: &str =
        "INSERT INTO order_notes (id, subscription_id, author_id, author_token, body, created_at_ms)
                       VALUES ($1, $2, $3, $4, $5, $6)";
    let (operator, token) = super::setup::doer(author);
    sqlx::query(SQL)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(subscription_id)
        .bind(operator)
        .bind(token)
        .bind(body)
        .bind(super::now_ms())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// An order's notes, oldest first.
pub async fn for_order(pool: &AnyPool, subscription_id: &str) -> super::Result<Vec<NoteRow>> {
    const SQL: &str =
        "SELECT COALESCE(o.display_name, n.author_token || ' (API)') AS author, n.body, n.created_at_ms
                       FROM order_notes n LEFT JOIN operators o ON o.id = n.author_id
                       WHERE n.subscription_id = $1 ORDER BY n.created_at_ms, n.id";
    Ok(sqlx::query_as::<_, NoteRow>(SQL).bind(subscription_id).fetch_all(pool).await?)
}
