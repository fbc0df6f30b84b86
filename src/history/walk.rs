//! The first-parent walk: finds the commits that changed the goal files and what they
//! changed, with an own tree diff limited to the goal folders (libgit2's path-filtered diff
//! is many times slower). Runs on its own thread, sending deltas (the changed paths and
//! their new blob ids) to the thread that reads and parses the blobs. Each thread has an
//! object reader of its own ([`Objects`]): with libgit2, whose pack access is shared behind
//! locks, moving the blob reads measured slower; with two independent gix stores it takes
//! a third of the reads off this thread, the longer of the two.

use super::commit_graph::{Answer, CommitGraph, Key};
use super::index::Index;
use super::objects::Objects;
use super::raw;
use super::snapshot::goal_files;
use super::walk_graph;
use super::CommitInfo;
use crate::error::Error;
use crate::load::{self, SourceFile, CONFIG_FILE};
use crate::model::Config;
use git2::{Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, Sender, SyncSender};

/// What one commit changed below the goal root.
pub struct Delta {
    pub commit: CommitInfo,
    /// Set when the configuration changed (or first appeared): the complete file set,
    /// to be loaded afresh with the new configuration.
    pub full: Option<(Option<Vec<u8>>, Vec<SourceFile>)>,
    /// Otherwise the changed files: the new blob, or `None` when deleted. The parsing
    /// thread reads the blobs with an object reader of its own: this thread, which reads
    /// every commit and tree, is the longer of the two.
    pub files: Vec<(String, Option<Oid>)>,
}

/// Deltas per hand-over to the parsing thread.
const BATCH: usize = 32;

/// Bytes of goal-folder trees kept by [`Trees`] before it starts afresh: bounds its memory
/// whatever the size of the folders (a few hundred of their versions fit).
const KEPT_BYTES: usize = 16 << 20;

/// The goal folders' tree objects read by the walk's diffs, by id. A commit's new trees are
/// the old ones of the next commit that changes goals, so each is inflated once, not twice
/// (a third of the objects a check-in commit needs). Bounded: it forgets everything when
/// full, which costs one more read of the few trees still in use.
pub struct Trees {
    kept: HashMap<Oid, Rc<[u8]>>,
    bytes: usize,
    limit: usize,
}

impl Default for Trees {
    fn default() -> Self {
        Trees {
            kept: HashMap::new(),
            bytes: 0,
            limit: KEPT_BYTES,
        }
    }
}

impl Trees {
    fn get(&mut self, objects: &mut Objects, id: Oid) -> Result<Rc<[u8]>, Error> {
        if let Some(data) = self.kept.get(&id) {
            return Ok(Rc::clone(data));
        }
        let data: Rc<[u8]> = objects.read(id)?.into();
        if self.bytes + data.len() > self.limit {
            self.kept.clear();
            self.bytes = 0;
        }
        self.bytes += data.len();
        self.kept.insert(id, Rc::clone(&data));
        Ok(data)
    }
}

/// What the walk saw, besides the deltas.
pub struct WalkSummary {
    pub commits: usize,
    /// The walk hit the boundary of a shallow clone.
    pub truncated: bool,
    /// Committer time of the oldest commit reached.
    pub oldest: Option<jiff::Timestamp>,
    /// The walk started after an indexed commit: `commits` counts only the ones after it,
    /// and `truncated` and `oldest` are the indexed history's.
    pub resumed: bool,
    /// The configuration blob the walk parsed last (kept in the index to resume from).
    pub config_blob: Option<Oid>,
}

/// Ids of what the goal root holds at one commit; equal ids mean nothing changed.
#[derive(Default, Clone, PartialEq, Eq)]
struct Roots {
    base: Option<Oid>,
    config: Option<Oid>,
    goals: Option<Oid>,
    kpis: Option<Oid>,
}

/// Commits listed in the `shallow` file: their parents are missing. The file lives in the
/// common git dir, so a `git worktree` of a shallow clone finds it there, not in its own dir.
pub fn shallow_boundary(common_dir: &Path) -> HashSet<Oid> {
    std::fs::read_to_string(common_dir.join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| Oid::from_str(l.trim()).ok())
        .collect()
}

/// A first-parent commit: its id, its root tree's id, and its raw bytes when they were
/// read (kept so the commits that changed goals need not be read again), or its position
/// in the commit-graph when the link came from there.
pub struct Link {
    pub commit: Oid,
    pub tree: Oid,
    pub raw: Option<Box<[u8]>>,
    pub pos: Option<u32>,
}

