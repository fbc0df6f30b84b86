//! `log`: the audit trail, every goal change in history with its commit, author and time.

use crate::history::History;
use crate::model::changes::{Change, FieldValue};
use jiff::Timestamp;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct LogEntry {
    pub commit: String,
    pub time: Timestamp,
    pub author: String,
    pub email: String,
    pub summary: String,
    pub kind: &'static str,
    pub id: String,
    pub field: Option<String>,
    pub from: Option<FieldValue>,
    pub to: Option<FieldValue>,
    pub goalpost_move: bool,
    pub easier: bool,
    /// One line, for people.
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct LogReport {
    pub partial: bool,
    pub changes: Vec<LogEntry>,
}

/// Which changes to list.
#[derive(Debug, Default)]
pub struct LogFilter<'a> {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Only objectives and key results of this period (KPIs belong to no period).
    pub period: Option<&'a str>,
    pub moves_only: bool,
}

impl LogFilter<'_> {
    fn keeps(&self, time: Timestamp, change: &Change, is_kpi: bool) -> bool {
        self.since.is_none_or(|s| time >= s)
            && self.until.is_none_or(|u| time <= u)
            && self
                .period
                .is_none_or(|p| !is_kpi && change.id.starts_with(&format!("{p}/")))
            && (!self.moves_only || change.goalpost_move)
    }
}

pub fn build(history: &History, filter: &LogFilter) -> LogReport {
    let kpi_ids: std::collections::BTreeSet<&String> = history.kpis.keys().collect();
    let changes = history
        .all_changes()
        .into_iter()
        .filter(|(commit, change)| filter.keeps(commit.time, change, kpi_ids.contains(&change.id)))
        .map(|(commit, change)| LogEntry {
            commit: commit.id.clone(),
            time: commit.time,
            author: commit.author.clone(),
            email: commit.email.clone(),
            summary: commit.summary.clone(),
            kind: change.kind.as_str(),
            id: change.id.clone(),
            field: change.field.clone(),
            from: change.from.clone(),
            to: change.to.clone(),
            goalpost_move: change.goalpost_move,
            easier: change.easier,
            description: format!("{} {}", change.id, super::diff::describe(change)),
        })
        .collect();
    LogReport {
        partial: history.partial,
        changes,
    }
}

pub fn text(r: &LogReport) -> String {
    let mut out = String::new();
    if r.partial {
        out.push_str("partial: the shallow clone cuts this history\n");
    }
    for e in &r.changes {
        let _ = writeln!(
            out,
            "{}  {}  {:<16}  {}",
            e.time.strftime("%Y-%m-%d %H:%M"),
            &e.commit[..8.min(e.commit.len())],
            e.author,
            e.description
        );
    }
    if r.changes.is_empty() {
        out.push_str("no goal changes match\n");
    }
    out
}
