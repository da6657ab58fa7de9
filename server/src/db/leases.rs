//! Leases (`leases`) and the record of scheduled sync runs (`sync_runs`): with several replicas
//! on one database, one replica at a time runs each scheduled task. A lease has an expiry; a
//! holder that dies stops renewing it, and another replica takes the task over once it runs out.

use sqlx::AnyPool;

const ACQUIRE_SQL: &str = "
INSERT INTO leases (name, holder, expires_at_ms) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
WHERE leases.expires_at_ms <= $4 OR leases.holder = $2";

/// Takes (or renews) the lease `name` for `holder` until `until_ms`: true when `holder` has it
/// now. The condition is part of the write, so two replicas asking at once cannot both win.
pub async fn acquire(pool: &AnyPool, name: &str, holder: &str, until_ms: i64) -> super::Result<bool> {
    let result = sqlx::query(ACQUIRE_SQL)
        .bind(name)
        .bind(holder)
        .bind(until_ms)
        .bind(super::now_ms())
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Extends a lease `holder` still has; false when it has lost it (it ran out and another took it).
pub async fn renew(pool: &AnyPool, name: &str, holder: &str, until_ms: i64) -> super::Result<bool> {
    const SQL: &str = "UPDATE leases SET expires_at_ms = $3 WHERE name = $1 AND holder = $2";
    let result = sqlx::query(SQL).bind(name).bind(holder).bind(until_ms).execute(pool).await?;
    Ok(result.rows_affected() == 1)
}

/// Records the start of a scheduled sync run; its ID.
pub async fn run_started(pool: &AnyPool, kind: &str, holder: &str) -> super::Result<String> {
    const SQL: &str = "INSERT INTO sync_runs (id, kind, holder, started_at_ms) VALUES ($1, $2, $3, $4)";
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(SQL).bind(&id).bind(kind).bind(holder).bind(super::now_ms()).execute(pool).await?;
    Ok(id)
}

/// Records how a sync run ended: its counts, or its error.
pub async fn run_finished(
    pool: &AnyPool,
    id: &str,
    counts: (u64, u64, u64),
    error: Option<&str>,
) -> super::Result<()> {
    const SQL: &str = "UPDATE sync_runs SET finished_at_ms = $2, new_count = $3, changed_count = $4,
                              unchanged_count = $5, error = $6 WHERE id = $1";
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    sqlx::query(SQL)
        .bind(id)
        .bind(super::now_ms())
        .bind(n(counts.0))
        .bind(n(counts.1))
        .bind(n(counts.2))
        .bind(error)
        .execute(pool)
        .await?;
    Ok(())
}

/// When the newest successful run of `kind` started and finished.
pub async fn last_success(pool: &AnyPool, kind: &str) -> super::Result<Option<(i64, i64)>> {
    const SQL: &str = "SELECT started_at_ms, finished_at_ms FROM sync_runs
                       WHERE kind = $1 AND finished_at_ms IS NOT NULL AND error IS NULL
                       ORDER BY started_at_ms DESC LIMIT 1";
    let row: Option<(i64, Option<i64>)> = sqlx::query_as(SQL).bind(kind).fetch_optional(pool).await?;
    Ok(row.and_then(|(started, finished)| Some((started, finished?))))
}

/// Forgets the runs of `kind` that started before `before_ms`, except the newest successful one
/// (which `last_success` answers from). The number deleted.
pub async fn prune_runs(pool: &AnyPool, kind: &str, before_ms: i64) -> super::Result<u64> {
    let keep_from = match last_success(pool, kind).await? {
        Some((started, _)) => started.min(before_ms),
        None => before_ms,
    };
    const SQL: &str = "DELETE FROM sync_runs WHERE kind = $1 AND started_at_ms < $2";
    Ok(sqlx::query(SQL).bind(kind).bind(keep_from).execute(pool).await?.rows_affected())
}

/// One recorded sync run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SyncRun {
    pub id: String,
    pub kind: String,
    pub holder: String,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    pub new_count: i64,
    pub changed_count: i64,
    pub unchanged_count: i64,
    pub error: Option<String>,
}

/// The newest recorded sync run of any kind.
pub async fn last_run(pool: &AnyPool) -> super::Result<Option<SyncRun>> {
    const SQL: &str = "SELECT * FROM sync_runs ORDER BY started_at_ms DESC, id LIMIT 1";
    Ok(sqlx::query_as::<_, SyncRun>(SQL).fetch_optional(pool).await?)
}

/// The recorded runs of one kind, oldest first.
pub async fn runs(pool: &AnyPool, kind: &str) -> super::Result<Vec<SyncRun>> {
    const SQL: &str = "SELECT * FROM sync_runs WHERE kind = $1 ORDER BY started_at_ms, id";
    Ok(sqlx::query_as::<_, SyncRun>(SQL).bind(kind).fetch_all(pool).await?)
}
