//! The customer documentation pages STACKIT requires (onboarding, usage, marketplace).

use leptos::prelude::*;

use crate::error::AppError;

/// A customer documentation page (`onboarding`, `usage`, `marketplace`) in the reader's language.
#[server(prefix = "/api", endpoint = "doc_page")]
pub async fn doc_page(name: String) -> Result<crate::model::DocPage, AppError> {
    let result =
        async { super::ports::ports()?.docs.page(&name, super::ports::request_locale()).await }.await;
    result.or_else(super::ports::fail)
}
