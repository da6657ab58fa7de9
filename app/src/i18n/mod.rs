//! The translation layer: every word the interface shows comes from a table here, in English
//! and German, and every date is shown in the viewer's time zone.
//!
//! Texts are grouped in enums, one per area (`texts!` below builds them). A key without a
//! German text does not compile. Texts with values carry `{name}` placeholders that
//! [`Locale::f`] fills; a unit test checks both languages use the same placeholders.
//!
//! The language comes from the `orderdesk_lang` cookie (the switch in the footer sets it), else
//! from the browser's `Accept-Language`. The time zone comes from the `orderdesk_tz` cookie, which
//! the browser sets once JavaScript runs; without it times are shown in the vendor's default zone
//! (`ORDERDESK_DEFAULT_TIME_ZONE`), and say which.

/// Declares a group of texts: `Name { Key: "English", "Deutsch"; ... }`. Defined before the
/// modules below so that they can use it (`macro_rules!` macros are scoped by position).
macro_rules! texts {
    ($(#[$meta:meta])* $name:ident { $($key:ident: $en:literal, $de:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key,)* }

        impl $crate::i18n::Text for $name {
            fn text(self, locale: $crate::i18n::Locale) -> &'static str {
                match locale {
                    $crate::i18n::Locale::En => match self { $($name::$key => $en,)* },
                    $crate::i18n::Locale::De => match self { $($name::$key => $de,)* },
                }
            }
        }

        impl $name {
            /// Every key, for the tests that check the tables.
            #[allow(dead_code)]
            pub const ALL: &[$name] = &[$($name::$key,)*];
        }
    };
}

mod clock;
mod texts;

pub use clock::{Clock, relative};
pub use texts::*;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Cookie holding the language the viewer chose.
pub const LANGUAGE_COOKIE: &str = "orderdesk_lang";
/// Cookie holding the viewer's IANA time zone, as the browser reports it.
pub const ZONE_COOKIE: &str = "orderdesk_tz";

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    De,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::De];

    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
        }
    }

    /// `en`, `de`, `de-AT`, `EN-gb` … to a locale we have.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best of our languages for an `Accept-Language` header (quality values honoured);
    /// English when nothing matches.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(Locale, f32)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let Some(locale) = pieces.next().and_then(Locale::parse) else { continue };
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((locale, quality));
            }
        }
        best.map_or(Locale::En, |(locale, _)| locale)
    }

    /// `12,345` / `12.345`.
    pub fn number(self, n: u64) -> String {
        let separator = match self {
            Locale::En => ',',
            Locale::De => '.',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    /// The text of `key` in this language.
    pub fn t(self, key: impl Text) -> &'static str {
        key.text(self)
    }

    /// The text of `key` with its `{name}` placeholders filled from `values`.
    pub fn f(self, key: impl Text, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut out = key.text(self).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), &value.to_string());
        }
        out
    }
}

/// A group of texts: each key has an English and a German text.
pub trait Text: Copy {
    fn text(self, locale: Locale) -> &'static str;
}

/// The zone for viewers whose browser has not reported one (no JavaScript yet), and for
/// customers' mails: `ORDERDESK_DEFAULT_TIME_ZONE`, Europe/Berlin unless the vendor says. The
/// server provides it as context.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultZone(pub Clock);

/// Language and time zone of whoever the page is for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct I18n {
    pub locale: Locale,
    pub clock: Clock,
}

impl I18n {
    /// The text of `key` in the viewer's language.
    pub fn t(&self, key: impl Text) -> &'static str {
        self.locale.t(key)
    }

    /// The text of `key` with its placeholders filled.
    pub fn f(&self, key: impl Text, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        self.locale.f(key, values)
    }

    /// `20 Nov 2026, 10:30 CET` in the viewer's zone and format.
    pub fn date_time(&self, ms: i64) -> String {
        self.clock.date_time(self.locale, ms)
    }

    /// `20 Nov 2026` in the viewer's zone and format.
    pub fn date(&self, ms: i64) -> String {
        self.clock.date(self.locale, ms)
    }

    /// `in 3 days` / `vor 5 Stunden`.
    pub fn relative(&self, ms: i64, now_ms: i64) -> String {
        clock::relative(self.locale, ms, now_ms)
    }

    /// The viewer's language and zone from the request being served: cookies first, then
    /// `Accept-Language`; English and the `fallback` zone when the request says nothing usable.
    #[cfg(feature = "ssr")]
    pub fn from_request(parts: &http::request::Parts, fallback: &Clock) -> I18n {
        let clock = request_cookie(parts, ZONE_COOKIE)
            .map(|name| Clock::named(&decode_zone(&name)))
            .unwrap_or_else(|| fallback.clone());
        I18n { locale: Locale::from_request(parts), clock }
    }
}

impl Locale {
    /// The viewer's language from the request: the switch's cookie, else `Accept-Language`.
    #[cfg(feature = "ssr")]
    pub fn from_request(parts: &http::request::Parts) -> Locale {
        request_cookie(parts, LANGUAGE_COOKIE).and_then(|tag| Locale::parse(&tag)).unwrap_or_else(|| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Locale::En, Locale::negotiate)
        })
    }
}

/// The value of cookie `name` in a request.
#[cfg(feature = "ssr")]
fn request_cookie(parts: &http::request::Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_string())
        })
}

/// Zone names come URL-encoded in the cookie (`America%2FNew_York`).
#[cfg(feature = "ssr")]
fn decode_zone(raw: &str) -> String {
    raw.replace("%2F", "/").replace("%2f", "/")
}

/// Reads the request once and makes language and zone available to every component below.
#[cfg(feature = "ssr")]
pub fn provide_i18n() -> I18n {
    let fallback = use_context::<DefaultZone>().map(|zone| zone.0).unwrap_or_default();
    let i18n = use_context::<http::request::Parts>()
        .map(|parts| I18n::from_request(&parts, &fallback))
        .unwrap_or_default();
    provide_context(i18n.clone());
    provide_context(i18n.locale);
    i18n
}

/// Language and zone of the current page (English and UTC outside a request).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_default()
}

/// The language of the current page or island.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

#[cfg(test)]
mod number_tests {
    use super::Locale;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        assert_eq!(Locale::En.number(0), "0");
        assert_eq!(Locale::En.number(999), "999");
        assert_eq!(Locale::En.number(1_000), "1,000");
        assert_eq!(Locale::De.number(1_234_567), "1.234.567");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_languages_pick_the_best_match() {
        assert_eq!(Locale::negotiate("de-DE,de;q=0.9,en;q=0.8"), Locale::De);
        assert_eq!(Locale::negotiate("fr-FR, en;q=0.5, de;q=0.7"), Locale::De);
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("fr, it"), Locale::En);
        assert_eq!(Locale::negotiate("de;q=0"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!(Locale::parse("DE_at"), Some(Locale::De));
        assert_eq!(Locale::parse("x"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        texts! { Sample { Greeting: "Hello {name}, {n} new", "Hallo {name}, {n} neu"; } }
        assert_eq!(Locale::De.f(Sample::Greeting, &[("name", &"Ada"), ("n", &3)]), "Hallo Ada, 3 neu");
        assert_eq!(Locale::En.t(Sample::Greeting), "Hello {name}, {n} new");
    }
}
