//! Where a key result is heading: elapsed part of the period, expected progress, a linear
//! forecast to the period's end, and the resulting status. Pure arithmetic on timestamps.

use super::Period;
use jiff::Timestamp;

/// Where a key result or objective stands against the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    OnTrack,
    AtRisk,
    OffTrack,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::OnTrack => "on track",
            Status::AtRisk => "at risk",
            Status::OffTrack => "off track",
        }
    }
}

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

/// Fraction of the period elapsed at `t`, clamped to 0..1.
pub fn fraction(period: &Period, t: Timestamp) -> f64 {
    let (start, end) = period_bounds(period);
    let total = (end.as_second() - start.as_second()) as f64;
    if total <= 0.0 {
        return 1.0;
    }
    ((t.as_second() - start.as_second()) as f64 / total).clamp(0.0, 1.0)
}

/// Linear forecast of progress at the period's end. `points` are (fraction of the period,
/// progress) pairs up to `now`; `current` is the progress now. With two or more distinct
/// times the slope is a least-squares fit; otherwise the pace since the period began.
pub fn forecast(points: &[(f64, f64)], now: f64, current: f64) -> f64 {
    if now >= 1.0 {
        return current;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n.max(1.0);
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n.max(1.0);
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let slope = if points.len() >= 2 && sxx > 1e-9 {
        points
            .iter()
            .map(|p| (p.0 - mean_x) * (p.1 - mean_y))
            .sum::<f64>()
            / sxx
    } else if now > 0.05 {
        current / now
    } else {
        return current;
    };
    (current + slope * (1.0 - now)).clamp(-10.0, 10.0)
}

/// Status from the score now and the forecast at the period's end, against `goal` (1.0
/// for committed objectives, the success score for aspirational ones).
pub fn status(score: f64, forecast: f64, goal: f64, over: bool) -> Status {
    let reach = if over { score } else { forecast };
    if score >= 1.0 || over && score >= goal {
        Status::Done
    } else if reach >= goal {
        Status::OnTrack
    } else if reach >= 0.7 * goal && !over {
        Status::AtRisk
    } else {
        Status::OffTrack
    }
}

/// Status of an unfinished milestone: the owner's confidence when given, else how much of
/// the period is left.
pub fn milestone_status(confidence: Option<f64>, elapsed: f64, over: bool) -> Status {
    if over {
        return Status::OffTrack;
    }
    match confidence {
        Some(c) if c >= 0.7 => Status::OnTrack,
        Some(c) if c >= 0.4 => Status::AtRisk,
        Some(_) => Status::OffTrack,
        None if elapsed < 0.6 => Status::OnTrack,
        None if elapsed < 0.9 => Status::AtRisk,
        None => Status::OffTrack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A steady climb forecasts its continuation; a single point uses the pace since start.
    #[test]
    fn forecasts() {
        let steady = [(0.0, 0.0), (0.25, 0.25), (0.5, 0.5)];
        assert!((forecast(&steady, 0.5, 0.5) - 1.0).abs() < 1e-9);
        assert!((forecast(&[(0.5, 0.3)], 0.5, 0.3) - 0.6).abs() < 1e-9);
        assert_eq!(forecast(&[], 1.0, 0.8), 0.8);
    }

    // Statuses follow the goal: committed needs 1.0, aspirational the success score.
    #[test]
    fn statuses() {
        assert_eq!(status(1.0, 1.0, 0.7, false), Status::Done);
        assert_eq!(status(0.4, 0.8, 0.7, false), Status::OnTrack);
        assert_eq!(status(0.4, 0.8, 1.0, false), Status::AtRisk);
        assert_eq!(status(0.2, 0.3, 1.0, false), Status::OffTrack);
        assert_eq!(status(0.75, 0.75, 0.7, true), Status::Done);
        assert_eq!(status(0.6, 0.6, 0.7, true), Status::OffTrack);
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
