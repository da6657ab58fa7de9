//! Limits on what strangers can make Orderdesk do: sign-in guesses (a growing delay per account
//! and address, a cap per address), and everything that creates an account or sends a mail, per
//! network address and per target address. Each attempt is recorded before it is counted
//! ([`crate::db::attempts`]), so a burst of parallel requests cannot slip past a limit.

use app::error::AppError;

use crate::db::{attempts, now_ms};

/// The longest window any limit looks back over; older attempts are deleted.
pub const LONGEST_WINDOW_MS: i64 = 86_400_000;

/// At most `max` attempts in `window_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

const HOUR_MS: i64 = 3_600_000;

/// Registrations per network address.
pub const REGISTRATIONS_PER_ADDRESS: Limit = Limit { max: 10, window_ms: HOUR_MS };
/// Password-reset requests per network address.
pub const RESETS_PER_ADDRESS: Limit = Limit { max: 10, window_ms: HOUR_MS };
/// Team invitations per network address (a team invites a handful of colleagues, not hundreds).
pub const INVITES_PER_ADDRESS: Limit = Limit { max: 20, window_ms: HOUR_MS };
/// Operator invitations per network address.
pub const OPERATOR_INVITES_PER_ADDRESS: Limit = Limit { max: 20, window_ms: HOUR_MS };
/// Mails to one address that others' requests cause (confirmation, "you have an account",
/// invitations), from all addresses together: Orderdesk cannot be made to flood an inbox.
pub const MAILS_PER_TARGET: Limit = Limit { max: 20, window_ms: LONGEST_WINDOW_MS };
/// The same from one network address: one stranger cannot use up an address's budget alone.
pub const MAILS_PER_TARGET_FROM_ADDRESS: Limit = Limit { max: 3, window_ms: LONGEST_WINDOW_MS };

/// Takes one attempt of `limit` in `scope` (`register:address:1.2.3.4`), or refuses with
/// `RateLimited` (and the attempt does not count).
pub async fn take(pool: &sqlx::AnyPool, scope: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let since = now - limit.window_ms;
    let id = attempts::record(pool, scope, now).await?;
    if attempts::count_since(pool, scope, since).await? <= limit.max {
        return Ok(());
    }
    attempts::forget(pool, &[id]).await?;
    let oldest = attempts::oldest_since(pool, scope, since).await?.unwrap_or(now);
    tracing::warn!(scope = %scope_kind(scope), "rate limited");
    Err(rate_limited(oldest + limit.window_ms - now))
}

/// The scope of mails to one address that others' requests cause, whoever asks.
fn mail_to(email: &str) -> String {
    format!("mail:to:{}", email.trim().to_lowercase())
}

/// Takes one mail to `email` caused from network `address`, against both budgets.
pub async fn take_mail(pool: &sqlx::AnyPool, email: &str, address: &str) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    // The e-mail's length first: no address can make one pair spell another.
    let pair = format!("mail:from:{}:{email}|{address}", email.len());
    take(pool, &pair, MAILS_PER_TARGET_FROM_ADDRESS).await?;
    take(pool, &mail_to(&email), MAILS_PER_TARGET).await
}

/// The scope's kind (its first two words, `mail:to`), without the address or e-mail in it, for
/// logs: an IPv6 address has colons too.
fn scope_kind(scope: &str) -> String {
    scope.splitn(3, ':').take(2).collect::<Vec<_>>().join(":")
}

fn rate_limited(wait_ms: i64) -> AppError {
    let secs = u64::try_from((wait_ms.max(1) + 999) / 1000).unwrap_or(1);
    AppError::RateLimited { retry_after_secs: secs }
}

/// Failed sign-ins within this window count towards the limits.
const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures per account from one address before each further attempt must wait.
const FREE_PER_PAIR: i64 = 5;
/// Failures per account from all addresses together before each further attempt must wait
/// (a guessing botnet slows everyone's sign-in to that account, but never blocks it for good).
const FREE_PER_ACCOUNT: i64 = 50;
/// Failures allowed per network address in the window, over all accounts.
const MAX_PER_ADDRESS: i64 = 20;
/// The first wait after the free failures; each further failure doubles it.
const FIRST_DELAY_MS: i64 = 4_000;
/// The longest wait between two attempts.
const MAX_DELAY_MS: i64 = FAILURE_WINDOW_MS;

/// The wait before the attempt that follows `earlier` attempts in a scope where `free` are free.
fn delay_after(earlier: i64, free: i64) -> i64 {
    match u32::try_from(earlier - free) {
        Ok(doublings) => FIRST_DELAY_MS.saturating_mul(2_i64.saturating_pow(doublings)).min(MAX_DELAY_MS),
        Err(_) => 0,
    }
}

