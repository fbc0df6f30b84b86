//! `demo`: what was built, what check and status make of it, and what to try next.

use super::status::StatusReport;
use crate::load::diagnostic::Diagnostic;
use std::fmt::Write as _;
use std::path::PathBuf;

pub struct DemoReport {
    /// The demo repository.
    pub repo: PathBuf,
    /// `--out` as the user gave it, for the suggested commands.
    pub shown: String,
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
    pub status: StatusReport,
    pub site_index: PathBuf,
    pub site_pages: usize,
}

impl super::Render for DemoReport {
    fn text(&self, style: super::Style) -> Option<String> {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "Built the demo goal repository in {}\n",
            self.repo.display()
        );
        let _ = writeln!(
            text,
            "goalpost check: {}",
            super::diagnostics::summary(&self.diagnostics, self.files)
        );
        for d in &self.diagnostics {
            let severity = if d.is_error() { "error" } else { "warning" };
            let _ = writeln!(
                text,
                "  {}:{}:{}: {severity}[{}] {}",
                d.file, d.line, d.column, d.code, d.message
            );
        }
        let _ = writeln!(
            text,
            "\ngoalpost status (the current quarter, as of the last commit):\n"
        );
        text.push_str(&super::status_text::text(&self.status, style.color));
        let _ = writeln!(
            text,
            "\nStatus site ({} pages): {}",
            self.site_pages,
            self.site_index.display()
        );
        // The README's first command is `cargo run --release -- demo`: goalpost may not be on
        // the PATH yet, so say what stands in for it.
        let _ = writeln!(
            text,
            "\nTry next (not installed yet? type `cargo run --release --` for `goalpost`):"
        );
        for cmd in [
            "check",
            "status --period 2026-Q3",
            "history platform/reliability#p99 --period 2026-Q3",
            "log --moves",
            "review --base HEAD~30",
            "compare 2026-Q3 2026-Q4",
        ] {
            let _ = writeln!(text, "  goalpost -C {} {cmd}", self.shown);
        }
        Some(text)
    }
}
