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
    pub fn commit(&mut self, c: &NewCommit) -> Result<git2::Oid, Error> {
        let workdir = self
            .repo
            .workdir()
            .ok_or_else(|| Error::Git("bare repository".into()))?
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
        Ok(self
            .repo
            .commit(Some("HEAD"), &sig, &sig, c.message, &tree, &parents)?)
    }
}

/// Whether `dir` is inside a git work tree.
pub fn is_inside_repository(dir: &Path) -> bool {
    Repository::discover(dir).is_ok()
}

/// Commits the current content of one file (`path`, absolute) on HEAD with the user's git
/// identity, leaving every other staged or unstaged change alone.
pub fn commit_one_file(path: &Path, message: &str) -> Result<git2::Oid, Error> {
    let repo = Repository::discover(path.parent().unwrap_or(path))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::Git("bare repository".into()))?;
    let canon = |p: &Path| std::fs::canonicalize(p).map_err(|e| Error::io(p, e));
    let (file, workdir) = (canon(path)?, canon(workdir)?);
    let rel = file
        .strip_prefix(&workdir)
        .map_err(|_| Error::Git(format!("{} is outside the work tree", path.display())))?;
    let rel_str = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let sig = repo.signature().map_err(|_| Error::Usage("git has no identity to commit with: set `git config user.name` and `git config user.email`".into()))?;
    let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
    let parent = match repo.head() {
        Ok(head) => Some(head.peel_to_commit()?),
        Err(_) => None,
    };
    // Build the new tree from HEAD's tree plus this one file, in a private index, so the
    // user's own staged changes are not swept into the commit.
    let mut index = git2::Index::new()?;
    let mut mode = 0o100644;
    if let Some(commit) = &parent {
        let tree = commit.tree()?;
        index.read_tree(&tree)?;
        if let Ok(entry) = tree.get_path(rel) {
            mode = entry.filemode() as u32;
        }
    }
    let entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: bytes.len() as u32,
        id: repo.blob(&bytes)?,
        flags: 0,
        flags_extended: 0,
        path: rel_str.clone().into_bytes(),
    };
    index.add(&entry)?;
    let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)?;
    // Keep the real index in step for this file, so `git status` shows it committed.
    let mut real = repo.index()?;
    real.add_path(rel)?;
    real.write()?;
    Ok(oid)
}
