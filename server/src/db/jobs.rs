//! The `jobs` table: background work with retries, claimed under a lease so that one job is never
//! handed to two workers, whether they run in one process or in several replicas.

use sqlx::{AnyPool, FromRow};

/// One job as stored.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    /// JSON the job's handler understands.
    pub payload: String,
    /// `queued`, `running`, `done` or `dead`.
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at_ms: i64,
    pub locked_by: Option<String>,
    pub locked_until_ms: Option<i64>,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub max_attempts: i64,
    /// At most one job per key exists; queueing a second one fails as a unique violation.
    pub dedupe_key: Option<&'a str>,
}

const ENQUEUE_SQL: &str = "
INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at_ms, dedupe_key, created_at_ms, updated_at_ms)
VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $5, $5)";

/// Queues a job to run now and returns its ID. Takes any executor so a job can be queued in the
/// same transaction as the change that causes it.
pub async fn enqueue<'e, E>(executor: E, job: &NewJob<'_>) -> super::Result<String>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query(ENQUEUE_SQL)
        .bind(&id)
        .bind(job.kind)
        .bind(job.payload.to_string())
        .bind(job.max_attempts)
        .bind(super::now_ms())
        .bind(job.dedupe_key)
        .execute(executor)
        .await?;
    Ok(id)
}

/// Queues a job unless one with the same `dedupe_key` exists (then nothing happens and `false`
/// is returned). Safe inside a transaction on both databases: the conflict is not an error.
pub async fn enqueue_once<'e, E>(executor: E, job: &NewJob<'_>) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!("{ENQUEUE_SQL} ON CONFLICT (dedupe_key) DO NOTHING");
    let now = super::now_ms();
    let done = sqlx::query(&sql)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(job.kind)
        .bind(job.payload.to_string())
        .bind(job.max_attempts)
        .bind(now)
        .bind(job.dedupe_key)
        .execute(executor)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Queues several jobs, one statement per 100, each unless one with its `dedupe_key` exists.
/// The number queued.
pub async fn enqueue_once_many(tx: &mut sqlx::AnyConnection, jobs: &[NewJob<'_>]) -> super::Result<u64> {
    // SQLite resolves bound parameters in time that grows with their number: 100 rows at a time.
    let mut queued = 0;
    for chunk in jobs.chunks(100) {
        queued += enqueue_chunk(tx, chunk).await?;
    }
    Ok(queued)
}

/// One statement for at most 100 jobs (at least one); the number queued.
async fn enqueue_chunk(tx: &mut sqlx::AnyConnection, jobs: &[NewJob<'_>]) -> super::Result<u64> {
    let values: Vec<String> = (0..jobs.len())
        .map(|i| {
            let n = i * 6;
            format!(
                "(${}, ${}, ${}, 'queued', 0, ${}, ${}, ${}, ${}, ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6,
                n + 5,
                n + 5
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at_ms, dedupe_key, created_at_ms, updated_at_ms)
         VALUES {} ON CONFLICT (dedupe_key) DO NOTHING",
        values.join(", ")
    );
    let now = super::now_ms();
    let mut query = sqlx::query(&sql);
    for job in jobs {
        query = query
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(job.kind)
            .bind(job.payload.to_string())
            .bind(job.max_attempts)
            .bind(now)
            .bind(job.dedupe_key);
    }
    Ok(query.execute(&mut *tx).await?.rows_affected())
}

/// Due: queued and its time has come, or running under a lease that has run out (its worker died).
/// The oldest of each kind is taken apart, each the first entry of `jobs_due` in its order (as
/// one `OR`, both engines read every due job and sorted them), then the older of the two.
const CLAIM_SQL: &str = "
UPDATE jobs
SET state = 'running', locked_by = $1, locked_until_ms = $2, attempts = attempts + 1, updated_at_ms = $3
WHERE id = (
    SELECT id FROM (
        SELECT * FROM (
            SELECT id, run_at_ms FROM jobs WHERE state = 'queued' AND run_at_ms <= $3
            ORDER BY state, run_at_ms, id LIMIT 1
        ) AS queued
        UNION ALL
        SELECT * FROM (
            SELECT id, run_at_ms FROM jobs WHERE state = 'running' AND locked_until_ms < $3
            ORDER BY run_at_ms, id LIMIT 1
        ) AS expired
    ) AS due
    ORDER BY run_at_ms, id
    LIMIT 1
)
AND ((state = 'queued' AND run_at_ms <= $3) OR (state = 'running' AND locked_until_ms < $3))
RETURNING *";

/// Claims the next due job for `worker` for `lease_ms`. The condition is checked again in the
/// `UPDATE` itself, so two workers racing for one job cannot both win.
pub async fn claim(pool: &AnyPool, worker: &str, lease_ms: i64) -> super::Result<Option<JobRow>> {
    let now = super::now_ms();
    Ok(sqlx::query_as::<_, JobRow>(CLAIM_SQL)
        .bind(worker)
        .bind(now.saturating_add(lease_ms))
        .bind(now)
        .fetch_optional(pool)
        .await?)
}

const COMPLETE_AND_CLEAR_SQL: &str = "
UPDATE jobs SET state = 'done', payload = '{}', locked_by = NULL, locked_until_ms = NULL, last_error = NULL, updated_at_ms = $3
WHERE id = $1 AND state = 'running' AND locked_by = $2";

/// Marks a job done and forgets its payload (a delivered mail's one-time link). False when
/// `worker` no longer holds it.
pub async fn complete_and_clear<'e, E>(executor: E, id: &str, worker: &str) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let result = sqlx::query(COMPLETE_AND_CLEAR_SQL)
        .bind(id)
        .bind(worker)
        .bind(super::now_ms())
        .execute(executor)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Deletes finished jobs of `kind` (done, or dead and never retried) last touched before
/// `before_ms`; the number. For jobs without a dedupe key only: those keys make notices once-only.
pub async fn prune_finished(pool: &AnyPool, kind: &str, before_ms: i64) -> super::Result<u64> {
    const SQL: &str = "DELETE FROM jobs WHERE kind = $1 AND state IN ('done', 'dead') AND dedupe_key IS NULL AND updated_at_ms < $2";
    Ok(sqlx::query(SQL).bind(kind).bind(before_ms).execute(pool).await?.rows_affected())
}

const COMPLETE_SQL: &str = "
UPDATE jobs SET state = 'done', locked_by = NULL, locked_until_ms = NULL, last_error = NULL, updated_at_ms = $3
WHERE id = $1 AND state = 'running' AND locked_by = $2";

/// Marks a job done. False when `worker` no longer holds it (its lease ran out and another took it).
/// Takes any executor, so a job's follow-up work can be queued in the same transaction.
pub async fn complete<'e, E>(executor: E, id: &str, worker: &str) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let result =
        sqlx::query(COMPLETE_SQL).bind(id).bind(worker).bind(super::now_ms()).execute(executor).await?;
    Ok(result.rows_affected() == 1)
}

const FAIL_SQL: &str = "
UPDATE jobs
SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
    run_at_ms = $4, last_error = $3, locked_by = NULL, locked_until_ms = NULL, updated_at_ms = $5
WHERE id = $1 AND state = 'running' AND locked_by = $2";

/// Records a failed attempt: the job runs again at `retry_at_ms`, or is `dead` once it has used
/// all its attempts. False when `worker` no longer holds it.
pub async fn fail<'e, E>(
    executor: E,
    id: &str,
    worker: &str,
    error: &str,
    retry_at_ms: i64,
) -> super::Result<bool>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let result = sqlx::query(FAIL_SQL)
        .bind(id)
        .bind(worker)
        .bind(error)
        .bind(retry_at_ms)
        .bind(super::now_ms())
        .execute(executor)
        .await?;
    Ok(result.rows_affected() == 1)
}

