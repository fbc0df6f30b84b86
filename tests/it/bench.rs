//! The benchmark's synthetic repository and its history analysis (correctness, not timing:
//! speed is measured with `goalpost bench`, not in tests).

use crate::support::TestRepo;

// Every goal commit the generator makes is found by the history walk, and none else.
#[test]
fn synthetic_repository_history_matches_generator() {
    let dir = TestRepo::empty();
    let run = dir.goalpost(&[
        "bench",
        "--commits",
        "600",
        "--runs",
        "1",
        "--keep",
        "synth",
    ]);
    run.expect_code(0);
    let generated: usize = run
        .stdout
        .split(" commits (")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("generated count");
    let found: usize = run
        .stdout
        .split("commits, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("found count");
    assert_eq!(found, generated, "{}", run.stdout);
    assert!(
        run.stdout.contains("ratio goalpost / git log"),
        "{}",
        run.stdout
    );
    let synth = dir.path().join("synth");
    crate::support::run_in(&synth, &["check"]).expect_code(0);
    let status = crate::support::run_in(&synth, &["status", "--format", "json"]);
    status.expect_code(0);
    assert!(!status.json()["objectives"].as_array().unwrap().is_empty());
}

// Every measured line of the benchmark reports its peak memory (each phase runs in a child
// process of its own): a phase measured without it, or in the parent where the peak of an
// earlier phase would show, would leave `n/a` or no column at all.
#[test]
fn bench_reports_peak_memory_of_every_phase() {
    let dir = TestRepo::empty();
    let run = dir.goalpost(&["bench", "--commits", "200", "--runs", "1"]);
    run.expect_code(0);
    let rows = [
        "goalpost, cold (no history index)",
        "git log --raw --no-renames -- goals/",
        "git log, commit-graph ignored",
        "goalpost, first run, writing the index",
        "analysis in process, the head indexed",
        "analysis in process, one new commit",
        // The whole warm `status` command, as a child process of the binary.
        "whole `status` command, the head indexed",
        "whole `status` command, one new commit",
    ];
    for what in rows {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(what))
            .unwrap_or_else(|| panic!("no line `{what}` in\n{}", run.stdout));
        let words: Vec<&str> = line.split_whitespace().collect();
        let mib: f64 = words
            .iter()
            .position(|w| *w == "MiB")
            .and_then(|i| words.get(i.checked_sub(1)?))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no peak memory in `{line}`"));
        assert!(mib > 0.5 && mib < 4096.0, "{line}");
    }
}

// The site benchmark reports the peak memory of the analysis and the site build.
#[test]
fn bench_site_reports_peak_memory() {
    let dir = TestRepo::empty();
    let run = dir.goalpost(&["bench", "--site", "48", "--commits", "300", "--runs", "1"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("peak RSS of the analysis and the site build together: ")
            && run.stdout.contains(" MiB"),
        "{}",
        run.stdout
    );
}

// Nonsense shapes are usage errors before anything is generated: a goal share outside
// (0, 1] or zero commits, runs or objectives used to print a table that measured nothing
// (`best of 0`) or a share no repository can have.
#[test]
fn bench_rejects_shapes_that_measure_nothing() {
    let dir = TestRepo::empty();
    for (flag, value, says) in [
        ("--goal-share", "2", "at most 1"),
        ("--goal-share", "0", "above 0"),
        ("--goal-share", "-0.5", "above 0"),
        ("--goal-share", "NaN", "above 0"),
        ("--goal-share", "lots", "not a number"),
        ("--runs", "0", "at least 1"),
        ("--commits", "0", "at least 1"),
        ("--site", "0", "at least 1"),
        ("--runs", "1.5", "not a whole number"),
    ] {
        let run = dir.goalpost(&["bench", &format!("{flag}={value}"), "--keep", "synth"]);
        run.expect_code(2);
        assert!(
            run.stderr.contains(flag) && run.stderr.contains(says),
            "{flag} {value}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{flag} {value}: {}", run.stdout);
        assert!(
            !dir.path().join("synth").exists(),
            "{flag} {value} generated"
        );
    }
}
