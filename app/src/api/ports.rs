//! What server functions need from the server, as traits: `app` cannot depend on `server`, so the
//! server implements these and provides them through Leptos context (hexagonal architecture).

use std::sync::Arc;

use async_trait::async_trait;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    AuditEntry, AuditFilter, Customer, CustomerStatus, CustomerSubscription, Dashboard, InboxPage,
    InboxQuery, Neighbours, Operator, OperatorAccount, OrderDetail, Role, Settings, SignupInfo, StateCount,
};

/// Orders and the work on them. `by` is the operator acting (roles are checked before).
#[async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// What changed after `cursor` (every order, or `order`'s page, which also says `viewer`
    /// has it open and who else does).
    async fn live(
        &self,
        cursor: i64,
        order: Option<&str>,
        viewer: &Operator,
    ) -> Result<crate::model::Live, AppError>;
    /// Number of orders in each lifecycle state that has any.
    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError>;
    /// The overview's figures at `now_ms`.
    async fn dashboard(&self, now_ms: i64) -> Result<Dashboard, AppError>;
    /// Runs a full sync with STACKIT now: (new, changed, unchanged).
    async fn sync_now(&self) -> Result<(u64, u64, u64), AppError>;
    /// Events across all orders, newest first, filtered (admins' audit log).
    async fn audit(
        &self,
        filter: &AuditFilter,
        locale: crate::i18n::Locale,
    ) -> Result<Vec<AuditEntry>, AppError>;
    /// One page of the inbox as `viewer` sees it.
    async fn inbox(&self, query: &InboxQuery, viewer: &Operator) -> Result<InboxPage, AppError>;
    /// The orders before and after `subscription_id` in the inbox view `query`, as `viewer`
    /// sees it (none past either end).
    async fn neighbours(
        &self,
        query: &InboxQuery,
        subscription_id: &str,
        viewer: &Operator,
    ) -> Result<Neighbours, AppError>;
    /// The order page; `NotFound` for unknown IDs.
    async fn order(
        &self,
        subscription_id: &str,
        locale: crate::i18n::Locale,
    ) -> Result<OrderDetail, AppError>;
    async fn set_contact_email(
        &self,
        subscription_id: &str,
        email: &str,
        by: &Operator,
    ) -> Result<(), AppError>;
    async fn set_step(
        &self,
        subscription_id: &str,
        step_id: &str,
        done: bool,
        by: &Operator,
    ) -> Result<(), AppError>;
    async fn add_note(&self, subscription_id: &str, body: &str, by: &Operator) -> Result<(), AppError>;
    /// Assigns to an operator, or unassigns with `None`.
    async fn assign(
        &self,
        subscription_id: &str,
        assignee: Option<&str>,
        by: &Operator,
    ) -> Result<(), AppError>;
    /// Approves at STACKIT exactly once, however often it is asked at the same time.
    async fn approve(
        &self,
        subscription_id: &str,
        instance_target: Option<&str>,
        by: &Operator,
    ) -> Result<(), AppError>;
    /// Rejects at STACKIT (preview products only), exactly once, with a reason.
    async fn reject(&self, subscription_id: &str, reason: &str, by: &Operator) -> Result<(), AppError>;
}

/// Operator accounts and their sessions.
#[async_trait]
pub trait Accounts: Send + Sync + 'static {
    /// Checks e-mail and password, rate limited per account and per `address`; on success opens a
    /// new session and returns its token (only ever sent in the cookie).
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<(Operator, String), AppError>;
    /// The operator a session token belongs to, if the session is alive; refreshes its idle timer.
    async fn operator_for_session(&self, token: &str) -> Result<Option<Operator>, AppError>;
    /// Ends a session.
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    /// Remembers the language and IANA time zone the operator's mails are written in (those of
    /// the browser they last signed in from, or the language they last chose); without a zone,
    /// the one remembered before stays.
    async fn remember_preferences(
        &self,
        operator: &Operator,
        locale: crate::i18n::Locale,
        time_zone: Option<&str>,
    ) -> Result<(), AppError>;
    /// Changes a password after checking the current one; ends the operator's other sessions.
    async fn change_password(
        &self,
        operator: &Operator,
        current: &str,
        new: &str,
        keep_session: &str,
    ) -> Result<(), AppError>;
    /// Every operator account, by name.
    async fn operators(&self) -> Result<Vec<OperatorAccount>, AppError>;
    /// Creates an account without a password and returns its one-time setup token; limited per
    /// network `address`.
    async fn invite(
        &self,
        email: &str,
        name: &str,
        role: Role,
        by: &Operator,
        address: &str,
    ) -> Result<String, AppError>;
    /// Changes an operator's role; an admin cannot demote themselves.
    async fn set_role(&self, id: &str, role: Role, by: &Operator) -> Result<(), AppError>;
    /// Deactivates (ending their sessions) or reactivates an operator; not oneself.
    async fn set_active(&self, id: &str, active: bool, by: &Operator) -> Result<(), AppError>;
    /// Sets the password of an invited operator with their setup token (used once).
    async fn complete_setup(&self, token: &str, password: &str) -> Result<(), AppError>;
    /// The automation API's tokens, newest first.
    async fn api_tokens(&self) -> Result<Vec<crate::model::ApiToken>, AppError>;
    /// Creates a token (viewer or operator, valid `days` days or until revoked); the token
    /// itself, to be shown once.
    async fn create_api_token(
        &self,
        name: &str,
        role: Role,
        days: Option<u32>,
        by: &Operator,
    ) -> Result<String, AppError>;
    /// Revokes the token called `name`; `NotFound` when there is none left to revoke.
    async fn revoke_api_token(&self, name: &str, by: &Operator) -> Result<(), AppError>;
}

