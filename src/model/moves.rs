//! Goalpost moves: the one definition (docs/scoring.md, "Goalpost moves") that `diff`,
//! `log`, `history`, `review`, `retro` and the site all show, with each move's effect on
//! the objective's and the period's score. Also the identity rules that keep a renamed key
//! result or a moved objective file one item across history.
//!
//! Pure: owns the rules, uses only the rest of `model`.

use super::changes::{Change, ChangeKind, FieldValue};
use super::period_score::objective_goal;
use super::{kr_progress, objective_score, Config, KeyResult, Measure, Objective, Period};
use jiff::Timestamp;

/// Effects smaller than this are rounding noise, not a move of the bar.
const EPSILON: f64 = 1e-9;

/// Minimum similarity for an unpinned objective that disappeared and one that appeared in
/// the same commit (or diff) to count as the same objective, moved.
pub const MOVE_SIMILARITY: f64 = 0.5;

/// The id that configuration changes carry: the file they are in.
pub const CONFIG_ID: &str = "goalpost.toml";

/// When and where a change happens.
#[derive(Debug, Clone, Copy)]
pub struct MoveContext {
    /// When the objective's period began.
    pub period_start: Timestamp,
    /// When the change happens.
    pub at: Timestamp,
    /// `[scoring] success` in force after the change.
    pub success: f64,
    /// How many objectives the period has after the change (for the period-score effect).
    pub objectives_in_period: usize,
}

/// The measured values of a key result that feed its score: what a check-in changes.
const MEASURED_FIELDS: [&str; 3] = ["current", "done", "checkins"];

/// Whether a key result's `field` is a measured value: changing it after the period ended
/// rewrites the period's result ([`rewrites_closed_result`]); `confidence` is not one.
pub fn is_measured_field(field: &str) -> bool {
    MEASURED_FIELDS.contains(&field)
}

