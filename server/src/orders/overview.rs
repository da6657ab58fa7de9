//! The overview's figures (issue 14): orders per state and the activations' approval times and
//! weekly counts, from the tallies the database keeps as orders change. The activation figures
//! are the costly part (a row per day and approval time of the last 90 days); they are kept in
//! memory for as long as the tallies' generation and the day are the same, which makes them
//! exact (a change anywhere, by any replica, moves the generation) and a visit cheap.

use std::sync::Mutex;

use app::model::{Dashboard, WeekCount, approval_times_counted, week_start};

use crate::db::Database;
use crate::db::tallies::{self, DAY_MS};

/// Weeks of activations the overview draws.
const WEEKS: usize = 12;

/// The activation figures of one day and generation of the tallies.
#[derive(Debug, Clone, PartialEq)]
struct Activations {
    /// (today, generation) they were computed for.
    key: (i64, i64),
    /// (tenths of an hour, activated in the last 90 days, in the last 30 days).
    approval_times: Vec<(i64, i64, i64)>,
    /// Activations per week, the oldest of the last twelve first.
    weekly: [i64; WEEKS],
}

/// The activation figures last computed, shared by every visit to the overview.
#[derive(Default)]
pub struct OverviewFigures {
    kept: Mutex<Option<Activations>>,
}

impl OverviewFigures {
    /// The overview at `now_ms`: the approval times of the orders activated today and on the 29
    /// (89) UTC days before, and the activations of the last 12 weeks (Monday to Sunday, UTC).
    /// `counts` are the orders per state, read by the caller.
    pub async fn dashboard(
        &self,
        db: &Database,
        now_ms: i64,
        counts: Vec<app::model::StateCount>,
    ) -> crate::db::Result<Dashboard> {
        let pool = db.pool();
        let (overdue, due_soon, _) = tallies::deadline_counts(pool, now_ms, app::model::DUE_SOON_MS).await?;
        let activations = self.activations(db, now_ms).await?;
        let hours = |pick: fn(&(i64, i64, i64)) -> i64| {
            let counted: Vec<(f64, u64)> = activations
                .approval_times
                .iter()
                .map(|row| (row.0 as f64 / 10.0, u64::try_from(pick(row)).unwrap_or(0)))
                .filter(|(_, n)| *n > 0)
                .collect();
            approval_times_counted(&counted)
        };
        let first_week = week_start(now_ms) - (WEEKS as i64 - 1) * 7 * DAY_MS;
        let weekly = (0..)
            .zip(activations.weekly)
            .map(|(n, count)| WeekCount {
                week_start_ms: first_week + n * 7 * DAY_MS,
                approved: u64::try_from(count).unwrap_or(0),
            })
            .collect();
        Ok(Dashboard {
            counts,
            overdue: u64::try_from(overdue).unwrap_or(0),
            due_soon: u64::try_from(due_soon).unwrap_or(0),
            last_30_days: hours(|row| row.2),
            last_90_days: hours(|row| row.1),
            weekly,
        })
    }

    /// The activation figures for today, computed again only when the tallies changed.
    async fn activations(&self, db: &Database, now_ms: i64) -> crate::db::Result<Activations> {
        let pool = db.pool();
        let key = (now_ms.div_euclid(DAY_MS), tallies::activations_generation(pool).await?);
        if let Ok(kept) = self.kept.lock()
            && let Some(kept) = kept.as_ref().filter(|kept| kept.key == key)
        {
            return Ok(kept.clone());
        }
        let today = key.0;
        let approval_times = tallies::approval_times(pool, today - 89, today - 29).await?;
        let first_day = (week_start(now_ms) / DAY_MS) - (WEEKS as i64 - 1) * 7;
        let mut weekly = [0; WEEKS];
        for (day, count) in tallies::activations_by_day(pool, first_day).await? {
            if let Some(week) = usize::try_from((day - first_day) / 7).ok().and_then(|n| weekly.get_mut(n)) {
                *week += count;
            }
        }
        let computed = Activations { key, approval_times, weekly };
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some(computed.clone());
        }
        Ok(computed)
    }
}
