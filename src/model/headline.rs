//! The status of a whole period's score (the site's headline bar): the period score against
//! the pace the calendar expects, with the bands and final verdict of `forecast` (the same
//! thresholds as an objective's). Uses `model` only.

use super::forecast::{band, clamp_forecast, final_status, Status};
use super::period_score::reaches;

/// Below this elapsed share there is no pace yet: the forecast is the score itself.
const MIN_ELAPSED_FOR_PACE: f64 = 0.05;

/// Status of a period whose score is `score` with `elapsed` (0..1) of it gone; `success` is
/// `[scoring] success`, the score a period aims for. While it runs: `done` at 1.0, else the
/// band of the pace forecast (`score / elapsed`, clamped) against `success`; once over:
/// `achieved` or `missed`. A score of 0.08 with 95% elapsed is off track, never on track.
pub fn period_status(score: f64, elapsed: f64, success: f64) -> Status {
    if elapsed >= 1.0 {
        return final_status(score, success);
    }
    if reaches(score, 1.0) {
        return Status::Done;
    }
    let pace = if elapsed > MIN_ELAPSED_FOR_PACE {
        score / elapsed
    } else {
        score
    };
    band(clamp_forecast(pace), success)
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

    // An ended period is achieved or missed, never on or off track.
    #[test]
    fn ended_period_is_achieved_or_missed() {
        assert_eq!(period_status(0.7, 1.0, 0.7), Status::Achieved);
        assert_eq!(period_status(0.4, 1.0, 0.7), Status::Missed);
        assert_eq!(period_status(f64::NAN, 0.5, 0.7), Status::OffTrack);
    }
}
