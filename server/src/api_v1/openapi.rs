//! The API's OpenAPI 3.1 document, generated from its handlers and shapes (utoipa), served at
//! `/api/v1/openapi.json` and committed as `docs/openapi.json` (a test holds the two equal).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};

use super::schema::{
    Approval, AssigneeChange, ContactChange, Decision, Field, NewNote, Note, Order, OrderList, OrderSummary,
    Problem, Rejection, Step, StepChange, SyncReport, TimelineEntry,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Orderdesk automation API", version = "1",
        description = "Read a vendor's STACKIT Marketplace orders and work them (checklist steps, notes, contact, \
            assignee, approval, rejection, sync) from the vendor's own systems. Authenticate with an API token \
            (`Authorization: Bearer odk_…`) made by an admin. Errors are RFC 9457 problem details."),
    paths(super::reads::list_orders, super::reads::get_order, super::writes::set_step, super::writes::add_note,
        super::writes::set_contact, super::writes::assign, super::writes::approve, super::writes::reject,
        super::writes::sync),
    components(schemas(OrderList, OrderSummary, Order, Field, Step, Note, TimelineEntry, Decision, StepChange,
        NewNote, ContactChange, AssigneeChange, Approval, Rejection, SyncReport, Problem)),
    modifiers(&Token),
    tags((name = "orders", description = "The inbox and its orders"),
        (name = "sync", description = "Reading STACKIT now")),
)]
struct ApiDoc;

/// The bearer token every path asks for.
struct Token;

impl Modify for Token {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// How a read can fail.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub(super) enum ReadFailures {
    /// A parameter that is not one (e.g. a path that is not UTF-8).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No token, or one that is malformed, unknown, revoked or expired.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// No such order.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// A filter or cursor that is not one (its name in `field`).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// The token's requests per minute are used up; `Retry-After` says when to ask again.
    #[response(status = 429, content_type = "application/problem+json")]
    RateLimited(Problem),
    /// A fault on our side (details in the server's log).
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
    /// The database cannot be reached right now.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// How a write can fail.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub(super) enum WriteFailures {
    /// A body that is not the expected JSON, or a malformed `Idempotency-Key`.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// No token, or one that is malformed, unknown, revoked or expired.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// A viewer token: it may only read.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such order or step.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// The request took longer than the server allows (the write still runs to its end).
    #[response(status = 408, content_type = "application/problem+json")]
    Timeout(Problem),
    /// The order's state does not allow it (e.g. a rejection of an approved order), or a request
    /// with the same `Idempotency-Key` is still being answered.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is larger than the server accepts.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(Problem),
    /// A refused value (its name in `field`), or an `Idempotency-Key` sent with another request.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
    /// The token's requests per minute are used up; `Retry-After` says when to ask again.
    #[response(status = 429, content_type = "application/problem+json")]
    RateLimited(Problem),
    /// STACKIT refused the decision or could not be reached.
    #[response(status = 502, content_type = "application/problem+json")]
    Upstream(Problem),
    /// A fault on our side (details in the server's log).
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(Problem),
    /// The database cannot be reached right now.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(Problem),
}

/// The `Idempotency-Key` header a write may carry.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub(super) struct IdempotencyKey {
    /// Any 1 to 255 visible ASCII characters naming this write: sent again with the same key and
    /// body, it is answered as the first time and changes nothing twice (kept at least 24 hours).
    #[param(rename = "Idempotency-Key")]
    idempotency_key: Option<String>,
}

/// The document as pretty JSON, with a final newline (as committed).
pub fn document() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// `GET /api/v1/openapi.json`: the document, to anyone (it holds no data).
pub(super) async fn served() -> Response {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(document);
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], DOCUMENT.as_str())
        .into_response()
}
