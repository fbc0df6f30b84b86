//! `goalpost diff <rev-a> [<rev-b>]`: semantic changes between two revisions (default
//! `<rev-b>`: the working tree).

use super::common::{emit, formats};
use crate::app::diff::{run as diff, DiffOptions};
use crate::error::Error;
use std::path::Path;

formats!(DiffFormat {
    Text,
    Json,
    Markdown
});

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old revision.
    rev_a: String,
    /// The new revision (default: the working tree).
    rev_b: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// When the change counts as made, for goalpost moves (default: rev-b's commit time, or
    /// now for the working tree).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
}

pub fn run(dir: &Path, args: DiffArgs) -> Result<u8, Error> {
    let options = DiffOptions {
        rev_a: args.rev_a,
        rev_b: args.rev_b,
        as_of: args.as_of,
    };
    emit(&diff(dir, &options)?, args.format)?;
    Ok(0)
}
