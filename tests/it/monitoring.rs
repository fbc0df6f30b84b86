//! The monitoring loop (issue 15): KPI and batch check-ins, people and owners, reminders,
//! alignment across levels, roll-over and the repository's time zone, on real repositories.

use crate::support::{Objective, TestRepo};

const KPI: &str =
    "title = \"NPS\"\nowner = \"carol\"\ndirection = \"up\"\nvalue = 30\ngreen = 40\nred = 20\n";

/// A committed repository with one objective (two metric key results, one owned by bob)
/// and the `nps` KPI.
fn repo_with_goals(config: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("goalpost.toml", config);
    let o = Objective::new("Grow")
        .owner("carol")
        .metric("arr", "ARR to 10", 0.0, 10.0, 2.0)
        .metric("deals", "Deals to 20", 0.0, 20.0, 5.0)
        .body("Why.");
    let text = o
        .to_string()
        .replace("id = \"deals\"\n", "id = \"deals\"\nowner = \"bob\"\n");
    repo.write("goals/2026-Q4/sales/grow.md", text);
    repo.write("kpis/nps.toml", KPI);
    repo.init_git();
    repo.commit_all("goals", "2026-10-02T10:00:00Z");
    repo
}

// A batch with one bad row writes nothing, and names every bad row by its line.
#[test]
fn batch_with_a_bad_row_writes_nothing() {
    let repo = repo_with_goals("");
    let before = (
        repo.read("goals/2026-Q4/sales/grow.md"),
        repo.read("kpis/nps.toml"),
    );
    repo.write(
        "in.csv",
        "id,value,confidence,note,date\nsales/grow#arr,4,,,\nnps,lots,,,\nsales/grow#nope,1,,,\nnps,35,,,\n",
    );
    let run = repo.goalpost(&["checkin", "--from", "in.csv", "--commit"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("line 3:") && run.stderr.contains("line 4:"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("line 2:") && !run.stderr.contains("line 5:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        (
            repo.read("goals/2026-Q4/sales/grow.md"),
            repo.read("kpis/nps.toml")
        ),
        before
    );
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    // A row that does not even parse (a date that does not exist) hides no other bad row.
    repo.write(
        "in.csv",
        "id,value,confidence,note,date\nnps,35,,,2026-02-30\nsales/grow#nope,1,,,\nnps,36,,,\n",
    );
    let run = repo.goalpost(&["checkin", "--from", "in.csv"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("line 2:") && run.stderr.contains("line 3:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("line 4:"), "{}", run.stderr);
}

// A good batch (CSV from stdin or JSON) edits every file and makes exactly one commit.
#[test]
fn batch_makes_one_commit_of_every_edit() {
    let repo = repo_with_goals("");
    repo.write(
        "in.json",
        "[\n {\"id\": \"sales/grow#arr\", \"value\": 4, \"confidence\": 0.8},\n {\"id\": \"sales/grow#deals\", \"value\": 7},\n {\"id\": \"nps\", \"value\": -5, \"note\": \"survey\", \"date\": \"2026-10-20\"}\n]\n",
    );
    repo.write("untracked-noise.txt", "x");
    repo.goalpost(&["checkin", "--from", "in.json", "--commit"])
        .expect_code(0);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "2");
    let files = repo.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "goals/2026-Q4/sales/grow.md\nkpis/nps.toml");
    let grow = repo.read("goals/2026-Q4/sales/grow.md");
    assert!(
        grow.contains("current = 4\nconfidence = 0.8") && grow.contains("current = 7"),
        "{grow}"
    );
    let nps = repo.read("kpis/nps.toml");
    assert!(
        nps.contains("value = -5\n")
            && nps.contains("[[checkins]]\ndate = 2026-10-20\nvalue = -5\nnote = \"survey\""),
        "{nps}"
    );
    let message = repo.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("chore(goals): check in 3 values"),
        "{message}"
    );
    repo.goalpost(&["check"]).expect_code(0);
}

// A KPI check-in (a negative number, no `--`) shows in the KPI's history and health.
#[test]
fn kpi_checkin_shows_in_history_and_health() {
    let repo = repo_with_goals("");
    repo.goalpost(&["checkin", "nps", "45", "--commit"])
        .expect_code(0);
    let status = repo.goalpost(&["status", "--period", "2026-Q4", "--format", "json"]);
    let kpi = &status.expect_code(0).json()["kpis"][0];
    assert_eq!(
        (kpi["value"].as_f64(), kpi["health"].as_str()),
        (Some(45.0), Some("green"))
    );
    repo.goalpost(&["checkin", "nps", "-5", "--date", "2026-10-20", "--commit"])
        .expect_code(0);
    let status = repo
        .goalpost(&["status", "--period", "2026-Q4", "--format", "json"])
        .json();
    assert_eq!(status["kpis"][0]["health"].as_str(), Some("red"));
    let history = repo.goalpost(&["history", "nps", "--format", "json"]);
    let points = history.expect_code(0).json()["points"].clone();
    // The check-in commits carry the clock's time; the dated point its own date.
    let mut values: Vec<f64> = points
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["value"].as_f64())
        .collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, [-5.0, 30.0, 45.0], "{points}");
    let dated = points
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["value"] == -5.0)
        .unwrap();
    assert!(
        dated["time"]
            .as_str()
            .unwrap()
            .starts_with("2026-10-20T00:00:00"),
        "{dated}"
    );
}

