//! Periods at their edges: one that has not started or has ended, one that is unknown or
//! holds no such objective, and a `--period` that disagrees with a qualified id, as
//! `retro`, `remind`, `checkin` and `history` meet them (the newcomer walkthrough's
//! leftovers). The phase of a period is one rule: `model::forecast::PeriodPhase`.

use crate::support::{Objective, TestRepo};

/// `sales/grow` (owner ann, one metric `arr` 0 → 10 at 2) in each of `periods`, committed
/// at `date`.
fn repo(periods: &[&str], date: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    for period in periods {
        let o = Objective::new("Grow").metric("arr", "ARR to 10", 0.0, 10.0, 2.0);
        repo.write(&format!("goals/{period}/sales/grow.md"), o.to_string());
    }
    repo.commit_all("plan", date);
    repo
}

// retro of a period that has not started said "still running" and showed its scores as
// results; it says the period has not started and lists the plan, with no figures.
#[test]
fn retro_never_calls_a_future_period_running() {
    let repo = repo(&["2026-Q4"], "2026-09-20T09:00:00Z");
    for args in [
        vec!["retro", "--period", "2026-Q4"],
        vec!["retro", "--period", "2026-Q4", "--as-of", "2026-09-30"],
    ] {
        let run = repo.goalpost(&args);
        run.expect_code(0);
        let out = &run.stdout;
        assert!(
            out.contains("has not started yet (it begins on 2026-10-01"),
            "{args:?}: {out}"
        );
        assert!(out.contains("## Planned objectives (1)"), "{out}");
        assert!(
            out.contains("`2026-Q4/sales/grow` Grow | aspirational | ann | 1 |"),
            "{out}"
        );
        for figure in [
            "still running",
            "mean score",
            "| running |",
            "achieved",
            "## Scores",
        ] {
            assert!(!out.contains(figure), "{args:?} shows `{figure}`: {out}");
        }
    }
    // From its first day on it runs: figures so far.
    let first_day = repo.goalpost(&["retro", "--period", "2026-Q4", "--as-of", "2026-10-01"]);
    assert!(
        first_day.stdout.contains("still running"),
        "{}",
        first_day.stdout
    );
}

// remind for an ended period said "Nothing is due: every key result has a recent
// check-in"; it says the period ended and that a check-in now is late, in every format.
#[test]
fn remind_says_an_ended_period_ended_not_nothing_due() {
    let repo = repo(&["2026-Q3"], "2026-07-02T10:00:00Z");
    let remind = |as_of: &str, format: &str| {
        let run = repo.goalpost(&[
            "remind", "--period", "2026-Q3", "--as-of", as_of, "--format", format,
        ]);
        run.expect_code(0);
        run
    };
    // While it runs, the stale key result is due.
    let running = remind("2026-08-01", "json").json();
    assert_eq!(running["period_state"], "running", "{running}");
    assert_eq!(running["owners"][0]["owner"], "ann", "{running}");
    for format in ["text", "markdown"] {
        let out = remind("2026-10-05", format).stdout;
        assert!(
            out.contains("2026-Q3 ended on 2026-09-30")
                && out.contains("late")
                && out.contains("goalpost review"),
            "{format}: {out}"
        );
        assert!(!out.contains("recent check-in"), "{format}: {out}");
    }
    let ended = remind("2026-10-05", "json").json();
    assert_eq!(ended["period_state"], "ended", "{ended}");
    assert_eq!(ended["owners"], serde_json::json!([]), "{ended}");
    // Before it starts, nothing is due yet, and the output says why.
    let early = remind("2026-06-15", "text").stdout;
    assert!(
        early.contains("2026-Q3 has not started (it begins on 2026-07-01)"),
        "{early}"
    );
}

/// Runs goalpost, expects a usage error, and returns its stderr.
fn refused(repo: &TestRepo, args: &[&str]) -> String {
    let run = repo.goalpost(args);
    run.expect_code(2);
    run.stderr
}