/// A change at `at` to a period that ended at `period_end` rewrites that period's result:
/// a key result's measured value, or an objective added to or removed from it (which moves
/// its hit rate). Goalpost moves are flagged as such instead. It is not a move (the bar
/// stays), but it changes a closed period's final figures, so `review` shows it for a
/// reviewer to accept or refuse (docs/scoring.md, "Results changed after the period ended").
pub fn rewrites_closed_result(change: &Change, period_end: Timestamp, at: Timestamp) -> bool {
    let measured = change.kind == ChangeKind::FieldChanged
        && change.id.contains('#')
        && change.field.as_deref().is_some_and(is_measured_field);
    let membership = matches!(
        change.kind,
        ChangeKind::ObjectiveAdded | ChangeKind::ObjectiveRemoved
    );
    at >= period_end && !change.goalpost_move && (measured || membership)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Marks the goalpost moves among the changes of one objective from `old` to `new`, with
/// their effect (the new score minus the score with only that change undone, so measured
/// values are held at their new values): every change after the period began to an input of the score other than
/// a measured value (start, target, weight, a key result's kind, the set of key results,
/// a key result's id, the objective's kind, its file or id).
pub fn flag_objective_moves(
    changes: &mut [Change],
    old: &Objective,
    new: &Objective,
    ctx: &MoveContext,
) {
    if ctx.at < ctx.period_start {
        return;
    }
    // Ids may hold `#` themselves: a key result's change is recognised by its prefix.
    let prefix = format!("{}#", new.qualified_id());
    let kr_of = |c: &Change| c.id.strip_prefix(&prefix).map(str::to_string);
    let renames: Vec<(String, String)> = changes
        .iter()
        .filter(|c| c.field.as_deref() == Some("id") && kr_of(c).is_some())
        .filter_map(|c| match (&c.from, &c.to) {
            (Some(FieldValue::Text(f)), Some(FieldValue::Text(t))) => Some((f.clone(), t.clone())),
            _ => None,
        })
        .collect();
    let old_id_of = |new_kr: &str| -> String {
        renames
            .iter()
            .find(|(_, t)| t == new_kr)
            .map_or(new_kr.to_string(), |(f, _)| f.clone())
    };
    for change in changes.iter_mut() {
        let kr = kr_of(change);
        let verdict = match (change.kind, change.field.as_deref(), kr) {
            (ChangeKind::ObjectiveMoved, _, None) => Some((0.0, false)),
            (ChangeKind::FieldChanged, Some("kind"), None) => {
                let goal = |o: &Objective| objective_goal(o.kind, ctx.success);
                Some((0.0, goal(new) < goal(old)))
            }
            (ChangeKind::KrRemoved, _, Some(k)) => old.key_result(&k).map(|o| {
                let mut with_it = new.key_results.clone();
                with_it.push(o.clone());
                by_effect(new, with_it, None)
            }),
            (ChangeKind::KrAdded, _, Some(k)) => {
                let without: Vec<KeyResult> = new
                    .key_results
                    .iter()
                    .filter(|x| x.id != k)
                    .cloned()
                    .collect();
                Some(by_effect(new, without, None))
            }
            (ChangeKind::FieldChanged, Some("id"), Some(_)) => Some((0.0, false)),
            (ChangeKind::FieldChanged, Some(field), Some(k)) => {
                let before = old.key_result(&old_id_of(&k));
                let after = new.key_result(&k);
                match (before, after) {
                    (Some(b), Some(a)) => kr_field_move(new, b, a, field),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((effect, easier)) = verdict {
            change.goalpost_move = true;
            change.easier = easier;
            change.effect = round4(effect);
            change.period_effect = round4(effect / ctx.objectives_in_period.max(1) as f64);
        }
    }
}

/// The move a change of `field` of one key result makes, measured against the new
/// objective with only that field set back (other key results and measured values as they
/// are now); `None` for a field that is not an input of the score, or measured.
fn kr_field_move(
    new: &Objective,
    before: &KeyResult,
    after: &KeyResult,
    field: &str,
) -> Option<(f64, bool)> {
    let mut undone = after.clone();
    match (field, &mut undone.measure, &before.measure) {
        ("weight", _, _) => undone.weight = before.weight,
        ("kind", _, _) => undone.measure = before.measure.clone(),
        ("start", Measure::Metric { start, .. }, Measure::Metric { start: s, .. }) => *start = *s,
        ("target", Measure::Metric { target, .. }, Measure::Metric { target: t, .. }) => {
            *target = *t
        }
        _ => return None,
    }
    let krs: Vec<KeyResult> = new
        .key_results
        .iter()
        .map(|k| {
            if k.id == after.id {
                undone.clone()
            } else {
                k.clone()
            }
        })
        .collect();
    let progress = matches!(field, "start" | "target")
        .then(|| kr_progress(&after.measure) - kr_progress(&undone.measure));
    Some(by_effect(new, krs, progress))
}

/// The effect of a change whose undoing gives `new` the key results `undone`, and
/// whether it is easier: a higher score, or (when clamping hides it) a higher unclamped
/// progress.
fn by_effect(new: &Objective, undone: Vec<KeyResult>, progress: Option<f64>) -> (f64, bool) {
    let effect = objective_score(&new.key_results) - objective_score(&undone);
    let easier =
        effect > EPSILON || (effect.abs() <= EPSILON && progress.is_some_and(|p| p > EPSILON));
    (effect, easier)
}

/// Key results of `new` that are renamed ones of `old`, as (old id, new id): an explicit
/// `renamed_from` naming a key result that is gone, else a unique gone key result with the
/// same title, unit and start.
pub fn kr_renames<'a>(old: &'a [KeyResult], new: &'a [KeyResult]) -> Vec<(&'a str, &'a str)> {
    let gone: Vec<&KeyResult> = old
        .iter()
        .filter(|o| !new.iter().any(|n| n.id == o.id))
        .collect();
    let fresh: Vec<&KeyResult> = new
        .iter()
        .filter(|n| !old.iter().any(|o| o.id == n.id))
        .collect();
    let start = |k: &KeyResult| match k.measure {
        Measure::Metric { start, .. } => Some(start.to_bits()),
        Measure::Milestone { .. } => None,
    };
    let alike = |o: &KeyResult, n: &KeyResult| {
        o.title == n.title && o.unit == n.unit && start(o) == start(n)
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for n in &fresh {
        let explicit = n
            .renamed_from
            .as_deref()
            .and_then(|r| gone.iter().find(|o| o.id == r));
        let matched = explicit.copied().or_else(|| {
            let candidates: Vec<&&KeyResult> = gone.iter().filter(|o| alike(o, n)).collect();
            let unique_back = |o: &KeyResult| fresh.iter().filter(|m| alike(o, m)).count() == 1;
            match candidates.as_slice() {
                [one] if unique_back(one) => Some(**one),
                _ => None,
            }
        });
        if let Some(o) = matched {
            if !pairs.iter().any(|(f, _)| *f == o.id) {
                pairs.push((o.id.as_str(), n.id.as_str()));
            }
        }
    }
    pairs
}

/// The facts an objective's front matter states, for comparing two versions.
fn facts(o: &Objective) -> Vec<String> {
    let mut out = vec![
        format!("title={}", o.title),
        format!("owner={}", o.owner),
        format!("kind={}", o.kind.as_str()),
        format!("description={}", o.description),
        format!("parent={:?}", o.parent),
    ];
    for k in &o.key_results {
        out.push(format!("kr={}", k.id));
        out.push(format!("kr.title={}", k.title));
        out.push(format!("kr.unit={:?}", k.unit));
        out.push(format!("kr.weight={}", k.weight));
        match k.measure {
            Measure::Metric {
                start,
                target,
                current,
            } => out.extend([
                format!("{}.start={start}", k.id),
                format!("{}.target={target}", k.id),
                format!("{}.current={current}", k.id),
            ]),
            Measure::Milestone { done } => out.push(format!("{}.done={done}", k.id)),
        }
    }
    out.sort();
    out
}

/// How alike two objectives are, 0..1: the share of their front matter's facts (title,
/// owner, kind, description, parent, each key result's id, title, unit, weight and values)
/// that they have in common, over the larger of the two.
pub fn similarity(a: &Objective, b: &Objective) -> f64 {
    let (fa, fb) = (facts(a), facts(b));
    let mut rest = fb.clone();
    let mut common = 0usize;
    for f in &fa {
        if let Some(i) = rest.iter().position(|x| x == f) {
            rest.swap_remove(i);
            common += 1;
        }
    }
    common as f64 / fa.len().max(fb.len()).max(1) as f64
}

/// Pairs each objective that appeared with the one that disappeared that it was moved
/// from, as (index in `gone`, index in `appeared`): the same period, an `appeared` one whose
/// id is not pinned, similarity at least [`MOVE_SIMILARITY`], and a unique best match both
/// ways (git's rename detection, within the goals folder).
pub fn match_moves(gone: &[&Objective], appeared: &[&Objective]) -> Vec<(usize, usize)> {
    let best = |score: &dyn Fn(usize) -> Option<f64>, n: usize| -> Option<usize> {
        let scored: Vec<(usize, f64)> = (0..n).filter_map(|i| score(i).map(|s| (i, s))).collect();
        let top = scored.iter().map(|(_, s)| *s).fold(f64::NAN, f64::max);
        let at_top: Vec<usize> = scored
            .iter()
            .filter(|(_, s)| *s == top)
            .map(|(i, _)| *i)
            .collect();
        match at_top.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    };
    let score = |g: usize, a: usize| -> Option<f64> {
        let (o, n) = (gone[g], appeared[a]);
        if o.period != n.period || n.spans.id.is_some() {
            return None;
        }
        let s = similarity(o, n);
        (s >= MOVE_SIMILARITY).then_some(s)
    };
    let mut pairs = Vec::new();
    for a in 0..appeared.len() {
        let Some(g) = best(&|g| score(g, a), gone.len()) else {
            continue;
        };
        if best(&|x| score(g, x), appeared.len()) == Some(a) {
            pairs.push((g, a));
        }
    }
    pairs
}

/// The score-feeding settings that differ between two configurations, as `config_changed`
/// changes on the id `goalpost.toml`: `scoring.success`, and per declared period
/// `periods.<name>.start`, `periods.<name>.end`, or `periods.<name>` when it was added or
/// removed (its dates as `start..end`).
pub fn config_changes(old: &Config, new: &Config) -> Vec<Change> {
    let id = CONFIG_ID;
    let mut out = Vec::new();
    let num = |n: f64| Some(FieldValue::Number(n));
    if old.success.to_bits() != new.success.to_bits() {
        out.push(
            Change::field(id, "scoring.success", num(old.success), num(new.success))
                .with_kind(ChangeKind::ConfigChanged),
        );
    }
    let text = |s: String| Some(FieldValue::Text(s));
    let span = |p: &Period| text(format!("{}..{}", p.start, p.end));
    let mut names: Vec<&String> = old
        .periods
        .named
        .iter()
        .chain(&new.periods.named)
        .map(|p| &p.name)
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        let find = |c: &Config| c.periods.named.iter().find(|p| &p.name == name).cloned();
        let field = |f: &str| format!("periods.{name}{f}");
        let change =
            |f: &str, a, b| Change::field(id, &field(f), a, b).with_kind(ChangeKind::ConfigChanged);
        match (find(old), find(new)) {
            (Some(o), Some(n)) => {
                if o.start != n.start {
                    out.push(change(
                        ".start",
                        text(o.start.to_string()),
                        text(n.start.to_string()),
                    ));
                }
                if o.end != n.end {
                    out.push(change(
                        ".end",
                        text(o.end.to_string()),
                        text(n.end.to_string()),
                    ));
                }
            }
            (Some(o), None) => out.push(change("", span(&o), None)),
            (None, Some(n)) => out.push(change("", None, span(&n))),
            (None, None) => {}
        }
    }
    // The zone moves every period's boundaries (docs/format.md, "Time zone").
    let zone = |c: &Config| c.timezone.clone().unwrap_or_else(|| "UTC".into());
    if zone(old) != zone(new) {
        out.push(
            Change::field(id, "site.timezone", text(zone(old)), text(zone(new)))
                .with_kind(ChangeKind::ConfigChanged),
        );
    }
    out
}

/// Whether a zone change from `from` to `to` (IANA names) puts period boundaries later at
/// `at`: a smaller UTC offset means local midnight comes later.
fn zone_later(from: &str, to: &str, at: Timestamp) -> bool {
    let offset = |name: &str| {
        jiff::tz::TimeZone::get(name)
            .ok()
            .map(|tz| tz.to_offset(at).seconds())
    };
    matches!((offset(from), offset(to)), (Some(a), Some(b)) if b < a)
}

/// Marks configuration changes as goalpost moves: a lower `success` or another
/// `[site] timezone` once any objective's period has begun (`started` says whether one has),
/// and a declared period whose dates changed or that was removed after it began. A lower
/// success, a later start or end (a zone further west), and a removed period (its
/// objectives lose their dates) lower the bar: easier. None of them changes an objective's
/// score (effect 0).
pub fn flag_config_moves(changes: &mut [Change], old: &Config, at: Timestamp, started: bool) {
    let begun = |name: &str| {
        old.periods
            .named
            .iter()
            .find(|p| p.name == name)
            .is_some_and(|p| super::forecast::period_bounds(p).0 <= at)
    };
    for c in changes.iter_mut() {
        let Some(field) = c.field.as_deref() else {
            continue;
        };
        let later = |c: &Change| match (&c.from, &c.to) {
            (Some(FieldValue::Text(a)), Some(FieldValue::Text(b))) => b > a,
            (Some(FieldValue::Number(a)), Some(FieldValue::Number(b))) => b < a,
            _ => false,
        };
        let verdict = if field == "scoring.success" {
            started.then(|| later(c))
        } else if field == "site.timezone" {
            let zones = match (&c.from, &c.to) {
                (Some(FieldValue::Text(a)), Some(FieldValue::Text(b))) => Some((a, b)),
                _ => None,
            };
            started.then(|| zones.is_some_and(|(a, b)| zone_later(a, b, at)))
        } else if let Some(rest) = field.strip_prefix("periods.") {
            let name = rest
                .strip_suffix(".start")
                .or_else(|| rest.strip_suffix(".end"))
                .unwrap_or(rest);
            let removed = c.to.is_none();
            (begun(name) && (c.from.is_some())).then(|| removed || later(c))
        } else {
            None
        };
        if let Some(easier) = verdict {
            c.goalpost_move = true;
            c.easier = easier;
        }
    }
}

#[cfg(test)]
mod tests;