// The value is optional: a confidence alone changes only the confidence; a note alone is
// kept in the file as a dated check-in of the unchanged value.
#[test]
fn checkin_without_a_value() {
    let repo = repo_with_goals("");
    repo.goalpost(&["checkin", "sales/grow#arr", "--confidence", "0.4"])
        .expect_code(0);
    let text = repo.read("goals/2026-Q4/sales/grow.md");
    assert!(text.contains("current = 2\nconfidence = 0.4\n"), "{text}");
    repo.goalpost(&[
        "checkin",
        "sales/grow#arr",
        "--note",
        "blocked on legal",
        "--date",
        "2026-10-21",
    ])
    .expect_code(0);
    let text = repo.read("goals/2026-Q4/sales/grow.md");
    assert!(
        text.contains(
            "[[key_results.checkins]]\ndate = 2026-10-21\nvalue = 2\nnote = \"blocked on legal\""
        ),
        "{text}"
    );
    let run = repo.goalpost(&["checkin", "nps", "--confidence", "0.5"]);
    assert!(
        run.stderr.contains("KPIs have no confidence"),
        "{}",
        run.stderr
    );
    let run = repo.goalpost(&["checkin", "sales/grow#arr"]);
    assert!(run.stderr.contains("nothing to check in"), "{}", run.stderr);
}

