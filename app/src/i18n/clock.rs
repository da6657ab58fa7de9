//! Dates and times as the viewer reads them: in their time zone and their language's format.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::i18n::{Locale, Time};

/// The viewer's time zone. Times are stored as UTC milliseconds; this turns them into text.
#[derive(Debug, Clone)]
pub struct Clock {
    name: String,
    zone: TimeZone,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { name: "UTC".into(), zone: TimeZone::UTC }
    }
}

impl PartialEq for Clock {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Clock {
    /// The IANA zone `name` (`Europe/Berlin`); UTC when the name is unknown.
    pub fn named(name: &str) -> Clock {
        if name.len() > 64 {
            return Clock::default();
        }
        TimeZone::get(name).map_or_else(|_| Clock::default(), |zone| Clock { name: name.to_string(), zone })
    }

    /// The IANA zone `name`, or `None` when there is no such zone (for configuration, which
    /// should fail rather than fall back).
    pub fn parse(name: &str) -> Option<Clock> {
        let known = Clock::named(name);
        (known.name == name).then_some(known)
    }

    /// The zone's IANA name.
    pub fn zone_name(&self) -> &str {
        &self.name
    }

    /// `20 Nov 2026, 10:30 CET` / `20.11.2026, 10:30 CET`.
    pub fn date_time(&self, locale: Locale, ms: i64) -> String {
        self.format(
            ms,
            match locale {
                Locale::En => "%-d %b %Y, %H:%M %Z",
                Locale::De => "%d.%m.%Y, %H:%M %Z",
            },
        )
    }

    /// `20 Nov 2026` / `20.11.2026`.
    pub fn date(&self, locale: Locale, ms: i64) -> String {
        self.format(
            ms,
            match locale {
                Locale::En => "%-d %b %Y",
                Locale::De => "%d.%m.%Y",
            },
        )
    }

    /// `20 Nov` / `20.11.`, for chart axes.
    pub fn day(&self, locale: Locale, ms: i64) -> String {
        self.format(
            ms,
            match locale {
                Locale::En => "%-d %b",
                Locale::De => "%d.%m.",
            },
        )
    }

    fn format(&self, ms: i64, pattern: &str) -> String {
        match Timestamp::from_millisecond(ms) {
            Ok(at) => at.to_zoned_datetime(self.zone.clone()).strftime(pattern).to_string(),
            Err(_) => "—".into(),
        }
    }
}

/// `in 3 days`, `5 hours ago`, `now` (German: `in 3 Tagen`, `vor 5 Stunden`, `jetzt`).
pub fn relative(locale: Locale, ms: i64, now_ms: i64) -> String {
    let delta = ms - now_ms;
    let minutes = delta.abs() / 60_000;
    let (n, future, past) = if minutes >= 2 * 1440 {
        (minutes / 1440, Time::InDays, Time::DaysAgo)
    } else if minutes >= 120 {
        (minutes / 60, Time::InHours, Time::HoursAgo)
    } else if minutes >= 2 {
        (minutes, Time::InMinutes, Time::MinutesAgo)
    } else {
        return locale.t(Time::Now).into();
    };
    locale.f(if delta >= 0 { future } else { past }, &[("n", &n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: i64 = 1_795_167_000_000; // 2026-11-20 09:30 UTC

    #[test]
    fn times_are_shown_in_the_viewers_zone_and_format() {
        let utc = Clock::default();
        assert_eq!(utc.date_time(Locale::En, AT), "20 Nov 2026, 09:30 UTC");
        assert_eq!(utc.date_time(Locale::De, AT), "20.11.2026, 09:30 UTC");
        let berlin = Clock::named("Europe/Berlin");
        assert_eq!(berlin.date_time(Locale::De, AT), "20.11.2026, 10:30 CET");
        // Summer time is the zone's business, not a fixed offset.
        assert_eq!(berlin.date_time(Locale::En, AT - 150 * 86_400_000), "23 Jun 2026, 11:30 CEST");
        assert_eq!(Clock::named("Asia/Kolkata").date(Locale::En, AT + 15 * 3_600_000), "21 Nov 2026");
        assert_eq!(utc.day(Locale::De, AT), "20.11.");
    }

    #[test]
    fn unknown_zones_fall_back_to_utc() {
        assert_eq!(Clock::named("Mars/Olympus"), Clock::default());
        assert_eq!(Clock::named("../../etc/passwd").zone_name(), "UTC");
    }

    #[test]
    fn distances_read_naturally_in_both_languages() {
        assert_eq!(relative(Locale::En, AT + 3 * 86_400_000, AT), "in 3 days");
        assert_eq!(relative(Locale::De, AT + 3 * 86_400_000, AT), "in 3 Tagen");
        assert_eq!(relative(Locale::En, AT - 5 * 3_600_000, AT), "5 hours ago");
        assert_eq!(relative(Locale::De, AT - 5 * 3_600_000, AT), "vor 5 Stunden");
        assert_eq!(relative(Locale::De, AT + 30_000, AT), "jetzt");
    }
}
