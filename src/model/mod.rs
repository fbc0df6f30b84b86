//! The goal model: objectives, key results, check-ins, KPIs and periods. Pure data, no IO.

pub mod changes;
pub mod clock;
pub mod diff;
pub mod forecast;
pub mod headline;
pub mod ids;
pub mod moves;
pub mod people;
mod period;
pub mod period_score;
mod score;
pub mod verdict;

pub use period::{Period, PeriodError, PeriodSet};
pub use period_score::PeriodScore;
pub use score::{clamp01, kr_progress, kr_score, objective_score, weighted_mean, MAX_MAGNITUDE};

use jiff::civil::Date;
use std::ops::Range;

/// Where a value sits in its file: the byte span (for carets) is enough, the file is known
/// from the owning objective or KPI.
pub type Span = Range<usize>;

/// `aspirational` objectives count as achieved at the success score (0.7 by default);
/// `committed` ones are expected to reach 1.0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ObjectiveKind {
    Aspirational,
    Committed,
}

impl ObjectiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectiveKind::Aspirational => "aspirational",
            ObjectiveKind::Committed => "committed",
        }
    }
}

/// Whether higher or lower KPI values are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    /// The name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// How a key result is measured.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Measure {
    /// A number moving from `start` toward `target`.
    Metric {
        start: f64,
        target: f64,
        current: f64,
    },
    /// Done or not done.
    Milestone { done: bool },
}

/// The value recorded by one dated check-in.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CheckinValue {
    Number(f64),
    Done(bool),
}

/// A value recorded outside a commit, at its own date.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checkin {
    pub date: Date,
    pub value: CheckinValue,
    pub note: Option<String>,
    pub span: Span,
}

/// Spans of the key result's fields that lints point at.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyResultSpans {
    pub table: Span,
    pub id: Span,
    pub title: Span,
    pub start: Span,
    pub target: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    /// Its own owner; `None`: the objective's ([`Objective::kr_owner`]).
    pub owner: Option<String>,
    pub unit: Option<String>,
    /// The id this key result had before a rename (`renamed_from`), so it keeps its history.
    pub renamed_from: Option<String>,
    pub measure: Measure,
    pub weight: f64,
    pub confidence: Option<f64>,
    pub checkins: Vec<Checkin>,
    pub spans: KeyResultSpans,
}

/// Spans of the objective's fields that lints and cross-file checks point at.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ObjectiveSpans {
    pub header: Span,
    pub id: Option<Span>,
    pub owner: Option<Span>,
    pub parent: Option<Span>,
    pub carried_from: Option<Span>,
    pub title: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Objective {
    /// `<team>/<slug>`, from the path unless pinned by `id`.
    pub id: String,
    pub period: String,
    pub team: String,
    pub title: String,
    pub owner: String,
    pub kind: ObjectiveKind,
    /// Qualified id of the parent objective (`<period>/<team>/<slug>`).
    pub parent: Option<String>,
    pub carried_from: Option<String>,
    pub description: String,
    pub key_results: Vec<KeyResult>,
    /// Path relative to the goal root, `/`-separated.
    pub file: String,
    pub spans: ObjectiveSpans,
    /// Where each key result is in `key_results`, for [`Objective::key_result`].
    #[serde(skip)]
    pub kr_index: KrIndex,
}

/// Key result ids to their positions, built on the first lookup of an objective with many
/// key results: looking each one up by scanning made 100,000 key results quadratic. It is
/// derived data, so it never makes two objectives unequal, and every hit is checked against
/// `key_results` (a miss or a stale position falls back to the scan), so an edited
/// `key_results` can never make a lookup wrong.
#[derive(Clone, Default)]
pub struct KrIndex(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl PartialEq for KrIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for KrIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KrIndex")
    }
}

/// Below this many key results a scan is as fast as the index.
const KR_INDEX_FROM: usize = 16;

impl Objective {
    /// `<period>/<team>/<slug>`: unique across the repository.
    pub fn qualified_id(&self) -> String {
        format!("{}/{}", self.period, self.id)
    }

    pub fn key_result(&self, id: &str) -> Option<&KeyResult> {
        if self.key_results.len() >= KR_INDEX_FROM {
            let index = self.kr_index.0.get_or_init(|| {
                let mut index = std::collections::HashMap::new();
                for (i, kr) in self.key_results.iter().enumerate() {
                    index.entry(kr.id.clone()).or_insert(i);
                }
                index
            });
            let hit = index.get(id).and_then(|&i| self.key_results.get(i));
            if let Some(kr) = hit.filter(|kr| kr.id == id) {
                return Some(kr);
            }
        }
        self.key_results.iter().find(|kr| kr.id == id)
    }

    /// Who is accountable for `kr`: its own `owner`, else the objective's.
    pub fn kr_owner<'a>(&'a self, kr: &'a KeyResult) -> &'a str {
        kr.owner.as_deref().unwrap_or(&self.owner)
    }

