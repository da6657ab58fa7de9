//! The viewer's language choice, kept in a cookie so it holds before and after signing in.

use leptos::prelude::*;

use crate::error::AppError;

/// The `Set-Cookie` value that remembers `locale` for a year.
#[cfg(feature = "ssr")]
pub fn language_cookie(locale: crate::i18n::Locale, secure: bool) -> String {
    super::session::cookie(crate::i18n::LANGUAGE_COOKIE, locale.tag(), 31_536_000, secure, false)
}

/// Remembers the language (`chosen`, else the request's) and the time zone of the request being
/// served as those of `operator`'s mails. The zone only when the browser reported one (it does
/// once JavaScript has run), so a sign-in without JavaScript keeps the zone known from before.
/// A failure costs only the mails' language, so it is logged rather than returned.
#[cfg(feature = "ssr")]
pub async fn remember_for_mails(operator: &crate::model::Operator, chosen: Option<crate::i18n::Locale>) {
    let Some(parts) = use_context::<http::request::Parts>() else { return };
    let Ok(ports) = super::ports::ports() else { return };
    let i18n = crate::i18n::I18n::from_request(&parts, &crate::i18n::Clock::default());
    let locale = chosen.unwrap_or(i18n.locale);
    let zone = super::session::read_cookie(crate::i18n::ZONE_COOKIE).map(|_| i18n.clock.zone_name());
    if let Err(error) = ports.accounts.remember_preferences(operator, locale, zone).await {
        tracing::warn!(operator = %operator.id, ?error, "the operator's language for mails was not saved");
    }
}

/// Switches the interface to `locale` (`en` or `de`) and goes back to `next`. Open to everyone:
/// the sign-in page needs it too. For a signed-in operator the choice is also their mails' language.
#[server(prefix = "/api", endpoint = "language")]
pub async fn set_language(locale: String, next: Option<String>) -> Result<(), AppError> {
    use super::ports::{finish_form, ports};
    use super::session::current_operator;
    use crate::url::safe_next;
    let target = safe_next(next.as_deref());
    let result = async {
        let chosen = crate::i18n::Locale::parse(&locale)
            .filter(|l| l.tag() == locale)
            .ok_or_else(|| AppError::invalid("locale", "Choose en or de."))?;
        let cookie = language_cookie(chosen, ports()?.secure_cookies);
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) = http::HeaderValue::from_str(&cookie)
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
        if let Ok(operator) = current_operator().await {
            remember_for_mails(&operator, Some(chosen)).await;
        }
        Ok(())
    }
    .await;
    finish_form(result, &target, &target)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn the_language_cookie_is_lax_long_lived_and_secure_when_asked() {
        assert_eq!(
            language_cookie(Locale::De, true),
            "orderdesk_lang=de; Path=/; SameSite=Lax; Max-Age=31536000; Secure"
        );
        assert!(!language_cookie(Locale::En, false).contains("Secure"));
    }
}
