//! The links on this side: the configuration (step 1) and the database with its jobs and syncs
//! (step 7).

use app::i18n::CheckText;
use app::model::CheckOutcome;

use super::Lines;
use crate::config::Config;
use crate::db::{Database, now_ms};

/// Step 1: the settings parsed (or this would not run), the public address, the secrets.
pub(super) fn configuration(config: &Config, lines: &mut Lines) {
    let read = lines.t(CheckText::ConfigurationRead);
    lines.pass(1, CheckText::Configuration, read);
    match config.public_url.as_deref().map(reqwest::Url::parse) {
        None => {
            let detail = lines.t(CheckText::NotSet);
            lines.fail(1, CheckText::PublicUrl, detail, CheckText::PublicUrlMissing);
        }
        Some(Err(error)) => {
            lines.fail(1, CheckText::PublicUrl, error.to_string(), CheckText::PublicUrlMissing)
        }
        Some(Ok(url)) if url.scheme() == "https" => lines.pass(1, CheckText::PublicUrl, url.to_string()),
        Some(Ok(url)) if is_loopback(&url) => {
            let detail = format!("{url} ({})", lines.t(CheckText::Loopback));
            lines.add(1, CheckText::PublicUrl, CheckOutcome::Warn, detail, Some(CheckText::PublicUrlPlain));
        }
        Some(Ok(url)) => lines.fail(1, CheckText::PublicUrl, url.to_string(), CheckText::PublicUrlPlain),
    }
    if config.webhook_url.is_some() && config.webhook_secret.is_none() {
        let detail = format!("ORDERDESK_WEBHOOK_SECRET: {}", lines.t(CheckText::NotSet));
        lines.fail(1, CheckText::Secrets, detail, CheckText::SecretMissing);
    } else {
        let detail = lines.t(CheckText::SecretsPresent);
        lines.pass(1, CheckText::Secrets, detail);
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Jobs due longer than this mean no process is working them.
const STUCK_MS: i64 = 10 * 60_000;

/// Step 7: engine and version, migrations, the jobs, the last sync.
pub(super) async fn database(db: &Database, lines: &mut Lines) {
    let ready = db.is_ready().await;
    match (db.describe().await, ready) {
        (Ok((engine, version, migrations)), true) => {
            let n = migrations.to_string();
            let detail =
                lines.f(CheckText::DatabaseReady, &[("engine", engine), ("version", &version), ("n", &n)]);
            lines.pass(7, CheckText::Database, detail);
        }
        (Ok((engine, version, _)), false) => {
            lines.fail(7, CheckText::Database, format!("{engine} {version}"), CheckText::DatabaseNotReady);
            return;
        }
        (Err(error), _) => {
            lines.fail(7, CheckText::Database, error.to_string(), CheckText::DatabaseNotReady);
            return;
        }
    }
    let now = now_ms();
    match crate::db::gauges::oldest_waiting_job(db.pool()).await {
        Ok(oldest) => {
            let age = oldest.map_or(0, |due| (now - due).max(0));
            let due = crate::db::gauges::jobs_by_kind_and_state(db.pool())
                .await
                .map(|rows| {
                    rows.iter().filter(|(_, state, _)| state == "queued").map(|(_, _, n)| n).sum::<i64>()
                })
                .unwrap_or(0);
            let age_text = format!("{} s", age / 1000);
            let detail = lines.f(CheckText::JobsFine, &[("due", &due.to_string()), ("age", &age_text)]);
            if age > STUCK_MS {
                lines.fail(7, CheckText::Jobs, detail, CheckText::JobsStuck);
            } else {
                lines.pass(7, CheckText::Jobs, detail);
            }
        }
        Err(error) => lines.fail(7, CheckText::Jobs, error.to_string(), CheckText::DatabaseNotReady),
    }
    match crate::db::leases::last_run(db.pool()).await {
        Ok(None) => {
            let detail = lines.t(CheckText::SyncNever);
            lines.add(7, CheckText::LastSync, CheckOutcome::Warn, detail, None);
        }
        Ok(Some(run)) => {
            let when = app::i18n::relative(lines.locale, run.started_at_ms, now);
            let outcome = run.error.clone().unwrap_or_else(|| lines.t(CheckText::SyncOk));
            let detail =
                lines.f(CheckText::SyncAt, &[("kind", &run.kind), ("when", &when), ("outcome", &outcome)]);
            if run.error.is_some() {
                lines.fail(7, CheckText::LastSync, detail, CheckText::SyncFailedAdvice);
            } else {
                lines.pass(7, CheckText::LastSync, detail);
            }
        }
        Err(error) => lines.fail(7, CheckText::LastSync, error.to_string(), CheckText::DatabaseNotReady),
    }
}
