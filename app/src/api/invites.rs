//! Invitation links: opening one never joins a project by itself. A signed-in customer is asked
//! first (and only the account with the invited address may accept); anyone else keeps the link
//! in a cookie and registers or signs in, which accepts it when the addresses match.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What opening an invitation link leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteStep {
    /// Not signed in: go on here (registration) with the link kept in a cookie.
    Continue { to: String },
    /// Signed in: ask "Join project … as …?" (`matches`: the invitation is for this account).
    Confirm { project_id: String, invited_email: String, account_email: String, matches: bool },
}

/// Links carry URL-safe base64; anything else is not ours and must not reach a cookie or a query.
#[cfg(feature = "ssr")]
fn usable_token(token: &str) -> Result<&str, AppError> {
    let token = token.trim();
    let plausible = !token.is_empty()
        && token.len() <= 128
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plausible {
        Ok(token)
    } else {
        Err(AppError::invalid("token", "This invitation is used, expired or unknown."))
    }
}

/// Opens an invitation link (the page `/my/invite` asks on loading): nothing is accepted here.
#[server(prefix = "/api", endpoint = "open_invite")]
pub async fn open_invite(token: String) -> Result<InviteStep, AppError> {
    use super::customers::{INVITE_COOKIE, current_customer};
    let result = async {
        let token = usable_token(&token)?;
        let ports = super::ports::ports()?;
        match current_customer().await {
            Ok(customer) => {
                let info = ports.teams.invite_info(token).await?.ok_or_else(|| {
                    AppError::invalid("token", "This invitation is used, expired or unknown.")
                })?;
                Ok(InviteStep::Confirm {
                    matches: info.invited_email.eq_ignore_ascii_case(&customer.email),
                    project_id: info.project_id,
                    invited_email: info.invited_email,
                    account_email: customer.email,
                })
            }
            Err(AppError::Unauthorized) => {
                super::session::set_credential(INVITE_COOKIE, token, ports.secure_cookies, 7 * 86_400);
                Ok(InviteStep::Continue { to: "/welcome?invited=1".into() })
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Joins the project of an invitation: the signed-in customer's answer on `/my/invite`.
#[server(prefix = "/api", endpoint = "accept_invite")]
pub async fn accept_invite(token: String) -> Result<(), AppError> {
    use super::customers::current_customer;
    let back = format!("/my/invite?token={}", crate::url::urlencode(token.trim()));
    let result = async {
        let token = usable_token(&token)?;
        let customer = current_customer().await?;
        super::ports::ports()?.teams.accept_invite(&customer, token).await
    }
    .await;
    super::ports::finish_form(result, "/my", &back)
}
