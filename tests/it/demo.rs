//! `goalpost demo`: builds the sample repository with real history.

use crate::support::TestRepo;

// The demo builds a git repository whose history replays the timeline, and it checks clean.
#[test]
fn demo_builds_repository_with_history() {
    let dir = TestRepo::empty();
    let run = dir.goalpost(&["demo", "--out", "demo"]);
    run.expect_code(0);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("platform/reliability  Customers trust the platform"),
        "{}",
        run.stdout
    );
    let demo = dir.path().join("demo");
    let log = crate::support::git(&demo, &["log", "--format=%an|%aI|%s"]);
    let lines: Vec<&str> = log.lines().collect();
    assert!(lines.len() > 100, "{} commits", lines.len());
    assert_eq!(
        lines.last().copied(),
        Some("Alice Martin|2026-06-29T10:00:00Z|Plan 2026-Q3 goals")
    );
    assert!(
        log.contains("Relax p99 target"),
        "the goalpost move is in history"
    );
    // A second run replaces its own earlier demo.
    dir.goalpost(&["demo", "--out", "demo"]).expect_code(0);
    crate::support::run_in(&demo, &["check"]).expect_code(0);
}

// The demo never replaces a folder it did not make, and leaves no partial folder behind.
#[test]
fn demo_refuses_foreign_folder() {
    let dir = TestRepo::empty();
    dir.write("mine/notes.txt", "precious");
    let run = dir.goalpost(&["demo", "--out", "mine"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(dir.read("mine/notes.txt"), "precious");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1);
}

// A user who tried goalpost in the demo (an edit, a check-in committed) lost that work
// when `demo` ran again: a demo is replaced only as the demo left it.
#[test]
fn demo_rebuild_never_loses_work_done_in_the_demo() {
    let dir = TestRepo::empty();
    dir.goalpost(&["demo", "--out", "demo"]).expect_code(0);
    let demo = TestRepo::at(&dir.path().join("demo"));
    demo.write("notes.md", "my notes");
    let run = dir.goalpost(&["demo", "--out", "demo"]);
    run.expect_code(2);
    assert!(run.stderr.contains("changed or added"), "{}", run.stderr);
    demo.commit_all("my check-in", "2026-11-30T09:00:00Z");
    let run = dir.goalpost(&["demo", "--out", "demo"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("commits the demo did not make"),
        "{}",
        run.stderr
    );
    assert_eq!(demo.read("notes.md"), "my notes");
}
