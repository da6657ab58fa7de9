//! The database: one sqlx `Any` pool for SQLite or PostgreSQL, migrations, and one module per
//! table group with its SQL beside the functions that run it.

pub mod api_tokens;
pub mod attempts;
pub mod bulk_load;
pub mod customers;
mod default_checklist;
mod error;
pub mod events;
pub mod gauges;
pub mod idempotency;
pub mod inbox;
pub mod jobs;
pub mod leases;
pub mod live;
pub mod mails;
pub mod notes;
pub mod operators;
pub mod orders;
pub mod plan_changes;
pub mod search;
pub mod setup;
pub mod signups;
pub mod tallies;
pub mod teams;
pub mod url;
pub mod webhooks;
pub mod work;

use std::sync::{Arc, Once};
use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};

pub use crate::clock::now_ms;
pub use error::{Error, Result};
pub use url::{DatabaseKind, DatabaseUrl};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The page cache of a SQLite connection writing a sync batch, in KiB.
const BULK_CACHE_KIB: i64 = 65_536;

/// A pooled connection set up for writing a large batch; see [`Database::bulk_connection`].
pub struct BulkConnection {
    connection: sqlx::pool::PoolConnection<sqlx::Any>,
    /// SQLite's cache size before, to restore (`None` on PostgreSQL).
    cache_size: Option<i64>,
    /// On SQLite, the turn the batch holds: no job is claimed until it is released.
    _turn: Option<OwnedRwLockWriteGuard<()>>,
}

impl BulkConnection {
    /// The connection, for statements.
    pub fn connection(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.connection
    }

    /// Copies SQLite's write-ahead log into the database and, once it is long, empties it.
    /// SQLite starts the log over only when no reader is reading from it, which a server whose
    /// job runner reads all the time never allowed between a sync's batches: the log grew to
    /// 372 MB over a first sync of 100,000 orders and to 8.8 GB at 665,000 of a million, and
    /// every page read searches it. A passive checkpoint after each batch did not stop that; a
    /// truncating one waits for the readers of the moment (up to the busy timeout) and then
    /// starts the log over. Failing, it leaves the log as it was: a warning, not an error.
    async fn restart_log(&mut self) {
        const LONG_LOG_FRAMES: i64 = 10_000;
        let passive: std::result::Result<(i64, i64, i64), _> =
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&mut *self.connection).await;
        let restarted = match passive {
            Ok((_, frames, _)) if frames > LONG_LOG_FRAMES => {
                self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.map(|_| ())
            }
            other => other.map(|_| ()),
        };
        if let Err(error) = restarted {
            tracing::warn!(%error, "the write-ahead log could not be checkpointed after a batch");
        }
    }

    /// A transaction for the batch. On SQLite it takes the write lock at its start (`BEGIN
    /// IMMEDIATE`), waiting for it as long as the busy timeout allows: a deferred transaction
    /// failed at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) when another writer
    /// committed between its start and its first write.
    pub async fn begin(&mut self) -> Result<sqlx::Transaction<'_, sqlx::Any>> {
        Ok(match self.cache_size {
            Some(_) => sqlx::Connection::begin_with(&mut *self.connection, "BEGIN IMMEDIATE").await?,
            None => sqlx::Connection::begin(&mut *self.connection).await?,
        })
    }

    /// Restores the connection's settings and gives it back to the pool (or closes it when
    /// they cannot be restored, so no other query runs with them). On SQLite it first starts
    /// the write-ahead log over when the batches made it long, while the batch's turn still
    /// keeps the job runner from starting new reads.
    pub async fn release(mut self) {
        if self.cache_size.is_some() {
            self.restart_log().await;
        }
        if let Some(before) = self.cache_size {
            if let Err(error) =
                self.connection.execute(format!("PRAGMA cache_size = {before}").as_str()).await
            {
                tracing::warn!(%error, "closing a connection whose page cache could not be restored");
                drop(self.connection.detach());
            }
            give_back_freed_memory();
        }
    }
}

