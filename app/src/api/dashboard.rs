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
