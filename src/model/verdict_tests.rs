//! Table-driven tests of the verdict rules, with hand-computed expectations (docs/scoring.md
//! has the same examples), and the monotonicity property.

use super::*;
use proptest::prelude::*;

/// The first instant of a 100-day test period, so that day `d` is elapsed `d / 100`.
fn at(day: f64) -> Timestamp {
    let p0: Timestamp = "2026-10-01T00:00:00Z".parse().unwrap();
    Timestamp::from_second(p0.as_second() + (day * 86_400.0).round() as i64).unwrap()
}

fn clock(day: f64) -> Clock {
    Clock {
        start: at(0.0),
        end: at(100.0),
        now: at(day),
        stale_after_days: 14,
    }
}

/// A metric from 0 to 100 created at `created` with its baseline 0 then `(day, value,
/// dated)` readings.
fn metric(created: f64, readings: &[(f64, f64, bool)]) -> KrEvidence {
    let mut all = vec![Reading {
        time: at(created),
        value: 0.0,
        start: 0.0,
        target: 100.0,
        dated: false,
    }];
    all.extend(readings.iter().map(|&(d, value, dated)| Reading {
        time: at(d),
        value,
        start: 0.0,
        target: 100.0,
        dated,
    }));
    all.sort_by_key(|r| r.time);
    KrEvidence {
        kind: KrKind::Metric,
        start: 0.0,
        target: 100.0,
        created: at(created),
        readings: all,
        confidence: None,
        confidence_set: None,
        confidence_changes: Vec::new(),
    }
}

/// A milestone created at day 0, done at `done`, with a confidence set at a day.
fn milestone(done: Option<f64>, confidence: Option<(f64, f64)>) -> KrEvidence {
    let reading = |day: f64, value: f64| Reading {
        time: at(day),
        value,
        start: 0.0,
        target: 1.0,
        dated: false,
    };
    let mut readings = vec![reading(0.0, 0.0)];
    readings.extend(done.map(|d| reading(d, 1.0)));
    KrEvidence {
        kind: KrKind::Milestone,
        start: 0.0,
        target: 1.0,
        created: at(0.0),
        readings,
        confidence: confidence.map(|c| c.0),
        confidence_set: confidence.map(|c| at(c.1)),
        confidence_changes: confidence.map(|c| at(c.1)).into_iter().collect(),
    }
}

struct Case {
    name: &'static str,
    evidence: KrEvidence,
    day: f64,
    goal: f64,
    score: f64,
    forecast: f64,
    status: Status,
    stale: bool,
}

fn check(cases: Vec<Case>) {
    for c in cases {
        let v = kr_verdict(&c.evidence, &clock(c.day), c.goal);
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(near(v.score, c.score), "{}: score {}", c.name, v.score);
        assert!(
            near(v.forecast, c.forecast),
            "{}: forecast {}",
            c.name,
            v.forecast
        );
        assert_eq!(v.status, c.status, "{}", c.name);
        assert_eq!(v.stale, c.stale, "{}", c.name);
    }
}

// Right after planning a key result at its baseline has no data yet, whether or not the
// baseline was committed before the period; it turns stale (and off track) after 14 days.
#[test]
fn baseline_at_period_start_is_no_data_never_off_track() {
    use Status::*;
    let case = |name, created, day, status, stale| Case {
        name,
        evidence: metric(created, &[]),
        day,
        goal: 1.0,
        score: 0.0,
        forecast: 0.0,
        status,
        stale,
    };
    check(vec![
        case("planned at the start, day 2", 0.0, 2.0, NoData, false),
        case("planned 10 days before, day 2", -10.0, 2.0, NoData, false),
        case("planned at the start, day 14", 0.0, 14.0, NoData, false),
        case("planned at the start, day 15", 0.0, 15.0, OffTrack, true),
        case(
            "planned 30 days before, day 15",
            -30.0,
            15.0,
            OffTrack,
            true,
        ),
    ]);
}

