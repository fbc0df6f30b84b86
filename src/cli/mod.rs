//! The command line: the only clap user. Each subcommand resolves its flags and calls the
//! library; output goes through [`out`] so a closed pipe is not a panic.

mod author;
mod bench;
mod cache;
mod check;
mod checkin;
mod codeowners;
pub mod common;
mod compare;
mod demo;
mod diff;
mod extras;
mod history;
mod log;
mod man;
pub mod out;
mod remind;
mod review;
mod rollover;
mod schema;
mod site;
mod status;

use crate::error::Error;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "goalpost", version, about = "Goals (OKRs and KPIs) as plain text in git", long_about = None)]
pub struct Args {
    /// Run as if goalpost was started in DIR.
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a goal repository: configuration, an example objective, hooks and schemas.
    Init(author::InitArgs),
    /// Create a new objective or KPI file from a template, valid at once.
    New(author::NewArgs),
    /// Record a key result's or KPI's value, changing only that line (and commit it with
    /// --commit); many at once with --from.
    Checkin(checkin::CheckinArgs),
    /// Per owner, the key results that are stale or have had no check-in this period.
    Remind(remind::RemindArgs),
    /// Carry the objectives of one period that were not achieved into the next.
    Rollover(rollover::RolloverArgs),
    /// Write the goalpost block of CODEOWNERS from team folders and [people].
    Codeowners(codeowners::CodeownersArgs),
    /// Validate every goal file; exit 0 when clean (warnings allowed), 1 on errors.
    Check(check::CheckArgs),
    /// Progress of a period's objectives and KPIs, from history.
    Status(status::StatusArgs),
    /// Every change to one objective, key result or KPI, commit by commit.
    History(history::HistoryCmdArgs),
    /// The audit trail: every goal change in history, with commit, author and time.
    Log(log::LogArgs),
    /// Semantic changes between two revisions (default rev-b: the working tree).
    Diff(diff::DiffArgs),
    /// The Markdown review comment for a pull request (exit 1 when check finds errors).
    Review(review::ReviewArgs),
    /// One period against another: carried over, new, dropped, hit rates, calibration.
    Compare(compare::CompareArgs),
    /// The end-of-period retrospective in Markdown.
    Retro(extras::RetroArgs),
    /// Build the static status site (dashboards, alignment tree, burn-up charts, audit pages).
    Site(site::SiteArgs),
    /// Build the example repository, with history, from the built-in sample.
    Demo(demo::DemoArgs),
    /// Print the JSON Schema of objective, KPI or goalpost.toml files (for Taplo).
    Schema(schema::SchemaArgs),
    /// Print shell completions.
    Completions(extras::CompletionsArgs),
    /// Print the man page (roff), or write every page into a folder with --dir.
    Man(man::ManArgs),
    /// Time full history analysis against `git log --raw` on a synthetic repository.
    Bench(bench::BenchArgs),
    /// Manage the history index: `cache clear` removes it.
    Cache(cache::CacheArgs),
}

pub fn parse() -> Args {
    Args::parse()
}

/// Runs a parsed command line; the exit code on success (check returns 1 on errors).
pub fn run(args: Args) -> Result<u8, Error> {
    let dir = match args.dir {
        Some(d) => d,
        None => std::env::current_dir().map_err(|e| Error::io(std::path::Path::new("."), e))?,
    };
    match args.command {
        Command::Check(a) => check::run(&dir, a),
        Command::Demo(a) => demo::run(&dir, a),
        Command::Schema(a) => schema::run(a),
        Command::Bench(a) => bench::run(&dir, a),
        Command::Cache(a) => cache::run(&dir, a),
        Command::Diff(a) => diff::run(&dir, a),
        Command::Log(a) => log::run(&dir, a),
        Command::Compare(a) => compare::run(&dir, a),
        Command::Review(a) => review::run(&dir, a),
        Command::Init(a) => author::init(&dir, a),
        Command::New(a) => author::new(&dir, a),
        Command::Checkin(a) => checkin::run(&dir, a),
        Command::Remind(a) => remind::run(&dir, a),
        Command::Rollover(a) => rollover::run(&dir, a),
        Command::Codeowners(a) => codeowners::run(&dir, a),
        Command::Retro(a) => extras::retro(&dir, a),
        Command::Completions(a) => extras::completions(a),
        Command::Man(a) => man::run(&dir, a),
        Command::Site(a) => site::run(&dir, a),
        Command::Status(a) => status::run(&dir, a),
        Command::History(a) => history::run(&dir, a),
    }
}
