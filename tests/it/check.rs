//! `goalpost check`: every diagnostic at its file, line and column; formats; exit codes.

use crate::support::{goalpost_command, objective, TestRepo};
use std::io::Read;

struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    /// (file, code, line, column)
    expect: (&'static str, &'static str, u64, u64),
}

const OBJ: &str = "goals/2026-Q4/platform/rel.md";

fn cases() -> Vec<Case> {
    vec![
        Case { name: "toml syntax", files: &[(OBJ, "+++\ntitle = \"x\nowner = \"a\"\n+++\n")], expect: (OBJ, "toml-syntax", 2, 11) },
        Case { name: "wrong type", files: &[(OBJ, "+++\ntitle = 5\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "wrong-type", 2, 9) },
        Case { name: "quoted number", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\nstart = \"4\"\ntarget = 1\ncurrent = 2\n+++\n")], expect: (OBJ, "wrong-type", 7, 9) },
        Case { name: "unknown key", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\nstart = 0\ntagret = 1\ntarget = 1\ncurrent = 0\n+++\n")], expect: (OBJ, "unknown-key", 8, 1) },
        Case { name: "missing title", files: &[(OBJ, "+++\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "missing-key", 1, 1) },
        Case { name: "kr without measure", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\n+++\n")], expect: (OBJ, "missing-key", 5, 1) },
        Case { name: "milestone and metric", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\nstart = 1\n+++\n")], expect: (OBJ, "mixed-key-result", 8, 1) },
        Case { name: "no key results", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n+++\n")], expect: (OBJ, "no-key-results", 1, 1) },
        Case { name: "unterminated front matter", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n")], expect: (OBJ, "unterminated-front-matter", 1, 1) },
        Case { name: "missing front matter", files: &[(OBJ, "# Just markdown\n")], expect: (OBJ, "missing-front-matter", 1, 1) },
        Case { name: "invalid utf-8", files: &[(OBJ, "+++\ntitle = \"caf\u{e9} \u{fffd}\"\n+++\n")], expect: (OBJ, "invalid-utf8", 2, 15) },
        Case { name: "duplicate objective ids", files: &[("goals/2026-Q4/platform/a.md", "+++\nid = \"platform/x\"\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n"), ("goals/2026-Q4/platform/b.md", "+++\ntitle = \"t\"\nowner = \"a\"\nid = \"platform/x\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: ("goals/2026-Q4/platform/b.md", "duplicate-id", 4, 6) },
        Case { name: "duplicate key result ids", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n[[key_results]]\nid = \"a\"\ntitle = \"u\"\ndone = false\n+++\n")], expect: (OBJ, "duplicate-id", 9, 6) },
        Case { name: "unknown parent", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\nparent = \"company/nope\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "unknown-parent", 4, 10) },
        Case { name: "parent in another period", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\nparent = \"2026-Q3/company/x\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "parent-other-period", 4, 10) },
        Case { name: "parent cycle", files: &[("goals/2026-Q4/a/x.md", "+++\ntitle = \"t\"\nowner = \"a\"\nparent = \"b/y\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n"), ("goals/2026-Q4/b/y.md", "+++\ntitle = \"t\"\nowner = \"a\"\nparent = \"a/x\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: ("goals/2026-Q4/a/x.md", "parent-cycle", 4, 10) },
        Case { name: "bad period", files: &[("goals/2026-Q5/platform/x.md", "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: ("goals/2026-Q5/platform/x.md", "bad-period", 1, 1) },
        Case { name: "unsafe pinned id", files: &[(OBJ, "+++\nid = \"../../etc\"\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "unsafe-id", 2, 6) },
        Case { name: "unsafe kr id", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a b\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "unsafe-id", 5, 6) },
        Case { name: "enum value", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\nkind = \"stretch\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = true\n+++\n")], expect: (OBJ, "invalid-value", 4, 8) },
        Case { name: "confidence range", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\nstart = 0\ntarget = 1\ncurrent = 0\nconfidence = 7\n+++\n")], expect: (OBJ, "invalid-value", 10, 14) },
        Case { name: "checkin date type", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\nstart = 0\ntarget = 1\ncurrent = 0\n[[key_results.checkins]]\ndate = \"yesterday\"\nvalue = 1\n+++\n")], expect: (OBJ, "wrong-type", 11, 8) },
        Case { name: "config typo", files: &[("goalpost.toml", "[scoring]\nsucess = 0.7\n")], expect: ("goalpost.toml", "unknown-key", 2, 1) },
        Case { name: "kpi missing value", files: &[("kpis/x.toml", "title = \"X\"\nowner = \"b\"\ndirection = \"up\"\ngreen = 1\n")], expect: ("kpis/x.toml", "missing-key", 1, 1) },
        Case { name: "objective outside a team folder", files: &[("goals/2026-Q4/x.md", "+++\n+++\n")], expect: ("goals/2026-Q4/x.md", "bad-path", 1, 1) },
        // Practice lints (warnings).
        Case { name: "one key result", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"A to 10\"\nstart = 0\ntarget = 10\ncurrent = 1\n+++\n")], expect: (OBJ, "too-few-key-results", 1, 1) },
        Case { name: "start equals target", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"A\"\nstart = 5\ntarget = 5\ncurrent = 5\n+++\n")], expect: (OBJ, "start-equals-target", 8, 10) },
        Case { name: "activity wording", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"Launch the new dashboard\"\ndone = false\n+++\n")], expect: (OBJ, "activity-not-outcome", 6, 9) },
        Case { name: "empty owner", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"\"\n[[key_results]]\nid = \"a\"\ntitle = \"A\"\ndone = false\n+++\n")], expect: (OBJ, "no-owner", 3, 9) },
        Case { name: "kpi without thresholds", files: &[("kpis/x.toml", "title = \"X\"\nowner = \"b\"\ndirection = \"up\"\nvalue = 1\n")], expect: ("kpis/x.toml", "kpi-no-thresholds", 1, 1) },
        Case { name: "kpi without direction", files: &[("kpis/x.toml", "title = \"X\"\nowner = \"b\"\nvalue = 1\ngreen = 2\n")], expect: ("kpis/x.toml", "kpi-no-direction", 1, 1) },
        Case { name: "check-in outside the period", files: &[(OBJ, "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"A\"\nstart = 0\ntarget = 5\ncurrent = 1\n[[key_results.checkins]]\ndate = 2027-02-01\nvalue = 1\n+++\n")], expect: (OBJ, "checkin-outside-period", 10, 1) },
        Case { name: "kpi without owner", files: &[("kpis/x.toml", "title = \"X\"\nvalue = 1\ndirection = \"up\"\ngreen = 2\n")], expect: ("kpis/x.toml", "no-owner", 1, 1) },
    ]
}

fn find<'a>(
    diags: &'a [serde_json::Value],
    file: &str,
    code: &str,
) -> Option<&'a serde_json::Value> {
    diags
        .iter()
        .find(|d| d["file"] == file && d["code"] == code)
}

// Each kind of problem is reported with its code at the offending key or value.
#[test]
fn every_diagnostic_at_its_location() {
    for case in cases() {
        let repo = TestRepo::new();
        for (path, content) in case.files {
            let bytes = content.replace('\u{fffd}', "\u{0}").into_bytes();
            // U+FFFD in a case stands for one invalid byte.
            let bytes: Vec<u8> = bytes
                .into_iter()
                .map(|b| if b == 0 { 0xff } else { b })
                .collect();
            repo.write(path, bytes);
        }
        let run = repo.goalpost(&["check", "--format", "json"]);
        let json = run.json();
        let diags = json["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .clone();
        let (file, code, line, column) = case.expect;
        let d = find(&diags, file, code)
            .unwrap_or_else(|| panic!("{}: no `{code}` in {file}; got {diags:#?}", case.name));
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(line), Some(column)),
            "{}: {d:#}",
            case.name
        );
        let is_error = d["severity"] == "error";
        assert_eq!(run.code, i32::from(is_error), "{}: exit code", case.name);
    }
}

// Every error in every file is reported in one run, sorted by file and position.
#[test]
fn reports_all_errors_in_one_run() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/a/one.md", "+++\ntitle = 1\nowner = \"a\"\nextra = true\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\ndone = \"no\"\n+++\n");
    repo.write("goals/2026-Q4/b/two.toml", "title = \"t\"\nowner = \"a\"\nkind = \"x\"\n[[key_results]]\nid = \"k\"\ntitle = \"t\"\nstart = 1\n");
    repo.write("kpis/k.toml", "title = [\n");
    let run = repo.goalpost(&["check", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    let got: Vec<(String, String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("goals/2026-Q4/a/one.md", "wrong-type", 2),
        ("goals/2026-Q4/a/one.md", "unknown-key", 4),
        ("goals/2026-Q4/a/one.md", "wrong-type", 8),
        ("goals/2026-Q4/b/two.toml", "invalid-value", 3),
        ("goals/2026-Q4/b/two.toml", "missing-key", 4),
        ("kpis/k.toml", "toml-syntax", 1),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(f, c, l)| (f.to_string(), c.to_string(), *l))
        .collect();
    assert_eq!(got, expected);
}

// A duplicate id names both places: the second in the diagnostic, the first as related.
#[test]
fn duplicate_id_never_names_only_one_place() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/a.md", objective("A", "id = \"t/same\""));
    repo.write("goals/2026-Q4/t/b.md", objective("B", "id = \"t/same\""));
    let run = repo.goalpost(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.contains("error[duplicate-id]"), "{}", run.stdout);
    assert!(
        run.stdout.contains("goals/2026-Q4/t/b.md:4:6"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("goals/2026-Q4/t/a.md:4:6"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("first defined here"), "{}", run.stdout);
}

// Human output is rustc-style: code, location, source line and caret, help, summary.
#[test]
fn text_output_is_rustc_style() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/a.md", "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t\"\nstart = 0\ntraget = 5\ntarget = 5\ncurrent = 1\n+++\n");
    let run = repo.goalpost(&["check"]);
    run.expect_code(1);
    let expected = "error[unknown-key]: unknown key `traget`\n --> goals/2026-Q4/t/a.md:8:1\n  |\n8 | traget = 5\n  | ^^^^^^\n  |\nhelp: did you mean `target`?\n";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    assert!(
        run.stdout.contains("checked 1 file: 1 error, 1 warning"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\u{1b}'),
        "no colour when NO_COLOR is set"
    );
}

// A clean repository exits 0; warnings alone do not fail the check.
#[test]
fn warnings_alone_never_fail_check() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/a.md", objective("A", ""));
    repo.goalpost(&["check"]).expect_code(0);
    repo.write("kpis/k.toml", "title = \"K\"\nvalue = 1\n");
    let run = repo.goalpost(&["check"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("warning[kpi-no-direction]"),
        "{}",
        run.stdout
    );
}

// GitHub annotations carry repository-relative paths and escape newlines and separators.
#[test]
fn github_annotations_never_break_on_newlines_or_separators() {
    let repo = TestRepo::new();
    repo.init_git();
    std::fs::remove_file(repo.path().join("goalpost.toml")).unwrap();
    repo.write("okrs/goalpost.toml", "");
    repo.write("okrs/goals/2026-Q4/t/a.md", "+++\ntitle = \"t\"\nowner = \"a\"\n[[key_results]]\nid = \"a\"\ntitle = \"t: 100%\"\ndone = true\ndoen = 1\n+++\n");
    let run = crate::support::run_in(&repo.path().join("okrs"), &["check", "--format", "github"]);
    run.expect_code(1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("::error"))
        .expect("an error annotation");
    assert_eq!(
        line,
        "::error file=okrs/goals/2026-Q4/t/a.md,line=8,col=1,title=goalpost unknown-key::unknown key `doen`%0Ahelp: did you mean `done`?"
    );
}

// The goal root is found by walking up from a sub-folder; outside any root, exit 2.
#[test]
fn goal_root_found_from_subfolder_and_outside_is_exit_2() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/a.md", objective("A", ""));
    crate::support::run_in(&repo.path().join("goals/2026-Q4"), &["check"]).expect_code(0);
    let outside = TestRepo::empty();
    let run = outside.goalpost(&["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no goalpost.toml"), "{}", run.stderr);
    repo.goalpost(&["check", "--bogus"]).expect_code(2);
    repo.goalpost(&["check", "--format", "markdown"])
        .expect_code(2);
}

// Named periods from goalpost.toml are accepted as folder names; undeclared ones are not.
#[test]
fn declared_periods_accepted_and_undeclared_rejected() {
    let repo = TestRepo::new();
    repo.write(
        "goalpost.toml",
        "[[periods]]\nname = \"FY27-H1\"\nstart = 2026-07-01\nend = 2026-12-31\n",
    );
    repo.write("goals/FY27-H1/t/a.md", objective("A", ""));
    repo.goalpost(&["check"]).expect_code(0);
    repo.write("goals/FY27-H2/t/a.md", objective("A", ""));
    let run = repo.goalpost(&["check", "--format", "json"]);
    run.expect_code(1);
    assert!(run.stdout.contains("bad-period"));
}

// Piping into a reader that closes early (like `head`) is not a panic, and the run keeps
// the exit code its errors earned, so `set -o pipefail` still fails the job (issue 9 §6).
#[test]
fn closed_pipe_never_hides_check_errors_exit_code() {
    let repo = TestRepo::new();
    for i in 0..300 {
        repo.write(
            &format!("goals/2026-Q4/t/o{i}.md"),
            "+++\ntitle = 1\nowner = 2\n+++\n",
        );
    }
    let mut child = goalpost_command(repo.path(), &["check"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
    assert_eq!(status.code(), Some(1), "errors must still fail the run");
}

// `goalpost schema` prints JSON Schema that forbids unknown keys.
#[test]
fn schema_never_allows_unknown_keys() {
    let repo = TestRepo::empty();
    for kind in ["objective", "kpi", "config"] {
        let run = repo.goalpost(&["schema", kind]);
        run.expect_code(0);
        let schema = run.json();
        assert_eq!(schema["additionalProperties"], false, "{kind}");
        assert!(schema["properties"].is_object(), "{kind}");
    }
}

// The README's example objective and KPI are valid goal files (the docs cannot drift).
#[test]
fn readme_examples_are_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    // The first block that starts with `fence`; `skip` is how much of the fence is the marker.
    let block = |fence: &str, skip: usize| {
        let start = readme.find(fence).expect("fenced block") + skip;
        readme[start..][..readme[start..].find("\n```").unwrap()]
            .trim_start_matches('\n')
            .to_string()
            + "\n"
    };
    let repo = TestRepo::new();
    repo.write(
        "goals/2026-Q4/company/retention.md",
        objective("Retention", ""),
    );
    repo.write(
        "goals/2026-Q4/platform/reliability.md",
        block("```markdown\n", 12),
    );
    repo.write("kpis/api-availability.toml", block("```toml\ntitle", 8));
    let json = repo.goalpost(&["check", "--format", "json"]).json();
    let errors: Vec<_> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
