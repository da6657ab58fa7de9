//! Durations as STACKIT might send them: the format of `approvalTimeout`, `validityPeriod` and
//! `noticePeriod` is undocumented, so a protobuf duration (`"2592000s"`), an ISO 8601 duration
//! (`"P30D"`, `"PT1H"`, `"P1M"`) and whole seconds (`"3600"`) are all understood.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration field: the text as sent, plus its length in seconds when the text could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireDuration {
    pub raw: String,
    pub seconds: Option<i64>,
}

impl WireDuration {
    /// Reads `raw` in any of the accepted formats; unreadable text keeps `seconds` empty.
    pub fn parse(raw: &str) -> Self {
        WireDuration { raw: raw.to_string(), seconds: parse_seconds(raw.trim()) }
    }
}

/// Months count as 30 days and years as 365: the durations are approval windows and billing
/// periods, where STACKIT's own texts speak of "30 days" and "1 month" alike.
fn parse_seconds(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return (seconds >= 0).then_some(seconds);
    }
    if let Some(number) = text.strip_suffix('s') {
        let seconds = number.parse::<f64>().ok()?;
        return (0.0..1e15).contains(&seconds).then_some(seconds.trunc() as i64);
    }
    parse_iso8601(text)
}

fn parse_iso8601(text: &str) -> Option<i64> {
    let rest = text.strip_prefix('P').or_else(|| text.strip_prefix('p'))?;
    if rest.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' | 't' if !in_time && number.is_empty() => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            unit => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                let factor = match (in_time, unit.to_ascii_uppercase()) {
                    (false, 'Y') => 365 * 86_400,
                    (false, 'M') => 30 * 86_400,
                    (false, 'W') => 7 * 86_400,
                    (false, 'D') => 86_400,
                    (true, 'H') => 3_600,
                    (true, 'M') => 60,
                    (true, 'S') => 1,
                    _ => return None,
                };
                let part = value * factor as f64;
                if !(0.0..=1e15).contains(&part) {
                    return None;
                }
                total = total.checked_add(part.trunc() as i64)?;
                any = true;
            }
        }
    }
    (any && number.is_empty()).then_some(total)
}

impl Serialize for WireDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

impl<'de> Deserialize<'de> for WireDuration {
    /// Accepts a string or a bare number (seconds), so a differently typed field never fails a sync.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => Ok(WireDuration::parse(&text)),
            serde_json::Value::Number(number) => Ok(WireDuration::parse(&number.to_string())),
            other => Ok(WireDuration { raw: other.to_string(), seconds: None }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protobuf_iso_and_plain_seconds_are_understood() {
        assert_eq!(WireDuration::parse("2592000s").seconds, Some(2_592_000));
        assert_eq!(WireDuration::parse("1.5s").seconds, Some(1));
        assert_eq!(WireDuration::parse("P30D").seconds, Some(2_592_000));
        assert_eq!(WireDuration::parse("PT1H").seconds, Some(3_600));
        assert_eq!(WireDuration::parse("P1M").seconds, Some(2_592_000));
        assert_eq!(
            WireDuration::parse("P1Y2M3DT4H5M6S").seconds,
            Some(365 * 86_400 + 60 * 86_400 + 3 * 86_400 + 4 * 3_600 + 5 * 60 + 6)
        );
        assert_eq!(WireDuration::parse("P2W").seconds, Some(14 * 86_400));
        assert_eq!(WireDuration::parse("3600").seconds, Some(3_600));
    }

    #[test]
    fn unreadable_text_is_kept_raw_without_seconds() {
        for text in
            ["", "P", "PT", "30 days", "-5", "P1X", "P1", "s", "1e400s", "PT1H30", "P99999999999999999999D"]
        {
            let duration = WireDuration::parse(text);
            assert_eq!(duration.raw, text);
            assert_eq!(duration.seconds, None, "{text}");
        }
    }

    #[test]
    fn numbers_and_strings_both_deserialize() {
        let from_number: WireDuration = serde_json::from_str("86400").unwrap();
        assert_eq!(from_number.seconds, Some(86_400));
        let from_string: WireDuration = serde_json::from_str("\"P1D\"").unwrap();
        assert_eq!(from_string, WireDuration { raw: "P1D".into(), seconds: Some(86_400) });
        assert_eq!(serde_json::to_string(&from_string).unwrap(), "\"P1D\"");
    }
}
