//! Editor support written by `init` and `new`: `#:schema` directives that resolve from the
//! file's own folder, a `.taplo.toml` whose schema paths exist, and a pre-commit
//! configuration that uses this repository's hook.

use crate::support::{run_in, TestRepo};
use std::path::Path;

/// The `#:schema` target of a file's first line.
fn directive(text: &str) -> &str {
    let first = text.lines().next().unwrap_or_default();
    first
        .strip_prefix("#:schema ")
        .unwrap_or_else(|| panic!("no #:schema line first: {first:?}"))
}

fn generated_schema(dir: &Path, kind: &str) -> String {
    let run = run_in(dir, &["schema", kind]);
    run.expect_code(0);
    run.stdout
}

// Regression (issue 13): Taplo found no schema for a goal file when it ran from a
// sub-folder. The directive is resolved from the file's folder (as Taplo does) and names
// the schema `goalpost schema` prints, at any depth of the KPI folder.
#[test]
fn schema_directives_resolve_from_the_files_own_folder() {
    let dir = TestRepo::empty();
    run_in(dir.path(), &["init", "g", "--owner", "ann"]).expect_code(0);
    let root = dir.path().join("g");
    let config = dir.read("g/goalpost.toml");
    assert_eq!(directive(&config), "./schemas/goalpost.json");
    assert_eq!(
        std::fs::read_to_string(root.join("schemas/goalpost.json")).unwrap(),
        generated_schema(&root, "config")
    );
    run_in(&root, &["new", "kpi", "uptime", "--owner", "ann"]).expect_code(0);
    let kpi = dir.read("g/kpis/uptime.toml");
    assert_eq!(directive(&kpi), "../schemas/kpi.json");
    // A nested KPI folder: the path climbs as many folders as the file is deep.
    std::fs::write(
        root.join("goalpost.toml"),
        config.replace("kpi_dir = \"kpis\"", "kpi_dir = \"metrics/kpis\""),
    )
    .unwrap();
    run_in(&root, &["new", "kpi", "latency", "--owner", "ann"]).expect_code(0);
    let nested = dir.read("g/metrics/kpis/latency.toml");
    let target = root.join("metrics/kpis").join(directive(&nested));
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        generated_schema(&root, "kpi"),
        "{}",
        target.display()
    );
    run_in(&root, &["check"]).expect_code(0);
}

// A repository without schemas/ (made before `init` wrote them) gets the published schema,
// not a path to a missing file; Markdown objectives get no directive (Taplo skips them).
#[test]
fn schema_directive_without_local_schemas_names_the_published_one() {
    let repo = TestRepo::new();
    repo.goalpost(&["new", "kpi", "uptime", "--owner", "ann"])
        .expect_code(0);
    let url = directive(&repo.read("kpis/uptime.toml")).to_string();
    assert!(
        url.starts_with("https://") && url.ends_with("/schemas/kpi.json"),
        "{url}"
    );
    repo.goalpost(&[
        "new",
        "objective",
        "t/x",
        "--period",
        "2026-Q4",
        "--owner",
        "ann",
    ])
    .expect_code(0);
    assert!(repo.read("goals/2026-Q4/t/x.md").starts_with("+++"));
}

// `.taplo.toml` maps every kind of TOML goal file to a schema init wrote, and says plainly
// that Markdown front matter is not covered.
#[test]
fn taplo_config_points_at_existing_schemas_and_names_its_limits() {
    let dir = TestRepo::empty();
    run_in(dir.path(), &["init", "g"]).expect_code(0);
    let text = dir.read("g/.taplo.toml");
    let config: toml::Table = toml::from_str(&text).unwrap();
    let rules = config["rule"].as_array().unwrap();
    assert_eq!(rules.len(), 3);
    for rule in rules {
        let path = rule["schema"]["path"].as_str().unwrap();
        assert!(dir.path().join("g").join(path).is_file(), "{path}");
        let include = rule["include"].as_array().unwrap();
        assert!(include
            .iter()
            .all(|p| p.as_str().unwrap().starts_with("**/")));
    }
    assert!(text.contains("front matter of .md objectives"), "{text}");
    assert!(text.contains("#:schema"), "{text}");
}

// Regression (issue 13): init's pre-commit configuration is this repository's hook at the
// running version, the same as docs/examples/pre-commit-config.yaml (which CI validates).
#[test]
fn init_pre_commit_config_uses_this_repositorys_hook() {
    let dir = TestRepo::empty();
    run_in(dir.path(), &["init", "g"]).expect_code(0);
    let written = dir.read("g/.pre-commit-config.yaml");
    let yaml: String = written
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let example =
        std::fs::read_to_string(manifest.join("docs/examples/pre-commit-config.yaml")).unwrap();
    assert_eq!(yaml, example);
    assert!(yaml.contains(&format!("repo: {}\n", env!("CARGO_PKG_REPOSITORY"))));
    assert!(yaml.contains(&format!("rev: v{}\n", env!("CARGO_PKG_VERSION"))));
    let hooks = std::fs::read_to_string(manifest.join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("- id: goalpost-check\n"));
    assert!(!written.contains("language: system"));
}
