//! The job runner: claims due jobs from the `jobs` table under a lease (so replicas never run one
//! job twice at once), runs each by its kind, and retries failures with growing pauses until the
//! job's attempts are used up; then it is `dead`, with its last error, for admins to see and retry.

use std::time::Duration;

use app::error::AppError;
use rand::Rng as _;

use crate::customers::reset;
use crate::db::jobs::{self, JobRow};
use crate::db::{Database, now_ms};
use crate::mail::notify::{self, MailContext};
use crate::mail::{self, Mail, Mailer};
use crate::marketplace::client::VendorClient;
use crate::marketplace::error::VendorApiError;
use crate::orders::decisions::{self, Sent};
use crate::webhooks::{self, Webhook};

/// The pauses between attempts: `base`, twice that, four times … at most an hour, each drawn at
/// random from its upper half so that jobs failing together do not come back together.
#[derive(Debug, Clone, Copy)]
pub struct RetryPause {
    pub base_ms: i64,
}

impl Default for RetryPause {
    fn default() -> Self {
        RetryPause { base_ms: 30_000 }
    }
}

impl RetryPause {
    pub const CAP_MS: i64 = 3_600_000;

    /// The longest pause before attempt `attempts + 1`.
    pub fn ceiling_ms(self, attempts: i64) -> i64 {
        let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
        self.base_ms.max(1).saturating_mul(1_i64 << exponent).min(Self::CAP_MS)
    }

    /// The pause before attempt `attempts + 1`, with jitter.
    pub fn pause_ms(self, attempts: i64) -> i64 {
        let ceiling = self.ceiling_ms(attempts);
        rand::rng().random_range(ceiling / 2..=ceiling)
    }
}

/// What runs jobs: the database, the mailer and STACKIT. Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    pub db: Database,
    pub mailer: Mailer,
    pub mail: MailContext,
    pub client: Option<VendorClient>,
    pub retry: RetryPause,
    /// How long this worker holds a job before another may take it over (it died).
    pub lease_ms: i64,
    /// Names this worker in job leases, so a lease is only ever given back by its holder.
    pub name: String,
    /// Where order events go, if anywhere.
    pub webhook: Option<Webhook>,
}

impl Worker {
    pub fn new(
        db: Database,
        mailer: Mailer,
        mail: MailContext,
        client: Option<VendorClient>,
        retry: RetryPause,
        lease: Duration,
    ) -> Self {
        let name = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        Worker { db, mailer, mail, client, retry, lease_ms, name, webhook: None }
    }

    /// The same worker, also delivering order events to `webhook`.
    pub fn with_webhook(mut self, webhook: Option<Webhook>) -> Self {
        self.webhook = webhook;
        self
    }

    /// Runs due jobs until none is left; the number run.
    pub async fn run_due(&self) -> anyhow::Result<usize> {
        let mut ran = 0;
        loop {
            // Claimed in turn with the sync's batches (SQLite); the job runs outside the turn,
            // so one that writes a batch itself cannot wait for its own turn.
            let claimed = {
                let _turn = self.db.job_turn().await;
                jobs::claim(self.db.pool(), &self.name, self.lease_ms).await?
            };
            let Some(job) = claimed else {
                return Ok(ran);
            };
            ran += 1;
            self.run(&job).await?;
            // Each job is progress: a round through a long backlog (200,000 notices after a
            // first sync of a million orders) outlasts the stall `/healthz` reports.
            crate::measurements::worker_round();
        }
    }

    /// Runs one claimed job and records how it went.
    pub async fn run(&self, job: &JobRow) -> anyhow::Result<()> {
        let outcome = match job.kind.as_str() {
            mail::JOB_KIND => match serde_json::from_str::<Mail>(&job.payload) {
                Ok(mail) => self.mailer.send(&mail).await,
                Err(error) => Err(anyhow::anyhow!("unreadable mail job: {error}")),
            },
            // These complete their job in the same transaction as the work they record.
            notify::JOB_KIND => {
                match notify::expand(&self.db, &job.payload, &self.mail, &job.id, &self.name).await {
                    Ok(()) => return Ok(()),
                    Err(error) => Err(error),
                }
            }
            reset::JOB_KIND => {
                match reset::run(&self.db, &self.mail.origin, &job.payload, &job.id, &self.name).await {
                    Ok(()) => return Ok(()),
                    Err(error) => Err(error),
                }
            }
            decisions::JOB_KIND => match decisions::send(&self.sender(), job).await {
                Ok(_) => return Ok(()),
                Err(error) => Err(error),
            },
            webhooks::JOB_KIND => match &self.webhook {
                Some(hook) => webhooks::deliver(hook, &job.payload).await,
                None => Err(anyhow::anyhow!("no webhook is configured (ORDERDESK_WEBHOOK_URL)")),
            },
            other => Err(anyhow::anyhow!("no handler for jobs of kind {other:?}")),
        };
        match outcome {
            // A sent mail's payload may hold a one-time link: it is not kept once delivered.
            Ok(()) if job.kind == mail::JOB_KIND => {
                jobs::complete_and_clear(self.db.pool(), &job.id, &self.name).await?;
            }
            Ok(()) => {
                jobs::complete(self.db.pool(), &job.id, &self.name).await?;
            }
            Err(error) => self.failed(job, &error).await?,
        }
        Ok(())
    }