/// Gives memory freed by SQLite (glibc) and by the server's own allocations (mimalloc) back to
/// the operating system, after a large piece of work (the search index catching up); see
/// [`give_back_freed_memory`].
pub fn release_freed_memory() {
    give_back_freed_memory();
}

/// Returns memory that SQLite freed to the operating system. SQLite allocates with the C
/// allocator on the threads that run its connections; glibc keeps what a thread freed in that
/// thread's arena, so a sync's 64 MiB page caches (and its statements' buffers) stayed resident
/// after the sync: 410–480 MB after a first sync of 100,000 orders, against about 50 MB for
/// the same database after a restart. A sync's batch gives it back when it restores its
/// connection's page cache ([`BulkConnection::release`]), which drops that cache anyway: timed
/// at 100,000 orders, a first sync without the per-batch trim was no faster.
/// Rust's allocations (mimalloc) give freed memory back on their own only after a delay and
/// when the allocator is next busy, which an idle server is not: collected here too.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator's arenas; it takes no
    // pointer and has no precondition.
    unsafe {
        libc::malloc_trim(0);
    }
    // SAFETY: mi_collect only returns memory mimalloc holds free; it takes no pointer and has
    // no precondition.
    unsafe {
        mi_collect(true);
    }
}

unsafe extern "C" {
    /// mimalloc's collection of the memory it holds free (`force`: at once, not after its
    /// delay): the calling thread's heap, and what any thread freed that is due to go back. From
    /// the C library the `mimalloc` crate links as the global allocator.
    fn mi_collect(force: bool);
}

