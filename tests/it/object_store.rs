//! The history walk reads objects with its own reader (gix's object store with a delta-base
//! cache, `src/history/objects.rs`), not libgit2: its output must not depend on how git
//! stores the objects (loose, packed with delta chains, through alternates), and a damaged
//! pack must give an error, never a panic or a wrong history.

use crate::commit_graph::{history, outputs};
use crate::support::TestRepo;

fn history_repo() -> TestRepo {
    let repo = TestRepo::empty();
    repo.init_git();
    history(&repo, "");
    repo
}

/// Packs every object of `repo` into one pack (no loose object left); its `.pack` file.
fn pack_everything(repo: &TestRepo) -> std::path::PathBuf {
    repo.git(&["repack", "-adq"]);
    repo.git(&["prune-packed"]);
    std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .expect("packs")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack")
}

// History read from loose objects, from deep delta chains in one pack, and from a clone
// that borrows the objects through `objects/info/alternates` is the same.
#[test]
fn packing_or_borrowing_objects_changes_no_history() {
    let repo = history_repo();
    let loose = outputs(&repo, "");
    assert!(loose[0].contains("add b on a branch"), "{}", loose[0]);
    // Everything in one pack, every version a delta of another where git can.
    repo.git(&["repack", "-adfq", "--depth=50", "--window=250"]);
    repo.git(&["prune-packed"]);
    let packs = std::fs::read_dir(repo.path().join(".git/objects/pack")).expect("packs");
    assert!(packs.count() >= 2, "a pack and its index");
    assert_eq!(outputs(&repo, ""), loose, "packed");
    // New commits stay loose on top of the pack.
    let clone = TestRepo::empty();
    let source = repo.path().to_str().expect("utf-8 path");
    let target = clone.path().to_str().expect("utf-8 path");
    crate::support::git(
        repo.path(),
        &[
            "clone", "-q", "--shared", "--branch", "main", source, target,
        ],
    );
    assert!(clone.path().join(".git/objects/info/alternates").exists());
    assert_eq!(outputs(&clone, ""), loose, "objects through alternates");
}

// A pack whose object data is damaged is an error that says so: no panic, no history
// built from garbage.
#[test]
fn damaged_pack_is_an_error_not_a_panic_or_a_wrong_history() {
    let repo = history_repo();
    let pack = pack_everything(&repo);
    let mut bytes = std::fs::read(&pack).expect("pack");
    // Keep the 12-byte header and the trailing checksum; damage every object in between.
    let end = bytes.len() - 20;
    bytes[12..end].iter_mut().for_each(|b| *b = 0xff);
    std::fs::write(&pack, &bytes).expect("write");
    let run = repo.goalpost(&["log", "--no-cache"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("goalpost: error"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

// A work tree whose git dir lives elsewhere (`git clone --separate-git-dir`: a `.git` file
// naming it, no `core.worktree`) showed no goals at all: libgit2, opened from the git dir,
// took that dir's parent for the work tree. History reads the same as before the move.
#[test]
fn separated_git_dir_shows_the_goals_not_nothing() {
    let repo = history_repo();
    let before = outputs(&repo, "");
    // The git dir beside the work tree, as `--separate-git-dir=../x.git` puts it: its parent
    // holds the work tree too (elsewhere, the wrong guess happened to give the right root).
    let beside = repo.path().parent().expect("the work tree's parent");
    let holder = tempfile::Builder::new()
        .suffix(".git")
        .tempdir_in(beside)
        .expect("tempdir");
    let git_dir = holder.path().to_path_buf();
    // Renaming a folder onto an empty one replaces it.
    std::fs::rename(repo.path().join(".git"), &git_dir).expect("move the git dir");
    std::fs::write(
        repo.path().join(".git"),
        format!("gitdir: {}\n", git_dir.display()),
    )
    .expect("write the .git file");
    assert_eq!(outputs(&repo, ""), before);
}

// A truncated pack made every history command say "the repository has no commits yet?":
// the one hint that sends a user the wrong way. An empty repository is still called
// empty; a damaged one says which commit cannot be read.
#[test]
fn damaged_repository_is_not_called_empty() {
    let empty = TestRepo::empty();
    empty.init_git();
    empty.write("goalpost.toml", "");
    let run = empty.goalpost(&["log", "--no-cache"]);
    assert!(run.stderr.contains("no commits yet"), "{}", run.stderr);

    let repo = history_repo();
    let pack = pack_everything(&repo);
    let bytes = std::fs::read(&pack).expect("pack");
    std::fs::write(&pack, &bytes[..bytes.len() / 3]).expect("truncate");
    let run = repo.goalpost(&["log", "--no-cache"]);
    assert_ne!(run.code, 0);
    assert!(!run.stderr.contains("no commits yet"), "{}", run.stderr);
    assert!(run.stderr.contains("which HEAD names"), "{}", run.stderr);
}