/// Reads commit `oid` as a [`Link`] of the first-parent chain, with its first parent.
pub(crate) fn read_link(objects: &mut Objects, oid: Oid) -> Result<(Link, Option<Oid>), Error> {
    let data = objects.read(oid)?;
    let (tree, parent) =
        raw::commit_links(data).ok_or_else(|| Error::git(format!("cannot read commit {oid}")))?;
    let link = Link {
        commit: oid,
        tree,
        raw: Some(data.into()),
        pos: None,
    };
    Ok((link, parent))
}

/// The first-parent chain of `head`, oldest first, read from raw commit headers so each
/// commit object is inflated once and never fully parsed.
pub fn first_parent_commits(
    objects: &mut Objects,
    head: Oid,
    shallow: &HashSet<Oid>,
    stop: &HashSet<Oid>,
) -> Result<Vec<Link>, Error> {
    let mut links = Vec::new();
    let mut next = Some(head);
    while let Some(oid) = next {
        let (link, parent) = read_link(objects, oid)?;
        links.push(link);
        // An indexed commit (never the head itself): the walk resumes after it.
        if links.len() > 1 && stop.contains(&oid) {
            break;
        }
        // At a shallow clone's boundary the parent named in the commit is not there.
        next = parent.filter(|_| !shallow.contains(&oid));
    }
    links.reverse();
    Ok(links)
}

/// The entry at a `/`-separated path below the tree `root` (the tree itself for "").
fn lookup(objects: &mut Objects, root: Oid, path: &str) -> Result<Option<(Oid, bool)>, Error> {
    let mut current = (root, true);
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if !current.1 {
            return Ok(None);
        }
        match raw::find(objects.read(current.0)?, segment) {
            Some(e) if e.is_tree || e.is_blob => current = (e.id, e.is_tree),
            _ => return Ok(None),
        }
    }
    Ok(Some(current))
}

fn tree_at(objects: &mut Objects, root: Oid, path: &str) -> Result<Option<Oid>, Error> {
    Ok(lookup(objects, root, path)?
        .filter(|(_, is_tree)| *is_tree)
        .map(|(id, _)| id))
}

/// Like [`tree_at`], starting from an already read tree object's bytes.
fn tree_in(objects: &mut Objects, data: &[u8], path: &str) -> Result<Option<Oid>, Error> {
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    match raw::find(data, first) {
        Some(e) if e.is_tree => tree_at(objects, e.id, rest),
        _ => Ok(None),
    }
}

fn progress_bar(len: usize, wanted: bool) -> indicatif::ProgressBar {
    if !wanted || len < 5_000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("walking history {bar:40} {pos}/{len} commits")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// State carried from commit to commit of the walk.
struct Walker<'r> {
    repo: &'r Repository,
    objects: Objects,
    config: Config,
    /// The blob `config` was parsed from (`None`: no file).
    config_blob: Option<Oid>,
    prev: Roots,
    /// The commit-graph, when it is used, and the Bloom keys of the goal paths under the
    /// current configuration (`None`: the filters cannot answer for them).
    graph: Option<CommitGraph>,
    keys: Option<Vec<Key>>,
    trees: Trees,
    /// The goal root tree's bytes, reused from commit to commit (see [`Walker::read_base`]).
    base_tree: Vec<u8>,
}

/// The `goalpost.toml` blob named in a goal root tree's bytes.
fn config_entry(base_tree: &[u8]) -> Option<Oid> {
    raw::find(base_tree, CONFIG_FILE)
        .filter(|e| e.is_blob)
        .map(|e| e.id)
}