/// A transaction over several of `db/`'s functions, which take it as `&mut *tx`. Dropped
/// without [`Transaction::commit`], it rolls back.
pub struct Transaction(sqlx::Transaction<'static, sqlx::Any>);

impl Transaction {
    /// Makes the transaction's writes visible to everyone.
    pub async fn commit(self) -> Result<()> {
        Ok(self.0.commit().await?)
    }
}

impl std::ops::Deref for Transaction {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for Transaction {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// A transaction on `pool`.
pub async fn begin(pool: &AnyPool) -> Result<Transaction> {
    Ok(Transaction(pool.begin().await?))
}

/// The pool and which engine is behind it.
#[derive(Clone, Debug)]
pub struct Database {
    pool: AnyPool,
    kind: DatabaseKind,
    /// Turns between a sync's batches and the job runner's jobs on SQLite (see
    /// [`Database::job_turn`]).
    turns: Arc<RwLock<()>>,
    /// Search terms found common or rare lately (see `search::candidates_at_most`).
    search_terms: Arc<search::TermSizes>,
}

impl Database {
    /// Opens a pool. For SQLite the file (and its folder) is created when missing.
    pub async fn connect(url: &DatabaseUrl, max_connections: u32) -> anyhow::Result<Self> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let mut options =
            AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(Duration::from_secs(5));
        let connect_url = match url.sqlite_file() {
            Some(file) => {
                if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder)
                        .with_context(|| format!("creating the database folder {}", folder.display()))?;
                }
                // A statement that may fail half-way inside a transaction (one with triggers, an
                // insert of many rows) keeps the pages it changes in a statement journal; in
                // memory (`temp_store`, as are sorts and temporary indexes), not a temporary file
                // written page by page, which was a sixth of a large sync's time.
                options = options.after_connect(|connection, _| {
                    Box::pin(async move {
                        connection
                            .execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 8000; PRAGMA temp_store = MEMORY;")
                            .await?;
                        Ok(())
                    })
                });
                with_create_mode(url.expose())
            }
            None => {
                // PostgreSQL plans a prepared statement once for all parameter values after a few
                // runs. For the sync's `IN ($1, … $100)` lookups, a plan made while a table was
                // small is a sequential scan that stays when the table has grown (60 ms instead of
                // under 1 ms at 10,000 orders); planning each run for its values costs far less.
                // JIT compilation pays off for long analytic queries, not for the inbox: the
                // planner's estimate of a page's checklist counts crosses `jit_above_cost` and
                // each page then spent 45 of its 48 ms compiling (seen with auto_explain).
                options = options.after_connect(|connection, _| {
                    Box::pin(async move {
                        connection.execute("SET plan_cache_mode = force_custom_plan; SET jit = off").await?;
                        Ok(())
                    })
                });
                url.expose().to_string()
            }
        };
        let pool = options
            .connect(&connect_url)
            .await
            .with_context(|| format!("connecting to the database {}", url.redacted()))?;
        if url.kind() == DatabaseKind::Sqlite {
            pool.execute("PRAGMA journal_mode = WAL;").await.context("switching SQLite to WAL")?;
        }
        Ok(Database { pool, kind: url.kind(), turns: Arc::default(), search_terms: Arc::default() })
    }

    /// Applies the migrations this build carries. Several replicas may call it at once: sqlx
    /// takes a lock (an advisory lock on PostgreSQL) while it migrates.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.migrator().run(&self.pool).await.context("applying database migrations")
    }

    /// Applies only the migrations older than `version`: for tests that write rows as an older
    /// build did, then [`Database::migrate`] and check what a migration made of them.
    pub async fn migrate_before(&self, version: i64) -> anyhow::Result<()> {
        let all = self.migrator();
        let older = Migrator {
            migrations: all.iter().filter(|m| m.version < version).cloned().collect::<Vec<_>>().into(),
            ignore_missing: all.ignore_missing,
            locking: all.locking,
            no_tx: all.no_tx,
        };
        older.run(&self.pool).await.context("applying older migrations")
    }

    /// The engine's name and version, and how many migrations are applied (the set-up check).
    pub async fn describe(&self) -> Result<(&'static str, String, i64)> {
        let (engine, sql) = match self.kind {
            DatabaseKind::Sqlite => ("SQLite", "SELECT sqlite_version()"),
            DatabaseKind::Postgres => ("PostgreSQL", "SELECT current_setting('server_version')"),
        };
        let version: String = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok((engine, version, applied))
    }

    /// True when the database answers and every migration of this build is applied.
    pub async fn is_ready(&self) -> bool {
        const SQL: &str = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";
        let expected = self.migrator().iter().filter(|m| m.migration_type.is_up_migration()).count();
        match sqlx::query_scalar::<_, i64>(SQL).fetch_one(&self.pool).await {
            Ok(applied) => usize::try_from(applied).is_ok_and(|applied| applied >= expected),
            Err(error) => {
                tracing::warn!(%error, "database not ready");
                false
            }
        }
    }

    /// Refreshes PostgreSQL's planner statistics of `table` (after a bulk load, before
    /// autovacuum would). No-op on SQLite, whose planner goes by its indexes.
    pub async fn analyze(&self, table: &'static str) -> Result<()> {
        if self.kind == DatabaseKind::Postgres {
            self.pool.execute(format!("ANALYZE {table}").as_str()).await?;
        }
        Ok(())
    }

    /// A connection for writing a large batch (the sync's new orders). On SQLite its page cache
    /// grows to 64 MiB (from 2 MiB) for the batch: the randomly keyed index pages a batch
    /// touches stay in memory until its commit instead of being read and written again. Give
    /// it back with [`BulkConnection::release`], which restores the cache.
    pub async fn bulk_connection(&self) -> Result<BulkConnection> {
        let turn = match self.kind {
            DatabaseKind::Sqlite => Some(self.turns.clone().write_owned().await),
            DatabaseKind::Postgres => None,
        };
        let mut connection = self.pool.acquire().await?;
        let cache_size = if self.kind == DatabaseKind::Sqlite {
            let before: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *connection).await?;
            connection.execute(format!("PRAGMA cache_size = -{BULK_CACHE_KIB}").as_str()).await?;
            Some(before)
        } else {
            None
        };
        Ok(BulkConnection { connection, cache_size, _turn: turn })
    }

    /// The turn a sync's batch takes ([`Database::bulk_connection`]), for other writers of many
    /// rows at once that need no larger page cache (the search indexer). `None` on PostgreSQL.
    pub(crate) async fn write_turn(&self) -> Option<OwnedRwLockWriteGuard<()>> {
        match self.kind {
            DatabaseKind::Sqlite => Some(self.turns.clone().write_owned().await),
            DatabaseKind::Postgres => None,
        }
    }

    /// The turn the job runner takes on SQLite to claim a job. SQLite has one writer at a time
    /// and waits for the write lock by retrying; once jobs were claimed in well under a
    /// millisecond, the runner working through a first sync's thousands of notices took the lock
    /// so often that a batch of the sync waited past the busy timeout and failed ("database is
    /// locked"). Claims share the turn; a batch takes it alone ([`Database::bulk_connection`]),
    /// after the claims that hold it and before those that ask after it, so while a batch is
    /// written only the jobs already claimed write beside it. `None` on PostgreSQL, where
    /// writers lock rows, not the database.
    pub async fn job_turn(&self) -> Option<OwnedRwLockReadGuard<()>> {
        match self.kind {
            DatabaseKind::Sqlite => Some(self.turns.clone().read_owned().await),
            DatabaseKind::Postgres => None,
        }
    }

    /// After many rows were written at once (a first sync): PostgreSQL's planner learns the
    /// tables' new sizes (`ANALYZE`; without it, it planned the state-filtered inbox for an
    /// empty table until autovacuum came by) and their pages are marked all-visible, and on
    /// SQLite the memory of the batch's page cache goes back to the system.
    pub async fn settle_after_bulk_write(&self) -> Result<()> {
        match self.kind {
            // Not ANALYZE on SQLite: with its statistics SQLite chose a worse plan for the order
            // page (271 ms instead of 8 ms at 100,000 orders); without, every page is served.
            DatabaseKind::Sqlite => give_back_freed_memory(),
            DatabaseKind::Postgres => {
                // VACUUM also marks the new rows' pages all-visible, so the overview's counts are
                // read from indexes alone instead of visiting 100,000 rows to check them.
                self.pool.execute("VACUUM (ANALYZE) orders, order_steps, events, jobs").await?;
            }
        }
        Ok(())
    }

    /// The pool, for the table modules.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that reads and then writes. On SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`): a plain transaction that read first cannot wait for the lock when it
    /// writes and fails at once with "database is locked" if another connection writes meanwhile.
    pub async fn begin_write(&self) -> Result<Transaction> {
        match self.kind {
            DatabaseKind::Sqlite => Ok(Transaction(self.pool.begin_with("BEGIN IMMEDIATE").await?)),
            DatabaseKind::Postgres => self.begin().await,
        }
    }

    /// A transaction; see [`Transaction`].
    pub async fn begin(&self) -> Result<Transaction> {
        begin(&self.pool).await
    }

    /// The engine behind the pool.
    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    fn migrator(&self) -> &'static Migrator {
        match self.kind {
            DatabaseKind::Sqlite => &SQLITE_MIGRATIONS,
            DatabaseKind::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// Versions of both migration folders, for the test that keeps them in step.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    let versions = |m: &Migrator| m.iter().map(|m| m.version).collect();
    (versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS))
}

