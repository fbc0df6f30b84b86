//! The walk's use of the commit-graph: the first-parent chain and root trees without
//! inflating commits, the Bloom-filter keys of the goal paths, and the cross-check of every
//! commit the walk does read against what the graph said of it. Uses `commit_graph` and
//! `raw`; the walk (`walk.rs`) decides what to skip.

use super::commit_graph::{CommitGraph, Key};
use super::objects::Objects;
use super::raw;
use super::walk::{read_link, Link};
use crate::error::Error;
use crate::load::CONFIG_FILE;
use crate::model::Config;
use git2::{Oid, Repository};
use std::collections::HashSet;

/// The repository's commit-graph, when git would use one too: not when `core.commitGraph`
/// is false, and not in a shallow clone (its parents are cut; git ignores the graph there).
pub fn open(repo: &Repository, shallow: &HashSet<Oid>) -> Option<CommitGraph> {
    let enabled = repo
        .config()
        .and_then(|c| c.get_bool("core.commitGraph"))
        .unwrap_or(true);
    if !enabled || !shallow.is_empty() {
        return None;
    }
    CommitGraph::open(&repo.commondir().join("objects"))
}

/// The first-parent chain of `head`, oldest first: commits that the graph has come from
/// its records (no object read), newer ones are read. `None` when a record is unsound.
/// The chain stops at a commit of `stop` (an indexed one, never the head itself).
pub fn chain(
    objects: &mut Objects,
    graph: &CommitGraph,
    head: Oid,
    stop: &HashSet<Oid>,
) -> Result<Option<Vec<Link>>, Error> {
    let mut links = Vec::new();
    let mut next = Some(head);
    // Commits made after the graph was written: read until one is in the graph.
    while let Some(oid) = next {
        if let Some(pos) = graph.position(oid) {
            let mut at = Some(pos);
            let mut from_graph = 0usize;
            while let Some(pos) = at {
                let (Some(commit), Some(record)) = (graph.oid(pos), graph.commit(pos)) else {
                    return Ok(None);
                };
                links.push(Link {
                    commit,
                    tree: record.tree,
                    raw: None,
                    pos: Some(pos),
                });
                at = record.parent;
                if links.len() > 1 && stop.contains(&commit) {
                    break;
                }
                // A cycle can only come from a bad file: positions would repeat forever.
                // Only the links read from the graph count: the commits made after it was
                // written come on top (a linear history has as many links as the graph).
                from_graph += 1;
                if from_graph > graph.len() as usize {
                    return Ok(None);
                }
            }
            break;
        }
        let (link, parent) = read_link(objects, oid)?;
        links.push(link);
        if links.len() > 1 && stop.contains(&oid) {
            break;
        }
        next = parent;
    }
    links.reverse();
    Ok(Some(links))
}

/// The raw bytes of `link`'s commit, read now if the chain came from the graph, and then
/// checked against the graph: the same root tree and first parent (`parent`, the previous
/// link). A disagreement is an error naming the file, never a silently wrong history.
pub fn commit_bytes(
    objects: &mut Objects,
    link: &Link,
    parent: Option<Oid>,
) -> Result<Box<[u8]>, Error> {
    if let Some(raw) = &link.raw {
        return Ok(raw.clone());
    }
    let data: Box<[u8]> = objects.read(link.commit)?.into();
    if raw::commit_links(&data) != Some((link.tree, parent)) {
        return Err(Error::git(format!(
            "the commit-graph file disagrees with commit {} (its tree or first parent)\nhelp: rewrite it with `git commit-graph write --reachable --changed-paths`, or remove .git/objects/info/commit-graph and .git/objects/info/commit-graphs",
            link.commit
        )));
    }
    Ok(data)
}

/// The paths whose change makes a commit worth reading, as Bloom keys: the goal root
/// itself below a prefix (exactly what the walk's first skip compares), else the config
/// file and the goal and KPI folders. `None` when a folder is not a plain relative path
/// (the filters hold paths as git joins them, without empty segments).
pub fn keys(base_path: &str, config: &Config) -> Option<Vec<Key>> {
    if !base_path.is_empty() {
        return Some(vec![Key::new(base_path)]);
    }
    let folder = |dir: &str| -> Option<Key> {
        let (first, rest) = dir.split_once('/').unwrap_or((dir, ""));
        if first.is_empty() {
            return None;
        }
        // The walk looks the rest up segment by segment, skipping empty ones: so does this.
        let path = std::iter::once(first)
            .chain(rest.split('/').filter(|s| !s.is_empty()))
            .collect::<Vec<_>>()
            .join("/");
        Some(Key::new(&path))
    };
    Some(vec![
        Key::new(CONFIG_FILE),
        folder(&config.goals_dir)?,
        folder(&config.kpi_dir)?,
    ])
}