const CLAIM_ONE_SQL: &str = "
UPDATE jobs
SET state = 'running', locked_by = $2, locked_until_ms = $3, attempts = attempts + 1, updated_at_ms = $4
WHERE id = $1 AND ((state = 'queued' AND run_at_ms <= $4) OR (state = 'running' AND locked_until_ms < $4))
RETURNING *";

/// Claims one particular job, if it is due and nobody holds it: a request that queued a job runs
/// it at once this way, and the runner finds it gone.
pub async fn claim_one(
    pool: &AnyPool,
    id: &str,
    worker: &str,
    lease_ms: i64,
) -> super::Result<Option<JobRow>> {
    let now = super::now_ms();
    Ok(sqlx::query_as::<_, JobRow>(CLAIM_ONE_SQL)
        .bind(id)
        .bind(worker)
        .bind(now.saturating_add(lease_ms))
        .bind(now)
        .fetch_optional(pool)
        .await?)
}

const REVIVE_SQL: &str = "
UPDATE jobs SET state = 'queued', max_attempts = attempts + 10,
    run_at_ms = CASE WHEN run_at_ms > $2 THEN run_at_ms ELSE $2 END, updated_at_ms = $2
WHERE id = $1 AND state = 'dead'
RETURNING *";

/// Gives a dead job ten more attempts, to run as soon as its last pause is over.
/// Its attempt count stays: a decision whose call may have reached STACKIT must still read
/// before it sends again, and wait out a timed-out call first. None when the job is not dead.
pub async fn revive(tx: &mut sqlx::AnyConnection, id: &str) -> super::Result<Option<JobRow>> {
    Ok(sqlx::query_as::<_, JobRow>(REVIVE_SQL)
        .bind(id)
        .bind(super::now_ms())
        .fetch_optional(&mut *tx)
        .await?)
}

const GET_SQL: &str = "SELECT * FROM jobs WHERE id = $1";

/// One job by ID.
pub async fn get(pool: &AnyPool, id: &str) -> super::Result<Option<JobRow>> {
    Ok(sqlx::query_as::<_, JobRow>(GET_SQL).bind(id).fetch_optional(pool).await?)
}

/// A job that failed at least once and waits for another attempt or for an admin.
#[derive(Debug, FromRow)]
pub struct FailedJobRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at_ms: i64,
}

/// Jobs with an error that are queued again or dead (at most 200), last changed first: "neither
/// running nor done" by the table's check, so that the `jobs_failed` index serves it.
pub async fn failed(pool: &AnyPool) -> super::Result<Vec<FailedJobRow>> {
    const SQL: &str = "SELECT id, kind, state, attempts, last_error, updated_at_ms FROM jobs WHERE last_error IS NOT NULL AND state <> 'running' AND state <> 'done' ORDER BY updated_at_ms DESC LIMIT 200";
    Ok(sqlx::query_as(SQL).fetch_all(pool).await?)
}
