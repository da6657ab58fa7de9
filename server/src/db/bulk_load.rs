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
//! them; [`restore`] builds them at the end of every full sync and at the server's start, so a
//! load cut short (the process stopped, the listing failed, a request's time ran out) loses no
//! index for long. PostgreSQL maintains its indexes on a bulk load well enough (its first sync is
//! within its goal) and never defers.
//!
//! A first load is also announced as one: while its row in `first_loads` stands (on both engines),
//! new orders get no notice each ([`first_load_unfinished`], read in the transaction that writes
//! them), and the run that completes the load ends it ([`end_first_load`]) in the transaction that
//! queues the one notice of the orders waiting.

use sqlx::Executor as _;

use super::{Database, DatabaseKind, Result, now_ms};

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
/// (the sync's batch turn held). The number built; 0 on PostgreSQL, when nothing is deferred and
/// on a database whose migrations have not made the table yet.
pub async fn restore(db: &Database) -> Result<usize> {
    if db.kind() != DatabaseKind::Sqlite {
        return Ok(0);
    }
    const KEPT: &str =
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'deferred_indexes'";
    if sqlx::query_scalar::<_, i64>(KEPT).fetch_one(db.pool()).await? == 0 {
        return Ok(0);
    }
    const ANY: &str = "SELECT COUNT(*) FROM deferred_indexes";
    if sqlx::query_scalar::<_, i64>(ANY).fetch_one(db.pool()).await? == 0 {
        return Ok(0);
    }
    let mut bulk = db.bulk_connection().await?;
    // Building an index sorts every row of its table: a second thread shares the sorting.
    let built = match bulk.connection().execute("PRAGMA threads = 2").await {
        Ok(_) => restore_on(bulk.connection()).await,
        Err(error) => Err(error.into()),
    };
    if let Err(error) = bulk.connection().execute("PRAGMA threads = 0").await {
        tracing::warn!(%error, "a connection kept sorting with a second thread");
    }
    bulk.release().await;
    built
}

async fn restore_on(connection: &mut sqlx::AnyConnection) -> Result<usize> {
    let mut tx = sqlx::Connection::begin_with(&mut *connection, "BEGIN IMMEDIATE").await?;
    const DEFERRED: &str = "SELECT d.definition FROM deferred_indexes d
                            WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = d.name)
                            ORDER BY d.name";
    let definitions: Vec<String> = sqlx::query_scalar(DEFERRED).fetch_all(&mut *tx).await?;
    for definition in &definitions {
        // Read from SQLite's own schema when the index was dropped, never from input.
        tx.execute(definition.as_str()).await?;
    }
    tx.execute("DELETE FROM deferred_indexes").await?;
    tx.commit().await?;
    Ok(definitions.len())
}

/// Notes that a first load begins, when it brings `many` orders and no order is stored yet;
/// whether a first load is unfinished now (begun here, by a run beside this one, or by one that
/// did not complete).
pub async fn begin_first_load(db: &Database, many: bool) -> Result<bool> {
    if !many {
        let mut connection = db.pool().acquire().await?;
        return first_load_unfinished(&mut connection).await;
    }
    const BEGIN: &str = "INSERT INTO first_loads (id, started_at_ms)
                         SELECT 1, $1 WHERE NOT EXISTS (SELECT 1 FROM orders)
                         ON CONFLICT (id) DO NOTHING";
    sqlx::query(BEGIN).bind(now_ms()).execute(db.pool()).await?;
    let mut connection = db.pool().acquire().await?;
    first_load_unfinished(&mut connection).await
}

/// Whether a first load is unfinished. In the transaction that writes new orders: on
/// PostgreSQL the row is locked against [`end_first_load`] until that transaction ends (on
/// SQLite its write lock does that), so each new order is announced either on its own or in the
/// one notice, never neither.
pub async fn first_load_unfinished(connection: &mut sqlx::AnyConnection) -> Result<bool> {
    let sql = match super::kind_of(connection) {
        DatabaseKind::Postgres => "SELECT COUNT(*) FROM (SELECT id FROM first_loads FOR SHARE) f",
        DatabaseKind::Sqlite => "SELECT COUNT(*) FROM first_loads",
    };
    Ok(sqlx::query_scalar::<_, i64>(sql).fetch_one(&mut *connection).await? > 0)
}

/// Ends the unfinished first load, in the caller's transaction (which then counts and announces
/// the orders waiting); false when none was unfinished (another run ended it).
pub async fn end_first_load(tx: &mut sqlx::AnyConnection) -> Result<bool> {
    Ok(sqlx::query("DELETE FROM first_loads").execute(&mut *tx).await?.rows_affected() > 0)
}

/// Notes, in the transaction that queues it, that a first load's one mail goes out now: the
/// reminders its orders were already due for are part of it (migration 23).
pub async fn note_announced(tx: &mut sqlx::AnyConnection) -> Result<()> {
    const SQL: &str = "INSERT INTO first_load_announced (id, at_ms) VALUES (1, $1)
                       ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms";
    sqlx::query(SQL).bind(now_ms()).execute(&mut *tx).await?;
    Ok(())
}

/// What a first load's mail stands for: when one was announced, if ever, and since when one is
/// loading, if one is unfinished (its orders are announced together when it completes).
pub async fn first_load_times(pool: &sqlx::AnyPool) -> Result<(Option<i64>, Option<i64>)> {
    const SQL: &str =
        "SELECT (SELECT at_ms FROM first_load_announced), (SELECT started_at_ms FROM first_loads)";
    Ok(sqlx::query_as(SQL).fetch_one(pool).await?)
}
