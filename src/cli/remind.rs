//! `goalpost remind`: per owner, the key results due for a check-in. Always exits 0.

use super::common::{emit, formats, AsOfArgs, HistoryArgs};
use crate::app::remind::{run as remind, RemindOptions};
use crate::error::Error;
use std::path::Path;

formats!(RemindFormat {
    Text,
    Markdown,
    Json
});

#[derive(Debug, clap::Args)]
pub struct RemindArgs {
    /// The period (default: the one containing --as-of).
    #[arg(long)]
    period: Option<String>,
    /// Output format (markdown: for a GitHub issue, with @mentions from [people]).
    #[arg(long, value_enum, default_value = "text")]
    format: RemindFormat,
    #[command(flatten)]
    history: HistoryArgs,
    #[command(flatten)]
    as_of: AsOfArgs,
}

pub fn run(dir: &Path, args: RemindArgs) -> Result<u8, Error> {
    let options = RemindOptions {
        period: args.period,
        history: args.history.options(),
        as_of: args.as_of.as_of,
    };
    emit(&remind(dir, &options)?, args.format)?;
    // A report, not a gate: due check-ins are not a failure.
    Ok(0)
}
