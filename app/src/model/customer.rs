//! Customers (the people behind STACKIT orders) and what they see of their subscriptions.

use serde::{Deserialize, Serialize};

use crate::model::LifecycleState;

/// A signed-in customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub email: String,
    /// Whether they have opened the verification link mailed to them.
    pub verified: bool,
}

/// How a customer reads a subscription's state: in plain words, not STACKIT's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerPhase {
    BeingSetUp,
    Active,
    Suspended,
    Cancelling,
    Cancelled,
    TimedOut,
    Declined,
    Unknown,
}

impl CustomerPhase {
    pub fn of(state: LifecycleState) -> Self {
        match state {
            LifecycleState::Pending => CustomerPhase::BeingSetUp,
            LifecycleState::Active => CustomerPhase::Active,
            LifecycleState::Inactive => CustomerPhase::Suspended,
            LifecycleState::Cancelling => CustomerPhase::Cancelling,
            LifecycleState::Cancelled => CustomerPhase::Cancelled,
            LifecycleState::ApprovalTimedOut => CustomerPhase::TimedOut,
            LifecycleState::Rejected => CustomerPhase::Declined,
            LifecycleState::Unspecified | LifecycleState::Unknown => CustomerPhase::Unknown,
        }
    }
}

/// One subscription in a customer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSubscription {
    pub subscription_id: String,
    pub project_id: String,
    pub product_name: String,
    pub plan: String,
    pub phase: CustomerPhase,
    pub ordered_at_ms: i64,
    /// When setup should be finished at the latest: ordered at + the approval window.
    pub expected_by_ms: i64,
    /// Customer-visible checklist steps done, and their number.
    pub steps_done: u32,
    pub steps_total: u32,
}

/// A checklist step the customer may see (internal steps never reach them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerStep {
    /// Written to the customer, per language (never the operators' internal text).
    pub wording: crate::model::CustomerWording,
    pub done_at_ms: Option<i64>,
}

/// A subscription's setup-status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerStatus {
    pub summary: CustomerSubscription,
    pub steps: Vec<CustomerStep>,
    /// The instance, once active (`instanceTarget` given at approval).
    pub instance_url: Option<String>,
    pub vendor_name: String,
    pub vendor_website_url: String,
}

/// An open invitation, as its link's page shows it before the customer accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub project_id: String,
    /// The address it was sent to; only the account with this address may accept it.
    pub invited_email: String,
}

/// The subscription a browser is signing up for, as the registration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupInfo {
    /// The STACKIT project the subscription belongs to.
    pub project_id: String,
    pub product_name: String,
    pub plan: String,
    pub vendor_name: String,
    /// The contact e-mail STACKIT gave, to fill the registration form.
    pub suggested_email: Option<String>,
}

impl CustomerPhase {
    /// The phase in the customer's language (`i18n.t(phase.text())`).
    pub fn text(self) -> crate::i18n::CustomerText {
        use crate::i18n::CustomerText as T;
        match self {
            CustomerPhase::BeingSetUp => T::PhaseBeingSetUp,
            CustomerPhase::Active => T::PhaseActive,
            CustomerPhase::Suspended => T::PhaseSuspended,
            CustomerPhase::Cancelling => T::PhaseCancelling,
            CustomerPhase::Cancelled => T::PhaseCancelled,
            CustomerPhase::TimedOut => T::PhaseTimedOut,
            CustomerPhase::Declined => T::PhaseDeclined,
            CustomerPhase::Unknown => T::PhaseUnknown,
        }
    }

    /// The badge colour, matching the operators' state colours.
    pub fn badge_class(self) -> &'static str {
        match self {
            CustomerPhase::BeingSetUp => "bg-amber-100 text-amber-900 ring-amber-300",
            CustomerPhase::Active => "bg-emerald-100 text-emerald-900 ring-emerald-300",
            CustomerPhase::Suspended => "bg-violet-100 text-violet-900 ring-violet-300",
            CustomerPhase::Cancelling => "bg-orange-100 text-orange-900 ring-orange-300",
            CustomerPhase::Cancelled | CustomerPhase::Unknown => "bg-slate-200 text-slate-800 ring-slate-300",
            CustomerPhase::TimedOut | CustomerPhase::Declined => "bg-red-100 text-red-900 ring-red-300",
        }
    }
}

/// A documentation page, rendered from Markdown on the server (raw HTML escaped, unsafe links dropped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocPage {
    pub title: String,
    pub html: String,
}

/// A person who sees a project's subscriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub customer_id: String,
    pub email: String,
    /// Owners (who arrived from STACKIT) may remove members; members may invite.
    pub owner: bool,
}

/// The people of a project, and who is invited but has not joined yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub project_id: String,
    pub members: Vec<TeamMember>,
    pub invited: Vec<String>,
    /// Whether the viewer may remove members (they own the project).
    pub can_remove: bool,
}