impl Walker<'_> {
    /// The goal root tree `id`'s bytes, copied into the buffer kept for them: the lookups
    /// that follow read other objects meanwhile, and a copy of its own per commit was an
    /// allocation per commit of the walk. Hand it back with [`Walker::roots`].
    fn read_base(&mut self, id: Oid) -> Result<Vec<u8>, Error> {
        let mut bytes = std::mem::take(&mut self.base_tree);
        bytes.clear();
        bytes.extend_from_slice(self.objects.read(id)?);
        Ok(bytes)
    }

    /// The [`Roots`] of the goal root `base` (its bytes from [`Walker::read_base`]), its
    /// folders named by the current configuration.
    fn roots(&mut self, base: Oid, base_tree: Vec<u8>) -> Result<Roots, Error> {
        let roots = Roots {
            base: Some(base),
            config: config_entry(&base_tree),
            goals: tree_in(&mut self.objects, &base_tree, &self.config.goals_dir)?,
            kpis: tree_in(&mut self.objects, &base_tree, &self.config.kpi_dir)?,
        };
        self.base_tree = base_tree;
        Ok(roots)
    }

    /// Sets the state a walk has after `link` when it parsed `config_blob` last: the walk
    /// then resumes after an indexed commit as if it had walked up to it.
    fn prime(
        &mut self,
        link: &Link,
        base_path: &str,
        config_blob: Option<Oid>,
    ) -> Result<(), Error> {
        let objects = &mut self.objects;
        let bytes = config_blob.map(|id| objects.read_owned(id)).transpose()?;
        let text = bytes.as_deref().and_then(|b| std::str::from_utf8(b).ok());
        self.config = load::parse_config(text).0;
        self.config_blob = config_blob;
        self.keys = walk_graph::keys(base_path, &self.config);
        let base = if base_path.is_empty() {
            Some(link.tree)
        } else {
            tree_at(objects, link.tree, base_path)?
        };
        let Some(base_id) = base else {
            self.prev = Roots::default();
            return Ok(());
        };
        let base_tree = self.read_base(base_id)?;
        self.prev = self.roots(base_id, base_tree)?;
        Ok(())
    }

    /// Who made `link`'s commit, when and why; `parent` is the previous link.
    fn info(&mut self, link: &Link, parent: Option<Oid>) -> Result<CommitInfo, Error> {
        let bytes = walk_graph::commit_bytes(&mut self.objects, link, parent)?;
        raw::commit_info(link.commit, &bytes)
    }

    /// The delta of one commit, or `None` when it changed nothing below the goal root.
    /// `parent` is the previous link's commit (`None` for the first).
    fn step(
        &mut self,
        link: &Link,
        base_path: &str,
        parent: Option<Oid>,
    ) -> Result<Option<Delta>, Error> {
        let first = parent.is_none();
        // The commit's changed-path filter (against its first parent, the previous link)
        // says no goal path changed: skip it without reading a single object.
        if let (Some(graph), Some(keys), Some(pos), false) =
            (&self.graph, &self.keys, link.pos, first)
        {
            if graph.changed(pos, keys) == Answer::Unchanged {
                return Ok(None);
            }
        }
        let objects = &mut self.objects;
        // At the top of the work tree the goal root is the root tree: no lookup needed.
        let base = if base_path.is_empty() {
            Some(link.tree)
        } else {
            tree_at(objects, link.tree, base_path)?
        };
        if base == self.prev.base && !first {
            return Ok(None);
        }
        let Some(base_id) = base else {
            // The goal root disappeared (or is not there yet): everything in it is removed.
            let had_root = self.prev.base.is_some();
            self.prev = Roots::default();
            if !had_root {
                return Ok(None);
            }
            let info = self.info(link, parent)?;
            return Ok(Some(Delta {
                commit: info,
                full: Some((None, Vec::new())),
                files: Vec::new(),
            }));
        };
        let base_tree = self.read_base(base_id)?;
        let config_id = config_entry(&base_tree);
        let config_changed = config_id != self.prev.config;
        let config_bytes = match (config_changed, config_id) {
            (true, Some(id)) => Some(self.objects.read_owned(id)?),
            _ => None,
        };
        if config_changed {
            let text = config_bytes
                .as_deref()
                .and_then(|b| std::str::from_utf8(b).ok());
            self.config = load::parse_config(text).0;
            self.config_blob = config_id;
            self.keys = walk_graph::keys(base_path, &self.config);
        }
        let roots = self.roots(base_id, base_tree)?;
        let unchanged = roots.config == self.prev.config
            && roots.goals == self.prev.goals
            && roots.kpis == self.prev.kpis;
        let prev = std::mem::replace(&mut self.prev, roots.clone());
        if unchanged {
            return Ok(None);
        }
        let info = self.info(link, parent)?;
        if config_changed {
            let tree = self.repo.find_tree(base_id)?;
            let files = goal_files(self.repo, &tree, "", &self.config)?.files;
            return Ok(Some(Delta {
                commit: info,
                full: Some((config_bytes, files)),
                files: Vec::new(),
            }));
        }
        let mut changed = Vec::new();
        diff_trees(
            &mut self.trees,
            &mut self.objects,
            prev.goals,
            roots.goals,
            &self.config.goals_dir,
            &mut changed,
        )?;
        diff_trees(
            &mut self.trees,
            &mut self.objects,
            prev.kpis,
            roots.kpis,
            &self.config.kpi_dir,
            &mut changed,
        )?;
        Ok(Some(Delta {
            commit: info,
            full: None,
            files: changed,
        }))
    }
}

