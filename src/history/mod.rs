//! History: the only git user. Reads goal files at any revision and walks first-parent
//! history into per-id series of values and field changes; `writer` makes commits, and
//! `commit` commits a check-in with the `git` binary.

mod at;
mod authors;
mod build;
pub mod commit;
mod commit_graph;
mod commits;
pub mod git_cli;
mod index;
mod lazy;
mod objects;
mod raw;
mod snapshot;
mod walk;
mod walk_graph;
pub mod writer;

pub use build::{shallow_error, Entry, History, ItemHistory, Logged, Point, PointValue, Version};
pub use commits::Commits;
pub use lazy::Lazy;
pub use snapshot::TEMPLATES_DIR;

use crate::error::Error;
use crate::load::Loaded;
use git2::{Oid, Repository};
use jiff::Timestamp;
use std::path::{Path, PathBuf};

/// A commit's id. Wraps git's object id so that no git2 type crosses `history`'s border.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RevId(Oid);

impl RevId {
    /// The first 8 hex digits, as reports show commits.
    pub fn short(&self) -> String {
        short_id(&self.0.to_string()).to_string()
    }
}

impl std::fmt::Display for RevId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The first 8 characters of a commit id (all of it when shorter): the one short form.
pub fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// A commit, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommitInfo {
    pub id: String,
    pub time: Timestamp,
    pub author: String,
    pub email: String,
    pub summary: String,
    /// Ids of the parents after the first (a merge's merged heads).
    #[serde(skip)]
    pub merged: Vec<String>,
}

/// A commit's committer time, or an error naming the commit when the time cannot be shown
/// (unreadable, or outside the years -9999 to 9999 that dates are shown in). Never a
/// stand-in such as 1970: a wrong date in an audit trail is worse than none.
pub(crate) fn commit_time(id: &str, seconds: Option<i64>) -> Result<Timestamp, Error> {
    let short = short_id(id);
    let Some(seconds) = seconds else {
        return Err(Error::git(format!(
            "commit {short} has no readable committer date\nhelp: `git cat-file -p {short}` shows the commit; rewrite it with a valid date"
        )));
    };
    Timestamp::from_second(seconds).map_err(|_| {
        Error::git(format!(
            "commit {short} has a committer date ({seconds} seconds after the Unix epoch) outside the years goalpost can show ({} to {})\nhelp: rewrite that commit with a real date, or analyse a history that does not contain it",
            Timestamp::MIN.strftime("%Y-%m-%d"),
            Timestamp::MAX.strftime("%Y-%m-%d"),
        ))
    })
}

impl CommitInfo {
    fn from_commit(c: &git2::Commit) -> Result<Self, Error> {
        let author = c.author();
        let id = c.id().to_string();
        Ok(CommitInfo {
            time: commit_time(&id, Some(c.committer().when().seconds()))?,
            id,
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            summary: c.summary().ok().flatten().unwrap_or_default().to_string(),
            merged: c.parent_ids().skip(1).map(|p| p.to_string()).collect(),
        })
    }

    pub fn short(&self) -> &str {
        short_id(&self.id)
    }
}

/// How to walk history.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Accept a shallow clone whose history is cut, marking the result partial.
    pub allow_shallow: bool,
    /// The walk must reach back to this time (the start of the asked range); `None`: all history.
    pub needed_since: Option<Timestamp>,
    /// Show a progress bar on stderr for long walks (hidden when stderr is not a terminal).
    pub progress: bool,
    /// Neither read nor write the history index.
    pub no_cache: bool,
}

/// History reads each object about once, so libgit2's object cache only costs time, and
/// re-hashing every object read (a corruption check `git log` does not do) doubles the work.
fn tune_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::enable_caching(false);
        git2::opts::strict_hash_verification(false);
    });
}

/// Why a repository could not be opened, in words that name the real cause: git's
/// ownership check (`safe.directory`), an object format libgit2 cannot read, or no
/// repository at all.
/// No ceiling directories: the search for the repository goes up to the file system's root.
const NO_CEILING: [&std::ffi::OsStr; 0] = [];

fn open_error(root: &Path, e: &git2::Error) -> Error {
    if e.code() == git2::ErrorCode::Owner {
        return Error::git(format!(
            "git refuses to open the repository at {}: it is owned by another user\nhelp: if you trust it, run `git config --global --add safe.directory <its path>`",
            root.display()
        ));
    }
    if let Some(format) = root.ancestors().find_map(object_format) {
        return Error::git(format!(
            "the repository holding {} uses the {format} object format, which goalpost cannot read yet\nhelp: use a repository with SHA-1 object ids",
            root.display()
        ));
    }
    Error::Usage(format!(
        "{} is not inside a git repository: goalpost reads progress from git history\nhelp: run `git init` and commit the goal files",
        root.display()
    ))
}

