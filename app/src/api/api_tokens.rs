//! Admins manage the automation API's tokens: create one (its secret shown once), see each
//! token's last use, revoke. The secret travels from the form's answer to the page in a
//! short-lived `HttpOnly` cookie that the page reads once and clears, never in an address.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ApiTokens;
#[cfg(feature = "ssr")]
use crate::model::Role;

/// The cookie that carries a new token's secret to the page that shows it (cleared at sign-out
/// too).
#[cfg(feature = "ssr")]
pub const NEW_TOKEN_COOKIE: &str = "orderdesk_new_token";

/// Every token, and the one just created by this browser (shown this once).
#[server(prefix = "/api", endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<ApiTokens, AppError> {
    let result = async {
        super::session::require(Role::Admin).await?;
        let ports = super::ports::ports()?;
        let tokens = ports.accounts.api_tokens().await?;
        let created = super::session::read_credential(NEW_TOKEN_COOKIE);
        if created.is_some() {
            super::session::set_credential(NEW_TOKEN_COOKIE, "", ports.secure_cookies, 0);
        }
        // The page may show a secret: no cache keeps it, and Back does not show it again.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
        }
        let now_ms = i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_millis(),
        )
        .unwrap_or(i64::MAX);
        Ok(ApiTokens { tokens, created, now_ms })
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Creates a token; the page then shows its secret once.
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(name: String, role: String, expires_in_days: String) -> Result<(), AppError> {
    let result = async {
        let by = super::session::require(Role::Admin).await?;
        let role = Role::parse(&role)
            .filter(|role| *role != Role::Admin)
            .ok_or_else(|| AppError::invalid("role", "A token is a viewer or an operator."))?;
        let days = match expires_in_days.trim() {
            "" => None,
            days => Some(days.parse::<u32>().ok().filter(|d| (1..=3650).contains(d)).ok_or_else(|| {
                AppError::invalid("expires_in_days", "Give 1 to 3650 days, or leave it empty.")
            })?),
        };
        let ports = super::ports::ports()?;
        let token = ports.accounts.create_api_token(&name, role, days, &by).await?;
        super::session::set_credential(NEW_TOKEN_COOKIE, &token, ports.secure_cookies, 300);
        Ok(())
    }
    .await;
    super::ports::finish_form(result, "/api-tokens#created", "/api-tokens")
}

/// Revokes a token: it stops working at once.
#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(name: String) -> Result<(), AppError> {
    let result = async {
        let by = super::session::require(Role::Admin).await?;
        super::ports::ports()?.accounts.revoke_api_token(&name, &by).await
    }
    .await;
    super::ports::finish_form(result, "/api-tokens", "/api-tokens")
}
