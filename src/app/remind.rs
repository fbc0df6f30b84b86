//! `remind`: who should check in, from the status report of one period.

use super::common::{period_history, HistoryOptions};
use crate::error::Error;
use crate::report::remind::{build as remind, RemindReport};
use crate::report::status::{build, StatusQuery};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct RemindOptions {
    /// The period (default: the one containing `as_of`).
    pub period: Option<String>,
    pub history: HistoryOptions,
    /// `--as-of` as given.
    pub as_of: Option<String>,
}

/// The reminders of the goal root found from `dir`.
pub fn run(dir: &Path, options: &RemindOptions) -> Result<RemindReport, Error> {
    let (_, history, period, as_of) = period_history(
        dir,
        &options.history,
        options.period.as_deref(),
        options.as_of.as_deref(),
    )?;
    let query = StatusQuery {
        period: &period,
        as_of,
        team: None,
        owner: None,
    };
    let status = build(&history, &query);
    Ok(remind(&status, &period, history.config.people.as_ref()))
}
