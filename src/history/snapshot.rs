//! Reading the goal files of one commit.

use crate::error::Error;
use crate::load::{self, Loaded, SourceFile, CONFIG_FILE};
use crate::model::Config;
use git2::{ObjectType, Oid, Repository, Tree};

/// The tree or blob at `path` below `tree`, if any.
pub fn entry_id(tree: &Tree, path: &str) -> Option<(Oid, Option<ObjectType>)> {
    if path.is_empty() {
        return Some((tree.id(), Some(ObjectType::Tree)));
    }
    tree.get_path(std::path::Path::new(path))
        .ok()
        .map(|e| (e.id(), e.kind()))
}

/// Every blob below the tree `id`, with paths prefixed by `base/`.
pub fn list_blobs(
    repo: &Repository,
    id: Oid,
    base: &str,
    out: &mut Vec<(String, Oid)>,
) -> Result<(), Error> {
    let tree = repo.find_tree(id)?;
    for entry in tree.iter() {
        let Ok(name) = entry.name() else { continue };
        let path = format!("{base}/{name}");
        match entry.kind() {
            Some(ObjectType::Tree) => list_blobs(repo, entry.id(), &path, out)?,
            Some(ObjectType::Blob) => out.push((path, entry.id())),
            _ => {}
        }
    }
    Ok(())
}

/// The configuration text at a commit (below the goal root `prefix`).
pub fn config_at(repo: &Repository, root: &Tree, prefix: &str) -> Result<Option<Vec<u8>>, Error> {
    match entry_id(root, &format!("{prefix}{CONFIG_FILE}")) {
        Some((id, Some(ObjectType::Blob))) => Ok(Some(repo.find_blob(id)?.content().to_vec())),
        _ => Ok(None),
    }
}

/// All goal and KPI files at a commit, sorted by path (relative to the goal root).
pub fn goal_files(
    repo: &Repository,
    root: &Tree,
    prefix: &str,
    config: &Config,
) -> Result<Vec<SourceFile>, Error> {
    let mut blobs = Vec::new();
    for dir in [&config.goals_dir, &config.kpi_dir] {
        if let Some((id, Some(ObjectType::Tree))) = entry_id(root, &format!("{prefix}{dir}")) {
            list_blobs(repo, id, dir, &mut blobs)?;
        }
    }
    blobs.sort();
    blobs.dedup();
    blobs
        .into_iter()
        .map(|(path, id)| {
            Ok(SourceFile {
                path,
                bytes: repo.find_blob(id)?.content().to_vec(),
            })
        })
        .collect()
}

pub fn load_at(repo: &Repository, prefix: &str, oid: Oid) -> Result<Loaded, Error> {
    let tree = repo.find_commit(oid)?.tree()?;
    let config_bytes = config_at(repo, &tree, prefix)?;
    let (config, _) = load::parse_config(
        config_bytes
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok()),
    );
    let files = goal_files(repo, &tree, prefix, &config)?;
    Ok(load::load(config_bytes.as_deref(), files))
}
