//! Committing files' new content on HEAD, for `checkin --commit` (one file, or several for
//! a batch: one commit either way), with the `git` binary: `git commit` honours the user's
//! identity (`GIT_AUTHOR_*`, `GIT_COMMITTER_*`, config), hooks and signing. The commit is
//! built in a private index holding HEAD's tree plus the new blobs, so nothing else the user
//! staged or edited is swept in; afterwards only those files' entries of the user's index
//! are updated. HEAD moves only from the commit the caller read: a change that landed
//! meanwhile is never reverted.

use crate::error::Error;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Where a goal root sits in a git checkout.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The work tree's top folder; every git command runs there.
    top: PathBuf,
    /// This work tree's git folder (per worktree: its HEAD and index live there).
    pub git_dir: PathBuf,
    /// The user's index file (`GIT_INDEX_FILE` when set).
    index: PathBuf,
    /// The goal root relative to `top`, `/`-separated with a trailing `/` (or empty).
    prefix: String,
}

/// One file as HEAD and the user's index hold it, read before the edit is planned.
#[derive(Debug, Clone)]
pub struct FileAtHead {
    /// The commit HEAD pointed to; the check-in commit must have exactly this parent.
    pub head: String,
    /// The file's path from the work tree's top.
    pub path: String,
    mode: String,
    /// HEAD's content of the file.
    pub bytes: Vec<u8>,
    /// The index content when it differs from HEAD (the user staged changes in this file).
    pub staged: Option<Vec<u8>>,
    staged_mode: String,
}

/// A check-in commit that landed.
#[derive(Debug, Clone)]
pub struct Committed {
    pub id: String,
    /// A file still differs from the new HEAD (the user's own changes, left uncommitted).
    pub other_changes_left: bool,
}

/// One file of a commit: as read at HEAD, its new content, and (when the user had staged
/// changes in it) the new content of its index entry.
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    pub file: &'a FileAtHead,
    pub content: &'a [u8],
    pub staged: Option<&'a [u8]>,
}

impl Committed {
    /// The commit's short id.
    pub fn short(&self) -> &str {
        super::short_id(&self.id)
    }
}

/// Finds the git checkout holding `root`.
pub fn locate(root: &Path) -> Result<Checkout, Error> {
    let out = run(
        git(root).args([
            "rev-parse",
            "--show-toplevel",
            "--absolute-git-dir",
            "--git-path",
            "index",
            "--show-prefix",
        ]),
        None,
    )?;
    let lines: Vec<&str> = out.split('\n').collect();
    let [top, git_dir, index, prefix, ..] = lines.as_slice() else {
        return Err(Error::git(format!(
            "unexpected `git rev-parse` output: {out:?}"
        )));
    };
    Ok(Checkout {
        top: PathBuf::from(top),
        git_dir: PathBuf::from(git_dir),
        index: root.join(index),
        prefix: (*prefix).to_string(),
    })
}

impl Checkout {
    /// The work tree's top folder.
    pub fn top(&self) -> &Path {
        &self.top
    }

    /// The goal root relative to the top, `/`-separated with a trailing `/` (or empty).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Reads the file `rel` (relative to the goal root) at HEAD and in the user's index.
    pub fn file_at_head(&self, rel: &str) -> Result<FileAtHead, Error> {
        let path = format!("{}{rel}", self.prefix);
        let head = self.head()?.ok_or_else(|| {
            Error::Usage(format!(
                "the repository has no commits yet: commit {rel} first, then check in with --commit"
            ))
        })?;
        let listed = self.run(&["ls-tree", "-z", &head, "--", &path], None)?;
        let (mode, blob) = entry(&listed, 2).ok_or_else(|| {
            Error::Usage(format!(
                "{rel} is not committed yet: commit it first, then check in with --commit (a check-in commit holds the check-in alone)"
            ))
        })?;
        if mode != "100644" && mode != "100755" {
            return Err(Error::Usage(format!(
                "{rel} is not a regular file in HEAD (mode {mode}): refusing to commit it"
            )));
        }
        let bytes = self.blob(&blob)?;
        let staged_list = self.run(&["ls-files", "-s", "-z", "--", &path], None)?;
        let entries: Vec<&str> = staged_list.split('\0').filter(|e| !e.is_empty()).collect();
        let (staged_mode, staged_blob) = match entries.as_slice() {
            [one] => entry(one, 1).ok_or_else(|| Error::git(format!("unexpected index entry {one:?}")))?,
            [] => {
                return Err(Error::Usage(format!(
                    "{rel} is staged for deletion: unstage that (`git restore --staged {rel}`) or check in without --commit"
                )))
            }
            _ => {
                return Err(Error::Usage(format!(
                    "{rel} has a merge conflict: resolve it first, or check in without --commit"
                )))
            }
        };
        let staged = if staged_blob == blob {
            None
        } else {
            Some(self.blob(&staged_blob)?)
        };
        Ok(FileAtHead {
            head,
            path,
            mode,
            bytes,
            staged,
            staged_mode,
        })
    }