// `--period` naming a period that is not one, or one without objectives, or one that
// does not hold the objective, said "no objective …" in checkin and history; each now
// names its real problem, and nothing is written.
#[test]
fn period_errors_name_the_real_problem() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    repo.write(
        "goals/2026-Q4/ops/run.md",
        Objective::new("Run")
            .metric("up", "Up", 0.0, 1.0, 0.0)
            .to_string(),
    );
    repo.commit_all("ops", "2026-10-03T10:00:00Z");
    let before = repo.read("goals/2026-Q4/ops/run.md");
    for (command, value) in [("checkin", Some("1")), ("history", None)] {
        let args = |id: &'static str, period: &'static str| {
            let mut args = vec![command, id];
            args.extend(value);
            args.extend(["--period", period]);
            args
        };
        let not_a_period = refused(&repo, &args("sales/grow#arr", "2026-Q9"));
        assert!(
            not_a_period.contains("`2026-Q9` is not a period")
                && not_a_period.contains("periods with objectives: 2026-Q3, 2026-Q4"),
            "{command}: {not_a_period}"
        );
        let empty = refused(&repo, &args("sales/grow#arr", "2027-Q1"));
        assert!(
            empty.contains("period 2027-Q1 has no objectives")
                && empty.contains("periods with objectives: 2026-Q3, 2026-Q4"),
            "{command}: {empty}"
        );
        let elsewhere = refused(&repo, &args("ops/run#up", "2026-Q3"));
        assert!(
            elsewhere.contains("period 2026-Q3 has no `ops/run")
                && elsewhere.contains("it is in 2026-Q4"),
            "{command}: {elsewhere}"
        );
        for err in [&not_a_period, &empty, &elsewhere] {
            assert!(!err.contains("no objective `"), "{command}: {err}");
        }
    }
    assert_eq!(repo.read("goals/2026-Q4/ops/run.md"), before);
    // An id unknown everywhere keeps its own message.
    let unknown = refused(
        &repo,
        &["checkin", "sales/nope#arr", "1", "--period", "2026-Q4"],
    );
    assert!(unknown.contains("no objective `sales/nope`"), "{unknown}");
}

// A qualified id with a different --period was silently resolved to the id's own period
// (checkin wrote to 2026-Q3 when told 2026-Q4); now it is an error naming both periods.
#[test]
fn qualified_id_with_another_period_is_refused() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    let before = (
        repo.read("goals/2026-Q3/sales/grow.md"),
        repo.read("goals/2026-Q4/sales/grow.md"),
    );
    for args in [
        vec![
            "checkin",
            "2026-Q3/sales/grow#arr",
            "5",
            "--period",
            "2026-Q4",
        ],
        vec!["history", "2026-Q3/sales/grow#arr", "--period", "2026-Q4"],
        vec!["history", "2026-Q3/sales/grow", "--period", "2026-Q4"],
    ] {
        let err = refused(&repo, &args);
        assert!(
            err.contains("qualified with period 2026-Q3") && err.contains("--period says 2026-Q4"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        (
            repo.read("goals/2026-Q3/sales/grow.md"),
            repo.read("goals/2026-Q4/sales/grow.md"),
        ),
        before
    );
    // The id's own period agrees: no error.
    repo.goalpost(&["history", "2026-Q3/sales/grow#arr", "--period", "2026-Q3"])
        .expect_code(0);
}

// A check-in into a period that had ended gave no sign at check-in time (only `review`
// flagged it later); it warns on stderr, names the day the period ended, and still
// records the value (exit 0). `review` then flags it, as the warning says. A running
// period, a confidence alone (no result changes) and a KPI get no warning.
#[test]
fn checkin_into_an_ended_period_warns() {
    let repo = repo(&["2020-Q1", "2999-Q4"], "2020-01-02T10:00:00Z");
    repo.write(
        "kpis/nps.toml",
        "title = \"NPS\"\nowner = \"ann\"\ndirection = \"up\"\nvalue = 30\ngreen = 40\nred = 20\n",
    );
    repo.commit_all("kpi", "2020-01-03T10:00:00Z");
    let run = repo.goalpost(&["checkin", "2020-Q1/sales/grow#arr", "5", "--commit"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .starts_with("warning: 2020-Q1 ended on 2020-03-31:")
            && run.stderr.contains("`2020-Q1/sales/grow#arr`")
            && run.stderr.contains("`goalpost review` will flag"),
        "{}",
        run.stderr
    );
    assert!(repo
        .read("goals/2020-Q1/sales/grow.md")
        .contains("current = 5"));
    let review = repo.goalpost(&["review", "--base", "HEAD~1", "--format", "json"]);
    let late = &review.json()["late_results"];
    assert_eq!(late.as_array().map(Vec::len), Some(1), "{late}");
    for quiet in [
        vec!["checkin", "2999-Q4/sales/grow#arr", "5"],
        vec!["checkin", "2020-Q1/sales/grow#arr", "--confidence", "0.5"],
        vec!["checkin", "nps", "35"],
    ] {
        let run = repo.goalpost(&quiet);
        run.expect_code(0);
        assert_eq!(run.stderr, "", "{quiet:?}");
    }
}

// compare of a period that has not started called it "still running"; it says the period
// has not started and that its objectives are plans, in text and in JSON (`b_period_state`).
#[test]
fn compare_never_calls_a_future_period_running() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-09-20T09:00:00Z");
    let at = ["--as-of", "2026-09-20"];
    let run = repo.goalpost(&[&["compare", "2026-Q3", "2026-Q4"][..], &at].concat());
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("2026-Q4 has not started yet: its objectives are plans, not results"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2026-Q3 is still running"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("2026-Q4 is still running"),
        "{}",
        run.stdout
    );
    let json = repo.goalpost(
        &[
            &["compare", "2026-Q3", "2026-Q4", "--format", "json"][..],
            &at,
        ]
        .concat(),
    );
    json.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["a_period_state"], "running");
    assert_eq!(v["b_period_state"], "not_started");
}

