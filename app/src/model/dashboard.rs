//! The overview's figures.

use serde::{Deserialize, Serialize};

use super::StateCount;

/// How long orders took from ordering to approval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ApprovalTimes {
    pub orders: u64,
    pub median_hours: f64,
    pub p90_hours: f64,
}

/// Orders approved in one week (Monday 00:00 UTC).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeekCount {
    pub week_start_ms: i64,
    pub approved: u64,
}

/// Everything the overview shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub counts: Vec<StateCount>,
    /// Pending orders past their deadline.
    pub overdue: u64,
    /// Pending orders due within three days.
    pub due_soon: u64,
    pub last_30_days: Option<ApprovalTimes>,
    pub last_90_days: Option<ApprovalTimes>,
    /// The last twelve weeks, oldest first.
    pub weekly: Vec<WeekCount>,
}

/// Median and 90th percentile (nearest rank) of durations given as (hours, how many orders
/// took that long), in ascending order of hours, without writing the list out.
pub fn approval_times_counted(counted: &[(f64, u64)]) -> Option<ApprovalTimes> {
    let total: u64 = counted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The value at 1-based position `rank` of the list written out.
    let at = |rank: u64| {
        let mut seen = 0;
        for (hours, n) in counted {
            seen += n;
            if seen >= rank {
                return *hours;
            }
        }
        counted.last().map_or(0.0, |(hours, _)| *hours)
    };
    let median = if total % 2 == 1 { at(total / 2 + 1) } else { (at(total / 2) + at(total / 2 + 1)) / 2.0 };
    let p90 = at(((0.9 * total as f64).ceil() as u64).clamp(1, total));
    Some(ApprovalTimes { orders: total, median_hours: median, p90_hours: p90 })
}

/// Monday 00:00 UTC of the week containing `ms`.
pub fn week_start(ms: i64) -> i64 {
    const DAY: i64 = 86_400_000;
    // 1970-01-01 was a Thursday: shift so that weeks start on Monday.
    let days = ms.div_euclid(DAY);
    (days - (days + 3).rem_euclid(7)) * DAY
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures from the list written out: the reference the counted version is held to.
    fn approval_times(mut hours: Vec<f64>) -> Option<ApprovalTimes> {
        if hours.is_empty() {
            return None;
        }
        hours.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let index = ((p * hours.len() as f64).ceil() as usize).clamp(1, hours.len()) - 1;
            hours[index]
        };
        let median = if hours.len() % 2 == 1 {
            hours[hours.len() / 2]
        } else {
            (hours[hours.len() / 2 - 1] + hours[hours.len() / 2]) / 2.0
        };
        Some(ApprovalTimes { orders: hours.len() as u64, median_hours: median, p90_hours: rank(0.9) })
    }

    #[test]
    fn median_and_p90_follow_nearest_rank() {
        assert_eq!(approval_times(vec![]), None);
        let times = approval_times((1..=10).map(f64::from).collect()).unwrap();
        assert_eq!((times.orders, times.median_hours, times.p90_hours), (10, 5.5, 9.0));
        let one = approval_times(vec![7.0]).unwrap();
        assert_eq!((one.median_hours, one.p90_hours), (7.0, 7.0));
    }

    #[test]
    fn counted_durations_give_the_same_figures_as_the_list() {
        assert_eq!(approval_times_counted(&[]), None);
        let lists: [&[(f64, u64)]; 4] =
            [&[(7.0, 1)], &[(1.0, 3), (2.0, 1), (9.5, 6)], &[(0.0, 5), (0.1, 5)], &[(3.0, 2), (4.0, 2)]];
        for counted in lists {
            let written: Vec<f64> =
                counted.iter().flat_map(|(h, n)| std::iter::repeat_n(*h, *n as usize)).collect();
            assert_eq!(approval_times_counted(counted), approval_times(written), "{counted:?}");
        }
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-26 is a Thursday; its week starts on Monday 2026-11-23.
        assert_eq!(week_start(1_795_651_200_000 + 5 * 3_600_000), 1_795_392_000_000);
        assert_eq!(week_start(1_795_392_000_000), 1_795_392_000_000);
    }
}