/// Adds `mode=rwc` to a SQLite URL (create the file when missing) unless a mode is given.
fn with_create_mode(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The placeholders of an `IN (…)` list of `count` values bound in order: `$1, $2, … $count` on
/// PostgreSQL, `?, ?, …` on SQLite. SQLite looks a numbered parameter's name up in a list as long
/// as the statement's parameters, so binding thousands of them by name takes time that grows with
/// their square; anonymous ones are bound by position.
pub fn placeholders(kind: DatabaseKind, count: usize) -> String {
    (1..=count).map(|i| placeholder(kind, i)).collect::<Vec<_>>().join(", ")
}

/// `count` rows of `width` placeholders, for a multi-row `VALUES` (see [`placeholders`]):
/// `($1, $2), ($3, $4)` for two rows of two on PostgreSQL, `(?, ?), (?, ?)` on SQLite.
pub fn value_rows(kind: DatabaseKind, count: usize, width: usize) -> String {
    (0..count)
        .map(|row| {
            let marks: Vec<String> =
                (1..=width).map(|column| placeholder(kind, row * width + column)).collect();
            format!("({})", marks.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn placeholder(kind: DatabaseKind, number: usize) -> String {
    match kind {
        DatabaseKind::Postgres => format!("${number}"),
        DatabaseKind::Sqlite => "?".to_string(),
    }
}

/// The engine behind a connection (a transaction's, where no [`Database`] is at hand).
pub fn kind_of(connection: &sqlx::AnyConnection) -> DatabaseKind {
    if connection.backend_name().eq_ignore_ascii_case("sqlite") {
        DatabaseKind::Sqlite
    } else {
        DatabaseKind::Postgres
    }
}

/// For the statements that follow in this transaction, whether PostgreSQL plans each run for its
/// values (the pool's setting, which the sync's lookups need) or reuses one plan. Inserts of
/// many rows (`INSERT ... VALUES` of thousands of parameters, no scan to choose) run faster with
/// one plan: planning them anew each time costs more than executing them. No-op on SQLite.
pub async fn plan_each_run(tx: &mut sqlx::AnyConnection, kind: DatabaseKind, each_run: bool) -> Result<()> {
    if kind == DatabaseKind::Postgres {
        let mode = if each_run { "force_custom_plan" } else { "force_generic_plan" };
        sqlx::Executor::execute(&mut *tx, format!("SET LOCAL plan_cache_mode = {mode}").as_str()).await?;
    }
    Ok(())
}

/// The advisory lock that transactions adding orders take on PostgreSQL ("orderdk1").
const NEW_ORDERS_LOCK: i64 = 0x6f72_6465_7264_6b31;

/// Makes transactions that add orders take turns on PostgreSQL: a transaction-scoped advisory
/// lock, released at commit or rollback; call it before the transaction's first statement.
/// Linking a plan change looks for the other order of the pair, and two syncs each adding one
/// half at the same moment would each miss the other's uncommitted row, leaving the pair
/// unlinked for good. Under READ COMMITTED every statement after the lock sees what the previous
/// holder committed. No-op on SQLite, where one writer at a time holds the database.
pub async fn one_adder_at_a_time(tx: &mut sqlx::AnyConnection, kind: DatabaseKind) -> Result<()> {
    if kind == DatabaseKind::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(NEW_ORDERS_LOCK).execute(&mut *tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_migration_folders_carry_the_same_versions() {
        let (sqlite, postgres) = migration_versions();
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }

    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(placeholders(DatabaseKind::Postgres, 3), "$1, $2, $3");
        assert_eq!(value_rows(DatabaseKind::Postgres, 2, 2), "($1, $2), ($3, $4)");
        assert_eq!(placeholders(DatabaseKind::Sqlite, 3), "?, ?, ?");
        assert_eq!(value_rows(DatabaseKind::Sqlite, 2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn sqlite_urls_get_create_mode_unless_they_choose_one() {
        assert_eq!(with_create_mode("sqlite://a.db"), "sqlite://a.db?mode=rwc");
        assert_eq!(with_create_mode("sqlite://a.db?cache=shared"), "sqlite://a.db?cache=shared&mode=rwc");
        assert_eq!(with_create_mode("sqlite://a.db?mode=ro"), "sqlite://a.db?mode=ro");
    }
}
