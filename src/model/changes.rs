//! Field-by-field comparison of two versions of one objective or KPI. Pure: history uses it
//! commit by commit, and the semantic diff between two revisions uses it too.

use super::{Checkin, CheckinValue, KeyResult, Kpi, Measure, Objective};
use serde::Serialize;

/// What kind of change (the SPEC's `diff` kinds, plus KPI additions and removals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ObjectiveAdded,
    ObjectiveRemoved,
    ObjectiveMoved,
    KrAdded,
    KrRemoved,
    FieldChanged,
    KpiAdded,
    KpiRemoved,
    /// A setting of `goalpost.toml` that feeds scores (`scoring.success`,
    /// `periods.<name>.start`, `periods.<name>.end`, `periods.<name>`).
    ConfigChanged,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ObjectiveAdded => "objective_added",
            ChangeKind::ObjectiveRemoved => "objective_removed",
            ChangeKind::ObjectiveMoved => "objective_moved",
            ChangeKind::KrAdded => "kr_added",
            ChangeKind::KrRemoved => "kr_removed",
            ChangeKind::FieldChanged => "field_changed",
            ChangeKind::KpiAdded => "kpi_added",
            ChangeKind::KpiRemoved => "kpi_removed",
            ChangeKind::ConfigChanged => "config_changed",
        }
    }
}

/// A field's value, as shown in change logs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl std::fmt::Display for FieldValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldValue::Number(n) => write!(f, "{}", crate::model::number_literal(*n)),
            FieldValue::Bool(b) => write!(f, "{b}"),
            FieldValue::Text(t) => write!(f, "\"{t}\""),
        }
    }
}

/// One change. `id` is the qualified objective id, `<objective>#<kr>` for key results,
/// or the KPI id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub id: String,
    pub field: Option<String>,
    pub from: Option<FieldValue>,
    pub to: Option<FieldValue>,
    /// A change to an input of a score other than a measured value, after its period
    /// began (docs/scoring.md, "Goalpost moves"; the rule is in `model::moves`).
    pub goalpost_move: bool,
    /// A goalpost move that lowered the bar.
    pub easier: bool,
    /// The change in the objective's score this move makes alone, measured values held
    /// fixed (0 for other changes), rounded to 4 decimals.
    pub effect: f64,
    /// The same, on the period score (the mean over the period's objectives).
    pub period_effect: f64,
}

impl Change {
    pub fn new(kind: ChangeKind, id: &str) -> Self {
        Change {
            kind,
            id: id.to_string(),
            field: None,
            from: None,
            to: None,
            goalpost_move: false,
            easier: false,
            effect: 0.0,
            period_effect: 0.0,
        }
    }

    /// A change of `field` from `from` to `to`.
    pub fn field(id: &str, field: &str, from: Option<FieldValue>, to: Option<FieldValue>) -> Self {
        Change {
            kind: ChangeKind::FieldChanged,
            id: id.to_string(),
            field: Some(field.to_string()),
            from,
            to,
            goalpost_move: false,
            easier: false,
            effect: 0.0,
            period_effect: 0.0,
        }
    }

    /// Changes `kind` (the field keeps its values).
    pub fn with_kind(mut self, kind: ChangeKind) -> Self {
        self.kind = kind;
        self
    }
}

fn text(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(s.to_string()))
}

fn opt_text(s: &Option<String>) -> Option<FieldValue> {
    s.as_deref().and_then(text)
}

fn num(n: Option<f64>) -> Option<FieldValue> {
    n.map(FieldValue::Number)
}

/// Pushes a field change when the two values differ.
fn compare(
    out: &mut Vec<Change>,
    id: &str,
    field: &str,
    a: Option<FieldValue>,
    b: Option<FieldValue>,
) {
    if a != b {
        out.push(Change::field(id, field, a, b));
    }
}

/// [`compare`] for text: compares the borrowed strings and allocates only for a change.
fn compare_text(out: &mut Vec<Change>, id: &str, field: &str, a: &str, b: &str) {
    if a != b {
        out.push(Change::field(id, field, text(a), text(b)));
    }
}

/// [`compare`] for optional text, allocating only for a change.
fn compare_opt_text(
    out: &mut Vec<Change>,
    id: &str,
    field: &str,
    a: &Option<String>,
    b: &Option<String>,
) {
    if a != b {
        out.push(Change::field(id, field, opt_text(a), opt_text(b)));
    }
}

/// Changes from `old` to `new` (either may be absent: added or removed).
pub fn objective_changes(old: Option<&Objective>, new: Option<&Objective>) -> Vec<Change> {
    let mut out = Vec::new();
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => out.push(Change::new(ChangeKind::ObjectiveAdded, &n.qualified_id())),
        (Some(o), None) => out.push(Change::new(ChangeKind::ObjectiveRemoved, &o.qualified_id())),
        (Some(o), Some(n)) => {
            let id = n.qualified_id();
            if o.file != n.file {
                let mut c = Change::new(ChangeKind::ObjectiveMoved, &id);
                c.field = Some("file".into());
                c.from = text(&o.file);
                c.to = text(&n.file);
                out.push(c);
            }
            compare_text(&mut out, &id, "title", &o.title, &n.title);
            compare_text(&mut out, &id, "owner", &o.owner, &n.owner);
            compare_text(&mut out, &id, "kind", o.kind.as_str(), n.kind.as_str());
            compare_opt_text(&mut out, &id, "parent", &o.parent, &n.parent);
            compare_opt_text(
                &mut out,
                &id,
                "carried_from",
                &o.carried_from,
                &n.carried_from,
            );
            compare_text(&mut out, &id, "description", &o.description, &n.description);
            key_result_changes(&mut out, &id, &o.key_results, &n.key_results);
        }
    }
    out
}

