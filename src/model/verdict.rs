//! Verdicts from evidence: what a key result's series says at a moment (its current value,
//! its check-ins, whether it is stale, whether its confidence is fresh) and the score,
//! forecast and status that follow, for key results and objectives (docs/scoring.md).
//!
//! Pure: owns the rules, uses only the rest of `model`. The caller (history) hands over
//! every reading it knows; the rules themselves keep only what was known at the clock's
//! `now`.

use super::forecast::{self, Status};
use super::period_score::reaches;
use super::score::{clamp01, kr_progress, weighted_mean};
use super::Measure;
use jiff::Timestamp;

const DAY: i64 = 86_400;

/// A score of 1 (within the tolerance of [`reaches`]): done. Also what `rollover` leaves
/// behind.
pub fn finished(score: f64) -> bool {
    reaches(score, 1.0)
}

/// The period and the moment of judgement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    /// The period's first instant and the instant after its last day.
    pub start: Timestamp,
    pub end: Timestamp,
    /// "Now": `--as-of`, or the analysed commit's time.
    pub now: Timestamp,
    /// `[scoring] stale_after_days`.
    pub stale_after_days: u32,
}

impl Clock {
    /// Fraction of the period elapsed now.
    pub fn elapsed(&self) -> f64 {
        self.fraction(self.now)
    }

    /// Fraction of the period elapsed at `t`.
    pub fn fraction(&self, t: Timestamp) -> f64 {
        forecast::fraction_between(self.start, self.end, t)
    }

    /// Where now falls against the period.
    pub fn phase(&self) -> forecast::PeriodPhase {
        forecast::PeriodPhase::between(self.start, self.end, self.now)
    }

    /// The period has ended: only `achieved` and `missed` remain.
    pub fn over(&self) -> bool {
        self.phase() == forecast::PeriodPhase::Ended
    }

    /// Whole days from `since` to now, as `days_since_update` shows them.
    pub fn days_since(&self, since: Timestamp) -> i64 {
        (self.now.as_second() - since.as_second()).div_euclid(DAY)
    }

    /// Whether more than `stale_after_days` whole days passed from `since` to now.
    fn older_than_stale(&self, since: Timestamp) -> bool {
        self.days_since(since) > i64::from(self.stale_after_days)
    }
}

/// How a key result is measured, for the rules that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KrKind {
    Metric,
    Milestone,
}

/// One point of a key result's series: a committed value, or a dated check-in at its own
/// date, with the start and target in force at that time (a milestone: 0 to 1, done = 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub time: Timestamp,
    pub value: f64,
    pub start: f64,
    pub target: f64,
    /// A dated check-in (`[[key_results.checkins]]`): always a check-in.
    pub dated: bool,
}

impl Reading {
    /// Progress of this reading against the start and target in force at its time.
    pub fn progress(&self) -> f64 {
        kr_progress(&Measure::Metric {
            start: self.start,
            target: self.target,
            current: self.value,
        })
    }
}

/// Everything known about one key result, for judging it at a clock's `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct KrEvidence {
    pub kind: KrKind,
    /// Start and target in force now (a milestone: 0 and 1).
    pub start: f64,
    pub target: f64,
    /// When the key result first appeared (first commit holding it).
    pub created: Timestamp,
    /// The series, sorted by time (ties in the order recorded); may hold later readings,
    /// which the rules ignore.
    pub readings: Vec<Reading>,
    /// The confidence in force now, and when it was set to that value.
    pub confidence: Option<f64>,
    pub confidence_set: Option<Timestamp>,
    /// When an edit set or changed `confidence` on an existing key result: check-ins.
    pub confidence_changes: Vec<Timestamp>,
}