    /// Whether `owner` owns this objective or one of its key results.
    pub fn owned_by(&self, owner: &str) -> bool {
        self.owner == owner || self.key_results.iter().any(|k| self.kr_owner(k) == owner)
    }
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KpiSpans {
    pub header: Span,
    pub value: Span,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Kpi {
    pub id: String,
    pub title: String,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub value: f64,
    pub green: Option<f64>,
    pub red: Option<f64>,
    /// Dated measurements (`[[checkins]]`), in file order.
    pub checkins: Vec<Checkin>,
    pub description: String,
    pub file: String,
    pub spans: KpiSpans,
}

/// Health of a KPI against its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    Green,
    Yellow,
    Red,
    /// No thresholds or no direction: health cannot be judged.
    Unknown,
}

impl Health {
    /// The name used in JSON and on the site.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Green => "green",
            Health::Yellow => "yellow",
            Health::Red => "red",
            Health::Unknown => "unknown",
        }
    }
}

impl Kpi {
    pub fn health(&self) -> Health {
        kpi_health(self.value, self.direction, self.green, self.red)
    }
}

/// Health of `value` given a direction and thresholds: at or beyond green (in the good
/// direction) is green, beyond red in the bad direction is red, anything between is yellow.
pub fn kpi_health(
    value: f64,
    dir: Option<Direction>,
    green: Option<f64>,
    red: Option<f64>,
) -> Health {
    let Some(dir) = dir else {
        return Health::Unknown;
    };
    let better_or_equal = |a: f64, b: f64| match dir {
        Direction::Up => a >= b,
        Direction::Down => a <= b,
    };
    match (green, red) {
        (None, None) => Health::Unknown,
        (Some(g), _) if better_or_equal(value, g) => Health::Green,
        (_, Some(r)) if !better_or_equal(value, r) => Health::Red,
        _ => Health::Yellow,
    }
}

/// Settings from `goalpost.toml`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    pub title: String,
    /// Where the site is published (ends with `/`), or empty for relative links.
    pub site_url: String,
    /// `[site] noindex`: the site asks search engines not to index it.
    pub site_noindex: bool,
    pub goals_dir: String,
    pub kpi_dir: String,
    pub success: f64,
    pub stale_days: u32,
    /// Named periods and the time zone (`[site] timezone`) periods are counted in.
    pub periods: PeriodSet,
    /// `[site] timezone` as written (`None`: UTC).
    pub timezone: Option<String>,
    /// `[people]`, by owner name; `None` when the table is absent.
    pub people: Option<std::collections::BTreeMap<String, people::Person>>,
}

impl Config {
    /// The zone for displayed times and period boundaries.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.periods.tz
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Goals".to_string(),
            site_url: String::new(),
            site_noindex: false,
            goals_dir: "goals".to_string(),
            kpi_dir: "kpis".to_string(),
            success: 0.7,
            stale_days: 14,
            periods: PeriodSet::default(),
            timezone: None,
            people: None,
        }
    }
}

/// Everything loaded from one revision of a goal repository.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GoalSet {
    /// Sorted by qualified id.
    pub objectives: Vec<Objective>,
    /// Sorted by id.
    pub kpis: Vec<Kpi>,
}

impl GoalSet {
    /// The objective with this qualified id: a binary search over the sorted objectives
    /// that compares `<period>/<id>` without building the string (O(log n), no allocation).
    pub fn objective(&self, qualified_id: &str) -> Option<&Objective> {
        fn key(o: &Objective) -> impl Iterator<Item = u8> + '_ {
            o.period
                .bytes()
                .chain(std::iter::once(b'/'))
                .chain(o.id.bytes())
        }
        let first = self
            .objectives
            .partition_point(|o| key(o).lt(qualified_id.bytes()));
        self.objectives
            .get(first)
            .filter(|o| key(o).eq(qualified_id.bytes()))
    }

    /// Periods that have at least one objective, sorted.
    pub fn period_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.objectives.iter().map(|o| o.period.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}

/// Renders a number as TOML: integers without a fraction, others in shortest form.
pub fn number_literal(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // KPI health honours direction and both thresholds.
    #[test]
    fn kpi_health_by_direction() {
        let up = Some(Direction::Up);
        assert_eq!(kpi_health(99.95, up, Some(99.9), Some(99.5)), Health::Green);
        assert_eq!(kpi_health(99.7, up, Some(99.9), Some(99.5)), Health::Yellow);
        assert_eq!(kpi_health(99.4, up, Some(99.9), Some(99.5)), Health::Red);
        let down = Some(Direction::Down);
        assert_eq!(
            kpi_health(150.0, down, Some(200.0), Some(400.0)),
            Health::Green
        );
        assert_eq!(
            kpi_health(450.0, down, Some(200.0), Some(400.0)),
            Health::Red
        );
        assert_eq!(kpi_health(1.0, None, Some(2.0), None), Health::Unknown);
    }
}
