//! Who is calling: the session cookie, the signed-in operator, and the role checks every server
//! function makes on the server (hiding a button is not access control).

use leptos::prelude::*;

use super::ports::ports;
use crate::error::AppError;
use crate::model::{Operator, Role};

/// Name of the operators' session cookie.
pub const SESSION_COOKIE: &str = "orderdesk_session";

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<String> {
    read_credential(SESSION_COOKIE)
}

/// The name of a cookie that carries a credential (a session, a sign-up or an invitation):
/// `__Host-` first when it is `Secure`. Browsers take a `__Host-` cookie only from https, only
/// `Secure`, with `Path=/` and no `Domain`, so a sibling subdomain or a plain-http page cannot plant
/// or shadow one. Plain names only where cookies are not `Secure` (http on this machine).
pub fn credential_cookie_name(base: &str, secure: bool) -> String {
    if secure { format!("__Host-{base}") } else { base.to_string() }
}

/// The cookie that holds the inbox view an operator last opened (its query string), for the
/// order pages' previous and next; it ends with the session.
pub const VIEW_COOKIE: &str = "orderdesk_view";

/// The value of the credential cookie `base` under the name this server gives it.
pub fn read_credential(base: &str) -> Option<String> {
    let secure = use_context::<super::ports::Ports>().is_some_and(|ports| ports.secure_cookies);
    read_cookie(&credential_cookie_name(base, secure))
}

/// The value of the request's cookie `name`, if it has a non-empty one.
pub fn read_cookie(wanted: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

/// The `Set-Cookie` value of the credential cookie `base`: `HttpOnly`, `SameSite=Lax`, `Path=/`,
/// and `Secure` with the `__Host-` name when `secure`; an empty `value` clears it.
pub fn credential_cookie(base: &str, value: &str, secure: bool, max_age_secs: u64) -> String {
    cookie(&credential_cookie_name(base, secure), value, max_age_secs, secure, true)
}

/// The one builder of Orderdesk's `Set-Cookie` values: `Path=/`, `SameSite=Lax`, `HttpOnly` when
/// `http_only`, `Secure` when `secure`; an empty `value` clears the cookie (`Max-Age=0`).
pub fn cookie(name: &str, value: &str, max_age_secs: u64, secure: bool, http_only: bool) -> String {
    let http_only = if http_only { "; HttpOnly" } else { "" };
    let secure = if secure { "; Secure" } else { "" };
    let max_age = if value.is_empty() { 0 } else { max_age_secs };
    format!("{name}={value}; Path=/{http_only}; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Adds the credential cookie `base` to the response (see [`credential_cookie`]).
pub fn set_credential(base: &str, value: &str, secure: bool, max_age_secs: u64) {
    let cookie = credential_cookie(base, value, secure, max_age_secs);
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&cookie)
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The operator a request was found to come from, remembered for the rest of that request: a
/// page asks in several places at once (header, page, the server functions it calls), the
/// database once — the first asker looks, the others wait for its answer. The server provides a
/// fresh one per request.
#[derive(Debug, Clone, Default)]
pub struct OperatorCache(std::sync::Arc<tokio::sync::OnceCell<Option<Operator>>>);

/// The signed-in operator, or `Unauthorized`.
pub async fn current_operator() -> Result<Operator, AppError> {
    let token = session_token();
    let lookup = || async move {
        match token {
            Some(token) => ports()?.accounts.operator_for_session(&token).await,
            None => Ok(None),
        }
    };
    let found = match use_context::<OperatorCache>() {
        Some(cache) => cache.0.get_or_try_init(lookup).await?.clone(),
        None => lookup().await?,
    };
    found.ok_or(AppError::Unauthorized)
}

/// The signed-in operator if their role includes `role`; `Unauthorized` or `Forbidden` otherwise.
pub async fn require(role: Role) -> Result<Operator, AppError> {
    let operator = current_operator().await?;
    if operator.has(role) { Ok(operator) } else { Err(AppError::Forbidden) }
}

/// The `Set-Cookie` value that stores `token`, or clears the cookie when `token` is empty.
pub fn session_cookie(token: &str, secure: bool, max_age_secs: u64) -> String {
    credential_cookie(SESSION_COOKIE, token, secure, max_age_secs)
}

/// The peer address of the connection a request came on; the server puts it on every request.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The caller's network address as rate limits count it: an IPv4 address, or the /64 network of
/// an IPv6 one (one subscriber's whole range, which it could otherwise rotate through).
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| limit_key(a.0)))
        .unwrap_or_else(|| "unknown".to_string())
}

fn limit_key(address: std::net::IpAddr) -> String {
    match address.to_canonical() {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_ipv4_addresses_and_ipv6_networks() {
        let key = |s: &str| limit_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7", "a mapped IPv4 address is that address");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:bbbb::9"), key("2001:db8:1:2:aaaa::1"), "one subscriber's /64");
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_when_asked() {
        let cookie = session_cookie("abc", true, 3600);
        assert_eq!(
            cookie,
            "__Host-orderdesk_session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure"
        );
        assert!(session_cookie("abc", false, 3600).starts_with("orderdesk_session=abc;"));
        assert!(session_cookie("", false, 3600).contains("Max-Age=0"));
        assert!(!session_cookie("abc", false, 3600).contains("Secure"));
    }
}
