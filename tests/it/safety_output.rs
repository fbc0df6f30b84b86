//! Output folders never destroy user data (issue 9, section 1) and `new` writes atomically
//! (section 10): `site --out`, `demo --out` and `bench --keep` on real folders, killed runs,
//! leftovers, and a full disk.

use crate::support::{goalpost_command, TestRepo};
use std::path::Path;
use std::process::Command;

/// A goal repository with one committed objective, enough for a site.
fn goal_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    repo.write(
        "goals/2026-Q4/team/fast.md",
        crate::support::objective("Be fast", ""),
    );
    repo.commit_all("plan", "2026-10-01T09:00:00Z");
    repo
}

/// A git repository of the user's with a commit and uncommitted work, at `rel`.
fn user_repository(repo: &TestRepo, rel: &str) -> std::path::PathBuf {
    let dir = repo.path().join(rel);
    std::fs::create_dir_all(&dir).unwrap();
    let user = TestRepo::at(&dir);
    user.init_git();
    user.write("work.txt", "committed\n");
    user.commit_as("U", "u@example.test", "mine", "2026-10-01T09:00:00Z");
    std::fs::write(dir.join("work.txt"), "uncommitted work\n").unwrap();
    std::fs::write(dir.join("new.txt"), "untracked work\n").unwrap();
    dir
}

/// The user's uncommitted work is exactly as `user_repository` left it.
fn assert_work_survives(dir: &Path) {
    let read = |name| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read("work.txt"), "uncommitted work\n");
    assert_eq!(read("new.txt"), "untracked work\n");
    assert!(dir.join(".git/HEAD").is_file());
}

