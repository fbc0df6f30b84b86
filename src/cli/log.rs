//! `goalpost log`: the audit trail of goal changes.

use super::common::{emit, formats, HistoryArgs};
use crate::app::log::{run as log, LogOptions};
use crate::error::Error;
use std::path::Path;

formats!(LogFormat { Text, Json });

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// Only changes committed at or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only changes committed at or before this date (a bare date includes the whole day).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only objectives and key results of this period.
    #[arg(long)]
    period: Option<String>,
    /// Only goalpost moves (start or target changed after the period began).
    #[arg(long)]
    moves: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: LogFormat,
    #[command(flatten)]
    history: HistoryArgs,
}

pub fn run(dir: &Path, args: LogArgs) -> Result<u8, Error> {
    let options = LogOptions {
        since: args.since,
        until: args.until,
        period: args.period,
        moves: args.moves,
        history: args.history.options(),
    };
    emit(&log(dir, &options)?, args.format)?;
    Ok(0)
}
