//! The whole text of `check`, `status` and `review` on small fixed repositories, compared
//! exactly: fixed identities, dates and `--as-of` make every byte reproducible, so any
//! change to these outputs shows up here as a reviewed diff.

use crate::support::{Objective, TestRepo};

const FAST: &str = "goals/2026-Q4/team/fast.md";

/// The objective `team/fast`: a rising metric (0 → `target` requests/s) now at `current`,
/// with a milestone.
fn fast(target: f64, current: f64) -> String {
    Objective::new("Be fast")
        .metric_in("rps", "Requests served", "req/s", 0.0, target, current)
        .milestone("runbook", "Runbook tested", false)
        .body("Latency matters.")
        .to_string()
}

/// Planned before the quarter, one check-in, then the target relaxed mid-quarter; a KPI.
fn planned_then_relaxed() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FAST, fast(1000.0, 0.0));
    repo.write(
        "kpis/uptime.toml",
        "title = \"Uptime\"\nowner = \"bo\"\nunit = \"%\"\ndirection = \"up\"\nvalue = 99.5\ngreen = 99.9\nred = 99.0\n",
    );
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    repo.write(FAST, fast(1000.0, 600.0));
    repo.commit_all("checkin", "2026-10-20T09:00:00Z");
    repo.write(FAST, fast(800.0, 600.0));
    repo.commit_all("relax", "2026-11-02T09:00:00Z");
    repo
}

/// Compares a whole output, showing both texts in full when they differ.
fn assert_text(what: &str, actual: &str, expected: &str) {
    assert!(
        actual == expected,
        "{what} differs\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

// `check` prints every problem rustc-style, in file order, then the one-line summary.
#[test]
fn check_text_is_exact() {
    let repo = TestRepo::new();
    repo.write(
        "goals/2026-Q4/a/one.md",
        "+++\ntitle = 1\nowner = \"a\"\nextra = true\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = \"no\"\n+++\n",
    );
    repo.write(
        "goals/2026-Q4/a/two.md",
        Objective::new("Two")
            .metric("k", "K to 10", 0.0, 10.0, 1.0)
            .to_string(),
    );
    let run = repo.goalpost(&["check"]);
    run.expect_code(1);
    assert_text(
        "check",
        &run.stdout,
        "\
error[wrong-type]: `title` must be a string, found a number
 --> goals/2026-Q4/a/one.md:2:9
  |
2 | title = 1
  |         ^

error[unknown-key]: unknown key `extra`
 --> goals/2026-Q4/a/one.md:4:1
  |
4 | extra = true
  | ^^^^^
  |
help: known keys here: `title`, `owner`, `kind`, `parent`, `id`, `carried_from`, `description` or `key_results`

error[wrong-type]: `done` must be true or false, found a string
 --> goals/2026-Q4/a/one.md:8:8
  |
8 | done = \"no\"
  |        ^^^^

warning[too-few-key-results]: objective has a single key result
 --> goals/2026-Q4/a/two.md:1:1
  |
1 | +++
  | ^^^
  |
help: two to five key results give a rounder picture of the outcome

checked 2 files: 3 errors, 1 warning
",
    );
    assert_text("check stderr", &run.stderr, "");
}

// `status` on a fixed day: header, score bars, expected and forecast, staleness, KPIs.
// Hand-computed (docs/scoring.md): rps 600 of 0→800 = 0.75, its last check-in 26 days
// ago (the target edit of 11-02 is not one), so stale: forecast = score, on track against
// 0.7 capped at at risk; the untouched runbook is stale, forecast 0, off track; the
// objective: score and forecast (0.75 + 0) / 2 = 0.375 < 0.49, off track; expected 0.7 × 0.5.
#[test]
fn status_text_is_exact() {
    let repo = planned_then_relaxed();
    let run = repo.goalpost(&["status", "--as-of", "2026-11-15"]);
    run.expect_code(0);
    assert_text(
        "status",
        &run.stdout,
        "\
Test goals · 2026-Q4 (2026-10-01 to 2026-12-31) · as of 2026-11-15 23:59 UTC · 50% of the period elapsed

team/fast  Be fast  (ann, aspirational)
  ██████░░░░░░░░░░ 0.38  off track  expected 0.35  forecast 0.38
    rps      ██████░░ 0.75  at risk    600 (0→800) req/s            updated 26 days ago  stale (no check-in for over 14 days)
    runbook  ░░░░░░░░ 0.00  off track  not done                     updated 48 days ago  stale (no check-in for over 14 days)

KPIs
  uptime                           99.5 %   yellow   → flat
",
    );
    assert_text("status stderr", &run.stderr, "");
}

// `review`'s Markdown comment: the summary line, the goalpost move with its commit and
// author, progress before and after, and every change.
#[test]
fn review_markdown_is_exact() {
    let repo = planned_then_relaxed();
    let run = repo.goalpost(&["review", "--base", "HEAD~2"]);
    run.expect_code(0);
    // The commit id is the one thing not written out here: it follows from the builder's
    // commit format, which the test does not pin.
    let relax = &repo.rev("HEAD")[..8];
    assert_text(
        "review",
        &run.stdout,
        &format!(
            "\
## goalpost review

2 goal changes between HEAD\\~2 and `HEAD` · 1 goalpost move (1 easier) · check: 0 errors, 0 warnings

### ⚠️ Goalposts moved after the period began

| item | change | | score | commit | by | landed |
|---|---|---|---|---|---|---|
| `2026-Q4/team/fast#rps` Requests served | target 1000 → 800 | **easier** | +0.07 (period +0.07) | `{relax}` | Test Author |  |

### Progress

| key result | before | after | change |
|---|---|---|---|
| `2026-Q4/team/fast#rps` Requests served | 0.00 | 0.75 | +0.75 |
| `2026-Q4/team/fast` Be fast | 0.00 | 0.38 | +0.38 |

### Changes

| | id | change |
|---|---|---|
| ~ | `2026-Q4/team/fast#rps` | target: 1000 → 800  ⚑ goalpost moved: easier, score +0.07 |
| ~ | `2026-Q4/team/fast#rps` | current: 0 → 600 |
"
        ),
    );
    assert_text("review stderr", &run.stderr, "");
}
