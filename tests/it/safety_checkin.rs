//! Check-ins never lose data or sweep in unrelated work: concurrent `checkin --commit`
//! runs take turns, a commit holds the one edit, git's identity, hooks and signing apply,
//! and structural edits land where the TOML says, whatever its layout.

use crate::support::{goalpost_command, objective, Run, TestRepo};
use std::process::Stdio;

const ONE: &str = "goals/2026-Q4/t/one.md";
const TWO: &str = "goals/2026-Q4/t/two.md";

/// A repository with two committed objectives, `t/one` and `t/two`, each with metric
/// key results `a` (current 4) and `b` (current 10).
fn committed_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(ONE, objective("One", ""));
    repo.write(TWO, objective("Two", ""));
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo
}

/// The `current` line of key result `kr` (`a` or `b`) in an objective made by `objective`.
fn current_of(text: &str, kr: &str) -> String {
    let at = text
        .find(&format!("id = \"{kr}\""))
        .unwrap_or_else(|| panic!("no {kr} in {text}"));
    let line = text[at..]
        .lines()
        .find(|l| l.starts_with("current = "))
        .expect("current");
    line.to_string()
}

fn spawn(repo: &TestRepo, args: &[&str]) -> std::process::Child {
    goalpost_command(repo.path(), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("goalpost starts")
}

// 20 pairs of simultaneous `checkin --commit` runs, on one file and on two files: every run
// succeeds, every value lands in HEAD and in the working file, and the index stays clean
// (the bug: one check-in silently reverted, or a staged revert left in the index).
#[test]
fn concurrent_checkins_never_revert_each_other() {
    let repo = committed_repo();
    let started = std::time::Instant::now();
    for round in 0..20 {
        let (first, second) = if round % 2 == 0 {
            ("t/one#a", "t/one#b")
        } else {
            ("t/one#a", "t/two#b")
        };
        let (v1, v2) = ((100 + round).to_string(), (500 + round).to_string());
        let a = spawn(&repo, &["checkin", first, &v1, "--commit"]);
        let b = spawn(&repo, &["checkin", second, &v2, "--commit"]);
        for child in [a, b] {
            Run::from(child.wait_with_output().expect("goalpost ends")).expect_code(0);
        }
        let second_file = if round % 2 == 0 { ONE } else { TWO };
        let head_one = repo.git(&["show", &format!("HEAD:{ONE}")]);
        let head_second = repo.git(&["show", &format!("HEAD:{second_file}")]);
        assert_eq!(current_of(&head_one, "a"), format!("current = {v1}"));
        assert_eq!(current_of(&head_second, "b"), format!("current = {v2}"));
        assert_eq!(repo.read(ONE), head_one, "round {round}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "", "round {round}");
    }
    let commits = repo.git(&["rev-list", "--count", "HEAD"]);
    assert_eq!(commits.trim(), "41", "one commit per check-in");
    assert!(
        !repo.path().join(".git/goalpost-checkin.lock").exists(),
        "the lock is released"
    );
    eprintln!("40 concurrent check-ins in {:?}", started.elapsed());
}

// The commit holds the check-in alone: other files' staged and unstaged changes stay
// as they were, and so do the user's own unstaged and staged edits in the same file.
#[test]
fn checkin_commit_never_sweeps_in_unrelated_edits() {
    let repo = committed_repo();
    repo.write("notes.txt", "staged work\n");
    repo.git(&["add", "notes.txt"]);
    repo.write(TWO, objective("Two, being rewritten", ""));
    let edited = objective("One, retitled", "").replace("current = 4", "current = 7");
    repo.write(ONE, &edited);
    let run = repo.goalpost(&["checkin", "t/one#b", "3", "--commit"]);
    run.expect_code(0);
    assert!(run.stdout.contains("left uncommitted"), "{}", run.stdout);
    let head = repo.git(&["show", &format!("HEAD:{ONE}")]);
    assert_eq!(
        head,
        objective("One", "").replace("current = 10", "current = 3")
    );
    assert_eq!(
        repo.read(ONE),
        edited.replace("current = 10", "current = 3"),
        "the working file keeps the user's edits and gets the value"
    );
    let files = repo.git(&["show", "--format=", "--name-only", "HEAD"]);
    assert_eq!(files, format!("{ONE}\n"));
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        format!(" M {ONE}\n M {TWO}\nA  notes.txt\n")
    );

    // Staged changes in the same file stay staged, with the check-in on top of them.
    repo.git(&["add", ONE]);
    let run = repo.goalpost(&["checkin", "t/one#b", "2", "--commit"]);
    run.expect_code(0);
    let head = repo.git(&["show", &format!("HEAD:{ONE}")]);
    assert_eq!(
        head,
        objective("One", "").replace("current = 10", "current = 2")
    );
    let staged = repo.git(&["show", &format!(":{ONE}")]);
    assert_eq!(staged, edited.replace("current = 10", "current = 2"));
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        format!("M  {ONE}\n M {TWO}\nA  notes.txt\n")
    );

    // A key result that exists only in the uncommitted file cannot be committed alone:
    // refused, naming the changed lines, and nothing is written.
    let with_c = edited.replace(
        "+++\n\nWhy",
        "\n[[key_results]]\nid = \"c\"\ntitle = \"C\"\nstart = 0\ntarget = 1\ncurrent = 0\n+++\n\nWhy",
    );
    repo.write(ONE, &with_c);
    let head_before = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.goalpost(&["checkin", "t/one#c", "1", "--commit"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("cannot commit the check-in of `2026-Q4/t/one#c` alone")
            && run.stderr.contains("lines "),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(ONE), with_c);
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head_before);
}

