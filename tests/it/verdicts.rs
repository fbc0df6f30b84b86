//! Verdicts a manager can trust (issue 11): the state as known at a time, dated check-ins
//! as points of the series, broken files that never hide an objective, and every view
//! agreeing. docs/scoring.md has the rules and the hand computations.

use crate::support::{run_in, TestRepo};
use serde_json::Value;

const FILE: &str = "goals/2026-Q4/t/a.md";

/// `t/a`, committed: one metric 0 → 10 at `current`, then `checkins` (TOML lines).
fn ship(current: f64, checkins: &str) -> String {
    format!(
        "+++\ntitle = \"Ship it\"\nowner = \"ann\"\nkind = \"committed\"\n\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = 10\ncurrent = {current}\n{checkins}+++\n"
    )
}

fn status_json(repo: &TestRepo, args: &[&str]) -> Value {
    let mut all = vec!["status", "--format", "json"];
    all.extend_from_slice(args);
    let run = repo.goalpost(&all);
    run.expect_code(0);
    run.json()
}

fn kr(json: &Value) -> &Value {
    &json["objectives"][0]["key_results"][0]
}

// A dated check-in newer than the committed value is the current value; a commit after
// a check-in's date wins over it; `--as-of` before the check-in's date does not see it.
#[test]
fn dated_checkin_newer_than_the_committed_value_changes_the_score() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, ship(2.0, ""));
    repo.commit_all("plan", "2026-10-05T09:00:00Z");
    let dated = "[[key_results.checkins]]\ndate = 2026-10-18\nvalue = 6\n";
    repo.write(FILE, ship(2.0, dated));
    repo.commit_all("dated check-in", "2026-10-20T09:00:00Z");
    let check = repo.goalpost(&["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert_eq!(
        kr(&status_json(&repo, &["--as-of", "2026-10-25"]))["current"],
        6.0
    );
    assert_eq!(
        kr(&status_json(&repo, &["--as-of", "2026-10-25"]))["score"],
        0.6
    );
    assert_eq!(
        kr(&status_json(&repo, &["--as-of", "2026-10-17"]))["current"],
        2.0
    );
    // A later commit of `current` is newer than the check-in's date: it is current.
    repo.write(FILE, ship(7.0, dated));
    repo.commit_all("commit 7", "2026-11-01T09:00:00Z");
    assert_eq!(kr(&status_json(&repo, &[]))["current"], 7.0);
}

// A committed syntax error keeps the objective in status, the site and the log, with its
// last good figures and the commit since which the file is broken.
#[test]
fn broken_file_never_hides_its_objective() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, ship(4.0, ""));
    repo.commit_all("plan", "2026-10-05T09:00:00Z");
    repo.write(
        FILE,
        repo.read(FILE).replace("current = 4", "current = = 5"),
    );
    repo.commit_all("break it", "2026-10-10T09:00:00Z");
    let broken = repo.rev("HEAD");
    let json = status_json(&repo, &[]);
    let o = &json["objectives"][0];
    assert_eq!(o["id"], "t/a", "{json}");
    assert_eq!(o["score"], 0.4);
    assert_eq!(o["broken_since"], broken.as_str());
    let text = repo.goalpost(&["status"]).stdout;
    assert!(
        text.contains(&format!("file has errors since {}", &broken[..8])),
        "{text}"
    );
    let site = repo.goalpost(&["site", "--out", "site"]);
    site.expect_code(0);
    assert!(
        site.stderr
            .contains("warning: the goal files of the analysed revision have"),
        "{}",
        site.stderr
    );
    let page = repo.read("site/objectives/2026-Q4/t/a.html");
    assert!(page.contains("file has errors since"), "{page}");
    repo.write(
        FILE,
        repo.read(FILE).replace("current = = 5", "current = 6"),
    );
    repo.commit_all("fix it", "2026-10-12T09:00:00Z");
    let log = repo.goalpost(&["log"]).stdout;
    assert!(!log.contains("removed"), "{log}");
    assert_eq!(log.matches("objective added").count(), 1, "{log}");
    assert!(log.contains("current: 4 → 6"), "{log}");
    // The trail says when the file had errors and when it was fixed, with who did it.
    assert!(
        log.contains(&format!(
            "{}  Test Author       2026-Q4/t/a file has errors from here on",
            &broken[..8]
        )),
        "{log}"
    );
    assert!(log.contains("2026-Q4/t/a file fixed"), "{log}");
    let log_json = repo.goalpost(&["log", "--format", "json"]).json();
    let marks: Vec<bool> = log_json["file_errors"]
        .as_array()
        .expect("file_errors")
        .iter()
        .map(|f| f["broken"].as_bool().unwrap())
        .collect();
    assert_eq!(marks, [true, false], "{log_json}");
    assert!(status_json(&repo, &[])["objectives"][0]["broken_since"].is_null());
}

