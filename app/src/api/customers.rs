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
/// Cookie holding an invitation link's token until its holder registers or signs in.
pub const INVITE_COOKIE: &str = "orderdesk_invite";
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

/// Why a sign-up redirect from STACKIT could not be taken, in terms the customer can act on (the
/// page explains each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupFailure {
    /// The link carries no token, or one that is not STACKIT's (bad signature, issuer, shape).
    Invalid,
    /// The token's time is over: the customer opens the product in the portal again.
    Expired,
    /// The token was exchanged already, by another browser.
    AlreadyUsed,
    /// STACKIT could not be asked (network, outage) or is not configured.
    Unreachable,
    /// Our database failed.
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
    let token = super::session::read_credential(CUSTOMER_COOKIE).ok_or(AppError::Unauthorized)?;
    super::ports::ports()?.customers.customer_for_session(&token).await?.ok_or(AppError::Unauthorized)
}

/// Sets the session cookie of a customer who just signed in or registered, and takes up an
/// invitation this browser brought (a used or expired one is only logged: the account stands).
#[cfg(feature = "ssr")]
async fn start_session(customer: &Customer, token: &str) -> Result<(), AppError> {
    let ports = super::ports::ports()?;
    super::session::set_credential(CUSTOMER_COOKIE, token, ports.secure_cookies, ports.session_max_age_secs);
    super::session::set_credential(SIGNUP_COOKIE, "", ports.secure_cookies, 0);
    if let Some(invite) = super::session::read_credential(INVITE_COOKIE) {
        if let Err(error) = ports.teams.accept_invite(customer, &invite).await {
            tracing::warn!(customer = %customer.id, ?error, "an invitation brought along could not be taken up");
        }
        super::session::set_credential(INVITE_COOKIE, "", ports.secure_cookies, 0);
    }
    Ok(())
}

/// Takes STACKIT's sign-up redirect: verifies the token, stores the order, and links this
/// browser to it by a short-lived cookie (the token itself goes no further).
#[server(prefix = "/api", endpoint = "start_signup")]
pub async fn start_signup(token: String) -> Result<SignupOutcome, AppError> {
    use super::ports::ports;
    use super::session::{read_credential, set_credential};
    let ports = ports()?;
    let previous = read_credential(SIGNUP_COOKIE);
    match ports.signup.begin_signup(&token, previous.as_deref()).await {
        Ok(start) => {
            set_credential(SIGNUP_COOKIE, &start.signup_token, ports.secure_cookies, SIGNUP_MAX_AGE_SECS);
            // A signed-in customer is asked first: the redirect alone (a GET any page can make
            // a browser send) never adds a subscription to an account.
            if current_customer().await.is_ok() {
                return Ok(SignupOutcome::Continue { to: "/my/confirm".into() });
            }
            Ok(SignupOutcome::Continue { to: "/welcome".into() })
        }
        Err((problem, reference)) => Ok(SignupOutcome::Failed { problem, reference }),
    }
}

/// Adds the subscription this browser arrived for to the signed-in customer's account: their
/// answer to "Add … to your account …?" on `/my/confirm`, sent as a form.
#[server(prefix = "/api", endpoint = "confirm_signup")]
pub async fn confirm_signup() -> Result<String, AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{read_credential, set_credential};
    let result = async {
        let customer = current_customer().await?;
        let ports = ports()?;
        let gone = || {
            AppError::conflict(
                "This sign-up is used or expired; open the product in the STACKIT portal again.",
            )
        };
        let signup = read_credential(SIGNUP_COOKIE).ok_or_else(gone)?;
        let subscription_id = ports.signup.claim_signup(&customer, &signup).await?.ok_or_else(gone)?;
        set_credential(SIGNUP_COOKIE, "", ports.secure_cookies, 0);
        Ok(subscription_id)
    }
    .await;
    let to = match &result {
        Ok(id) => format!("/my/subscriptions/{}", crate::url::urlencode(id)),
        Err(_) => "/my/confirm".into(),
    };
    finish_form(result, &to, "/my/confirm")
}

/// What this browser is signing up for, if it came from STACKIT within the hour.
#[server(prefix = "/api", endpoint = "signup_info")]
pub async fn get_signup() -> Result<Option<SignupInfo>, AppError> {
    let Some(token) = super::session::read_credential(SIGNUP_COOKIE) else { return Ok(None) };
    super::ports::ports()?.signup.signup_info(&token).await
}

/// Creates a customer account (its address confirmed, and the account signed in, by the mailed
/// link); a pending sign-up is linked to it. A taken address gets the same answer (its owner a
/// mail), so nobody learns here who has an account.
#[server(prefix = "/api", endpoint = "customer_register")]
pub async fn customer_register(email: String, password: String, repeat: String) -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    let result = async {
        if password != repeat {
            return Err(AppError::invalid("repeat", "The two passwords differ."));
        }
        let locale = super::ports::request_locale();
        let address = super::session::client_address();
        let signup = super::session::read_credential(SIGNUP_COOKIE);
        ports()?.customers.register(email.trim(), &password, signup.as_deref(), locale, &address).await
    }
    .await;
    finish_form(result, "/welcome?registered=1", &crate::url::with_typed_email("/welcome", &email))
}

