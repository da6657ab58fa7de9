//! Admins manage operators: invite with a one-time setup link, change roles, deactivate.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::OperatorAccount;
#[cfg(feature = "ssr")]
use crate::model::Role;

/// Every operator account (admins only).
#[server(prefix = "/api", endpoint = "list_operators")]
pub async fn list_operators() -> Result<Vec<OperatorAccount>, AppError> {
    let result = async {
        super::session::require(Role::Admin).await?;
        super::ports::ports()?.accounts.operators().await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Invites an operator; returns the setup token for the link to send them (shown once).
#[server(prefix = "/api", endpoint = "invite_operator")]
pub async fn invite_operator(email: String, name: String, role: String) -> Result<String, AppError> {
    let result = async {
        let by = super::session::require(Role::Admin).await?;
        let role = Role::parse(&role)
            .ok_or_else(|| AppError::invalid("role", "Choose admin, operator or viewer."))?;
        let email = crate::model::EmailAddress::parse(&email)
            .map_err(|_| AppError::invalid("email", "Enter an e-mail address like name@vendor.example."))?;
        let email = email.as_str();
        if name.trim().is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid("name", "Enter a name of at most 100 characters."));
        }
        let address = super::session::client_address();
        super::ports::ports()?.accounts.invite(email, name.trim(), role, &by, &address).await
    }
    .await;
    let success = match &result {
        Ok(token) => format!("/operators?setup={token}"),
        Err(_) => "/operators".into(),
    };
    super::ports::finish_form(result, &success, "/operators")
}

/// Changes an operator's role.
#[server(prefix = "/api", endpoint = "set_operator_role")]
pub async fn set_operator_role(id: String, role: String) -> Result<(), AppError> {
    let result = async {
        let by = super::session::require(Role::Admin).await?;
        let role = Role::parse(&role)
            .ok_or_else(|| AppError::invalid("role", "Choose admin, operator or viewer."))?;
        super::ports::ports()?.accounts.set_role(&id, role, &by).await
    }
    .await;
    super::ports::finish_form(result, "/operators", "/operators")
}

/// Deactivates (`active = false`) or reactivates an operator.
#[server(prefix = "/api", endpoint = "set_operator_active")]
pub async fn set_operator_active(id: String, active: bool) -> Result<(), AppError> {
    let result = async {
        let by = super::session::require(Role::Admin).await?;
        super::ports::ports()?.accounts.set_active(&id, active, &by).await
    }
    .await;
    super::ports::finish_form(result, "/operators", "/operators")
}

/// An invited operator chooses their password with the token from their setup link.
#[server(prefix = "/api", endpoint = "complete_setup")]
pub async fn complete_setup(token: String, password: String, repeat: String) -> Result<(), AppError> {
    let result = async {
        if password != repeat {
            return Err(AppError::invalid("repeat", "The two passwords differ."));
        }
        super::ports::ports()?.accounts.complete_setup(&token, &password).await
    }
    .await;
    let back = format!("/setup?token={}", crate::url::urlencode(&token));
    super::ports::finish_form(result, "/login?setup=done", &back)
}
