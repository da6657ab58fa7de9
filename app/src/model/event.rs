//! What the order history records: the kind of each event, who caused it, and where an
//! operator's decision stands. One typed value per concept, read from the stored text once.

use serde::{Deserialize, Serialize};

/// Defines a closed set of stored names: `as_str` to store, `parse` to read back.
macro_rules! stored_names {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// Reads a stored name; `None` for one this version does not know.
            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// On the wire as its stored name.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown value {text:?}")))
            }
        }
    };
}

stored_names!(
    /// The kind of an event in an order's history (`events.kind`).
    EventKind {
        /// STACKIT has a new order.
        OrderCreated = "order.created",
        /// STACKIT moved the order to another lifecycle state.
        StateChanged = "state.changed",
        /// STACKIT changed other fields of the order.
        OrderUpdated = "order.updated",
        StepDone = "step.done",
        StepUndone = "step.undone",
        NoteAdded = "note.added",
        ContactChanged = "contact.changed",
        OrderAssigned = "order.assigned",
        /// An operator's decision is on its way to STACKIT.
        DecisionQueued = "decision.queued",
        OrderApproved = "order.approved",
        OrderRejected = "order.rejected",
        /// STACKIT refused a decision, or could not be reached in time.
        DecisionFailed = "decision.failed",
        /// A plan change's new order took over the steps done on the old one.
        StepsCarried = "steps.carried",
        /// This order was replaced by a plan change.
        PlanChangedFrom = "plan.changed_from",
        /// This order replaces another after a plan change.
        PlanChangedTo = "plan.changed_to",
    }
);

impl EventKind {
    /// The name a webhook receiver sees, for the events Orderdesk sends out; `None` for the
    /// rest (sent as `order.event`, which receivers may ignore).
    pub fn webhook_name(self) -> Option<&'static str> {
        match self {
            EventKind::OrderCreated => Some("order.created"),
            EventKind::StateChanged => Some("order.state_changed"),
            EventKind::StepDone => Some("order.step_completed"),
            EventKind::OrderApproved => Some("order.approved"),
            EventKind::OrderRejected => Some("order.rejected"),
            _ => None,
        }
    }
}

stored_names!(
    /// Where an operator's decision stands on the order (`orders.decision_state`); no value
    /// when no decision is under way or it went through.
    DecisionState {
        /// An approval is on its way to STACKIT.
        Approving = "approving",
        /// A rejection is on its way to STACKIT.
        Rejecting = "rejecting",
        /// STACKIT refused it, or could not be reached; an operator may decide again.
        Failed = "failed",
    }
);

impl DecisionState {
    /// True while a decision is on its way (the order's actions wait for it).
    pub fn is_under_way(self) -> bool {
        matches!(self, DecisionState::Approving | DecisionState::Rejecting)
    }
}

/// Who caused an event: an operator, STACKIT (seen by the sync), or Orderdesk itself. Stored as
/// `operator:<id>`, `token:<name>` (the automation API), `stackit` or `orderdesk`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Actor {
    Operator(String),
    /// An API token, by its name (unique, and never given to another token).
    Token(String),
    Stackit,
    Orderdesk,
}

impl Actor {
    /// Reads a stored actor; anything that is neither an operator nor STACKIT is Orderdesk.
    pub fn parse(value: &str) -> Self {
        if let Some(name) = value.strip_prefix("token:") {
            return Actor::Token(name.to_string());
        }
        match value.strip_prefix("operator:") {
            Some(id) => Actor::Operator(id.to_string()),
            None if value == "stackit" => Actor::Stackit,
            None => Actor::Orderdesk,
        }
    }

    /// The operator's ID, when an operator acted.
    pub fn operator_id(&self) -> Option<&str> {
        match self {
            Actor::Operator(id) => Some(id),
            _ => None,
        }
    }
}

impl crate::model::Operator {
    /// Who this caller is in the change record: an operator by ID, or an API token (whose
    /// caller ID is `token:<name>`, see the server's `api_tokens`) by its name.
    pub fn actor(&self) -> Actor {
        match self.id.strip_prefix("token:") {
            Some(name) => Actor::Token(name.to_string()),
            None => Actor::Operator(self.id.clone()),
        }
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Operator(id) => write!(f, "operator:{id}"),
            Actor::Token(name) => write!(f, "token:{name}"),
            Actor::Stackit => f.write_str("stackit"),
            Actor::Orderdesk => f.write_str("orderdesk"),
        }
    }
}

impl From<String> for Actor {
    fn from(value: String) -> Self {
        Actor::parse(&value)
    }
}

impl From<Actor> for String {
    fn from(actor: Actor) -> Self {
        actor.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back_as_written() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(*kind));
        }
        for state in DecisionState::ALL {
            assert_eq!(DecisionState::parse(state.as_str()), Some(*state));
        }
        assert_eq!(EventKind::parse("order.deleted"), None);
        assert_eq!(DecisionState::parse(""), None);
    }

    #[test]
    fn actors_read_back_as_written() {
        for actor in [
            Actor::Operator("op-1".into()),
            Actor::Token("provisioning".into()),
            Actor::Stackit,
            Actor::Orderdesk,
        ] {
            assert_eq!(Actor::parse(&actor.to_string()), actor);
        }
        assert_eq!(Actor::parse("operator:").operator_id(), Some(""));
        assert_eq!(Actor::parse("someone"), Actor::Orderdesk);
        let json = serde_json::to_string(&Actor::Operator("a".into())).unwrap();
        assert_eq!(json, "\"operator:a\"");
        assert_eq!(serde_json::to_string(&DecisionState::Approving).unwrap(), "\"approving\"");
        assert_eq!(serde_json::from_str::<EventKind>("\"step.done\"").unwrap(), EventKind::StepDone);
    }
}
