//! `remind`: who should check in, from the status report of one period.

use super::common::{as_of, choose_period, open_repo, read_history, HistoryOptions};
use crate::error::Error;
use crate::model::forecast::period_bounds;
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
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &options.history)?;
    let as_of = as_of(options.as_of.as_deref(), &history)?;
    let period = choose_period(
        &history.config,
        &history.goals.period_names(),
        options.period.as_deref(),
        as_of,
    )?;
    let start = period_bounds(&period).0;
    history.require_since(start, options.history.allow_shallow)?;
    let query = StatusQuery {
        period: &period,
        as_of,
        team: None,
        owner: None,
    };
    let status = build(&history, &query);
    Ok(remind(&status, start, history.config.people.as_ref()))
}
