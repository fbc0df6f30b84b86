//! `goalpost review --base <rev> [--head <rev>]`: the pull-request review summary.

use super::common::{emit, formats};
use crate::app::review::{run as review, ReviewOptions};
use crate::error::Error;
use std::path::Path;

formats!(ReviewFormat {
    Markdown,
    Github,
    Json
});

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The pull request's base (the target branch, e.g. origin/main).
    #[arg(long)]
    base: String,
    /// The pull request's head.
    #[arg(long, default_value = "HEAD")]
    head: String,
    /// Output format: markdown (the comment), github (annotations) or json.
    #[arg(long, value_enum, default_value = "markdown")]
    format: ReviewFormat,
    /// Accept a shallow clone whose history is cut.
    #[arg(long)]
    allow_shallow: bool,
    /// Neither read nor write the history index (`<git dir>/goalpost/`): walk all of history.
    #[arg(long)]
    no_cache: bool,
}

pub fn run(dir: &Path, args: ReviewArgs) -> Result<u8, Error> {
    let options = ReviewOptions {
        base: args.base,
        head: args.head,
        allow_shallow: args.allow_shallow,
        no_cache: args.no_cache,
    };
    let report = review(dir, &options)?;
    emit(&report, args.format)?;
    Ok(u8::from(report.errors() > 0))
}