// status of a period that has not started read like one with results ("0% of the period
// elapsed", bars at 0.00): it says the period has not started and that its objectives are
// plans, and its JSON says `not_started`, as remind and compare do.
#[test]
fn status_never_reads_a_future_period_as_results() {
    let repo = repo(&["2026-Q4"], "2026-09-20T09:00:00Z");
    let run = repo.goalpost(&["status", "--period", "2026-Q4", "--as-of", "2026-09-20"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("has not started yet (it begins on 2026-10-01)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("plans, not results"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("of the period elapsed"),
        "{}",
        run.stdout
    );
    let json = repo.goalpost(&[
        "status",
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-09-20",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["period_state"], "not_started");
}

// An impossible period inside a qualified id (`2026-Q9/…`) said "no objective
// `2026-Q9/sales/grow` in the working tree"; checkin and history now say that `2026-Q9`
// is not a period and list the periods with objectives, and nothing is written.
#[test]
fn impossible_period_in_a_qualified_id_is_named() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    let before = repo.read("goals/2026-Q4/sales/grow.md");
    for args in [
        vec!["checkin", "2026-Q9/sales/grow#arr", "5"],
        vec![
            "checkin",
            "2026-Q9/sales/grow#arr",
            "5",
            "--period",
            "2026-Q4",
        ],
        vec!["checkin", "2026-Q9/sales/grow", "5"],
        vec!["history", "2026-Q9/sales/grow#arr"],
        vec!["history", "2026-Q9/sales/grow"],
    ] {
        let err = refused(&repo, &args);
        assert!(
            err.contains("`2026-Q9` is not a period")
                && err.contains("periods with objectives: 2026-Q3, 2026-Q4"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("no objective"), "{args:?}: {err}");
    }
    assert_eq!(repo.read("goals/2026-Q4/sales/grow.md"), before);
}

// `checkin --from FILE --period P` ignored P for every row (an unqualified id went to the
// period containing today); P now applies to each row as to a single check-in: it picks
// the period of an unqualified id, and a qualified id in another period is refused.
#[test]
fn batch_checkin_does_not_ignore_period() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    let q4 = repo.read("goals/2026-Q4/sales/grow.md");
    repo.write(
        "in.csv",
        "id,value,confidence,note,date\nsales/grow#arr,7,,,\n",
    );
    repo.goalpost(&["checkin", "--from", "in.csv", "--period", "2026-Q3"])
        .expect_code(0);
    assert!(
        repo.read("goals/2026-Q3/sales/grow.md")
            .contains("current = 7"),
        "{}",
        repo.read("goals/2026-Q3/sales/grow.md")
    );
    assert_eq!(repo.read("goals/2026-Q4/sales/grow.md"), q4);
    let q3 = repo.read("goals/2026-Q3/sales/grow.md");
    repo.write(
        "in.csv",
        "id,value,confidence,note,date\n2026-Q4/sales/grow#arr,8,,,\n",
    );
    let err = refused(
        &repo,
        &["checkin", "--from", "in.csv", "--period", "2026-Q3"],
    );
    assert!(
        err.contains("qualified with period 2026-Q4") && err.contains("--period says 2026-Q3"),
        "{err}"
    );
    let err = refused(
        &repo,
        &["checkin", "--from", "in.csv", "--period", "2026-Q9"],
    );
    assert!(err.contains("`2026-Q9` is not a period"), "{err}");
    assert_eq!(repo.read("goals/2026-Q3/sales/grow.md"), q3);
    assert_eq!(repo.read("goals/2026-Q4/sales/grow.md"), q4);
}

// `checkin <objective id> …` dropped the error of resolving the objective, so a
// qualified id with another --period read "no KPI … and it is not a key result id"; the
// period conflict is now the error.
#[test]
fn checkin_of_an_objective_id_keeps_its_resolution_error() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    let err = refused(
        &repo,
        &["checkin", "2026-Q3/sales/grow", "3", "--period", "2026-Q4"],
    );
    assert!(
        err.contains("qualified with period 2026-Q3") && err.contains("--period says 2026-Q4"),
        "{err}"
    );
    assert!(!err.contains("no KPI"), "{err}");
    // Resolved, it is still "an objective: check in one of its key results".
    let err = refused(&repo, &["checkin", "2026-Q4/sales/grow", "3"]);
    assert!(err.contains("is an objective"), "{err}");
}

// `status --period FOO` (and retro, remind, compare, rollover, log) said only "not a
// period", where checkin and history also list the periods with objectives; every
// command now gives the same error, from one function.
#[test]
fn every_period_option_lists_the_known_periods() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-10-02T10:00:00Z");
    for args in [
        vec!["status", "--period", "FOO"],
        vec!["retro", "--period", "FOO"],
        vec!["remind", "--period", "FOO"],
        vec!["log", "--period", "FOO"],
        vec!["compare", "FOO", "2026-Q4"],
        vec!["compare", "2026-Q3", "FOO"],
        vec!["rollover", "FOO", "2026-Q4"],
        vec!["rollover", "2026-Q3", "FOO", "--dry-run"],
        vec!["checkin", "sales/grow#arr", "1", "--period", "FOO"],
        vec!["history", "sales/grow#arr", "--period", "FOO"],
    ] {
        let err = refused(&repo, &args);
        assert!(
            err.contains("`FOO` is not a period")
                && err.contains("periods with objectives: 2026-Q3, 2026-Q4"),
            "{args:?}: {err}"
        );
    }
}

// `checkin --from FILE --note …` (or --confidence, --date) silently dropped the option:
// each row has its own columns, so the combination is a usage error and nothing is written.
#[test]
fn batch_checkin_refuses_options_it_would_ignore() {
    let repo = repo(&["2026-Q4"], "2026-10-20T09:00:00Z");
    repo.write("rows.csv", "id,value\n2026-Q4/sales/grow#arr,5\n");
    for extra in [
        &["--note", "why"][..],
        &["--confidence", "0.5"],
        &["--date", "2026-10-21"],
    ] {
        let args = [&["checkin", "--from", "rows.csv"][..], extra].concat();
        let run = repo.goalpost(&args);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    }
    let text = std::fs::read_to_string(repo.path().join("goals/2026-Q4/sales/grow.md"))
        .expect("objective");
    assert!(text.contains("current = 2"), "{text}");
}

// The site's page of a period that has not started showed "0% elapsed · score 0.00 · hit
// rate 0% so far", as if it had results; it says the period has not started, as status does.
#[test]
fn site_never_shows_a_future_period_as_results() {
    let repo = repo(&["2026-Q3", "2026-Q4"], "2026-09-20T09:00:00Z");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let run = repo.goalpost(&["site", "--out", site.to_str().expect("utf-8")]);
    run.expect_code(0);
    let future = std::fs::read_to_string(site.join("periods/2026-Q4.html")).expect("page");
    assert!(future.contains("has not started yet"), "{future}");
    assert!(!future.contains("elapsed"), "{future}");
    let running = std::fs::read_to_string(site.join("periods/2026-Q3.html")).expect("page");
    assert!(running.contains("elapsed"), "{running}");
}