/// Signs a customer in; a pending sign-up is linked to the account.
#[server(prefix = "/api", endpoint = "customer_login")]
pub async fn customer_login(email: String, password: String) -> Result<Customer, AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{client_address, read_credential};
    let result = async {
        if let Some(previous) = read_credential(CUSTOMER_COOKIE) {
            ports()?.customers.sign_out(&previous).await?;
        }
        let signup = read_credential(SIGNUP_COOKIE);
        let (customer, token) =
            ports()?.customers.sign_in(email.trim(), &password, &client_address(), signup.as_deref()).await?;
        start_session(&customer, &token).await?;
        Ok(customer)
    }
    .await;
    finish_form(result, "/my", &crate::url::with_typed_email("/my/login", &email))
}

/// Ends the customer's session.
#[server(prefix = "/api", endpoint = "customer_logout")]
pub async fn customer_logout() -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    use super::session::{read_credential, set_credential};
    let result = async {
        let ports = ports()?;
        if let Some(token) = read_credential(CUSTOMER_COOKIE) {
            ports.customers.sign_out(&token).await?;
        }
        set_credential(CUSTOMER_COOKIE, "", ports.secure_cookies, 0);
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
        super::ports::ports()?.customer_orders.subscriptions(&customer).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// One subscription's setup status; 404 for anything the customer may not see.
#[server(prefix = "/api", endpoint = "subscription_status")]
pub async fn subscription_status(subscription_id: String) -> Result<CustomerStatus, AppError> {
    let result = async {
        let customer = current_customer().await?;
        super::ports::ports()?.customer_orders.status(&customer, &subscription_id).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Confirms a customer's e-mail address with the mailed link's token and signs the account in:
/// the button on `/verify` (a form, so that mail scanners opening the link confirm nothing).
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String, password: String) -> Result<(), AppError> {
    let result = async {
        let (customer, session) = super::ports::ports()?.customers.verify_email(&token, &password).await?;
        start_session(&customer, &session).await
    }
    .await;
    let back = format!("/verify?token={}", crate::url::urlencode(token.trim()));
    super::ports::finish_form(result, "/my?verified=1", &back)
}

/// Mails a password-reset link (if the address has an account; the answer is the same either way).
#[server(prefix = "/api", endpoint = "customer_forgot")]
pub async fn customer_forgot(email: String) -> Result<(), AppError> {
    let result = async {
        super::ports::ports()?
            .customers
            .request_password_reset(
                email.trim(),
                super::ports::request_locale(),
                &super::session::client_address(),
            )
            .await
    }
    .await;
    super::ports::finish_form(
        result,
        "/my/forgot?sent=1",
        &crate::url::with_typed_email("/my/forgot", &email),
    )
}

/// Sets a new password from the mailed link.
#[server(prefix = "/api", endpoint = "customer_reset")]
pub async fn customer_reset(token: String, password: String, repeat: String) -> Result<(), AppError> {
    let result = async {
        if password != repeat {
            return Err(AppError::invalid("repeat", "The two passwords differ."));
        }
        super::ports::ports()?.customers.reset_password(&token, &password).await
    }
    .await;
    let back = format!("/my/reset?token={}", crate::url::urlencode(&token));
    super::ports::finish_form(result, "/my/login?reset=1", &back)
}

/// The team of a subscription's project.
#[server(prefix = "/api", endpoint = "subscription_team")]
pub async fn subscription_team(subscription_id: String) -> Result<crate::model::Team, AppError> {
    let result = async {
        let customer = current_customer().await?;
        super::ports::ports()?.teams.team(&customer, &subscription_id).await
    }
    .await;
    result.or_else(super::ports::fail)
}

/// Invites someone by e-mail to see a subscription's project.
#[server(prefix = "/api", endpoint = "invite_member")]
pub async fn invite_member(subscription_id: String, email: String) -> Result<(), AppError> {
    let back = format!("/my/subscriptions/{}", crate::url::urlencode(&subscription_id));
    let result = async {
        let customer = current_customer().await?;
        let locale = super::ports::request_locale();
        let address = super::session::client_address();
        super::ports::ports()?.teams.invite(&customer, &subscription_id, &email, locale, &address).await
    }
    .await;
    // Back to the team card: sent, or refused with the address typed (marked as this form's, so
    // the card does not read another form's refusal as its own).
    let refused = crate::url::with_typed_email(&format!("{back}?form=invite"), &email);
    super::ports::finish_form(result, &format!("{back}?invited=1#team"), &format!("{refused}#team"))
}

/// Takes a member out of a subscription's project (owners only).
#[server(prefix = "/api", endpoint = "remove_member")]
pub async fn remove_member(subscription_id: String, member_id: String) -> Result<(), AppError> {
    let back = format!("/my/subscriptions/{}", crate::url::urlencode(&subscription_id));
    let result = async {
        let customer = current_customer().await?;
        super::ports::ports()?.teams.remove_member(&customer, &subscription_id, &member_id).await
    }
    .await;
    super::ports::finish_form(result, &back, &back)
}
