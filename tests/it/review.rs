//! Semantic diff, quarter comparison, the audit log and pull-request reviews, on real
//! repositories with merges, moves, relaxed targets and renamed key results.

use crate::support::{Objective, TestRepo};
use serde_json::Value;

/// An objective with one metric key result `k` (0 → target) and one milestone `m`.
fn objective(title: &str, target: u32, current: u32, extra: &str) -> String {
    Objective::new(title)
        .extra(extra)
        .metric(
            "k",
            &format!("K to {target}"),
            0.0,
            target.into(),
            current.into(),
        )
        .milestone("m", "Milestone with 1 review", false)
        .to_string()
}

const A: &str = "goals/2026-Q4/t/a.md";

/// Planned before the quarter, one check-in, then the target relaxed mid-quarter.
fn relaxed() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(A, objective("Ship it", 100, 0, ""));
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    // A branch marks the plan (the builder makes no tags).
    repo.switch("planned");
    repo.switch("main");
    repo.write(A, objective("Ship it", 100, 20, ""));
    repo.commit_all("checkin", "2026-10-10T09:00:00Z");
    repo.write(A, objective("Ship it", 60, 20, ""));
    repo.commit_all("relax target", "2026-11-02T09:00:00Z");
    repo
}

fn kinds(changes: &Value) -> Vec<String> {
    changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}",
                c["kind"].as_str().unwrap(),
                c["id"].as_str().unwrap(),
                c["field"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

// diff reports field changes keyed by id with from/to, and flags the easier goalpost move.
#[test]
fn diff_flags_relaxed_target() {
    let repo = relaxed();
    let run = repo.goalpost(&["diff", "planned", "HEAD", "--format", "json"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(
        (json["from"].as_str(), json["to"].as_str()),
        (Some("planned"), Some("HEAD"))
    );
    let target = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "target")
        .expect("target change")
        .clone();
    assert_eq!(
        (target["from"].as_f64(), target["to"].as_f64()),
        (Some(100.0), Some(60.0))
    );
    assert_eq!(
        (
            target["easier"].as_bool(),
            target["goalpost_move"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let current = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "current")
        .unwrap()
        .clone();
    assert_eq!(current["easier"], false);
    let text = repo.goalpost(&["diff", "planned", "HEAD"]);
    assert!(
        text.stdout
            .contains("target: 100 → 60  ⚑ goalpost moved: easier"),
        "{}",
        text.stdout
    );
    let md = repo.goalpost(&["diff", "planned", "HEAD", "--format", "markdown"]);
    assert!(md.stdout.starts_with("### Goal changes"), "{}", md.stdout);
}

// Against the working tree: added and removed objectives, moves by pinned id and by
// content, and a renamed key result (one identity: an `id` change).
#[test]
fn diff_working_tree_moves_and_renames() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(A, objective("Pinned", 10, 1, "id = \"t/pinned\""));
    repo.write("goals/2026-Q4/t/b.md", objective("Same content", 10, 1, ""));
    repo.write("goals/2026-Q4/t/c.md", objective("Renamed KR", 10, 1, ""));
    repo.write("goals/2026-Q4/t/gone.md", objective("Gone", 10, 1, ""));
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    repo.rename(A, "goals/2026-Q4/t/pinned-here.md");
    repo.rename("goals/2026-Q4/t/b.md", "goals/2026-Q4/u/b.md");
    repo.write(
        "goals/2026-Q4/t/c.md",
        objective("Renamed KR", 10, 1, "").replace("id = \"k\"", "id = \"k2\""),
    );
    std::fs::remove_file(repo.path().join("goals/2026-Q4/t/gone.md")).unwrap();
    repo.write("goals/2026-Q4/t/new.md", objective("New", 5, 0, ""));
    let json = repo.goalpost(&["diff", "HEAD", "--format", "json"]).json();
    assert_eq!(json["to"], "working tree");
    assert_eq!(
        kinds(&json["changes"]),
        [
            "field_changed 2026-Q4/t/c#k2 id",
            "objective_removed 2026-Q4/t/gone -",
            "objective_added 2026-Q4/t/new -",
            "objective_moved 2026-Q4/t/pinned file",
            "objective_moved 2026-Q4/u/b id",
        ]
    );
}

// A diff from a revision where the goals folder did not exist lists everything as added.
#[test]
fn diff_from_before_the_goals_folder() {
    let repo = TestRepo::empty();
    repo.init_git();
    repo.write("README.md", "hello\n");
    repo.commit_all("start", "2026-09-01T09:00:00Z");
    repo.write("goalpost.toml", "");
    repo.write(A, objective("Ship it", 10, 0, ""));
    repo.write(
        "kpis/up.toml",
        "title = \"Up\"\nowner = \"o\"\ndirection = \"up\"\nvalue = 1\ngreen = 2\n",
    );
    repo.commit_all("goals", "2026-09-28T09:00:00Z");
    let json = repo
        .goalpost(&["diff", "HEAD~1", "HEAD", "--format", "json"])
        .json();
    assert_eq!(
        kinds(&json["changes"]),
        ["objective_added 2026-Q4/t/a -", "kpi_added up -"]
    );
}

// The review comment calls out the easier move with its commit, shows progress, escapes
// titles, and exits 0 without check errors.
#[test]
fn review_calls_out_moves_and_escapes_titles() {
    let repo = relaxed();
    let evil = "Win [big](https://evil.test) <script>alert(1)</script> @org/all";
    repo.write("goals/2026-Q4/t/evil.md", objective(evil, 10, 2, ""));
    repo.commit_all("evil title", "2026-11-03T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "planned"]);
    run.expect_code(0);
    let md = &run.stdout;
    assert!(
        md.contains("### ⚠️ Goalposts moved after the period began"),
        "{md}"
    );
    let sha = repo.rev("HEAD~1");
    assert!(
        md.contains(&format!("`{}`", &sha[..8])),
        "the move's commit is named: {md}"
    );
    assert!(md.contains("**easier**"), "{md}");
    assert!(
        md.contains("| 0.00 | 0.33 | +0.33 |"),
        "progress delta: {md}"
    );
    assert!(
        !md.contains("](https") && !md.contains("<script") && !md.contains("@org"),
        "{md}"
    );
    let gh = repo.goalpost(&["review", "--base", "planned", "--format", "github"]);
    let line = gh
        .stdout
        .lines()
        .find(|l| l.contains("goalpost-moved"))
        .expect("annotation");
    assert!(
        line.starts_with("::warning file=goals/2026-Q4/t/a.md,line=9,col=10,"),
        "{line}"
    );
}

// A review with check errors in the changed files exits 1 and lists them.
#[test]
fn review_never_passes_with_check_errors() {
    let repo = relaxed();
    repo.write(A, "+++\ntitle = 3\n+++\n");
    repo.commit_all("break it", "2026-11-05T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "HEAD~1"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("**error[wrong-type]**"),
        "{}",
        run.stdout
    );
}

// A huge change stays under 60 KB, with "and N more".
#[test]
fn review_is_truncated_below_60_kb() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write("README.md", "x\n");
    repo.commit_all("start", "2026-09-28T09:00:00Z");
    for i in 0..1500 {
        repo.write(
            &format!("goals/2026-Q4/t{}/o{i}.md", i % 5),
            objective(
                &format!("Objective number {i} with a long title"),
                10,
                0,
                "",
            ),
        );
    }
    repo.commit_all("many", "2026-09-29T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "HEAD~1"]);
    run.expect_code(0);
    assert!(run.stdout.len() <= 60_000, "{} bytes", run.stdout.len());
    assert!(run.stdout.contains("… and "), "truncation is said");
}

// A pull request merged from a branch: the review of the branch names the branch's commit;
// after the merge, the audit log dates the change at the merge commit on main.
#[test]
fn review_branch_and_log_after_merge() {
    let repo = relaxed();
    repo.switch("pr");
    repo.write(A, objective("Ship it", 50, 20, ""));
    repo.commit_all("relax again", "2026-11-10T09:00:00Z");
    let run = repo.goalpost(&[
        "review", "--base", "main", "--head", "pr", "--format", "json",
    ]);
    run.expect_code(0);
    let moves = run.json()["moves"].as_array().unwrap().clone();
    assert_eq!(
        moves.len(),
        1,
        "only the pull request's own move: {moves:?}"
    );
    assert_eq!(
        (moves[0]["from"].as_str(), moves[0]["to"].as_str()),
        (Some("60"), Some("50"))
    );
    repo.switch("main");
    repo.merge("pr", "Merge pr", "2026-11-12T09:00:00Z");
    let log = repo
        .goalpost(&["log", "--moves", "--format", "json"])
        .json();
    let times: Vec<&str> = log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["time"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["2026-11-02T09:00:00Z", "2026-11-12T09:00:00Z"]);
    let text = repo.goalpost(&["log", "--since", "2026-11-01", "--period", "2026-Q4"]);
    assert!(
        text.stdout
            .contains("target: 100 → 60  ⚑ goalpost moved: easier"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("current"), "{}", text.stdout);
}

// compare: carried over, new and dropped objectives, team hit rates, calibration hints.
#[test]
fn compare_periods() {
    let repo = TestRepo::new();
    repo.init_git();
    // One metric key result from 0 to 10: the score is current / 10.
    let asp = |title: &str, current: u32, extra: &str| {
        Objective::new(title)
            .extra(extra)
            .metric("k", "K to 10", 0.0, 10.0, current.into())
            .to_string()
    };
    repo.write("goals/2026-Q2/t/a.md", asp("Aspirational A", 10, ""));
    repo.write(
        "goals/2026-Q3/t/a.md",
        asp("Aspirational A", 10, "carried_from = \"2026-Q2/t/a\""),
    );
    repo.write(
        "goals/2026-Q3/t/c.md",
        asp("Committed C", 8, "kind = \"committed\""),
    );
    repo.write("goals/2026-Q3/u/gone.md", asp("Dropped", 3, ""));
    repo.write(
        "goals/2026-Q4/t/a.md",
        asp("Aspirational A", 4, "carried_from = \"2026-Q3/t/a\""),
    );
    repo.write("goals/2026-Q4/u/new.md", asp("Brand new", 1, ""));
    repo.commit_all("all", "2026-10-05T09:00:00Z");
    let json = repo
        .goalpost(&["compare", "2026-Q3", "2026-Q4", "--format", "json"])
        .json();
    assert_eq!(json["carried"][0]["to"]["id"], "2026-Q4/t/a");
    assert_eq!(json["carried"][0]["from"]["score"], 1.0);
    let ids = |key: &str| {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("new"), ["2026-Q4/u/new"]);
    assert_eq!(ids("dropped"), ["2026-Q3/t/c", "2026-Q3/u/gone"]);
    let codes: Vec<&str> = json["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"committed-missed"), "{codes:?}");
    let team_t = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "t")
        .unwrap()
        .clone();
    assert_eq!(
        (
            team_t["a"]["objectives"].as_u64(),
            team_t["a"]["achieved"].as_u64()
        ),
        (Some(2), Some(1))
    );
    // Q2 → Q3: the aspirational objective hit 1.0 twice running.
    let earlier = repo
        .goalpost(&["compare", "2026-Q2", "2026-Q3", "--format", "json"])
        .json();
    let sandbagged = earlier["hints"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["code"] == "sandbagged" && h["id"] == "2026-Q3/t/a");
    assert!(sandbagged, "{}", earlier["hints"]);
    let md = repo.goalpost(&["compare", "2026-Q3", "2026-Q4", "--format", "markdown"]);
    assert!(md.stdout.contains("### Calibration hints"), "{}", md.stdout);
}

// After 2026-Q4 ended, a pull request raised its `current` to a perfect score: no bar moved,
// so the review showed it as ordinary progress and the closed quarter's result was
// rewritten without a flag. A check-in made while the period ran is not flagged.
#[test]
fn review_flags_a_closed_quarter_result_rewritten_after_the_end() {
    let repo = relaxed();
    repo.switch("late");
    repo.write(A, objective("Ship it", 60, 30, ""));
    repo.commit_all("checkin in time", "2026-12-20T09:00:00Z");
    repo.write(A, objective("Ship it", 60, 60, ""));
    repo.commit_as("Mallory", "m@acme.test", "tidy", "2027-01-15T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "main", "--head", "late"]);
    let md = &run.expect_code(0).stdout;
    let section = md
        .split("### ⚠️ Results changed after the period ended")
        .nth(1)
        .unwrap_or_else(|| panic!("no late-results section:\n{md}"));
    let section = section.split("###").next().unwrap_or_default();
    assert!(section.contains("current 30 → 60 | 2026-12-31"), "{md}");
    assert!(section.contains("Mallory"), "{md}");
    assert!(
        !section.contains("20 → 30"),
        "an in-time check-in is not late:\n{md}"
    );
    let json = repo
        .goalpost(&[
            "review", "--base", "main", "--head", "late", "--format", "json",
        ])
        .json();
    assert_eq!(
        json["late_results"].as_array().map(Vec::len),
        Some(1),
        "{json}"
    );
    let gh = repo.goalpost(&[
        "review", "--base", "main", "--head", "late", "--format", "github",
    ]);
    assert!(
        gh.stdout
            .contains("title=goalpost result-after-period-end::"),
        "{}",
        gh.stdout
    );
}

/// The late-results section of a review of `main..pr`, or "" when there is none.
fn late_section(repo: &TestRepo) -> String {
    let run = repo.goalpost(&["review", "--base", "main", "--head", "pr"]);
    let md = run.expect_code(0).stdout.clone();
    md.split("### ⚠️ Results changed after the period ended")
        .nth(1)
        .map(|s| s.split("###").next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

// Ways around the late-results flag: a pull request's commit backdated into the period
// (the pull request lands after its base, which is already past the end), deleting a
// missed objective of the closed period, and a merge of main into the pull request that
// would blame it for a late check-in someone else made on main.
#[test]
fn review_late_results_resist_backdating_deletion_and_merge_blame() {
    let repo = relaxed();
    repo.write("goals/2027-Q1/t/next.md", objective("Next", 10, 0, ""));
    repo.commit_all("plan Q1", "2027-01-02T09:00:00Z");

    repo.switch("pr");
    repo.write(A, objective("Ship it", 60, 60, ""));
    repo.commit_as("Mallory", "m@acme.test", "tidy", "2026-12-30T09:00:00Z");
    assert!(late_section(&repo).contains("current 20 → 60"), "backdated");

    repo.switch("main");
    repo.switch("pr2");
    std::fs::remove_file(repo.path().join(A)).unwrap();
    repo.commit_all("drop the missed one", "2027-01-03T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "main", "--head", "pr2"]);
    assert!(
        run.stdout.contains("| objective removed | 2026-12-31 |"),
        "{}",
        run.stdout
    );

    // Bob's late check-in is on main; the pull request only merges main in.
    repo.switch("main");
    repo.switch("pr3");
    repo.write("goals/2027-Q1/t/next.md", objective("Next", 10, 2, ""));
    repo.commit_all("q1 checkin", "2027-01-04T09:00:00Z");
    repo.switch("main");
    repo.write(A, objective("Ship it", 60, 25, ""));
    repo.commit_as("Bob", "b@acme.test", "late q4", "2027-01-05T09:00:00Z");
    repo.switch("pr3");
    repo.merge("main", "merge main", "2027-01-06T09:00:00Z");
    let run = repo.goalpost(&["review", "--base", "main", "--head", "pr3"]);
    assert!(
        !run.stdout.contains("Results changed after"),
        "{}",
        run.stdout
    );
}

// Editing a recorded dated check-in's value kept the count, so diff, log and review said
// "no goal changes" while the score moved: the edited measurement is now logged.
#[test]
fn edited_dated_checkin_is_logged_not_silently_rewritten() {
    let repo = TestRepo::new();
    repo.init_git();
    let with = |value: u32| {
        objective("Ship it", 100, 0, "").replace(
            "current = 0\n",
            &format!(
                "current = 0\n\n[[key_results.checkins]]\ndate = 2026-10-20\nvalue = {value}\n"
            ),
        )
    };
    repo.write(A, with(30));
    repo.commit_all("dated", "2026-10-21T09:00:00Z");
    repo.write(A, with(90));
    repo.commit_all("quietly better", "2026-10-22T09:00:00Z");
    let log = repo.goalpost(&["log"]);
    assert!(
        log.expect_code(0)
            .stdout
            .contains("#k checkins: \"2026-10-20 = 30\" → \"2026-10-20 = 90\""),
        "{}",
        log.stdout
    );
}
