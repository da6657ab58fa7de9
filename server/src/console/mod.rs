//! The server's side of the ports that `app`'s server functions call (see `app::api::ports`).

mod decisions;
mod orders;
mod settings;

use std::sync::Arc;

use app::api::ports::Ports;
use app::error::AppError;
use app::model::StackitInfo;

use crate::accounts::{DbAccounts, SessionPolicy};
use crate::db::Database;
use crate::marketplace::client::VendorClient;

pub use orders::DbOrderStore;

/// Builds the ports value provided to every server function and SSR render.
pub fn ports(
    db: &Database,
    client: Option<VendorClient>,
    stackit: StackitInfo,
    policy: SessionPolicy,
    secure_cookies: bool,
) -> Ports {
    Ports {
        orders: Arc::new(DbOrderStore { db: db.clone(), client }),
        settings: Arc::new(settings::DbSettings { db: db.clone(), stackit }),
        accounts: Arc::new(DbAccounts { db: db.clone(), policy }),
        secure_cookies,
        session_max_age_secs: u64::try_from(policy.absolute_ms / 1000).unwrap_or(0),
    }
}

/// Converts a database failure at the boundary: logged once here, never shown to the client.
pub fn database_error(error: sqlx::Error) -> AppError {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            tracing::error!(%error, "database unavailable");
            AppError::Unavailable
        }
        error => {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }
}
