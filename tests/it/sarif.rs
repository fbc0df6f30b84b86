//! `check --format sarif`: SARIF 2.1.0 that the official schema accepts, with
//! repository-relative paths, one rule per code and inert messages.

use crate::support::{run_in, TestRepo};
use serde_json::Value;
use std::path::Path;

/// The official SARIF 2.1.0 schema (OASIS errata 01, vendored from oasis-tcs/sarif-spec,
/// sarif-2.1/schema/sarif-schema-2.1.0.json).
fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid(log: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{log:#}",
        errors.join("\n")
    );
}

/// A goal root in the sub-folder `okrs/` of a git repository, with an error (and its help),
/// a warning, a duplicate id (a related location) and a file name that needs encoding.
fn repo_with_findings() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    std::fs::remove_file(repo.path().join("goalpost.toml")).unwrap();
    repo.write("okrs/goalpost.toml", "");
    let kr = "[[key_results]]\nid = \"a\"\ntitle = \"see [x](1)\"\ndone = true\n";
    repo.write(
        "okrs/goals/2026-Q4/t/a b.md",
        format!("+++\ntitle = \"t\"\nowner = \"o\"\n{kr}{kr}doen = 1\n+++\n"),
    );
    repo.write("okrs/kpis/k.toml", "title = \"K\"\nvalue = 1\n");
    repo
}

// Regression (issue 13): code scanning needs SARIF; the output is valid SARIF 2.1.0 with
// the goal root's prefix on every path, rules for exactly the codes found, and levels.
#[test]
fn sarif_output_is_valid_sarif_with_repository_relative_paths() {
    let repo = repo_with_findings();
    let run = run_in(&repo.path().join("okrs"), &["check", "--format", "sarif"]);
    run.expect_code(1);
    let log = run.json();
    assert_valid(&log);
    let run0 = &log["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "goalpost");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    assert_eq!(rules, sorted, "rules are sorted by code");
    for rule in driver["rules"].as_array().unwrap() {
        let uri = rule["helpUri"].as_str().unwrap();
        assert!(uri.contains("/docs/check.md#"), "{uri}");
        assert!(!rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty());
    }
    let results = run0["results"].as_array().unwrap();
    let find = |code: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == code)
            .unwrap_or_else(|| panic!("no {code} in {log:#}"))
    };
    let unknown = find("unknown-key");
    assert_eq!(unknown["level"], "error");
    assert_eq!(
        rules[unknown["ruleIndex"].as_u64().unwrap() as usize],
        "unknown-key"
    );
    let loc = &unknown["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "okrs/goals/2026-Q4/t/a%20b.md"
    );
    assert_eq!(loc["region"]["startLine"], 12);
    assert_eq!(loc["region"]["startColumn"], 1);
    assert!(unknown["message"]["text"]
        .as_str()
        .unwrap()
        .contains("\nhelp: did you mean `done`?"));
    let dup = find("duplicate-id");
    assert_eq!(
        dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    let warning = find("kpi-no-direction");
    assert_eq!(warning["level"], "warning");
    assert_eq!(
        warning["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "okrs/kpis/k.toml"
    );
    // The same tree gives the same bytes.
    let again = run_in(&repo.path().join("okrs"), &["check", "--format", "sarif"]);
    assert_eq!(run.stdout, again.stdout);
}

// A clean repository gives a valid log with no results (which closes earlier alerts).
#[test]
fn sarif_of_a_clean_repository_is_valid_and_empty() {
    let repo = TestRepo::new();
    let run = repo.goalpost(&["check", "--format", "sarif"]);
    run.expect_code(0);
    let log = run.json();
    assert_valid(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

// Untrusted text cannot become a SARIF embedded link or a hidden character, and a file
// name cannot change what the artifact URI points at.
#[test]
fn sarif_messages_cannot_plant_links_or_hidden_characters() {
    let repo = TestRepo::new();
    repo.write(
        "goals/2026-Q4/t/x#y.md",
        "+++\ntitle = \"t\"\nowner = \"o\"\n[[key_results]]\nid = \"[z](1)\u{202e}\"\ntitle = \"t\"\ndone = true\n+++\n",
    );
    let run = repo.goalpost(&["check", "--format", "sarif"]);
    let log = run.json();
    assert_valid(&log);
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let text = result["message"]["text"].as_str().unwrap();
        assert!(
            !text.contains("[z]") && !text.contains('\u{202e}'),
            "{text}"
        );
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.contains('#'), "{uri}");
    }
}
