//! `goalpost status`: progress of a period's objectives and KPIs, from history.

use super::common::{emit, formats, AsOfArgs, HistoryArgs};
use crate::app::status::{run as status, StatusOptions};
use crate::error::Error;
use std::path::Path;

formats!(StatusFormat { Text, Json });

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The period to report (default: the one containing --as-of).
    #[arg(long)]
    period: Option<String>,
    /// Only this team (and the teams nested under it).
    #[arg(long)]
    team: Option<String>,
    /// Only the objectives and key results NAME owns (a key result's own `owner`, else
    /// its objective's), and NAME's KPIs.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: StatusFormat,
    #[command(flatten)]
    history: HistoryArgs,
    #[command(flatten)]
    as_of: AsOfArgs,
}

pub fn run(dir: &Path, args: StatusArgs) -> Result<u8, Error> {
    let options = StatusOptions {
        period: args.period,
        team: args.team,
        owner: args.owner,
        history: args.history.options(),
        as_of: args.as_of.as_of,
    };
    emit(&status(dir, &options)?, args.format)?;
    Ok(0)
}
