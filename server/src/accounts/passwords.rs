//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes), run off the
//! async threads because it is deliberately slow.

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

/// The hash of a password someone chose, after checking it is acceptable: a `Validation` error
/// for the input named `field` when it is not, `Internal` (logged) when hashing fails.
pub async fn new_hash(field: &str, password: &str) -> Result<String, app::error::AppError> {
    if let Some(reason) = weakness(password) {
        return Err(app::error::AppError::invalid(field, reason));
    }
    hash(password).await.map_err(|error| {
        tracing::error!("{error:#}");
        app::error::AppError::Internal
    })
}

/// The PHC string of `password` (algorithm, parameters, salt and hash).
pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Whether `password` matches the stored PHC string. With no stored hash (unknown account) a
/// dummy verification still runs, so the answer takes as long either way.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
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
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
        && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)).await);
        assert!(!verify("correct horse batterY", Some(&stored)).await);
        assert!(!verify("anything", None).await);
        assert!(!verify("not a password", None).await, "the dummy's own password opens nothing");
        assert!(!verify("anything", Some("not a phc string")).await);
    }

    #[test]
    fn short_passwords_are_refused_with_a_reason() {
        assert!(weakness("short").unwrap().contains("10"));
        assert_eq!(weakness("long enough password"), None);
    }
}
