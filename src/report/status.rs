//! `status`: the view-model of a period's progress (JSON per SPEC section 6) and its text
//! rendering as a table with bars.

use crate::history::{History, ItemHistory, Version};
use crate::model::forecast::PeriodPhase;
use crate::model::forecast::{self, Status};
use crate::model::period_score::objective_goal;
use crate::model::verdict::{kr_verdict, objective_verdict, Clock, KrEvidence, KrKind, KrVerdict};
use crate::model::{
    kpi_health, Direction, Health, KeyResult, Kpi, Objective, ObjectiveKind, Period, PeriodScore,
};
use jiff::Timestamp;
use serde::Serialize;

/// Rounds for display and stable JSON: 4 decimals. Never returns `inf` or `NaN` (NaN
/// becomes 0, anything else is kept within ±[`crate::model::MAX_MAGNITUDE`]), so no
/// output can show one.
pub fn round4(x: f64) -> f64 {
    if x.is_nan() {
        return 0.0;
    }
    let bound = crate::model::MAX_MAGNITUDE;
    // `+ 0.0` turns a negative zero into zero, so nothing prints as "-0.00".
    ((x.clamp(-bound, bound) * 10_000.0).round() / 10_000.0) + 0.0
}

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub title: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub as_of: Timestamp,
    /// Fraction of the period elapsed at `as_of`.
    pub elapsed: f64,
    pub revision: Option<String>,
    /// The history was cut by a shallow clone (accepted with --allow-shallow).
    pub partial: bool,
    /// Errors `check` finds in the goal files of the analysed revision (their figures may
    /// be incomplete); set by the caller.
    pub check_errors: usize,
    pub stale_after_days: u32,
    /// The period score: the mean of the objectives' scores (docs/scoring.md); `null`
    /// without objectives.
    pub period_score: Option<f64>,
    /// The share of objectives that reached their goal (docs/scoring.md); `null` without
    /// objectives.
    pub hit_rate: Option<f64>,
    /// The period has not ended at `as_of`: statuses are running ones and the hit rate
    /// counts only what already reached its goal ("so far").
    pub running: bool,
    /// Where `as_of` falls against the period: `not_started`, `running` or `ended` (as in
    /// `remind` and `compare`); a period not started yet has plans, not results.
    pub period_state: PeriodPhase,
    pub objectives: Vec<ObjectiveStatus>,
    pub kpis: Vec<KpiStatus>,
    /// The repository's zone (`[site] timezone`): text shows times in it.
    #[serde(skip)]
    pub tz: jiff::tz::TimeZone,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveStatus {
    pub id: String,
    pub qualified_id: String,
    pub title: String,
    pub owner: String,
    pub team: String,
    pub kind: ObjectiveKind,
    /// What this aligns to: `<period>/<team>/<slug>`, or `...#<kr>` for a key result; it
    /// may be in an enclosing period.
    pub parent: Option<String>,
    /// Objectives aligned to this one (or to one of its key results), from any period,
    /// as qualified ids.
    pub children: Vec<String>,
    pub score: f64,
    /// The unrounded score, which period figures are computed from.
    #[serde(skip)]
    pub exact_score: f64,
    pub expected: f64,
    pub forecast: f64,
    pub status: Status,
    /// The commit since which the objective's file has errors (its figures are from the
    /// last good version); `null` when the file is fine.
    pub broken_since: Option<String>,
    pub key_results: Vec<KrStatus>,
}

#[derive(Debug, Serialize)]
pub struct KrStatus {
    pub id: String,
    pub title: String,
    /// Who is accountable: the key result's own `owner`, else the objective's.
    pub owner: String,
    pub unit: Option<String>,
    pub progress: f64,
    pub score: f64,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub current: Option<f64>,
    pub done: Option<bool>,
    pub weight: f64,
    pub confidence: Option<f64>,
    pub expected: f64,
    pub forecast: f64,
    pub status: Status,
    pub last_update: Option<Timestamp>,
    pub days_since_update: Option<i64>,
    pub stale: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Flat,
}

