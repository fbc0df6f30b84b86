//! Issue 12, the audit trail that can't be gamed: each way of moving a goalpost quietly,
//! on a real repository, must be flagged with its verdict, its effect on the score, the
//! person who made it (also through merges) and the commit that landed it; and `review`
//! must hold in CI checkouts (GitHub's synthetic merge, shallow clones).

use crate::support::{git, git_at, run_in, Objective, TestRepo};
use serde_json::Value;

const A: &str = "goals/2026-Q4/t/a.md";
const MALLORY: (&str, &str) = ("Mallory Mover", "mallory@example.test");

/// A repository with `plan` committed before 2026-Q4 began and `moved` committed by
/// Mallory mid-quarter (both: path -> text).
fn planned_then(plan: &[(&str, String)], moved: &[(&str, Option<String>)]) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    for (path, text) in plan {
        repo.write(path, text);
    }
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    for (path, text) in moved {
        match text {
            Some(t) => drop(repo.write(path, t)),
            None => std::fs::remove_file(repo.path().join(path)).expect("remove"),
        }
    }
    repo.commit_as(MALLORY.0, MALLORY.1, "tweak", "2026-11-02T09:00:00Z");
    repo
}

/// The goalpost moves `log --moves` reports.
fn moves(repo: &TestRepo) -> Vec<Value> {
    let run = repo.goalpost(&["log", "--moves", "--format", "json"]);
    run.expect_code(0);
    run.json()["changes"].as_array().expect("changes").clone()
}

/// The one move whose field is `field`.
fn the_move(moves: &[Value], field: &str) -> Value {
    let found: Vec<&Value> = moves.iter().filter(|m| m["field"] == field).collect();
    assert_eq!(found.len(), 1, "one `{field}` move in {moves:#?}");
    found[0].clone()
}

/// Asserts a move: flagged, its verdict and effect, by Mallory, landed by `landed_in`.
fn assert_move(m: &Value, easier: bool, effect: f64, landed_in: &str) {
    assert_eq!(m["goalpost_move"], true, "{m:#}");
    assert_eq!(m["easier"], easier, "{m:#}");
    let got = m["effect"].as_f64().expect("effect");
    assert!(
        (got - effect).abs() < 1e-4,
        "effect {got} != {effect}: {m:#}"
    );
    assert_eq!(m["author"], MALLORY.0, "{m:#}");
    assert_eq!(m["landed_in"], landed_in, "{m:#}");
}

fn one_metric(start: f64, target: f64, current: f64, extra: &str) -> String {
    Objective::new("Grow")
        .extra(extra)
        .metric("k", "Signups", start, target, current)
        .to_string()
}

/// A lagging key result `lag` (0 of 10) beside a leading one `lead` (8 of 10).
fn lag_and_lead(lag_extra: &str) -> String {
    Objective::new("Grow")
        .metric("lead", "Leading", 0.0, 10.0, 8.0)
        .metric("lag", "Lagging", 0.0, 10.0, 0.0)
        .to_string()
        .replace("id = \"lag\"\n", &format!("id = \"lag\"\n{lag_extra}"))
}

// Lowering a baseline below the current value raises the score 0.33 -> 0.60: easier
// (it was labelled harder).
#[test]
fn lowered_baseline_is_flagged_easier() {
    let repo = planned_then(
        &[(A, one_metric(30.0, 45.0, 35.0, ""))],
        &[(A, Some(one_metric(20.0, 45.0, 35.0, "")))],
    );
    let m = the_move(&moves(&repo), "start");
    assert_move(&m, true, 0.2667, &repo.rev("HEAD"));
}

// Removing a lagging key result raises the objective from 0.40 to 0.80.
#[test]
fn removed_lagging_kr_is_flagged_easier() {
    let only_lead = Objective::new("Grow")
        .metric("lead", "Leading", 0.0, 10.0, 8.0)
        .to_string();
    let repo = planned_then(&[(A, lag_and_lead(""))], &[(A, Some(only_lead))]);
    let all = moves(&repo);
    let m = all
        .iter()
        .find(|m| m["kind"] == "kr_removed")
        .expect("kr_removed move");
    assert_move(m, true, 0.4, &repo.rev("HEAD"));
}

// Cutting a lagging key result's weight 1 -> 0.1 raises the objective 0.40 -> 0.73.
#[test]
fn weight_cut_is_flagged_easier() {
    let repo = planned_then(
        &[(A, lag_and_lead(""))],
        &[(A, Some(lag_and_lead("weight = 0.1\n")))],
    );
    let m = the_move(&moves(&repo), "weight");
    assert_move(&m, true, 0.3273, &repo.rev("HEAD"));
}

// Committed -> aspirational moves no score but lowers the goal: flagged easier, effect 0.
#[test]
fn committed_to_aspirational_is_flagged_easier() {
    let repo = planned_then(
        &[(A, one_metric(0.0, 10.0, 5.0, "kind = \"committed\""))],
        &[(
            A,
            Some(one_metric(0.0, 10.0, 5.0, "kind = \"aspirational\"")),
        )],
    );
    let m = the_move(&moves(&repo), "kind");
    assert_move(&m, true, 0.0, &repo.rev("HEAD"));
}

