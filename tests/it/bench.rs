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
    // The whole warm `status` command is timed too, as a child process of the binary.
    for line in [
        "warm `goalpost status`, whole command",
        "warm `status` after one new commit",
    ] {
        assert!(run.stdout.contains(line), "{line}: {}", run.stdout);
    }
    let synth = dir.path().join("synth");
    crate::support::run_in(&synth, &["check"]).expect_code(0);
    let status = crate::support::run_in(&synth, &["status", "--format", "json"]);
    status.expect_code(0);
    assert!(!status.json()["objectives"].as_array().unwrap().is_empty());
}
