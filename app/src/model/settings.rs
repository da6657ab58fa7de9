//! What admins configure: the connection to STACKIT (shown, never its secret) and the products.

use serde::{Deserialize, Serialize};

/// How Orderdesk reaches STACKIT, in words; secrets are never part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackitInfo {
    pub api_url: String,
    pub vendor_project_id: Option<String>,
    /// e.g. "service-account key file /run/secrets/key.json (key 1a2b…)" or "static bearer token".
    pub credentials: String,
    pub redirect_keys_url: String,
}

/// One step of a product's checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateStep {
    pub id: String,
    pub title: String,
    pub description: String,
    pub customer_visible: bool,
    /// Done on a plan change's new order when it was done on the previous one.
    #[serde(default)]
    pub carry_over: bool,
}

/// A product this vendor sells, with its approval window and checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSettings {
    pub product_id: String,
    pub display_name: String,
    pub approval_window_days: i64,
    pub steps: Vec<TemplateStep>,
}

/// The settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub stackit: StackitInfo,
    pub products: Vec<ProductSettings>,
}

/// A mail Orderdesk captured instead of sending (no SMTP configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// A background job that failed at least once and is waiting to retry, or gave up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedJob {
    pub id: String,
    pub kind: String,
    /// `queued` (will retry) or `dead` (gave up).
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub updated_at_ms: i64,
}

/// The outbox page: captured mails, newest first, and jobs in trouble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Whether mail is captured (no SMTP configured) rather than sent.
    pub capturing: bool,
    pub mails: Vec<CapturedMail>,
    pub failed: Vec<FailedJob>,
    /// Where order events are sent, when a webhook is configured.
    pub webhook_url: Option<String>,
    /// The latest webhook deliveries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}

/// One event delivered (or being delivered) to the webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// The job that carries it (for retrying).
    pub job_id: String,
    /// e.g. `order.approved`.
    pub event: String,
    /// `queued`, `running`, `done` or `dead`.
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at_ms: i64,
}
