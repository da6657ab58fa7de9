//! The customer side: arriving from STACKIT, registering, signing in and out, and reading one's
//! subscriptions. Customer sessions are their own realm and cookie: they never open the console.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::model::{Customer, CustomerStatus, CustomerSubscription, SignupInfo};

/// Cookie of a customer's session.
pub const CUSTOMER_COOKIE: &str = "orderdesk_customer";
/// Cookie linking a browser to the subscription it arrived for, until it registers or signs in.
pub const SIGNUP_COOKIE: &str = "orderdesk_signup";
/// The sign-up state lives an hour.
#[cfg(feature = "ssr")]
const SIGNUP_MAX_AGE_SECS: u64 = 3600;

/// What became of a sign-up redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupOutcome {
    /// Go on here (registration, or the status page for a signed-in customer).
    Continue { to: String },
    /// It did not work: what happened, and a reference that is also in the server log.
    Failed { problem: SignupFailure, reference: String },
}

/// Why a sign-up redirect failed, as the customer's page explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupFailure {
    Invalid,
    Expired,
    AlreadyUsed,
    Unreachable,
    Internal,
}

impl SignupFailure {
    /// The HTTP status of the error page.
    pub fn status(self) -> u16 {
        match self {
            SignupFailure::Invalid => 400,
            SignupFailure::Expired | SignupFailure::AlreadyUsed => 410,
            SignupFailure::Unreachable => 502,
            SignupFailure::Internal => 500,
        }
    }
}

/// The signed-in customer, or `Unauthorized`.
#[cfg(feature = "ssr")]
pub async fn current_customer() -> Result<Customer, AppError> {
    let token = super::session::read_cookie(CUSTOMER_COOKIE).ok_or(AppError::Unauthorized)?;
    super::ports::ports()?.customers.customer_for_session(&token).await?.ok_or(AppError::Unauthorized)
}

#[cfg(feature = "ssr")]
fn start_session(token: &str) -> Result<(), AppError> {
    let ports = super::ports::ports()?;
    super::session::set_cookie(CUSTOMER_COOKIE, token, ports.secure_cookies, ports.session_max_age_secs);
    super::session::set_cookie(SIGNUP_COOKIE, "", ports.secure_cookies, 0);
    Ok(())
}

/// Takes STACKIT's sign-up redirect: verifies the token, stores the order, and links this
/// browser to it by a short-lived cookie (the token itself goes no further).
#[server(prefix = "/api", endpoint = "start_signup")]
pub async fn start_signup(token: String) -> Result<SignupOutcome, AppError> {
    use super::ports::{SignupProblem, ports};
    use super::session::{read_cookie, set_cookie};
    let ports = ports()?;
    let previous = read_cookie(SIGNUP_COOKIE);
    match ports.customers.begin_signup(&token, previous.as_deref()).await {
        Ok(start) => {
            set_cookie(SIGNUP_COOKIE, &start.signup_token, ports.secure_cookies, SIGNUP_MAX_AGE_SECS);
            if let Ok(customer) = current_customer().await {
                ports.customers.claim_signup(&customer, &start.signup_token).await?;
                return Ok(SignupOutcome::Continue {
                    to: format!("/my/subscriptions/{}", start.subscription_id),
                });
            }
            Ok(SignupOutcome::Continue { to: "/welcome".into() })
        }
        Err((problem, reference)) => Ok(SignupOutcome::Failed {
            problem: match problem {
                SignupProblem::Invalid => SignupFailure::Invalid,
                SignupProblem::Expired => SignupFailure::Expired,
                SignupProblem::AlreadyUsed => SignupFailure::AlreadyUsed,
                SignupProblem::Unreachable => SignupFailure::Unreachable,
                SignupProblem::Internal => SignupFailure::Internal,
            },
            reference,
        }),
    }
}