// Metrics: the least-squares trend continued to the end, clamped; bands at 1.0 and 0.7.
#[test]
fn metric_forecast_and_status_from_the_trend() {
    use Status::*;
    let case = |name, readings: &[(f64, f64, bool)], day, goal, score, forecast, status| Case {
        name,
        evidence: metric(0.0, readings),
        day,
        goal,
        score,
        forecast,
        status,
        stale: false,
    };
    check(vec![
        // (0,0) (0.1,0.1) (0.2,0.2): slope 1, 0.2 + 1 × 0.8 = 1.0
        case(
            "steady",
            &[(10.0, 10.0, false), (20.0, 20.0, false)],
            20.0,
            1.0,
            0.2,
            1.0,
            OnTrack,
        ),
        // slope 0.75: 0.15 + 0.75 × 0.8 = 0.75 ≥ 0.7
        case(
            "a bit slow",
            &[(20.0, 15.0, false)],
            20.0,
            1.0,
            0.15,
            0.75,
            AtRisk,
        ),
        // slope 0.5: 0.1 + 0.5 × 0.8 = 0.5 < 0.7
        case(
            "slow",
            &[(20.0, 10.0, false)],
            20.0,
            1.0,
            0.1,
            0.5,
            OffTrack,
        ),
        case("done", &[(10.0, 100.0, false)], 12.0, 1.0, 1.0, 1.0, Done),
        // success 0.5 reached while running is on track, not done: slope 1, 0.5 + 0.4
        case(
            "success is not done",
            &[(50.0, 50.0, false)],
            60.0,
            0.5,
            0.5,
            0.9,
            OnTrack,
        ),
        // aspirational at 44%: slope 0.25 / 0.44, 0.25 + 0.568 × 0.56 = 0.568: at risk (< 0.7)
        case(
            "aspirational judged against 0.7",
            &[(44.0, 25.0, false)],
            44.0,
            0.7,
            0.25,
            0.25 + 0.25 / 0.44 * 0.56,
            AtRisk,
        ),
    ]);
}

// Staleness: no extrapolation from old evidence, at best at risk, and only check-ins reset it.
#[test]
fn staleness_lowers_the_forecast_and_caps_the_status() {
    use Status::*;
    let mut target_edit = metric(0.0, &[]);
    // A target edit on day 5: the value did not change, so it is not a check-in.
    target_edit.readings.push(Reading {
        time: at(5.0),
        value: 0.0,
        start: 0.0,
        target: 80.0,
        dated: false,
    });
    target_edit.target = 80.0;
    let case = |name, evidence, day, goal, score, forecast, status| Case {
        name,
        evidence,
        day,
        goal,
        score,
        forecast,
        status,
        stale: true,
    };
    check(vec![
        // Silent for 28 days: the forecast is the score (0.3), not 0.3 + 3 × 0.62 clamped.
        case(
            "silent 28 days",
            metric(0.0, &[(10.0, 30.0, false)]),
            38.0,
            1.0,
            0.3,
            0.3,
            OffTrack,
        ),
        // A stale 0.9 would be on track against 0.7: capped at at risk.
        case(
            "stale but high",
            metric(0.0, &[(10.0, 90.0, false)]),
            30.0,
            0.7,
            0.9,
            0.9,
            AtRisk,
        ),
        case(
            "target edit is not a check-in",
            target_edit,
            20.0,
            1.0,
            0.0,
            0.0,
            OffTrack,
        ),
    ]);
}

// Milestones: done is 1; a fresh confidence is the forecast; untouched or stale is 0.
#[test]
fn milestone_forecast_counts_only_fresh_confidence() {
    use Status::*;
    let case = |name, evidence, day, goal, score, forecast, status, stale| Case {
        name,
        evidence,
        day,
        goal,
        score,
        forecast,
        status,
        stale,
    };
    check(vec![
        case(
            "untouched, day 10",
            milestone(None, None),
            10.0,
            1.0,
            0.0,
            0.0,
            NoData,
            false,
        ),
        case(
            "untouched, day 55",
            milestone(None, None),
            55.0,
            1.0,
            0.0,
            0.0,
            OffTrack,
            true,
        ),
        case(
            "done",
            milestone(Some(30.0), None),
            55.0,
            1.0,
            1.0,
            1.0,
            Done,
            false,
        ),
        case(
            "confidence 0.8 five days old",
            milestone(None, Some((0.8, 20.0))),
            25.0,
            1.0,
            0.0,
            0.8,
            AtRisk,
            false,
        ),
        case(
            "same, aspirational",
            milestone(None, Some((0.8, 20.0))),
            25.0,
            0.7,
            0.0,
            0.8,
            OnTrack,
            false,
        ),
        case(
            "confidence expired with staleness",
            milestone(None, Some((0.8, 20.0))),
            40.0,
            1.0,
            0.0,
            0.0,
            OffTrack,
            true,
        ),
    ]);
}

