//! `log`: the audit trail, every goal change in history with its commit, author and time.

use super::escape::terminal;
use super::history::ChangeView;
use crate::history::History;
use crate::model::changes::{Change, ChangeKind};
use crate::model::clock::DatetimeColumn;
use jiff::Timestamp;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub struct LogReport {
    pub partial: bool,
    pub changes: Vec<ChangeView>,
    /// When an objective's file stopped parsing or was fixed: its objective stays in every
    /// view with its last good state (docs/scoring.md, "Broken files"), so the trail says
    /// when its file had errors instead of calling it removed and added again.
    pub file_errors: Vec<FileErrorView>,
    /// The repository's zone (`[site] timezone`): text shows times in it.
    #[serde(skip)]
    pub tz: jiff::tz::TimeZone,
}

/// An objective's file starting or ceasing to have errors, at a commit.
#[derive(Debug, Serialize)]
pub struct FileErrorView {
    pub id: String,
    pub commit: String,
    pub time: Timestamp,
    /// Who made the commit, when it is among the commits that changed goals.
    pub author: Option<String>,
    /// `true`: the file has errors from this commit on; `false`: fixed here.
    pub broken: bool,
}

/// Every change of an objective's broken state in `history` that `filter` keeps.
fn file_errors(history: &History, filter: &LogFilter) -> Vec<FileErrorView> {
    let mut out = Vec::new();
    for (id, versions) in &history.versions {
        let mut was_broken = false;
        for v in versions.iter() {
            let broken = v.broken_since.is_some();
            let keep = filter.since.is_none_or(|s| v.time >= s)
                && filter.until.is_none_or(|u| v.time <= u)
                && filter
                    .period
                    .is_none_or(|p| id.starts_with(&format!("{p}/")))
                && !filter.moves_only;
            if broken != was_broken && keep {
                out.push(FileErrorView {
                    id: id.clone(),
                    commit: v.commit.clone(),
                    time: v.time,
                    author: history
                        .commits
                        .iter()
                        .find(|c| c.id == v.commit)
                        .map(|c| c.author.clone()),
                    broken,
                });
            }
            was_broken = broken;
        }
    }
    out.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
    out
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
                // The settings that feed every period's scores, and this period's own.
                let config = change.kind == ChangeKind::ConfigChanged
                    && (field.starts_with("scoring.")
                        || field == "site.timezone"
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
        file_errors: file_errors(history, filter),
        tz: history.config.tz().clone(),
    }
}

pub fn text(r: &LogReport) -> String {
    let mut out = String::new();
    if r.partial {
        out.push_str("partial: the shallow clone cuts this history\n");
    }
    let times = r.changes.iter().map(|e| e.time);
    let column = DatetimeColumn::new(times.chain(r.file_errors.iter().map(|f| f.time)), &r.tz);
    for e in &r.changes {
        let _ = writeln!(
            out,
            "{}  {}  {:<16}  {}{}",
            column.cell(e.time),
            crate::history::short_id(&e.commit),
            terminal(&e.author),
            terminal(&e.description),
            terminal(&e.landing())
        );
    }
    if !r.file_errors.is_empty() {
        out.push_str("\nfiles with errors (their objectives keep their last good state):\n");
    }
    for f in &r.file_errors {
        let what = if f.broken {
            "file has errors from here on"
        } else {
            "file fixed"
        };
        let _ = writeln!(
            out,
            "{}  {}  {:<16}  {} {what}",
            column.cell(f.time),
            crate::history::short_id(&f.commit),
            terminal(f.author.as_deref().unwrap_or("")),
            terminal(&f.id),
        );
    }
    if r.changes.is_empty() && r.file_errors.is_empty() {
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
