//! View-models of the site's pages: everything a template sees, already computed, sorted
//! and formatted. Templates never see domain types.

use super::{markdown, svg};
use crate::history::{History, ItemHistory};
use crate::load::ids::is_safe_segment;
use crate::model::forecast::{fraction, Status};
use crate::model::period_score::objective_goal;
use crate::model::verdict::{current_reading, Reading};
use crate::model::{Objective, Period};
use crate::report::status::{
    self, KpiStatus, KrStatus, ObjectiveStatus, StatusQuery, StatusReport,
};
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
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjCard {
    pub id: String,
    pub qualified_id: String,
    pub title: String,
    pub owner: String,
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
}

#[derive(Debug, Serialize)]
pub struct KrCard {
    pub id: String,
    pub short_id: String,
    pub title: String,
    pub measure: String,
    pub score: f64,
    pub status: Status,
    pub status_label: &'static str,
    pub expected: f64,
    pub forecast: f64,
    pub confidence: Option<f64>,
    pub last_update: Option<Timestamp>,
    pub days_since_update: Option<i64>,
    pub stale: bool,
    pub chart: String,
}

#[derive(Debug, Serialize)]
pub struct Attention {
    pub kind: AttentionKind,
    pub label: String,
    pub detail: String,
    pub url: String,
}

/// Why an item is on the index page's "Needs attention" list (templates see the
/// snake_case name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    OffTrack,
    Stale,
    Moved,
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
}

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
        current: data.current.as_deref() == Some(period.name.as_str()),
    }
}

pub fn obj_card(o: &ObjectiveStatus, period: &str) -> ObjCard {
    ObjCard {
        id: o.id.clone(),
        qualified_id: o.qualified_id.clone(),
        title: o.title.clone(),
        owner: o.owner.clone(),
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

fn measure_text(k: &KrStatus) -> String {
    let n = |v: f64| crate::model::number_literal((v * 1000.0).round() / 1000.0);
    let unit = k
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    match (k.done, k.start, k.target, k.current) {
        (Some(true), ..) => "done".into(),
        (Some(false), ..) => "not done".into(),
        (None, Some(s), Some(t), Some(c)) => format!("{}{unit} (from {} to {})", n(c), n(s), n(t)),
        _ => String::new(),
    }
}

/// Key result cards with burn-up charts, in the order of the status report.
pub fn kr_cards(
    history: &History,
    status: &ObjectiveStatus,
    period: &Period,
    as_of: Timestamp,
) -> Vec<KrCard> {
    let goal = objective_goal(status.kind, history.config.success);
    status
        .key_results
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let short = s.id.rsplit_once('#').map_or(s.id.as_str(), |(_, k)| k);
            let (points, marks) = burn_points(history, &status.qualified_id, short, period, as_of);
            let title = format!("Burn-up of {}", s.title);
            KrCard {
                id: s.id.clone(),
                short_id: short.to_string(),
                title: s.title.clone(),
                measure: measure_text(s),
                score: s.score,
                status: s.status,
                status_label: s.status.label(),
                expected: s.expected,
                forecast: s.forecast,
                confidence: s.confidence,
                last_update: s.last_update,
                days_since_update: s.days_since_update,
                stale: s.stale,
                chart: svg::burn_up(
                    &format!("kr{i}"),
                    &title,
                    &points,
                    &marks,
                    (fraction(period, as_of), goal),
                ),
            }
        })
        .collect()
}

/// (elapsed fraction, progress) of each reading up to `as_of`, each scored against the
/// start and target in force at its time (a later target edit never rewrites the past),
/// plus a point at each start or target change (the value then against the new target),
/// and the elapsed fractions of those changes.
fn burn_points(
    history: &History,
    qualified_id: &str,
    kr_id: &str,
    period: &Period,
    as_of: Timestamp,
) -> (Vec<(f64, f64)>, Vec<f64>) {
    let Some(e) = history.kr_evidence(qualified_id, kr_id, as_of) else {
        return (Vec::new(), Vec::new());
    };
    let changes = history.target_changes(qualified_id, kr_id, as_of);
    let mut points: Vec<(Timestamp, f64)> = e
        .readings
        .iter()
        .filter(|r| r.time <= as_of)
        .map(|r| (r.time, r.progress()))
        .collect();
    for (t, (start, target)) in &changes {
        if let Some(r) = current_reading(&e.readings, *t) {
            let rescored = Reading {
                start: *start,
                target: *target,
                ..*r
            };
            points.push((*t, rescored.progress()));
        }
    }
    points.sort_by_key(|p| p.0);
    let marks = changes.iter().map(|(t, _)| fraction(period, *t)).collect();
    let points = points
        .into_iter()
        .map(|(t, p)| (fraction(period, t), p))
        .collect();
    (points, marks)
}

pub fn kpi_card(k: &KpiStatus, kpi: &crate::model::Kpi) -> KpiCard {
    let health = k.health.map_or("unknown", |h| h.as_str()).to_string();
    let trend = match (&k.trend, k.improving) {
        (Some(status::Trend::Flat), _) => "flat".to_string(),
        (Some(t), Some(true)) => format!("{} (improving)", t.as_str()),
        (Some(t), Some(false)) => format!("{} (worsening)", t.as_str()),
        (Some(t), None) => t.as_str().to_string(),
        (None, _) => "no history".to_string(),
    };
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
    }
}

/// The KPI's value series over its whole history, with threshold bands.
pub fn kpi_chart(h: Option<&ItemHistory>, k: &crate::model::Kpi, as_of: Timestamp) -> String {
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
    svg::series(
        "kpi",
        &format!("{} over time", k.title),
        &scaled,
        k.green,
        k.red,
        up,
    )
}

/// Narrative HTML, sanitised.
pub fn narrative(o: &Objective) -> String {
    markdown::to_safe_html(&o.description)
}
