//! `goalpost compare <period-a> <period-b>`: one period against another.

use super::common::{emit, formats};
use crate::app::compare::{run as compare, CompareOptions};
use crate::error::Error;
use std::path::Path;

formats!(CompareFormat {
    Text,
    Json,
    Markdown
});

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
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: CompareFormat,
    /// Neither read nor write the history index (`<git dir>/goalpost/`): walk all of history.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(dir: &Path, args: CompareArgs) -> Result<u8, Error> {
    let options = CompareOptions {
        period_a: args.period_a,
        period_b: args.period_b,
        rev: args.rev,
        as_of: args.as_of,
        no_cache: args.no_cache,
    };
    emit(&compare(dir, &options)?, args.format)?;
    Ok(0)
}
