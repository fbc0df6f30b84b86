//! `goalpost demo`: build the example repository and show what goalpost makes of it.

use super::out;
use crate::error::Error;
use crate::model::objective_score;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Where to build the demo repository (replaced if an earlier demo is there).
    #[arg(long, default_value = "goalpost-demo")]
    out: PathBuf,
}

pub fn run(dir: &Path, args: DemoArgs) -> Result<u8, Error> {
    let target = dir.join(&args.out);
    let repo = crate::demo::build(&target)?;
    let (_, loaded, files) = super::check::check_workspace(&repo)?;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Built the demo goal repository in {}\n",
        repo.display()
    );
    let _ = writeln!(
        text,
        "goalpost check: {}",
        crate::report::diagnostics::summary(&loaded.diagnostics, files)
    );
    for d in &loaded.diagnostics {
        let severity = if d.is_error() { "error" } else { "warning" };
        let _ = writeln!(
            text,
            "  {}:{}:{}: {severity}[{}] {}",
            d.file, d.line, d.column, d.code, d.message
        );
    }
    let _ = writeln!(text, "\nObjectives:");
    for o in &loaded.goals.objectives {
        let _ = writeln!(
            text,
            "  {:<40} {:>5.2}  {} ({}, {})",
            o.qualified_id(),
            objective_score(&o.key_results),
            o.title,
            o.owner,
            o.kind.as_str()
        );
    }
    let _ = writeln!(text, "\nTry: goalpost -C {} check", repo.display());
    out::print(&text)?;
    Ok(0)
}
