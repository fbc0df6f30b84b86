//! The `git` binary, for the few jobs git2 does not do: `git fast-import` (the bench's
//! synthetic repositories), `git log --raw` (the bench's yardstick) and `git config
//! user.name` (default owners). The check-in commit's use of `git` is in [`super::commit`].
//!
//! Part of `history`, the only git user; may use `error`.

use crate::error::Error;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// `git` run in `dir` on the repository there and nothing else, isolated from the caller's
/// configuration. A `GIT_DIR` or `GIT_WORK_TREE` inherited from the environment would point
/// these commands (`reset --hard` included) at another repository, so they are removed.
pub(crate) fn git_in(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `git args` in `dir`; an error if it cannot run or fails.
fn git(dir: &Path, args: &[&str]) -> Result<(), Error> {
    let out = git_in(dir)
        .args(args)
        .output()
        .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::git(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Makes a new repository in `dir` (branch `main`) from the fast-import stream `write`
/// produces, and checks `main` out.
pub fn fast_import<T>(
    dir: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> Result<T, Error> {
    git(dir, &["init", "-q", "-b", "main"])?;
    let mut child = git_in(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| Error::git(format!("cannot run git fast-import: {e}")))?;
    let stdin = child.stdin.take().ok_or_else(|| Error::git("no stdin"))?;
    let mut out = std::io::BufWriter::new(stdin);
    let result = write(&mut out).map_err(|e| Error::git(format!("fast-import: {e}")))?;
    drop(out);
    let status = child.wait().map_err(|e| Error::git(e.to_string()))?;
    if !status.success() {
        return Err(Error::git("git fast-import failed"));
    }
    git(dir, &["reset", "-q", "--hard", "main"])?;
    Ok(result)
}

/// Runs `git log --raw --no-renames -- <path>` in `root`, output discarded (the bench's
/// yardstick); `commit_graph: false` makes git ignore a commit-graph the repository has.
pub fn log_raw(root: &Path, path: &str, commit_graph: bool) -> Result<(), Error> {
    let graph = if commit_graph {
        "core.commitGraph=true"
    } else {
        "core.commitGraph=false"
    };
    let status = git_in(root)
        .args([
            "-c",
            graph,
            "log",
            "--raw",
            "--no-renames",
            "--format=%H %ct %an",
            "--",
            path,
        ])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| Error::git(format!("cannot run git: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::git("git log failed"))
    }
}

/// Writes a commit-graph with changed-path Bloom filters, as `git maintenance` would.
pub fn write_commit_graph(root: &Path) -> Result<(), Error> {
    git(
        root,
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    )
}

/// The user's name from git configuration (`user.name`), for default owners; `owner` when
/// git or the setting is missing.
pub fn git_user(root: &Path) -> String {
    Command::new("git")
        .args(["config", "user.name"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "owner".into())
}
