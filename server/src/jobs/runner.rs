//! The job runner: claims due jobs from the `jobs` table under a lease (so replicas never run one
//! job twice at once), runs each by its kind, and retries failures with growing pauses until the
//! job's attempts are used up; then it is `dead`, with its last error, for admins to see.

use std::time::Duration;

use crate::db::{Database, jobs};
use crate::mail::notify::{self, MailContext};
use crate::mail::{self, Mail, Mailer};

/// How long a worker holds a job before another may take it over.
const LEASE_MS: i64 = 5 * 60 * 1000;

/// The pause before attempt `attempts + 1`: 30 s, 1 min, 2 min … at most an hour.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    (30_000_i64 << exponent).min(3_600_000)
}

/// Runs due jobs until none is left; the number run.
pub async fn run_due(
    db: &Database,
    mailer: &Mailer,
    ctx: &MailContext,
    worker: &str,
) -> anyhow::Result<usize> {
    let mut ran = 0;
    while let Some(job) = jobs::claim(db.pool(), worker, LEASE_MS).await? {
        ran += 1;
        let outcome = match job.kind.as_str() {
            mail::JOB_KIND => match serde_json::from_str::<Mail>(&job.payload) {
                Ok(mail) => mailer.send(&mail).await,
                Err(error) => Err(anyhow::anyhow!("unreadable mail job: {error}")),
            },
            // Expanding a notice completes its job in the same transaction as the mails it queues.
            notify::JOB_KIND => match notify::expand(db, &job.payload, ctx, &job.id, worker).await {
                Ok(()) => continue,
                Err(error) => Err(error),
            },
            other => Err(anyhow::anyhow!("no handler for jobs of kind {other:?}")),
        };
        match outcome {
            Ok(()) => {
                jobs::complete(db.pool(), &job.id, worker).await?;
            }
            Err(error) => {
                let message = format!("{error:#}");
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, %message, "job failed");
                let retry_at = crate::db::now_ms() + backoff_ms(job.attempts);
                jobs::fail(db.pool(), &job.id, worker, &message, retry_at).await?;
            }
        }
    }
    Ok(ran)
}

/// Runs due jobs every `every` until the process ends.
pub async fn run_forever(db: Database, mailer: Mailer, ctx: MailContext, every: Duration) {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = run_due(&db, &mailer, &ctx, &worker).await {
            tracing::warn!("job runner: {error:#}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn pauses_grow_and_stop_at_an_hour() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(5), 480_000);
        assert_eq!(backoff_ms(50), 3_600_000);
    }
}