/// Products, checklist templates, and the STACKIT connection as admins see it.
#[async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    async fn settings(&self) -> Result<Settings, AppError>;
    /// Captured mails (newest first) and background jobs that failed.
    async fn outbox(&self) -> Result<crate::model::Outbox, AppError>;
    /// The set-up check, every line in `locale` (changes nothing; the webhook gets a ping).
    async fn check(&self, locale: crate::i18n::Locale) -> Result<crate::model::CheckReport, AppError>;
    /// Runs a dead job again (a decision only while its order still waits for it).
    async fn retry_job(&self, job_id: &str) -> Result<(), AppError>;
    /// Marks a template step as carried over on plan changes, or not.
    async fn set_carry_over(&self, product_id: &str, step_id: &str, on: bool) -> Result<(), AppError>;
    /// Adds or changes a product (ID in STACKIT's shape, name, approval window of 1 to 30 days).
    async fn save_product(&self, product_id: &str, name: &str, window_days: i64) -> Result<(), AppError>;
    /// Appends a step to a product's template: visible to customers when it has their wording.
    async fn add_step(
        &self,
        product_id: &str,
        title: &str,
        description: &str,
        customer: Option<&crate::model::CustomerWording>,
    ) -> Result<(), AppError>;
    /// Sets what customers read of a template step (and shows it to them).
    async fn set_wording(
        &self,
        product_id: &str,
        step_id: &str,
        customer: &crate::model::CustomerWording,
    ) -> Result<(), AppError>;
    async fn remove_step(&self, product_id: &str, step_id: &str) -> Result<(), AppError>;
    /// Moves a step one place up (`up`) or down.
    async fn move_step(&self, product_id: &str, step_id: &str, up: bool) -> Result<(), AppError>;
}

/// A sign-up that went through: the cookie value that links this browser to the subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupStart {
    pub signup_token: String,
    pub subscription_id: String,
}

/// A customer's arrival from STACKIT: the sign-up redirect and the short-lived state that links
/// its subscription to an account.
#[async_trait]
pub trait CustomerSignup: Send + Sync + 'static {
    /// Verifies STACKIT's redirect token, exchanges it for the subscription (ResolveCustomer),
    /// stores the order and opens a short-lived sign-up state. `previous` is this browser's
    /// sign-up cookie: reloading the redirect continues instead of failing as "already used".
    /// The error carries a reference that is also in the server log.
    async fn begin_signup(
        &self,
        marketplace_token: &str,
        previous: Option<&str>,
    ) -> Result<SignupStart, (super::customers::SignupFailure, String)>;
    /// What the sign-up state `signup_token` is for; `None` when unknown, claimed or expired.
    async fn signup_info(&self, signup_token: &str) -> Result<Option<SignupInfo>, AppError>;
    /// Links a sign-up state to a customer who is already signed in (after they confirmed it);
    /// the subscription's ID, or `None` when the state is claimed or expired.
    async fn claim_signup(&self, customer: &Customer, signup_token: &str)
    -> Result<Option<String>, AppError>;
}

/// Customers' own accounts (no STACKIT account): registration, sessions, passwords.
#[async_trait]
pub trait CustomerAccounts: Send + Sync + 'static {
    /// Creates an account and mails the link that confirms its address and signs it in; for an
    /// address that has an account, mails its owner instead. Both answer alike, so registering
    /// tells nobody whether an address has an account. With a sign-up state, its subscription's
    /// project is linked to the new account.
    /// `locale` is the language of the mails that follow. Limited per network `address` and
    /// per e-mail address.
    async fn register(
        &self,
        email: &str,
        password: &str,
        signup_token: Option<&str>,
        locale: crate::i18n::Locale,
        address: &str,
    ) -> Result<(), AppError>;
    /// Signs in (rate limited as for operators); a sign-up state links one more subscription.
    async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        signup_token: Option<&str>,
    ) -> Result<(Customer, String), AppError>;
    async fn customer_for_session(&self, token: &str) -> Result<Option<Customer>, AppError>;
    async fn sign_out(&self, token: &str) -> Result<(), AppError>;
    /// Confirms the address from the mailed link (used once) and signs the account in: (customer,
    /// session). The password must be the one the account was registered with, so that the owner
    /// of a mailbox never confirms an account someone else registered for their address.
    async fn verify_email(&self, token: &str, password: &str) -> Result<(Customer, String), AppError>;
    /// Mails a password-reset link if an account has this address; says nothing either way.
    /// Limited per network `address`.
    async fn request_password_reset(
        &self,
        email: &str,
        locale: crate::i18n::Locale,
        address: &str,
    ) -> Result<(), AppError>;
    /// Sets a new password from a mailed reset link; every session of the account ends.
    async fn reset_password(&self, token: &str, password: &str) -> Result<(), AppError>;
}