// After the end only achieved and missed; confidence no longer counts.
#[test]
fn after_the_end_only_achieved_or_missed() {
    use Status::*;
    let mut confident = metric(0.0, &[(50.0, 15.0, false)]);
    confident.confidence = Some(0.9);
    confident.confidence_set = Some(at(95.0));
    let case = |name, evidence, goal, score, status| Case {
        name,
        evidence,
        day: 120.0,
        goal,
        score,
        forecast: score,
        status,
        stale: false,
    };
    check(vec![
        case(
            "0.6 of a committed",
            metric(0.0, &[(50.0, 60.0, false)]),
            1.0,
            0.6,
            Missed,
        ),
        case(
            "0.5 with success 0.5",
            metric(0.0, &[(50.0, 50.0, false)]),
            0.5,
            0.5,
            Achieved,
        ),
        case(
            "full",
            metric(0.0, &[(50.0, 100.0, false)]),
            1.0,
            1.0,
            Achieved,
        ),
        case("confidence after the end", confident, 1.0, 0.15, Missed),
        case(
            "milestone with confidence",
            milestone(None, Some((0.9, 95.0))),
            1.0,
            0.0,
            Missed,
        ),
    ]);
}

// The state as known at a time: later readings do not count; a dated check-in counts at its
// date (newer than the committed value: it is current; older than a later commit: the
// commit is current).
#[test]
fn current_value_is_the_latest_reading_at_or_before_now() {
    type Case<'a> = (&'a str, &'a [(f64, f64, bool)], f64, f64);
    let cases: &[Case] = &[
        (
            "later commit ignored",
            &[(10.0, 20.0, false), (30.0, 80.0, false)],
            15.0,
            20.0,
        ),
        (
            "dated check-in newer than the commit",
            &[(10.0, 20.0, false), (20.0, 50.0, true)],
            25.0,
            50.0,
        ),
        (
            "dated check-in older than a later commit",
            &[(10.0, 20.0, true), (12.0, 30.0, false)],
            25.0,
            30.0,
        ),
        (
            "before anything: the baseline",
            &[(10.0, 20.0, false)],
            5.0,
            0.0,
        ),
    ];
    for (name, readings, day, want) in cases {
        let v = kr_verdict(&metric(0.0, readings), &clock(*day), 1.0);
        assert_eq!(v.current, Some(*want), "{name}");
    }
    let v = kr_verdict(&metric(10.0, &[]), &clock(5.0), 1.0);
    assert_eq!(v.current, None, "not created yet");
}

fn done_kr(forecast: f64, status: Status, stale: bool) -> KrVerdict {
    KrVerdict {
        current: Some(0.0),
        progress: 0.0,
        score: 0.2,
        expected: 0.0,
        forecast,
        status,
        stale,
        last_update: None,
        fresh_confidence: false,
    }
}

