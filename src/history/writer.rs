//! Making commits with fixed authors and times, without a `git` binary.

use crate::error::Error;
use git2::{IndexAddOption, Repository, Signature, Time};
use std::path::Path;

/// Who made a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A commit to make: the files to write (path relative to the work tree, `/`-separated).
pub struct NewCommit<'a> {
    pub author: &'a Person,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    pub message: &'a str,
    pub writes: &'a [(String, Vec<u8>)],
}

pub struct RepoWriter {
    repo: Repository,
}

impl RepoWriter {
    /// Creates an empty repository whose default branch is `main`.
    pub fn init(dir: &Path) -> Result<Self, Error> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir, &opts)?;
        Ok(RepoWriter { repo })
    }

    /// Writes the files into the work tree, stages them and commits on HEAD.
    pub fn commit(&mut self, c: &NewCommit) -> Result<super::RevId, Error> {
        let workdir = self
            .repo
            .workdir()
            .ok_or_else(|| Error::git("bare repository"))?
            .to_path_buf();
        for (path, bytes) in c.writes {
            let full = workdir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::write(&full, bytes).map_err(|e| Error::io(&full, e))?;
        }
        let mut index = self.repo.index()?;
        let paths: Vec<&str> = c.writes.iter().map(|(p, _)| p.as_str()).collect();
        index.add_all(paths, IndexAddOption::DEFAULT, None)?;
        index.write()?;
        let tree = self.repo.find_tree(index.write_tree()?)?;
        let sig = Signature::new(&c.author.name, &c.author.email, &Time::new(c.time, 0))?;
        let parent = match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(_) => None,
        };
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        let id = self
            .repo
            .commit(Some("HEAD"), &sig, &sig, c.message, &tree, &parents)?;
        Ok(super::RevId(id))
    }
}

/// Whether `dir` is inside a git work tree.
pub fn is_inside_repository(dir: &Path) -> bool {
    let no_ceiling: [&std::ffi::OsStr; 0] = [];
    Repository::open_ext(dir, git2::RepositoryOpenFlags::empty(), no_ceiling).is_ok()
}

/// Helpers for building whole repositories in-process (the integration tests' fixture
/// builder): stage the work tree as `git add -A` would, switch branches, merge.
impl RepoWriter {
    /// Opens the repository whose work tree is `dir`.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        Ok(RepoWriter {
            repo: Repository::open(dir)?,
        })
    }

    /// Stages every change in the work tree (new, changed and deleted files, as `git add -A`)
    /// and commits it on HEAD with `author` as author and committer at `time`.
    pub fn commit_work_tree(
        &mut self,
        author: &Person,
        time: i64,
        message: &str,
    ) -> Result<(), Error> {
        let mut index = self.repo.index()?;
        index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
        index.update_all(["*"], None)?;
        index.write()?;
        let tree = index.write_tree()?;
        let head = self
            .repo
            .head()
            .ok()
            .map(|h| h.peel_to_commit())
            .transpose()?;
        self.commit_tree(tree, head.into_iter().collect(), author, time, message)
    }

    /// Makes branch `name` current, creating it at HEAD when it does not exist yet, and
    /// checks out its files.
    pub fn switch_branch(&mut self, name: &str) -> Result<(), Error> {
        if self
            .repo
            .find_branch(name, git2::BranchType::Local)
            .is_err()
        {
            let head = self.repo.head()?.peel_to_commit()?;
            self.repo.branch(name, &head, false)?;
        }
        self.repo.set_head(&format!("refs/heads/{name}"))?;
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
        Ok(())
    }

    /// Merges branch `name` into HEAD as a merge commit (never a fast-forward) and checks
    /// out the result; a conflict is an error.
    pub fn merge_branch(
        &mut self,
        name: &str,
        author: &Person,
        time: i64,
        message: &str,
    ) -> Result<(), Error> {
        let ours = self.repo.head()?.peel_to_commit()?;
        let theirs = self
            .repo
            .find_branch(name, git2::BranchType::Local)?
            .get()
            .peel_to_commit()?;
        let mut merged = self.repo.merge_commits(&ours, &theirs, None)?;
        if merged.has_conflicts() {
            return Err(Error::git(format!("merging {name} conflicts")));
        }
        let tree = merged.write_tree_to(&self.repo)?;
        self.commit_tree(tree, vec![ours, theirs], author, time, message)?;
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
        Ok(())
    }

    fn commit_tree(
        &self,
        tree: git2::Oid,
        parents: Vec<git2::Commit>,
        author: &Person,
        time: i64,
        message: &str,
    ) -> Result<(), Error> {
        let tree = self.repo.find_tree(tree)?;
        let sig = Signature::new(&author.name, &author.email, &Time::new(time, 0))?;
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
        Ok(())
    }
}
