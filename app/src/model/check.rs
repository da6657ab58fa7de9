//! The set-up check (`orderdesk check`, Settings → "Check the set-up"): one line per link of the
//! chain from configuration to STACKIT, mail, webhook and database, with what to do when it fails.

use serde::{Deserialize, Serialize};

/// How one line of the check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckOutcome {
    /// It works.
    Pass,
    /// It works, but something deserves a look (e.g. mail is only captured).
    Warn,
    /// It does not work: going live would fail here.
    Fail,
    /// Not checked, because an earlier line failed or the option is off.
    Skipped,
}

impl CheckOutcome {
    /// The word the command line prints (`PASS`, `WARN`, `FAIL`, `SKIP`).
    pub fn word(self) -> &'static str {
        match self {
            CheckOutcome::Pass => "PASS",
            CheckOutcome::Warn => "WARN",
            CheckOutcome::Fail => "FAIL",
            CheckOutcome::Skipped => "SKIP",
        }
    }
}

/// One line: what was checked, how it came out, what was found and, when it failed, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    /// The link of the chain (1 configuration … 7 database).
    pub step: u8,
    pub what: String,
    pub outcome: CheckOutcome,
    pub detail: String,
    pub advice: Option<String>,
}

/// The whole check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub lines: Vec<CheckLine>,
}

impl CheckReport {
    /// True when no line failed: going live may proceed (the command's exit status 0).
    pub fn passed(&self) -> bool {
        self.lines.iter().all(|line| line.outcome != CheckOutcome::Fail)
    }
}