    /// Commits `content` as the new version of `file` on top of `file.head`, with `message`.
    /// `staged` is the new content of the file's index entry when the user had staged
    /// changes in it (their changes plus the check-in); otherwise the entry becomes the
    /// committed content.
    pub fn commit_file(
        &self,
        file: &FileAtHead,
        content: &[u8],
        staged: Option<&[u8]>,
        message: &str,
    ) -> Result<Committed, Error> {
        let one = NewVersion {
            file,
            content,
            staged,
        };
        self.commit_files(&[one], message)
    }

    /// Commits the new versions of several files in one commit on top of the HEAD they
    /// were all read at, with the same guarantees as [`Checkout::commit_file`].
    pub fn commit_files(&self, versions: &[NewVersion], message: &str) -> Result<Committed, Error> {
        let Some(first) = versions.first() else {
            return Err(Error::Internal("a commit of no files".into()));
        };
        let head = first.file.head.clone();
        if versions.iter().any(|v| v.file.head != head) {
            return Err(landed(Some(&first.file.head)));
        }
        let scratch = ScratchIndex::new(self)?;
        let with = |args: &[&str]| {
            run(
                self.git().args(args).env("GIT_INDEX_FILE", &scratch.path),
                None,
            )
        };
        with(&["read-tree", "--reset", &head])?;
        for v in versions {
            let blob = self.run(
                &["hash-object", "-w", "--no-filters", "--stdin"],
                Some(v.content),
            )?;
            with(&[
                "update-index",
                "--cacheinfo",
                &format!("{},{},{}", v.file.mode, blob.trim_end(), v.file.path),
            ])?;
        }
        self.ensure_head_is(&head)?;
        let status = self
            .git()
            .args(["commit", "--quiet", "--message", message])
            .env("GIT_INDEX_FILE", &scratch.path)
            .stdout(Stdio::from(std::io::stderr()))
            .stderr(Stdio::piped())
            .output()
            .map_err(spawn_error)?;
        if !status.status.success() {
            self.ensure_head_is(&head)?;
            return Err(Error::Usage(format!(
                "git commit failed, so nothing was committed:\n{}",
                String::from_utf8_lossy(&status.stderr).trim_end()
            )));
        }
        // What the hooks said on success is the user's to read.
        let _ = std::io::stderr().write_all(&status.stderr);
        let id = self.verify_parent(&head, || Ok(with(&["write-tree"])?.trim_end().to_string()))?;
        drop(scratch);
        let mut other_changes_left = false;
        for v in versions {
            let committed_blob =
                self.run(&["rev-parse", &format!("{id}:{}", v.file.path)], None)?;
            self.update_user_index(v.file, committed_blob.trim_end(), v.staged)?;
            other_changes_left |= !self
                .git()
                .args(["diff", "--quiet", "HEAD", "--", &v.file.path])
                .status()
                .map_err(spawn_error)?
                .success();
        }
        Ok(Committed {
            id,
            other_changes_left,
        })
    }

