//! The lifecycle state of a STACKIT subscription, as Orderdesk shows it.

use serde::{Deserialize, Serialize};

/// A subscription's lifecycle state (spec: `Subscription.lifecycleState`). Values STACKIT adds later
/// arrive as `Unknown`; the raw text is kept beside it wherever it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LifecycleState {
    Unspecified,
    Pending,
    Active,
    Inactive,
    Cancelling,
    Cancelled,
    Rejected,
    ApprovalTimedOut,
    Unknown,
}

impl LifecycleState {
    /// Every state, in the order operators care about them: work to do first.
    pub const ALL: [LifecycleState; 9] = [
        LifecycleState::Pending,
        LifecycleState::Active,
        LifecycleState::Inactive,
        LifecycleState::Cancelling,
        LifecycleState::Cancelled,
        LifecycleState::Rejected,
        LifecycleState::ApprovalTimedOut,
        LifecycleState::Unspecified,
        LifecycleState::Unknown,
    ];

    /// Reads STACKIT's wire value; anything unrecognised is `Unknown`, never an error.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "STATE_UNSPECIFIED" => LifecycleState::Unspecified,
            "SUBSCRIPTION_PENDING" => LifecycleState::Pending,
            "SUBSCRIPTION_ACTIVE" => LifecycleState::Active,
            "SUBSCRIPTION_INACTIVE" => LifecycleState::Inactive,
            "SUBSCRIPTION_CANCELLING" => LifecycleState::Cancelling,
            "SUBSCRIPTION_CANCELLED" => LifecycleState::Cancelled,
            "SUBSCRIPTION_REJECTED" => LifecycleState::Rejected,
            "SUBSCRIPTION_APPROVAL_TIMED_OUT" => LifecycleState::ApprovalTimedOut,
            _ => LifecycleState::Unknown,
        }
    }

    /// Cancelled and rejected orders are over; STACKIT calls them "expired" and lists them only
    /// when asked to (`includeExpired=true`).
    pub fn is_expired(self) -> bool {
        matches!(self, LifecycleState::Cancelled | LifecycleState::Rejected)
    }

    /// STACKIT's wire value; `UNKNOWN` for states we do not know (the raw value is stored apart).
    pub fn as_wire(self) -> &'static str {
        match self {
            LifecycleState::Unspecified => "STATE_UNSPECIFIED",
            LifecycleState::Pending => "SUBSCRIPTION_PENDING",
            LifecycleState::Active => "SUBSCRIPTION_ACTIVE",
            LifecycleState::Inactive => "SUBSCRIPTION_INACTIVE",
            LifecycleState::Cancelling => "SUBSCRIPTION_CANCELLING",
            LifecycleState::Cancelled => "SUBSCRIPTION_CANCELLED",
            LifecycleState::Rejected => "SUBSCRIPTION_REJECTED",
            LifecycleState::ApprovalTimedOut => "SUBSCRIPTION_APPROVAL_TIMED_OUT",
            LifecycleState::Unknown => "UNKNOWN",
        }
    }

    /// The English name, for logs and server messages; pages use [`LifecycleState::text`].
    pub fn label(self) -> &'static str {
        match self {
            LifecycleState::Unspecified => "Unspecified",
            LifecycleState::Pending => "Pending approval",
            LifecycleState::Active => "Active",
            LifecycleState::Inactive => "Suspended",
            LifecycleState::Cancelling => "Cancelling",
            LifecycleState::Cancelled => "Cancelled",
            LifecycleState::Rejected => "Rejected",
            LifecycleState::ApprovalTimedOut => "Approval timed out",
            LifecycleState::Unknown => "Unknown state",
        }
    }

    /// Tailwind classes of this state's badge: one colour per state, used everywhere.
    /// The state's name in the viewer's language (`i18n.t(state.text())`).
    pub fn text(self) -> crate::i18n::States {
        use crate::i18n::States;
        match self {
            LifecycleState::Unspecified => States::Unspecified,
            LifecycleState::Pending => States::Pending,
            LifecycleState::Active => States::Active,
            LifecycleState::Inactive => States::Inactive,
            LifecycleState::Cancelling => States::Cancelling,
            LifecycleState::Cancelled => States::Cancelled,
            LifecycleState::Rejected => States::Rejected,
            LifecycleState::ApprovalTimedOut => States::ApprovalTimedOut,
            LifecycleState::Unknown => States::Unknown,
        }
    }

    pub fn badge_class(self) -> &'static str {
        match self {
            LifecycleState::Pending => "bg-amber-100 text-amber-900 ring-amber-300",
            LifecycleState::Active => "bg-emerald-100 text-emerald-900 ring-emerald-300",
            LifecycleState::Inactive => "bg-violet-100 text-violet-900 ring-violet-300",
            LifecycleState::Cancelling => "bg-orange-100 text-orange-900 ring-orange-300",
            LifecycleState::Cancelled => "bg-slate-200 text-slate-800 ring-slate-300",
            LifecycleState::Rejected => "bg-rose-100 text-rose-900 ring-rose-300",
            LifecycleState::ApprovalTimedOut => "bg-red-100 text-red-900 ring-red-300",
            LifecycleState::Unspecified | LifecycleState::Unknown => {
                "bg-zinc-100 text-zinc-800 ring-zinc-300"
            }
        }
    }
}

/// How many orders are in one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: LifecycleState,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_state_round_trips_through_its_wire_value() {
        for state in LifecycleState::ALL.into_iter().filter(|s| *s != LifecycleState::Unknown) {
            assert_eq!(LifecycleState::from_wire(state.as_wire()), state);
        }
    }

    #[test]
    fn an_unrecognised_state_is_unknown_not_an_error() {
        assert_eq!(LifecycleState::from_wire("SUBSCRIPTION_FROZEN"), LifecycleState::Unknown);
        assert_eq!(LifecycleState::from_wire(""), LifecycleState::Unknown);
    }
}
