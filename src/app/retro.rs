//! `retro`: the end-of-period retrospective.

use super::common::{as_of, open_repo, read_history, resolve_period, HistoryOptions};
use crate::error::Error;
use crate::model::forecast::period_bounds;
use crate::report::retro::RetroReport;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct RetroOptions {
    /// The period to look back on.
    pub period: String,
    pub history: HistoryOptions,
    pub as_of: Option<String>,
}

pub fn run(dir: &Path, options: &RetroOptions) -> Result<RetroReport, Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &options.history)?;
    let period = resolve_period(
        &history.config,
        &options.period,
        &history.goals.period_names(),
    )?;
    history.require_since(period_bounds(&period).0, options.history.allow_shallow)?;
    let as_of = as_of(options.as_of.as_deref(), &history)?;
    Ok(RetroReport {
        history,
        period,
        as_of,
    })
}
