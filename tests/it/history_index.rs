//! The history index (`<git dir>/goalpost/`): output is byte-identical with and without it,
//! after history rewrites too; a corrupt or foreign entry is never trusted; a git dir that
//! cannot hold it works without it; `cache clear` and `--no-cache` do what they say.

use crate::support::{run_in, Objective, TestRepo};
use std::path::{Path, PathBuf};

const OBJ: &str = "goals/2026-Q4/t/a.md";

fn objective(current: f64) -> String {
    Objective::new("Ship it")
        .metric("k", "K from 0 to 10", 0.0, 10.0, current)
        .milestone("m", "Milestone", current > 5.0)
        .to_string()
}

fn repo_with_checkins(n: usize) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_git();
    for i in 0..n {
        repo.write(OBJ, objective(i as f64));
        repo.write("README.md", format!("noise {i}\n"));
        repo.commit_all(
            &format!("checkin {i}"),
            &format!("2026-10-{:02}T09:00:00Z", i + 1),
        );
    }
    repo
}

fn index_dir(root: &Path) -> PathBuf {
    root.join(".git").join("goalpost")
}

fn index_files(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(index_dir(root)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

/// The outputs compared: status, log and history as JSON.
const COMMANDS: &[&[&str]] = &[
    &["status", "--format", "json"],
    &["log", "--format", "json"],
    &["history", "t/a", "--format", "json"],
];

/// Every command's output with `extra` flags; each must succeed.
fn outputs(root: &Path, extra: &[&str]) -> Vec<String> {
    COMMANDS
        .iter()
        .map(|args| {
            let mut args = args.to_vec();
            args.extend_from_slice(extra);
            let run = run_in(root, &args);
            run.expect_code(0);
            run.stdout
        })
        .collect()
}

/// Asserts that the indexed output (cold, then warm) equals the output without the index.
fn assert_same_with_and_without_index(root: &Path) {
    assert_same_for(root, COMMANDS);
}

/// [`assert_same_with_and_without_index`] for the given commands.
fn assert_same_for(root: &Path, commands: &[&[&str]]) {
    let plain = outputs_of(root, commands, &["--no-cache"]);
    let cold = outputs_of(root, commands, &[]);
    assert!(!index_files(root).is_empty(), "the index was written");
    let warm = outputs_of(root, commands, &[]);
    assert_eq!(cold, plain, "output while writing the index");
    assert_eq!(warm, plain, "output read from the index");
}

// The index changes no byte of status, log or history, cold or warm.
#[test]
fn index_changes_no_output() {
    let repo = repo_with_checkins(6);
    assert_same_with_and_without_index(repo.path());
}

// Amending, rebasing and resetting to an older commit then committing anew never shows a
// history that is no longer the branch's.
#[test]
fn history_rewrite_never_shows_stale_index() {
    let repo = repo_with_checkins(5);
    assert_same_with_and_without_index(repo.path());
    // Amend: the head commit is replaced by one with another value.
    repo.write(OBJ, objective(9.0));
    crate::support::git_at(
        repo.path(),
        &["commit", "-a", "--amend", "-m", "amended"],
        "2026-10-05T10:00:00Z",
    );
    assert_same_with_and_without_index(repo.path());
    // Force-reset to an older commit, then new commits on top.
    repo.git(&["reset", "--hard", "HEAD~2"]);
    assert_same_with_and_without_index(repo.path());
    repo.write(OBJ, objective(2.5));
    repo.commit_all("after reset", "2026-10-20T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
    // Rebase: a side branch's commits replayed onto a main that moved on.
    repo.switch("side");
    repo.write(
        "goals/2026-Q4/t/b.md",
        Objective::new("Other")
            .metric("x", "X", 0.0, 4.0, 1.0)
            .to_string(),
    );
    repo.commit_all("side work", "2026-10-21T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
    repo.switch("main");
    repo.write(OBJ, objective(3.5));
    repo.commit_all("main moves", "2026-10-22T09:00:00Z");
    repo.switch("side");
    crate::support::git_at(repo.path(), &["rebase", "main"], "2026-10-23T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
}

// A truncated, bit-flipped or foreign index file is ignored and rewritten, never trusted.
#[test]
fn corrupt_index_is_ignored_and_rebuilt() {
    let repo = repo_with_checkins(4);
    let plain = outputs(repo.path(), &["--no-cache"]);
    outputs(repo.path(), &[]);
    let files = index_files(repo.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let good = std::fs::read(&files[0]).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    // A change that still decodes: the title, which only the checksum catches.
    let mut retitled = good.clone();
    let titles: Vec<usize> = (0..good.len() - 7)
        .filter(|i| &good[*i..*i + 7] == b"Ship it")
        .collect();
    assert!(!titles.is_empty(), "the title is stored");
    for at in titles {
        retitled[at + 6] = b'X';
    }
    // Another commit's entry under this commit's name: a foreign key.
    let old = repo.rev("HEAD~1");
    outputs(repo.path(), &["--rev", &old]);
    let foreign = index_files(repo.path())
        .into_iter()
        .find(|f| *f != files[0])
        .map(|f| std::fs::read(f).unwrap())
        .expect("a second entry");
    for bad in [
        good[..good.len() / 2].to_vec(),
        flipped,
        retitled,
        foreign,
        b"junk".to_vec(),
    ] {
        std::fs::write(&files[0], &bad).unwrap();
        assert_eq!(outputs(repo.path(), &[]), plain);
        let now = std::fs::read(&files[0]).unwrap();
        assert!(now == good, "the entry was not rebuilt");
    }
}

// `--no-cache` neither reads a planted bad entry nor writes one.
#[test]
fn no_cache_neither_reads_nor_writes_index() {
    let repo = repo_with_checkins(3);
    let plain = outputs(repo.path(), &["--no-cache"]);
    assert!(
        index_files(repo.path()).is_empty(),
        "--no-cache wrote the index"
    );
    outputs(repo.path(), &[]);
    let files = index_files(repo.path());
    std::fs::write(&files[0], b"junk").unwrap();
    assert_eq!(outputs(repo.path(), &["--no-cache"]), plain);
    assert_eq!(
        std::fs::read(&files[0]).unwrap(),
        b"junk",
        "--no-cache rewrote it"
    );
}

// A git dir where the index cannot be written (here its folder's name is taken by a file,
// or it is a link elsewhere) works without it, silently, and writes nothing elsewhere.
#[test]
fn unwritable_index_folder_works_without_index() {
    let repo = repo_with_checkins(3);
    let plain = outputs(repo.path(), &["--no-cache"]);
    std::fs::write(index_dir(repo.path()), b"not a folder").unwrap();
    for args in COMMANDS {
        let run = repo.goalpost(args);
        run.expect_code(0);
        assert_eq!(run.stderr, "", "a silent fallback");
    }
    assert_eq!(outputs(repo.path(), &[]), plain);
    std::fs::remove_file(index_dir(repo.path())).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), index_dir(repo.path())).unwrap();
    assert_eq!(outputs(repo.path(), &[]), plain);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

// A read-only git dir (when the test user is bound by permissions) works without the index.
#[test]
fn read_only_git_dir_works_without_index() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo_with_checkins(3);
    let plain = outputs(repo.path(), &["--no-cache"]);
    let git_dir = repo.path().join(".git");
    let mode = std::fs::metadata(&git_dir).unwrap().permissions().mode();
    std::fs::set_permissions(&git_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = outputs(repo.path(), &[]);
    std::fs::set_permissions(&git_dir, std::fs::Permissions::from_mode(mode)).unwrap();
    assert_eq!(out, plain);
}

// `cache clear` removes the index; the next command rebuilds it with the same output.
#[test]
fn cache_clear_removes_index() {
    let repo = repo_with_checkins(3);
    let plain = outputs(repo.path(), &[]);
    assert!(!index_files(repo.path()).is_empty());
    let run = repo.goalpost(&["cache", "clear"]);
    run.expect_code(0);
    assert!(run.stdout.contains("1 file"), "{}", run.stdout);
    assert!(!index_dir(repo.path()).exists());
    repo.goalpost(&["cache", "clear"]).expect_code(0);
    assert_eq!(outputs(repo.path(), &[]), plain);
}

/// Every file under `dir`, relative path -> bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

// The demo repository's status, log and site are byte-identical with and without the index.
#[test]
fn demo_output_and_site_same_with_index() {
    let dir = TestRepo::empty();
    dir.goalpost(&["demo", "--out", "demo"]).expect_code(0);
    let demo = dir.path().join("demo");
    run_in(&demo, &["cache", "clear"]).expect_code(0);
    let plain: Vec<String> = outputs_of(
        &demo,
        &[
            &["status", "--format", "json"],
            &["log", "--format", "json"],
        ],
        &["--no-cache"],
    );
    let cold: Vec<String> = outputs_of(
        &demo,
        &[
            &["status", "--format", "json"],
            &["log", "--format", "json"],
        ],
        &[],
    );
    let warm: Vec<String> = outputs_of(
        &demo,
        &[
            &["status", "--format", "json"],
            &["log", "--format", "json"],
        ],
        &[],
    );
    assert_eq!(cold, plain);
    assert_eq!(warm, plain);
    let site = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["site", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        run_in(&demo, &args).expect_code(0);
        tree(&out)
    };
    let plain_site = site("plain", &["--no-cache"]);
    assert!(!index_files(&demo).is_empty());
    assert_eq!(site("warm", &[]), plain_site);
}

fn outputs_of(root: &Path, commands: &[&[&str]], extra: &[&str]) -> Vec<String> {
    commands
        .iter()
        .map(|args| {
            let mut args = args.to_vec();
            args.extend_from_slice(extra);
            let run = run_in(root, &args);
            run.expect_code(0);
            run.stdout
        })
        .collect()
}

// A synthetic repository (the benchmark's generator) reads the same from the index.
#[test]
fn synthetic_repository_same_with_index() {
    let dir = TestRepo::empty();
    dir.goalpost(&[
        "bench",
        "--commits",
        "400",
        "--runs",
        "1",
        "--keep",
        "synth",
    ])
    .expect_code(0);
    let synth = dir.path().join("synth");
    run_in(&synth, &["cache", "clear"]).expect_code(0);
    let commands: &[&[&str]] = &[
        &["status", "--format", "json"],
        &["log", "--format", "json"],
    ];
    let plain = outputs_of(&synth, commands, &["--no-cache"]);
    assert_eq!(outputs_of(&synth, commands, &[]), plain);
    assert_eq!(outputs_of(&synth, commands, &[]), plain);
}

/// One change to the work tree.
type Step = Box<dyn Fn(&TestRepo)>;

// Commit after commit on an indexed parent (the walk resumes after it): check-ins, a broken
// file and its fix, a configuration change, a KPI, a move, a deletion and a merge all read
// the same as a full walk.
#[test]
fn resumed_walk_matches_full_walk() {
    let repo = repo_with_checkins(2);
    assert_same_with_and_without_index(repo.path());
    let steps: Vec<(&str, Step)> = vec![
        ("checkin", Box::new(|r| drop(r.write(OBJ, objective(7.0))))),
        (
            "broken",
            Box::new(|r| drop(r.write(OBJ, "+++\ntitle = \n"))),
        ),
        ("fixed", Box::new(|r| drop(r.write(OBJ, objective(8.0))))),
        (
            "config",
            Box::new(|r| drop(r.write("goalpost.toml", "[site]\ntitle = \"Renamed\"\n"))),
        ),
        (
            "kpi",
            Box::new(|r| {
                r.write(
                    "kpis/up.toml",
                    "id = \"up\"\ntitle = \"Uptime\"\nvalue = 99.0\n",
                );
            }),
        ),
        ("move", Box::new(|r| r.rename(OBJ, "goals/2026-Q4/u/a.md"))),
        (
            "delete",
            Box::new(|r| std::fs::remove_file(r.path().join("goals/2026-Q4/u/a.md")).unwrap()),
        ),
    ];
    // `history t/a` fails once the objective moved: status and log, plus the KPI's history.
    let commands: &[&[&str]] = &[
        &["status", "--format", "json"],
        &["log", "--format", "json"],
        &["log", "--format", "text"],
    ];
    for (i, (message, step)) in steps.iter().enumerate() {
        step(&repo);
        repo.commit_all(message, &format!("2026-11-{:02}T09:00:00Z", i + 1));
        assert_same_for(repo.path(), commands);
    }
    repo.write(OBJ, objective(1.0));
    repo.commit_all("again", "2026-11-20T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
    repo.switch("topic");
    repo.write(OBJ, objective(4.0));
    repo.commit_as(
        "Bo",
        "bo@example.test",
        "on a branch",
        "2026-11-21T09:00:00Z",
    );
    repo.switch("main");
    repo.merge("topic", "merge topic", "2026-11-22T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
}

// The walk really resumes: with the old history's objects gone, the indexed parent still
// gives the new commit's history, while a full walk cannot read it.
#[test]
fn walk_resumes_after_indexed_parent() {
    let repo = repo_with_checkins(3);
    outputs(repo.path(), &[]);
    let first = repo.rev(&format!("HEAD~2:{OBJ}"));
    let loose = repo
        .path()
        .join(".git/objects")
        .join(&first[..2])
        .join(&first[2..]);
    std::fs::remove_file(&loose).expect("the first version is a loose object");
    repo.write(OBJ, objective(9.0));
    repo.commit_all("new", "2026-10-30T09:00:00Z");
    let run = repo.goalpost(&["log", "--format", "json"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("\"summary\": \"new\""),
        "{}",
        run.stdout
    );
    assert_ne!(
        repo.goalpost(&["log", "--no-cache", "--format", "json"])
            .code,
        0
    );
}

// A resumed walk long enough to store a new entry writes the parts it did not touch back
// as the bytes it read (format 3): an objective untouched since the old entry still reads
// the same from the new entry, cold and warm.
#[test]
fn stored_after_resumed_walk_keeps_untouched_parts() {
    let repo = repo_with_checkins(2);
    repo.write(
        "goals/2026-Q4/t/b.md",
        Objective::new("Other")
            .metric("x", "X from 0 to 4", 0.0, 4.0, 3.0)
            .to_string(),
    );
    repo.commit_all("b", "2026-10-05T09:00:00Z");
    assert_same_with_and_without_index(repo.path());
    let before = index_files(repo.path()).len();
    // More commits than a resumed walk needs before it stores its result (64).
    for i in 0..70 {
        repo.write(OBJ, objective((i % 10) as f64));
        repo.commit_all(
            &format!("checkin {i}"),
            &format!("2026-11-{:02}T{:02}:00:00Z", 1 + i / 20, i % 20),
        );
    }
    let plain = outputs(repo.path(), &["--no-cache"]);
    assert_eq!(
        outputs(repo.path(), &[]),
        plain,
        "output of the resumed walk"
    );
    assert_eq!(index_files(repo.path()).len(), before + 1, "a new entry");
    assert_eq!(
        outputs(repo.path(), &[]),
        plain,
        "output read from the new entry"
    );
}