// Lowering `[scoring] success` 0.7 -> 0.5 is a config_changed move, flagged easier.
#[test]
fn lowered_success_is_flagged_easier() {
    let config = |s: f64| format!("[site]\ntitle = \"T\"\n[scoring]\nsuccess = {s}\n");
    let repo = planned_then(
        &[
            (A, one_metric(0.0, 10.0, 5.0, "")),
            ("goalpost.toml", config(0.7)),
        ],
        &[("goalpost.toml", Some(config(0.5)))],
    );
    let m = the_move(&moves(&repo), "scoring.success");
    assert_eq!(m["kind"], "config_changed");
    assert_move(&m, true, 0.0, &repo.rev("HEAD"));
    let diff = repo
        .goalpost(&["diff", "HEAD~1", "HEAD", "--format", "json"])
        .json();
    assert_eq!(diff["changes"][0]["field"], "scoring.success");
}

// Renaming a key result while relaxing its target (0.38 -> 0.70) is one identity: a
// rename and an easier target, not a removal and an addition; its history carries over.
#[test]
fn renamed_and_relaxed_kr_keeps_identity_and_is_flagged() {
    let renamed = one_metric(0.0, 54.0, 38.0, "").replace("id = \"k\"", "id = \"k2\"");
    let repo = planned_then(
        &[(A, one_metric(0.0, 100.0, 38.0, ""))],
        &[(A, Some(renamed))],
    );
    let all = moves(&repo);
    assert!(all.iter().all(|m| m["kind"] != "kr_removed"), "{all:#?}");
    let rename = the_move(&all, "id");
    assert_move(&rename, false, 0.0, &repo.rev("HEAD"));
    let target = the_move(&all, "target");
    assert_eq!(target["id"], "2026-Q4/t/a#k2");
    assert_move(&target, true, 0.3237, &repo.rev("HEAD"));
    let history = repo
        .goalpost(&["history", "2026-Q4/t/a#k2", "--format", "json"])
        .json();
    // The series starts at the plan, under the old id: the rename did not restart it.
    assert_eq!(
        history["points"][0]["commit"],
        repo.rev("HEAD~1").as_str(),
        "{history:#}"
    );
}

// Turning a metric (0.38) into a done milestone (1.0) is a kind move, easier by 0.62.
#[test]
fn metric_to_done_milestone_is_flagged_easier() {
    let done = Objective::new("Grow")
        .milestone("k", "Signups", true)
        .to_string();
    let repo = planned_then(&[(A, one_metric(0.0, 10.0, 3.8, ""))], &[(A, Some(done))]);
    let m = the_move(&moves(&repo), "kind");
    assert_eq!(m["id"], "2026-Q4/t/a#k");
    assert_move(&m, true, 0.62, &repo.rev("HEAD"));
}

// Moving an unpinned file while relaxing a target keeps the objective's identity (one
// history, `objective_moved`) and flags the target.
#[test]
fn moved_file_with_relaxed_target_keeps_identity_and_is_flagged() {
    let two = |target: f64| {
        Objective::new("Grow")
            .metric("k", "Signups", 0.0, target, 4.0)
            .metric("m", "Margin", 0.0, 10.0, 5.0)
            .to_string()
    };
    let repo = planned_then(
        &[(A, two(10.0))],
        &[(A, None), ("goals/2026-Q4/t/b.md", Some(two(5.0)))],
    );
    let all = moves(&repo);
    let moved = the_move(&all, "id");
    assert_eq!(moved["kind"], "objective_moved");
    assert_eq!(moved["from"], "2026-Q4/t/a");
    assert_move(&moved, false, 0.0, &repo.rev("HEAD"));
    let target = the_move(&all, "target");
    assert_eq!(target["id"], "2026-Q4/t/b#k");
    assert_move(&target, true, 0.2, &repo.rev("HEAD"));
    let history = repo
        .goalpost(&["history", "2026-Q4/t/b", "--format", "json"])
        .json();
    assert_eq!(
        history["points"].as_array().unwrap().len(),
        2,
        "{history:#}"
    );
    let diff = repo
        .goalpost(&["diff", "HEAD~1", "HEAD", "--format", "json"])
        .json();
    assert_eq!(diff["changes"][0]["kind"], "objective_moved");
}

/// goalpost.toml declaring the period `H2` (2026-07-01 .. 2026-12-31), or not.
fn h2_config(declared: bool) -> String {
    let period = "[[periods]]\nname = \"H2\"\nstart = 2026-07-01\nend = 2026-12-31\n";
    format!(
        "[site]\ntitle = \"T\"\n{}",
        if declared { period } else { "" }
    )
}

