//! A first sync into an empty `orders` table on SQLite, loaded without the indexes that only
//! serve pages, which are built once at its end.
//!
//! Each index keyed by a random value (a deadline, an order time, a subscription ID) takes a row
//! of every batch on a different leaf page, so a batch of 5,000 new orders rewrote nearly every
//! page of the inbox's five queue and sort indexes (and of the timeline's and steps' by order),
//! and wrote each into the write-ahead log at its commit: the cost of a batch grew with the
//! table, and the first sync of 100,000 orders spent most of its time there (13.6 s in process,
//! 9.4 s without them). Building an index from the finished table sorts it once. What a sync
//! reads itself (primary keys, a project's orders of a product, a plan change's predecessor,
//! unique keys) keeps its index; pages served meanwhile still answer, from the tables.
//!
//! The definitions are kept in `deferred_indexes`, written in the same transaction that drops
//! them, so a process that stops mid-load builds them at its next start ([`restore`] runs before
//! the migrations). PostgreSQL maintains its indexes on a bulk load well enough (its first sync
//! is within its goal) and never defers.

use sqlx::Executor as _;

use super::{Database, DatabaseKind, Result};

/// The indexes that serve only pages (the inbox's and API's orderings and filters, an order's
/// timeline and steps): nothing a sync reads.
const DEFERRABLE: [&str; 7] = [
    "orders_queue",
    "orders_newest",
    "orders_state_queue",
    "orders_by_state",
    "orders_assignee_queue",
    "events_by_order",
    "order_steps_by_order",
];

/// On SQLite, when `orders` is empty: drops the [`DEFERRABLE`] indexes and keeps their
/// definitions for [`restore`]. Whether any index is deferred now (by this call or by a sync that
/// began alongside); never on PostgreSQL.
pub async fn defer(db: &Database) -> Result<bool> {
    if db.kind() != DatabaseKind::Sqlite {
        return Ok(false);
    }
    let mut bulk = db.bulk_connection().await?;
    let deferred = defer_on(bulk.connection()).await;
    bulk.release().await;
    deferred
}

async fn defer_on(connection: &mut sqlx::AnyConnection) -> Result<bool> {
    let mut tx = sqlx::Connection::begin_with(&mut *connection, "BEGIN IMMEDIATE").await?;
    // Integers, not booleans: the `Any` driver reads SQLite's truth values as numbers.
    let stored: i64 = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM orders)").fetch_one(&mut *tx).await?;
    if stored != 0 {
        return Ok(false);
    }
    for name in DEFERRABLE {
        const DEFINITION: &str = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?";
        let Some(definition) = sqlx::query_scalar::<_, Option<String>>(DEFINITION)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .flatten()
        else {
            continue;
        };
        sqlx::query(
            "INSERT INTO deferred_indexes (name, definition) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(definition)
        .execute(&mut *tx)
        .await?;
        // `name` is one of the constants above, never input.
        tx.execute(format!("DROP INDEX {name}").as_str()).await?;
    }
    let deferred: i64 =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM deferred_indexes)").fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(deferred != 0)
}

/// Builds every deferred index that is missing and forgets the definitions, in one transaction
/// (the sync's batch turn held). The number built; 0 on PostgreSQL and on a database whose
/// migrations have not made the table yet.
pub async fn restore(db: &Database) -> Result<usize> {
    if db.kind() != DatabaseKind::Sqlite {
        return Ok(0);
    }
    const KEPT: &str =
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_indexes')";
    if sqlx::query_scalar::<_, i64>(KEPT).fetch_one(db.pool()).await? == 0 {
        return Ok(0);
    }
    let mut bulk = db.bulk_connection().await?;
    let built = restore_on(bulk.connection()).await;
    bulk.release().await;
    built
}

async fn restore_on(connection: &mut sqlx::AnyConnection) -> Result<usize> {
    let mut tx = sqlx::Connection::begin_with(&mut *connection, "BEGIN IMMEDIATE").await?;
    const DEFERRED: &str = "SELECT d.definition FROM deferred_indexes d
                            WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = d.name)
                            ORDER BY d.name";
    let definitions: Vec<String> = sqlx::query_scalar(DEFERRED).fetch_all(&mut *tx).await?;
    // Building an index sorts every row of its table: a second thread shares the sorting.
    tx.execute("PRAGMA threads = 2").await?;
    for definition in &definitions {
        // Read from SQLite's own schema when the index was dropped, never from input.
        tx.execute(definition.as_str()).await?;
    }
    tx.execute("DELETE FROM deferred_indexes").await?;
    tx.commit().await?;
    connection.execute("PRAGMA threads = 0").await?;
    Ok(definitions.len())
}
