//! `goalpost history <id>`: every change to one objective, key result or KPI.

use super::common::{emit, formats, HistoryArgs};
use crate::app::history::{run as history, HistoryCmdOptions};
use crate::error::Error;
use std::path::Path;

formats!(HistoryFormat { Text, Json });

#[derive(Debug, clap::Args)]
pub struct HistoryCmdArgs {
    /// An objective (`platform/reliability` or `2026-Q4/platform/reliability`), a key result
    /// (`platform/reliability#p99`) or a KPI (`api-availability`).
    id: String,
    /// The period, when the id is not qualified and exists in several periods (default: the one containing the analysed commit's date)
    #[arg(long)]
    period: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: HistoryFormat,
    #[command(flatten)]
    history: HistoryArgs,
}

pub fn run(dir: &Path, args: HistoryCmdArgs) -> Result<u8, Error> {
    let options = HistoryCmdOptions {
        id: args.id,
        period: args.period,
        history: args.history.options(),
    };
    emit(&history(dir, &options)?, args.format)?;
    Ok(0)
}