fn key_result_changes(
    out: &mut Vec<Change>,
    objective: &str,
    old: &[KeyResult],
    new: &[KeyResult],
) {
    let renames = crate::model::moves::kr_renames(old, new);
    let renamed_to = |old_id: &str| renames.iter().any(|(o, _)| *o == old_id);
    let renamed_from = |new_id: &str| renames.iter().find(|(_, n)| *n == new_id).map(|(o, _)| *o);
    for o in old {
        if !new.iter().any(|n| n.id == o.id) && !renamed_to(&o.id) {
            out.push(Change::new(
                ChangeKind::KrRemoved,
                &format!("{objective}#{}", o.id),
            ));
        }
    }
    for n in new {
        let id = format!("{objective}#{}", n.id);
        if let Some(from) = renamed_from(&n.id) {
            out.push(Change::field(&id, "id", text(from), text(&n.id)));
        }
        let old_id = renamed_from(&n.id).unwrap_or(&n.id);
        match old.iter().find(|o| o.id == old_id) {
            None => out.push(Change::new(ChangeKind::KrAdded, &id)),
            Some(o) => kr_fields(out, &id, o, n),
        }
    }
}

/// The measure's fields as (name, value) pairs; absent fields are `None`.
fn measure_fields(m: &Measure) -> [(&'static str, Option<FieldValue>); 4] {
    match *m {
        Measure::Metric {
            start,
            target,
            current,
        } => [
            ("start", num(Some(start))),
            ("target", num(Some(target))),
            ("current", num(Some(current))),
            ("done", None),
        ],
        Measure::Milestone { done } => [
            ("start", None),
            ("target", None),
            ("current", None),
            ("done", Some(FieldValue::Bool(done))),
        ],
    }
}

fn kr_fields(out: &mut Vec<Change>, id: &str, o: &KeyResult, n: &KeyResult) {
    compare_text(out, id, "title", &o.title, &n.title);
    let kind = |k: &KeyResult| match k.measure {
        Measure::Metric { .. } => "metric",
        Measure::Milestone { .. } => "milestone",
    };
    compare_text(out, id, "kind", kind(o), kind(n));
    compare_opt_text(out, id, "owner", &o.owner, &n.owner);
    compare_opt_text(out, id, "unit", &o.unit, &n.unit);
    for ((field, a), (_, b)) in measure_fields(&o.measure)
        .into_iter()
        .zip(measure_fields(&n.measure))
    {
        compare(out, id, field, a, b);
    }
    compare(out, id, "weight", num(Some(o.weight)), num(Some(n.weight)));
    compare(out, id, "confidence", num(o.confidence), num(n.confidence));
    compare_checkins(out, id, &o.checkins, &n.checkins);
}

/// Dated check-ins: by count when entries were added or removed (their values show up as
/// points of the series); when the count stays but entries were edited, the edited ones
/// (`date = value`), so rewriting a recorded measurement never goes unlogged.
fn compare_checkins(out: &mut Vec<Change>, id: &str, old: &[Checkin], new: &[Checkin]) {
    if old.len() != new.len() {
        let count = |c: &[Checkin]| num(Some(c.len() as f64));
        compare(out, id, "checkins", count(old), count(new));
        return;
    }
    let shown = |c: &Checkin| {
        let value = match c.value {
            CheckinValue::Number(n) => super::number_literal(n),
            CheckinValue::Done(d) => d.to_string(),
        };
        format!("{} = {value}", c.date)
    };
    let edited: Vec<(String, String)> = old
        .iter()
        .zip(new)
        .filter(|(a, b)| a.date != b.date || a.value != b.value)
        .map(|(a, b)| (shown(a), shown(b)))
        .collect();
    if !edited.is_empty() {
        let (from, to): (Vec<String>, Vec<String>) = edited.into_iter().unzip();
        compare(
            out,
            id,
            "checkins",
            text(&from.join("; ")),
            text(&to.join("; ")),
        );
    }
}

/// Changes of one KPI.
pub fn kpi_changes(old: Option<&Kpi>, new: Option<&Kpi>) -> Vec<Change> {
    let mut out = Vec::new();
    match (old, new) {
        (None, None) => {}
        (None, Some(n)) => out.push(Change::new(ChangeKind::KpiAdded, &n.id)),
        (Some(o), None) => out.push(Change::new(ChangeKind::KpiRemoved, &o.id)),
        (Some(o), Some(n)) => {
            let id = &n.id;
            compare_text(&mut out, id, "title", &o.title, &n.title);
            compare_opt_text(&mut out, id, "owner", &o.owner, &n.owner);
            compare_opt_text(&mut out, id, "unit", &o.unit, &n.unit);
            let dir = |k: &Kpi| {
                k.direction
                    .map(|d| FieldValue::Text(d.as_str().to_string()))
            };
            compare(&mut out, id, "direction", dir(o), dir(n));
            compare(
                &mut out,
                id,
                "value",
                num(Some(o.value)),
                num(Some(n.value)),
            );
            compare(&mut out, id, "green", num(o.green), num(n.green));
            compare(&mut out, id, "red", num(o.red), num(n.red));
            compare_checkins(&mut out, id, &o.checkins, &n.checkins);
        }
    }
    out
}