/// The first-parent chain from `head` back to a commit of `stop` within `limit` commits,
/// oldest first; `None` when there is none that close. Read from the objects: opening the
/// commit-graph (a check of the whole file) costs more than reading a few commits.
fn near_chain(
    objects: &mut Objects,
    head: Oid,
    shallow: &HashSet<Oid>,
    stop: &HashSet<Oid>,
    limit: usize,
) -> Result<Option<Vec<Link>>, Error> {
    let mut links = Vec::new();
    let mut next = Some(head);
    while let Some(oid) = next.filter(|_| links.len() <= limit) {
        let (link, parent) = read_link(objects, oid)?;
        links.push(link);
        if links.len() > 1 && stop.contains(&oid) {
            links.reverse();
            return Ok(Some(links));
        }
        next = parent.filter(|_| !shallow.contains(&oid));
    }
    Ok(None)
}

/// The first-parent chain of `head`, oldest first, from the commit-graph when it serves
/// (else `graph` is dropped), stopping at a commit of `stop`.
fn chain(
    objects: &mut Objects,
    graph: &mut Option<CommitGraph>,
    head: Oid,
    shallow: &HashSet<Oid>,
    stop: &HashSet<Oid>,
) -> Result<Vec<Link>, Error> {
    let from_graph = match graph {
        Some(g) => walk_graph::chain(objects, g, head, stop)?,
        None => None,
    };
    match from_graph {
        Some(links) => Ok(links),
        None => {
            *graph = None;
            first_parent_commits(objects, head, shallow, stop)
        }
    }
}

