//! When the syncs run: the full reconciliation and the pending poll on their intervals, each
//! under a database lease so that one replica at a time runs it, every run recorded.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::sync::{SyncReport, poll_pending, run_full};
use crate::db::{Database, leases, now_ms};
use crate::marketplace::client::VendorClient;

/// When the scheduled syncs run, and which reminders operators get.
#[derive(Debug, Clone)]
pub struct SyncSchedule {
    pub full_every: Duration,
    pub pending_every: Duration,
    pub reminder_days: Vec<u32>,
}

/// How long recorded sync runs are kept (the newest successful one of each kind always is).
const KEEP_RUNS_MS: i64 = 30 * 86_400_000;

/// Rows written by one sync run above which the database is settled after it (see
/// `Database::settle_after_bulk_write`): a first sync, or a large batch of changes.
const BULK_WRITE_ROWS: u64 = 1_000;

/// Forgets what nobody needs any more, so that tables do not grow with time alone: sync runs
/// older than a month (a pending poll a minute is half a million a year) and sessions past their
/// absolute expiry, mail jobs finished a month ago, attempts older than any limit's window, and the API's idempotency keys after a day. Run after each full sync by the replica that ran it. The number of rows deleted.
pub async fn tidy(db: &Database, now: i64) -> crate::db::Result<u64> {
    let mut deleted = 0;
    for kind in ["full", "pending"] {
        deleted += leases::prune_runs(db.pool(), kind, now - KEEP_RUNS_MS).await?;
    }
    deleted += crate::db::operators::prune_sessions(db.pool(), now).await?;
    deleted += crate::db::jobs::prune_finished(db.pool(), crate::mail::JOB_KIND, now - KEEP_RUNS_MS).await?;
    deleted +=
        crate::db::attempts::prune(db.pool(), now - crate::accounts::limits::LONGEST_WINDOW_MS).await?;
    deleted += crate::db::idempotency::prune(db.pool(), now - crate::db::idempotency::KEPT_MS).await?;
    Ok(deleted)
}

/// A lease on one scheduled task, held by this process.
#[derive(Debug, Clone)]
pub struct Lease {
    pub name: &'static str,
    pub holder: String,
    pub hold: Duration,
}

impl Lease {
    fn until(&self) -> i64 {
        now_ms().saturating_add(i64::try_from(self.hold.as_millis()).unwrap_or(i64::MAX))
    }

    /// Takes the lease if it is free (or ours): whether this process runs the task this time.
    pub async fn take(&self, db: &Database) -> crate::db::Result<bool> {
        leases::acquire(db.pool(), self.name, &self.holder, self.until()).await
    }

    /// Keeps the lease while the task runs; an error when another replica has taken it over.
    pub async fn renew(&self, db: &Database) -> anyhow::Result<()> {
        anyhow::ensure!(
            leases::renew(db.pool(), self.name, &self.holder, self.until()).await?,
            "another replica took over the {} lease",
            self.name
        );
        Ok(())
    }
}

/// Runs the full sync (at start, then every `full_every`) and the pending poll (every
/// `pending_every`), each only when this process holds its lease, recording every run, until
/// the process ends. A lease lasts one interval: with several replicas one of them runs each
/// tick, and when it dies another takes over within an interval.
pub async fn run_forever(client: VendorClient, db: Database, schedule: SyncSchedule) {
    let holder = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let full = Lease { name: "sync.full", holder: holder.clone(), hold: schedule.full_every };
    let pending = Lease { name: "sync.pending", holder, hold: schedule.pending_every };
    let days = schedule.reminder_days.clone();
    // While this process's full sync reads every order, a pending poll would read the pending
    // ones a second time (at a million orders, a first sync of minutes polled over and over):
    // that tick is left out.
    let full_running = AtomicBool::new(false);
    let (full_running, client, db) = (&full_running, &client, &db);
    let full_sync = |lease| async move {
        full_running.store(true, Ordering::Relaxed);
        let _done = Lowered(full_running);
        run_full(client, db, Some(lease)).await
    };
    tokio::join!(
        every(db, &full, "full", None, full_sync),
        every(db, &pending, "pending", Some(full_running), |lease| poll_pending(
            client,
            db,
            &days,
            Some(lease)
        )),
    );
}

