//! Operators (the vendor's staff) and what their role lets them do.

use serde::{Deserialize, Serialize};

/// An operator's role. Each includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads everything, changes nothing.
    Viewer,
    /// Works orders: checklist, notes, contact e-mail, approve and reject.
    Operator,
    /// Everything, including operators and settings.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "viewer" => Some(Role::Viewer),
            "operator" => Some(Role::Operator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The role's name in the viewer's language (`i18n.t(role.text())`).
    pub fn text(self) -> crate::i18n::Roles {
        match self {
            Role::Viewer => crate::i18n::Roles::Viewer,
            Role::Operator => crate::i18n::Roles::Operator,
            Role::Admin => crate::i18n::Roles::Admin,
        }
    }

    /// The role's English name, for the command line.
    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::Operator => "Operator",
            Role::Admin => "Administrator",
        }
    }
}

/// A signed-in operator, as the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

impl Operator {
    /// Whether this operator's role includes `role`.
    pub fn has(&self, role: Role) -> bool {
        self.role >= role
    }
}

/// A token of the automation API as admins see it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub name: String,
    pub role: Role,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
}

/// The API tokens page: every token, and the one just created (its secret, shown this once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokens {
    pub tokens: Vec<ApiToken>,
    pub created: Option<String>,
    pub now_ms: i64,
}

/// An operator account as admins manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorAccount {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// Invited, but has not chosen a password yet.
    pub setup_pending: bool,
    /// The language (`en`/`de`) and IANA time zone of the mails they get: those of the browser
    /// they last signed in from.
    pub mail_locale: String,
    pub mail_time_zone: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below() {
        let admin =
            Operator { id: "1".into(), email: "a@x".into(), display_name: "A".into(), role: Role::Admin };
        assert!(admin.has(Role::Operator) && admin.has(Role::Viewer));
        let viewer = Operator { role: Role::Viewer, ..admin };
        assert!(!viewer.has(Role::Operator));
        for role in [Role::Viewer, Role::Operator, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
