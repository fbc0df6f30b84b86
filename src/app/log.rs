//! `log`: the audit trail of goal changes.

use super::common::HistoryOptions;
use super::common::{open_repo, parse_as_of, parse_start_of, read_history, resolve_period};
use crate::error::Error;
use crate::report::log::{build, LogFilter, LogReport};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct LogOptions {
    /// Only changes committed at or after this date (a bare date: from its start).
    pub since: Option<String>,
    /// Only changes committed at or before this date (a bare date includes the whole day).
    pub until: Option<String>,
    /// Only objectives and key results of this period.
    pub period: Option<String>,
    /// Only goalpost moves.
    pub moves: bool,
    pub history: HistoryOptions,
}

pub fn run(dir: &Path, options: &LogOptions) -> Result<LogReport, Error> {
    let since = options.since.as_deref().map(parse_start_of).transpose()?;
    let until = options.until.as_deref().map(parse_as_of).transpose()?;
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &options.history)?;
    history.require_since(
        since.unwrap_or(jiff::Timestamp::MIN),
        options.history.allow_shallow,
    )?;
    if let Some(p) = &options.period {
        resolve_period(&history.config, p, &history.goals.period_names())?;
    }
    let filter = LogFilter {
        since,
        until,
        period: options.period.as_deref(),
        moves_only: options.moves,
    };
    let mut report = build(&history, &filter);
    // A commit that only broke or fixed a file changed no goal, so the history did not keep
    // its author: ask git.
    for f in report.file_errors.iter_mut().filter(|f| f.author.is_none()) {
        f.author = repo
            .resolve(&f.commit)
            .and_then(|id| repo.commit_info(id))
            .ok()
            .map(|c| c.author);
    }
    Ok(report)
}
