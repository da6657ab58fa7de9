//! The automation API's own shapes: what a vendor's script reads and sends, designed for it and
//! documented in the OpenAPI document, apart from the console's structs (which change with its
//! pages). Times are RFC 3339 in UTC; STACKIT's states are its own wire values.

use app::model::{DecisionPhase, InboxRow, OrderDetail};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An order as a list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummary {
    pub subscription_id: String,
    /// STACKIT's lifecycle state, e.g. `SUBSCRIPTION_PENDING`.
    #[schema(example = "SUBSCRIPTION_PENDING")]
    pub state: String,
    pub product: String,
    pub plan: String,
    pub organization_id: String,
    pub project_id: String,
    /// The customer's contact e-mail, if one is known.
    pub contact_email: Option<String>,
    /// Where the contact e-mail came from: `stackit`, `customer` or `operator`.
    pub contact_source: Option<String>,
    /// When the customer ordered (RFC 3339).
    pub ordered_at: String,
    /// When STACKIT's approval window closes (RFC 3339).
    pub approve_by: String,
    /// The assigned operator's name.
    pub assignee: Option<String>,
    pub steps_done: u32,
    pub steps_total: u32,
}

/// One page of orders, and the cursor of the next (`after`), if there is one.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderList {
    pub orders: Vec<OrderSummary>,
    pub next: Option<String>,
}

/// One field STACKIT sent about the order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// One step of the order's setup checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct Step {
    pub id: String,
    /// Stable for every order of the product (`provision`): name the step by it.
    #[schema(example = "provision")]
    pub key: String,
    pub title: String,
    pub description: String,
    pub customer_visible: bool,
    pub done: bool,
    pub done_at: Option<String>,
    /// Who ticked it: an operator's name, or a token's name followed by ` (API)`.
    pub done_by: Option<String>,
}

/// An internal note.
#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub created_at: String,
}

/// One entry of the order's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    /// The event's kind, e.g. `order.step_done`.
    pub kind: String,
    pub actor: String,
    pub summary: String,
    pub at: String,
}

/// An approval or rejection on its way to STACKIT, or one that failed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decision {
    /// `approve` or `reject`; `unknown` for a decision that failed before this version kept which.
    pub kind: String,
    /// `queued`, `sending`, `retrying` or `failed`.
    pub phase: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

/// One order with everything its page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Order {
    #[serde(flatten)]
    pub summary: OrderSummary,
    /// Every field STACKIT sent, in the spec's order.
    pub fields: Vec<Field>,
    pub consumer_notification_email: Option<String>,
    /// The addresses of the customer accounts that follow the order's project.
    pub customer_accounts: Vec<String>,
    /// The instance address given with the approval.
    pub instance_url: Option<String>,
    /// Preview products may be rejected.
    pub preview_product: bool,
    pub assignee_id: Option<String>,
    /// Set while a decision is under way, or when the last one failed.
    pub decision: Option<Decision>,
    pub steps: Vec<Step>,
    pub notes: Vec<Note>,
    pub timeline: Vec<TimelineEntry>,
}

/// The inbox's filters (as in the console's address), sort and page cursor.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Free text: an e-mail, subscription, project or organization ID.
    pub q: Option<String>,
    /// A STACKIT lifecycle state, e.g. `SUBSCRIPTION_PENDING`.
    pub state: Option<String>,
    /// A product ID.
    pub product: Option<String>,
    /// `true`: only pending orders past their deadline.
    pub overdue: Option<String>,
    /// `true`: only pending orders due within three days.
    pub due_soon: Option<String>,
    /// `none`: only unassigned orders.
    pub assigned: Option<String>,
    /// `deadline` (default) or `newest`.
    pub sort: Option<String>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
}

/// `{"done": true}` ticks the step, `false` takes the tick back.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepChange {
    pub done: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// Plain text, not blank.
    #[schema(min_length = 1, max_length = 10000, pattern = "\\S")]
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactChange {
    #[schema(format = "email", max_length = 254, example = "it@customer.example")]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssigneeChange {
    /// An operator's ID, or `null` for nobody.
    pub assignee: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// Where the customer's instance is (https), passed to STACKIT.
    #[serde(default)]
    pub instance_url: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// Why, for STACKIT and the customer; not blank.
    #[schema(min_length = 1, pattern = "\\S")]
    pub reason: String,
}

/// What a sync found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncReport {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
}

/// An error, as RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The console's error code, e.g. `not_found`, `forbidden`, `invalid`.
    pub code: String,
    /// The refused field, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A time in milliseconds since the epoch, as RFC 3339 in UTC.
pub fn at(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

impl From<InboxRow> for OrderSummary {
    fn from(row: InboxRow) -> Self {
        OrderSummary {
            subscription_id: row.subscription_id,
            state: row.state_raw,
            product: row.product_name,
            plan: row.plan,
            organization_id: row.organization_id,
            project_id: row.project_id,
            contact_email: row.contact_email,
            contact_source: row.contact_source.map(|s| format!("{s:?}").to_lowercase()),
            ordered_at: at(row.ordered_at_ms),
            approve_by: at(row.deadline_ms),
            assignee: row.assignee,
            steps_done: row.steps_done,
            steps_total: row.steps_total,
        }
    }
}

impl From<OrderDetail> for Order {
    fn from(order: OrderDetail) -> Self {
        let decision = match (&order.decision, order.decision_state) {
            (Some(d), _) => Some(Decision {
                kind: if d.approve { "approve" } else { "reject" }.to_string(),
                phase: match d.phase {
                    DecisionPhase::Queued => "queued",
                    DecisionPhase::Sending => "sending",
                    DecisionPhase::Retrying => "retrying",
                }
                .to_string(),
                attempts: d.attempts,
                next_attempt_at: d.next_attempt_ms.map(at),
                error: d.last_error.clone(),
            }),
            (None, Some(app::model::DecisionState::Failed)) => Some(Decision {
                kind: "unknown".to_string(),
                phase: "failed".to_string(),
                attempts: 0,
                next_attempt_at: None,
                error: order.decision_error.clone(),
            }),
            _ => None,
        };
        Order {
            summary: order.row.into(),
            fields: order.fields.into_iter().map(|(label, value)| Field { label, value }).collect(),
            consumer_notification_email: order.consumer_notification_email,
            customer_accounts: order.customer_accounts,
            instance_url: order.instance_target,
            preview_product: order.product_is_preview,
            assignee_id: order.assignee_id,
            decision,
            steps: order
                .steps
                .into_iter()
                .map(|s| Step {
                    id: s.id,
                    key: s.key,
                    title: s.title,
                    description: s.description,
                    customer_visible: s.customer_visible,
                    done: s.done_at_ms.is_some(),
                    done_at: s.done_at_ms.map(at),
                    done_by: s.done_by,
                })
                .collect(),
            notes: order
                .notes
                .into_iter()
                .map(|n| Note { author: n.author, body: n.body, created_at: at(n.created_at_ms) })
                .collect(),
            timeline: order
                .timeline
                .into_iter()
                .map(|t| TimelineEntry { kind: t.kind, actor: t.actor, summary: t.summary, at: at(t.at_ms) })
                .collect(),
        }
    }
}
