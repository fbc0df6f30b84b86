//! Period score and hit rate (docs/scoring.md): status, compare, retro and the site show the
//! same figures for the same revision (issue 10: the site said 0.35 / 0% where compare said
//! 0.41 / 17%).

use crate::support::TestRepo;

/// The text between `before` and the next `after` in `text`.
fn between<'a>(text: &'a str, before: &str, after: &str) -> &'a str {
    let start = text
        .find(before)
        .unwrap_or_else(|| panic!("no `{before}` in:\n{text}"))
        + before.len();
    let len = text[start..]
        .find(after)
        .unwrap_or_else(|| panic!("no `{after}` after `{before}`"));
    &text[start..start + len]
}

// Every view of a period shows the one period score and hit rate of `model`.
#[test]
fn issue_10_period_score_and_hit_rate_agree_in_status_compare_retro_and_site() {
    let dir = TestRepo::empty();
    dir.goalpost(&["demo", "--out", "demo"]).expect_code(0);
    let demo = dir.path().join("demo");
    let run = |args: &[&str]| {
        let run = crate::support::run_in(&demo, args);
        run.expect_code(0);
        run
    };
    let compare = run(&["compare", "2026-Q3", "2026-Q4", "--format", "json"]).json();
    for (period, stats) in [("2026-Q3", "a_stats"), ("2026-Q4", "b_stats")] {
        let status = run(&["status", "--period", period, "--format", "json"]).json();
        let (score, hit) = (&status["period_score"], &status["hit_rate"]);
        assert!(score.is_f64() && hit.is_f64(), "{status}");
        assert_eq!(score, &compare[stats]["mean_score"], "{period} score");
        assert_eq!(hit, &compare[stats]["hit_rate"], "{period} hit rate");
        let (score, hit) = (score.as_f64().unwrap(), hit.as_f64().unwrap());
        let (score2, pct) = (format!("{score:.2}"), format!("{:.0}%", hit * 100.0));

        let retro = run(&["retro", "--period", period]).stdout;
        assert_eq!(
            between(&retro, "mean score ", " ·"),
            score2,
            "{period} retro"
        );
        // A running period's hit rate counts what already reached its goal: "so far".
        let so_far = if status["running"] == true {
            format!("{pct} so far")
        } else {
            pct.clone()
        };
        assert_eq!(between(&retro, "achieved (", ")"), so_far, "{period} retro");
        // compare's team rows qualify a running period's hit rate the same way: every
        // team of the running 2026-Q4 (5 teams) says "so far", none of the ended 2026-Q3.
        let compare_text = run(&["compare", "2026-Q3", "2026-Q4"]).stdout;
        let teams = compare_text.split("\nTeams").nth(1).unwrap_or_default();
        let running = usize::from(status["running"] == true);
        if period == "2026-Q4" {
            assert_eq!(
                teams.matches("so far (").count(),
                5 * running,
                "{compare_text}"
            );
        }

        let page = std::fs::read_to_string(demo.join(format!("site/periods/{period}.html")))
            .expect("the demo builds the site");
        assert_eq!(between(&page, "· score ", " ·"), score2, "{period} site");
        assert_eq!(between(&page, "· hit rate ", "<"), so_far, "{period} site");
    }
}