/// The figures and verdict of one key result at a clock's `now`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KrVerdict {
    /// The value now (the latest reading at or before now); `None` when nothing is known.
    pub current: Option<f64>,
    pub progress: f64,
    pub score: f64,
    pub expected: f64,
    pub forecast: f64,
    pub status: Status,
    pub stale: bool,
    /// The last check-in, else the key result's creation.
    pub last_update: Option<Timestamp>,
    /// Whether the confidence counted (a milestone's forecast).
    pub fresh_confidence: bool,
}

/// The latest reading at or before `now`: the current value. Dated check-ins count at their
/// date, so a commit after a check-in's date wins over it.
pub fn current_reading(readings: &[Reading], now: Timestamp) -> Option<&Reading> {
    readings
        .iter()
        .filter(|r| r.time <= now)
        .fold(None, |best: Option<&Reading>, r| match best {
            Some(b) if b.time > r.time => Some(b),
            _ => Some(r),
        })
}

/// Times of the check-ins: dated check-ins, committed values that differ from the reading
/// before them (the first committed value is the baseline, not a check-in), and confidence
/// changes. Edits of start, target, weight or title are not check-ins.
pub fn checkin_times(e: &KrEvidence) -> Vec<Timestamp> {
    let mut times: Vec<Timestamp> = e.confidence_changes.clone();
    let mut seen_baseline = false;
    let mut previous: Option<f64> = None;
    for r in &e.readings {
        let changed = previous.is_some_and(|p| p != r.value);
        if r.dated || (seen_baseline && changed) {
            times.push(r.time);
        }
        seen_baseline |= !r.dated;
        previous = Some(r.value);
    }
    times.sort();
    times
}

/// The last check-in at or before now.
pub fn last_checkin(e: &KrEvidence, clock: &Clock) -> Option<Timestamp> {
    checkin_times(e)
        .into_iter()
        .filter(|t| *t <= clock.now)
        .max()
}

/// Staleness counts from the later of the last check-in, the creation and the period's
/// start: a key result planned before its period is not stale on the period's first day.
fn stale_since(e: &KrEvidence, clock: &Clock) -> Timestamp {
    let anchor = e.created.max(clock.start);
    last_checkin(e, clock).map_or(anchor, |t| t.max(anchor))
}

/// Stale: the period runs, the key result is not done, and more than `stale_after_days`
/// passed since its last check-in (or since the period started or it was created).
pub fn is_stale(e: &KrEvidence, clock: &Clock, score: f64) -> bool {
    !clock.over() && !finished(score) && clock.older_than_stale(stale_since(e, clock))
}

/// No data: no check-in since the later of the period's start and the creation, and not
/// stale yet. Right after planning every key result is here, never off track.
pub fn has_no_data(e: &KrEvidence, clock: &Clock, score: f64) -> bool {
    let anchor = e.created.max(clock.start);
    let checked_in = last_checkin(e, clock).is_some_and(|t| t >= anchor);
    !checked_in && !is_stale(e, clock, score)
}

/// The confidence, when it is fresh: set within the last `stale_after_days`, at or before
/// now, and the period not over. It expires with staleness.
pub fn fresh_confidence(e: &KrEvidence, clock: &Clock) -> Option<f64> {
    let set = e.confidence_set.filter(|t| *t <= clock.now)?;
    let fresh = !clock.over() && !clock.older_than_stale(set);
    e.confidence.filter(|_| fresh).map(clamp01)
}

/// The points a metric's trend is fitted to: every reading in the period up to now, plus
/// the value in force at the period's start (at elapsed 0) when the key result existed then.
pub fn trend_points(e: &KrEvidence, clock: &Clock) -> Vec<(f64, f64)> {
    let known = e.readings.iter().filter(|r| r.time <= clock.now);
    let before = current_reading(&e.readings, clock.start)
        .filter(|r| r.time < clock.start)
        .map(|r| (0.0, r.progress()));
    before
        .into_iter()
        .chain(
            known
                .filter(|r| r.time >= clock.start)
                .map(|r| (clock.fraction(r.time), r.progress())),
        )
        .collect()
}