/// Writes an executable script at `rel`.
fn script(repo: &TestRepo, rel: &str, text: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = repo.write(rel, text);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

/// Installs a git hook.
fn hook(repo: &TestRepo, name: &str, text: &str) {
    script(repo, &format!(".git/hooks/{name}"), text);
}

// `git commit` makes the check-in commit: the author and committer come from the git
// environment, commit hooks run (and may veto: then nothing changes), and
// `commit.gpgsign` signs it.
#[test]
fn checkin_honours_git_author_env_and_hooks() {
    let repo = committed_repo();
    hook(
        &repo,
        "commit-msg",
        "#!/bin/sh\nprintf '\\nReviewed-by: hook\\n' >> \"$1\"\n",
    );
    let gpg = script(
        &repo,
        ".git/fake-gpg",
        "#!/bin/sh\ncat >/dev/null\necho '[GNUPG:] SIG_CREATED D 1 8 00 1 X' >&2\nprintf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n'\n",
    );
    repo.git(&["config", "commit.gpgsign", "true"]);
    repo.git(&["config", "gpg.program", &gpg.to_string_lossy()]);
    let mut cmd = goalpost_command(repo.path(), &["checkin", "t/one#a", "6", "--commit"]);
    cmd.env("GIT_AUTHOR_NAME", "Env Author")
        .env("GIT_AUTHOR_EMAIL", "env-author@example.test")
        .env("GIT_COMMITTER_NAME", "Env Committer")
        .env("GIT_COMMITTER_EMAIL", "env-committer@example.test")
        .env("GIT_AUTHOR_DATE", "2026-10-05T10:00:00Z");
    Run::from(cmd.output().expect("runs")).expect_code(0);
    let log = repo.git(&["log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI|%B"]);
    assert!(
        log.starts_with("Env Author <env-author@example.test>|Env Committer <env-committer@example.test>|2026-10-05T10:00:00Z|chore(goals): check in 2026-Q4/t/one#a = 6"),
        "{log}"
    );
    assert!(log.contains("Reviewed-by: hook"), "commit-msg ran: {log}");
    let raw = repo.git(&["cat-file", "commit", "HEAD"]);
    assert!(
        raw.contains("gpgsig -----BEGIN PGP SIGNATURE-----"),
        "{raw}"
    );

    // A pre-commit hook that refuses: the run fails with the hook's words, HEAD and the
    // working file are unchanged.
    hook(
        &repo,
        "pre-commit",
        "#!/bin/sh\necho 'policy: no check-ins on Fridays' >&2\nexit 1\n",
    );
    let before = (repo.git(&["rev-parse", "HEAD"]), repo.read(ONE));
    let run = repo.goalpost(&["checkin", "t/one#a", "9", "--commit"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("policy: no check-ins on Fridays"),
        "{}",
        run.stderr
    );
    assert_eq!((repo.git(&["rev-parse", "HEAD"]), repo.read(ONE)), before);
    assert_eq!(
        repo.git(&["status", "--porcelain", "--untracked-files=no"]),
        ""
    );
}

// A commit that lands while the check-in is being committed is never reverted: the
// check-in fails with the retry message, and HEAD keeps the other commit.
#[test]
fn checkin_never_reverts_a_change_that_lands_mid_commit() {
    let repo = committed_repo();
    hook(
        &repo,
        "pre-commit",
        "#!/bin/sh\nunset GIT_INDEX_FILE\nsed -i 's/title = \"Two\"/title = \"Two, landed\"/' goals/2026-Q4/t/two.md\ngit add goals/2026-Q4/t/two.md\ngit commit -q --no-verify -m landed\n",
    );
    let before = repo.read(ONE);
    let run = repo.goalpost(&["checkin", "t/one#a", "8", "--commit"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("another change landed")
            && run.stderr.contains("run the check-in again"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.git(&["log", "-1", "--format=%s"]), "landed\n");
    assert!(repo
        .git(&["show", &format!("HEAD:{TWO}")])
        .contains("Two, landed"));
    assert_eq!(repo.read(ONE), before, "the working file is put back");
}

// A lock left by a killed check-in is named, with how to clear it; nothing is written.
#[test]
fn stale_checkin_lock_is_named_not_ignored() {
    let repo = committed_repo();
    repo.write(".git/goalpost-checkin.lock", "999999999\n");
    let run = repo.goalpost(&["checkin", "t/one#a", "5", "--commit"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("goalpost-checkin.lock") && run.stderr.contains("remove it"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.read(ONE), objective("One", ""));
}

const MULTILINE_TITLE: &str = "+++\ntitle = \"Fast\"\nowner = \"ann\"\n\n[[key_results]]\nid = \"p99\"\ntitle = \"\"\"p99 latency,\n[[key_results]]\nid = \"fake\"\n[section]\"\"\"\nstart = 450\ntarget = 200\ncurrent = 450\n+++\n\nBody.\n";

// The bug: a line scanner took `[[key_results]]` inside a multi-line title for a header
// and put the dated check-in inside the string. The title must survive byte for byte.
#[test]
fn dated_checkin_never_lands_inside_multiline_title() {
    let repo = TestRepo::new();
    repo.write(ONE, MULTILINE_TITLE);
    repo.goalpost(&["checkin", "t/one#p99", "400", "--date", "2026-10-20"])
        .expect_code(0);
    let text = repo.read(ONE);
    assert_eq!(
        text,
        MULTILINE_TITLE.replace(
            "current = 450\n",
            "current = 450\n\n[[key_results.checkins]]\ndate = 2026-10-20\nvalue = 400\n"
        )
    );
    repo.goalpost(&["check"]).expect_code(0);
}

const SPACED: &str = "title = \"Spaced\"\nowner = \"ann\"\n\n[[ key_results ]]\nid = \"a\"\ntitle = \"A\"\nstart = 0\ntarget = 10\ncurrent = 1\n\n[[ key_results ]]\nid = \"b\"\ntitle = \"B\"\ndone = false\n";

const INLINE: &str = "title = \"Inline\"\nowner = \"ann\"\nkey_results = [\n  { id = \"a\", title = \"A\", start = 0, target = 10, current = 1 },\n  { id = \"b\", title = \"B\", done = false },\n]\n";

// `--date` and `--confidence` work on `[[ key_results ]]` headers with spaces and on
// inline tables (both failed before), and the result is exactly the intended document.
#[test]
fn checkin_handles_spaced_array_headers_and_inline_tables() {
    let repo = TestRepo::new();
    repo.write("goals/2026-Q4/t/spaced.toml", SPACED);
    repo.write("goals/2026-Q4/t/inline.toml", INLINE);
    for id in ["t/spaced", "t/inline"] {
        let kr = format!("{id}#a");
        repo.goalpost(&["checkin", &kr, "3", "--confidence", "0.7"])
            .expect_code(0);
        repo.goalpost(&["checkin", &kr, "4", "--date", "2026-10-20", "--note", "n"])
            .expect_code(0);
        repo.goalpost(&[
            "checkin",
            &format!("{id}#b"),
            "done",
            "--date",
            "2026-10-21",
        ])
        .expect_code(0);
    }
    assert_eq!(
        repo.read("goals/2026-Q4/t/spaced.toml"),
        "title = \"Spaced\"\nowner = \"ann\"\n\n[[ key_results ]]\nid = \"a\"\ntitle = \"A\"\nstart = 0\ntarget = 10\ncurrent = 3\nconfidence = 0.7\n\n[[key_results.checkins]]\ndate = 2026-10-20\nvalue = 4\nnote = \"n\"\n\n[[ key_results ]]\nid = \"b\"\ntitle = \"B\"\ndone = false\n\n[[key_results.checkins]]\ndate = 2026-10-21\nvalue = true\n"
    );
    assert_eq!(
        repo.read("goals/2026-Q4/t/inline.toml"),
        "title = \"Inline\"\nowner = \"ann\"\nkey_results = [\n  { id = \"a\", title = \"A\", start = 0, target = 10, current = 3 , confidence = 0.7 , checkins = [{ date = 2026-10-20, value = 4, note = \"n\" }] },\n  { id = \"b\", title = \"B\", done = false , checkins = [{ date = 2026-10-21, value = true }] },\n]\n"
    );
    let json = repo.goalpost(&["check", "--format", "json"]).json();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{json}");
}