// The objective: weighted forecasts of the key results with data; stale weight caps it.
#[test]
fn untouched_milestone_never_lifts_objective_to_on_track() {
    use Status::*;
    let stale_milestone = kr_verdict(&milestone(None, None), &clock(55.0), 1.0);
    assert_eq!(stale_milestone.forecast, 0.0);
    let on_track = done_kr(1.0, OnTrack, false);
    let cases = [
        // (1.0 + 0.0) / 2 = 0.5 < 0.7
        (
            "metric on track, milestone stale",
            vec![(1.0, on_track), (1.0, stale_milestone)],
            0.5,
            OffTrack,
        ),
        // the no-data key result is left out of the forecast: 0.8
        (
            "one without data",
            vec![
                (1.0, done_kr(0.8, AtRisk, false)),
                (1.0, done_kr(0.0, NoData, false)),
            ],
            0.8,
            AtRisk,
        ),
        (
            "all without data",
            vec![(1.0, done_kr(0.0, NoData, false))],
            0.2,
            NoData,
        ),
        // forecast 1.0 would be on track; half the weight stale caps it
        (
            "half stale",
            vec![(1.0, on_track), (1.0, done_kr(1.0, AtRisk, true))],
            1.0,
            AtRisk,
        ),
        (
            "a third stale",
            vec![(2.0, on_track), (1.0, done_kr(1.0, AtRisk, true))],
            1.0,
            OnTrack,
        ),
    ];
    for (name, krs, forecast, status) in cases {
        let v = objective_verdict(&krs, &clock(55.0), 1.0);
        assert!(
            (v.forecast - forecast).abs() < 1e-9,
            "{name}: {}",
            v.forecast
        );
        assert_eq!(v.status, status, "{name}");
    }
    let over = objective_verdict(&[(1.0, on_track)], &clock(100.0), 0.2);
    assert_eq!(over.status, Achieved);
}

/// Orders statuses within one evidence class; `None` across classes.
fn rank(s: Status) -> (u8, u8) {
    match s {
        Status::NoData => (0, 0),
        Status::Missed => (1, 0),
        Status::Achieved => (1, 1),
        s => (2, s.running_rank().unwrap_or(0)),
    }
}

proptest! {
    // Raising a key result's current value toward its target (check-in times fixed) never
    // makes its status or its objective's worse and never lowers a forecast.
    #[test]
    fn statuses_are_monotone_in_the_evidence(
        start in -100.0f64..100.0,
        span in prop_oneof![-200.0f64..-1.0, 1.0f64..200.0],
        values in proptest::collection::vec(0.0f64..1.2, 0..4),
        last in -0.2f64..1.2,
        raise in 0.0f64..0.8,
        day in 1.0f64..130.0,
        milestone_done in any::<bool>(),
        goal in prop_oneof![Just(1.0), 0.3f64..0.9],
    ) {
        let target = start + span;
        let reading = |i: usize, p: f64, dated: bool| Reading {
            time: at(i as f64 * 6.0),
            value: start + p * span,
            start,
            target,
            dated,
        };
        let build = |last: f64| {
            let mut readings: Vec<Reading> = std::iter::once(0.0)
                .chain(values.iter().copied())
                .enumerate()
                .map(|(i, p)| reading(i, p, false))
                .collect();
            readings.push(reading(readings.len(), last, true));
            KrEvidence {
                kind: KrKind::Metric,
                start,
                target,
                created: at(0.0),
                readings,
                confidence: None,
                confidence_set: None,
                confidence_changes: Vec::new(),
            }
        };
        let now = day.max((values.len() + 1) as f64 * 6.0);
        let c = clock(now);
        let low = kr_verdict(&build(last), &c, goal);
        let high = kr_verdict(&build(last + raise), &c, goal);
        prop_assert!(high.forecast + 1e-9 >= low.forecast, "{low:?} {high:?}");
        prop_assert_eq!(rank(low.status).0, rank(high.status).0);
        prop_assert!(rank(high.status) >= rank(low.status), "{:?} {:?}", low, high);
        let other = kr_verdict(&milestone(milestone_done.then_some(3.0), None), &c, goal);
        let o_low = objective_verdict(&[(1.0, low), (2.0, other)], &c, goal);
        let o_high = objective_verdict(&[(1.0, high), (2.0, other)], &c, goal);
        prop_assert!(o_high.forecast + 1e-9 >= o_low.forecast);
        prop_assert_eq!(rank(o_low.status).0, rank(o_high.status).0);
        prop_assert!(rank(o_high.status) >= rank(o_low.status), "{:?} {:?}", o_low, o_high);
    }
}