impl Trend {
    /// The name used in JSON and on the site.
    pub fn as_str(&self) -> &'static str {
        match self {
            Trend::Up => "up",
            Trend::Down => "down",
            Trend::Flat => "flat",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct KpiStatus {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub value: f64,
    /// `null` when the KPI has no direction or thresholds to judge by.
    pub health: Option<Health>,
    pub direction: Option<Direction>,
    /// Value about 30 days before `as_of` (or the oldest known), for the trend.
    pub previous: Option<f64>,
    pub trend: Option<Trend>,
    pub improving: Option<bool>,
    pub last_update: Option<Timestamp>,
}

/// What the report covers.
pub struct StatusQuery<'a> {
    pub period: &'a Period,
    pub as_of: Timestamp,
    /// Only this team and the teams nested under it.
    pub team: Option<&'a str>,
    /// Only what this owner owns: their objectives (whole), the key results they own in
    /// others' objectives, and their KPIs.
    pub owner: Option<&'a str>,
}

pub fn in_team(team: &str, filter: Option<&str>) -> bool {
    filter.is_none_or(|f| team == f || team.starts_with(&format!("{f}/")))
}

/// Objective scores by qualified id, as `status` computes them at a time.
pub type Scores = std::collections::BTreeMap<String, f64>;

/// The score of every objective of `period` as known at `as_of`: what `compare` and
/// `retro` show, so that all views agree.
pub fn scores_at(history: &History, period: &Period, as_of: Timestamp) -> Scores {
    let q = StatusQuery {
        period,
        as_of,
        team: None,
        owner: None,
    };
    build(history, &q)
        .objectives
        .into_iter()
        .map(|o| (o.qualified_id, o.exact_score))
        .collect()
}

/// The period's clock at the query's time.
pub fn clock(history: &History, q: &StatusQuery) -> Clock {
    let (start, end) = forecast::period_bounds(q.period);
    Clock {
        start,
        end,
        now: q.as_of,
        stale_after_days: history.config.stale_days,
    }
}

pub fn build(history: &History, q: &StatusQuery) -> StatusReport {
    let clock = clock(history, q);
    let mut objectives: Vec<ObjectiveStatus> = history
        .period_objectives_at(&q.period.name, q.as_of)
        .into_iter()
        .filter(|(o, _)| in_team(&o.team, q.team))
        .filter(|(o, _)| q.owner.is_none_or(|name| o.owned_by(name)))
        .map(|(o, v)| objective_status(history, &clock, o, v))
        .collect();
    let figures = PeriodScore::of(
        objectives.iter().map(|o| (o.exact_score, o.kind)),
        history.config.success,
    );
    // `--owner`: an objective someone else owns shows only the key results NAME owns.
    if let Some(name) = q.owner {
        for o in objectives.iter_mut().filter(|o| o.owner != name) {
            o.key_results.retain(|k| k.owner == name);
        }
    }
    let kpis = if q.team.is_none() {
        kpi_statuses(history, q.as_of)
            .into_iter()
            .filter(|k| q.owner.is_none_or(|name| k.owner.as_deref() == Some(name)))
            .collect()
    } else {
        Vec::new()
    };
    StatusReport {
        title: history.config.title.clone(),
        period: q.period.name.clone(),
        period_start: q.period.start.to_string(),
        period_end: q.period.end.to_string(),
        as_of: q.as_of,
        elapsed: round4(clock.elapsed()),
        revision: history.head.as_ref().map(|c| c.id.clone()),
        partial: history.partial,
        check_errors: 0,
        stale_after_days: history.config.stale_days,
        period_score: figures.score().map(round4),
        hit_rate: figures.hit_rate().map(round4),
        running: clock.phase() != PeriodPhase::Ended,
        period_state: clock.phase(),
        objectives,
        kpis,
        tz: history.config.tz().clone(),
    }
}

/// An objective as known at the clock's time: the version `v` in force then.
fn objective_status(
    history: &History,
    clock: &Clock,
    o: &Objective,
    v: &Version,
) -> ObjectiveStatus {
    let goal = objective_goal(o.kind, history.config.success);
    let qid = o.qualified_id();
    let judged: Vec<(&KeyResult, KrEvidence, KrVerdict)> = o
        .key_results
        .iter()
        .filter_map(|kr| {
            let e = history.kr_evidence(&qid, &kr.id, clock.now)?;
            let verdict = kr_verdict(&e, clock, goal);
            Some((kr, e, verdict))
        })
        .collect();
    let weighted: Vec<(f64, KrVerdict)> = judged.iter().map(|(k, _, v)| (k.weight, *v)).collect();
    let verdict = objective_verdict(&weighted, clock, goal);
    ObjectiveStatus {
        id: o.id.clone(),
        qualified_id: qid.clone(),
        title: o.title.clone(),
        owner: o.owner.clone(),
        team: o.team.clone(),
        kind: o.kind,
        parent: o.parent.clone(),
        children: history
            .goals
            .objectives
            .iter()
            .filter(|c| {
                c.parent
                    .as_deref()
                    .is_some_and(|p| crate::model::ids::split_parent(p).0 == qid)
            })
            .map(Objective::qualified_id)
            .collect(),
        score: round4(verdict.score),
        exact_score: verdict.score,
        expected: round4(verdict.expected),
        forecast: round4(verdict.forecast),
        status: verdict.status,
        broken_since: v.broken_since.clone(),
        key_results: judged
            .iter()
            .map(|(kr, e, verdict)| kr_status(clock, o, kr, e, verdict))
            .collect(),
    }
}

fn kr_status(
    clock: &Clock,
    o: &Objective,
    kr: &KeyResult,
    e: &KrEvidence,
    v: &KrVerdict,
) -> KrStatus {
    let (start, target, current, done) = match e.kind {
        KrKind::Metric => (Some(e.start), Some(e.target), v.current, None),
        KrKind::Milestone => (None, None, None, Some(v.score >= 1.0)),
    };
    let days = v.last_update.map(|t| clock.days_since(t));
    KrStatus {
        id: format!("{}#{}", o.id, kr.id),
        title: kr.title.clone(),
        owner: o.kr_owner(kr).to_string(),
        unit: kr.unit.clone(),
        progress: round4(v.progress),
        score: round4(v.score),
        start,
        target,
        current,
        done,
        weight: kr.weight,
        confidence: kr.confidence,
        expected: round4(v.expected),
        forecast: round4(v.forecast),
        status: v.status,
        last_update: v.last_update,
        days_since_update: days,
        stale: v.stale,
    }
}

/// Every KPI's status at `as_of` (KPIs belong to no period), in the goal set's order.
pub fn kpi_statuses(history: &History, as_of: Timestamp) -> Vec<KpiStatus> {
    history
        .goals
        .kpis
        .iter()
        .map(|k| kpi_status(history.kpis.get(&k.id).map(|h| &**h), k, as_of))
        .collect()
}

fn kpi_status(h: Option<&ItemHistory>, k: &Kpi, as_of: Timestamp) -> KpiStatus {
    let points: Vec<_> = h
        .map(|h| h.points.iter().filter(|p| p.time <= as_of).collect())
        .unwrap_or_default();
    let month_ago = as_of.as_second() - 30 * 86_400;
    let previous = points
        .iter()
        .rev()
        .find(|p| p.time.as_second() <= month_ago)
        .or(points.first())
        .map(|p| p.value.as_f64());
    let trend = previous.map(|p| {
        if (k.value - p).abs() < 1e-12 {
            Trend::Flat
        } else if k.value > p {
            Trend::Up
        } else {
            Trend::Down
        }
    });
    let improving = match (&trend, k.direction) {
        (Some(Trend::Flat), _) | (None, _) | (_, None) => None,
        (Some(t), Some(d)) => Some(matches!(
            (t, d),
            (Trend::Up, Direction::Up) | (Trend::Down, Direction::Down)
        )),
    };
    let health = match kpi_health(k.value, k.direction, k.green, k.red) {
        Health::Unknown => None,
        h => Some(h),
    };
    KpiStatus {
        id: k.id.clone(),
        title: k.title.clone(),
        owner: k.owner.clone(),
        unit: k.unit.clone(),
        value: k.value,
        health,
        direction: k.direction,
        previous,
        trend,
        improving,
        last_update: points.last().map(|p| p.time),
    }
}

impl super::Render for StatusReport {
    fn text(&self, style: super::Style) -> Option<String> {
        Some(super::status_text::text(self, style.color))
    }
    super::serde_json_render!();
}
