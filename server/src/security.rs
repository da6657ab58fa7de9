//! Security headers on every response, and the per-request CSP nonce that lets exactly our own
//! inline hydration script run.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::HeaderValue;
use http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use rand::RngCore as _;
use std::net::IpAddr;

/// The nonce of this request's Content-Security-Policy; Leptos puts it on the scripts it renders.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> Self {
        let mut bytes = [0_u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        CspNonce(URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// The policy: our own origin only; scripts only with this request's nonce (the hydration
/// loader) or from our origin; wasm compilation allowed; no framing, no plugins, no foreign forms.
fn content_security_policy(nonce: &CspNonce) -> String {
    // `cargo leptos watch` injects a live-reload script that talks to a local websocket.
    let dev_connect = if cfg!(debug_assertions) { " ws://127.0.0.1:* ws://localhost:*" } else { "" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'{dev_connect}; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        nonce = nonce.0
    )
}

/// Middleware: gives the request a fresh nonce and sets the security headers on the response.
/// Compares two secrets in time that depends on their lengths only, not on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether browsers are told to use https only (`Strict-Transport-Security`): when the public
/// URL is https, for two years; never on plain http, where it would be ignored or lock a
/// development machine out.
#[derive(Debug, Clone, Copy)]
pub struct Hsts(pub bool);

pub async fn security_headers(
    axum::extract::State(Hsts(hsts)): axum::extract::State<Hsts>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    let policy = content_security_policy(&nonce);
    request.extensions_mut().insert(nonce);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // `same-origin`: sign-up URLs carry STACKIT's token, which must never leak to other sites.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if hsts {
        headers.insert(http::header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000"));
    }
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    response
}

/// Refuses state-changing requests that another site makes the browser send (CSRF): the
/// browser's `Sec-Fetch-Site` must not say cross-site, and an `Origin` must be this host.
/// `SameSite=Lax` session cookies are the second line of defence.
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let safe = matches!(*request.method(), http::Method::GET | http::Method::HEAD | http::Method::OPTIONS);
    if !safe && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        let body = serde_json::json!({ "kind": "forbidden" });
        return (http::StatusCode::FORBIDDEN, axum::Json(body)).into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &http::HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Refuses, with 400, requests whose path, query or body carries a NUL character (`%00`, a raw
/// zero byte, or JSON's `\u0000`): no input of ours needs one, and PostgreSQL cannot store one in
/// text, so it would otherwise end as a database error deep inside. The body is already capped
/// by the body limit when this runs.
pub async fn refuse_nul_characters(request: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let refuse = || {
        let error = app::error::AppError::BadRequest { message: "NUL characters are not accepted".into() };
        (http::StatusCode::BAD_REQUEST, axum::Json(error)).into_response()
    };
    let target = request.uri().path_and_query().map_or("", |p| p.as_str());
    if has_nul(target.as_bytes()) {
        return refuse();
    }
    if matches!(*request.method(), http::Method::GET | http::Method::HEAD | http::Method::OPTIONS) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if has_nul(&bytes) {
        return refuse();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

/// The reverse proxies whose `X-Forwarded-For` is believed (`ORDERDESK_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(std::sync::Arc<[ipnet::IpNet]>);

impl TrustedProxies {
    pub fn new(networks: &[ipnet::IpNet]) -> Self {
        TrustedProxies(networks.into())
    }

    fn trusts(&self, address: IpAddr) -> bool {
        // A listener on `[::]` sees IPv4 peers as `::ffff:a.b.c.d`.
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind a request from `peer`: `peer` itself unless it is a trusted proxy;
    /// then, walking `X-Forwarded-For` from the right (each proxy appends whom it heard from),
    /// the first address that is not a trusted proxy. Addresses left of it were written by the
    /// client and prove nothing; an entry that is not an address ends the walk.
    pub fn client_address(&self, peer: IpAddr, headers: &http::HeaderMap) -> IpAddr {
        let mut client = peer;
        if !self.trusts(peer) {
            return client;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .rev()
            .flat_map(|value| value.to_str().unwrap_or("").rsplit(','));
        for hop in hops {
            let Some(address) = parse_hop(hop) else { return client };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// Puts the client's network address on the request, for rate limits: the connection's peer,
/// or the client a trusted proxy forwarded.
pub async fn record_client_address(
    axum::extract::State(proxies): axum::extract::State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(axum::extract::ConnectInfo(peer)) =
        request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().copied()
    {
        let client = proxies.client_address(peer.ip(), request.headers()).to_canonical();
        request.extensions_mut().insert(app::api::session::ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_writes_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = http::HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, http::HeaderValue::from_static(v));
            }
            map
        };
        assert!(!super::is_cross_site(&headers(&[("host", "a.example"), ("origin", "https://a.example")])));
        assert!(!super::is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(
            !super::is_cross_site(&headers(&[("host", "a.example")])),
            "no browser headers: a script or test"
        );
        assert!(super::is_cross_site(&headers(&[("host", "a.example"), ("origin", "https://evil.example")])));
        assert!(super::is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(super::is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(super::is_cross_site(&headers(&[("host", "a.example"), ("origin", "null")])));
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxies = TrustedProxies::new(&["10.0.0.0/8".parse().unwrap(), "fd00::/8".parse().unwrap()]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let forwarded = |values: &[&'static str]| {
            let mut map = http::HeaderMap::new();
            for v in values {
                map.append("x-forwarded-for", http::HeaderValue::from_static(v));
            }
            map
        };
        let spoofed = forwarded(&["6.6.6.6"]);
        assert_eq!(proxies.client_address(ip("203.0.113.9"), &spoofed), ip("203.0.113.9"), "not a proxy");
        assert_eq!(
            TrustedProxies::default().client_address(ip("10.0.0.1"), &spoofed),
            ip("10.0.0.1"),
            "no proxies configured"
        );
        let chain = forwarded(&["6.6.6.6, 198.51.100.7", "10.1.1.1"]);
        assert_eq!(
            proxies.client_address(ip("10.0.0.1"), &chain),
            ip("198.51.100.7"),
            "right-most untrusted"
        );
        assert_eq!(
            proxies.client_address(ip("10.0.0.1"), &forwarded(&["198.51.100.7:5555"])),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies.client_address(ip("fd00::1"), &forwarded(&["[2001:db8::1]:443"])),
            ip("2001:db8::1")
        );
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &forwarded(&["unknown"])), ip("10.0.0.1"));
        assert_eq!(
            proxies.client_address(ip("10.0.0.1"), &forwarded(&["10.2.2.2"])),
            ip("10.2.2.2"),
            "only proxies: the farthest one"
        );
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &http::HeaderMap::new()), ip("10.0.0.1"));
        assert_eq!(
            proxies.client_address(ip("::ffff:10.0.0.1"), &forwarded(&["198.51.100.7"])),
            ip("198.51.100.7"),
            "a proxy seen through an IPv6 listener"
        );
    }

    #[test]
    fn nul_characters_are_found_in_every_spelling() {
        for nul in [&b"a=%00"[..], b"a\0b", br#"{"a":"\u0000"}"#, br#"{"a":"\U0000"}"#] {
            assert!(has_nul(nul), "{nul:?}");
        }
        for fine in [&b"a=%2500&b=100%25"[..], b"plain", br#"{"a":"\u00e9"}"#] {
            assert!(!has_nul(fine), "{fine:?}");
        }
    }

    #[test]
    fn each_nonce_is_fresh_and_fits_in_a_header() {
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 22);
        assert!(HeaderValue::from_str(&content_security_policy(&a)).is_ok());
    }

    #[test]
    fn the_policy_allows_only_nonced_inline_scripts() {
        let policy = content_security_policy(&CspNonce("abc".into()));
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
