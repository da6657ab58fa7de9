//! The `events` table: the append-only audit trail of what happened to orders and who did it.

use app::model::{Actor, EventKind};
use sqlx::{AnyPool, FromRow};

/// One recorded event.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub subscription_id: Option<String>,
    pub kind: String,
    pub actor: String,
    /// JSON with the event's particulars (e.g. `{"from": ..., "to": ...}`).
    pub detail: String,
    pub created_at_ms: i64,
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub subscription_id: Option<&'a str>,
    pub kind: EventKind,
    pub actor: &'a Actor,
    pub detail: serde_json::Value,
}

const INSERT_SQL: &str =
    "INSERT INTO events (subscription_id, kind, actor, detail, created_at_ms) VALUES ($1, $2, $3, $4, $5)";

/// Appends an event. Takes any executor so it can share a transaction with the change it records.
pub async fn record<'e, E>(executor: E, event: &NewEvent<'_>) -> super::Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(INSERT_SQL)
        .bind(event.subscription_id)
        .bind(event.kind.as_str())
        .bind(event.actor.to_string())
        .bind(event.detail.to_string())
        .bind(super::now_ms())
        .execute(executor)
        .await?;
    Ok(())
}

/// Appends several events, one statement per 100 (the sync's new orders, a batch at a time).
pub async fn record_many(tx: &mut sqlx::AnyConnection, events: &[NewEvent<'_>]) -> super::Result<()> {
    // 100 rows at a time: one statement's parameters stay few enough for either engine.
    for chunk in events.chunks(100) {
        record_chunk(tx, chunk).await?;
    }
    Ok(())
}

/// One statement for at most 100 events (at least one).
async fn record_chunk(tx: &mut sqlx::AnyConnection, events: &[NewEvent<'_>]) -> super::Result<()> {
    let sql = format!(
        "INSERT INTO events (subscription_id, kind, actor, detail, created_at_ms) VALUES {}",
        super::value_rows(super::kind_of(tx), events.len(), 5)
    );
    let now = super::now_ms();
    let mut query = sqlx::query(&sql);
    for event in events {
        query = query
            .bind(event.subscription_id)
            .bind(event.kind.as_str())
            .bind(event.actor.to_string())
            .bind(event.detail.to_string())
            .bind(now);
    }
    query.execute(&mut *tx).await?;
    Ok(())
}

const FOR_ORDER_SQL: &str = "SELECT * FROM events WHERE subscription_id = $1 ORDER BY id";

/// The events of one order, oldest first.
pub async fn for_order(pool: &AnyPool, subscription_id: &str) -> super::Result<Vec<EventRow>> {
    Ok(sqlx::query_as::<_, EventRow>(FOR_ORDER_SQL).bind(subscription_id).fetch_all(pool).await?)
}

/// An event with the name of the operator who caused it (if an operator did).
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct NamedEventRow {
    pub kind: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub detail: String,
    pub created_at_ms: i64,
}

const NAMED_SQL: &str = "SELECT e.kind, e.actor, o.display_name AS actor_name, e.detail, e.created_at_ms
                         FROM events e LEFT JOIN operators o ON e.actor = 'operator:' || o.id
                         WHERE e.subscription_id = $1 ORDER BY e.id";

/// An order's timeline, oldest first, with operators' names.
pub async fn for_order_with_names(
    pool: &AnyPool,
    subscription_id: &str,
) -> super::Result<Vec<NamedEventRow>> {
    Ok(sqlx::query_as::<_, NamedEventRow>(NAMED_SQL).bind(subscription_id).fetch_all(pool).await?)
}

/// One audit-log line: an event with the acting operator's name.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub subscription_id: Option<String>,
    pub kind: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub detail: String,
    pub created_at_ms: i64,
}

/// Events across all orders, newest first, optionally by actor, order or kind, before an ID.
/// Only the filters given are in the statement, so each is served by its index (`events_by_*`,
/// newest first from `id`) rather than every event being read and tested.
pub async fn audit(
    pool: &AnyPool,
    actor: Option<&str>,
    subscription_id: Option<&str>,
    kind: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> super::Result<Vec<AuditRow>> {
    let filters: Vec<(&str, &str)> =
        [("e.actor", actor), ("e.subscription_id", subscription_id), ("e.kind", kind)]
            .into_iter()
            .filter_map(|(column, value)| value.map(|value| (column, value)))
            .collect();
    let mut sql = String::from(
        "SELECT e.id, e.subscription_id, e.kind, e.actor, o.display_name AS actor_name, e.detail, e.created_at_ms
         FROM events e LEFT JOIN operators o ON e.actor = 'operator:' || o.id WHERE e.id < $1",
    );
    for (n, (column, _)) in filters.iter().enumerate() {
        sql.push_str(&format!(" AND {column} = ${}", n + 2));
    }
    sql.push_str(&format!(" ORDER BY e.id DESC LIMIT ${}", filters.len() + 2));
    let mut query = sqlx::query_as::<_, AuditRow>(&sql).bind(before_id.unwrap_or(i64::MAX));
    for (_, value) in filters {
        query = query.bind(value);
    }
    Ok(query.bind(limit).fetch_all(pool).await?)
}