    /// The commit HEAD points to, or `None` on an unborn branch.
    fn head(&self) -> Result<Option<String>, Error> {
        let out = self
            .git()
            .args(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
            .output()
            .map_err(spawn_error)?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_string()))
    }

    /// Fails with the retry message when HEAD no longer points to `expected`.
    fn ensure_head_is(&self, expected: &str) -> Result<(), Error> {
        match self.head()? {
            Some(now) if now == expected => Ok(()),
            now => Err(landed(now.as_deref())),
        }
    }

    /// Checks the new HEAD's parent is the commit the check-in was built on. `git commit`
    /// moves HEAD only from the commit it read when it started; if another commit landed
    /// just before that, the check-in's tree would revert it, so HEAD is put back on that
    /// commit (only if it still points at the check-in) and the run fails.
    /// Returns the new commit. `tree` gives the tree the check-in was built as (only
    /// needed when HEAD's parent is not the expected one).
    fn verify_parent(
        &self,
        expected: &str,
        tree: impl FnOnce() -> Result<String, Error>,
    ) -> Result<String, Error> {
        let out = self.run(&["rev-parse", "HEAD", "HEAD^{tree}", "HEAD^"], None)?;
        let ids: Vec<&str> = out.lines().collect();
        let [id, head_tree, parent] = ids.as_slice() else {
            return Err(Error::git(format!(
                "unexpected `git rev-parse` output: {out:?}"
            )));
        };
        if *parent == expected {
            return Ok((*id).to_string());
        }
        if *head_tree == tree()? {
            self.run(
                &[
                    "update-ref",
                    "-m",
                    "goalpost: withdraw a check-in that raced another commit",
                    "HEAD",
                    parent,
                    id,
                ],
                None,
            )?;
            return Err(landed(Some(parent)));
        }
        Err(Error::git(format!(
            "HEAD moved to {id} while the check-in was being committed: check `git log` and `git status`"
        )))
    }

    /// Points the user's index entry for the file at its new content, so the check-in does
    /// not show as a staged revert. Retries while another git command holds `index.lock`.
    fn update_user_index(
        &self,
        file: &FileAtHead,
        committed_blob: &str,
        staged: Option<&[u8]>,
    ) -> Result<(), Error> {
        let info = match staged {
            Some(bytes) => {
                let blob = self.run(
                    &["hash-object", "-w", "--no-filters", "--stdin"],
                    Some(bytes),
                )?;
                format!("{},{},{}", file.staged_mode, blob.trim_end(), file.path)
            }
            None => format!("{},{committed_blob},{}", file.mode, file.path),
        };
        let mut last = String::new();
        for _ in 0..200 {
            let out = run_raw(
                self.git()
                    .args(["update-index", "--cacheinfo", &info])
                    .env("GIT_INDEX_FILE", &self.index),
                None,
            )?;
            if out.status.success() {
                return Ok(());
            }
            last = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Err(Error::git(format!(
            "the check-in was committed, but the index could not be updated ({last}); run `git reset -q -- {}` once no other git command runs",
            file.path
        )))
    }

    fn blob(&self, id: &str) -> Result<Vec<u8>, Error> {
        let out = run_raw(self.git().args(["cat-file", "blob", id]), None)?;
        if !out.status.success() {
            return Err(Error::git(format!("cannot read blob {id}")));
        }
        Ok(out.stdout)
    }

    fn git(&self) -> Command {
        git(&self.top)
    }

    fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Result<String, Error> {
        run(self.git().args(args), stdin)
    }
}

/// The clear error for a HEAD that moved under the check-in.
fn landed(now: Option<&str>) -> Error {
    let now = now.map_or_else(|| "nothing".to_string(), |n| super::short_id(n).to_string());
    Error::Usage(format!(
        "another change landed on HEAD (now {now}) while the check-in was being made; nothing was committed and the file is unchanged: run the check-in again"
    ))
}

/// `<mode> SP [<type> SP] <id> ...`: the mode and the id of an `ls-tree` (`id_at` 2) or
/// `ls-files -s` (`id_at` 1) line.
fn entry(line: &str, id_at: usize) -> Option<(String, String)> {
    let head = line.split(['\t', '\0']).next()?;
    let fields: Vec<&str> = head.split(' ').collect();
    Some((fields.first()?.to_string(), fields.get(id_at)?.to_string()))
}

/// A private index file in the git folder, removed when dropped.
struct ScratchIndex {
    path: PathBuf,
}

impl ScratchIndex {
    /// A copy of the user's index (so unchanged entries keep their file stat data and
    /// `git commit` need not re-read the work tree), later reset to HEAD's tree.
    fn new(co: &Checkout) -> Result<Self, Error> {
        let path = co
            .git_dir
            .join(format!("goalpost-index-{}", std::process::id()));
        let scratch = ScratchIndex { path };
        match std::fs::copy(&co.index, &scratch.path) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&co.index, e)),
        }
        Ok(scratch)
    }
}

impl Drop for ScratchIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `git` in `dir`, with paths taken literally (a goal file name is not a pattern).
fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_LITERAL_PATHSPECS", "1")
        .stdin(Stdio::null());
    cmd
}

fn spawn_error(e: std::io::Error) -> Error {
    Error::git(format!("cannot run git: {e}"))
}

fn run_raw(cmd: &mut Command, stdin: Option<&[u8]>) -> Result<Output, Error> {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(spawn_error)?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes)
            .map_err(|e| Error::git(format!("cannot write to git: {e}")))?;
    }
    child.wait_with_output().map_err(spawn_error)
}

/// Runs git and returns its standard output, or an error quoting git's message.
fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Result<String, Error> {
    let out = run_raw(cmd, stdin)?;
    if !out.status.success() {
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return Err(Error::git(format!(
            "`git {}` failed: {}",
            args.first().map_or("", String::as_str),
            String::from_utf8_lossy(&out.stderr).trim_end()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