// Removing a [[periods]] entry is a config_changed move (easier: its objectives lose
// their dates), and `review` fails on the errors it causes in files it did not touch.
#[test]
fn removed_period_is_flagged_and_fails_review() {
    let h2 = "goals/H2/t/a.md";
    let repo = planned_then(
        &[
            (h2, one_metric(0.0, 10.0, 5.0, "")),
            ("goalpost.toml", h2_config(true)),
        ],
        &[("goalpost.toml", Some(h2_config(false)))],
    );
    let m = the_move(&moves(&repo), "periods.H2");
    assert_eq!(m["kind"], "config_changed");
    assert_move(&m, true, 0.0, &repo.rev("HEAD"));
    let review = repo.goalpost(&["review", "--base", "HEAD~1"]);
    review.expect_code(1);
    assert!(
        review.stdout.contains("goals/H2/t/a.md"),
        "{}",
        review.stdout
    );
    assert!(review.stdout.contains("periods.H2"), "{}", review.stdout);
}

/// Main planned before the quarter; branch `relax` where Mallory relaxes the target
/// (0 -> 100 becomes 0 -> 50, current 20).
fn relax_branch() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(A, one_metric(0.0, 100.0, 20.0, ""));
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    repo.switch("relax");
    repo.write(A, one_metric(0.0, 50.0, 20.0, ""));
    repo.commit_as(MALLORY.0, MALLORY.1, "relax", "2026-11-01T09:00:00Z");
    repo.switch("main");
    repo
}

// After a --no-ff merge, log credits the branch's author and names the merge that landed it.
#[test]
fn no_ff_merge_credits_the_branch_author() {
    let repo = relax_branch();
    let branch_commit = repo.rev("relax");
    repo.merge("relax", "Merge relax", "2026-11-02T09:00:00Z");
    let m = the_move(&moves(&repo), "target");
    assert_move(&m, true, 0.2, &repo.rev("HEAD"));
    assert_eq!(m["commit"], branch_commit.as_str());
    assert_eq!(m["landed_by"], crate::support::AUTHOR.0);
    let text = repo.goalpost(&["log", "--moves"]).stdout;
    assert!(
        text.contains("Mallory Mover") && text.contains("landed in"),
        "{text}"
    );
}

// GitHub's pull_request checkout is a synthetic merge of the head into the base: review
// credits the pull request's commit, not "GitHub".
#[test]
fn review_of_synthetic_merge_credits_the_pr_commit() {
    let repo = relax_branch();
    repo.switch("pull-merge");
    repo.merge_as(
        "relax",
        ("GitHub", "noreply@github.com"),
        "Merge relax into main",
        "2026-11-03T09:00:00Z",
    );
    let run = repo.goalpost(&["review", "--base", "main", "--format", "json"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["synthetic_merge"], true);
    let m = &json["moves"][0];
    assert_eq!(m["author"], MALLORY.0, "{json:#}");
    assert_eq!(m["commit"], repo.rev("relax").as_str());
    assert_eq!(m["landed_by"], "GitHub");
    assert_eq!(m["easier"], true);
    assert!((m["effect"].as_f64().unwrap() - 0.2).abs() < 1e-4);
    let md = repo.goalpost(&["review", "--base", "main"]).stdout;
    assert!(
        md.contains("Mallory Mover") && md.contains("credited to the pull request"),
        "{md}"
    );
}

// A depth-1 clone with the base fetched cuts base..head: review refuses with the
// `fetch-depth: 0` error instead of reporting "0 goalpost moves"; --allow-shallow marks
// the comment partial.
#[test]
fn review_refuses_shallow_clone_that_cuts_the_range() {
    let repo = relax_branch();
    repo.write("goals/2026-Q4/t/other.md", one_metric(0.0, 5.0, 1.0, ""));
    repo.commit_all("unrelated", "2026-11-01T10:00:00Z");
    let clone = TestRepo::empty();
    let url = format!("file://{}", repo.path().display());
    git(
        clone.path(),
        &["clone", "--depth", "1", "--branch", "relax", &url, "c"],
    );
    let dir = clone.path().join("c");
    git_at(
        &dir,
        &["fetch", "--depth", "1", "origin", "main:main"],
        "2026-11-05T00:00:00Z",
    );
    let refused = run_in(&dir, &["review", "--base", "main"]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("fetch-depth: 0"),
        "{}",
        refused.stderr
    );
    let partial = run_in(&dir, &["review", "--base", "main", "--allow-shallow"]);
    partial.expect_code(0);
    assert!(
        partial.stdout.contains("Partial review"),
        "{}",
        partial.stdout
    );
    let json = run_in(
        &dir,
        &[
            "review",
            "--base",
            "main",
            "--allow-shallow",
            "--format",
            "json",
        ],
    );
    assert_eq!(json.json()["partial"], true);
}

// A huge title cannot push the move out of the truncated comment: titles are cut first.
#[test]
fn huge_title_never_hides_the_move() {
    let title = "x".repeat(70_000);
    let with = |target: f64| {
        Objective::new("Grow")
            .metric("k", &title, 0.0, target, 4.0)
            .to_string()
    };
    let repo = planned_then(&[(A, with(10.0))], &[(A, Some(with(5.0)))]);
    let md = repo.goalpost(&["review", "--base", "HEAD~1"]).stdout;
    assert!(md.len() <= 60_000, "{}", md.len());
    assert!(
        md.contains("Goalposts moved") && md.contains("**easier**"),
        "{}",
        &md[..500]
    );
    assert!(md.contains("Mallory Mover"));
}