/// One sign-in attempt (operators and customers alike, each with their own scope names),
/// counted before the password is checked: after five failures for one account from one
/// address, each further attempt waits a growing delay (4 s, 8 s, … up to 15 minutes) instead
/// of locking the account, so nobody can lock a known admin out; an address is capped at 20
/// failures in 15 minutes over all accounts.
pub struct SignInAttempt {
    ids: Vec<i64>,
    account: String,
    pair: String,
}

impl SignInAttempt {
    /// Starts an attempt, or refuses it with `RateLimited` (the refused attempt does not count).
    pub async fn begin(pool: &sqlx::AnyPool, account: String, address: String) -> Result<Self, AppError> {
        let now = now_ms();
        let since = now - FAILURE_WINDOW_MS;
        // The account's length first: an address typed as part of an e-mail cannot make one
        // account's scope spell another account's pair.
        let pair = format!("pair:{}:{account}|{address}", account.len());
        let mut ids = Vec::with_capacity(3);
        for scope in [&pair, &account, &address] {
            ids.push(attempts::record(pool, scope, now).await?);
        }
        let attempt = SignInAttempt { ids, account, pair };
        match attempt.wait_ms(pool, &address, now, since).await {
            Ok(None) => Ok(attempt),
            Ok(Some(wait_ms)) => {
                attempts::forget(pool, &attempt.ids).await?;
                tracing::warn!("sign-in rate limited");
                Err(rate_limited(wait_ms))
            }
            Err(error) => {
                attempts::forget(pool, &attempt.ids).await?;
                Err(error)
            }
        }
    }

    /// How long this attempt must wait, or `None` when it may go ahead now.
    async fn wait_ms(
        &self,
        pool: &sqlx::AnyPool,
        address: &str,
        now: i64,
        since: i64,
    ) -> Result<Option<i64>, AppError> {
        if attempts::count_since(pool, address, since).await? > MAX_PER_ADDRESS {
            let oldest = attempts::oldest_since(pool, address, since).await?;
            return Ok(Some(oldest.unwrap_or(now) + FAILURE_WINDOW_MS - now));
        }
        for ((scope, free), id) in
            [(&self.pair, FREE_PER_PAIR), (&self.account, FREE_PER_ACCOUNT)].into_iter().zip(&self.ids)
        {
            let earlier = attempts::count_since(pool, scope, since).await? - 1;
            let delay = delay_after(earlier, free);
            if delay == 0 {
                continue;
            }
            let last = attempts::latest_other(pool, scope, since, *id).await?;
            if let Some(last) = last
                && now - last < delay
            {
                return Ok(Some(last + delay - now));
            }
        }
        Ok(None)
    }

    /// Settles the attempt by what checking the password gave: the account when it was right
    /// (the account's failures, from this address and overall, are forgotten, and so is this
    /// attempt); `Unauthorized` when it was wrong (the attempt stays counted); the error when it
    /// could not be decided (busy, database), and then the attempt does not count, so that
    /// retrying a 503 does not slow the owner down.
    pub async fn settle<T>(
        self,
        pool: &sqlx::AnyPool,
        checked: Result<Option<T>, AppError>,
    ) -> Result<T, AppError> {
        match checked {
            Ok(Some(found)) => {
                attempts::clear_scope(pool, &self.pair).await?;
                attempts::clear_scope(pool, &self.account).await?;
                attempts::forget(pool, &self.ids).await?;
                Ok(found)
            }
            Ok(None) => Err(AppError::Unauthorized),
            Err(error) => {
                if let Err(forgetting) = attempts::forget(pool, &self.ids).await {
                    tracing::warn!(error = %forgetting, "an undecided sign-in attempt could not be forgotten");
                }
                Err(error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_attempts_and_stops_growing() {
        assert_eq!(delay_after(4, 5), 0);
        assert_eq!(delay_after(5, 5), 4_000);
        assert_eq!(delay_after(6, 5), 8_000);
        assert_eq!(delay_after(12, 5), 512_000);
        assert_eq!(delay_after(13, 5), MAX_DELAY_MS);
        assert_eq!(delay_after(500, 5), MAX_DELAY_MS);
    }

    #[test]
    fn logs_name_the_kind_of_limit_and_nobody_in_it() {
        assert_eq!(scope_kind("mail:from:13:ada@x.example|2001:db8:1:2::/64"), "mail:from");
        assert_eq!(scope_kind("register:address:2001:db8:1:2::/64"), "register:address");
        assert_eq!(scope_kind("mail:to:ada@x.example"), "mail:to");
    }

    #[test]
    fn a_wait_is_at_least_a_second_and_rounds_up() {
        assert_eq!(rate_limited(0), AppError::RateLimited { retry_after_secs: 1 });
        assert_eq!(rate_limited(4_000), AppError::RateLimited { retry_after_secs: 4 });
        assert_eq!(rate_limited(4_001), AppError::RateLimited { retry_after_secs: 5 });
    }
}
