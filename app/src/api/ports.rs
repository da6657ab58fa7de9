//! What server functions need from the server, as traits: `app` cannot depend on `server`, so the
//! server implements these and provides them through Leptos context (hexagonal architecture).

use std::sync::Arc;

use async_trait::async_trait;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::StateCount;

/// Read access to orders.
#[async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Number of orders in each lifecycle state that has any.
    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError>;
}

/// Everything the server provides to server functions and SSR, as one context value.
#[derive(Clone)]
pub struct Ports {
    pub orders: Arc<dyn OrderStore>,
}

/// The ports of the running server. Missing context is a wiring fault, reported as `Internal`.
pub fn ports() -> Result<Ports, AppError> {
    use_context::<Ports>().ok_or_else(|| {
        tracing::error!("server functions called without the Ports context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the current response from `error` and passes it on, so a server
/// function's failure is not sent as a generic 500.
pub fn fail<T>(error: AppError) -> Result<T, AppError> {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
    }
    Err(error)
}
