//! Orders as the console shows them: inbox rows, the order page, steps, notes and the timeline.

use serde::{Deserialize, Serialize};

use super::LifecycleState;

/// Where the contact e-mail came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailSource {
    Stackit,
    Customer,
    Operator,
}

impl EmailSource {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "stackit" => Some(EmailSource::Stackit),
            "customer" => Some(EmailSource::Customer),
            "operator" => Some(EmailSource::Operator),
            _ => None,
        }
    }

    /// Where the address came from, in the viewer's language (`i18n.t(source.text())`).
    pub fn text(self) -> crate::i18n::Sources {
        match self {
            EmailSource::Stackit => crate::i18n::Sources::Stackit,
            EmailSource::Customer => crate::i18n::Sources::Customer,
            EmailSource::Operator => crate::i18n::Sources::Operator,
        }
    }
}

/// One line of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxRow {
    pub subscription_id: String,
    pub state: LifecycleState,
    pub state_raw: String,
    pub product_name: String,
    pub plan: String,
    pub organization_id: String,
    pub project_id: String,
    pub contact_email: Option<String>,
    pub contact_source: Option<EmailSource>,
    pub ordered_at_ms: i64,
    pub deadline_ms: i64,
    pub assignee: Option<String>,
    pub steps_done: u32,
    pub steps_total: u32,
    /// Set when this order follows another after a plan change: that order's plan.
    #[serde(default)]
    pub replaces_plan: Option<String>,
}

/// A filtered, sorted page of the inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub rows: Vec<InboxRow>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
    /// Products to filter by: (product ID, name).
    pub products: Vec<(String, String)>,
    /// The current time on the server, for countdowns that match the server's view.
    pub now_ms: i64,
    /// How many orders the view holds.
    pub total: Total,
    /// Waiting orders in each quick view, for the viewer.
    pub views: QuickViews,
    /// The newest change this page has seen (see [`Live`]).
    #[serde(default)]
    pub cursor: i64,
}

/// How many orders a view holds: exactly, or more than a number past which counting would cost
/// more than the page (a search or filter over a long history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Total {
    Exact(u64),
    MoreThan(u64),
}

/// Orders waiting for approval in the inbox's quick views.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickViews {
    /// Assigned to the viewer.
    pub mine: u64,
    /// Assigned to nobody.
    pub unassigned: u64,
    /// Due within [`DUE_SOON_MS`].
    pub due_soon: u64,
    /// Past their deadline.
    pub overdue: u64,
}

/// How close a pending order's deadline is when it is "due soon": three days.
pub const DUE_SOON_MS: i64 = 3 * 86_400_000;

/// The inbox's filters, all of them in the address so a link shows the same view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    /// Free text: e-mail, subscription, project or organisation ID.
    pub q: Option<String>,
    /// A lifecycle state's wire value (e.g. `SUBSCRIPTION_PENDING`).
    pub state: Option<String>,
    pub product: Option<String>,
    /// Only pending orders past their deadline.
    pub overdue: bool,
    /// Only pending orders due within [`DUE_SOON_MS`] (not yet overdue).
    pub due_soon: bool,
    /// `me` or `none`.
    pub assigned: Option<String>,
    /// `deadline` (default: pending first, nearest deadline first) or `newest`.
    pub sort: Option<String>,
    /// Keyset cursor from the previous page.
    pub after: Option<String>,
}

impl InboxQuery {
    /// The view an address asks for, from its query parameters (`get` gives a parameter's
    /// value): empty values are no filter, the two checkboxes are on with `on` or `true`.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> InboxQuery {
        let get = |name: &str| get(name).filter(|v| !v.is_empty());
        let on = |name: &str| get(name).is_some_and(|v| v == "on" || v == "true");
        InboxQuery {
            q: get("q"),
            state: get("state"),
            product: get("product"),
            overdue: on("overdue"),
            due_soon: on("due_soon"),
            assigned: get("assigned"),
            sort: get("sort"),
            after: get("after"),
        }
    }

    /// The view as a query string (without `?`; empty for the default view), `after` being the
    /// page cursor.
    pub fn query_string(&self, after: Option<&str>) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for (name, value) in [
            ("q", &self.q),
            ("state", &self.state),
            ("product", &self.product),
            ("assigned", &self.assigned),
            ("sort", &self.sort),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((name, value));
            }
        }
        if self.overdue {
            pairs.push(("overdue", "on"));
        }
        if self.due_soon {
            pairs.push(("due_soon", "on"));
        }
        if let Some(after) = after {
            pairs.push(("after", after));
        }
        let encoded: Vec<String> =
            pairs.into_iter().map(|(k, v)| format!("{k}={}", crate::url::urlencode(v))).collect();
        encoded.join("&")
    }
}