/// The non-default object format (`extensions.objectformat`) of a repository whose
/// `.git` folder is directly in `dir`, if any.
fn object_format(dir: &Path) -> Option<String> {
    let config = git2::Config::open(&dir.join(".git").join("config")).ok()?;
    let format = config.get_string("extensions.objectformat").ok()?;
    (!format.eq_ignore_ascii_case("sha1")).then(|| format.to_uppercase().replace("SHA", "SHA-"))
}

/// A goal root inside a git repository.
pub struct Repo {
    repo: Repository,
    /// The goal root's path inside the work tree, with a trailing `/` (empty at the top).
    prefix: String,
}

impl Repo {
    /// Opens the git repository holding the goal root `root`.
    pub fn open(root: &Path) -> Result<Repo, Error> {
        tune_libgit2();
        // Opened from `root` (searching upwards), not from the git dir that `discover` finds:
        // only then does libgit2 know where a `.git` file (`git clone --separate-git-dir`)
        // stands, which is the work tree. Opened from a git dir elsewhere, it took that
        // dir's parent for the work tree, and the goal root fell outside it: no goals.
        let repo = Repository::open_ext(root, git2::RepositoryOpenFlags::empty(), NO_CEILING)
            .map_err(|e| open_error(root, &e))?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::git("bare repositories are not supported"))?;
        let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(p, e));
        let (root, workdir) = (canon(root)?, canon(workdir)?);
        let rel = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let prefix = if parts.is_empty() {
            String::new()
        } else {
            format!("{}/", parts.join("/"))
        };
        Ok(Repo { repo, prefix })
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn git_dir(&self) -> PathBuf {
        self.repo.path().to_path_buf()
    }

    /// Resolves a revision (`HEAD`, a branch, a tag, a hash, `main~3`) to a commit.
    pub fn resolve(&self, rev: &str) -> Result<RevId, Error> {
        let obj = self
            .repo
            .revparse_single(rev)
            .map_err(|e| self.unresolved(rev, &e))?;
        obj.peel_to_commit()
            .map(|c| RevId(c.id()))
            .map_err(|_| Error::Usage(format!("`{rev}` does not name a commit")))
    }

    /// Why `rev` did not resolve. `HEAD` on a branch with no commit is an empty repository;
    /// `HEAD` naming a commit that cannot be read is a damaged one (a truncated pack, an
    /// unreadable objects folder), and must not be taken for an empty repository.
    fn unresolved(&self, rev: &str, e: &git2::Error) -> Error {
        if rev == "HEAD" {
            match self.repo.head() {
                Err(h) if h.code() == git2::ErrorCode::UnbornBranch => {
                    return Error::Usage(format!(
                        "unknown revision `HEAD` (the repository has no commits yet): {}",
                        e.message()
                    ));
                }
                Ok(head) => {
                    if let Some(id) = head.target() {
                        return Error::git(format!(
                            "cannot read commit {id}, which HEAD names: {}\nhelp: the repository's objects may be damaged or unreadable; `git fsck` says more",
                            e.message()
                        ));
                    }
                }
                Err(_) => {}
            }
        }
        Error::Usage(format!("unknown revision `{rev}`: {}", e.message()))
    }

    pub fn commit_info(&self, id: RevId) -> Result<CommitInfo, Error> {
        CommitInfo::from_commit(&self.repo.find_commit(id.0)?)
    }

    /// Ids of the commits reachable from `head` but not from `base` (a pull request's own).
    pub fn commits_between(
        &self,
        base: RevId,
        head: RevId,
    ) -> Result<std::collections::HashSet<String>, Error> {
        Ok(self.range(base, head)?.iter().map(Oid::to_string).collect())
    }

    /// The commits reachable from `head` but not from `base`. In a shallow clone the walk
    /// stops at the shallow boundary, read from the common git dir: libgit2's own walk
    /// misses a worktree's shallow list and runs into the missing parents.
    fn range(&self, base: RevId, head: RevId) -> Result<std::collections::HashSet<Oid>, Error> {
        let shallow = walk::shallow_boundary(self.repo.commondir());
        if shallow.is_empty() {
            let mut walk = self.repo.revwalk()?;
            walk.push(head.0)?;
            walk.hide(base.0)?;
            return Ok(walk.collect::<Result<_, _>>()?);
        }
        let hidden = self.ancestors(base.0, &shallow)?;
        let mut range = self.ancestors(head.0, &shallow)?;
        range.retain(|id| !hidden.contains(id));
        Ok(range)
    }

    /// `start` and every commit reachable from it, stopping at the shallow boundary.
    fn ancestors(
        &self,
        start: Oid,
        shallow: &std::collections::HashSet<Oid>,
    ) -> Result<std::collections::HashSet<Oid>, Error> {
        let mut seen = std::collections::HashSet::from([start]);
        let mut todo = vec![start];
        while let Some(id) = todo.pop() {
            if shallow.contains(&id) {
                continue;
            }
            for parent in self.repo.find_commit(id)?.parent_ids() {
                if seen.insert(parent) {
                    todo.push(parent);
                }
            }
        }
        Ok(seen)
    }

    /// Whether a shallow clone's boundary cuts the range `base..head`: a commit of the
    /// range whose parents are missing, so the range cannot be told apart from history.
    pub fn range_is_cut(&self, base: RevId, head: RevId) -> Result<bool, Error> {
        let shallow = walk::shallow_boundary(self.repo.commondir());
        Ok(!shallow.is_empty()
            && self
                .range(base, head)?
                .iter()
                .any(|id| shallow.contains(id)))
    }

    /// Whether `head` is a merge whose first parent is `base`: a checkout of GitHub's
    /// synthetic pull-request merge commit (`refs/pull/N/merge`).
    pub fn is_merge_onto(&self, base: RevId, head: RevId) -> Result<bool, Error> {
        let commit = self.repo.find_commit(head.0)?;
        Ok(commit.parent_count() > 1 && commit.parent_id(0).ok() == Some(base.0))
    }

    /// Loads the goal files as they are in commit `oid` (no checks run).
    pub fn load_at(&self, id: RevId) -> Result<Loaded, Error> {
        snapshot::load_at(&self.repo, &self.prefix, id.0)
    }

    /// The files of the goal root's `templates/` folder as committed in `oid` (never the
    /// working tree, and never through a symbolic link: a link is an error naming it).
    pub fn templates_at(
        &self,
        id: RevId,
    ) -> Result<std::collections::BTreeMap<String, Vec<u8>>, Error> {
        snapshot::templates_at(&self.repo, &self.prefix, id.0)
    }

    /// Walks the first-parent history of `head` into series and change logs, or reads it
    /// from the history index when `head` was analysed before, or walks only the commits
    /// after its newest indexed first-parent ancestor (see `index/`).
    pub fn history(&self, head: RevId, options: &WalkOptions) -> Result<History, Error> {
        let index =
            (!options.no_cache).then(|| index::Index::new(self.repo.commondir(), &self.prefix));
        let cached = index.as_ref().and_then(|i| i.load(head.0));
        let mut history = match cached {
            Some((history, _)) => history,
            None => build::build(self, head.0, options, index.as_ref())?,
        };
        if let Some(needed) = options.needed_since {
            history.require_since(needed, options.allow_shallow)?;
        }
        Ok(history)
    }

    /// Removes this repository's history index; returns the number of files removed.
    pub fn clear_index(&self) -> Result<usize, Error> {
        let dir = self.repo.commondir();
        index::clear(dir).map_err(|e| Error::io(&dir.join("goalpost"), e))
    }

    /// Files under `dir` that git could not give back if the folder were replaced: untracked,
    /// ignored or changed ones, as paths relative to the work tree. Empty when `dir` is
    /// outside this repository's work tree.
    pub fn unrecoverable_under(&self, dir: &Path) -> Result<Vec<String>, Error> {
        let Some(rel) = self.work_tree_path(dir) else {
            return Ok(Vec::new());
        };
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(true)
            .recurse_ignored_dirs(true)
            .disable_pathspec_match(false);
        if !rel.is_empty() {
            options.pathspec(format!("{rel}/"));
        }
        let statuses = self.repo.statuses(Some(&mut options))?;
        Ok(statuses
            .iter()
            .filter(|e| e.status() != git2::Status::CURRENT)
            .filter_map(|e| e.path().ok().map(str::to_string))
            .collect())
    }

    /// Whether git tracks the file at `path` (it is in the index).
    pub fn tracks(&self, path: &Path) -> bool {
        let Some(rel) = self.work_tree_path(path) else {
            return false;
        };
        self.repo
            .index()
            .is_ok_and(|index| index.get_path(Path::new(&rel), 0).is_some())
    }

    /// `path` relative to the work tree, `/`-separated; `None` outside it.
    fn work_tree_path(&self, path: &Path) -> Option<String> {
        let top = std::fs::canonicalize(self.repo.workdir()?).ok()?;
        let rel = path.strip_prefix(&top).ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git {
            message: e.message().to_string(),
            source: Some(Box::new(e)),
        }
    }
}
