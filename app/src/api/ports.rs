//! What server functions need from the server, as traits: `app` cannot depend on `server`, so the
//! server implements these and provides them through Leptos context (hexagonal architecture).

use std::sync::Arc;

use async_trait::async_trait;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    AuditEntry, AuditFilter, Dashboard, InboxPage, InboxQuery, Operator, OperatorAccount, OrderDetail, Role,
    Settings, StateCount,
};

/// Orders and the work on them. `by` is the operator acting (roles are checked before).
#[async_trait]
pub trait OrderStore: Send + Sync + 'static {
    /// Number of orders in each lifecycle state that has any.
    async fn order_counts(&self) -> Result<Vec<StateCount>, AppError>;
    /// The overview's figures at `now_ms`.
    async fn dashboard(&self, now_ms: i64) -> Result<Dashboard, AppError>;
    /// Runs a full sync with STACKIT now: (new, changed, unchanged).
    async fn sync_now(&self) -> Result<(u64, u64, u64), AppError>;
    /// Events across all orders, newest first, filtered (admins' audit log).
    async fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, AppError>;
    /// One page of the inbox as `viewer` sees it.
    async fn inbox(&self, query: &InboxQuery, viewer: &Operator) -> Result<InboxPage, AppError>;
    /// The order page; `NotFound` for unknown IDs.
    async fn order(&self, subscription_id: &str) -> Result<OrderDetail, AppError>;
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
    /// Creates an account without a password and returns its one-time setup token.
    async fn invite(&self, email: &str, name: &str, role: Role, by: &Operator) -> Result<String, AppError>;
    /// Changes an operator's role; an admin cannot demote themselves.
    async fn set_role(&self, id: &str, role: Role, by: &Operator) -> Result<(), AppError>;
    /// Deactivates (ending their sessions) or reactivates an operator; not oneself.
    async fn set_active(&self, id: &str, active: bool, by: &Operator) -> Result<(), AppError>;
    /// Sets the password of an invited operator with their setup token (used once).
    async fn complete_setup(&self, token: &str, password: &str) -> Result<(), AppError>;
}

/// Products, checklist templates, and the STACKIT connection as admins see it.
#[async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    async fn settings(&self) -> Result<Settings, AppError>;
    /// Adds or changes a product (ID in STACKIT's shape, name, approval window of 1 to 30 days).
    async fn save_product(&self, product_id: &str, name: &str, window_days: i64) -> Result<(), AppError>;
    async fn add_step(
        &self,
        product_id: &str,
        title: &str,
        description: &str,
        customer_visible: bool,
    ) -> Result<(), AppError>;
    async fn remove_step(&self, product_id: &str, step_id: &str) -> Result<(), AppError>;
    /// Moves a step one place up (`up`) or down.
    async fn move_step(&self, product_id: &str, step_id: &str, up: bool) -> Result<(), AppError>;
}

/// Everything the server provides to server functions and SSR, as one context value.
#[derive(Clone)]
pub struct Ports {
    pub orders: Arc<dyn OrderStore>,
    pub settings: Arc<dyn SettingsStore>,
    pub accounts: Arc<dyn Accounts>,
    /// Whether cookies carry `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Lifetime of a session cookie, in seconds (the absolute session timeout).
    pub session_max_age_secs: u64,
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
            leptos_axum::redirect(success_to);
            Ok(value)
        }
        Err(error) => {
            let outcome = fail(error.clone());
            if accepts_html() {
                let separator = if failure_to.contains('?') { '&' } else { '?' };
                leptos_axum::redirect(&format!("{failure_to}{separator}error={}", error.code()));
            }
            outcome
        }
    }
}

fn accepts_html() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts.headers.get(http::header::ACCEPT)?.to_str().ok().map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}
