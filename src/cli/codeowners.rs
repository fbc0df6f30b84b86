//! `goalpost codeowners`: refresh the goalpost block of CODEOWNERS.

use super::out;
use crate::app::codeowners::{run as codeowners, CodeownersOptions};
use crate::error::Error;
use crate::report::escape::terminal;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct CodeownersArgs {
    /// Print the new CODEOWNERS instead of writing it.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(dir: &Path, args: CodeownersArgs) -> Result<u8, Error> {
    let report = codeowners(
        dir,
        &CodeownersOptions {
            dry_run: args.dry_run,
        },
    )?;
    let mut text = if args.dry_run {
        report.text.clone()
    } else if report.changed {
        format!("wrote {}\n", terminal(&report.path.display().to_string()))
    } else {
        format!(
            "{} is up to date\n",
            terminal(&report.path.display().to_string())
        )
    };
    if !report.unreachable.is_empty() {
        let names: Vec<String> = report.unreachable.iter().map(|n| terminal(n)).collect();
        text.push_str(&format!(
            "note: no GitHub handle in [people] for {}: their folders have no owner line\n",
            names.join(", ")
        ));
    }
    out::print(&text)?;
    Ok(0)
}