/// What this browser is signing up for, if it came from STACKIT within the hour.
#[server(prefix = "/api", endpoint = "signup_info")]
pub async fn get_signup() -> Result<Option<SignupInfo>, AppError> {
    let Some(token) = super::session::read_cookie(SIGNUP_COOKIE) else { return Ok(None) };
    super::ports::ports()?.customers.signup_info(&token).await
}

/// Creates a customer account and signs it in; a pending sign-up is linked to it.
#[server(prefix = "/api", endpoint = "customer_register")]
pub async fn customer_register(
    email: String,
    password: String,
    repeat: String,
) -> Result<Customer, AppError> {
    use super::ports::{finish_form, ports};
    let result = async {
        if password != repeat {
            return Err(AppError::invalid("repeat", "The two passwords differ."));
        }
        let locale = super::ports::request_locale();
        let signup = super::session::read_cookie(SIGNUP_COOKIE);
        let (customer, token) =
            ports()?.customers.register(email.trim(), &password, signup.as_deref(), locale).await?;
        start_session(&token)?;
        Ok(customer)
    }
    .await;
    finish_form(result, "/my", "/welcome")
}

/// Signs a customer in; a pending sign-up is linked to the account.
#[server(prefix = "/api", endpoint = "customer_login")]
pub async fn customer_login(email: String, password: String) -> Result<Customer, AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{client_address, read_cookie};
    let result = async {
        if let Some(previous) = read_cookie(CUSTOMER_COOKIE) {
            ports()?.customers.sign_out(&previous).await?;
        }
        let signup = read_cookie(SIGNUP_COOKIE);
        let (customer, token) =
            ports()?.customers.sign_in(email.trim(), &password, &client_address(), signup.as_deref()).await?;
        start_session(&token)?;
        Ok(customer)
    }
    .await;
    finish_form(result, "/my", "/my/login")
}

/// Ends the customer's session.
#[server(prefix = "/api", endpoint = "customer_logout")]
pub async fn customer_logout() -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{read_cookie, set_cookie};
    let result = async {
        let ports = ports()?;
        if let Some(token) = read_cookie(CUSTOMER_COOKIE) {
            ports.customers.sign_out(&token).await?;
        }
        set_cookie(CUSTOMER_COOKIE, "", ports.secure_cookies, 0);
        Ok(())
    }
    .await;
    finish_form(result, "/my/login", "/my/login")
}

/// The signed-in customer, if any.
#[server(prefix = "/api", endpoint = "customer_me")]
pub async fn customer_me() -> Result<Option<Customer>, AppError> {
    match current_customer().await {
        Ok(customer) => Ok(Some(customer)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(error) => super::ports::fail(error),
    }
}

/// The signed-in customer's subscriptions, across all their projects.
#[server(prefix = "/api", endpoint = "my_subscriptions")]
pub async fn my_subscriptions() -> Result<Vec<CustomerSubscription>, AppError> {
    let result = async {
        let customer = current_customer().await?;
        super::ports::ports()?.customers.subscriptions(&customer).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// One subscription's setup status; 404 for anything the customer may not see.
#[server(prefix = "/api", endpoint = "subscription_status")]
pub async fn subscription_status(subscription_id: String) -> Result<CustomerStatus, AppError> {
    let result = async {
        let customer = current_customer().await?;
        super::ports::ports()?.customers.status(&customer, &subscription_id).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Confirms a customer's e-mail address from the mailed link.
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let result = async { super::ports::ports()?.customers.verify_email(&token).await }.await;
    result.or_else(super::ports::fail)
}

/// A customer documentation page (`onboarding`, `usage`, `marketplace`) in the reader's language.
#[server(prefix = "/api", endpoint = "doc_page")]
pub async fn doc_page(name: String) -> Result<crate::model::DocPage, AppError> {
    let result =
        async { super::ports::ports()?.docs.page(&name, super::ports::request_locale()).await }.await;
    result.or_else(super::ports::fail)
}
