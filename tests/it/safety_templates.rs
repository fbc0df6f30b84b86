//! Safety of repository templates and of what counts as a goal file: symbolic links are
//! never read or written through, templates come from the analysed commit only, runaway
//! templates stop with a clear error, and `check` and the history commands agree on
//! which files are goal files.

use crate::support::{objective, TestRepo};
use std::path::Path;
use std::time::{Duration, Instant};

/// A committed goal repository with one objective and one KPI.
fn goal_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write("goals/2026-Q4/web/fast.md", objective("Be fast", ""));
    repo.write("kpis/uptime.toml", "title = \"Uptime\"\nowner = \"bo\"\ndirection = \"up\"\nvalue = 99.5\ngreen = 99.9\nred = 99.0\n");
    repo.commit_all("plan", "2026-09-28T09:00:00Z");
    repo
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// Every file below `dir`, read as text (lossy), for "does this leak anywhere" checks.
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// Names in `dir` that look like a staging or an old site folder.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial-") || n.contains(".old-"))
        .collect()
}

/// The sorted (path, bytes) of every file below `dir`.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

// A committed `templates/style.css` linking to /proc/self/environ is refused by name; the
// build environment (CI secrets) never reaches the site.
#[cfg(unix)]
#[test]
fn symlinked_template_never_publishes_environment() {
    let repo = goal_repo();
    symlink(
        "../../../../../../../../proc/self/environ",
        &repo.path().join("templates/style.css"),
    );
    repo.commit_all("style", "2026-09-29T09:00:00Z");
    let mut cmd = crate::support::goalpost_command(repo.path(), &["site", "--out", "site"]);
    cmd.env("GOALPOST_CANARY_SECRET", "s3cr3t-canary-value");
    let run = crate::support::Run::from(cmd.output().expect("runs"));
    run.expect_code(2);
    assert!(
        run.stderr.contains("templates/style.css") && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("site").exists());
    assert!(!all_text(repo.path()).contains("s3cr3t-canary-value"));
    assert!(leftovers(repo.path()).is_empty());
}

