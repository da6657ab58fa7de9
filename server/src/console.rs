//! The server's side of the ports that `app`'s server functions call (see `app::api::ports`).

use std::sync::Arc;

use app::api::ports::{OrderStore, Ports};
use app::error::AppError;
use app::model::{LifecycleState, StateCount};
use async_trait::async_trait;

use crate::accounts::{DbAccounts, SessionPolicy};
use crate::db::{Database, orders};

/// Builds the ports value provided to every server function and SSR render.
pub fn ports(db: &Database, policy: SessionPolicy, secure_cookies: bool) -> Ports {
    Ports {
        orders: Arc::new(DbOrderStore { db: db.clone() }),
        accounts: Arc::new(DbAccounts { db: db.clone(), policy }),
        secure_cookies,
        session_max_age_secs: u64::try_from(policy.absolute_ms / 1000).unwrap_or(0),
    }
}

struct DbOrderStore {
    db: Database,
}

#[async_trait]
impl OrderStore for DbOrderStore {
    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError> {
        let rows = orders::counts_by_state(self.db.pool()).await.map_err(database_error)?;
        Ok(rows
            .into_iter()
            .map(|(state, count)| StateCount {
                state: LifecycleState::from_wire(&state),
                count: u64::try_from(count).unwrap_or_default(),
            })
            .collect())
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
