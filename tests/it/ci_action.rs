//! The GitHub Action's review script (action/review.sh) on a real repository with the real
//! binary; `gh` is a stand-in that records its calls, so the comment logic is checked
//! without GitHub. Also: docs/ci.md shows exactly the example files that .ci/run lints.

use crate::support::{objective, TestRepo};
use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = "<!-- goalpost-review -->";
const FILE: &str = "goals/2026-Q4/t/ship.md";

/// A stand-in `gh`: logs each call; `api --paginate` prints the id in `existing-id` if that
/// file exists; a call with `--input` keeps the payload; exits with the code in `gh-fails`.
const FAKE_GH: &str = r#"#!/usr/bin/env bash
here="$(dirname "$0")"
echo "$*" >>"$here/gh.log"
if [ -f "$here/gh-fails" ]; then exit "$(cat "$here/gh-fails")"; fi
case "$*" in
  *--paginate*) [ -f "$here/existing-id" ] && cat "$here/existing-id" ;;
  *--input*) cp "${@: -1}" "$here/payload.json" ;;
esac
exit 0
"#;

struct ActionRun {
    code: i32,
    stdout: String,
    summary: String,
    gh_log: String,
    payload: Option<serde_json::Value>,
}

/// A repository whose second commit changes the objective (`head_text`); returns it with the
/// base and head commit ids.
fn pull_request(head_text: &str) -> (TestRepo, String, String) {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(FILE, objective("Ship it", ""));
    repo.commit_all("base", "2026-10-02T10:00:00Z");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write(FILE, head_text);
    repo.commit_all("head", "2026-10-03T10:00:00Z");
    let head = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    (repo, base, head)
}

/// Runs action/review.sh in `repo` as the action does, with `tools` (fake gh) first on PATH.
fn run_action(repo: &TestRepo, base: &str, head: &str, tools: &Path) -> ActionRun {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/review.sh");
    std::fs::write(tools.join("gh"), FAKE_GH).unwrap();
    make_executable(&tools.join("gh"));
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_goalpost"));
    let path = std::env::join_paths(
        [tools.to_path_buf(), binary.parent().unwrap().to_path_buf()]
            .into_iter()
            .chain(std::env::split_paths(
                &std::env::var_os("PATH").unwrap_or_default(),
            )),
    )
    .unwrap();
    let summary = tools.join("summary.md");
    let out = Command::new("bash")
        .arg(&script)
        .current_dir(repo.path())
        .env("PATH", path)
        .env("HOME", tools)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("BASE", base)
        .env("HEAD", head)
        .env("COMMENT", "true")
        .env("COMMENT_AUTHOR", "github-actions[bot]")
        .env("PR_NUMBER", "7")
        .env("GH_TOKEN", "token")
        .env("GITHUB_REPOSITORY", "owner/goals")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", tools)
        .output()
        .expect("bash runs");
    let read = |name: &str| std::fs::read_to_string(tools.join(name)).unwrap_or_default();
    ActionRun {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        summary: read("summary.md"),
        gh_log: read("gh.log"),
        payload: serde_json::from_str(&read("payload.json")).ok(),
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

fn comment_body(run: &ActionRun) -> String {
    let payload = run.payload.as_ref().expect("a comment was posted");
    payload["body"].as_str().unwrap().to_owned()
}

// Errors in the pull request fail the step, but only after the summary, the annotations
// and the comment are out: a failing review that posts nothing helps nobody.
#[cfg(unix)]
#[test]
fn action_review_posts_everything_before_failing_on_errors() {
    let broken = objective("Ship it", "tagret = 3");
    let (repo, base, head) = pull_request(&broken);
    let tools = tempfile::tempdir().unwrap();
    let run = run_action(&repo, &base, &head, tools.path());
    assert_eq!(run.code, 1, "stdout: {}", run.stdout);
    assert!(run.summary.starts_with(MARKER), "summary: {}", run.summary);
    assert!(run.summary.contains("tagret"), "summary: {}", run.summary);
    assert!(
        run.stdout.contains("::error file=goals/2026-Q4/t/ship.md"),
        "annotations: {}",
        run.stdout
    );
    assert!(
        run.gh_log
            .contains("--method POST repos/owner/goals/issues/7/comments"),
        "gh calls: {}",
        run.gh_log
    );
    assert!(comment_body(&run).starts_with(MARKER));
}

// A second run updates the comment it made before (found by the marker) instead of adding
// one comment per push.
#[cfg(unix)]
#[test]
fn action_review_updates_its_one_marked_comment() {
    let (repo, base, head) = pull_request(&objective("Ship it sooner", ""));
    let tools = tempfile::tempdir().unwrap();
    std::fs::write(tools.path().join("existing-id"), "4242\n").unwrap();
    let run = run_action(&repo, &base, &head, tools.path());
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    assert!(
        run.gh_log
            .contains("--method PATCH repos/owner/goals/issues/comments/4242"),
        "gh calls: {}",
        run.gh_log
    );
    assert!(!run.gh_log.contains("--method POST"), "{}", run.gh_log);
    assert!(comment_body(&run).contains("Ship it sooner"));
}

// A pull request from a fork gets a read-only token: commenting fails, the review still
// lands in the job summary and the step keeps the review's own exit code.
#[cfg(unix)]
#[test]
fn action_review_with_read_only_token_still_writes_summary() {
    let (repo, base, head) = pull_request(&objective("Ship it sooner", ""));
    let tools = tempfile::tempdir().unwrap();
    std::fs::write(tools.path().join("gh-fails"), "1").unwrap();
    let run = run_action(&repo, &base, &head, tools.path());
    assert_eq!(run.code, 0, "stdout: {}", run.stdout);
    assert!(run.summary.contains("Ship it sooner"), "{}", run.summary);
    assert!(run.stdout.contains("::notice::"), "stdout: {}", run.stdout);
}

/// The bodies of the ```yaml fences of a Markdown text.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line) {
            (None, "```yaml") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

// docs/ci.md promises "works as written": each of its YAML blocks must be one of the files
// in docs/examples/ that .ci/run lints, and each of those files must be shown.
#[test]
fn ci_docs_show_exactly_the_linted_example_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    let blocks = yaml_blocks(&doc);
    let mut examples = Vec::new();
    for entry in std::fs::read_dir(root.join("docs/examples")).unwrap() {
        let path = entry.unwrap().path();
        examples.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
    }
    assert!(examples.len() >= 4, "expected the example files");
    for (path, text) in &examples {
        assert!(
            blocks.contains(text),
            "{} is not shown verbatim in docs/ci.md",
            path.display()
        );
    }
    for block in &blocks {
        assert!(
            examples.iter().any(|(_, text)| text == block),
            "a YAML block of docs/ci.md is not an example file (so it is not linted):\n{block}"
        );
    }
}
