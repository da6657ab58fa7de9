//! `GET /orders.csv`: the inbox's current view (the same address parameters, the same order) as
//! CSV, every page of it, streamed a page of the database at a time so that memory stays flat
//! however many orders the view holds. For any signed-in operator (viewers too: they see the
//! inbox). Spreadsheet formulas are defused: a cell that would start with `=`, `+`, `-` or `@`
//! is written with a leading apostrophe.

use std::sync::Arc;

use app::api::ports::Ports;
use app::api::session::{SESSION_COOKIE, credential_cookie_name};
use app::model::{InboxQuery, Operator};
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Query};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use tokio::sync::Semaphore;

use crate::db::Database;
use crate::db::inbox::{self, InboxDbRow, InboxFilter};
use crate::orders::inbox::filter;

/// Orders read from the database per statement.
const BATCH: i64 = 500;

/// What the export needs: the database, the ports (for the session), and the exports that may
/// run at once in this process: another gets 429 (an export of a long history reads every order
/// once, which a few at a time can afford).
#[derive(Clone)]
pub struct Exports {
    db: Database,
    ports: Ports,
    running: Arc<Semaphore>,
}

impl Exports {
    pub fn new(db: Database, ports: Ports) -> Exports {
        Exports { db, ports, running: Arc::new(Semaphore::new(2)) }
    }
}

const HEADER: &str = "subscription_id,state,product,plan,contact_email,contact_source,ordered_at,approval_deadline,assignee,steps_done,steps_total,project_id,organization_id\r\n";

/// The handler.
pub async fn orders_csv(
    Extension(exports): Extension<Exports>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let Some(viewer) = signed_in(&exports.ports, &headers).await else {
        return problem(StatusCode::UNAUTHORIZED, "Sign in to export orders.");
    };
    let query = InboxQuery::from_params(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let query = InboxQuery { after: None, ..query };
    let filter = match filter(&query, &viewer.id, crate::db::now_ms(), BATCH) {
        Ok(filter) => filter,
        Err(error) => return problem(StatusCode::UNPROCESSABLE_ENTITY, &error.to_string()),
    };
    let Ok(permit) = exports.running.clone().try_acquire_owned() else {
        let mut response =
            problem(StatusCode::TOO_MANY_REQUESTS, "Another export is running; try again shortly.");
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return response;
    };
    // The first batch before the answer: a database that fails now gets a clear 503, not a
    // cut-off file.
    let first = match inbox::inbox(&exports.db, &filter).await {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "the export could not read orders");
            return problem(StatusCode::SERVICE_UNAVAILABLE, "The orders could not be read; try again.");
        }
    };
    let db = exports.db.clone();
    let stream = futures::stream::unfold(Some((first, filter, true)), move |next| {
        let db = db.clone();
        async move {
            let (rows, mut filter, first) = next?;
            let mut chunk = String::with_capacity(rows.len() * 200 + HEADER.len());
            if first {
                chunk.push_str(HEADER);
            }
            for row in &rows {
                line(&mut chunk, row);
            }
            let more = usize::try_from(BATCH).is_ok_and(|batch| rows.len() == batch);
            let following = match rows.last() {
                Some(last) if more => {
                    filter.after = Some(position(&filter, last));
                    read(&db, &filter).await.map(|rows| (rows, filter, false))
                }
                _ => None,
            };
            Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), following))
        }
    });
    // The permit goes with the body: the export counts as running until its last byte.
    let stream = futures::StreamExt::map(stream, move |chunk| {
        let _running = &permit;
        chunk
    });
    let name = format!("attachment; filename=\"orders-{}.csv\"", today());
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The next batch; a failure ends the file where it is (the answer has started) and is logged.
async fn read(db: &Database, filter: &InboxFilter) -> Option<Vec<InboxDbRow>> {
    match inbox::inbox(db, filter).await {
        Ok(rows) if !rows.is_empty() => Some(rows),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(%error, "an export stopped: the orders could not be read");
            None
        }
    }
}

/// Where the next batch starts, in the view's order.
fn position(filter: &InboxFilter, last: &InboxDbRow) -> (i64, i64, String) {
    if filter.newest_first {
        (0, last.ordered_at_ms, last.subscription_id.clone())
    } else {
        (last.rank, last.deadline_ms, last.subscription_id.clone())
    }
}

/// The operator of the request's session cookie.
async fn signed_in(ports: &Ports, headers: &HeaderMap) -> Option<Operator> {
    let name = credential_cookie_name(SESSION_COOKIE, ports.secure_cookies);
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_string())?;
    ports.accounts.operator_for_session(&token).await.ok().flatten()
}

/// A plain-text answer for a request that gets no file.
fn problem(status: StatusCode, message: &str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], format!("{message}\n")).into_response()
}

/// One order as a CSV line.
fn line(out: &mut String, row: &InboxDbRow) {
    let steps_done = row.steps_done.to_string();
    let steps_total = row.steps_total.to_string();
    let cells = [
        row.subscription_id.as_str(),
        row.lifecycle_state_raw.as_str(),
        row.product_name.as_str(),
        if row.pricing_plan.is_empty() { row.plan_id.as_str() } else { row.pricing_plan.as_str() },
        row.contact_email.as_deref().unwrap_or_default(),
        row.contact_email_source.as_deref().unwrap_or_default(),
        &timestamp(row.ordered_at_ms),
        &timestamp(row.deadline_ms),
        row.assignee.as_deref().unwrap_or_default(),
        &steps_done,
        &steps_total,
        row.project_id.as_str(),
        row.organization_id.as_str(),
    ];
    for (i, value) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(out, value);
    }
    out.push_str("\r\n");
}

/// A cell as RFC 4180 writes it, with a formula's first character defused.
fn cell(out: &mut String, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = formula || value.contains([',', '"', '\n', '\r']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    out.push_str(&value.replace('"', "\"\""));
    if quoted {
        out.push('"');
    }
}

/// `2026-11-20T09:30:00Z`.
fn timestamp(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|at| at.replace_nanosecond(0).ok())
        .and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Today's date (UTC) for the file's name.
fn today() -> String {
    timestamp(crate::db::now_ms()).get(..10).unwrap_or("orders").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        for value in ["plain", "a,b", "say \"hi\"", "=HYPERLINK(\"x\")", "@SUM(A1)", "-1", "line\nbreak"] {
            cell(&mut out, value);
            out.push('|');
        }
        assert_eq!(
            out,
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"|\"'@SUM(A1)\"|\"'-1\"|\"line\nbreak\"|"
        );
    }

    #[test]
    fn times_are_utc_to_the_second() {
        assert_eq!(timestamp(1_763_631_000_123), "2025-11-20T09:30:00Z");
    }
}
