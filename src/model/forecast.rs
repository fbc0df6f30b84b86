//! The calendar and the verdict vocabulary: the period as instants, the elapsed fraction,
//! expected progress, the least-squares trend, the one forecast clamp, and the status bands
//! (docs/scoring.md, "Forecast" and "Status"). Pure arithmetic on timestamps; the rules that
//! weigh the evidence of a key result are in `verdict.rs`.

use super::period_score::reaches;
use super::Period;
use jiff::Timestamp;

/// A key result's or objective's status. While the period runs: `done`, `on_track`,
/// `at_risk`, `off_track` or `no_data`; after it ends only `achieved` or `missed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
    Achieved,
    Missed,
}

impl Status {
    /// The words shown in text, Markdown and on the site.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
            Status::NoData => "no data",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
        }
    }

    /// The snake_case name used in JSON and in the site's CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
        }
    }

    /// Rank within the running statuses (off track 0 … done 3), for comparisons; `None`
    /// for `no_data`, `achieved` and `missed`, which are only comparable within their own
    /// evidence class.
    pub fn running_rank(self) -> Option<u8> {
        match self {
            Status::OffTrack => Some(0),
            Status::AtRisk => Some(1),
            Status::OnTrack => Some(2),
            Status::Done => Some(3),
            _ => None,
        }
    }
}

/// A forecast at or above this share of the goal is `at_risk` rather than `off_track`.
pub const AT_RISK_SHARE: f64 = 0.7;

/// The period as an instant range: from its first day's start to its last day's end, in
/// the period's time zone (`[site] timezone`, UTC by default).
pub fn period_bounds(period: &Period) -> (Timestamp, Timestamp) {
    let at = |d: jiff::civil::Date| {
        d.to_zoned_datetime(period.tz.clone())
            .map(|z| z.timestamp())
            .unwrap_or_default()
    };
    let end = period
        .end
        .tomorrow()
        .map(at)
        .unwrap_or_else(|_| at(period.end));
    (at(period.start), end)
}

/// Where a moment falls against a period running over [P0, P1) (docs/scoring.md,
/// "Notation"): before P0 it has not started, from P1 on it has ended. The one rule behind
/// "running", "over", "not started yet" and "late" in every view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodPhase {
    NotStarted,
    Running,
    Ended,
}

impl PeriodPhase {
    /// The phase at `now` of the period that runs over `[start, end)`.
    pub fn between(start: Timestamp, end: Timestamp, now: Timestamp) -> PeriodPhase {
        if now >= end {
            PeriodPhase::Ended
        } else if now < start {
            PeriodPhase::NotStarted
        } else {
            PeriodPhase::Running
        }
    }

    /// The phase of `period` at `now`.
    pub fn of(period: &Period, now: Timestamp) -> PeriodPhase {
        let (start, end) = period_bounds(period);
        PeriodPhase::between(start, end, now)
    }
}

/// Fraction of the period elapsed at `t`, clamped to 0..1.
pub fn fraction(period: &Period, t: Timestamp) -> f64 {
    let (start, end) = period_bounds(period);
    fraction_between(start, end, t)
}

/// Fraction of `[start, end)` elapsed at `t`, clamped to 0..1.
pub fn fraction_between(start: Timestamp, end: Timestamp, t: Timestamp) -> f64 {
    let total = (end.as_second() - start.as_second()) as f64;
    if total <= 0.0 {
        return 1.0;
    }
    ((t.as_second() - start.as_second()) as f64 / total).clamp(0.0, 1.0)
}

/// Expected progress at elapsed fraction `elapsed`: the straight line from 0 at the start
/// to the objective's goal at the end (1.0 committed, `success` aspirational).
pub fn expected(goal: f64, elapsed: f64) -> f64 {
    goal * elapsed.clamp(0.0, 1.0)
}

/// The one clamp of every forecast shown: to 0..1 (NaN is 0).
pub fn clamp_forecast(x: f64) -> f64 {
    super::clamp01(x)
}

/// Least-squares slope of `(elapsed, progress)` points; `None` with fewer than two
/// distinct times.
pub fn trend_slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= 1e-12 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    Some(sxy / sxx)
}

