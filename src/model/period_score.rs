//! Period score and hit rate: the one definition (docs/scoring.md, "Period score and hit
//! rate") that `status`, `compare`, `retro` and the site all show.
//!
//! Pure: owns the rule, uses only the rest of `model`.

use super::ObjectiveKind;

/// Scores within this distance below the goal still count as reaching it, so that a sum of
/// weighted key results that should be exactly 0.7 is not missed by a rounding error.
const TOLERANCE: f64 = 1e-9;

/// The score an objective must reach to be achieved: 1.0 when committed, the repository's
/// `[scoring] success` when aspirational.
pub fn objective_goal(kind: ObjectiveKind, success: f64) -> f64 {
    match kind {
        ObjectiveKind::Committed => 1.0,
        ObjectiveKind::Aspirational => success,
    }
}

/// Whether a figure reached a threshold, within [`TOLERANCE`]: the one comparison of every
/// threshold in docs/scoring.md.
pub fn reaches(value: f64, threshold: f64) -> bool {
    value + TOLERANCE >= threshold
}

/// Whether an objective with this score reached its goal.
pub fn achieved(score: f64, kind: ObjectiveKind, success: f64) -> bool {
    reaches(score, objective_goal(kind, success))
}

/// The figures of a set of objectives (a period, or one team's objectives in it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PeriodScore {
    pub objectives: usize,
    pub achieved: usize,
    score_sum: f64,
}

impl PeriodScore {
    /// Scores every objective `(score, kind)` once: nested objectives count like top-level
    /// ones, unweighted.
    pub fn of(objectives: impl IntoIterator<Item = (f64, ObjectiveKind)>, success: f64) -> Self {
        let mut s = PeriodScore::default();
        for (score, kind) in objectives {
            s.objectives += 1;
            s.achieved += usize::from(achieved(score, kind, success));
            s.score_sum += score;
        }
        s
    }

    /// The mean of the objectives' scores; `None` without objectives.
    pub fn score(&self) -> Option<f64> {
        (self.objectives > 0).then(|| self.score_sum / self.objectives as f64)
    }

    /// The share of objectives that reached their goal; `None` without objectives.
    pub fn hit_rate(&self) -> Option<f64> {
        (self.objectives > 0).then(|| self.achieved as f64 / self.objectives as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ObjectiveKind::{Aspirational, Committed};

    // Committed objectives need 1.0, aspirational ones the success score; the mean is
    // unweighted over every objective.
    #[test]
    fn period_score_and_hit_rate_by_kind() {
        let s = PeriodScore::of(
            [(0.7, Aspirational), (0.9, Committed), (1.0, Committed)],
            0.7,
        );
        assert_eq!((s.objectives, s.achieved), (3, 2));
        assert!((s.score().unwrap() - 0.866_666).abs() < 1e-5);
        assert!((s.hit_rate().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        let empty = PeriodScore::of([], 0.7);
        assert_eq!((empty.score(), empty.hit_rate()), (None, None));
    }
}
