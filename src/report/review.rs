//! `review`: the pull-request comment: goalpost moves with the commits that made them,
//! progress deltas, the semantic diff, and `check` findings on the changed files. Every
//! value from the files is escaped, and the comment stays under 60 KB.

use super::escape::{markdown, markdown_code as code};
use super::plural;
use crate::load::diagnostic::Diagnostic;
use crate::model::changes::{Change, ChangeKind};
use serde::Serialize;
use std::fmt::Write as _;

/// GitHub rejects comments over 65,536 characters; stay well below.
pub const MAX_BYTES: usize = 60_000;

/// A change the pull request is answerable for, with the commit that made it (on a merged
/// branch, the branch's commit) and the first-parent commit that landed it: what a move
/// and a late result both show.
#[derive(Debug, Serialize)]
pub struct Credited {
    pub id: String,
    pub title: String,
    pub kind: ChangeKind,
    pub field: String,
    pub from: String,
    pub to: String,
    pub commit: String,
    pub author: String,
    pub landed_in: String,
    pub landed_by: String,
    pub time: jiff::Timestamp,
    /// Where the value sits in the head revision, for annotations.
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl Credited {
    /// The table cells every credited row ends with: commit, author, landing.
    fn commit_cells(&self, title_max: usize) -> String {
        format!(
            "{} | {} | {}",
            code(crate::history::short_id(&self.commit)),
            markdown(&shorten(&self.author, title_max.max(20))),
            landed(&self.commit, &self.landed_in, &self.landed_by),
        )
    }

    /// The item cell: id and (shortened) title.
    fn item_cell(&self, title_max: usize) -> String {
        format!(
            "{} {}",
            code(&self.id),
            markdown(&shorten(&self.title, title_max))
        )
    }

    /// `in <commit> by <author>` and, when a merge landed it, the landing, for messages.
    fn provenance(&self) -> String {
        let landing = if self.landed_in == self.commit {
            String::new()
        } else {
            format!(
                " (landed in {} by {})",
                crate::history::short_id(&self.landed_in),
                self.landed_by
            )
        };
        format!(
            "in {} by {}{landing}",
            crate::history::short_id(&self.commit),
            self.author
        )
    }
}

/// A goalpost move the pull request makes.
#[derive(Debug, Serialize)]
pub struct Move {
    #[serde(flatten)]
    pub change: Credited,
    pub easier: bool,
    /// Effect on the objective's score (measured values held fixed).
    pub effect: f64,
    /// Effect on the period score.
    pub period_effect: f64,
}

/// A closed period's result rewritten after the period ended
/// (`model::moves::rewrites_closed_result`): a key result's measured value, or an
/// objective added or removed.
#[derive(Debug, Serialize)]
pub struct LateResult {
    #[serde(flatten)]
    pub change: Credited,
    /// The day the period ended (its last day).
    pub period_end: String,
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
    /// A shallow clone cut the range and `--allow-shallow` accepted it: moves may be missing.
    pub partial: bool,
    /// HEAD is GitHub's synthetic merge of the pull request into the base; changes are
    /// credited to the pull request's own commits.
    pub synthetic_merge: bool,
    pub moves: Vec<Move>,
    /// Results of ended periods that the pull request changes.
    pub late_results: Vec<LateResult>,
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

/// The landing cell: the first-parent commit and who landed it, when a merge brought the
/// move in; empty when the commit that made it landed it.
fn landed(commit: &str, landed_in: &str, landed_by: &str) -> String {
    if landed_in == commit {
        return String::new();
    }
    format!(
        "{} by {}",
        code(crate::history::short_id(landed_in)),
        markdown(landed_by)
    )
}

/// A section of credited rows (moves, late results): nothing without rows; `rows` are the
/// rows shown of `total`, and the rest are counted as "… and N more {rest}".
fn credited_section(out: &mut String, head: &str, (rows, total): (&[String], usize), rest: &str) {
    if total == 0 {
        return;
    }
    out.push_str(head);
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    if total > rows.len() {
        let _ = writeln!(out, "\n… and {} more {rest}.", total - rows.len());
    }
    out.push('\n');
}

/// What changed, for a table cell: `field from → to`, or the kind of change.
fn change_cell(kind: ChangeKind, field: &str, from: &str, to: &str) -> String {
    match kind {
        ChangeKind::FieldChanged | ChangeKind::ConfigChanged | ChangeKind::ObjectiveMoved => {
            format!("{} {} → {}", markdown(field), markdown(from), markdown(to))
        }
        kind => kind.as_str().replace('_', " "),
    }
}

/// `text` cut to `max` characters (with `…`).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

/// The comment with at most `limit` rows in the sections other than the moves (which are
/// cut only at `move_limit`), and titles cut to `title_max` characters.
fn render(r: &ReviewReport, limit: usize, move_limit: usize, title_max: usize) -> String {
    let mut out = String::from("## goalpost review\n\n");
    let easier = r.moves.iter().filter(|m| m.easier).count();
    let (errors, warnings) = crate::load::diagnostic::tally(&r.diagnostics);
    let late = match r.late_results.len() {
        0 => String::new(),
        n => format!(" · {} of ended periods changed", plural(n, "result")),
    };
    let _ = writeln!(
        out,
        "{} between {} and {} · {} ({} easier){late} · check: {}, {}\n",
        plural(r.changes.len(), "goal change"),
        code(&r.base),
        code(&r.head),
        plural(r.moves.len(), "goalpost move"),
        easier,
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if r.partial {
        out.push_str("> **Partial review**: the shallow clone cuts the pull request's history (`--allow-shallow`); moves may be missing. Fetch with `fetch-depth: 0`.\n\n");
    }
    if r.synthetic_merge {
        out.push_str("HEAD is the pull request merged into the base: changes are credited to the pull request's own commits.\n\n");
    }
    let more = |out: &mut String, n: usize| {
        if n > limit {
            let _ = writeln!(out, "\n… and {} more.", n - limit);
        }
    };
    let moves: Vec<String> = r
        .moves
        .iter()
        .take(move_limit)
        .map(|m| {
            let verdict = if m.easier { "**easier**" } else { "harder" };
            let c = &m.change;
            format!(
                "| {} | {} | {verdict} | {:+.2} (period {:+.2}) | {} |",
                c.item_cell(title_max),
                change_cell(c.kind, &c.field, &c.from, &c.to),
                m.effect,
                m.period_effect,
                c.commit_cells(title_max),
            )
        })
        .collect();
    credited_section(
        &mut out,
        "### ⚠️ Goalposts moved after the period began\n\n| item | change | | score | commit | by | landed |\n|---|---|---|---|---|---|---|\n",
        (&moves, r.moves.len()),
        "moves (`goalpost log --moves` lists all)",
    );
    // Cut only with the moves: padding a pull request must not push these out.
    let late: Vec<String> = r
        .late_results
        .iter()
        .take(move_limit)
        .map(|l| {
            let c = &l.change;
            format!(
                "| {} | {} | {} | {} |",
                c.item_cell(title_max),
                change_cell(c.kind, &c.field, &c.from, &c.to),
                l.period_end,
                c.commit_cells(title_max),
            )
        })
        .collect();
    credited_section(
        &mut out,
        "### ⚠️ Results changed after the period ended\n\nThese rewrite a closed period's final score or hit rate: accept them only as late measurements of that period.\n\n| item | change | period ended | commit | by | landed |\n|---|---|---|---|---|---|\n",
        (&late, r.late_results.len()),
        "(`goalpost log` lists all)",
    );
    if !r.progress.is_empty() {
        out.push_str(
            "### Progress\n\n| key result | before | after | change |\n|---|---|---|---|\n",
        );
        for d in r.progress.iter().take(limit) {
            let _ = writeln!(
                out,
                "| {} {} | {:.2} | {:.2} | {:+.2} |",
                code(&d.id),
                markdown(&shorten(&d.title, title_max)),
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
        out.push_str("\n### Check findings the pull request caused\n\n");
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

/// The Markdown comment, cut down until it fits in [`MAX_BYTES`]: titles are shortened
/// first, then the other sections lose rows ("and N more"); the moves lose rows only when
/// nothing else is left to cut.
pub fn markdown_comment(r: &ReviewReport) -> String {
    for title_max in [usize::MAX, 80, 24, 0] {
        let text = render(r, usize::MAX, usize::MAX, title_max);
        if text.len() <= MAX_BYTES {
            return text;
        }
    }
    let mut limit = usize::MAX;
    loop {
        let text = render(r, limit, usize::MAX, 0);
        if text.len() <= MAX_BYTES {
            return text;
        }
        if limit == 0 {
            return last_resort(r);
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

/// Only the moves fit no more: as many as fit, with the count of the others.
fn last_resort(r: &ReviewReport) -> String {
    let mut moves = r.moves.len();
    loop {
        let text = render(r, 0, moves, 0);
        if text.len() <= MAX_BYTES || moves == 0 {
            return text;
        }
        moves /= 2;
    }
}

/// Workflow annotations: the check findings, a warning on every easier goalpost move and
/// on every result of an ended period the pull request rewrites.
pub fn github(r: &ReviewReport, prefix: &str) -> String {
    let mut out = super::diagnostics::github(&r.diagnostics, prefix);
    let mut annotate = |c: &Credited, title: &str, message: String| {
        let _ = writeln!(
            out,
            "::warning file={},line={},col={},title=goalpost {title}::{}",
            super::escape::github_property(&format!("{prefix}{}", c.file)),
            c.line,
            c.column,
            super::escape::github_data(&message)
        );
    };
    for m in r.moves.iter().filter(|m| m.easier) {
        let c = &m.change;
        let message = format!(
            "{} {} moved from {} to {} after the period began, {}: the bar is lower, score {:+.2}",
            c.id,
            c.field,
            c.from,
            c.to,
            c.provenance(),
            m.effect
        );
        annotate(c, "goalpost-moved", message);
    }
    for l in &r.late_results {
        let c = &l.change;
        let what = match c.kind {
            ChangeKind::FieldChanged => format!("{} changed from {} to {}", c.field, c.from, c.to),
            kind => kind.as_str().replace('_', " "),
        };
        let message = format!(
            "{} {what} after its period ended on {}, {}: this rewrites a closed period's result",
            c.id,
            l.period_end,
            c.provenance(),
        );
        annotate(c, "result-after-period-end", message);
    }
    out
}