/// The linear forecast at the period's end from progress `now_progress` at `elapsed`,
/// continuing the trend of `points`; clamped. Without a trend: the score now.
pub fn trend_forecast(points: &[(f64, f64)], elapsed: f64, now_progress: f64) -> f64 {
    match trend_slope(points) {
        Some(slope) if elapsed < 1.0 => {
            clamp_forecast(now_progress + slope * (1.0 - elapsed.clamp(0.0, 1.0)))
        }
        _ => clamp_forecast(now_progress),
    }
}

/// The band of a forecast against the goal: `on_track` at or above the goal, `at_risk` at
/// or above [`AT_RISK_SHARE`] of it, else `off_track`.
pub fn band(forecast: f64, goal: f64) -> Status {
    if reaches(forecast, goal) {
        Status::OnTrack
    } else if reaches(forecast, AT_RISK_SHARE * goal) {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// The verdict once the period is over: `achieved` at or above the goal, else `missed`.
pub fn final_status(score: f64, goal: f64) -> Status {
    if reaches(score, goal) {
        Status::Achieved
    } else {
        Status::Missed
    }
}

/// Caps a running status at `at_risk`: stale evidence is never on track.
pub fn cap_at_risk(status: Status) -> Status {
    match status {
        Status::OnTrack => Status::AtRisk,
        s => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A steady climb forecasts its continuation, clamped; one point has no trend.
    #[test]
    fn trend_forecast_table() {
        type Case<'a> = (&'a [(f64, f64)], f64, f64, f64);
        let cases: &[Case] = &[
            // points, elapsed, progress now, forecast
            (&[(0.0, 0.0), (0.25, 0.25), (0.5, 0.5)], 0.5, 0.5, 1.0),
            (&[(0.0, 0.0), (0.5, 0.2)], 0.5, 0.2, 0.4),
            (&[(0.0, 0.0), (0.2, 0.8)], 0.2, 0.8, 1.0), // 0.8 + 4 × 0.8 clamped
            (&[(0.0, 0.5), (0.5, 0.1)], 0.5, 0.1, 0.0), // falling, clamped at 0
            (&[(0.5, 0.3)], 0.5, 0.3, 0.3),             // one point: no trend
            (&[(0.3, 0.1), (0.3, 0.4)], 0.3, 0.4, 0.4), // same time twice: no trend
            (&[], 1.0, 0.8, 0.8),
        ];
        for (points, e, p, want) in cases {
            let got = trend_forecast(points, *e, *p);
            assert!(
                (got - want).abs() < 1e-9,
                "{points:?} at {e}: {got} != {want}"
            );
        }
    }

    // Bands: on track from the goal, at risk from 70% of it (0.49 for aspirational 0.7).
    #[test]
    fn bands_by_goal() {
        let cases = [
            (1.0, 1.0, Status::OnTrack),
            (0.99, 1.0, Status::AtRisk),
            (0.7, 1.0, Status::AtRisk),
            (0.69, 1.0, Status::OffTrack),
            (0.7, 0.7, Status::OnTrack),
            (0.49, 0.7, Status::AtRisk),
            (0.48, 0.7, Status::OffTrack),
        ];
        for (f, g, want) in cases {
            assert_eq!(band(f, g), want, "forecast {f} goal {g}");
        }
        assert_eq!(final_status(0.7, 0.7), Status::Achieved);
        assert_eq!(final_status(0.5, 0.7), Status::Missed);
        assert_eq!(expected(0.7, 0.5), 0.35);
    }

    // A period has not started before its first day's start, runs through its last day,
    // and has ended from the next day's start on (in its zone).
    #[test]
    fn phases_of_a_period() {
        let q = Period::quarter("2026-Q4").unwrap();
        let at = |t: &str| PeriodPhase::of(&q, t.parse().unwrap());
        assert_eq!(at("2026-09-30T23:59:59Z"), PeriodPhase::NotStarted);
        assert_eq!(at("2026-10-01T00:00:00Z"), PeriodPhase::Running);
        assert_eq!(at("2026-12-31T23:59:59Z"), PeriodPhase::Running);
        assert_eq!(at("2027-01-01T00:00:00Z"), PeriodPhase::Ended);
    }

    // Elapsed fraction spans the whole last day of the period.
    #[test]
    fn elapsed() {
        let q = Period::quarter("2026-Q4").unwrap();
        let mid: Timestamp = "2026-11-15T12:00:00Z".parse().unwrap();
        let f = fraction(&q, mid);
        assert!(f > 0.49 && f < 0.51, "{f}");
        assert_eq!(fraction(&q, "2027-01-01T00:00:00Z".parse().unwrap()), 1.0);
    }
}
