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
        let kpi_titles: std::collections::HashMap<&str, &str> = history
            .goals
            .kpis
            .iter()
            .map(|k| (k.id.as_str(), k.title.as_str()))
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
                let item = match objectives.get(objective) {
                    Some(o) => match c.id.split_once('#') {
                        Some((_, kr)) => o
                            .key_results
                            .iter()
                            .find(|k| k.id == kr)
                            .map_or_else(|| c.id.clone(), |k| format!("{} › {}", o.title, k.title)),
                        None => o.title.clone(),
                    },
                    None => kpi_titles
                        .get(c.id.as_str())
                        .map_or_else(|| c.id.clone(), |t| t.to_string()),
                };
                // The site shows an easier move as a badge: the wording leaves the flag out.
                let parts = crate::report::diff::ChangeParts {
                    goalpost_move: false,
                    easier: false,
                    ..crate::report::diff::ChangeParts::of(c)
                };
                ChangeRow {
                    item,
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
                    description: crate::report::diff::describe_parts(&parts, ""),
                    goalpost_move: c.goalpost_move,
                    easier: c.easier,
                    move_badge: c
                        .goalpost_move
                        .then(|| crate::report::diff::move_label(c.easier, c.effect)),
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
