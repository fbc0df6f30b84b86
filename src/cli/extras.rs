//! `retro`, `completions` and `man`.

use super::common::{as_of, open_repo, read_history, AsOfArgs, HistoryArgs};
use super::out;
use crate::error::Error;
use crate::model::forecast::period_bounds;
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
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &args.history)?;
    let period = history
        .config
        .periods
        .resolve(&args.period)
        .map_err(|e| Error::Usage(e.to_string()))?;
    history.require_since(period_bounds(&period).0, args.history.allow_shallow)?;
    let now = as_of(&args.as_of, &history)?;
    out::print(&crate::report::retro::markdown_retro(
        &history, &period, now,
    ))?;
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

pub fn man() -> Result<u8, Error> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(super::Args::command())
        .render(&mut buf)
        .map_err(|e| Error::Usage(e.to_string()))?;
    out::print(&String::from_utf8_lossy(&buf))?;
    Ok(0)
}
