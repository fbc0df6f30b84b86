//! Progress and scores (SPEC section 4).

use super::{KeyResult, Measure};

/// The largest magnitude of any number in a goal file (the loader rejects others) and of
/// any progress figure, so that every figure stays finite (docs/format.md, "Numbers").
pub const MAX_MAGNITUDE: f64 = 1e15;

pub fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// `(current - start) / (target - start)`, unclamped; a milestone is 1 when done, else 0.
/// A metric whose start equals its target has no distance to cover: it counts as reached
/// when current is at (or past) the target, judged by equality since no direction is known.
pub fn kr_progress(measure: &Measure) -> f64 {
    match *measure {
        Measure::Milestone { done } => f64::from(u8::from(done)),
        Measure::Metric {
            start,
            target,
            current,
        } => {
            if target == start {
                f64::from(u8::from(current == target))
            } else {
                // A target a hair away from the start would overflow to infinity: cap it.
                ((current - start) / (target - start)).clamp(-MAX_MAGNITUDE, MAX_MAGNITUDE)
            }
        }
    }
}

pub fn kr_score(measure: &Measure) -> f64 {
    clamp01(kr_progress(measure))
}

/// The weighted mean of `(weight, value)` pairs, counting only positive weights; `None`
/// when no weight is positive. The one weighting of objective scores and forecasts.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let items: Vec<(f64, f64)> = items.into_iter().filter(|(w, _)| *w > 0.0).collect();
    // Weights count relative to the largest, so tiny (even subnormal) weights keep their
    // precision instead of rounding every product to zero.
    let largest = items.iter().map(|(w, _)| *w).fold(0.0, f64::max);
    let (total, sum) = items.iter().fold((0.0, 0.0), |(t, s), (w, x)| {
        let w = w / largest;
        (t + w, s + w * x)
    });
    (total > 0.0).then(|| sum / total)
}

/// Weighted mean of the key results' scores as written in the file; 0 when there are none
/// or all weights are 0.
pub fn objective_score(key_results: &[KeyResult]) -> f64 {
    weighted_mean(
        key_results
            .iter()
            .map(|kr| (kr.weight, kr_score(&kr.measure))),
    )
    .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the ratio of weights matters: tiny weights give the same mean as large ones.
    #[test]
    fn tiny_weights_never_round_the_score_to_zero() {
        let items = [(1.0, 1.0), (1.0, 0.0), (1.0, 0.5)];
        let tiny = items.map(|(w, x)| (w * 5e-324, x));
        assert_eq!(weighted_mean(items), Some(0.5));
        assert_eq!(weighted_mean(tiny), Some(0.5));
        assert_eq!(weighted_mean([(0.0, 1.0)]), None);
    }

    fn metric(start: f64, target: f64, current: f64) -> Measure {
        Measure::Metric {
            start,
            target,
            current,
        }
    }

    // Progress works for decreasing targets and is clamped only in the score.
    #[test]
    fn progress_and_score() {
        assert!((kr_progress(&metric(450.0, 200.0, 310.0)) - 0.56).abs() < 1e-9);
        assert_eq!(kr_score(&metric(0.0, 10.0, 15.0)), 1.0);
        assert_eq!(kr_progress(&metric(0.0, 10.0, 15.0)), 1.5);
        assert_eq!(kr_score(&metric(0.0, 10.0, -5.0)), 0.0);
        assert_eq!(kr_score(&Measure::Milestone { done: true }), 1.0);
    }
}
