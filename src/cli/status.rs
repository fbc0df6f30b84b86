//! `goalpost status`: progress of a period's objectives and KPIs, from history.

use super::common::{as_of, choose_period, open_repo, read_history, AsOfArgs, HistoryArgs};
use super::{out, require_format};
use crate::error::Error;
use crate::model::forecast::period_bounds;
use crate::report::status::{build, StatusQuery, StatusReport};
use crate::report::{status_text, Format};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The period to report (default: the one containing --as-of).
    #[arg(long)]
    period: Option<String>,
    /// Only this team (and the teams nested under it).
    #[arg(long)]
    team: Option<String>,
    /// Output format: text or json.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    history: HistoryArgs,
    #[command(flatten)]
    as_of: AsOfArgs,
}

/// The status report of the goal root found from `dir`.
pub fn report(
    dir: &Path,
    period: Option<&str>,
    team: Option<&str>,
    args: &HistoryArgs,
    now: &AsOfArgs,
) -> Result<StatusReport, Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, args)?;
    let as_of = as_of(now, &history)?;
    let period = choose_period(
        &history.config,
        &history.goals.period_names(),
        period,
        as_of,
    )?;
    history.require_since(period_bounds(&period).0, args.allow_shallow)?;
    let query = StatusQuery {
        period: &period,
        as_of,
        team,
    };
    let mut report = build(&history, &query);
    // Broken files explain odd figures: count check's errors at the analysed revision.
    let mut snapshot = repo.load_at(repo.resolve(&args.rev)?)?;
    crate::check::run(&mut snapshot);
    report.check_errors = crate::check::tally(&snapshot.diagnostics).0;
    Ok(report)
}

pub fn run(dir: &Path, args: StatusArgs) -> Result<u8, Error> {
    require_format(args.format, &[Format::Text, Format::Json])?;
    let report = report(
        dir,
        args.period.as_deref(),
        args.team.as_deref(),
        &args.history,
        &args.as_of,
    )?;
    let text = match args.format {
        Format::Json => out::json(&report)?,
        _ => status_text::text(&report, out::color()),
    };
    out::print(&text)?;
    Ok(0)
}
