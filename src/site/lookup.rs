//! Lookups the pages need many times (objectives by id, every change once, changes by
//! item), built once per site so that page building stays linear in the repository's size.

use super::pages::{kpi_url, objective_url, ChangeRow, MAX_CHANGES};
use crate::history::History;
use crate::model::Objective;

/// Lookups the pages need many times, built once.
pub struct SiteIndex<'h> {
    pub objectives: std::collections::HashMap<String, &'h Objective>,
    /// Every change, newest first.
    pub changes: Vec<ChangeRow>,
    /// Positions in `changes` by objective (key result changes count for their objective)
    /// and by KPI id.
    pub by_item: std::collections::HashMap<String, Vec<usize>>,
}

impl<'h> SiteIndex<'h> {
    pub fn new(history: &'h History) -> Self {
        let objectives: std::collections::HashMap<String, &Objective> = history
            .goals
            .objectives
            .iter()
            .map(|o| (o.qualified_id(), o))
            .collect();
        let mut changes: Vec<ChangeRow> = history
            .entries()
            .into_iter()
            .map(|e| {
                let (commit, c) = (e.origin, e.change);
                let objective = c.id.split('#').next().unwrap_or(&c.id);
                let url = match objectives.get(objective) {
                    Some(o) => objective_url(&o.period, &o.id),
                    None => history
                        .kpis
                        .contains_key(&c.id)
                        .then(|| kpi_url(&c.id))
                        .flatten(),
                };
                ChangeRow {
                    time: e.landed.time,
                    landed_in: e.landed.short().to_string(),
                    landed_by: e.landed.author.clone(),
                    effect: c.effect,
                    commit: commit.id.clone(),
                    short: commit.short().to_string(),
                    author: commit.author.clone(),
                    summary: commit.summary.clone(),
                    id: c.id.clone(),
                    field: c.field.clone(),
                    url,
                    description: crate::report::diff::describe(c),
                    goalpost_move: c.goalpost_move,
                    easier: c.easier,
                }
            })
            .collect();
        changes.reverse();
        let mut by_item: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, c) in changes.iter().enumerate() {
            let item = c.id.split('#').next().unwrap_or(&c.id);
            by_item.entry(item.to_string()).or_default().push(i);
        }
        SiteIndex {
            objectives,
            changes,
            by_item,
        }
    }

    /// Changes of one objective (with its key results) or KPI, newest first, at most
    /// [`MAX_CHANGES`].
    pub fn changes_of(&self, item: &str) -> Vec<ChangeRow> {
        self.by_item
            .get(item)
            .map(|ix| {
                ix.iter()
                    .take(MAX_CHANGES)
                    .map(|i| self.changes[*i].clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The newest changes, at most `n`, that `keep` accepts.
    pub fn newest(&self, n: usize, keep: impl Fn(&ChangeRow) -> bool) -> Vec<ChangeRow> {
        self.changes
            .iter()
            .filter(|c| keep(c))
            .take(n)
            .cloned()
            .collect()
    }
}
