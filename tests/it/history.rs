//! Progress from history: `status` and `history` on real repositories with merges, moves,
//! back-dated check-ins, shallow clones and goal roots in sub-folders.

use crate::support::{Objective, TestRepo};
use serde_json::Value;

/// An objective with one metric key result `k` (0 → 10) and one milestone `m`.
fn objective(current: f64, extra: &str) -> String {
    Objective::new("Ship it")
        .extra(extra)
        .metric("k", "K from 0 to 10", 0.0, 10.0, current)
        .milestone("m", "Milestone with 1 review", false)
        .to_string()
}

const OBJ: &str = "goals/2026-Q4/t/a.md";

/// A repository with the objective planned on 2026-10-01 and two check-ins.
fn planned() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(OBJ, objective(0.0, ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write(OBJ, objective(4.0, ""));
    repo.commit_all("checkin 4", "2026-10-15T09:00:00Z");
    repo.write(OBJ, objective(6.0, ""));
    repo.commit_all("checkin 6", "2026-11-01T12:00:00Z");
    repo
}

fn points(run: &crate::support::Run) -> Vec<(String, Value)> {
    run.json()["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| (p["time"].as_str().unwrap().to_string(), p["value"].clone()))
        .collect()
}

// status --format json carries the SPEC keys with values computed from history.
#[test]
fn status_json_from_history() {
    let repo = planned();
    let run = repo.goalpost(&["status", "--format", "json", "--as-of", "2026-11-15"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["period"], "2026-Q4");
    assert_eq!(json["as_of"], "2026-11-15T23:59:59Z");
    let o = &json["objectives"][0];
    assert_eq!(
        (o["id"].as_str(), o["title"].as_str(), o["owner"].as_str()),
        (Some("t/a"), Some("Ship it"), Some("ann"))
    );
    assert_eq!(o["score"], 0.3);
    let k = &o["key_results"][0];
    assert_eq!(k["id"], "t/a#k");
    assert_eq!(
        (k["progress"].as_f64(), k["score"].as_f64()),
        (Some(0.6), Some(0.6))
    );
    assert_eq!(
        (
            k["start"].as_f64(),
            k["target"].as_f64(),
            k["current"].as_f64()
        ),
        (Some(0.0), Some(10.0), Some(6.0))
    );
    assert_eq!(k["last_update"], "2026-11-01T12:00:00Z");
    assert_eq!(k["days_since_update"], 14);
    assert_eq!(k["stale"], false);
    let m = &o["key_results"][1];
    assert_eq!(m["done"], false);
    assert!(m["start"].is_null());
    // Forecast: 0.6 reached at 1/3 of the quarter extrapolates past the target, and every
    // forecast shown is clamped to 1.
    assert_eq!(k["forecast"], 1.0, "{k}");
    assert_eq!(k["status"], "on_track");
    assert_eq!(json["kpis"], serde_json::json!([]));
    assert_eq!(json["check_errors"], 0);
}

// Errors in the committed goal files are counted and pointed out, not hidden.
#[test]
fn status_never_hides_check_errors() {
    let repo = planned();
    repo.write("goals/2026-Q4/t/broken.md", "+++\ntitle = 1\n+++\n");
    repo.commit_all("broken", "2026-11-02T09:00:00Z");
    let json = repo.goalpost(&["status", "--format", "json"]).json();
    assert!(json["check_errors"].as_u64().unwrap() >= 1, "{json}");
    let text = repo.goalpost(&["status"]);
    assert!(
        text.stdout.contains("run `goalpost check`"),
        "{}",
        text.stdout
    );
}

// Without a check-in for more than 14 days, an active key result is stale; --as-of moves "now".
#[test]
fn staleness_follows_as_of() {
    let repo = planned();
    let run = repo.goalpost(&["status", "--format", "json", "--as-of", "2026-11-20"]);
    let k = &run.json()["objectives"][0]["key_results"][0];
    assert_eq!(
        (k["stale"].as_bool(), k["days_since_update"].as_i64()),
        (Some(true), Some(19))
    );
    // Default as-of is the analysed commit's time: reproducible output.
    let a = repo.goalpost(&["status", "--format", "json"]);
    let b = repo.goalpost(&["status", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.json()["as_of"], "2026-11-01T12:00:00Z");
    let text = repo.goalpost(&["status", "--as-of", "2026-11-20"]);
    text.expect_code(0);
    assert!(text.stdout.contains("stale"), "{}", text.stdout);
    assert!(text.stdout.contains("6 (0→10)"), "{}", text.stdout);
}

// A branch merged later counts once, at the merge commit's time, with the merged value.
#[test]
fn merged_branch_counts_once_at_merge() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(OBJ, objective(0.0, ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.switch("feature");
    repo.write(OBJ, objective(3.0, ""));
    repo.commit_all("checkin 3", "2026-10-05T09:00:00Z");
    repo.write(OBJ, objective(5.0, ""));
    repo.commit_all("checkin 5", "2026-10-07T09:00:00Z");
    repo.switch("main");
    repo.write("notes.txt", "unrelated\n");
    repo.commit_all("notes", "2026-10-06T09:00:00Z");
    repo.merge("feature", "Merge feature", "2026-10-10T09:00:00Z");
    let run = repo.goalpost(&["history", "t/a#k", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(
        points(&run),
        vec![
            ("2026-10-01T09:00:00Z".to_string(), Value::from(0.0)),
            ("2026-10-10T09:00:00Z".to_string(), Value::from(5.0))
        ]
    );
    let changes = run.json()["changes"].as_array().unwrap().clone();
    let last = changes.last().unwrap();
    assert_eq!(
        (
            last["field"].as_str(),
            last["from"].as_f64(),
            last["to"].as_f64()
        ),
        (Some("current"), Some(0.0), Some(5.0))
    );
    assert_eq!(last["author"], "Test Author");
}

// A file moved with a pinned id keeps one series, and the move is a change of its own.
#[test]
fn moved_file_with_pinned_id_keeps_its_series() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(OBJ, objective(1.0, "id = \"t/a\""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.rename(OBJ, "goals/2026-Q4/t/renamed.md");
    repo.write("goals/2026-Q4/t/renamed.md", objective(2.0, "id = \"t/a\""));
    repo.commit_all("move and check in", "2026-10-08T09:00:00Z");
    let run = repo.goalpost(&["history", "2026-Q4/t/a#k", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(points(&run).len(), 2);
    let objective = repo
        .goalpost(&["history", "t/a", "--format", "json"])
        .json();
    let kinds: Vec<&str> = objective["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["objective_added", "objective_moved", "field_changed"]
    );
    assert_eq!(objective["changes"][1]["to"], "goals/2026-Q4/t/renamed.md");
}

// Dated check-ins become points at their own dates, sorted among commit points.
#[test]
fn back_dated_checkins_sorted_among_commit_points() {
    let repo = planned();
    let with_checkin = objective(6.0, "").replace(
        "current = 6\n",
        "current = 6\n\n[[key_results.checkins]]\ndate = 2026-10-03\nvalue = 2\nnote = \"measured offline\"\n",
    );
    repo.write(OBJ, with_checkin);
    repo.commit_all("back-dated check-in", "2026-11-05T09:00:00Z");
    let run = repo.goalpost(&["history", "t/a#k", "--format", "json"]);
    run.expect_code(0);
    let times: Vec<String> = points(&run).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        times,
        [
            "2026-10-01T09:00:00Z",
            "2026-10-03T00:00:00Z",
            "2026-10-15T09:00:00Z",
            "2026-11-01T12:00:00Z"
        ]
    );
    let dated = &run.json()["points"][1];
    assert_eq!(
        (dated["dated"].as_bool(), dated["note"].as_str()),
        (Some(true), Some("measured offline"))
    );
}

// A shallow clone cut inside the asked range is an error naming fetch-depth: 0, unless allowed.
#[test]
fn shallow_clone_cut_in_range_names_fetch_depth() {
    let repo = planned();
    let clone = TestRepo::empty();
    let url = format!("file://{}", repo.path().display());
    clone.git(&["clone", "-q", "--depth", "1", &url, "c"]);
    let dir = clone.path().join("c");
    let run = crate::support::run_in(&dir, &["status", "--as-of", "2026-11-15"]);
    run.expect_code(2);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let ok = crate::support::run_in(&dir, &["status", "--format", "json", "--allow-shallow"]);
    ok.expect_code(0);
    assert_eq!(ok.json()["partial"], true);
    crate::support::run_in(&dir, &["history", "t/a#k"]).expect_code(2);
    // A full clone has no such problem.
    clone.git(&["clone", "-q", &url, "full"]);
    crate::support::run_in(&clone.path().join("full"), &["history", "t/a#k"]).expect_code(0);
}

// A `git worktree` of a shallow clone finds the shallow list in the common git dir: it gets
// the clear shallow-clone error (not "object not found"), and --allow-shallow works (issue 9 §9).
#[test]
fn shallow_worktree_names_the_cut_instead_of_object_not_found() {
    let repo = planned();
    let clone = TestRepo::empty();
    let url = format!("file://{}", repo.path().display());
    clone.git(&["clone", "-q", "--depth", "1", &url, "c"]);
    clone.git(&["-C", "c", "worktree", "add", "-q", "../w"]);
    let dir = clone.path().join("w");
    let run = crate::support::run_in(&dir, &["status", "--as-of", "2026-11-15"]);
    run.expect_code(2);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let ok = crate::support::run_in(&dir, &["status", "--format", "json", "--allow-shallow"]);
    ok.expect_code(0);
    assert_eq!(ok.json()["partial"], true);
    // review walks base..head with libgit2, which misses the worktree's shallow list.
    let review = crate::support::run_in(&dir, &["review", "--base", "HEAD"]);
    assert!(!review.stderr.contains("not found"), "{}", review.stderr);
    review.expect_code(0);
}

// A SHA-256 repository is named as such, not answered with "run git init" (issue 9 §9).
#[test]
fn sha256_repository_is_named_not_mistaken_for_no_repository() {
    let repo = TestRepo::new();
    // libgit2 cannot write SHA-256 repositories: this one needs the git binary.
    repo.git(&["init", "-q", "--object-format=sha256"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "plan"]);
    let run = repo.goalpost(&["status"]);
    run.expect_code(2);
    assert!(run.stderr.contains("SHA-256"), "{}", run.stderr);
    assert!(!run.stderr.contains("git init"), "{}", run.stderr);
}

// A repository owned by another user names git's `safe.directory` check (issue 9 §9). Only
// root can hand a folder to another user, so elsewhere this test has nothing to set up.
#[test]
fn repository_of_another_owner_names_safe_directory() {
    let repo = planned();
    let chown = std::process::Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(repo.path())
        .output()
        .expect("chown runs");
    if !chown.status.success() {
        eprintln!("not root: cannot hand the repository to another user");
        return;
    }
    let run = repo.goalpost(&["status"]);
    run.expect_code(2);
    assert!(run.stderr.contains("safe.directory"), "{}", run.stderr);
    assert!(!run.stderr.contains("git init"), "{}", run.stderr);
}

// The goal root may be a sub-folder of the repository, and early history may predate it.
#[test]
fn goal_root_in_subfolder_with_early_history() {
    let repo = TestRepo::empty();
    repo.init_git();
    repo.write("README.md", "monorepo\n");
    repo.commit_all("start", "2026-09-01T09:00:00Z");
    repo.write("okrs/goalpost.toml", "");
    repo.write(&format!("okrs/{OBJ}"), objective(2.0, ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write("src/main.rs", "fn main() {}\n");
    repo.commit_all("code", "2026-10-02T09:00:00Z");
    repo.write(&format!("okrs/{OBJ}"), objective(7.0, ""));
    repo.commit_all("checkin", "2026-10-09T09:00:00Z");
    let run = crate::support::run_in(
        &repo.path().join("okrs/goals"),
        &["history", "t/a#k", "--format", "json"],
    );
    run.expect_code(0);
    assert_eq!(points(&run).len(), 2);
    let status =
        crate::support::run_in(&repo.path().join("okrs"), &["status", "--format", "json"]).json();
    assert_eq!(status["objectives"][0]["key_results"][0]["current"], 7.0);
}

// KPI health and trend come from the value's history.
#[test]
fn kpi_health_and_trend() {
    let repo = planned();
    let kpi = |v: f64| {
        format!("title = \"Uptime\"\nowner = \"bo\"\nunit = \"%\"\ndirection = \"up\"\nvalue = {v}\ngreen = 99.9\nred = 99.5\n")
    };
    repo.write("kpis/uptime.toml", kpi(99.6));
    repo.commit_all("kpi", "2026-10-01T09:00:00Z");
    repo.write("kpis/uptime.toml", kpi(99.95));
    repo.commit_all("kpi up", "2026-11-10T09:00:00Z");
    let json = repo
        .goalpost(&["status", "--format", "json", "--as-of", "2026-11-15"])
        .json();
    let k = &json["kpis"][0];
    assert_eq!(
        (k["id"].as_str(), k["value"].as_f64(), k["health"].as_str()),
        (Some("uptime"), Some(99.95), Some("green"))
    );
    assert_eq!(
        (
            k["trend"].as_str(),
            k["improving"].as_bool(),
            k["previous"].as_f64()
        ),
        (Some("up"), Some(true), Some(99.6))
    );
    let history = repo.goalpost(&["history", "uptime", "--format", "json"]);
    history.expect_code(0);
    assert_eq!(history.json()["kind"], "kpi");
    assert_eq!(points(&history).len(), 2);
}

// Asking outside a git repository, or for an unknown id, is a clear usage error.
#[test]
fn outside_repository_or_unknown_id_is_clear_usage_error() {
    let plain = TestRepo::new();
    let run = plain.goalpost(&["status"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{}",
        run.stderr
    );
    let repo = planned();
    let run = repo.goalpost(&["history", "t/a#kk"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("did you mean `2026-Q4/t/a#k`?"),
        "{}",
        run.stderr
    );
    repo.goalpost(&["status", "--period", "2026-Q7"])
        .expect_code(2);
    repo.goalpost(&["status", "--as-of", "soon"]).expect_code(2);
}

// goalpost.toml changing mid-history (a new goals folder, a named period) reloads the goal
// set with the new configuration, and series continue across the move.
#[test]
fn configuration_changes_mid_history() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(OBJ, objective(1.0, ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write("goalpost.toml", "[goals]\ndir = \"okr\"\n");
    repo.rename("goals/2026-Q4", "okr/2026-Q4");
    repo.write("okr/2026-Q4/t/a.md", objective(2.0, ""));
    repo.commit_all("move to okr/", "2026-10-05T09:00:00Z");
    repo.write("goalpost.toml", "[goals]\ndir = \"okr\"\n\n[[periods]]\nname = \"FY27-H1\"\nstart = 2026-07-01\nend = 2026-12-31\n");
    repo.write("okr/FY27-H1/t/b.md", objective(5.0, ""));
    repo.commit_all("half-year goals", "2026-10-10T09:00:00Z");
    let run = repo.goalpost(&["history", "2026-Q4/t/a#k", "--format", "json"]);
    run.expect_code(0);
    let values: Vec<f64> = points(&run)
        .iter()
        .map(|(_, v)| v.as_f64().unwrap())
        .collect();
    assert_eq!(values, [1.0, 2.0]);
    let moved = repo
        .goalpost(&["history", "2026-Q4/t/a", "--format", "json"])
        .json();
    let kinds: Vec<&str> = moved["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"objective_moved"), "{kinds:?}");
    let half = repo
        .goalpost(&["status", "--period", "FY27-H1", "--format", "json"])
        .json();
    assert_eq!(half["objectives"][0]["qualified_id"], "FY27-H1/t/b");
    assert_eq!(half["period_start"], "2026-07-01");
    // At the first commit, the objective still lives under goals/.
    let early = repo
        .goalpost(&["status", "--rev", "HEAD~2", "--format", "json"])
        .json();
    assert_eq!(early["objectives"][0]["key_results"][0]["current"], 1.0);
}

// status --team keeps the team and its nested teams; KPIs belong to no team.
#[test]
fn status_team_keeps_nested_teams_and_drops_kpis() {
    let repo = planned();
    repo.write("goals/2026-Q4/t/sub/c.md", objective(3.0, ""));
    repo.write("goals/2026-Q4/other/d.md", objective(3.0, ""));
    repo.write(
        "kpis/k.toml",
        "title = \"K\"\nowner = \"o\"\ndirection = \"up\"\nvalue = 1\ngreen = 2\n",
    );
    repo.commit_all("more", "2026-11-03T09:00:00Z");
    let json = repo
        .goalpost(&["status", "--team", "t", "--format", "json"])
        .json();
    let ids: Vec<&str> = json["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["t/a", "t/sub/c"]);
    assert_eq!(json["kpis"], serde_json::json!([]));
}

// With `[site] timezone`, the site showed a late check-in on the next day while `log` and
// `history` printed its UTC time with no zone: the same event read differently per view.
#[test]
fn terminal_times_follow_the_repository_zone_like_the_site() {
    let repo = TestRepo::new();
    repo.write(
        "goalpost.toml",
        "[site]\ntitle = \"T\"\ntimezone = \"Europe/Oslo\"\n",
    );
    repo.init_git();
    repo.write(OBJ, objective(0.0, ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo.write(OBJ, objective(4.0, ""));
    repo.commit_all("late check-in", "2026-11-10T23:30:00Z");
    let oslo = "2026-11-11 00:30 CET";
    let log = repo.goalpost(&["log"]);
    assert!(log.stdout.contains(oslo), "{}", log.stdout);
    let history = repo.goalpost(&["history", "t/a#k"]);
    assert!(history.stdout.contains(oslo), "{}", history.stdout);
    let status = repo.goalpost(&["status"]);
    assert!(
        status.stdout.contains(&format!("as of {oslo}")),
        "{}",
        status.stdout
    );
    assert!(!log.stdout.contains("UTC") && !history.stdout.contains("UTC"));
}
