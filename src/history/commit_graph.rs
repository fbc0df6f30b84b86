//! Git's commit-graph file (`objects/info/commit-graph`, or the split chain in
//! `objects/info/commit-graphs/`), read by goalpost itself because libgit2 does not read the
//! changed-path Bloom filters. Gives, per commit and without inflating it: the root tree,
//! the first parent and the Bloom filter of the paths changed against that parent.
//!
//! Every file is checked before use: header, chunk table, chunk sizes, sorted ids, fanout,
//! parent positions, filter offsets and the trailing SHA-1 checksum. Anything wrong and the
//! file (or the layers of a chain from the first bad one up) is not used; the walk then
//! reads commits the old way. Uses only `git2::Oid` and `sha1`; format:
//! git's `gitformat-commit-graph(5)` and `gitformat-chunk(5)`.

pub mod bloom;
mod layer;
#[cfg(test)]
mod tests;

use git2::Oid;
use layer::Layer;
use std::path::Path;

pub use bloom::{Answer, Key};

/// The loaded graph: one file, or the layers of a chain, base first.
pub struct CommitGraph {
    layers: Vec<Layer>,
}

/// A commit as the graph records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraphCommit {
    pub tree: Oid,
    /// Graph position of the first parent, if any.
    pub parent: Option<u32>,
}

impl CommitGraph {
    /// The graph of the object folder `objects`, or `None` when there is none or none of it
    /// is sound. Like git, a single `info/commit-graph` file wins over a chain.
    pub fn open(objects: &Path) -> Option<CommitGraph> {
        let info = objects.join("info");
        if let Ok(data) = std::fs::read(info.join("commit-graph")) {
            if let Some(layer) = Layer::parse(data, 0, &[]) {
                return Some(CommitGraph {
                    layers: vec![layer],
                });
            }
        }
        Self::open_chain(&info.join("commit-graphs"))
    }

    /// The layers of a split chain, base first, up to the first one that is missing or bad
    /// (a layer refers only to itself and those below it, so that prefix stands alone).
    fn open_chain(dir: &Path) -> Option<CommitGraph> {
        let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).ok()?;
        let mut layers: Vec<Layer> = Vec::new();
        let mut hashes: Vec<Oid> = Vec::new();
        for line in chain.lines() {
            let Ok(hash) = Oid::from_str(line.trim()) else {
                break;
            };
            if line.trim().len() != 40 {
                break;
            }
            let Ok(data) = std::fs::read(dir.join(format!("graph-{hash}.graph"))) else {
                break;
            };
            let base = layers.last().map_or(0, Layer::end);
            let Some(layer) = Layer::parse(data, base, &hashes) else {
                break;
            };
            // The file must be the one the chain names: its checksum is its name.
            if layer.checksum() != hash {
                break;
            }
            hashes.push(hash);
            layers.push(layer);
        }
        (!layers.is_empty()).then_some(CommitGraph { layers })
    }

    /// The layer holding global position `pos`.
    fn layer(&self, pos: u32) -> Option<&Layer> {
        self.layers
            .iter()
            .find(|l| l.base() <= pos && pos < l.end())
    }

    /// Commits in the graph, all layers.
    pub fn len(&self) -> u32 {
        self.layers.last().map_or(0, Layer::end)
    }

    /// The graph position of commit `oid`, if the graph has it.
    pub fn position(&self, oid: Oid) -> Option<u32> {
        self.layers.iter().find_map(|l| l.position(oid))
    }

    /// The id of the commit at `pos`.
    pub fn oid(&self, pos: u32) -> Option<Oid> {
        self.layer(pos)?.oid(pos)
    }

    /// Root tree and first parent of the commit at `pos`; `None` when the record is unsound
    /// (a parent position outside the layer and those below it).
    pub fn commit(&self, pos: u32) -> Option<GraphCommit> {
        self.layer(pos)?.commit(pos)
    }

    /// All parents of the commit at `pos`, octopus merges' from the EDGE chunk (the walk
    /// needs first parents only).
    #[cfg(test)]
    pub fn parents(&self, pos: u32) -> Option<Vec<u32>> {
        self.layer(pos)?.parents(pos)
    }

    /// Whether any of `keys` may have changed in the commit at `pos` against its first
    /// parent; `Maybe` when its layer has no filters.
    pub fn changed(&self, pos: u32, keys: &[Key]) -> Answer {
        self.layer(pos)
            .and_then(|l| l.filter(pos))
            .map_or(Answer::Maybe, |(data, settings)| {
                bloom::query(data, settings, keys)
            })
    }

    /// Whether any layer carries changed-path filters.
    #[cfg(test)]
    pub fn has_filters(&self) -> bool {
        self.layers.iter().any(Layer::has_filters)
    }
}
