//! Figures for the overview page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::StateCount;

/// Orders per lifecycle state, read from the database.
#[server(prefix = "/api", endpoint = "order_counts")]
pub async fn get_order_counts() -> Result<Vec<StateCount>, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Viewer).await?;
        super::ports::ports()?.orders.order_counts().await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// The overview's figures: counts, deadlines, time to approval, approvals per week.
#[server(prefix = "/api", endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<crate::model::Dashboard, AppError> {
    let result = async {
        super::session::require(crate::model::Role::Viewer).await?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or_default();
        super::ports::ports()?.orders.dashboard(now).await
    }
    .await;
    result.or_else(super::ports::fail)
}
