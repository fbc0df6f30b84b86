//! `goalpost log`: the audit trail of goal changes.

use super::common::{open_repo, parse_as_of, read_history, HistoryArgs};
use super::{out, require_format};
use crate::error::Error;
use crate::report::log::{build, text, LogFilter};
use crate::report::Format;
use std::path::Path;

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
    /// Output format: text or json.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    history: HistoryArgs,
}

/// A bare date as the start of that day (for --since).
fn start_of(text: &str) -> Result<jiff::Timestamp, Error> {
    match text.parse::<jiff::civil::Date>() {
        Ok(d) => d
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| Error::Usage(e.to_string())),
        Err(_) => parse_as_of(text),
    }
}

pub fn run(dir: &Path, args: LogArgs) -> Result<u8, Error> {
    require_format(args.format, &[Format::Text, Format::Json])?;
    let since = args.since.as_deref().map(start_of).transpose()?;
    let until = args.until.as_deref().map(parse_as_of).transpose()?;
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &args.history)?;
    history.require_since(
        since.unwrap_or(jiff::Timestamp::MIN),
        args.history.allow_shallow,
    )?;
    if let Some(p) = &args.period {
        history
            .config
            .periods
            .resolve(p)
            .map_err(|e| Error::Usage(e.to_string()))?;
    }
    let filter = LogFilter {
        since,
        until,
        period: args.period.as_deref(),
        moves_only: args.moves,
    };
    let report = build(&history, &filter);
    let output = match args.format {
        Format::Json => out::json(&report)?,
        _ => text(&report),
    };
    out::print(&output)?;
    Ok(0)
}