/// The orders before and after one in the inbox view the operator last opened: an order page's
/// "previous" and "next", and the address back to that view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Neighbours {
    pub previous: Option<String>,
    pub next: Option<String>,
    /// `/orders` with the view's filters.
    pub back: String,
}

/// One step of an order's setup checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    /// Stable across orders of a product (its template step's key, `provision`), for scripts.
    #[serde(default)]
    pub key: String,
    pub title: String,
    pub description: String,
    pub customer_visible: bool,
    pub done_at_ms: Option<i64>,
    pub done_by: Option<String>,
}

/// An internal note on an order (plain text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub kind: String,
    pub actor: String,
    pub summary: String,
    pub at_ms: i64,
}

/// Everything the order page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub row: InboxRow,
    /// Every field STACKIT sent, as (label, value), in the spec's order.
    pub fields: Vec<(String, String)>,
    pub consumer_notification_email: Option<String>,
    /// The addresses of the customer accounts that follow this order's project in Orderdesk.
    pub customer_accounts: Vec<String>,
    pub instance_target: Option<String>,
    pub product_is_preview: bool,
    /// Set while a decision is under way or went wrong.
    pub decision_state: Option<super::DecisionState>,
    pub decision_error: Option<String>,
    /// Where a decision under way stands on its way to STACKIT.
    pub decision: Option<DecisionStatus>,
    /// The order this one follows after a plan change: (subscription ID, plan).
    pub replaces: Option<(String, String)>,
    /// The order that follows this one after a plan change: (subscription ID, plan).
    pub replaced_by: Option<(String, String)>,
    pub steps: Vec<Step>,
    pub notes: Vec<Note>,
    pub timeline: Vec<TimelineEntry>,
    /// Operators an order can be assigned to: (ID, name).
    pub operators: Vec<(String, String)>,
    pub assignee_id: Option<String>,
    pub now_ms: i64,
    /// The newest change this page has seen (see [`Live`]).
    #[serde(default)]
    pub cursor: i64,
}

/// What changed since a page was drawn (its `cursor`), for the page to update itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Live {
    /// Changes since the cursor, counted (up to 10,000): when it grows, something changed.
    pub changes: u64,
    /// New orders since the cursor.
    pub new_orders: u64,
    /// The orders changed since the cursor, most recent first (at most 200).
    pub changed: Vec<String>,
    /// The others who have the order open (names), for an order's page.
    pub others: Vec<String>,
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// An operator's ID.
    pub operator: Option<String>,
    /// A subscription ID.
    pub order: Option<String>,
    /// An event kind (e.g. `order.approved`).
    pub action: Option<String>,
    /// Only events before this ID (the next page).
    pub before: Option<i64>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at_ms: i64,
    pub actor: String,
    /// The acting operator's ID, when an operator acted.
    pub actor_id: Option<String>,
    pub kind: String,
    pub subscription_id: Option<String>,
    pub summary: String,
}

/// A decision on its way to STACKIT (it is queued with the order's claim and sent by a worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionStatus {
    /// Approval (else rejection).
    pub approve: bool,
    pub phase: DecisionPhase,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (queued or retrying).
    pub next_attempt_ms: Option<i64>,
    /// Why the last attempt failed (retrying).
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecisionPhase {
    /// Waiting for its first attempt.
    Queued,
    /// A worker is talking to STACKIT now.
    Sending,
    /// An attempt failed in a way worth trying again; the next one is scheduled.
    Retrying,
}
