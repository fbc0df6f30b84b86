//! Statuses as the site shows them: each status's key (its JSON name, also its CSS class
//! `s-<key>`), its place from best to worst, and counts of a set of objectives by status.
//! Works over whatever statuses the model has: a status this list does not know yet is
//! shown after the known ones, in the model's own order, so a new verdict never vanishes.
//! Presentation only: no figure is computed here.

use crate::model::forecast::Status;
use serde::Serialize;

/// Known status keys from best to worst: the order of the stacked bar and of a status's
/// columns in tables.
const ORDER: &[&str] = &[
    "achieved",
    "done",
    "on_track",
    "no_data",
    "at_risk",
    "off_track",
    "missed",
];

/// The status's JSON name (`on_track`): its key on the site and its CSS class suffix.
pub fn key(s: Status) -> String {
    s.as_str().to_string()
}

/// Position from best (0) to worst; unknown keys come after every known one.
pub fn rank(key: &str) -> usize {
    ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len())
}

/// How urgent an objective with this status is, for "needs attention": 3 for missed and
/// off track, 2 for at risk, 1 for no data, 0 otherwise.
pub fn severity(key: &str) -> u8 {
    match key {
        "missed" | "off_track" => 3,
        "at_risk" => 2,
        "no_data" => 1,
        _ => 0,
    }
}

/// How many objectives have one status, and their share of the set.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub label: &'static str,
    pub count: usize,
    /// Share of the set, 0..1 (for the stacked bar's segment width).
    pub share: f64,
}

/// Counts by status, best first; statuses with no objective are left out.
pub fn mix(statuses: impl IntoIterator<Item = Status>) -> Vec<StatusCount> {
    let mut counts: std::collections::BTreeMap<Status, usize> = Default::default();
    for s in statuses {
        *counts.entry(s).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let mut out: Vec<StatusCount> = counts
        .into_iter()
        .map(|(s, count)| StatusCount {
            status: key(s),
            label: s.label(),
            count,
            share: count as f64 / total.max(1) as f64,
        })
        .collect();
    // Stable: statuses the order does not know keep the model's order among themselves.
    out.sort_by_key(|c| rank(&c.status));
    out
}

/// Every status key the model has, in site order: the columns of a status table.
pub fn columns(mixes: &[&[StatusCount]]) -> Vec<StatusCount> {
    let mut seen: Vec<StatusCount> = Vec::new();
    for c in mixes.iter().flat_map(|m| m.iter()) {
        if !seen.iter().any(|s| s.status == c.status) {
            seen.push(StatusCount {
                count: 0,
                share: 0.0,
                ..c.clone()
            });
        }
    }
    seen.sort_by_key(|c| rank(&c.status));
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    // Counts come best first with shares; keys are the JSON names.
    #[test]
    fn counts_best_first() {
        let m = mix([Status::OffTrack, Status::OnTrack, Status::OffTrack]);
        let keys: Vec<&str> = m.iter().map(|c| c.status.as_str()).collect();
        assert_eq!(keys, ["on_track", "off_track"]);
        assert_eq!(m[1].count, 2);
        assert!((m[1].share - 2.0 / 3.0).abs() < 1e-9);
        assert!(severity("off_track") > severity("at_risk"));
    }
}
