//! Unit tests of folder replacement on real temporary folders.

use super::*;

fn put(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(unix)]
/// A process id that no process has (a child that has exited and been reaped).
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

// A path through a missing folder and `..` resolves to the folder it names before any check.
#[test]
fn resolve_goes_through_missing_folder_and_dotdot() {
    let tmp = tempfile::tempdir().unwrap();
    put(&tmp.path().join("user/notes.txt"), "precious");
    let resolved = resolve(&tmp.path().join("missing/../user")).unwrap();
    assert_eq!(resolved, tmp.path().canonicalize().unwrap().join("user"));
    let err = guard(&resolved, &SITE).unwrap_err();
    assert!(err.to_string().contains("refusing to replace"), "{err}");
}

// `.`, `..` and roots are not folder names goalpost may replace, and neither is `x/.`:
// joined to the folder goalpost runs in, `.` would otherwise name that folder itself.
#[test]
fn resolve_refuses_dot_dotdot_and_root() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in [
        PathBuf::from("."),
        tmp.path().join(".."),
        PathBuf::from("/"),
    ] {
        assert!(resolve(&bad).is_err(), "{}", bad.display());
    }
    assert!(resolve(&tmp.path().join("out/.")).is_err());
    assert!(resolve(&tmp.path().join("out/./")).is_err());
    let plain = resolve(&tmp.path().join("out/")).unwrap();
    assert_eq!(plain, tmp.path().canonicalize().unwrap().join("out"));
}

// Files, links and foreign folders are refused; missing, empty and marked folders are not.
#[test]
fn guard_refuses_everything_not_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    put(&t.join("file"), "x");
    put(&t.join("foreign/a"), "x");
    put(&t.join("marked/.goalpost-site"), "x");
    std::fs::create_dir(t.join("empty")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(t.join("marked"), t.join("link")).unwrap();
        assert!(guard(&t.join("link"), &SITE).is_err());
    }
    assert!(guard(&t.join("file"), &SITE).is_err());
    assert!(guard(&t.join("foreign"), &SITE).is_err());
    assert!(
        guard(&t.join("marked"), &DEMO).is_err(),
        "a site is not a demo"
    );
    for ok in ["missing", "empty", "marked"] {
        guard(&t.join(ok), &SITE).unwrap();
    }
}

// A rebuild replaces the whole old tree and leaves no staging folder behind.
#[test]
fn rebuild_replaces_old_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    let first = Staged::begin(&target, &SITE).unwrap();
    put(&first.dir().join("old.html"), "old");
    let made = first.finish().unwrap();
    assert_eq!(made, tmp.path().canonicalize().unwrap().join("out"));
    let second = Staged::begin(&target, &SITE).unwrap();
    put(&second.dir().join("new.html"), "new");
    second.finish().unwrap();
    assert_eq!(names(&target), [".goalpost-site", "new.html"]);
    assert_eq!(names(tmp.path()), ["out"]);
}

// A foreign folder that appears at the target during the build is refused and kept.
#[test]
fn target_that_changes_during_build_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    let staged = Staged::begin(&target, &SITE).unwrap();
    put(&target.join("notes.txt"), "precious");
    let err = staged.finish().unwrap_err();
    assert!(err.to_string().contains("refusing to replace"), "{err}");
    assert_eq!(
        std::fs::read_to_string(target.join("notes.txt")).unwrap(),
        "precious"
    );
    assert_eq!(names(tmp.path()), ["out"], "the staging folder is removed");
}

// The two-rename fallback (other platforms, file systems without RENAME_EXCHANGE) also
// replaces the old tree and removes it.
#[test]
fn fallback_swap_replaces_old_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    put(&target.join(".goalpost-site"), "x");
    put(&target.join("old.html"), "old");
    let mut staged = Staged::begin(&target, &SITE).unwrap();
    put(&staged.dir().join("new.html"), "new");
    staged.replace_in_two_renames().unwrap();
    staged.done = true;
    assert_eq!(names(&target), [".goalpost-site", "new.html"]);
    assert_eq!(names(tmp.path()), ["out"]);
}

// The fallback never deletes a foreign folder that slipped in before the swap.
#[test]
fn fallback_swap_keeps_foreign_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("out");
    let staged = Staged::begin(&target, &SITE).unwrap();
    put(&target.join("notes.txt"), "precious");
    assert!(staged.replace_in_two_renames().is_err());
    assert_eq!(names(&target), ["notes.txt"]);
}

// Leftovers of dead runs that carry a marker are removed; unmarked ones, look-alikes and
// those of running processes are kept.
#[cfg(unix)]
#[test]
fn only_marked_leftovers_of_dead_runs_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (dead, alive) = (dead_pid(), std::os::unix::process::parent_id());
    put(&t.join(format!(".out.partial-{dead}/.goalpost-site")), "x");
    put(&t.join(format!(".out.old-{dead}/.git/goalpost-demo")), "x");
    put(
        &t.join(format!(".out.partial-{}/notes.txt", dead + 1)),
        "user",
    );
    put(&t.join(format!(".out.partial-{alive}/.goalpost-site")), "x");
    put(&t.join(format!(".out.partial-{dead}x/.goalpost-site")), "x");
    put(
        &t.join(format!(".other.partial-{dead}/.goalpost-site")),
        "x",
    );
    let staged = Staged::begin(&t.join("out"), &SITE).unwrap();
    drop(staged);
    let mut kept = vec![
        format!(".other.partial-{dead}"),
        format!(".out.partial-{}", dead + 1),
        format!(".out.partial-{alive}"),
        format!(".out.partial-{dead}x"),
    ];
    kept.sort();
    assert_eq!(names(t), kept);
}

// The marker is in the staging folder from the start, so a killed run's folder is known.
#[test]
fn staging_folder_is_marked_first() {
    let tmp = tempfile::tempdir().unwrap();
    let staged = Staged::begin(&tmp.path().join("out"), &DEMO).unwrap();
    assert!(is_marked(staged.dir(), &DEMO));
    assert!(staged
        .dir()
        .ends_with(format!(".out.partial-{}", std::process::id())));
}
