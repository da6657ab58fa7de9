//! An e-mail address, checked once where it comes in (a form, STACKIT, the command line) and
//! carried as a typed value after: parse, don't validate.

use serde::{Deserialize, Serialize};

/// A plausible e-mail address: one `@` with a non-empty local part before it and a dotted domain
/// after it, at most 254 characters, no spaces or control characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Reads an address as typed or sent (surrounding spaces are dropped, case is kept).
    pub fn parse(input: &str) -> Result<Self, NotAnEmail> {
        let email = input.trim();
        let plausible = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if plausible { Ok(EmailAddress(email.to_string())) } else { Err(NotAnEmail) }
    }

    /// The address in lower case: how customer accounts are keyed.
    pub fn to_lowercase(&self) -> EmailAddress {
        EmailAddress(self.0.to_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The input was not a plausible e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an e-mail address")]
pub struct NotAnEmail;

/// A refused address is the form's `email` field being wrong, with the hint the forms give.
impl From<NotAnEmail> for crate::error::AppError {
    fn from(_: NotAnEmail) -> Self {
        crate::error::AppError::invalid("email", "Enter an e-mail address like name@example.com.")
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = NotAnEmail;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(email: EmailAddress) -> Self {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_addresses_are_accepted() {
        assert_eq!(EmailAddress::parse("  Ada@Customer.example ").unwrap().as_str(), "Ada@Customer.example");
        assert_eq!(EmailAddress::parse("Ada@X.example").unwrap().to_lowercase().as_str(), "ada@x.example");
        let long = format!("{}@x.example", "a".repeat(250));
        for bad in [
            "",
            "ada",
            "@x.example",
            "ada@",
            "ada@example",
            "a da@x.example",
            "ada@.example",
            "ada@x.example.",
            "a@b@x.example",
            "ada@x.exa\nmple",
            "ada@x.\u{0}example",
            long.as_str(),
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(NotAnEmail), "{bad:?}");
        }
    }
}
