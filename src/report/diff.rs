//! `diff`: the semantic changes between two revisions, as text, Markdown and JSON.

use super::escape::{markdown, markdown_code, terminal};
use crate::model::changes::{Change, ChangeKind, FieldValue};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct DiffReport {
    pub from: String,
    pub to: String,
    pub changes: Vec<Change>,
}

impl DiffReport {
    pub fn goalpost_moves(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.goalpost_move)
    }
}

/// A field's value for people; `(none)` when the field was absent.
pub fn show(v: &Option<FieldValue>) -> String {
    v.as_ref().map_or("(none)".into(), ToString::to_string)
}

fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::ObjectiveAdded | ChangeKind::KrAdded | ChangeKind::KpiAdded => "+",
        ChangeKind::ObjectiveRemoved | ChangeKind::KrRemoved | ChangeKind::KpiRemoved => "-",
        ChangeKind::ObjectiveMoved => ">",
        ChangeKind::FieldChanged | ChangeKind::ConfigChanged => "~",
    }
}

/// One line describing a change, without the id.
pub fn describe(c: &Change) -> String {
    describe_parts(&ChangeParts::of(c), "")
}

/// What [`describe_parts`] needs of a change (a [`Change`] or a logged change view).
pub struct ChangeParts<'a> {
    pub kind: ChangeKind,
    pub field: Option<&'a str>,
    pub from: &'a Option<FieldValue>,
    pub to: &'a Option<FieldValue>,
    pub goalpost_move: bool,
    pub easier: bool,
    pub effect: f64,
}

impl<'a> ChangeParts<'a> {
    pub fn of(c: &'a Change) -> Self {
        ChangeParts {
            kind: c.kind,
            field: c.field.as_deref(),
            from: &c.from,
            to: &c.to,
            goalpost_move: c.goalpost_move,
            easier: c.easier,
            effect: c.effect,
        }
    }
}

/// The marker of a goalpost move: easier or not, and its effect on the objective's score
/// when it has one.
pub fn flag(goalpost_move: bool, easier: bool, effect: f64) -> String {
    match (goalpost_move, easier) {
        (true, true) => format!("  ⚑ {}", move_label(easier, effect)),
        (true, false) => format!("  ({})", move_label(easier, effect)),
        _ => String::new(),
    }
}

/// The words of a goalpost move without decoration: `goalpost moved: easier, score +0.10`
/// (the site's badge).
pub fn move_label(easier: bool, effect: f64) -> String {
    let effect = if effect == 0.0 {
        String::new()
    } else {
        format!(", score {effect:+.2}")
    };
    let way = if easier { "easier" } else { "harder" };
    format!("goalpost moved: {way}{effect}")
}

/// The one wording of a change: `subject` (empty, or the key result's id and a space)
/// before field changes and additions or removals.
pub fn describe_parts(c: &ChangeParts, subject: &str) -> String {
    let flag = flag(c.goalpost_move, c.easier, c.effect);
    match (c.kind, c.field) {
        (ChangeKind::FieldChanged | ChangeKind::ConfigChanged, Some(field)) => {
            format!("{subject}{field}: {} → {}{flag}", show(c.from), show(c.to))
        }
        (ChangeKind::ObjectiveMoved, _) => {
            format!("moved: {} → {}{flag}", show(c.from), show(c.to))
        }
        (kind, _) => format!("{subject}{}{flag}", kind.as_str().replace('_', " ")),
    }
}

pub fn text(r: &DiffReport) -> String {
    let mut out = String::new();
    let moves = r.goalpost_moves().filter(|c| c.easier).count();
    let _ = writeln!(
        out,
        "goalpost diff {} → {}: {}, {}",
        terminal(&r.from),
        terminal(&r.to),
        super::plural(r.changes.len(), "change"),
        super::plural(moves, "easier goalpost move"),
    );
    for c in &r.changes {
        let _ = writeln!(
            out,
            "{} {}  {}",
            sign(c.kind),
            terminal(&c.id),
            terminal(&describe(c))
        );
    }
    out
}

/// Markdown body: a table of changes; every value from the files is escaped.
pub fn markdown_table(changes: &[Change], limit: usize) -> String {
    let mut out = String::from("| | id | change |\n|---|---|---|\n");
    for c in changes.iter().take(limit) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            sign(c.kind),
            markdown_code(&c.id),
            markdown(&describe(c))
        );
    }
    if changes.len() > limit {
        let _ = writeln!(out, "\n… and {} more changes.", changes.len() - limit);
    }
    out
}

pub fn markdown_report(r: &DiffReport) -> String {
    let mut out = format!(
        "### Goal changes: {} → {}\n\n",
        markdown_code(&r.from),
        markdown_code(&r.to)
    );
    if r.changes.is_empty() {
        out.push_str("No goal changes.\n");
    } else {
        out.push_str(&markdown_table(&r.changes, usize::MAX));
    }
    out
}

impl super::Render for DiffReport {
    fn text(&self, _style: super::Style) -> Option<String> {
        Some(text(self))
    }
    fn markdown(&self) -> Option<String> {
        Some(markdown_report(self))
    }
    super::serde_json_render!();
}
