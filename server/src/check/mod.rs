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

    /// Every line, in the order of the chain.
    pub async fn run(&self, locale: Locale) -> CheckReport {
        let mut lines = Lines { locale, lines: Vec::new() };
        local::configuration(&self.config, &mut lines);
        stackit::marketplace(&self.config, &self.db, &mut lines).await;
        stackit::signup_url(&self.config, &mut lines).await;
        delivery::mail(&self.config, &self.db, &mut lines).await;
        delivery::webhook(&self.config, &mut lines).await;
        local::database(&self.db, &mut lines).await;
        CheckReport { lines: lines.lines }
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
