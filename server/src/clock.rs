//! The wall clock in the one unit Orderdesk stores and compares times in: milliseconds since the
//! Unix epoch, UTC. At the bottom of the layers, so that every module (the simulator too) reads
//! time the same way without knowing the database.

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