// An unknown id says it looked for both KPIs and key results; an objective id says to pick
// one of its key results.
#[test]
fn unknown_checkin_id_says_where_it_looked() {
    let repo = repo_with_goals("");
    let run = repo.goalpost(&["checkin", "npss", "3"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("no KPI `npss` (known: nps)") && run.stderr.contains("key result"),
        "{}",
        run.stderr
    );
    let run = repo.goalpost(&["checkin", "sales/grow", "3"]);
    assert!(
        run.stderr.contains("sales/grow#arr, sales/grow#deals"),
        "{}",
        run.stderr
    );
}

const PEOPLE: &str = "[people]\ncarol = { name = \"Carol Jensen\", email = \"carol@acme.test\", github = \"carol-j\" }\nbob = { name = \"Bob\" }\n";

// remind groups due key results by their owner (a key result's own owner first), with
// GitHub handles for mentions, in the JSON shape of the spec, and always exits 0.
#[test]
fn remind_groups_by_owner_with_handles() {
    let repo = repo_with_goals(PEOPLE);
    let run = repo.goalpost(&[
        "remind",
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
    ]);
    let json = run.expect_code(0).json();
    assert_eq!(json["period"], "2026-Q4");
    let owners = json["owners"].as_array().unwrap();
    let names: Vec<(&str, Option<&str>)> = owners
        .iter()
        .map(|o| (o["owner"].as_str().unwrap(), o["handle"].as_str()))
        .collect();
    assert_eq!(names, [("bob", None), ("carol", Some("carol-j"))]);
    let item = &owners[1]["items"][0];
    assert_eq!(item["id"], "2026-Q4/sales/grow#arr");
    assert_eq!(item["days_since_update"], 49);
    assert!(
        item["status"].is_string() && item["title"] == "ARR to 10",
        "{item}"
    );
    assert_eq!(owners[0]["items"][0]["id"], "2026-Q4/sales/grow#deals");
    let md = repo.goalpost(&[
        "remind",
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-11-20",
        "--format",
        "markdown",
    ]);
    let md = &md.expect_code(0).stdout;
    assert!(
        md.contains("### @carol-j (carol)") && md.contains("### bob"),
        "{md}"
    );
    assert!(
        md.contains("`goalpost checkin 2026-Q4/sales/grow#arr <value>`"),
        "{md}"
    );
    // A recent dated check-in takes the key result off the list.
    repo.goalpost(&[
        "checkin",
        "sales/grow#arr",
        "3",
        "--date",
        "2026-11-10",
        "--commit",
    ])
    .expect_code(0);
    let json = repo
        .goalpost(&[
            "remind",
            "--period",
            "2026-Q4",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ])
        .json();
    let owners: Vec<&str> = json["owners"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["owner"].as_str())
        .collect();
    assert_eq!(owners, ["bob"], "{json}");
}

// A handle that breaks GitHub's rules is a check error and is never printed as a mention.
#[test]
fn remind_never_mentions_an_invalid_handle() {
    let repo =
        repo_with_goals("[people]\ncarol = { github = \"x](https://evil.test) @everyone\" }\n");
    let md = repo.goalpost(&[
        "remind",
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-11-20",
        "--format",
        "markdown",
    ]);
    assert!(!md.expect_code(0).stdout.contains('@'), "{}", md.stdout);
    let check = repo.goalpost(&["check", "--format", "json"]);
    check.expect_code(1);
    assert!(
        check.stdout.contains("is not a GitHub user name"),
        "{}",
        check.stdout
    );
}

// Once [people] exists, owners missing from it are warned about (objective, key result, KPI).
#[test]
fn owners_missing_from_people_are_warned() {
    let repo = repo_with_goals("[people]\ncarol = {}\n");
    let run = repo.goalpost(&["check", "--format", "json"]);
    let json = run.expect_code(0).json();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "owner-not-in-people")
            .count(),
        1,
        "{json}"
    );
    assert!(
        json.to_string().contains("key result owner `bob`"),
        "{json}"
    );
}

