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
    Repository::discover(dir).is_ok()
}