/// The people of a customer's project: members and invitations.
#[async_trait]
pub trait CustomerTeams: Send + Sync + 'static {
    /// The team of the project of `subscription_id`; `NotFound` unless the customer belongs to it.
    async fn team(&self, customer: &Customer, subscription_id: &str) -> Result<crate::model::Team, AppError>;
    /// Invites `email` to the project of `subscription_id` by a mailed link (members only);
    /// limited per network `address` and per invited address.
    async fn invite(
        &self,
        customer: &Customer,
        subscription_id: &str,
        email: &str,
        locale: crate::i18n::Locale,
        address: &str,
    ) -> Result<(), AppError>;
    /// Takes a member out of the project of `subscription_id` (owners only, not owners).
    async fn remove_member(
        &self,
        customer: &Customer,
        subscription_id: &str,
        member_id: &str,
    ) -> Result<(), AppError>;
    /// The project and invited address of an open invitation; `None` when used, expired or unknown.
    async fn invite_info(&self, token: &str) -> Result<Option<crate::model::InviteInfo>, AppError>;
    /// Joins the project an invitation link is for. Only the account with the invited address
    /// may (the link, mailed there, also confirms that address); `Validation` when it is used
    /// or expired or was sent to another address, which leaves it unused.
    async fn accept_invite(&self, customer: &Customer, token: &str) -> Result<(), AppError>;
}

/// What a customer may see of their orders: the list and each one's setup status.
#[async_trait]
pub trait CustomerOrders: Send + Sync + 'static {
    /// Every subscription of every project the customer belongs to, newest first.
    async fn subscriptions(&self, customer: &Customer) -> Result<Vec<CustomerSubscription>, AppError>;
    /// One subscription's status page; `NotFound` unless the customer belongs to its project.
    async fn status(&self, customer: &Customer, subscription_id: &str) -> Result<CustomerStatus, AppError>;
}

/// The customer documentation STACKIT requires (onboarding, usage, marketplace specifics).
#[async_trait]
pub trait Documentation: Send + Sync + 'static {
    /// The page `name` in `locale` (English when there is no translation); `NotFound` otherwise.
    async fn page(&self, name: &str, locale: crate::i18n::Locale) -> Result<crate::model::DocPage, AppError>;
}

/// Everything the server provides to server functions and SSR, as one context value.
#[derive(Clone)]
pub struct Ports {
    pub orders: Arc<dyn OrderStore>,
    pub settings: Arc<dyn SettingsStore>,
    pub accounts: Arc<dyn Accounts>,
    pub signup: Arc<dyn CustomerSignup>,
    pub customers: Arc<dyn CustomerAccounts>,
    pub teams: Arc<dyn CustomerTeams>,
    pub customer_orders: Arc<dyn CustomerOrders>,
    pub docs: Arc<dyn Documentation>,
    /// Whether cookies carry `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Lifetime of a session cookie, in seconds (the absolute session timeout).
    pub session_max_age_secs: u64,
}

/// The language of the request being served (for texts the server composes).
pub fn request_locale() -> crate::i18n::Locale {
    use_context::<http::request::Parts>()
        .map(|parts| crate::i18n::Locale::from_request(&parts))
        .unwrap_or_default()
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

/// Finishes a server function that a plain HTML form posts to: on success the browser goes to
/// `success_to`; on failure the error's status is set and a browser posting a form is sent to
/// `failure_to` with `?error=<code>` (API callers get the JSON error either way).
pub fn finish_form<T>(
    result: Result<T, AppError>,
    success_to: &str,
    failure_to: &str,
) -> Result<T, AppError> {
    match result {
        Ok(value) => {
            redirect(success_to);
            Ok(value)
        }
        Err(error) => {
            let outcome = fail(error.clone());
            if accepts_html() {
                // The query goes before a fragment (`…#team`), which stays the place to land.
                let (failure_to, fragment) = match failure_to.split_once('#') {
                    Some((path, fragment)) => (path, format!("#{fragment}")),
                    None => (failure_to, String::new()),
                };
                let separator = if failure_to.contains('?') { '&' } else { '?' };
                // The field a validation error is about, so the page marks it and puts focus there.
                let field = match &error {
                    AppError::Validation { field, .. } => format!("&field={}", crate::url::urlencode(field)),
                    _ => String::new(),
                };
                redirect(&format!("{failure_to}{separator}error={}{field}{fragment}", error.code()));
            }
            outcome
        }
    }
}

/// Sends the browser to `path`, or to `/` when `path` cannot be a `Location` header:
/// `leptos_axum::redirect` panics on a newline, and a panic would drop the connection.
fn redirect(path: &str) {
    let target = if http::HeaderValue::from_str(path).is_ok() { path } else { "/" };
    leptos_axum::redirect(target);
}

fn accepts_html() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts.headers.get(http::header::ACCEPT)?.to_str().ok().map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}
