//! `review`: the pull-request comment: goalpost moves with the commits that made them,
//! progress deltas, the semantic diff, and `check` findings on the changed files. Every
//! value from the files is escaped, and the comment stays under 60 KB.

use super::escape::{markdown, markdown_code as code};
use crate::load::diagnostic::Diagnostic;
use crate::model::changes::Change;
use serde::Serialize;
use std::fmt::Write as _;

/// GitHub rejects comments over 65,536 characters; stay well below.
pub const MAX_BYTES: usize = 60_000;

#[derive(Debug, Serialize)]
pub struct Move {
    pub id: String,
    pub title: String,
    pub field: String,
    pub from: String,
    pub to: String,
    pub easier: bool,
    pub commit: String,
    pub author: String,
    pub time: jiff::Timestamp,
    /// Where the moved value now sits, for annotations.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Serialize)]
pub struct Delta {
    pub id: String,
    pub title: String,
    pub before: f64,
    pub after: f64,
}

#[derive(Debug, Serialize)]
pub struct ReviewReport {
    pub base: String,
    pub head: String,
    pub moves: Vec<Move>,
    pub progress: Vec<Delta>,
    pub changes: Vec<Change>,
    pub diagnostics: Vec<Diagnostic>,
    /// The goal root's path inside the git work tree (for annotations).
    #[serde(skip)]
    pub prefix: String,
}

impl super::Render for ReviewReport {
    fn markdown(&self) -> Option<String> {
        Some(markdown_comment(self))
    }
    fn github(&self) -> Option<String> {
        Some(github(self, &self.prefix))
    }
    super::serde_json_render!();
}

impl ReviewReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The comment with at most `limit` rows per section.
fn render(r: &ReviewReport, limit: usize) -> String {
    let mut out = String::from("## goalpost review\n\n");
    let easier = r.moves.iter().filter(|m| m.easier).count();
    let (errors, warnings) = crate::load::diagnostic::tally(&r.diagnostics);
    let _ = writeln!(
        out,
        "{} between {} and {} · {} ({} easier) · check: {}, {}\n",
        plural(r.changes.len(), "goal change"),
        code(&r.base),
        code(&r.head),
        plural(r.moves.len(), "goalpost move"),
        easier,
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    let more = |out: &mut String, n: usize| {
        if n > limit {
            let _ = writeln!(out, "\n… and {} more.", n - limit);
        }
    };
    if !r.moves.is_empty() {
        out.push_str("### ⚠️ Goalposts moved after the period began\n\n| key result | change | | commit | by |\n|---|---|---|---|---|\n");
        for m in r.moves.iter().take(limit) {
            let verdict = if m.easier { "**easier**" } else { "harder" };
            let _ = writeln!(
                out,
                "| {} {} | {} {} → {} | {verdict} | {} | {} |",
                code(&m.id),
                markdown(&m.title),
                markdown(&m.field),
                markdown(&m.from),
                markdown(&m.to),
                code(crate::history::short_id(&m.commit)),
                markdown(&m.author)
            );
        }
        more(&mut out, r.moves.len());
        out.push('\n');
    }
    if !r.progress.is_empty() {
        out.push_str(
            "### Progress\n\n| key result | before | after | change |\n|---|---|---|---|\n",
        );
        for d in r.progress.iter().take(limit) {
            let _ = writeln!(
                out,
                "| {} {} | {:.2} | {:.2} | {:+.2} |",
                code(&d.id),
                markdown(&d.title),
                d.before,
                d.after,
                d.after - d.before
            );
        }
        more(&mut out, r.progress.len());
        out.push('\n');
    }
    out.push_str("### Changes\n\n");
    if r.changes.is_empty() {
        out.push_str("No goal changes.\n");
    } else {
        out.push_str(&super::diff::markdown_table(&r.changes, limit));
    }
    if !r.diagnostics.is_empty() {
        out.push_str("\n### Check findings on the changed files\n\n");
        for d in r.diagnostics.iter().take(limit) {
            let severity = if d.is_error() { "error" } else { "warning" };
            let _ = writeln!(
                out,
                "- {} **{severity}[{}]** {}",
                code(&format!("{}:{}:{}", d.file, d.line, d.column)),
                d.code,
                markdown(&d.message)
            );
        }
        more(&mut out, r.diagnostics.len());
    }
    out
}

/// The Markdown comment, cut down (with "and N more") until it fits in [`MAX_BYTES`].
pub fn markdown_comment(r: &ReviewReport) -> String {
    let mut limit = usize::MAX;
    loop {
        let text = render(r, limit);
        if text.len() <= MAX_BYTES || limit == 0 {
            return text;
        }
        let longest = [
            r.moves.len(),
            r.progress.len(),
            r.changes.len(),
            r.diagnostics.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        limit = limit.min(longest) / 2;
    }
}

/// Workflow annotations: the check findings, and a warning on every easier goalpost move.
pub fn github(r: &ReviewReport, prefix: &str) -> String {
    let mut out = super::diagnostics::github(&r.diagnostics, prefix);
    for m in r.moves.iter().filter(|m| m.easier) {
        let message = format!("{} {} moved from {} to {} after the period began, in {} by {}: the key result became easier", m.id, m.field, m.from, m.to, crate::history::short_id(&m.commit), m.author);
        let _ = writeln!(
            out,
            "::warning file={},line={},col={},title=goalpost goalpost-moved::{}",
            super::escape::github_property(&format!("{prefix}{}", m.file)),
            m.line,
            m.column,
            super::escape::github_data(&message)
        );
    }
    out
}
