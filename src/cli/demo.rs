//! `goalpost demo`: build the example repository and show what goalpost makes of it.

use super::out;
use crate::error::Error;
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
    let repo = crate::app::demo::build(&target)?;
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
    let history_args = super::common::HistoryArgs::head();
    let now = super::common::AsOfArgs::default();
    let report = super::status::report(&repo, None, None, &history_args, &now)?;
    let _ = writeln!(
        text,
        "\ngoalpost status (the current quarter, as of the last commit):\n"
    );
    text.push_str(&crate::report::status_text::text(&report, out::color()));
    let (index, pages) = super::site::build(&repo, &repo.join("site"), &history_args, &now)?;
    let _ = writeln!(text, "\nStatus site ({pages} pages): {}", index.display());
    let shown = args.out.display();
    let _ = writeln!(text, "\nTry next:");
    for cmd in [
        "check",
        "status --period 2026-Q3",
        "history platform/reliability#p99 --period 2026-Q3",
        "log --moves",
        "review --base HEAD~30",
        "compare 2026-Q3 2026-Q4",
    ] {
        let _ = writeln!(text, "  goalpost -C {shown} {cmd}");
    }
    out::print(&text)?;
    Ok(0)
}
