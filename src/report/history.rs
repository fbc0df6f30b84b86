//! `history <id>`: every point and field change of one objective, key result or KPI.

use super::escape::terminal;
use crate::history::{Entry, History, ItemHistory};
use crate::model::changes::{ChangeKind, FieldValue};
use crate::model::clock::DatetimeColumn;
use jiff::Timestamp;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct HistoryReport {
    pub id: String,
    /// `objective`, `key_result` or `kpi`.
    pub kind: &'static str,
    pub title: Option<String>,
    pub partial: bool,
    pub points: Vec<PointView>,
    pub changes: Vec<ChangeView>,
    /// The repository's zone (`[site] timezone`): text shows times in it.
    #[serde(skip)]
    pub tz: jiff::tz::TimeZone,
}

#[derive(Debug, Serialize)]
pub struct PointView {
    pub commit: String,
    pub time: Timestamp,
    pub value: crate::history::PointValue,
    /// True for a dated check-in from the file (its time is its date).
    pub dated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One logged change with its commit: the shape `history` and `log` print. `commit`,
/// `author`, `email` and `summary` are the commit that made the change (on a merged branch,
/// the branch's commit); `time`, `landed_in` and `landed_by` the first-parent commit that
/// brought it in (SPEC section 4: a change counts when it lands).
#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub commit: String,
    pub time: Timestamp,
    pub author: String,
    pub landed_in: String,
    pub landed_by: String,
    pub email: String,
    pub summary: String,
    pub kind: ChangeKind,
    /// The objective, key result or KPI the change is about.
    pub id: String,
    pub field: Option<String>,
    pub from: Option<FieldValue>,
    pub to: Option<FieldValue>,
    /// `start` or `target` changed after the period began.
    pub goalpost_move: bool,
    /// ... and it lowered the bar.
    pub easier: bool,
    /// The move's effect on the objective's score (measured values held fixed).
    pub effect: f64,
    /// The move's effect on the period score.
    pub period_effect: f64,
    /// One line, for people.
    pub description: String,
}

impl ChangeView {
    pub fn new(e: Entry) -> Self {
        let (c, change) = (e.origin, e.change);
        ChangeView {
            commit: c.id.clone(),
            time: e.landed.time,
            author: c.author.clone(),
            landed_in: e.landed.id.clone(),
            landed_by: e.landed.author.clone(),
            email: c.email.clone(),
            summary: c.summary.clone(),
            kind: change.kind,
            id: change.id.clone(),
            field: change.field.clone(),
            from: change.from.clone(),
            to: change.to.clone(),
            goalpost_move: change.goalpost_move,
            easier: change.easier,
            effect: change.effect,
            period_effect: change.period_effect,
            description: format!("{} {}", change.id, super::diff::describe(change)),
        }
    }
}

impl ChangeView {
    /// `  (landed in <commit> by <name>)` when a merge brought the change in, else empty.
    pub fn landing(&self) -> String {
        if self.landed_in == self.commit {
            return String::new();
        }
        format!(
            "  (landed in {} by {})",
            crate::history::short_id(&self.landed_in),
            self.landed_by
        )
    }
}

pub fn build(
    history: &History,
    id: &str,
    kind: &'static str,
    item: &ItemHistory,
    title: Option<String>,
) -> HistoryReport {
    let points = item
        .points
        .iter()
        .map(|p| PointView {
            commit: history.commits[p.commit].id.clone(),
            time: p.time,
            value: p.value,
            dated: p.dated,
            note: p.note.clone(),
        })
        .collect();
    let changes = item
        .changes
        .iter()
        .map(|l| {
            ChangeView::new(Entry {
                origin: history.origin(l.commit, &l.change),
                landed: &history.commits[l.commit],
                change: &l.change,
            })
        })
        .collect();
    HistoryReport {
        id: id.to_string(),
        kind,
        title,
        partial: history.partial,
        points,
        changes,
        tz: history.config.tz().clone(),
    }
}

fn describe(c: &ChangeView, own_id: &str) -> String {
    let subject = if c.id == own_id {
        String::new()
    } else {
        format!("{} ", c.id.rsplit('#').next().unwrap_or(&c.id))
    };
    let parts = super::diff::ChangeParts {
        kind: c.kind,
        field: c.field.as_deref(),
        from: &c.from,
        to: &c.to,
        goalpost_move: c.goalpost_move,
        easier: c.easier,
        effect: c.effect,
    };
    super::diff::describe_parts(&parts, &subject)
}

pub fn text(r: &HistoryReport) -> String {
    let mut out = String::new();
    let title = r
        .title
        .as_deref()
        .map(|t| format!(" — {}", terminal(t)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}){title}",
        terminal(&r.id),
        r.kind.replace('_', " ")
    );
    if r.partial {
        let _ = writeln!(out, "partial: the shallow clone cuts this history");
    }
    let times = r.changes.iter().map(|c| c.time);
    let column = DatetimeColumn::new(times.chain(r.points.iter().map(|p| p.time)), &r.tz);
    let _ = writeln!(out, "\nChanges ({}):", r.changes.len());
    for c in &r.changes {
        let _ = writeln!(
            out,
            "  {}  {}  {:<16}  {}{}",
            column.cell(c.time),
            crate::history::short_id(&c.commit),
            terminal(&c.author),
            terminal(&describe(c, &r.id)),
            terminal(&c.landing())
        );
    }
    let _ = writeln!(out, "\nValues ({}):", r.points.len());
    for p in &r.points {
        let value = match p.value {
            crate::history::PointValue::Number(n) => {
                crate::model::number_literal((n * 10_000.0).round() / 10_000.0)
            }
            crate::history::PointValue::Done(d) => {
                if d {
                    "done".into()
                } else {
                    "not done".into()
                }
            }
        };
        let dated = if p.dated { "  (dated check-in)" } else { "" };
        let note = p
            .note
            .as_deref()
            .map(|n| format!("  “{}”", terminal(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {}  {value}{dated}{note}",
            column.cell(p.time),
            crate::history::short_id(&p.commit)
        );
    }
    out
}

impl super::Render for HistoryReport {
    fn text(&self, _style: super::Style) -> Option<String> {
        Some(text(self))
    }
    super::serde_json_render!();
}