/// Lowers the flag when dropped: when the run ends, however it ends.
struct Lowered<'a>(&'a AtomicBool);

impl Drop for Lowered<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// Runs `run` on every tick when this process holds `lease`, unless `skip_while` is raised.
async fn every<'a, F, Fut>(
    db: &'a Database,
    lease: &'a Lease,
    kind: &'static str,
    skip_while: Option<&AtomicBool>,
    run: F,
) where
    F: Fn(&'a Lease) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<SyncReport>>,
{
    let mut ticker = tokio::time::interval(lease.hold);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if skip_while.is_some_and(|flag| flag.load(Ordering::Relaxed)) {
            tracing::debug!(kind, "left out while the full sync reads every order");
            continue;
        }
        match lease.take(db).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(kind, "sync lease: {error}");
                continue;
            }
        }
        let run_id = match leases::run_started(db.pool(), kind, &lease.holder).await {
            Ok(id) => id,
            Err(error) => {
                tracing::warn!(kind, "recording a sync run: {error}");
                continue;
            }
        };
        let started = std::time::Instant::now();
        let result = run(lease).await;
        let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        crate::measurements::sync_finished(kind, result.is_ok(), started.elapsed());
        let (counts, error) = match &result {
            Ok(report) => {
                tracing::info!(
                    kind,
                    new = report.new,
                    changed = report.changed,
                    unchanged = report.unchanged,
                    looked_up = report.looked_up,
                    millis,
                    "sync finished"
                );
                if report.new + report.changed >= BULK_WRITE_ROWS {
                    match db.settle_after_bulk_write().await {
                        Ok(()) => tracing::info!(kind, "database settled after a large sync"),
                        Err(error) => {
                            tracing::warn!(kind, "settling the database after a large sync: {error}")
                        }
                    }
                }
                ((report.new, report.changed, report.unchanged), None)
            }
            Err(error) => {
                tracing::warn!(kind, millis, "sync failed: {error:#}");
                ((0, 0, 0), Some(format!("{error:#}")))
            }
        };
        if let Err(error) = leases::run_finished(db.pool(), &run_id, counts, error.as_deref()).await {
            tracing::warn!(kind, "recording a sync run: {error}");
        }
        if kind == "full" {
            match tidy(db, now_ms()).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "old sync runs and expired sessions removed"),
                Err(error) => tracing::warn!("removing old sync runs and expired sessions: {error}"),
            }
        }
        if let Some(pause) = pause_after(started.elapsed(), lease.hold) {
            tracing::info!(
                kind,
                pause_secs = pause.as_secs(),
                "a long sync run: the next waits twice as long as it took"
            );
            tokio::time::sleep(pause).await;
        }
    }
}

/// A sync takes at most a third of the time: a run that took longer than a third of its interval
/// (a pending poll of 200,000 orders takes a minute or two, and would start again at once) is
/// followed by a pause of twice its time, so that STACKIT and the console's pages get the rest.
fn pause_after(took: Duration, interval: Duration) -> Option<Duration> {
    (took.saturating_mul(3) > interval).then(|| took.saturating_mul(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_run_takes_at_most_a_third_of_the_time() {
        let minute = Duration::from_secs(60);
        assert_eq!(pause_after(Duration::from_secs(3), minute), None);
        assert_eq!(pause_after(Duration::from_secs(20), minute), None, "the interval is pause enough");
        assert_eq!(pause_after(Duration::from_secs(21), minute), Some(Duration::from_secs(42)));
        assert_eq!(pause_after(Duration::from_secs(119), minute), Some(Duration::from_secs(238)));
        assert_eq!(pause_after(Duration::MAX, minute), Some(Duration::MAX));
    }
}
