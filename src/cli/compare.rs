//! `goalpost compare <period-a> <period-b>`: one period against another.

use super::common::{open_repo, parse_as_of};
use super::{out, require_format};
use crate::error::Error;
use crate::model::forecast::period_bounds;
use crate::report::compare::{build, markdown_report, text};
use crate::report::Format;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The earlier period, e.g. 2026-Q3.
    period_a: String,
    /// The later period, e.g. 2026-Q4.
    period_b: String,
    /// The revision whose goal files are compared.
    #[arg(long, default_value = "HEAD")]
    rev: String,
    /// "Now", to tell which periods are over (default: the revision's commit time).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Output format: text, markdown or json.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(dir: &Path, args: CompareArgs) -> Result<u8, Error> {
    require_format(args.format, &[Format::Text, Format::Json, Format::Markdown])?;
    let repo = open_repo(dir)?;
    let head = repo.resolve(&args.rev)?;
    let loaded = repo.load_at(head)?;
    let now = match &args.as_of {
        Some(t) => parse_as_of(t)?,
        None => repo.commit_info(head)?.time,
    };
    let periods = &loaded.config.periods;
    let resolve = |p: &str| periods.resolve(p).map_err(|e| Error::Usage(e.to_string()));
    let (a, b) = (resolve(&args.period_a)?, resolve(&args.period_b)?);
    let over = |p: &crate::model::Period| now >= period_bounds(p).1;
    let report = build(
        &loaded.goals,
        &a.name,
        &b.name,
        loaded.config.success,
        over(&a),
        over(&b),
    );
    let output = match args.format {
        Format::Json => out::json(&report)?,
        Format::Markdown => markdown_report(&report),
        _ => text(&report),
    };
    out::print(&output)?;
    Ok(0)
}
