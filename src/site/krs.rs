//! Key result cards of an objective page: the burn-up chart with its axes and target
//! changes, the measure in words, and the check-ins as a table (date, value, note, commit
//! subject) that is both the chart's values for screen readers and the notes shown inline.

use super::svg::{self, Axis, Mark};
use crate::history::History;
use crate::model::forecast::{fraction, Status};
use crate::model::period_score::objective_goal;
use crate::model::verdict::{current_reading, Reading};
use crate::model::Period;
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
    /// The owner's page.
    pub owner_url: Option<String>,
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

/// The start and target changes of key result `kr_id` (full id `kr_full`) of objective
/// `qualified_id` up to `as_of`, from the history's versions (`History::target_changes`),
/// each placed on the period's time axis and labelled with what changed and who made it
/// (the change log's entry of that commit, else the new start and target).
fn target_marks(
    history: &History,
    (qualified_id, kr_id, kr_full): (&str, &str, &str),
    period: &Period,
    as_of: Timestamp,
) -> Vec<Mark> {
    let logged = history.objectives.get(qualified_id);
    history
        .target_changes(qualified_id, kr_id, as_of)
        .into_iter()
        .map(|(time, (start, target))| {
            let words: Vec<String> = logged
                .map(|h| h.changes.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|l| {
                    l.change.id == kr_full
                        && matches!(l.change.field.as_deref(), Some("start" | "target"))
                        && history
                            .commits
                            .get(l.commit)
                            .is_some_and(|c| c.time == time)
                })
                .map(|l| {
                    let what = crate::report::diff::describe_parts(
                        &crate::report::diff::ChangeParts {
                            goalpost_move: false,
                            easier: false,
                            ..crate::report::diff::ChangeParts::of(&l.change)
                        },
                        "",
                    );
                    format!("{what} by {}", history.origin(l.commit, &l.change).author)
                })
                .collect();
            let label = if words.is_empty() {
                format!("start {}, target {}", svg::num(start), svg::num(target))
            } else {
                words.join("; ")
            };
            Mark {
                at: fraction(period, time),
                label,
            }
        })
        .collect()
}

/// (elapsed fraction, progress) of each reading up to `as_of`, each scored against the
/// start and target in force at its time (a later target edit never rewrites the past),
/// plus a point at each start or target change (the value then against the new target).
/// Also each reading's progress, in the order of the key result's recorded points.
fn burn_points(
    history: &History,
    (qualified_id, kr_id): (&str, &str),
    period: &Period,
    as_of: Timestamp,
) -> (Vec<(f64, f64)>, Vec<f64>) {
    let Some(e) = history.kr_evidence(qualified_id, kr_id, as_of) else {
        return (Vec::new(), Vec::new());
    };
    let progress = e.readings.iter().map(Reading::progress).collect();
    let mut points: Vec<(Timestamp, f64)> = e
        .readings
        .iter()
        .filter(|r| r.time <= as_of)
        .map(|r| (r.time, r.progress()))
        .collect();
    for (t, (start, target)) in history.target_changes(qualified_id, kr_id, as_of) {
        if let Some(r) = current_reading(&e.readings, t) {
            let rescored = Reading {
                start,
                target,
                ..*r
            };
            points.push((t, rescored.progress()));
        }
    }
    points.sort_by_key(|p| p.0);
    let points = points
        .into_iter()
        .map(|(t, p)| (fraction(period, t), p))
        .collect();
    (points, progress)
}

/// The burn-up backdrops of one period (`svg::burn_up_backdrop`), by goal: every chart
/// of the period shares its axis and "now", and objectives of one kind share their goal.
pub type Backdrops = std::collections::HashMap<u64, String>;

/// Key result cards with burn-up charts, in the order of the status report. `backdrops`
/// must only ever see one `period` and `as_of`.
pub fn kr_cards(
    history: &History,
    status: &ObjectiveStatus,
    (period, as_of): (&Period, Timestamp),
    backdrops: &mut Backdrops,
) -> Vec<KrCard> {
    let qid = status.qualified_id.as_str();
    let goal = objective_goal(status.kind, history.config.success);
    let axis = Axis {
        start: period.start.to_string(),
        end: period.end.to_string(),
        now: crate::model::clock::local_date(as_of, history.config.tz()).to_string(),
    };
    let now = fraction(period, as_of);
    let backdrop = backdrops
        .entry(goal.to_bits())
        .or_insert_with(|| svg::burn_up_backdrop(&axis, now, goal));
    status
        .key_results
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let short = s.id.rsplit_once('#').map_or(s.id.as_str(), |(_, k)| k);
            let (burn, progress) = burn_points(history, (qid, short), period, as_of);
            // Histories and the change log name a key result by its qualified id.
            let kr_qid = format!("{qid}#{short}");
            let marks = target_marks(history, (qid, short, &kr_qid), period, as_of);
            let title = format!("Burn-up of {}", s.title);
            let chart = svg::burn_up_on(
                backdrop,
                &format!("kr{i}"),
                &title,
                &burn,
                (now, goal),
                &axis,
                &marks,
            );
            let points: Vec<(usize, &crate::history::Point)> = history
                .key_results
                .get(&kr_qid)
                .map(|h| {
                    h.points
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.time <= as_of)
                        .collect()
                })
                .unwrap_or_default();
            let checkins: Vec<CheckinRow> = points
                .iter()
                .rev()
                .take(MAX_CHECKINS)
                .map(|(n, p)| checkin_row(history, p, progress.get(*n).copied()))
                .collect();
            let owner = Some(s.owner.clone()).filter(|o| !o.is_empty() && *o != status.owner);
            KrCard {
                owner_url: owner.as_deref().and_then(super::pages::owner_url),
                owner,
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
                chart,
                more_checkins: points.len().saturating_sub(checkins.len()),
                checkins,
                target_changes: marks.into_iter().map(|m| m.label).collect(),
            }
        })
        .collect()
}

/// One check-in; `progress` is its reading's progress against the start and target in
/// force at its time (`None`: the value as a fraction).
fn checkin_row(history: &History, p: &crate::history::Point, progress: Option<f64>) -> CheckinRow {
    let commit = history.commits.get(p.commit);
    let value = match p.value {
        crate::history::PointValue::Done(true) => "done".to_string(),
        crate::history::PointValue::Done(false) => "not done".to_string(),
        v => svg::num(v.as_f64()),
    };
    CheckinRow {
        time: p.time,
        value,
        progress: progress.unwrap_or_else(|| p.value.as_f64()),
        note: p.note.clone(),
        summary: commit.map(|c| c.summary.clone()).unwrap_or_default(),
        short: commit.map(|c| c.short().to_string()).unwrap_or_default(),
        author: commit.map(|c| c.author.clone()).unwrap_or_default(),
    }
}
