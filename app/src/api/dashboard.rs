//! Figures for the overview page.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::StateCount;

/// Orders per lifecycle state, read from the database.
#[server(prefix = "/api", endpoint = "order_counts")]
pub async fn get_order_counts() -> Result<Vec<StateCount>, AppError> {
    let ports = super::ports::ports()?;
    match ports.orders.order_counts().await {
        Ok(counts) => Ok(counts),
        Err(error) => super::ports::fail(error),
    }
}
