//! The tables: one file per area of the interface.

mod check;
mod common;
mod console;
mod customer;
mod mail;
mod orders;
mod people;

pub use check::*;
pub use common::*;
pub use console::*;
pub use customer::*;
pub use mail::*;
pub use orders::*;
pub use people::*;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::i18n::{Locale, Text};

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
    }

    fn check<T: Text + std::fmt::Debug>(keys: &[T]) {
        for key in keys {
            let (en, de) = (Locale::En.t(*key), Locale::De.t(*key));
            assert!(!en.trim().is_empty() && !de.trim().is_empty(), "{key:?} has an empty text");
            assert_eq!(placeholders(en), placeholders(de), "{key:?} uses different placeholders");
        }
    }

    #[test]
    fn every_text_exists_in_both_languages_with_the_same_placeholders() {
        check(States::ALL);
        check(Roles::ALL);
        check(Sources::ALL);
        check(Time::ALL);
        check(Layout::ALL);
        check(ErrorText::ALL);
        check(Fields::ALL);
        check(MailText::ALL);
        check(OutboxText::ALL);
        check(LoginText::ALL);
        check(AccountText::ALL);
        check(SetupText::ALL);
        check(OperatorsText::ALL);
        check(CustomerText::ALL);
        check(InboxText::ALL);
        check(OrderText::ALL);
        check(FieldText::ALL);
        check(TimelineText::ALL);
        check(HomeText::ALL);
        check(StateTableText::ALL);
        check(SyncText::ALL);
        check(AuditText::ALL);
        check(SettingsText::ALL);
        check(LiveText::ALL);
        check(FormText::ALL);
        // Area tables: add each enum a page file declares.
    }
}
