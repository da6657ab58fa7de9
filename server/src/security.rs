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

pub async fn security_headers(mut request: Request, next: Next) -> Response {
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

/// Puts the connection's peer address on the request, for sign-in rate limits.
pub async fn record_client_address(mut request: Request, next: Next) -> Response {
    if let Some(axum::extract::ConnectInfo(peer)) =
        request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().copied()
    {
        request.extensions_mut().insert(app::api::session::ClientAddress(peer.ip()));
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
