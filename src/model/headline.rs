//! The status of a whole period's score (the site's headline bar): the period score against
//! the pace the calendar expects, with the same forecast and thresholds as an objective.

use super::forecast::{forecast, status, Status};

/// Status of a period whose score is `score` with `elapsed` (0..1) of it gone; `success` is
/// `[scoring] success`, the score a period aims for. A score of 0.08 with 95% elapsed is
/// off track, never on track.
pub fn period_status(score: f64, elapsed: f64, success: f64) -> Status {
    let reach = forecast(&[], elapsed, score);
    status(score, reach, success, elapsed >= 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A low score late in the period is off track; a score on pace is on track.
    #[test]
    fn late_low_score_is_off_track() {
        assert_eq!(period_status(0.08, 0.95, 0.7), Status::OffTrack);
        assert_eq!(period_status(0.5, 0.5, 0.7), Status::OnTrack);
        assert_eq!(period_status(0.3, 0.5, 0.7), Status::AtRisk);
    }
}
