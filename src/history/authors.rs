//! Who made a change that landed through a merge. History is first-parent (SPEC section 4),
//! so a merged branch's changes land at the merge commit; this finds, for each of them,
//! the commit on the merged branch that made it: along the second parent's history, the
//! commits not reachable from the first parent, newest first, the first one whose own
//! change (against its first parent) gives the field its landed value. A GitHub pull-request
//! checkout (a synthetic merge of the head into the base) is such a merge too.
//!
//! Uses git2 and the loader; the changes are compared by the model's diff.

use super::{snapshot, CommitInfo, History, Repo};
use crate::error::Error;
use crate::load::Loaded;
use crate::model::changes::Change;
use crate::model::diff::diff;
use git2::Oid;
use std::collections::HashMap;

/// Branch commits examined per merge at most: a merge of a very long-lived branch keeps
/// the merge commit as the author of what is not found within them.
const MAX_BRANCH_COMMITS: usize = 500;

/// What identifies a change across two diffs: kind, id, field and the new value.
fn same(a: &Change, b: &Change) -> bool {
    a.kind == b.kind && a.id == b.id && a.field == b.field && a.to == b.to
}

/// Fills `history.origins` for the changes that landed through merges, from commit
/// number `from` on (the ones before are already done: a walk resumed from the index).
pub(super) fn attribute(repo: &Repo, history: &mut History, from: usize) -> Result<(), Error> {
    let merges: Vec<usize> = (from..history.commits.len())
        .filter(|i| !history.commits[*i].merged.is_empty())
        .collect();
    if merges.is_empty() {
        return Ok(());
    }
    let mut cache: HashMap<Oid, Option<Loaded>> = HashMap::new();
    for i in merges {
        let landed: Vec<Change> = history
            .all_changes()
            .into_iter()
            .filter(|(c, _)| c.id == history.commits[i].id)
            .map(|(_, c)| c.clone())
            .collect();
        for (change, origin) in find_origins(repo, &history.commits[i], &landed, &mut cache)? {
            history
                .origins
                .insert((i, change.id.clone(), change.field.clone()), origin);
        }
    }
    Ok(())
}

/// The branch commits of merge `merge`, newest first (none when a parent is missing, as
/// in a shallow clone).
fn branch_commits(repo: &Repo, merge: &CommitInfo) -> Result<Vec<Oid>, Error> {
    let Ok(id) = Oid::from_str(&merge.id) else {
        return Ok(Vec::new());
    };
    let commit = repo.repo.find_commit(id)?;
    let (Ok(first), Ok(second)) = (commit.parent_id(0), commit.parent_id(1)) else {
        return Ok(Vec::new());
    };
    let mut walk = repo.repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    if walk.push(second).is_err() || walk.hide(first).is_err() {
        return Ok(Vec::new());
    }
    Ok(walk
        .filter_map(Result::ok)
        .take(MAX_BRANCH_COMMITS)
        .collect())
}

/// The goals at `id`, loaded once (`None` when the commit cannot be read).
fn loaded<'c>(
    repo: &Repo,
    cache: &'c mut HashMap<Oid, Option<Loaded>>,
    id: Oid,
) -> &'c Option<Loaded> {
    cache
        .entry(id)
        .or_insert_with(|| snapshot::load_at(&repo.repo, &repo.prefix, id).ok())
}

/// For each landed change, the branch commit that made it, when one is found.
fn find_origins(
    repo: &Repo,
    merge: &CommitInfo,
    landed: &[Change],
    cache: &mut HashMap<Oid, Option<Loaded>>,
) -> Result<Vec<(Change, CommitInfo)>, Error> {
    let mut found: Vec<(Change, CommitInfo)> = Vec::new();
    for id in branch_commits(repo, merge)? {
        if found.len() == landed.len() {
            break;
        }
        let commit = repo.repo.find_commit(id)?;
        let info = CommitInfo::from_commit(&commit)?;
        let own = match commit.parent_id(0) {
            Ok(parent) => {
                let before = loaded(repo, cache, parent).clone();
                let after = loaded(repo, cache, id).clone();
                match (before, after) {
                    (Some(b), Some(a)) => diff(b.side(), a.side(), info.time),
                    _ => Vec::new(),
                }
            }
            Err(_) => Vec::new(),
        };
        for change in landed {
            let open = !found.iter().any(|(c, _)| same(c, change));
            if open && own.iter().any(|c| same(c, change)) {
                found.push((change.clone(), info.clone()));
            }
        }
    }
    Ok(found)
}

impl History {
    /// The commit that made a change landed in `commit` (an index into `commits`): the
    /// branch commit for a change that came through a merge, else the landing commit.
    pub fn origin(&self, commit: usize, change: &Change) -> &CommitInfo {
        self.origins
            .get(&(commit, change.id.clone(), change.field.clone()))
            .unwrap_or(&self.commits[commit])
    }

    /// Every logged change, oldest first, with who made it and where it landed.
    pub fn entries(&self) -> Vec<super::Entry<'_>> {
        let index: HashMap<&str, usize> = self
            .commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        self.all_changes()
            .into_iter()
            .map(|(landed, change)| super::Entry {
                origin: self.origin(index[landed.id.as_str()], change),
                landed,
                change,
            })
            .collect()
    }
}
