//! View-models of the site's pages: everything a template sees, already computed, sorted
//! and formatted. Templates never see domain types.

use super::{markdown, svg};
use crate::history::{History, ItemHistory};
use crate::load::ids::is_safe_segment;
use crate::model::forecast::Status;
use crate::model::{Objective, Period};
use crate::report::plural;
use crate::report::status::{self, KpiStatus, ObjectiveStatus, StatusQuery, StatusReport};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// The most changes the audit page and feed list (the newest).
pub const MAX_CHANGES: usize = 2_000;

#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub commit: String,
    pub short: String,
    pub as_of: Timestamp,
    pub partial: bool,
    /// `[site] noindex`: pages ask search engines not to index them.
    pub noindex: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodCard {
    pub name: String,
    pub url: String,
    pub start: String,
    pub end: String,
    pub elapsed: f64,
    pub objectives: usize,
    pub score: f64,
    pub hit_rate: f64,
    /// The period has not ended: its hit rate counts only what already reached its goal,
    /// shown "so far" as in every other view.
    pub running: bool,
    /// `not_started`, `running` or `ended` (as `status` says it): a period not started yet
    /// shows its plan, not figures.
    pub period_state: crate::model::forecast::PeriodPhase,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjCard {
    pub id: String,
    pub qualified_id: String,
    pub title: String,
    pub owner: String,
    pub owner_url: String,
    pub team: String,
    pub team_url: String,
    pub kind: &'static str,
    pub score: f64,
    pub expected: f64,
    pub forecast: f64,
    pub status: Status,
    pub status_label: &'static str,
    pub url: String,
    pub stale: usize,
    /// Short id of the commit since which the objective's file has errors.
    pub broken_since: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TreeNode {
    pub obj: ObjCard,
    /// The parent when it is outside this period's tree: an objective of an enclosing
    /// period or a key result (`<period>/<team>/<slug>[#<kr>]`).
    pub aligns_to: Option<String>,
    pub children: Vec<TreeNode>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub time: Timestamp,
    pub commit: String,
    pub short: String,
    pub author: String,
    pub summary: String,
    pub id: String,
    /// What the id names, in words: the objective's title, `objective › key result`, or
    /// the KPI's title (the id when it is no longer known).
    pub item: String,
    pub field: Option<String>,
    pub url: Option<String>,
    pub description: String,
    pub goalpost_move: bool,
    pub easier: bool,
    pub effect: f64,
    /// The first-parent commit that landed the change (short) and its author; the same as
    /// `short` and `author` unless the change came through a merge.
    pub landed_in: String,
    pub landed_by: String,
    /// The badge of a goalpost move: `goalpost moved: easier, score +0.10`.
    pub move_badge: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiCard {
    pub id: String,
    pub title: String,
    pub url: String,
    pub value: f64,
    pub unit: Option<String>,
    pub health: String,
    pub trend: String,
    pub green: Option<f64>,
    pub red: Option<f64>,
    pub direction: Option<String>,
    pub owner: Option<String>,
    /// The value's history as a small trend line.
    pub spark: String,
    /// The latest values, newest first (the chart's values as text).
    pub values: Vec<KpiValue>,
}

/// One recorded KPI value.
#[derive(Debug, Clone, Serialize)]
pub struct KpiValue {
    pub time: Timestamp,
    pub value: String,
    pub note: Option<String>,
}

/// KPI values listed on its page, newest first.
const MAX_KPI_VALUES: usize = 24;

/// Everything computed once, from which each page's context is taken.
pub struct SiteData {
    pub info: SiteInfo,
    pub periods: Vec<(Period, StatusReport)>,
    pub current: Option<String>,
    /// `[scoring] success`, for the period figures of a team.
    pub success: f64,
}

pub fn objective_url(o_period: &str, id: &str) -> Option<String> {
    let ok = is_safe_segment(o_period) && id.split('/').all(is_safe_segment);
    ok.then(|| format!("objectives/{o_period}/{id}.html"))
}

pub fn team_url(team: &str) -> Option<String> {
    team.split('/')
        .all(is_safe_segment)
        .then(|| format!("teams/{team}.html"))
}

pub fn kpi_url(id: &str) -> Option<String> {
    is_safe_segment(id).then(|| format!("kpis/{id}.html"))
}

/// An owner's page. Names become file names injectively: letters, digits and `-` stay,
/// every other byte is written `_` and two hex digits (`Carol Jensen` → `Carol_20Jensen`).
pub fn owner_url(owner: &str) -> Option<String> {
    let mut slug = String::new();
    for b in owner.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            slug.push(char::from(b));
        } else {
            slug.push_str(&format!("_{b:02x}"));
        }
    }
    is_safe_segment(&slug).then(|| format!("owners/{slug}.html"))
}

pub fn period_url(name: &str) -> Option<String> {
    is_safe_segment(name).then(|| format!("periods/{name}.html"))
}

/// The periods with objectives, oldest first, each with its status report.
pub fn collect(history: &History, as_of: Timestamp) -> SiteData {
    let mut periods: Vec<Period> = history
        .goals
        .period_names()
        .iter()
        .filter_map(|n| history.config.periods.resolve(n).ok())
        .collect();
    periods.sort_by(|a, b| (a.start, &a.name).cmp(&(b.start, &b.name)));
    let today = as_of.to_zoned_datetime(history.config.tz().clone()).date();
    let current = history
        .config
        .periods
        .containing(today, &history.goals.period_names())
        .map(|p| p.name)
        .or_else(|| periods.last().map(|p| p.name.clone()));
    let head = history.head.clone();
    let info = SiteInfo {
        title: history.config.title.clone(),
        commit: head.as_ref().map(|c| c.id.clone()).unwrap_or_default(),
        short: head
            .as_ref()
            .map(|c| c.short().to_string())
            .unwrap_or_default(),
        as_of,
        partial: history.partial,
        noindex: history.config.site_noindex,
    };
    let periods = periods
        .into_iter()
        .map(|p| {
            let report = status::build(
                history,
                &StatusQuery {
                    owner: None,
                    period: &p,
                    as_of,
                    team: None,
                },
            );
            (p, report)
        })
        .collect();
    SiteData {
        info,
        periods,
        current,
        success: history.config.success,
    }
}

pub fn period_card(data: &SiteData, period: &Period, report: &StatusReport) -> PeriodCard {
    let n = report.objectives.len();
    PeriodCard {
        name: period.name.clone(),
        url: period_url(&period.name).unwrap_or_default(),
        start: period.start.to_string(),
        end: period.end.to_string(),
        elapsed: report.elapsed,
        objectives: n,
        score: report.period_score.unwrap_or(0.0),
        hit_rate: report.hit_rate.unwrap_or(0.0),
        running: report.running,
        period_state: report.period_state,
        current: data.current.as_deref() == Some(period.name.as_str()),
    }
}

pub fn obj_card(o: &ObjectiveStatus, period: &str) -> ObjCard {
    ObjCard {
        id: o.id.clone(),
        qualified_id: o.qualified_id.clone(),
        title: o.title.clone(),
        owner: o.owner.clone(),
        owner_url: owner_url(&o.owner).unwrap_or_default(),
        team: o.team.clone(),
        team_url: team_url(&o.team).unwrap_or_default(),
        kind: o.kind.as_str(),
        score: o.score,
        expected: o.expected,
        forecast: o.forecast,
        status: o.status,
        status_label: o.status.label(),
        url: objective_url(period, &o.id).unwrap_or_default(),
        stale: o.key_results.iter().filter(|k| k.stale).count(),
        broken_since: o
            .broken_since
            .as_deref()
            .map(|c| crate::history::short_id(c).to_string()),
    }
}

/// The alignment tree of one period: objectives without a (known) parent at the top.
pub fn tree(report: &StatusReport) -> Vec<TreeNode> {
    let by_parent: BTreeMap<Option<&str>, Vec<&ObjectiveStatus>> = {
        let known: std::collections::BTreeSet<&str> = report
            .objectives
            .iter()
            .map(|o| o.qualified_id.as_str())
            .collect();
        let mut map: BTreeMap<Option<&str>, Vec<&ObjectiveStatus>> = BTreeMap::new();
        for o in &report.objectives {
            let parent = o
                .parent
                .as_deref()
                .map(|p| crate::model::ids::split_parent(p).0)
                .filter(|p| known.contains(p) && *p != o.qualified_id);
            map.entry(parent).or_default().push(o);
        }
        map
    };
    fn grow(
        by_parent: &BTreeMap<Option<&str>, Vec<&ObjectiveStatus>>,
        key: Option<&str>,
        period: &str,
        depth: usize,
    ) -> Vec<TreeNode> {
        // Depth bound: check reports cycles; the site still must not loop on them.
        if depth > 32 {
            return Vec::new();
        }
        by_parent
            .get(&key)
            .map(|children| {
                children
                    .iter()
                    .map(|o| TreeNode {
                        obj: obj_card(o, period),
                        aligns_to: o.parent.clone().filter(|p| {
                            key.is_none() && !p.starts_with(&format!("{period}/"))
                                || p.contains('#')
                        }),
                        children: grow(by_parent, Some(&o.qualified_id), period, depth + 1),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    grow(&by_parent, None, &report.period, 0)
}

pub fn kpi_card(
    k: &KpiStatus,
    kpi: &crate::model::Kpi,
    h: Option<&ItemHistory>,
    as_of: Timestamp,
) -> KpiCard {
    let health = k.health.map_or("unknown", |h| h.as_str()).to_string();
    let trend = match (&k.trend, k.improving) {
        (Some(status::Trend::Flat), _) => "flat".to_string(),
        (Some(t), Some(true)) => format!("{} (improving)", t.as_str()),
        (Some(t), Some(false)) => format!("{} (worsening)", t.as_str()),
        (Some(t), None) => t.as_str().to_string(),
        (None, _) => "no history".to_string(),
    };
    let points: Vec<&crate::history::Point> = h
        .map(|h| h.points.iter().filter(|p| p.time <= as_of).collect())
        .unwrap_or_default();
    let series: Vec<f64> = points.iter().map(|p| p.value.as_f64()).collect();
    let spark = svg::spark(
        &format!(
            "{}: {}, {}",
            k.title,
            plural(series.len(), "value"),
            match (series.first(), series.last()) {
                (Some(a), Some(b)) => format!("from {} to {}", svg::num(*a), svg::num(*b)),
                _ => "no history".to_string(),
            }
        ),
        &series,
    );
    KpiCard {
        id: k.id.clone(),
        title: k.title.clone(),
        url: kpi_url(&k.id).unwrap_or_default(),
        value: k.value,
        unit: k.unit.clone(),
        health,
        trend,
        green: kpi.green,
        red: kpi.red,
        direction: kpi.direction.map(|d| d.as_str().to_string()),
        owner: kpi.owner.clone(),
        spark,
        values: points
            .iter()
            .rev()
            .take(MAX_KPI_VALUES)
            .map(|p| KpiValue {
                time: p.time,
                value: svg::num(p.value.as_f64()),
                note: p.note.clone(),
            })
            .collect(),
    }
}

/// The KPI's value series over its whole history, with threshold bands.
/// Axis dates are days in the repository's zone, as everywhere else.
pub fn kpi_chart(
    h: Option<&ItemHistory>,
    k: &crate::model::Kpi,
    (as_of, tz): (Timestamp, &jiff::tz::TimeZone),
) -> String {
    let points: Vec<(Timestamp, f64)> = h
        .map(|h| {
            h.points
                .iter()
                .filter(|p| p.time <= as_of)
                .map(|p| (p.time, p.value.as_f64()))
                .collect()
        })
        .unwrap_or_default();
    let first = points.first().map_or(as_of, |p| p.0);
    let span = (as_of.as_second() - first.as_second()).max(1) as f64;
    let scaled: Vec<(f64, f64)> = points
        .iter()
        .map(|(t, v)| ((t.as_second() - first.as_second()) as f64 / span, *v))
        .collect();
    let up = k.direction != Some(crate::model::Direction::Down);
    let day = |t: Timestamp| crate::model::clock::local_date(t, tz).to_string();
    svg::series(
        "kpi",
        &format!("{} over time", k.title),
        &scaled,
        k.green,
        k.red,
        up,
        &svg::Axis {
            start: day(first),
            end: day(as_of),
            now: String::new(),
        },
    )
}

/// Narrative HTML, sanitised.
pub fn narrative(o: &Objective) -> String {
    markdown::to_safe_html(&o.description)
}
