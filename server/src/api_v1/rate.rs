//! Per-token rate limits of the automation API: a runaway script cannot starve the console. Each
//! token has a bucket of `per_minute` requests that refills continuously; an empty bucket answers
//! 429 with `Retry-After`. Kept in this process's memory (a token's budget is per replica), since
//! a database write per API request would cost more than the requests it guards.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use app::error::AppError;

/// Requests per token and minute, shared by the API's handlers.
#[derive(Clone)]
pub struct RateLimit {
    per_minute: u32,
    buckets: Arc<Mutex<HashMap<String, Bucket>>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimit {
    /// `per_minute` requests per token, in a burst or spread over the minute.
    pub fn per_minute(per_minute: u32) -> Self {
        RateLimit { per_minute: per_minute.max(1), buckets: Arc::default() }
    }

    /// Takes one request of `token`'s budget, or says how many seconds until there is one.
    pub fn take(&self, token: &str) -> Result<(), AppError> {
        let capacity = f64::from(self.per_minute);
        let per_sec = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(token.to_string()).or_insert(Bucket { tokens: capacity, at: now });
        let refilled = now.duration_since(bucket.at).as_secs_f64() * per_sec;
        bucket.tokens = (bucket.tokens + refilled).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = ((1.0 - bucket.tokens) / per_sec).ceil();
        // Truncation is intended: `wait` is a small positive whole number of seconds.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let retry_after_secs = (wait as u64).max(1);
        Err(AppError::RateLimited { retry_after_secs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gets_its_budget_then_waits_and_others_are_not_touched() {
        let limit = RateLimit::per_minute(3);
        for _ in 0..3 {
            assert!(limit.take("a").is_ok());
        }
        let refused = limit.take("a").unwrap_err();
        assert_eq!(refused.retry_after_secs(), Some(20), "one request every 20 s refills");
        assert!(limit.take("b").is_ok(), "another token has its own budget");
    }
}
