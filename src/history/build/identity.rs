//! Identity across history: an unpinned objective file that moved (matched by similarity,
//! `model::moves::match_moves`) and a renamed key result keep one series and one change
//! log under their new id; configuration changes are logged; every change is flagged by
//! the one goalpost-move rule (`model::moves`). Kept apart from the series code in
//! `build.rs`.

use super::{Builder, ItemHistory, Lazy, Logged};
use crate::model::changes::{objective_changes, Change, ChangeKind, FieldValue};
use crate::model::diff::{any_period_begun, flag_changes, moved};
use crate::model::moves::{config_changes, flag_config_moves, match_moves};
use crate::model::{Config, Objective};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

/// The configuration before a commit that changed it, and whether goals existed and any
/// of their periods had begun by the commit's time.
pub(super) struct ConfigBefore {
    config: Config,
    had_goals: bool,
    started: bool,
}

impl Builder {
    /// What [`Builder::record_config`] needs of the state before a configuration change.
    pub(super) fn config_before(
        &self,
        changes_config: bool,
        at: Timestamp,
    ) -> Option<ConfigBefore> {
        if !changes_config {
            return None;
        }
        let periods = self.state.objectives.values().map(|o| o.period.as_str());
        Some(ConfigBefore {
            config: self.state.config.clone(),
            had_goals: !self.state.files.is_empty(),
            started: any_period_begun(periods, &self.state.config, at),
        })
    }

    /// Logs the score-feeding configuration changes of a commit (none for the commit that
    /// brings the first goals: there is nothing to compare yet).
    pub(super) fn record_config(
        &mut self,
        commit: usize,
        at: Timestamp,
        before: Option<ConfigBefore>,
    ) -> bool {
        let Some(before) = before.filter(|b| b.had_goals) else {
            return false;
        };
        let mut changes = config_changes(&before.config, &self.state.config);
        flag_config_moves(&mut changes, &before.config, at, before.started);
        let any = !changes.is_empty();
        self.history
            .config_changes
            .extend(changes.into_iter().map(|change| Logged { commit, change }));
        any
    }

    /// Objectives of this commit that moved: new id -> old id, for an unpinned objective
    /// that disappeared and a similar one that appeared in the same period.
    pub(super) fn detect_moves(
        &self,
        ids: &BTreeSet<String>,
        old: &BTreeMap<String, Rc<Objective>>,
    ) -> BTreeMap<String, String> {
        let gone: Vec<&Objective> = old
            .iter()
            .filter(|(id, _)| !self.state.objectives.contains_key(*id))
            .map(|(_, o)| &**o)
            .collect();
        let appeared: Vec<&Objective> = ids
            .iter()
            .filter(|id| !old.contains_key(*id))
            .filter_map(|id| self.state.objectives.get(id).map(|o| &**o))
            .collect();
        if gone.is_empty() || appeared.is_empty() {
            return BTreeMap::new();
        }
        match_moves(&gone, &appeared)
            .into_iter()
            .map(|(g, a)| (appeared[a].qualified_id(), gone[g].qualified_id()))
            .collect()
    }

    /// The changes of objective `id` from `old`, with a move reported as one identity
    /// change, the series of a moved objective or renamed key result carried over to the
    /// new id, and goalpost moves flagged.
    pub(super) fn identity_changes(
        &mut self,
        at: Timestamp,
        old: Option<&Objective>,
        id: &str,
    ) -> Vec<Change> {
        let new = self.state.objectives.get(id).cloned();
        let mut changes = objective_changes(old, new.as_deref());
        if let Some(old_id) = self.moved_from.get(id).cloned() {
            changes.retain(|c| c.kind != ChangeKind::ObjectiveMoved);
            changes.insert(0, moved(&old_id, id));
            self.carry_objective(&old_id, id);
        }
        let prefix = format!("{id}#");
        for c in &changes {
            if let (true, Some("id"), Some(FieldValue::Text(from))) =
                (c.id.starts_with(&prefix), c.field.as_deref(), &c.from)
            {
                carry(
                    &mut self.history.key_results,
                    &format!("{id}#{from}"),
                    &c.id,
                );
            }
        }
        let in_period = new.as_ref().map_or(0, |n| {
            let prefix = format!("{}/", n.period);
            self.state
                .objectives
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .count()
        });
        let config = &self.state.config;
        flag_changes(&mut changes, (old, new.as_deref()), config, in_period, at);
        changes
    }

    /// Moves the series and change logs of objective `from` and its key results to `to`.
    fn carry_objective(&mut self, from: &str, to: &str) {
        carry(&mut self.history.objectives, from, to);
        let prefix = format!("{from}#");
        let krs: Vec<String> = self
            .history
            .key_results
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in krs {
            let new = format!("{to}#{}", &k[prefix.len()..]);
            carry(&mut self.history.key_results, &k, &new);
        }
    }
}

/// Moves the history under `from` to `to`, before whatever `to` already had.
fn carry(map: &mut BTreeMap<String, Lazy<ItemHistory>>, from: &str, to: &str) {
    let Some(mut moved) = map.remove(from) else {
        return;
    };
    if let Some(mut later) = map.remove(to) {
        let later = std::mem::take(&mut *later);
        moved.points.extend(later.points);
        moved.changes.extend(later.changes);
    }
    map.insert(to.to_string(), moved);
}