    /// What sending a decision needs, from this worker.
    fn sender(&self) -> decisions::Sender<'_> {
        decisions::Sender { db: &self.db, client: self.client.as_ref(), holder: &self.name }
    }

    /// Sends a decision job queued in this request at once, so the operator usually sees
    /// STACKIT's answer. Ok when STACKIT has it, when the runner took the job first, or when
    /// STACKIT could not be reached (the job is retried; the order page says so); a conflict
    /// when STACKIT refused it.
    pub async fn send_decision_now(&self, job_id: &str) -> Result<(), AppError> {
        let Some(job) = jobs::claim_one(self.db.pool(), job_id, &self.name, self.lease_ms).await? else {
            return Ok(());
        };
        match decisions::send(&self.sender(), &job).await {
            Ok(Sent::Done | Sent::Lost) => Ok(()),
            Ok(Sent::Refused(message)) => Err(AppError::conflict(message)),
            Err(error) => {
                self.failed(&job, &error).await.map_err(|error| {
                    tracing::error!("{error:#}");
                    AppError::Internal
                })?;
                Ok(())
            }
        }
    }

    /// Records a failed attempt: the job comes back after a pause, or is dead when its attempts
    /// are used up (and a decision with it, in the same transaction).
    pub async fn failed(&self, job: &JobRow, error: &anyhow::Error) -> anyhow::Result<()> {
        let message = format!("{error:#}");
        tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, %message, "job failed");
        let retry_at = now_ms().saturating_add(self.pause_after(job, error));
        let mut tx = self.db.begin().await?;
        if !jobs::fail(&mut *tx, &job.id, &self.name, &message, retry_at).await? {
            return Ok(());
        }
        if job.attempts >= job.max_attempts && job.kind == decisions::JOB_KIND {
            decisions::given_up(&mut tx, job, &message).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// How long a failed job waits. A call to STACKIT that timed out may still be under way
    /// there, so the next attempt (which reads the subscription before sending again) waits at
    /// least as long as that call was given, to find it if it landed late.
    fn pause_after(&self, job: &JobRow, error: &anyhow::Error) -> i64 {
        let pause = self.retry.pause_ms(job.attempts);
        let timed_out =
            error.chain().any(|e| matches!(e.downcast_ref(), Some(VendorApiError::Timeout { .. })));
        match &self.client {
            Some(client) if timed_out => {
                pause.max(i64::try_from(client.timeout().as_millis()).unwrap_or(i64::MAX))
            }
            _ => pause,
        }
    }

    /// Queues webhook deliveries for the events recorded since `from` (found on the first call).
    async fn dispatch_events(&self, from: &mut Option<i64>) -> anyhow::Result<()> {
        let after = match *from {
            Some(after) => after,
            None => *from.insert(webhooks::starting_point(&self.db).await?),
        };
        *from = Some(webhooks::dispatch(&self.db, after).await?);
        Ok(())
    }

    /// Runs due jobs every `every` until the process ends.
    pub async fn run_forever(self, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut webhook_from = None;
        loop {
            ticks.tick().await;
            if self.webhook.is_some()
                && let Err(error) = self.dispatch_events(&mut webhook_from).await
            {
                tracing::warn!("webhook dispatch: {error:#}");
            }
            match self.run_due().await {
                Ok(_) => crate::measurements::worker_round(),
                Err(error) => tracing::warn!("job runner: {error:#}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RetryPause;

    #[test]
    fn pauses_grow_and_stop_at_an_hour() {
        let pause = RetryPause::default();
        assert_eq!(pause.ceiling_ms(1), 30_000);
        assert_eq!(pause.ceiling_ms(2), 60_000);
        assert_eq!(pause.ceiling_ms(5), 480_000);
        assert_eq!(pause.ceiling_ms(50), 3_600_000);
    }

    #[test]
    fn pauses_are_jittered_within_their_upper_half() {
        let pause = RetryPause { base_ms: 1_000 };
        let drawn: Vec<i64> = (0..200).map(|_| pause.pause_ms(3)).collect();
        assert!(drawn.iter().all(|p| (2_000..=4_000).contains(p)));
        assert!(drawn.iter().any(|p| *p != drawn[0]), "the pauses vary");
    }
}
