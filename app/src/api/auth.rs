//! Signing in and out, and changing one's password.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Operator;

/// Signs an operator in: a new session (its ID is fresh, never reused from before the sign-in)
/// in an `HttpOnly`, `SameSite=Lax` cookie.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<Operator, AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{client_address, session_cookie};
    use crate::url::{safe_next, urlencode};
    let target = safe_next(next.as_deref());
    let result = async {
        let ports = ports()?;
        let (operator, token) = ports.accounts.sign_in(email.trim(), &password, &client_address()).await?;
        // A new session ID at every sign-in: a session from before (maybe planted) ends.
        if let Some(previous) = super::session::session_token() {
            ports.accounts.sign_out(&previous).await?;
        }
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(cookie) = http::HeaderValue::from_str(&session_cookie(
                &token,
                ports.secure_cookies,
                ports.session_max_age_secs,
            ))
        {
            response.append_header(http::header::SET_COOKIE, cookie);
        }
        super::preferences::remember_for_mails(&operator, None).await;
        Ok(operator)
    }
    .await;
    let back = crate::url::with_typed_email(&format!("/login?next={}", urlencode(&target)), &email);
    finish_form(result, &target, &back)
}

/// Ends the current session and clears the cookie.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{session_cookie, session_token};
    let result = async {
        let ports = ports()?;
        if let Some(token) = session_token() {
            ports.accounts.sign_out(&token).await?;
        }
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(cookie) = http::HeaderValue::from_str(&session_cookie("", ports.secure_cookies, 0))
        {
            response.append_header(http::header::SET_COOKIE, cookie);
        }
        // The inbox view (a search may name a customer) is not left to the next person here.
        super::session::set_credential(super::session::VIEW_COOKIE, "", ports.secure_cookies, 0);
        super::session::set_credential(super::api_tokens::NEW_TOKEN_COOKIE, "", ports.secure_cookies, 0);
        Ok(())
    }
    .await;
    finish_form(result, "/login", "/login")
}

/// Changes the signed-in operator's password; other sessions of theirs end.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{current_operator, session_token};
    let result = async {
        let operator = current_operator().await?;
        if new != repeat {
            return Err(AppError::invalid("repeat", "The two new passwords differ."));
        }
        let token = session_token().unwrap_or_default();
        ports()?.accounts.change_password(&operator, &current, &new, &token).await
    }
    .await;
    finish_form(result, "/account?changed=1", "/account")
}

/// The signed-in operator, if any (for the header).
#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Operator>, AppError> {
    match super::session::current_operator().await {
        Ok(operator) => Ok(Some(operator)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(error) => super::ports::fail(error),
    }
}
