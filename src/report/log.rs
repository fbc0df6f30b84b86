//! `log`: the audit trail, every goal change in history with its commit, author and time.

use super::escape::terminal;
use super::history::ChangeView;
use crate::history::History;
use crate::model::changes::{Change, ChangeKind};
use jiff::Timestamp;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct LogReport {
    pub partial: bool,
    pub changes: Vec<ChangeView>,
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
            && self.period.is_none_or(|p| {
                let field = change.field.as_deref().unwrap_or("");
                let config = change.kind == ChangeKind::ConfigChanged
                    && (field.starts_with("scoring.")
                        || field.starts_with(&format!("periods.{p}")));
                config || (!is_kpi && change.id.starts_with(&format!("{p}/")))
            })
            && (!self.moves_only || change.goalpost_move)
    }
}

pub fn build(history: &History, filter: &LogFilter) -> LogReport {
    let kpi_ids: std::collections::BTreeSet<&String> = history.kpis.keys().collect();
    let changes = history
        .entries()
        .into_iter()
        .filter(|e| filter.keeps(e.landed.time, e.change, kpi_ids.contains(&e.change.id)))
        .map(ChangeView::new)
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
            "{}  {}  {:<16}  {}{}",
            e.time.strftime("%Y-%m-%d %H:%M"),
            crate::history::short_id(&e.commit),
            terminal(&e.author),
            terminal(&e.description),
            terminal(&e.landing())
        );
    }
    if r.changes.is_empty() {
        out.push_str("no goal changes match\n");
    }
    out
}

impl super::Render for LogReport {
    fn text(&self, _style: super::Style) -> Option<String> {
        Some(text(self))
    }
    super::serde_json_render!();
}