// compare refuses reversed periods (usage error) and shows "—" / null for an empty one;
// retro never calls a running objective missed.
#[test]
fn compare_and_retro_never_judge_a_running_or_empty_period() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, ship(4.0, ""));
    repo.commit_all("plan", "2026-10-05T09:00:00Z");
    let reversed = repo.goalpost(&["compare", "2026-Q4", "2026-Q3"]);
    reversed.expect_code(2);
    assert!(reversed.stderr.contains("reversed"), "{}", reversed.stderr);
    // A period against itself is no comparison either.
    let same = repo.goalpost(&["compare", "2026-Q3", "2026-Q3"]);
    same.expect_code(2);
    assert!(
        same.stderr.contains("two different periods"),
        "{}",
        same.stderr
    );
    let json = repo.goalpost(&["compare", "2026-Q3", "2026-Q4", "--format", "json"]);
    json.expect_code(0);
    let json = json.json();
    assert!(json["a_stats"]["mean_score"].is_null(), "{json}");
    assert!(json["a_stats"]["hit_rate"].is_null(), "{json}");
    assert_eq!(json["b_running"], true);
    let text = repo.goalpost(&["compare", "2026-Q3", "2026-Q4"]).stdout;
    assert!(text.contains("mean score — → 0.40"), "{text}");
    assert!(text.contains("hit rate — → 0% so far"), "{text}");
    let retro = repo.goalpost(&["retro", "--period", "2026-Q4"]).stdout;
    assert!(
        retro.contains("| running |") && !retro.contains("missed |"),
        "{retro}"
    );
    let after = repo.goalpost(&["retro", "--period", "2026-Q4", "--as-of", "2027-01-10"]);
    assert!(after.stdout.contains("| missed |"), "{}", after.stdout);
}

// The demo, checked by hand against its timeline: --as-of reads the state at that moment
// (company/retention at 0.02, off track, on 2026-10-15 11:30), the untouched soc2 milestone
// neither shows on track nor lifts company/enterprise, whose status does not flip between
// 04:00 and 06:00 without new data; team pages include nested teams; running quarters are
// not on the hit-rate chart; the raised logo target is marked on its chart.
#[test]
fn demo_verdicts_match_the_evidence() {
    let dir = TestRepo::empty();
    dir.goalpost(&["demo", "--out", "demo"]).expect_code(0);
    let demo = dir.path().join("demo");
    let status = |args: &[&str]| {
        let mut all = vec!["status", "--format", "json"];
        all.extend_from_slice(args);
        let run = run_in(&demo, &all);
        run.expect_code(0);
        run.json()
    };
    let find = |json: &Value, id: &str| -> Value {
        json["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id} in {json}"))
    };
    let then = status(&["--as-of", "2026-10-15T11:30:00Z"]);
    let retention = find(&then, "company/retention");
    assert_eq!(retention["score"], 0.02, "{retention}");
    assert_eq!(retention["status"], "off_track", "{retention}");
    let mut seen = Vec::new();
    for at in ["2026-11-24T04:00:00Z", "2026-11-24T06:00:00Z"] {
        let enterprise = find(&status(&["--as-of", at]), "company/enterprise");
        let soc2 = &enterprise["key_results"][1];
        assert_eq!(soc2["id"], "company/enterprise#soc2");
        assert_ne!(soc2["status"], "on_track", "{soc2}");
        assert_eq!(soc2["forecast"], 0.0, "{soc2}");
        assert_ne!(enterprise["status"], "on_track", "{enterprise}");
        seen.push(enterprise["status"].clone());
    }
    assert_eq!(seen[0], seen[1], "no new data, no new status");
    let team = std::fs::read_to_string(demo.join("site/teams/platform.html")).unwrap();
    assert!(
        team.contains("Enterprise admins manage access"),
        "nested team missing"
    );
    assert!(
        !team.contains("2026-Q4: "),
        "running quarter on the hit-rate chart"
    );
    let page =
        std::fs::read_to_string(demo.join("site/objectives/2026-Q4/company/enterprise.html"))
            .unwrap();
    // The site's chart marks a target change with a labelled dotted line (class `mark`).
    assert!(
        page.contains("<line class=\"mark\""),
        "no target-change mark"
    );
    assert!(
        page.contains("Target changed: "),
        "target change not listed"
    );
}

// A value that fails `check` (a typo in `kind`, read as the default) is an error, not the
// objective's new state: no fake "committed → aspirational" goalpost move in log, diff or
// review, and status keeps the last good state with the broken-file marker.
#[test]
fn invalid_value_is_never_a_goalpost_move() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, ship(4.0, ""));
    repo.commit_all("plan", "2026-10-05T09:00:00Z");
    repo.write(
        FILE,
        repo.read(FILE)
            .replace("kind = \"committed\"", "kind = \"comitted\""),
    );
    repo.commit_all("typo", "2026-10-10T09:00:00Z");
    let typo = repo.rev("HEAD");
    let log = repo.goalpost(&["log"]).stdout;
    assert!(!log.contains("aspirational"), "{log}");
    assert!(log.contains("file has errors from here on"), "{log}");
    let diff = repo.goalpost(&["diff", "HEAD~1", "HEAD"]).stdout;
    assert!(!diff.contains("aspirational"), "{diff}");
    let review = repo.goalpost(&["review", "--base", "HEAD~1"]);
    review.expect_code(1);
    assert!(
        review.stdout.contains("0 goalpost moves"),
        "{}",
        review.stdout
    );
    assert!(review.stdout.contains("invalid-value"), "{}", review.stdout);
    let o = &status_json(&repo, &[])["objectives"][0];
    assert_eq!(o["kind"], "committed", "{o}");
    assert_eq!(o["broken_since"], typo.as_str());
}

// A `--team` or `--owner` that names nobody is a typo: an error, not "No objectives" with
// exit 0 that a manager would read as an empty quarter.
#[test]
fn unknown_team_or_owner_is_an_error_not_an_empty_report() {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, ship(4.0, ""));
    repo.commit_all("plan", "2026-10-05T09:00:00Z");
    let team = repo.goalpost(&["status", "--team", "tt"]);
    team.expect_code(2);
    assert!(team.stderr.contains("no team `tt`"), "{}", team.stderr);
    let owner = repo.goalpost(&["status", "--owner", "bob"]);
    owner.expect_code(2);
    assert!(owner.stderr.contains("`bob`"), "{}", owner.stderr);
    repo.goalpost(&["status", "--team", "t", "--owner", "ann"])
        .expect_code(0);
}
