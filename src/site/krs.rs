//! Key result cards of an objective page: the burn-up chart with its axes and target
//! changes, the measure in words, and the check-ins as a table (date, value, note, commit
//! subject) that is both the chart's values for screen readers and the notes shown inline.

use super::svg::{self, Axis, Mark};
use crate::history::{History, ItemHistory};
use crate::model::forecast::{fraction, Status};
use crate::model::{kr_progress, Measure, Objective, Period};
use crate::report::status::{KrStatus, ObjectiveStatus};
use jiff::Timestamp;
use serde::Serialize;

/// Check-ins listed on a card, newest first; the change log has every one.
const MAX_CHECKINS: usize = 6;

#[derive(Debug, Serialize)]
pub struct KrCard {
    pub id: String,
    pub short_id: String,
    pub title: String,
    /// The key result's own owner, when it has one (else the objective's owner applies).
    pub owner: Option<String>,
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
    pub checkins: Vec<CheckinRow>,
    /// More check-ins than listed.
    pub more_checkins: usize,
    /// Changes of start or target after the period began, with who made them.
    pub target_changes: Vec<String>,
}

/// One recorded value of a key result.
#[derive(Debug, Serialize)]
pub struct CheckinRow {
    pub time: Timestamp,
    pub value: String,
    pub progress: f64,
    pub note: Option<String>,
    pub summary: String,
    pub short: String,
    pub author: String,
}

fn measure_text(k: &KrStatus) -> String {
    let unit = k
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    match (k.done, k.start, k.target, k.current) {
        (Some(true), ..) => "done".into(),
        (Some(false), ..) => "not done".into(),
        (None, Some(s), Some(t), Some(c)) => format!(
            "{}{unit} (from {} to {})",
            svg::num(c),
            svg::num(s),
            svg::num(t)
        ),
        _ => String::new(),
    }
}

/// Progress of a recorded value against today's start and target.
fn progress_of(measure: &Measure, value: f64) -> f64 {
    match *measure {
        Measure::Metric { start, target, .. } => kr_progress(&Measure::Metric {
            start,
            target,
            current: value,
        }),
        Measure::Milestone { .. } => value,
    }
}

/// Goalpost moves of key result `kr_id` (start or target changed after the period began,
/// as the model flags them), placed on the period's time axis.
fn target_marks(
    history: &History,
    objective: Option<&ItemHistory>,
    kr_id: &str,
    period: &Period,
) -> Vec<Mark> {
    let Some(h) = objective else {
        return Vec::new();
    };
    h.changes
        .iter()
        .filter(|l| l.change.goalpost_move && l.change.id == kr_id)
        .filter_map(|l| {
            let commit = history.commits.get(l.commit)?;
            let what = crate::report::diff::describe_parts(
                &crate::report::diff::ChangeParts {
                    goalpost_move: false,
                    easier: false,
                    ..crate::report::diff::ChangeParts::of(&l.change)
                },
                "",
            );
            Some(Mark {
                at: fraction(period, commit.time),
                label: format!("{what} by {}", commit.author),
            })
        })
        .collect()
}

/// Key result cards with burn-up charts.
pub fn kr_cards(
    history: &History,
    objective: &Objective,
    status: &ObjectiveStatus,
    period: &Period,
    as_of: Timestamp,
) -> Vec<KrCard> {
    let qid = objective.qualified_id();
    let axis = Axis {
        start: period.start.to_string(),
        end: period.end.to_string(),
        now: as_of.strftime("%Y-%m-%d").to_string(),
    };
    let obj_history = history.objectives.get(&qid);
    objective
        .key_results
        .iter()
        .zip(&status.key_results)
        .enumerate()
        .map(|(i, (kr, s))| {
            let h = history.key_results.get(&format!("{qid}#{}", kr.id));
            let points: Vec<&crate::history::Point> = h
                .map(|h| h.points.iter().filter(|p| p.time <= as_of).collect())
                .unwrap_or_default();
            let burn: Vec<(f64, f64)> = points
                .iter()
                .map(|p| {
                    (
                        fraction(period, p.time),
                        progress_of(&kr.measure, p.value.as_f64()),
                    )
                })
                .collect();
            let marks = target_marks(history, obj_history, &s.id, period);
            let title = format!("Burn-up of {}", kr.title);
            let chart = svg::burn_up(
                &format!("kr{i}"),
                &title,
                &burn,
                fraction(period, as_of),
                &axis,
                &marks,
            );
            let checkins: Vec<CheckinRow> = points
                .iter()
                .rev()
                .take(MAX_CHECKINS)
                .map(|p| checkin_row(history, &kr.measure, p))
                .collect();
            KrCard {
                id: s.id.clone(),
                short_id: kr.id.clone(),
                title: kr.title.clone(),
                owner: None,
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
                chart,
                more_checkins: points.len().saturating_sub(checkins.len()),
                checkins,
                target_changes: marks.into_iter().map(|m| m.label).collect(),
            }
        })
        .collect()
}

fn checkin_row(history: &History, measure: &Measure, p: &crate::history::Point) -> CheckinRow {
    let commit = history.commits.get(p.commit);
    let value = match (measure, p.value) {
        (_, crate::history::PointValue::Done(true)) => "done".to_string(),
        (_, crate::history::PointValue::Done(false)) => "not done".to_string(),
        (Measure::Metric { .. }, v) | (Measure::Milestone { .. }, v) => svg::num(v.as_f64()),
    };
    CheckinRow {
        time: p.time,
        value,
        progress: progress_of(measure, p.value.as_f64()),
        note: p.note.clone(),
        summary: commit.map(|c| c.summary.clone()).unwrap_or_default(),
        short: commit.map(|c| c.short().to_string()).unwrap_or_default(),
        author: commit.map(|c| c.author.clone()).unwrap_or_default(),
    }
}