// A committed `templates/base.html -> /etc/passwd` is refused by name and never inlined.
#[cfg(unix)]
#[test]
fn symlinked_base_template_never_inlines_etc_passwd() {
    let repo = goal_repo();
    let secret = tempfile::tempdir().expect("tempdir");
    let target = secret.path().join("passwd");
    std::fs::write(&target, "root:x:0:0:canary-passwd-line").expect("write");
    symlink(
        target.to_str().expect("utf-8"),
        &repo.path().join("templates/base.html"),
    );
    repo.commit_all("base", "2026-09-29T09:00:00Z");
    let run = repo.goalpost(&["site", "--out", "site"]);
    run.expect_code(2);
    assert!(run.stderr.contains("templates/base.html"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("canary-passwd-line") && !run.stdout.contains("canary-passwd-line")
    );
    assert!(!repo.path().join("site").exists());
    // A link to a folder (templates itself) is refused the same way.
    std::fs::remove_file(repo.path().join("templates/base.html")).expect("rm");
    std::fs::remove_dir(repo.path().join("templates")).expect("rmdir");
    symlink(
        secret.path().to_str().expect("utf-8"),
        &repo.path().join("templates"),
    );
    repo.commit_all("folder link", "2026-09-30T09:00:00Z");
    let run = repo.goalpost(&["site", "--out", "site"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("templates is a symbolic link"),
        "{}",
        run.stderr
    );
}

// The site depends on the commit alone: uncommitted templates (even a link to a secret)
// change no byte; committing an override does.
#[cfg(unix)]
#[test]
fn uncommitted_template_does_not_change_site_bytes() {
    let repo = goal_repo();
    repo.goalpost(&["site", "--out", "a"]).expect_code(0);
    repo.write("templates/kpi.html", "<p>UNCOMMITTED</p>");
    repo.write("templates/style.css", "body{color:red}");
    symlink(
        "/proc/self/environ",
        &repo.path().join("templates/feed.xml"),
    );
    repo.goalpost(&["site", "--out", "b"]).expect_code(0);
    let (a, b) = (
        snapshot(&repo.path().join("a")),
        snapshot(&repo.path().join("b")),
    );
    assert!(!a.is_empty());
    assert_eq!(a, b, "the working tree's templates changed the site");
    std::fs::remove_file(repo.path().join("templates/feed.xml")).expect("rm");
    repo.commit_all("own kpi page", "2026-09-29T09:00:00Z");
    repo.goalpost(&["site", "--out", "c"]).expect_code(0);
    assert!(repo.read("c/kpis/uptime.html").contains("UNCOMMITTED"));
    assert!(repo.read("c/style.css").contains("color:red"));
}

/// Errors in `check --format json`.
fn check_errors(repo: &TestRepo) -> Vec<serde_json::Value> {
    let run = repo.goalpost(&["check", "--format", "json"]);
    run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .cloned()
        .collect()
}

/// `check_errors` of `status --format json`.
fn status_check_errors(repo: &TestRepo) -> u64 {
    let run = repo.goalpost(&["status", "--format", "json"]);
    run.expect_code(0);
    run.json()["check_errors"].as_u64().expect("check_errors")
}

// A symbolic link where a goal file would be is one error naming it, in `check` (working
// tree) and in `status` (git) alike; the linked file's content is never read.
#[cfg(unix)]
#[test]
fn symlinked_goal_file_same_verdict_in_check_and_status() {
    let repo = goal_repo();
    repo.write("secret.md", "+++\ntitle = \"canary-secret-title\"\n");
    symlink(
        "../../../secret.md",
        &repo.path().join("goals/2026-Q4/web/evil.md"),
    );
    symlink("../secret.md", &repo.path().join("kpis/evil.toml"));
    repo.commit_all("links", "2026-09-29T09:00:00Z");
    let run = repo.goalpost(&["check"]);
    run.expect_code(1);
    assert!(
        !run.stdout.contains("canary-secret-title"),
        "{}",
        run.stdout
    );
    let errors = check_errors(&repo);
    let files: Vec<&str> = errors
        .iter()
        .map(|d| d["file"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        files,
        ["goals/2026-Q4/web/evil.md", "kpis/evil.toml"],
        "{errors:?}"
    );
    assert!(errors.iter().all(|d| d["code"] == "symlink"), "{errors:?}");
    assert_eq!(status_check_errors(&repo), 2);
    let review = repo.goalpost(&[
        "review", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
    ]);
    assert!(
        !review.stdout.contains("canary-secret-title"),
        "{}",
        review.stdout
    );
    // A linked goal folder gets one error, in both.
    std::fs::remove_file(repo.path().join("kpis/evil.toml")).expect("rm");
    std::fs::rename(repo.path().join("kpis"), repo.path().join("real-kpis")).expect("mv");
    symlink("real-kpis", &repo.path().join("kpis"));
    std::fs::remove_file(repo.path().join("goals/2026-Q4/web/evil.md")).expect("rm");
    repo.commit_all("linked folder", "2026-09-30T09:00:00Z");
    let errors = check_errors(&repo);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "kpis");
    assert_eq!(status_check_errors(&repo), 1);
}

// `--init-templates` never writes through a link: not through a linked folder, not
// through a (dangling) linked file, and nothing outside the repository is created.
#[cfg(unix)]
#[test]
fn init_templates_never_writes_through_symlink() {
    let repo = goal_repo();
    let outside = tempfile::tempdir().expect("tempdir");
    symlink(
        outside.path().to_str().expect("utf-8"),
        &repo.path().join("templates"),
    );
    let run = repo.goalpost(&["site", "--init-templates"]);
    run.expect_code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
    std::fs::remove_file(repo.path().join("templates")).expect("rm");
    let victim = outside.path().join("victim.css");
    symlink(
        victim.to_str().expect("utf-8"),
        &repo.path().join("templates/style.css"),
    );
    let run = repo.goalpost(&["site", "--init-templates"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("style.css") && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    assert!(!victim.exists(), "wrote through a dangling link");
    // Refused before anything was written.
    assert_eq!(
        std::fs::read_dir(repo.path().join("templates"))
            .expect("ls")
            .count(),
        1
    );
    std::fs::remove_file(repo.path().join("templates/style.css")).expect("rm");
    repo.goalpost(&["site", "--init-templates"]).expect_code(0);
    assert!(repo
        .read("templates/style.css")
        .contains("prefers-color-scheme"));
}

/// How long a runaway template may run before the test gives up on it.
const DEADLINE: Duration = Duration::from_secs(60);

/// Commits `templates/<name>` with `text` and builds the site, killing the build after
/// [`DEADLINE`] (so a template that runs forever fails the test instead of hanging it).
fn build_with(repo: &TestRepo, name: &str, text: &str) -> (crate::support::Run, Duration) {
    repo.write(&format!("templates/{name}"), text);
    repo.commit_all("template", "2026-09-29T09:00:00Z");
    let start = Instant::now();
    let mut child = crate::support::goalpost_command(repo.path(), &["site", "--out", "site"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = crate::support::Run::from(child.wait_with_output().expect("output"));
    (run, start.elapsed())
}

// Runaway templates (nested loops, huge strings, endless recursion, huge output) end
// with an error naming the template, exit 2 (no abort), and leave no staging folder.
#[test]
fn runaway_template_ends_with_clear_error_and_no_staging_left() {
    let cases = [
        ("index.html", "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}", "fuel"),
        ("kpi.html", "{{ \"x\" * 1000000000000 }}", "kpi.html"),
        ("kpi.html", "{% set s = \"x\" * 50000000 %}{% for i in range(100000) %}{{ s }}{% endfor %}", "kpi.html"),
        ("team.html", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "team.html"),
        // A format width pads without creating values; the fuel must still pay for it.
        ("objective.html", "{{ \"%0999999999d\" | format(1) }}", "fuel"),
        ("period.html", "{% set ns = namespace(s=\"xx\") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}", "period.html"),
    ];
    for (name, text, needle) in cases {
        let repo = goal_repo();
        let (run, took) = build_with(&repo, name, text);
        assert!(took < DEADLINE, "{name} took {took:?}");
        eprintln!("{name}: stopped after {took:?}");
        run.expect_code(2);
        assert!(
            run.stderr.contains(name) && run.stderr.contains(needle),
            "{name}: {}",
            run.stderr
        );
        assert!(
            leftovers(repo.path()).is_empty(),
            "{:?}",
            leftovers(repo.path())
        );
        assert!(!repo.path().join("site").exists());
    }
}

// `new`'s repository templates run under the same limits and are never read through links.
#[cfg(unix)]
#[test]
fn runaway_or_linked_new_template_is_refused() {
    let repo = goal_repo();
    repo.write(
        "templates/new/kpi.toml",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    );
    let run = repo.goalpost(&["new", "kpi", "latency"]);
    run.expect_code(2);
    assert!(run.stderr.contains("fuel"), "{}", run.stderr);
    assert!(!repo.path().join("kpis/latency.toml").exists());
    repo.write("secret.txt", "canary-new-secret");
    std::fs::remove_file(repo.path().join("templates/new/kpi.toml")).expect("rm");
    symlink(
        "../../secret.txt",
        &repo.path().join("templates/new/kpi.toml"),
    );
    let run = repo.goalpost(&["new", "kpi", "latency"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("templates/new/kpi.toml") && run.stderr.contains("symbolic link"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("kpis/latency.toml").exists());
}

// Hidden folders and files are skipped by `check` and by the history commands alike: a
// broken draft in `.drafts/` is neither a check error nor an objective in `status`.
#[test]
fn hidden_folder_rule_same_in_check_and_status() {
    let repo = goal_repo();
    repo.write(
        "goals/2026-Q4/.drafts/web/draft.md",
        "+++\ntitle = \"broken\n",
    );
    repo.write("goals/2026-Q4/web/.draft.md", objective("Hidden draft", ""));
    repo.write("kpis/.old.toml", "title = 5\n");
    repo.commit_all("drafts", "2026-09-29T09:00:00Z");
    repo.goalpost(&["check"]).expect_code(0);
    assert!(check_errors(&repo).is_empty());
    let run = repo.goalpost(&["status", "--period", "2026-Q4", "--format", "json"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["check_errors"], 0);
    let ids: Vec<&str> = json["objectives"]
        .as_array()
        .expect("objectives")
        .iter()
        .map(|o| o["qualified_id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["2026-Q4/web/fast"]);
    assert_eq!(json["kpis"].as_array().map(Vec::len), Some(1));
    let log = repo.goalpost(&["log"]);
    assert!(
        !log.stdout.contains("draft") && !log.stdout.contains("Hidden"),
        "{}",
        log.stdout
    );
}

// Files that look like goal files but are not read (`.MD`, `.markdown`, `.yaml`, `.yml`)
// get a warning naming each, instead of silence; they are not errors.
#[test]
fn check_warns_about_skipped_lookalike_goal_files() {
    let repo = goal_repo();
    for path in [
        "goals/2026-Q4/web/upper.MD",
        "goals/2026-Q4/web/long.markdown",
        "kpis/nps.yaml",
        "kpis/csat.yml",
    ] {
        repo.write(path, "title: not read\n");
    }
    repo.write("goals/2026-Q4/web/README.md", "notes");
    repo.write("goals/2026-Q4/web/logo.png", "png");
    let run = repo.goalpost(&["check", "--format", "json"]);
    run.expect_code(0);
    let mut warned: Vec<String> = run.json()["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "skipped-lookalike")
        .map(|d| d["file"].as_str().unwrap_or_default().to_string())
        .collect();
    warned.sort();
    assert_eq!(
        warned,
        [
            "goals/2026-Q4/web/long.markdown",
            "goals/2026-Q4/web/upper.MD",
            "kpis/csat.yml",
            "kpis/nps.yaml"
        ]
    );
    let text = repo.goalpost(&["check"]);
    assert!(text.stdout.contains("kpis/nps.yaml"), "{}", text.stdout);
}

// A committed link where a team folder would be is an error naming it in `check` and in
// `status` alike (it used to be skipped silently), and `new` never writes through it.
#[cfg(unix)]
#[test]
fn symlinked_team_folder_is_refused_and_never_written_through() {
    let repo = goal_repo();
    let outside = tempfile::tempdir().expect("tempdir");
    symlink(
        outside.path().to_str().expect("utf-8 temp path"),
        &repo.path().join("goals/2026-Q4/evil"),
    );
    repo.commit_all("linked team", "2026-09-29T09:00:00Z");
    let run = repo.goalpost(&["check"]);
    run.expect_code(1);
    let errors = check_errors(&repo);
    assert!(
        errors
            .iter()
            .any(|d| d["code"] == "symlink" && d["file"] == "goals/2026-Q4/evil"),
        "{errors:?}"
    );
    assert_eq!(status_check_errors(&repo), 1);
    let new = repo.goalpost(&[
        "new",
        "objective",
        "evil/a4",
        "--period",
        "2026-Q4",
        "--owner",
        "a",
    ]);
    new.expect_code(2);
    assert!(new.stderr.contains("symbolic link"), "{}", new.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}