/// Names in `dir` that look like staging folders of the target `name`.
fn staging_leftovers(dir: &Path, name: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

// `site --out build/../userdata`, with `build` missing, resolves to `userdata` before the
// check, so the user's folder is refused, not deleted.
#[test]
fn site_out_through_dotdot_never_deletes_user_folder() {
    let repo = goal_repo();
    repo.write("userdata/notes.txt", "precious");
    let run = repo.goalpost(&["site", "--out", "build/../userdata"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(repo.read("userdata/notes.txt"), "precious");
    assert!(staging_leftovers(repo.path(), "userdata").is_empty());
}

// `demo --out tmp/../myrepo`, with `tmp` missing, never replaces the user's repository.
#[test]
fn demo_out_through_dotdot_never_deletes_user_repository() {
    let dir = TestRepo::empty();
    let mine = user_repository(&dir, "myrepo");
    let run = dir.goalpost(&["demo", "--out", "tmp/../myrepo"]);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_work_survives(&mine);
    assert!(staging_leftovers(dir.path(), "myrepo").is_empty());
}

// `bench --keep tmp/../work` never runs git in, resets or replaces an existing repository
// with uncommitted work.
#[test]
fn bench_keep_through_dotdot_never_resets_user_repository() {
    let dir = TestRepo::empty();
    let work = user_repository(&dir, "work");
    let args = ["bench", "--commits", "50", "--runs", "1", "--keep"];
    let run = dir.goalpost(&[&args[..], &["tmp/../work"]].concat());
    run.expect_code(2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_work_survives(&work);
    // The same for the folder named directly, and for a non-empty plain folder.
    dir.goalpost(&[&args[..], &["work"]].concat())
        .expect_code(2);
    dir.write("plain/notes.txt", "precious");
    dir.goalpost(&[&args[..], &["plain"]].concat())
        .expect_code(2);
    assert_eq!(dir.read("plain/notes.txt"), "precious");
    assert_work_survives(&work);
}

// `bench --keep` replaces a repository it made itself, and nothing is left beside it.
#[test]
fn bench_keep_replaces_only_its_own_repository() {
    let dir = TestRepo::empty();
    let args = ["bench", "--commits", "50", "--runs", "1", "--keep", "synth"];
    dir.goalpost(&args).expect_code(0);
    assert!(dir.path().join("synth/.git/goalpost-bench").is_file());
    dir.write("synth/stale.txt", "from the first run");
    dir.goalpost(&args).expect_code(0);
    assert!(!dir.path().join("synth/stale.txt").exists());
    assert!(staging_leftovers(dir.path(), "synth").is_empty());
}

// bench's temporary repository comes from a fresh temporary folder and goes away with it;
// what was in $TMPDIR stays untouched.
#[test]
fn bench_temp_folder_never_touches_existing_folders() {
    let dir = TestRepo::empty();
    let tmp = dir.path().join("tmp");
    dir.write("tmp/goalpost-bench-1/notes.txt", "precious");
    let run = goalpost_command(dir.path(), &["bench", "--commits", "50", "--runs", "1"])
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert_eq!(names.len(), 1, "only the user's folder is left");
    assert_eq!(dir.read("tmp/goalpost-bench-1/notes.txt"), "precious");
}

// A symbolic link or a file at the target is refused, even when the link points at a site.
#[cfg(unix)]
#[test]
fn site_out_never_replaces_a_link_or_a_file() {
    let repo = goal_repo();
    repo.goalpost(&["site", "--out", "real"]).expect_code(0);
    std::os::unix::fs::symlink(repo.path().join("real"), repo.path().join("link")).unwrap();
    let run = repo.goalpost(&["site", "--out", "link"]);
    run.expect_code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(repo.path().join("link").is_symlink());
    repo.write("file", "precious");
    repo.goalpost(&["site", "--out", "file"]).expect_code(2);
    assert_eq!(repo.read("file"), "precious");
}

// Staging folders of dead runs are removed when they carry goalpost's marker; folders
// without it, and those of a running process, are kept.
#[cfg(unix)]
#[test]
fn site_cleans_only_marked_leftovers() {
    let repo = goal_repo();
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let alive = std::process::id();
    repo.write(&format!(".site.partial-{dead}/.goalpost-site"), "");
    repo.write(&format!(".site.old-{dead}/.goalpost-site"), "");
    repo.write(&format!(".site.old-{}/notes.txt", dead + 1), "user");
    repo.write(&format!(".site.partial-{alive}/.goalpost-site"), "");
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    let mut left = staging_leftovers(repo.path(), "site");
    left.sort();
    let mut kept = vec![
        format!(".site.old-{}", dead + 1),
        format!(".site.partial-{alive}"),
    ];
    kept.sort();
    assert_eq!(left, kept);
    assert_eq!(
        repo.read(&format!(".site.old-{}/notes.txt", dead + 1)),
        "user"
    );
}

// A rebuild swaps the whole new tree in: files of the old site are gone, nothing is left
// beside it.
#[test]
fn site_rebuild_replaces_old_site_without_leftovers() {
    let repo = goal_repo();
    repo.goalpost(&["site", "--out", "out/site"]).expect_code(0);
    repo.write("out/site/stale.html", "old");
    repo.goalpost(&["site", "--out", "out/site"]).expect_code(0);
    assert!(repo.path().join("out/site/index.html").is_file());
    assert!(!repo.path().join("out/site/stale.html").exists());
    let names: Vec<_> = std::fs::read_dir(repo.path().join("out"))
        .unwrap()
        .collect();
    assert_eq!(names.len(), 1);
}

// Killing `site` at any moment never leaves no site; the next run cleans what killed runs
// left, and anything left unmarked is empty (a kill right after creating the folder).
#[test]
fn killed_site_builds_never_leave_no_site() {
    let repo = goal_repo();
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    for i in 0..12u64 {
        let mut child = goalpost_command(repo.path(), &["site", "--out", "site"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(i * 4));
        let _ = child.kill();
        child.wait().unwrap();
        assert!(repo.path().join("site/index.html").is_file(), "kill {i}");
    }
    repo.goalpost(&["site", "--out", "site"]).expect_code(0);
    for name in staging_leftovers(repo.path(), "site") {
        let path = repo.path().join(&name);
        let marked = path.join(".goalpost-site").exists();
        let empty = std::fs::read_dir(&path).unwrap().next().is_none();
        assert!(!marked && empty, "{name} was left behind");
    }
}

// On a full disk (a file size limit of 0), `new` fails without leaving an empty goal file,
// so the retry succeeds.
#[cfg(unix)]
#[test]
fn new_on_full_disk_leaves_no_empty_goal_file() {
    let repo = TestRepo::new();
    let args = ["new", "objective", "team/x", "--period", "2026-Q4"];
    let plain = goalpost_command(repo.path(), &args);
    // SIGXFSZ ignored: writes past the limit fail with EFBIG, as on a full disk.
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(plain.get_program())
        .args(plain.get_args());
    for (key, value) in plain.get_envs() {
        match value {
            Some(v) => limited.env(key, v),
            None => limited.env_remove(key),
        };
    }
    let run = limited.output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let goals = repo.path().join("goals/2026-Q4/team");
    let left: Vec<_> = std::fs::read_dir(&goals)
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    repo.goalpost(&args).expect_code(0);
    repo.goalpost(&["check"]).expect_code(0);
}

// `site --out .` (and `-C repo site --out ../repo`) name the repository itself: refused,
// even when the repository commits a site marker at its root, so `.git` and unpushed
// commits are never deleted.
#[test]
fn site_out_dot_never_deletes_the_repository() {
    let repo = goal_repo();
    repo.write(".goalpost-site", "planted by a pull request\n");
    repo.commit_all("marker", "2026-10-02T09:00:00Z");
    let parent_route = format!("../{}", repo.path().file_name().unwrap().to_string_lossy());
    for out in [".", "./", parent_route.as_str()] {
        let run = repo.goalpost(&["site", "--out", out]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("refusing") || run.stderr.contains("must end in a folder name"),
            "{out}: {}",
            run.stderr
        );
        assert!(repo.path().join(".git/HEAD").is_file(), "{out}");
        assert!(
            repo.path().join("goals/2026-Q4/team/fast.md").is_file(),
            "{out}"
        );
    }
}

// A marker committed into a folder says nothing about who made it: a site build there is
// refused while the folder holds work git cannot give back, and allowed once it does not.
#[test]
fn committed_marker_never_lets_site_delete_uncommitted_work() {
    let repo = goal_repo();
    repo.write("docs/handbook/.goalpost-site", "planted\n");
    repo.write("docs/handbook/intro.md", "committed page\n");
    repo.commit_all("handbook", "2026-10-02T09:00:00Z");
    repo.write("docs/handbook/draft.md", "uncommitted draft\n");
    let run = repo.goalpost(&["site", "--out", "docs/handbook"]);
    run.expect_code(2);
    assert!(run.stderr.contains("draft.md"), "{}", run.stderr);
    assert_eq!(repo.read("docs/handbook/draft.md"), "uncommitted draft\n");
    // Everything committed: git can restore it, so a committed site folder may be rebuilt.
    std::fs::remove_file(repo.path().join("docs/handbook/draft.md")).unwrap();
    repo.goalpost(&["site", "--out", "docs/handbook"])
        .expect_code(0);
    assert!(repo.path().join("docs/handbook/index.html").is_file());
}
