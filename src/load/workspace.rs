//! Finding the goal root and reading its files from the working tree (sorted walks).

use super::{SourceFile, CONFIG_FILE};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// The goal files of a working tree.
pub struct Workspace {
    pub root: PathBuf,
    pub config: Option<Vec<u8>>,
    pub files: Vec<SourceFile>,
}

/// Walks up from `start` to the folder holding `goalpost.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, Error> {
    let start = std::fs::canonicalize(start).map_err(|e| Error::io(start, e))?;
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NoRoot(start))
}

/// Reads `goalpost.toml` and every file under the goal and KPI folders.
pub fn read_workspace(root: &Path) -> Result<Workspace, Error> {
    let config_path = root.join(CONFIG_FILE);
    let config = std::fs::read(&config_path).map_err(|e| Error::io(&config_path, e))?;
    let (parsed, _) = super::parse_config(std::str::from_utf8(&config).ok());
    let mut files = Vec::new();
    for dir in [&parsed.goals_dir, &parsed.kpi_dir] {
        read_dir_sorted(root, &root.join(dir), &mut files)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok(Workspace {
        root: root.to_path_buf(),
        config: Some(config),
        files,
    })
}

fn read_dir_sorted(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), Error> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| Error::Io {
            path: e.path().unwrap_or(dir).to_path_buf(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let path = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        out.push(SourceFile { path, bytes });
    }
    Ok(())
}
