//! Semantic diff of two goal sets, keyed by id (never by path): objectives added, removed
//! and moved (an unpinned file moved is found by similarity, `moves::match_moves`), key
//! results added, removed and renamed, every field change, configuration changes, and
//! goalpost moves with their effect.

use crate::model::changes::{kpi_changes, objective_changes, Change, ChangeKind, FieldValue};
use crate::model::forecast::period_bounds;
use crate::model::moves::{
    config_changes, flag_config_moves, flag_objective_moves, match_moves, MoveContext,
};
use crate::model::{Config, GoalSet, Objective};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// One side of a diff: the goals and the configuration of a revision.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub goals: &'a GoalSet,
    pub config: &'a Config,
}

/// The `objective_moved` change from `from` to `to` (field `id`).
pub fn moved(from: &str, to: &str) -> Change {
    Change::field(
        to,
        "id",
        Some(FieldValue::Text(from.to_string())),
        Some(FieldValue::Text(to.to_string())),
    )
    .with_kind(ChangeKind::ObjectiveMoved)
}

/// Flags the goalpost moves among `these`, the changes of one objective from `o` to `n`
/// (either may be absent), made at `at`; `new` is the revision after the change.
/// `in_period` is how many objectives the period has after the change.
pub fn flag_changes(
    these: &mut [Change],
    (o, n): (Option<&Objective>, Option<&Objective>),
    config: &Config,
    in_period: usize,
    at: Timestamp,
) {
    if let (Some(o), Some(n)) = (o, n) {
        if let Ok(period) = config.periods.resolve(&n.period) {
            let ctx = MoveContext {
                period_start: period_bounds(&period).0,
                at,
                success: config.success,
                objectives_in_period: in_period,
            };
            flag_objective_moves(these, o, n, &ctx);
        }
    }
}

/// Whether the period of any of `periods` (names) had begun by `at`.
pub fn any_period_begun<'a>(
    mut periods: impl Iterator<Item = &'a str>,
    config: &Config,
    at: Timestamp,
) -> bool {
    periods.any(|name| {
        config
            .periods
            .resolve(name)
            .is_ok_and(|p| period_bounds(&p).0 <= at)
    })
}

/// Configuration changes from `old` to `new`, flagged.
pub fn flagged_config_changes(old: Side, new: Side, at: Timestamp) -> Vec<Change> {
    let mut changes = config_changes(old.config, new.config);
    let names = old.goals.objectives.iter().map(|o| o.period.as_str());
    let started = any_period_begun(names, old.config, at);
    flag_config_moves(&mut changes, old.config, at, started);
    changes
}

/// Changes from `old` to `new`. `at` is when the change happens (the new revision's time):
/// changes to a score's inputs after their period began are goalpost moves.
pub fn diff(old: Side, new: Side, at: Timestamp) -> Vec<Change> {
    let index = |set: &GoalSet| -> BTreeMap<String, Objective> {
        set.objectives
            .iter()
            .map(|o| (o.qualified_id(), o.clone()))
            .collect()
    };
    let (before, after) = (index(old.goals), index(new.goals));
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
    let mut moved_from: BTreeMap<String, &Objective> = BTreeMap::new();
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for (g, a) in match_moves(&removed, &added) {
        claimed.insert(removed[g].qualified_id());
        moved_from.insert(added[a].qualified_id(), removed[g]);
    }
    let mut changes = flagged_config_changes(old, new, at);
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for id in ids {
        if claimed.contains(id) {
            continue;
        }
        let (o, n) = match moved_from.get(id) {
            Some(from) => (Some(*from), after.get(id)),
            None => (before.get(id), after.get(id)),
        };
        let mut these = objective_changes(o, n);
        if let (Some(from), Some(_)) = (moved_from.get(id), n) {
            // The file move is reported once, as the identity change; the key results
            // compare against the old ones under the new id.
            these.retain(|c| c.kind != ChangeKind::ObjectiveMoved);
            these.insert(0, moved(&from.qualified_id(), id));
        }
        let in_period = n.map_or(0, |n| {
            new.goals
                .objectives
                .iter()
                .filter(|x| x.period == n.period)
                .count()
        });
        flag_changes(&mut these, (o, n), new.config, in_period, at);
        changes.extend(these);
    }
    let kpis = |set: &GoalSet| -> BTreeMap<String, crate::model::Kpi> {
        set.kpis.iter().map(|k| (k.id.clone(), k.clone())).collect()
    };
    let (kb, ka) = (kpis(old.goals), kpis(new.goals));
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

    static CONFIG: std::sync::LazyLock<Config> = std::sync::LazyLock::new(Config::default);

    fn side(goals: &GoalSet) -> Side<'_> {
        Side {
            goals,
            config: &CONFIG,
        }
    }

    const A: &str = "+++\ntitle = \"A\"\nowner = \"o\"\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = 10\ncurrent = 1\n+++\n";

    // A file moved without a pinned id is recognised by its content.
    #[test]
    fn move_by_content() {
        let old = set(&[("goals/2026-Q4/t/a.md", A)]);
        let new = set(&[("goals/2026-Q4/u/b.md", A)]);
        let changes = diff(side(&old), side(&new), Timestamp::UNIX_EPOCH);
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
        let c = &diff(side(&old), side(&new), during)[0];
        assert!(c.goalpost_move && c.easier);
        let c = &diff(side(&old), side(&new), before)[0];
        assert!(!c.goalpost_move && !c.easier);
    }
}
