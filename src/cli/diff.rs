//! `goalpost diff <rev-a> [<rev-b>]`: semantic changes between two revisions (default
//! `<rev-b>`: the working tree).

use super::common::{open_repo, parse_as_of};
use super::{out, require_format};
use crate::error::Error;
use crate::report::diff::{markdown_report, text, DiffReport};
use crate::report::Format;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old revision.
    rev_a: String,
    /// The new revision (default: the working tree).
    rev_b: Option<String>,
    /// Output format: text, markdown or json.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// When the change counts as made, for goalpost moves (default: rev-b's commit time, or
    /// now for the working tree).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

pub fn run(dir: &Path, args: DiffArgs) -> Result<u8, Error> {
    require_format(args.format, &[Format::Text, Format::Json, Format::Markdown])?;
    let root = crate::app::workspace::find_root(dir)?;
    let repo = open_repo(dir)?;
    let a = repo.resolve(&args.rev_a)?;
    let old = repo.load_at(a)?;
    let (new, to, at) = match &args.rev_b {
        Some(rev) => {
            let b = repo.resolve(rev)?;
            (repo.load_at(b)?, rev.clone(), repo.commit_info(b)?.time)
        }
        None => {
            let ws = crate::app::workspace::read_workspace(&root)?;
            (
                ws.load(),
                "working tree".to_string(),
                jiff::Timestamp::now(),
            )
        }
    };
    let at = match &args.as_of {
        Some(t) => parse_as_of(t)?,
        None => at,
    };
    let changes = crate::model::diff::diff(&old.goals, &new.goals, &new.config.periods, at);
    let report = DiffReport {
        from: args.rev_a.clone(),
        to,
        changes,
    };
    let output = match args.format {
        Format::Json => out::json(&report)?,
        Format::Markdown => markdown_report(&report),
        _ => text(&report),
    };
    out::print(&output)?;
    Ok(0)
}
