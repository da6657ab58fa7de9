//! `VendorApiError`: every way a call to STACKIT's Vendor API can fail, with what callers branch on.

use super::model::ErrorResponse;

/// A failed Vendor API call. Status, path and STACKIT's message are kept; bodies that are not
/// STACKIT's `ErrorResponse` (a gateway's HTML page, say) are tolerated and summarised.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VendorApiError {
    /// STACKIT answered with a non-success status.
    #[error("STACKIT answered {status} for {path}: {message}")]
    Status { status: u16, path: String, message: String, body: Option<Box<ErrorResponse>> },
    /// No answer within the timeout.
    #[error("STACKIT did not answer in time ({path})")]
    Timeout { path: String },
    /// The connection could not be made or broke off.
    #[error("cannot reach STACKIT ({path}): {message}")]
    Connection { path: String, message: String },
    /// An answer arrived that we cannot read.
    #[error("unreadable answer from STACKIT ({path}): {message}")]
    Decode { path: String, message: String },
    /// Getting an access token failed (key file, token endpoint).
    #[error("authentication with STACKIT failed: {message}")]
    Auth { message: String },
}

impl VendorApiError {
    /// The HTTP status STACKIT answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            VendorApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// STACKIT does not show us this subscription: 404, or 403 where the spec allows no 404 (V4).
    pub fn is_not_visible(&self) -> bool {
        matches!(self.status(), Some(403 | 404))
    }

    /// Whether trying again later may succeed (rate limits, server errors, timeouts, broken connections).
    pub fn is_transient(&self) -> bool {
        match self {
            VendorApiError::Status { status, .. } => *status == 429 || *status >= 500,
            VendorApiError::Timeout { .. } | VendorApiError::Connection { .. } => true,
            VendorApiError::Decode { .. } | VendorApiError::Auth { .. } => false,
        }
    }

    /// Builds the error for a non-success answer from its status and body.
    pub(crate) fn from_response(status: u16, path: &str, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorResponse>(body) {
            Ok(error) if !error.message.is_empty() || !error.error.is_empty() => {
                let message =
                    if error.message.is_empty() { error.error.clone() } else { error.message.clone() };
                VendorApiError::Status {
                    status,
                    path: path.to_string(),
                    message,
                    body: Some(Box::new(error)),
                }
            }
            _ => {
                let text = String::from_utf8_lossy(body);
                let summary: String =
                    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect();
                let message = if summary.is_empty() { "(no body)".to_string() } else { summary };
                VendorApiError::Status { status, path: path.to_string(), message, body: None }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stackit_error_bodies_are_decoded() {
        let body = br#"{"error":"Not Found","message":"subscription not found","path":"/v1/x","status":404,"timeStamp":"2026-01-01T00:00:00Z"}"#;
        let error = VendorApiError::from_response(404, "/v1/x", body);
        assert_eq!(error.to_string(), "STACKIT answered 404 for /v1/x: subscription not found");
        assert!(matches!(error, VendorApiError::Status { body: Some(_), .. }));
        assert!(!error.is_transient());
    }

    #[test]
    fn non_json_bodies_are_tolerated() {
        let error = VendorApiError::from_response(502, "/v1/x", b"<html>\n<body>Bad   Gateway</body></html>");
        assert_eq!(
            error.to_string(),
            "STACKIT answered 502 for /v1/x: <html> <body>Bad Gateway</body></html>"
        );
        assert!(error.is_transient());
        assert_eq!(
            VendorApiError::from_response(401, "/v1/x", b"").to_string(),
            "STACKIT answered 401 for /v1/x: (no body)"
        );
    }
}