/// Walks `head`'s first-parent history oldest first, sending a delta for every commit that
/// changed the configuration, the goal folder or the KPI folder. With an `index`, the walk
/// stops at the newest indexed first-parent ancestor and names it on `start` (else `None`),
/// before any delta; the caller, which loads the entry (on its own thread: the memory is
/// its), answers on `reply` with the configuration blob the walk had parsed there, and the
/// walk goes on with only the commits after it; answered `None`, it walks all of history.
pub fn walk(
    (git_dir, prefix, mut objects): (&Path, &str, Objects),
    head: Oid,
    progress: bool,
    tx: SyncSender<Vec<Delta>>,
    index: Option<Index>,
    (start, reply): (Sender<Option<Oid>>, Receiver<Option<Option<Oid>>>),
) -> Result<WalkSummary, Error> {
    let repo = Repository::open(git_dir)?;
    let shallow = shallow_boundary(repo.commondir());
    let stop = index.as_ref().map(Index::commits).unwrap_or_default();
    let near = match stop.is_empty() {
        true => None,
        false => near_chain(&mut objects, head, &shallow, &stop, 64)?,
    };
    let mut graph = match near {
        Some(_) => None,
        None => walk_graph::open(&repo, &shallow),
    };
    let mut links = match near {
        Some(links) => links,
        None => chain(&mut objects, &mut graph, head, &shallow, &stop)?,
    };
    let base = links
        .first()
        .filter(|l| l.commit != head && stop.contains(&l.commit))
        .map(|l| l.commit);
    let _ = start.send(base);
    let resume = match base {
        Some(_) => reply.recv().ok().flatten(),
        None => None,
    };
    if base.is_some() && resume.is_none() {
        links = chain(&mut objects, &mut graph, head, &shallow, &HashSet::new())?;
    }
    let bar = progress_bar(links.len(), progress);
    let base_path = prefix.trim_end_matches('/');
    let mut summary = WalkSummary {
        commits: links.len(),
        truncated: false,
        oldest: None,
        resumed: resume.is_some(),
        config_blob: None,
    };
    if let Some(first) = links.first() {
        summary.truncated = shallow.contains(&first.commit);
    }
    let mut walker = Walker {
        repo: &repo,
        objects,
        config: Config::default(),
        config_blob: None,
        prev: Roots::default(),
        keys: walk_graph::keys(base_path, &Config::default()),
        graph,
        trees: Trees::default(),
        base_tree: Vec::new(),
    };
    if let (Some(config_blob), Some(first)) = (resume, links.first()) {
        walker.prime(first, base_path, config_blob)?;
        summary.commits -= 1;
        summary.truncated = false;
    }
    let mut batch = Vec::with_capacity(BATCH);
    for (i, link) in links.iter().enumerate() {
        if i % 1024 == 0 {
            bar.set_position(i as u64);
        }
        if i == 0 && summary.resumed {
            continue; // the indexed commit: its state is primed above
        }
        let parent = i.checked_sub(1).map(|p| links[p].commit);
        if i == 0 {
            summary.oldest = Some(walker.info(link, None)?.time);
        }
        if let Some(delta) = walker.step(link, base_path, parent)? {
            batch.push(delta);
        }
        // Deltas travel in batches: one hand-over per commit costs more than parsing it.
        if batch.len() >= BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
            break; // the receiver stopped
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    bar.finish_and_clear();
    summary.config_blob = walker.config_blob;
    Ok(summary)
}

/// Blobs that differ between two trees (either may be absent), as (path, new blob id);
/// a `None` id means the file was deleted. Identical subtrees are skipped by id, and the
/// entries are merged in git's own order, without building maps.
fn diff_trees(
    trees: &mut Trees,
    objects: &mut Objects,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
    out: &mut Vec<(String, Option<Oid>)>,
) -> Result<(), Error> {
    if old == new {
        return Ok(());
    }
    let mut read = |id: Option<Oid>| id.map(|id| trees.get(objects, id)).transpose();
    let (old_object, new_object) = (read(old)?, read(new)?);
    let mut a = old_object
        .as_deref()
        .map(raw::entries)
        .into_iter()
        .flatten()
        .peekable();
    let mut b = new_object
        .as_deref()
        .map(raw::entries)
        .into_iter()
        .flatten()
        .peekable();
    loop {
        let (o, n) = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => (a.next(), None),
            (None, Some(_)) => (None, b.next()),
            (Some(x), Some(y)) => match raw::entry_order(x, y) {
                std::cmp::Ordering::Less => (a.next(), None),
                std::cmp::Ordering::Greater => (None, b.next()),
                std::cmp::Ordering::Equal => (a.next(), b.next()),
            },
        };
        if o.is_some() && o == n {
            continue;
        }
        let name = o.or(n).map(|e| e.name).unwrap_or_default();
        let path = format!("{base}/{}", String::from_utf8_lossy(name));
        // The one goal-path rule (a string scan, only for entries that changed): hidden
        // entries are skipped whole, and only goal files are read.
        let kind = load::goal_path_kind(&path);
        if kind == load::GoalPathKind::Hidden {
            continue;
        }
        let tree = |e: Option<raw::RawEntry>| e.filter(|e| e.is_tree).map(|e| e.id);
        let blob = |e: Option<raw::RawEntry>| e.filter(|e| e.is_blob).map(|e| e.id);
        if tree(o).is_some() || tree(n).is_some() {
            diff_trees(trees, objects, tree(o), tree(n), &path, out)?;
        }
        if blob(o) != blob(n) && kind == load::GoalPathKind::Goal {
            out.push((path, blob(n)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The kept trees are the objects' bytes, also after the cache started afresh when full.
    #[test]
    fn kept_trees_stay_right_when_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(dir.path()).expect("init");
        let odb = repo.odb().expect("odb");
        let mut objects = Objects::open(repo.commondir()).expect("objects");
        let contents: Vec<Vec<u8>> = (0..5).map(|i| format!("object {i}").into_bytes()).collect();
        let ids: Vec<Oid> = contents
            .iter()
            .map(|c| odb.write(git2::ObjectType::Blob, c).expect("write"))
            .collect();
        let mut trees = Trees {
            limit: 20, // two objects at most
            ..Trees::default()
        };
        for _ in 0..2 {
            for (id, content) in ids.iter().zip(&contents) {
                assert_eq!(
                    &*trees.get(&mut objects, *id).expect("read"),
                    content.as_slice()
                );
                assert!(trees.bytes <= 20);
            }
        }
    }
}
