//! `goalpost rollover <from> <to>`: carry unachieved objectives into the next period.

use super::out;
use crate::app::rollover::{run as rollover, RolloverOptions, Step};
use crate::error::Error;
use crate::report::escape::terminal;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct RolloverArgs {
    /// The period that ends.
    from: String,
    /// The period that follows.
    to: String,
    /// Print the plan only; write nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(dir: &Path, args: RolloverArgs) -> Result<u8, Error> {
    let options = RolloverOptions {
        from: args.from,
        to: args.to,
        dry_run: args.dry_run,
    };
    let report = rollover(dir, &options)?;
    let verb = if report.dry_run {
        "would carry"
    } else {
        "carried"
    };
    let mut text = String::new();
    for step in &report.steps {
        let _ = match step {
            Step::Carry {
                id,
                file,
                score,
                finished,
            } => {
                let left = if finished.is_empty() {
                    String::new()
                } else {
                    format!("; finished, not carried: {}", finished.join(", "))
                };
                writeln!(
                    text,
                    "{verb}  {} (score {score:.2}) -> {}{}",
                    terminal(id),
                    terminal(file),
                    terminal(&left)
                )
            }
            Step::Stay { id, score } => writeln!(
                text,
                "stays     {} (achieved, score {score:.2})",
                terminal(id)
            ),
            Step::Exists { id, file } => writeln!(
                text,
                "skipped   {}: {} already exists (not overwritten)",
                terminal(id),
                terminal(file)
            ),
        };
    }
    if report.dry_run {
        text.push_str("dry run: nothing was written\n");
    }
    out::print(&text)?;
    Ok(0)
}
