//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes), run off the
//! async threads because it is deliberately slow, and never more at once than the process's
//! [`Gate`] allows: each hash holds 19 MiB, so a burst of sign-ins or registrations would
//! otherwise take the process past any memory limit. A request that waits too long for its
//! turn is answered `Busy` (503 with `Retry-After`).

use std::sync::OnceLock;
use std::time::Duration;

use app::error::AppError;
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 10;

/// Why a new password is not accepted, in words for the person choosing it.
pub fn weakness(password: &str) -> Option<String> {
    if password.chars().count() < MIN_LENGTH {
        return Some(format!("Use at least {MIN_LENGTH} characters."));
    }
    if password.chars().count() > 1024 {
        return Some("Use at most 1024 characters.".into());
    }
    None
}

/// How many hashes run at once, and how long a request waits for its turn.
#[derive(Debug)]
pub struct Gate {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    wait: Duration,
}

/// How long a request waits for a hashing slot before it is answered `Busy`.
const WAIT: Duration = Duration::from_secs(5);

impl Gate {
    /// A gate letting `concurrent` hashes run at once.
    pub fn new(concurrent: usize, wait: Duration) -> Self {
        Gate { permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrent.max(1))), wait }
    }

    /// Runs `work` (hashing or verifying) on a blocking thread once a slot is free.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let busy = AppError::Busy { retry_after_secs: self.wait.as_secs().max(1) };
        let Ok(Ok(permit)) = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await
        else {
            tracing::warn!("password hashing busy: a request was turned away");
            return Err(busy);
        };
        // The slot goes with the work: a request that gives up (the client left) does not free
        // it while its 19 MiB hash still runs.
        let guarded = move || {
            let result = work();
            drop(permit);
            result
        };
        tokio::task::spawn_blocking(guarded).await.map_err(|error| {
            tracing::error!(%error, "a password hashing task failed");
            AppError::Internal
        })
    }
}

static GATE: OnceLock<Gate> = OnceLock::new();

/// Sets how many hashes the process runs at once (default: one per core). Only the first call
/// counts: the limit protects the process's memory, so there is one per process.
pub fn limit_concurrency(concurrent: usize) {
    let _ = GATE.set(Gate::new(concurrent, WAIT));
}

fn gate() -> &'static Gate {
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Gate::new(cores, WAIT)
    })
}

/// The hash of a password someone chose, after checking it is acceptable: a `Validation` error
/// for the input named `field` when it is not, `Busy` when too many are hashed at once,
/// `Internal` (logged) when hashing fails.
pub async fn new_hash(field: &str, password: &str) -> Result<String, AppError> {
    if let Some(reason) = weakness(password) {
        return Err(AppError::invalid(field, reason));
    }
    hash_in_turn(password).await?.map_err(|error| {
        tracing::error!("{error:#}");
        AppError::Internal
    })
}

/// The PHC string of `password` (algorithm, parameters, salt and hash), for the command line and
/// the demo: waits for its turn however long it takes.
pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || phc(&password)).await?
}

async fn hash_in_turn(password: &str) -> Result<anyhow::Result<String>, AppError> {
    let password = password.to_string();
    gate().run(move || phc(&password)).await
}

fn phc(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Whether `password` matches the stored PHC string (`Busy` when too many are checked at once).
/// With no stored hash (unknown account) a dummy verification still runs, so the answer takes as
/// long either way.
pub async fn verify(password: &str, stored: Option<&str>) -> Result<bool, AppError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = stored.is_some();
    let stored = match stored {
        Some(stored) => stored.to_string(),
        None => DUMMY
            .get_or_init(|| {
                let salt = SaltString::generate(&mut OsRng);
                Argon2::default()
                    .hash_password(b"not a password", &salt)
                    .map(|h| h.to_string())
                    .unwrap_or_default()
            })
            .clone(),
    };
    let password = password.to_string();
    let matches = gate()
        .run(move || {
            PasswordHash::new(&stored)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await?;
    Ok(matches && known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)).await.unwrap());
        assert!(!verify("correct horse batterY", Some(&stored)).await.unwrap());
        assert!(!verify("anything", None).await.unwrap());
        assert!(!verify("not a password", None).await.unwrap(), "the dummy's own password opens nothing");
        assert!(!verify("anything", Some("not a phc string")).await.unwrap());
    }

    #[tokio::test]
    async fn work_beyond_the_gates_slots_waits_then_is_turned_away_as_busy() {
        let gate = std::sync::Arc::new(Gate::new(1, Duration::from_millis(200)));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let holder = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(move || hold.recv().is_ok()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let turned_away = gate.run(|| ()).await;
        assert_eq!(turned_away, Err(AppError::Busy { retry_after_secs: 1 }));
        release.send(()).unwrap();
        assert_eq!(holder.await.unwrap(), Ok(true));
        assert_eq!(gate.run(|| 7).await, Ok(7), "a free slot runs the work");
    }

    #[test]
    fn short_passwords_are_refused_with_a_reason() {
        assert!(weakness("short").unwrap().contains("10"));
        assert_eq!(weakness("long enough password"), None);
    }
}
