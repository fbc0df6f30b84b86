//! `goalpost check`: validate every file and lint OKR practice.

use super::common::{emit, formats};
use crate::error::Error;
use std::path::Path;

formats!(CheckFormat {
    Text,
    Json,
    Github,
    Sarif
});

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format (github: workflow annotations; sarif: SARIF 2.1.0 for code scanning).
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
}

pub fn run(dir: &Path, args: CheckArgs) -> Result<u8, Error> {
    let report = crate::app::check::run(dir)?;
    emit(&report, args.format)?;
    Ok(u8::from(report.has_errors()))
}
