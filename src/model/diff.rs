//! Semantic diff of two goal sets, keyed by id (never by path): objectives added, removed
//! and moved, key results added and removed, every field change, and goalpost moves.

use crate::model::changes::{
    flag_goalpost_moves, kpi_changes, objective_changes, Change, ChangeKind, FieldValue,
};
use crate::model::forecast::period_bounds;
use crate::model::{GoalSet, KeyResult, Measure, Objective, PeriodSet};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// Whether two objectives say the same thing, wherever they live (for moves without a
/// pinned id).
fn same_content(a: &Objective, b: &Objective) -> bool {
    let same_kr = |x: &KeyResult, y: &KeyResult| {
        x.id == y.id
            && x.title == y.title
            && same_measure(&x.measure, &y.measure)
            && x.weight.to_bits() == y.weight.to_bits()
    };
    a.title == b.title
        && a.owner == b.owner
        && a.kind == b.kind
        && a.description == b.description
        && a.key_results.len() == b.key_results.len()
        && a.key_results
            .iter()
            .zip(&b.key_results)
            .all(|(x, y)| same_kr(x, y))
}

/// The same measure, number for number (bit-exact, as the file wrote it).
fn same_measure(a: &Measure, b: &Measure) -> bool {
    match (a, b) {
        (
            Measure::Metric {
                start: s1,
                target: t1,
                current: c1,
            },
            Measure::Metric {
                start: s2,
                target: t2,
                current: c2,
            },
        ) => [s1, t1, c1]
            .iter()
            .zip([s2, t2, c2])
            .all(|(x, y)| x.to_bits() == y.to_bits()),
        (Measure::Milestone { done: d1 }, Measure::Milestone { done: d2 }) => d1 == d2,
        _ => false,
    }
}

/// Changes from `old` to `new`. `at` is when the change happens (the new revision's time):
/// `start`/`target` changes after their period began are goalpost moves.
pub fn diff(old: &GoalSet, new: &GoalSet, periods: &PeriodSet, at: Timestamp) -> Vec<Change> {
    let index = |set: &GoalSet| -> BTreeMap<String, Objective> {
        set.objectives
            .iter()
            .map(|o| (o.qualified_id(), o.clone()))
            .collect()
    };
    let (before, after) = (index(old), index(new));
    let removed: Vec<&Objective> = before
        .iter()
        .filter(|(id, _)| !after.contains_key(*id))
        .map(|(_, o)| o)
        .collect();
    let added: Vec<&Objective> = after
        .iter()
        .filter(|(id, _)| !before.contains_key(*id))
        .map(|(_, o)| o)
        .collect();
    let mut moved_from: BTreeMap<String, String> = BTreeMap::new();
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for a in &added {
        let twin = removed
            .iter()
            .find(|r| !claimed.contains(&r.qualified_id()) && same_content(r, a));
        if let Some(r) = twin {
            claimed.insert(r.qualified_id());
            moved_from.insert(a.qualified_id(), r.qualified_id());
        }
    }
    let mut changes = Vec::new();
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for id in ids {
        if claimed.contains(id) {
            continue;
        }
        if let Some(from) = moved_from.get(id) {
            let mut c = Change::new(ChangeKind::ObjectiveMoved, id);
            c.field = Some("id".into());
            c.from = Some(FieldValue::Text(from.clone()));
            c.to = Some(FieldValue::Text(id.clone()));
            changes.push(c);
            continue;
        }
        let (o, n) = (before.get(id), after.get(id));
        let mut these = objective_changes(o, n);
        if let (Some(o), Some(n)) = (o, n) {
            if let Ok(period) = periods.resolve(&n.period) {
                flag_goalpost_moves(&mut these, o, n, period_bounds(&period).0, at);
            }
        }
        changes.extend(these);
    }
    let kpis = |set: &GoalSet| -> BTreeMap<String, crate::model::Kpi> {
        set.kpis.iter().map(|k| (k.id.clone(), k.clone())).collect()
    };
    let (kb, ka) = (kpis(old), kpis(new));
    let kpi_ids: BTreeSet<&String> = kb.keys().chain(ka.keys()).collect();
    for id in kpi_ids {
        changes.extend(kpi_changes(kb.get(id), ka.get(id)));
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{load, SourceFile};

    fn set(files: &[(&str, &str)]) -> GoalSet {
        let files = files
            .iter()
            .map(|(p, t)| SourceFile {
                path: p.to_string(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect();
        load(None, files).goals
    }

    const A: &str = "+++\ntitle = \"A\"\nowner = \"o\"\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = 10\ncurrent = 1\n+++\n";

    // A file moved without a pinned id is recognised by its content.
    #[test]
    fn move_by_content() {
        let old = set(&[("goals/2026-Q4/t/a.md", A)]);
        let new = set(&[("goals/2026-Q4/u/b.md", A)]);
        let changes = diff(&old, &new, &PeriodSet::default(), Timestamp::UNIX_EPOCH);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::ObjectiveMoved);
        assert_eq!(
            changes[0].from,
            Some(FieldValue::Text("2026-Q4/t/a".into()))
        );
    }

    // A target moved toward the start after the period began is an easier goalpost move.
    #[test]
    fn easier_after_start() {
        let old = set(&[("goals/2026-Q4/t/a.md", A)]);
        let new = set(&[(
            "goals/2026-Q4/t/a.md",
            &A.replace("target = 10", "target = 5"),
        )]);
        let during: Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
        let before: Timestamp = "2026-09-01T00:00:00Z".parse().unwrap();
        let c = &diff(&old, &new, &PeriodSet::default(), during)[0];
        assert!(c.goalpost_move && c.easier);
        let c = &diff(&old, &new, &PeriodSet::default(), before)[0];
        assert!(!c.goalpost_move && !c.easier);
    }
}
