//! The operators' reminders, queued after each pending poll: a pending order's deadline within a
//! configured threshold, and a subscription that ended (its customer's instance is to be
//! removed). Each once (by its notice's key), all of a poll's in one transaction. A first load's
//! one mail stands for those its orders were already due for when it went out.

use crate::db::tallies::DAY_MS;
use crate::db::{Database, bulk_load, orders};
use crate::mail::notify::{self, Notice};

/// Queues the reminders due at `now`: for each pending order, the nearest configured threshold
/// its deadline is within (once per order and threshold), and for each subscription that ended
/// in the last week, the deprovisioning notice (once; a sync that sees a live subscription become
/// cancelled queues it too, however long ago it ended, so an outage does not lose it).
/// Every order due within the widest threshold is offered again each poll (a reminder already
/// queued is kept out by its key), so they are queued in one transaction, not one commit each
/// (7,400 at 100,000 orders, every minute). The number queued.
pub async fn remind(db: &Database, reminder_days: &[u32], now: i64) -> anyhow::Result<u64> {
    let mut thresholds: Vec<u32> = reminder_days.iter().copied().filter(|d| *d > 0).collect();
    thresholds.sort_unstable();
    thresholds.dedup();
    let due = match thresholds.last() {
        Some(widest) => orders::due_within(db.pool(), now, i64::from(*widest) * DAY_MS).await?,
        None => Vec::new(),
    };
    let ended = orders::ended_between(db.pool(), now - 7 * DAY_MS, now).await?;
    if due.is_empty() && ended.is_empty() {
        return Ok(0);
    }
    // A first load's one mail told of its orders as they were then (20,000 pending at 100,000
    // orders, 7,400 of them near their deadline, and 2,500 subscriptions ended in the week
    // before): what an order was already due for then is not sent one by one.
    let (announced, loading_since) = bulk_load::first_load_times(db.pool()).await?;
    let told = Told { announced, loading_since };
    let mut queued = 0;
    let mut tx = db.begin_write().await?;
    // Each order once, for the nearest threshold its deadline is within.
    let mut after = 0;
    for days in thresholds {
        let within = i64::from(after) * DAY_MS + 1..=i64::from(days) * DAY_MS;
        let ids: Vec<&str> = due
            .iter()
            .filter(|(_, deadline, first_seen)| {
                within.contains(&(deadline - now))
                    && !told.of(*first_seen, deadline.saturating_sub(i64::from(days) * DAY_MS))
            })
            .map(|(id, ..)| id.as_str())
            .collect();
        queued += notify::queue_many(&mut tx, &ids, &Notice::DeadlineNear { days }).await?;
        after = days;
    }
    let ended: Vec<&str> = ended
        .iter()
        .filter(|(_, ends, first_seen)| !told.of(*first_seen, *ends))
        .map(|(id, ..)| id.as_str())
        .collect();
    queued += notify::queue_many(&mut tx, &ended, &Notice::Deprovision).await?;
    tx.commit().await?;
    Ok(queued)
}

/// What a first load's one mail stands for: when it went out, if it did, and since when a first
/// load is unfinished, if one is (its mail is still to come).
struct Told {
    announced: Option<i64>,
    loading_since: Option<i64>,
}

impl Told {
    /// Whether a first load's mail tells (or will tell) of an order first seen at `first_seen`
    /// whose reminder became due at `due`: it is part of an unfinished load, or it was part of
    /// the announced one and the reminder was due before the mail went out.
    fn of(&self, first_seen: i64, due: i64) -> bool {
        self.loading_since.is_some_and(|since| first_seen >= since)
            || self.announced.is_some_and(|at| first_seen <= at && due <= at)
    }
}
