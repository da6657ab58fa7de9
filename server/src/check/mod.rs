//! The set-up check: one pass through every link between a fresh deployment and a working
//! Marketplace integration (configuration, STACKIT's key flow, the vendor project, the sign-up
//! redirect, mail, the webhook, the database), each line saying what it checked, how it came
//! out and, when it failed, what to do, in the reader's language. Run by `orderdesk check` (its
//! exit status gates a deployment) and from Settings. It changes nothing and sends no mail; the
//! webhook receives a signed `ping`.

mod delivery;
mod local;
mod stackit;

use app::i18n::{CheckText, Locale};
use app::model::{CheckLine, CheckOutcome, CheckReport};

use crate::config::Config;
use crate::db::Database;

/// What the check reads: the configuration this process runs with, and its database.
#[derive(Clone)]
pub struct SetupCheck {
    config: Config,
    db: Database,
}

impl SetupCheck {
    pub fn new(config: &Config, db: &Database) -> Self {
        SetupCheck { config: config.clone(), db: db.clone() }
    }

    /// Every line, in the order of the chain. The links are tried at once, each within its own
    /// time budget, so that the whole check answers within the request timeout however many
    /// links hang.
    pub async fn run(&self, locale: Locale) -> CheckReport {
        let (config, db) = (&self.config, &self.db);
        let mut first = Lines::new(locale);
        local::configuration(config, &mut first);
        let (stackit, signup, mail, webhook, database) = tokio::join!(
            within(locale, 2, CheckText::VendorProject, 20, |mut l| async move {
                stackit::marketplace(config, db, &mut l).await;
                l
            }),
            within(locale, 4, CheckText::SignupUrl, 12, |mut l| async move {
                stackit::signup_url(config, &mut l).await;
                l
            }),
            within(locale, 5, CheckText::Mail, 15, |mut l| async move {
                delivery::mail(config, db, &mut l).await;
                l
            }),
            within(locale, 6, CheckText::Webhook, 12, |mut l| async move {
                delivery::webhook(config, &mut l).await;
                l
            }),
            within(locale, 7, CheckText::Database, 10, |mut l| async move {
                local::database(db, &mut l).await;
                l
            }),
        );
        let mut lines = first.lines;
        for section in [stackit, signup, mail, webhook, database] {
            lines.extend(section);
        }
        CheckReport { lines }
    }
}

/// The lines of one link, or one failing line when it takes longer than `secs` seconds.
async fn within<F, Fut>(locale: Locale, step: u8, what: CheckText, secs: u64, work: F) -> Vec<CheckLine>
where
    F: FnOnce(Lines) -> Fut,
    Fut: std::future::Future<Output = Lines>,
{
    match tokio::time::timeout(std::time::Duration::from_secs(secs), work(Lines::new(locale))).await {
        Ok(done) => done.lines,
        Err(_) => {
            let mut late = Lines::new(locale);
            let detail = late.f(CheckText::TookTooLong, &[("secs", &secs.to_string())]);
            late.fail(step, what, detail, CheckText::Unreachable);
            late.lines
        }
    }
}

/// The report as the command line prints it: one line per check, advice indented below.
pub fn as_text(report: &CheckReport) -> String {
    let mut out = String::new();
    for line in &report.lines {
        out.push_str(&format!("{} {} {}: {}\n", line.step, line.outcome.word(), line.what, line.detail));
        if let Some(advice) = &line.advice {
            out.push_str(&format!("       -> {advice}\n"));
        }
    }
    out
}

/// The lines so far, in one language.
struct Lines {
    locale: Locale,
    lines: Vec<CheckLine>,
}

impl Lines {
    fn new(locale: Locale) -> Self {
        Lines { locale, lines: Vec::new() }
    }

    fn t(&self, text: CheckText) -> String {
        self.locale.t(text).to_string()
    }

    fn f(&self, text: CheckText, values: &[(&str, &str)]) -> String {
        let shown: Vec<(&str, &dyn std::fmt::Display)> =
            values.iter().map(|(name, value)| (*name, value as &dyn std::fmt::Display)).collect();
        self.locale.f(text, &shown)
    }

    fn add(
        &mut self,
        step: u8,
        what: CheckText,
        outcome: CheckOutcome,
        detail: String,
        advice: Option<CheckText>,
    ) {
        let advice = advice.map(|a| self.t(a));
        self.add_advised(step, what, outcome, detail, advice);
    }

    fn add_advised(
        &mut self,
        step: u8,
        what: CheckText,
        outcome: CheckOutcome,
        detail: String,
        advice: Option<String>,
    ) {
        let what = self.t(what);
        self.lines.push(CheckLine { step, what, outcome, detail, advice });
    }

    fn pass(&mut self, step: u8, what: CheckText, detail: String) {
        self.add(step, what, CheckOutcome::Pass, detail, None);
    }

    fn fail(&mut self, step: u8, what: CheckText, detail: String, advice: CheckText) {
        self.add(step, what, CheckOutcome::Fail, detail, Some(advice));
    }

    fn skip(&mut self, step: u8, what: CheckText) {
        let detail = self.t(CheckText::Skipped);
        self.add(step, what, CheckOutcome::Skipped, detail, None);
    }
}
