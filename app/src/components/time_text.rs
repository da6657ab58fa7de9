//! Dates as operators read them: the date itself and how far away it is.

/// `2026-11-20 09:30 UTC`.
pub fn date_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let of_day = ms.rem_euclid(86_400_000) / 60_000;
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", of_day / 60, of_day % 60)
}

/// `in 3 days`, `in 5 hours`, `2 days ago`.
pub fn relative(ms: i64, now_ms: i64) -> String {
    let delta = ms - now_ms;
    let minutes = delta.abs() / 60_000;
    let amount = if minutes >= 2 * 1440 {
        format!("{} days", minutes / 1440)
    } else if minutes >= 120 {
        format!("{} hours", minutes / 60)
    } else if minutes >= 2 {
        format!("{minutes} minutes")
    } else {
        return "now".into();
    };
    if delta >= 0 { format!("in {amount}") } else { format!("{amount} ago") }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_distances_read_naturally() {
        assert_eq!(date_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(date_time(1_795_167_000_000), "2026-11-20 09:30 UTC");
        assert_eq!(date_time(951_782_400_000), "2000-02-29 00:00 UTC");
        let now = 1_795_167_000_000;
        assert_eq!(relative(now + 3 * 86_400_000, now), "in 3 days");
        assert_eq!(relative(now - 5 * 3_600_000, now), "5 hours ago");
        assert_eq!(relative(now + 30_000, now), "now");
    }
}
