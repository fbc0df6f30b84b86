//! `status`: progress of a period's objectives and KPIs, from history.

use super::common::{period_history, HistoryOptions};
use crate::error::Error;
use crate::report::status::{build, StatusQuery, StatusReport};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct StatusOptions {
    /// The period to report (default: the one containing `as_of`).
    pub period: Option<String>,
    /// Only this team (and the teams nested under it).
    pub team: Option<String>,
    /// Only what this owner owns.
    pub owner: Option<String>,
    pub history: HistoryOptions,
    /// `--as-of` as given.
    pub as_of: Option<String>,
}

/// The status report of the goal root found from `dir`.
pub fn run(dir: &Path, options: &StatusOptions) -> Result<StatusReport, Error> {
    let (repo, history, period, as_of) = period_history(
        dir,
        &options.history,
        options.period.as_deref(),
        options.as_of.as_deref(),
    )?;
    refuse_unknown_filters(&history, options)?;
    let query = StatusQuery {
        period: &period,
        as_of,
        team: options.team.as_deref(),
        owner: options.owner.as_deref(),
    };
    let mut report = build(&history, &query);
    // Broken files explain odd figures: count check's errors at the analysed revision.
    let mut snapshot = repo.load_at(repo.resolve(&options.history.rev)?)?;
    crate::check::run(&mut snapshot);
    report.check_errors = crate::load::diagnostic::tally(&snapshot.diagnostics).0;
    Ok(report)
}

/// A `--team` or `--owner` that names nobody in the whole history is a typo, not an empty
/// report: say so instead of "No objectives".
fn refuse_unknown_filters(
    history: &crate::history::History,
    options: &StatusOptions,
) -> Result<(), Error> {
    let goals = &history.goals;
    if let Some(team) = options.team.as_deref() {
        let known = goals
            .objectives
            .iter()
            .any(|o| crate::report::status::in_team(&o.team, Some(team)));
        if !known {
            return Err(Error::Usage(format!(
                "no team `{team}` in the goal files\nhelp: teams are the folders under each period, e.g. `platform` or `platform/identity`"
            )));
        }
    }
    if let Some(owner) = options.owner.as_deref() {
        let known = goals.objectives.iter().any(|o| o.owned_by(owner))
            || goals.kpis.iter().any(|k| k.owner.as_deref() == Some(owner));
        if !known {
            return Err(Error::Usage(format!(
                "nobody called `{owner}` owns an objective, key result or KPI"
            )));
        }
    }
    Ok(())
}
