//! The page for addresses Orderdesk does not know; sent with status 404.

use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::error::AppError;

/// Shown for every unknown path.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound /> }
}