// status --owner shows what the owner owns: bob sees only his key result.
#[test]
fn status_owner_filters_key_results() {
    let repo = repo_with_goals(PEOPLE);
    let json = repo
        .goalpost(&[
            "status", "--period", "2026-Q4", "--owner", "bob", "--format", "json",
        ])
        .json();
    let krs = json["objectives"][0]["key_results"].as_array().unwrap();
    assert_eq!(krs.len(), 1);
    assert_eq!(
        (krs[0]["id"].as_str(), krs[0]["owner"].as_str()),
        (Some("sales/grow#deals"), Some("bob"))
    );
    assert!(json["kpis"].as_array().unwrap().is_empty());
    let json = repo
        .goalpost(&[
            "status", "--period", "2026-Q4", "--owner", "carol", "--format", "json",
        ])
        .json();
    assert_eq!(
        json["objectives"][0]["key_results"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(json["kpis"][0]["id"], "nps");
}

// CODEOWNERS gets one line per team from [people] handles; lines outside the block stay.
#[test]
fn codeowners_refreshes_only_its_block() {
    let repo = repo_with_goals(
        "[people]\ncarol = { github = \"carol-j\" }\nbob = { github = \"bobby\" }\n",
    );
    repo.write(".github/CODEOWNERS", "* @root\n");
    repo.goalpost(&["codeowners"]).expect_code(0);
    let text = repo.read(".github/CODEOWNERS");
    assert!(text.starts_with("* @root\n\n# BEGIN goalpost"), "{text}");
    assert!(
        text.contains(
            "\n/goals/*/sales/ @bobby @carol-j\n/kpis/nps.toml @carol-j\n# END goalpost\n"
        ),
        "{text}"
    );
    let mine = format!("{text}/docs/ @writer\n");
    repo.write(".github/CODEOWNERS", &mine);
    repo.goalpost(&["codeowners"]).expect_code(0);
    assert_eq!(repo.read(".github/CODEOWNERS"), mine);
}

// Roll-over copies what was not achieved, restarting from the last values; the files it
// makes pass check; achieved objectives stay; nothing is overwritten; --dry-run writes nothing.
#[test]
fn rollover_files_pass_check() {
    let repo = TestRepo::new();
    let missed = Objective::new("Missed")
        .metric("a", "A to 10", 0.0, 10.0, 4.0)
        .metric("b", "B to 4", 0.0, 4.0, 1.0);
    let mut missed = missed.to_string();
    missed = missed.replace(
        "current = 4\n",
        "current = 4\n\n[[key_results.checkins]]\ndate = 2026-08-01\nvalue = 3\n",
    );
    repo.write("goals/2026-Q3/t/missed.md", missed);
    let hit = Objective::new("Hit")
        .metric("a", "A to 10", 0.0, 10.0, 10.0)
        .metric("b", "B to 4", 0.0, 4.0, 4.0);
    repo.write("goals/2026-Q3/t/hit.md", hit.to_string());
    repo.goalpost(&["check"]).expect_code(0);
    let plan = repo.goalpost(&["rollover", "2026-Q3", "2026-Q4", "--dry-run"]);
    assert!(
        plan.expect_code(0)
            .stdout
            .contains("would carry  2026-Q3/t/missed"),
        "{}",
        plan.stdout
    );
    assert!(!repo.path().join("goals/2026-Q4").exists());
    // Carrying back into an earlier period would rewrite a closed one.
    let back = repo.goalpost(&["rollover", "2026-Q3", "2026-Q2", "--dry-run"]);
    assert!(
        back.expect_code(2).stderr.contains("reversed"),
        "{}",
        back.stderr
    );
    let run = repo.goalpost(&["rollover", "2026-Q3", "2026-Q4"]);
    assert!(
        run.expect_code(0)
            .stdout
            .contains("stays     2026-Q3/t/hit (achieved"),
        "{}",
        run.stdout
    );
    let copy = repo.read("goals/2026-Q4/t/missed.md");
    assert!(
        copy.contains("carried_from = \"2026-Q3/t/missed\""),
        "{copy}"
    );
    assert!(
        copy.contains("start = 4\ntarget = 10\ncurrent = 4") && !copy.contains("checkins"),
        "{copy}"
    );
    assert!(!repo.path().join("goals/2026-Q4/t/hit.md").exists());
    let check = repo.goalpost(&["check", "--format", "json"]);
    assert_eq!(
        check.expect_code(0).json()["diagnostics"]
            .as_array()
            .map(Vec::len),
        Some(0),
        "{}",
        check.stdout
    );
    repo.write("goals/2026-Q4/t/missed.md", "mine");
    let again = repo.goalpost(&["rollover", "2026-Q3", "2026-Q4"]);
    assert!(
        again.expect_code(0).stdout.contains("already exists"),
        "{}",
        again.stdout
    );
    assert_eq!(repo.read("goals/2026-Q4/t/missed.md"), "mine");
}

// A quarterly objective may align to a yearly objective's key result and to a named
// enclosing period; check accepts it, refuses a period that does not enclose, and status
// and the site show the link across levels.
#[test]
fn annual_to_quarter_parent_validates_and_renders() {
    let repo = TestRepo::new();
    repo.write(
        "goalpost.toml",
        "[[periods]]\nname = \"FY27\"\nstart = 2026-07-01\nend = 2027-06-30\n",
    );
    let annual = Objective::new("Company growth")
        .metric("arr", "ARR to 10", 0.0, 10.0, 3.0)
        .metric("nrr", "NRR", 0.0, 1.0, 0.5);
    repo.write("goals/2026/company/growth.md", annual.to_string());
    repo.write(
        "goals/FY27/company/plan.md",
        annual.to_string().replace("Company growth", "FY plan"),
    );
    let quarter = Objective::new("Pipeline")
        .extra("parent = \"2026/company/growth#arr\"\n")
        .metric("a", "A", 0.0, 10.0, 5.0)
        .metric("b", "B", 0.0, 10.0, 5.0);
    repo.write("goals/2026-Q4/sales/pipeline.md", quarter.to_string());
    let fy = Objective::new("Hiring")
        .extra("parent = \"FY27/company/plan\"\n")
        .metric("a", "A", 0.0, 10.0, 5.0)
        .metric("b", "B", 0.0, 10.0, 5.0);
    repo.write("goals/2026-Q4/people/hiring.md", fy.to_string());
    repo.goalpost(&["check"]).expect_code(0);
    repo.init_git();
    repo.commit_all("goals", "2026-10-02T10:00:00Z");
    let status = repo.goalpost(&["status", "--period", "2026-Q4"]);
    assert!(
        status
            .expect_code(0)
            .stdout
            .contains("aligns to 2026/company/growth#arr"),
        "{}",
        status.stdout
    );
    let annual_status = repo
        .goalpost(&["status", "--period", "2026", "--format", "json"])
        .json();
    assert_eq!(
        annual_status["objectives"][0]["children"][0],
        "2026-Q4/sales/pipeline"
    );
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    let page = repo.read("site/objectives/2026-Q4/sales/pipeline.html");
    assert!(page.contains("Company growth › ARR to 10"), "{page}");
    let annual_page = repo.read("site/objectives/2026/company/growth.html");
    assert!(
        annual_page.contains("Supported by") && annual_page.contains("Pipeline"),
        "{annual_page}"
    );
    repo.write(
        "goals/2026-Q4/sales/bad.md",
        quarter
            .to_string()
            .replace("2026/company/growth#arr", "2027/company/growth"),
    );
    repo.write(
        "goals/2026-Q4/sales/nokr.md",
        quarter.to_string().replace("#arr", "#nope"),
    );
    let check = repo.goalpost(&["check"]);
    check.expect_code(1);
    assert!(
        check.stdout.contains("parent-other-period")
            && check
                .stdout
                .contains("does not contain this objective's period 2026-Q4"),
        "{}",
        check.stdout
    );
    assert!(
        check.stdout.contains("has no key result `nope`"),
        "{}",
        check.stdout
    );
}

// [site] timezone moves period boundaries: noon UTC on 31 December is already the next
// year in Auckland, so 2026-Q4 is over there and not in UTC; a bad zone is a check error.
#[test]
fn timezone_shifts_period_boundaries() {
    let elapsed = |config: &str| {
        let repo = repo_with_goals(config);
        let json = repo
            .goalpost(&[
                "status",
                "--period",
                "2026-Q4",
                "--as-of",
                "2026-12-31T12:00:00Z",
                "--format",
                "json",
            ])
            .json();
        json["elapsed"].as_f64().unwrap()
    };
    assert!(elapsed("") < 1.0);
    assert_eq!(elapsed("[site]\ntimezone = \"Pacific/Auckland\"\n"), 1.0);
    // Displayed times follow the zone too: the 10:00 UTC commit is 12:00 in Oslo.
    let oslo = repo_with_goals("[site]\ntimezone = \"Europe/Oslo\"\n");
    oslo.goalpost(&["site", "--out", "site"]).expect_code(0);
    let index = oslo.read("site/index.html");
    assert!(index.contains("as of 2026-10-02 12:00 CEST"), "{index}");
    let repo = repo_with_goals("[site]\ntimezone = \"Mars/Olympus\"\n");
    let check = repo.goalpost(&["check"]);
    check.expect_code(1);
    assert!(
        check.stdout.contains("goalpost.toml:2:12")
            && check.stdout.contains("not an IANA time zone"),
        "{}",
        check.stdout
    );
}

// A carried objective opened the new quarter with its finished key results still done
// (a target reached, a milestone shipped) and the old quarter's confidence: day one of the
// new period already showed credit and a forecast earned in the old one.
#[test]
fn rollover_does_not_carry_old_credit_or_confidence_into_the_new_period() {
    let repo = TestRepo::new();
    let missed = Objective::new("Missed")
        .extra("kind = \"committed\"")
        .metric("reached", "R to 10", 0.0, 10.0, 10.0)
        .metric("open", "O to 10", 0.0, 10.0, 4.0)
        .milestone("shipped", "Shipped", true)
        .to_string()
        .replace("current = 4\n", "current = 4\nconfidence = 0.9\n");
    repo.write("goals/2026-Q3/t/missed.md", missed);
    let child = Objective::new("Child")
        .extra("parent = \"2026-Q3/t/missed#reached\"")
        .metric("c", "C to 10", 0.0, 10.0, 1.0)
        .metric("d", "D to 10", 0.0, 10.0, 1.0);
    repo.write("goals/2026-Q3/u/child.md", child.to_string());
    repo.goalpost(&["check"]).expect_code(0);
    let run = repo.goalpost(&["rollover", "2026-Q3", "2026-Q4"]);
    assert!(
        run.expect_code(0)
            .stdout
            .contains("finished, not carried: reached, shipped"),
        "{}",
        run.stdout
    );
    let copy = repo.read("goals/2026-Q4/t/missed.md");
    assert!(copy.contains("id = \"open\""), "{copy}");
    assert!(
        !copy.contains("reached") && !copy.contains("shipped") && !copy.contains("confidence"),
        "{copy}"
    );
    let child = repo.read("goals/2026-Q4/u/child.md");
    assert!(child.contains("parent = \"2026-Q4/t/missed\"\n"), "{child}");
    let check = repo.goalpost(&["check", "--format", "json"]);
    let errors = check.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(errors, 0, "{}", check.stdout);
}

// Rollover read `current` from the file and ignored dated check-ins that status counts:
// a key result status showed as done was carried, restarting from a stale value, and its
// next check-in handed the old credit back.
#[test]
fn rollover_agrees_with_status_on_dated_checkins() {
    let repo = TestRepo::new();
    repo.init_git();
    let dated = |text: String, current: &str, date: &str, value: u32| {
        text.replace(
            &format!("current = {current}\n"),
            &format!(
                "current = {current}\n\n[[key_results.checkins]]\ndate = {date}\nvalue = {value}\n"
            ),
        )
    };
    let text = Objective::new("Missed")
        .extra("kind = \"committed\"")
        .metric("a", "A to 10", 0.0, 10.0, 4.0)
        .metric("b", "B to 10", 0.0, 10.0, 1.0)
        .to_string();
    repo.write("goals/2026-Q3/t/missed.md", &text);
    repo.commit_all("plan", "2026-09-01T09:00:00Z");
    let text = dated(text, "4", "2026-09-20", 10);
    let text = dated(text, "1", "2026-09-21", 3);
    repo.write("goals/2026-Q3/t/missed.md", text);
    repo.commit_all("dated check-ins", "2026-09-25T09:00:00Z");
    let status = repo.goalpost(&["status", "--period", "2026-Q3", "--format", "json"]);
    let krs = &status.expect_code(0).json()["objectives"][0]["key_results"];
    assert_eq!(krs[0]["current"], 10.0, "{krs}");
    let run = repo.goalpost(&["rollover", "2026-Q3", "2026-Q4"]);
    assert!(
        run.expect_code(0)
            .stdout
            .contains("finished, not carried: a"),
        "{}",
        run.stdout
    );
    let copy = repo.read("goals/2026-Q4/t/missed.md");
    assert!(!copy.contains("id = \"a\""), "{copy}");
    assert!(
        copy.contains("start = 3\ntarget = 10\ncurrent = 3"),
        "{copy}"
    );
}
