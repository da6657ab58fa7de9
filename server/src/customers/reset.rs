//! Password-reset requests answer alike whether or not the address has an account: the request
//! only records a job, the same work either way; the job looks the address up and, when it has an
//! account with fewer than three open links, mails a one-hour link.

use anyhow::Context as _;
use app::i18n::Locale;
use serde::{Deserialize, Serialize};

use crate::accounts::new_token;
use crate::db::customers as queries;
use crate::db::jobs::{self, NewJob};
use crate::db::{Database, now_ms};

/// The kind of job that answers one request.
pub const JOB_KIND: &str = "customer.reset_request";
/// How long the link in a password-reset mail works.
const RESET_LINK_MS: i64 = 60 * 60 * 1000;
/// Reset links mailed within their hour, at most: a stranger cannot flood someone's inbox.
const MAX_LIVE_RESET_LINKS: i64 = 3;

#[derive(Debug, Serialize, Deserialize)]
struct Request {
    email: String,
    locale: String,
}

/// The job for a request for `email`, whose mail is written in `locale`.
pub fn job(email: &str, locale: Locale) -> NewJob<'static> {
    let request = Request { email: email.trim().to_lowercase(), locale: locale.tag().to_string() };
    NewJob {
        kind: JOB_KIND,
        payload: serde_json::to_value(request).unwrap_or_default(),
        max_attempts: 5,
        dedupe_key: None,
    }
}

/// Answers one request: maybe a link and its mail, and the job done (payload forgotten), in one
/// transaction.
pub async fn run(
    db: &Database,
    origin: &str,
    payload: &str,
    job_id: &str,
    worker: &str,
) -> anyhow::Result<()> {
    let request: Request = serde_json::from_str(payload).context("unreadable reset request")?;
    let pool = db.pool();
    let mut link = None;
    if let Some(row) = queries::by_email(pool, &request.email).await? {
        // Its own cap: at most three open links; not the budget others' requests share, which
        // would tell whether the address has an account.
        if queries::live_tokens(pool, &row.id, "reset").await? < MAX_LIVE_RESET_LINKS {
            let (token, token_hash) = new_token();
            let locale = Locale::parse(&request.locale).unwrap_or_default();
            let url = format!("{origin}/my/reset?token={token}");
            link = Some((token_hash, row.id, crate::mail::Mail::reset_password(locale, &row.email, &url)));
        } else {
            tracing::warn!(customer = %row.id, "password reset asked again while links are still open");
        }
    }
    let mut tx = crate::db::begin(pool).await?;
    if let Some((token_hash, customer_id, mail)) = &link {
        queries::insert_token(&mut *tx, token_hash, customer_id, "reset", now_ms() + RESET_LINK_MS).await?;
        jobs::enqueue(&mut *tx, &mail.job()).await?;
    }
    // Another worker took the job over (this one's lease ran out): it answers, not this one.
    if !jobs::complete_and_clear(&mut *tx, job_id, worker).await? {
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}
