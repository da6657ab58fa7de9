//! The one error of the database boundary. Every function in `db/` returns it, so a service
//! passes a failure on with `?` and the conversion to what a client sees ([`AppError`]) happens
//! once, here, with the cause logged and never shown.

use app::error::AppError;

/// A statement that failed, on either engine.
#[derive(Debug)]
pub struct Error(sqlx::Error);

/// What a function of `db/` gives.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True when a unique constraint refused the row, on either engine.
    pub fn is_unique_violation(&self) -> bool {
        matches!(&self.0, sqlx::Error::Database(e) if e.is_unique_violation())
    }

    /// True when the database could not be reached (pool exhausted or closed, connection lost),
    /// as opposed to a statement that went wrong.
    pub fn is_unavailable(&self) -> bool {
        matches!(self.0, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        Self(error)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Logged once here, never shown to the client: an unreachable database is "try again"
/// ([`AppError::Unavailable`], 503), anything else an internal error.
impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        if error.is_unavailable() {
            tracing::error!(%error, "database unavailable");
            AppError::Unavailable
        } else {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_database_is_unavailable_and_other_failures_internal() {
        assert_eq!(AppError::from(Error::from(sqlx::Error::PoolTimedOut)), AppError::Unavailable);
        assert_eq!(AppError::from(Error::from(sqlx::Error::RowNotFound)), AppError::Internal);
        assert!(!Error::from(sqlx::Error::RowNotFound).is_unique_violation());
    }
}