/// The forecast of a key result at the period's end, clamped to 0..1.
/// Over: the score. Milestone: 1 when done, else its fresh confidence, else its score (0).
/// Metric: the trend continued, unless it is stale or has fewer than two points at distinct
/// times (then the score): no extrapolation from old or absent evidence.
pub fn kr_forecast(e: &KrEvidence, clock: &Clock, progress: f64, stale: bool) -> f64 {
    let score = clamp01(progress);
    if clock.over() || finished(score) {
        return score;
    }
    match e.kind {
        KrKind::Milestone => fresh_confidence(e, clock).unwrap_or(score),
        KrKind::Metric if stale => score,
        KrKind::Metric => {
            forecast::trend_forecast(&trend_points(e, clock), clock.elapsed(), progress)
        }
    }
}

/// A key result's figures and status at the clock's now, against its objective's `goal`.
pub fn kr_verdict(e: &KrEvidence, clock: &Clock, goal: f64) -> KrVerdict {
    let current = current_reading(&e.readings, clock.now).map(|r| r.value);
    let progress = match (e.kind, current) {
        (_, None) => 0.0,
        (KrKind::Milestone, Some(v)) => clamp01(v),
        (KrKind::Metric, Some(v)) => kr_progress(&Measure::Metric {
            start: e.start,
            target: e.target,
            current: v,
        }),
    };
    let score = clamp01(progress);
    let stale = is_stale(e, clock, score);
    let forecast = kr_forecast(e, clock, progress, stale);
    let status = if clock.over() {
        forecast::final_status(score, goal)
    } else if finished(score) {
        Status::Done
    } else if has_no_data(e, clock, score) {
        Status::NoData
    } else if stale {
        forecast::cap_at_risk(forecast::band(forecast, goal))
    } else {
        forecast::band(forecast, goal)
    };
    KrVerdict {
        current,
        progress,
        score,
        expected: forecast::expected(goal, clock.elapsed()),
        forecast,
        status,
        stale,
        last_update: last_checkin(e, clock).or((e.created <= clock.now).then_some(e.created)),
        fresh_confidence: e.kind == KrKind::Milestone && fresh_confidence(e, clock).is_some(),
    }
}

/// The figures and verdict of an objective.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObjectiveVerdict {
    pub score: f64,
    pub expected: f64,
    pub forecast: f64,
    pub status: Status,
}

/// An objective's figures from its key results' `(weight, verdict)`: the score is the
/// weighted mean of their scores; the forecast the weighted mean of the forecasts of those
/// that have data (all without data: the score); the status from the forecast, capped at
/// `at_risk` when key results holding at least half the weight are stale.
pub fn objective_verdict(krs: &[(f64, KrVerdict)], clock: &Clock, goal: f64) -> ObjectiveVerdict {
    let score = weighted_mean(krs.iter().map(|(w, v)| (*w, v.score))).unwrap_or(0.0);
    let with_data = krs.iter().filter(|(_, v)| v.status != Status::NoData);
    let forecast = forecast::clamp_forecast(
        weighted_mean(with_data.map(|(w, v)| (*w, v.forecast))).unwrap_or(score),
    );
    let stale_share =
        weighted_mean(krs.iter().map(|(w, v)| (*w, f64::from(u8::from(v.stale))))).unwrap_or(0.0);
    let all_no_data = !krs.is_empty() && krs.iter().all(|(_, v)| v.status == Status::NoData);
    let status = if clock.over() {
        forecast::final_status(score, goal)
    } else if finished(score) {
        Status::Done
    } else if all_no_data {
        Status::NoData
    } else if stale_share >= 0.5 {
        forecast::cap_at_risk(forecast::band(forecast, goal))
    } else {
        forecast::band(forecast, goal)
    };
    ObjectiveVerdict {
        score,
        expected: forecast::expected(goal, clock.elapsed()),
        forecast,
        status,
    }
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
