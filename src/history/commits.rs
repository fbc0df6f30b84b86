//! [`Commits`]: the commit list of a history. Read from the history index, the stored
//! commits stay encoded (a [`Lazy`]) until one of them is looked at; a walk resumed after
//! the stored commit appends its own without decoding them, as it needs only their number.

use super::{CommitInfo, Lazy};

/// The commits that changed goal files, oldest first; indexed like a `Vec`.
#[derive(Debug, Clone, Default)]
pub struct Commits {
    /// The commits read from the index (all of them for a history the walk made).
    stored: Lazy<Vec<CommitInfo>>,
    /// How many `stored` holds, known without decoding it.
    stored_len: usize,
    /// The commits added since.
    added: Vec<CommitInfo>,
}

impl Commits {
    /// `len` commits still encoded.
    pub(super) fn stored(stored: Lazy<Vec<CommitInfo>>, len: usize) -> Commits {
        Commits {
            stored,
            stored_len: len,
            added: Vec::new(),
        }
    }

    /// The stored part and whether it holds every commit (nothing added since reading).
    pub(super) fn stored_part(&self) -> (&Lazy<Vec<CommitInfo>>, bool) {
        (&self.stored, self.added.is_empty())
    }

    pub fn len(&self) -> usize {
        self.stored_len + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&CommitInfo> {
        match i.checked_sub(self.stored_len) {
            None => self.stored.get(i),
            Some(j) => self.added.get(j),
        }
    }

    pub fn first(&self) -> Option<&CommitInfo> {
        self.get(0)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &CommitInfo> {
        // A stored part that did not decode is empty: never more than its count.
        let stored = if self.stored_len == 0 {
            &[][..]
        } else {
            &self.stored[..]
        };
        stored.iter().chain(&self.added)
    }

    pub fn push(&mut self, commit: CommitInfo) {
        self.added.push(commit);
    }

    /// Removes the last commit (the builder drops one it pushed).
    pub fn pop(&mut self) -> Option<CommitInfo> {
        if let Some(c) = self.added.pop() {
            return Some(c);
        }
        self.stored_len = self.stored_len.saturating_sub(1);
        self.stored.pop()
    }

    /// Every commit, decoded.
    pub fn to_vec(&self) -> Vec<CommitInfo> {
        self.iter().cloned().collect()
    }
}

impl std::ops::Index<usize> for Commits {
    type Output = CommitInfo;
    fn index(&self, i: usize) -> &CommitInfo {
        match self.get(i) {
            Some(c) => c,
            None => panic!("commit {i} of {}", self.len()),
        }
    }
}
