//! `retro` and `completions`.

use super::common::{emit, AsOfArgs, HistoryArgs};
use super::out;
use crate::app::retro::RetroOptions;
use crate::error::Error;
use crate::report::Format;
use clap::CommandFactory;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct RetroArgs {
    /// The period to look back on.
    #[arg(long)]
    period: String,
    #[command(flatten)]
    history: HistoryArgs,
    #[command(flatten)]
    as_of: AsOfArgs,
}

pub fn retro(dir: &Path, args: RetroArgs) -> Result<u8, Error> {
    let options = RetroOptions {
        period: args.period,
        history: args.history.options(),
        as_of: args.as_of.as_of,
    };
    emit(&crate::app::retro::run(dir, &options)?, Format::Markdown)?;
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionsArgs) -> Result<u8, Error> {
    let mut cmd = super::Args::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "goalpost", &mut buf);
    out::print(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
