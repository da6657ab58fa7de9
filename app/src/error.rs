//! `AppError`: the one error every server function returns, and the HTTP status it stands for.

use serde::{Deserialize, Serialize};

use crate::i18n::{ErrorText, Fields, Locale};

/// What went wrong, in terms a user can act on. Internal details never travel in it: the server
/// logs them once and sends the variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// The thing asked for does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// The caller must sign in first.
    #[error("sign-in required")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("not allowed")]
    Forbidden,
    /// The request itself was malformed (a missing or ill-typed argument, a body that is not
    /// the expected form): the caller's fault, not a state of ours.
    #[error("bad request: {message}")]
    BadRequest { message: String },
    /// One input was not acceptable.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The request clashes with the current state (e.g. the order was already approved).
    #[error("{message}")]
    Conflict { message: String },
    /// STACKIT's Marketplace answered with an error or not at all; the message is safe to show.
    #[error("STACKIT: {message}")]
    Upstream { message: String },
    /// Too many attempts (sign-in); the caller may try again after this many seconds.
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// Too much work of one kind at once (password hashing): retry after this many seconds.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// A dependency of ours (the database) cannot be reached right now; retrying later may work.
    #[error("temporarily unavailable")]
    Unavailable,
    /// A fault on our side. The details are in the server log.
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// The HTTP status this error is sent with, both by server functions and by SSR pages.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::BadRequest { .. } => 400,
            AppError::Validation { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::Upstream { .. } => 502,
            AppError::RateLimited { .. } => 429,
            AppError::Busy { .. } | AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// A short, stable name of the error kind, for addresses (`?error=unauthorized`).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::BadRequest { .. } => "bad_request",
            AppError::Validation { .. } => "invalid",
            AppError::Conflict { .. } => "conflict",
            AppError::Upstream { .. } => "upstream",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Busy { .. } => "busy",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        }
    }

    /// A `Conflict` with what the reader should know.
    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict { message: message.into() }
    }

    /// An `Upstream` error with a message safe to show.
    pub fn upstream(message: impl Into<String>) -> Self {
        AppError::Upstream { message: message.into() }
    }

    /// How long the caller should wait before trying again, when the error says so.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } | AppError::Busy { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        }
    }

    /// A `Validation` error for one named input.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation { field: field.into(), message: message.into() }
    }

    /// Short title for an error page, in `locale`.
    pub fn title(&self, locale: Locale) -> &'static str {
        locale.t(match self {
            AppError::NotFound => ErrorText::NotFoundTitle,
            AppError::Unauthorized => ErrorText::UnauthorizedTitle,
            AppError::Forbidden => ErrorText::ForbiddenTitle,
            AppError::BadRequest { .. } => ErrorText::BadRequestTitle,
            AppError::Validation { .. } => ErrorText::ValidationTitle,
            AppError::Conflict { .. } => ErrorText::ConflictTitle,
            AppError::Upstream { .. } => ErrorText::UpstreamTitle,
            AppError::RateLimited { .. } => ErrorText::RateLimitedTitle,
            AppError::Busy { .. } => ErrorText::BusyTitle,
            AppError::Unavailable => ErrorText::UnavailableTitle,
            AppError::Internal => ErrorText::InternalTitle,
        })
    }

    /// What the reader can do about it, in `locale`. A refused input is explained by the
    /// input's name; what the server said in a conflict or about STACKIT is passed on.
    pub fn advice(&self, locale: Locale) -> String {
        match self {
            AppError::NotFound => locale.t(ErrorText::NotFoundAdvice).into(),
            AppError::Unauthorized => locale.t(ErrorText::UnauthorizedAdvice).into(),
            AppError::Forbidden => locale.t(ErrorText::ForbiddenAdvice).into(),
            AppError::BadRequest { message } => {
                locale.f(ErrorText::BadRequestAdvice, &[("message", message)])
            }
            AppError::Validation { field, message } => match Fields::for_field(field) {
                Some(known) => locale.t(known).into(),
                None => locale.f(ErrorText::ValidationAdvice, &[("field", field), ("message", message)]),
            },
            AppError::Conflict { message } => locale.f(ErrorText::ConflictAdvice, &[("message", message)]),
            AppError::Upstream { message } => locale.f(ErrorText::UpstreamAdvice, &[("message", message)]),
            AppError::RateLimited { retry_after_secs } => {
                locale.f(ErrorText::RateLimitedAdvice, &[("minutes", &retry_after_secs.div_ceil(60).max(1))])
            }
            AppError::Busy { retry_after_secs } => {
                locale.f(ErrorText::BusyAdvice, &[("seconds", &(*retry_after_secs).max(1))])
            }
            AppError::Unavailable => locale.t(ErrorText::UnavailableAdvice).into(),
            AppError::Internal => locale.t(ErrorText::InternalAdvice).into(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // Decoding the caller's arguments failed: a malformed request, never our fault.
            E::Args(message) | E::MissingArg(message) | E::Deserialization(message) => {
                AppError::BadRequest { message }
            }
            E::UnsupportedRequestMethod(message) => AppError::BadRequest { message },
            E::Request(_) => AppError::Unavailable,
            _ => AppError::Internal,
        }
    }
}

/// Finds the `AppError` among the errors an `ErrorBoundary` caught; anything else counts as `Internal`.
pub fn first_app_error(errors: &leptos::error::Errors) -> Option<AppError> {
    errors.iter().next().map(|(_, error)| {
        error.clone().into_inner().downcast_ref::<AppError>().cloned().unwrap_or(AppError::Internal)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_maps_to_a_client_or_server_status() {
        let all = [
            AppError::NotFound,
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::BadRequest { message: "missing field `subscription_id`".into() },
            AppError::invalid("email", "is not an e-mail address"),
            AppError::conflict("Already approved."),
            AppError::upstream("timeout"),
            AppError::RateLimited { retry_after_secs: 60 },
            AppError::Busy { retry_after_secs: 2 },
            AppError::Unavailable,
            AppError::Internal,
        ];
        for error in all {
            assert!((400..600).contains(&error.status()), "{error:?}");
        }
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Unavailable.status(), 503);
        assert_eq!(AppError::BadRequest { message: String::new() }.status(), 400);
        assert_eq!(AppError::Busy { retry_after_secs: 2 }.retry_after_secs(), Some(2));
    }

    #[test]
    fn every_error_serialises_for_the_wire() {
        use leptos::server_fn::error::FromServerFnError as _;
        for error in [AppError::conflict("Already approved."), AppError::upstream("down"), AppError::NotFound]
        {
            let bytes = error.ser();
            assert_eq!(AppError::de(bytes), error);
        }
    }

    #[test]
    fn errors_round_trip_through_json_as_tagged_objects() {
        let error = AppError::invalid("instance_url", "must start with https://");
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"validation","field":"instance_url","message":"must start with https://"}"#
        );
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
    }

    #[test]
    fn advice_speaks_the_readers_language_and_explains_known_inputs() {
        let refused = AppError::invalid("instance_url", "must start with https://");
        assert_eq!(refused.advice(Locale::En), "Enter a full http:// or https:// address.");
        assert!(refused.advice(Locale::De).starts_with("Geben Sie eine vollständige"));
        let odd = AppError::invalid("colour", "is odd");
        assert_eq!(odd.advice(Locale::De), "Prüfen Sie „colour“: is odd");
        let waiting = AppError::RateLimited { retry_after_secs: 61 };
        assert_eq!(waiting.advice(Locale::En), "Wait 2 minutes, then try again.");
        assert_eq!(AppError::NotFound.title(Locale::De), "Seite nicht gefunden");
    }
}
