//! `check`: validate every goal file of the working tree and lint OKR practice.

use crate::error::Error;
use crate::load::Loaded;
use crate::report::diagnostics::CheckReport;
use std::path::{Path, PathBuf};

/// Loads the working tree under the goal root found from `dir` and runs every check;
/// the root, the loaded revision and how many goal files were read.
pub fn check_workspace(dir: &Path) -> Result<(PathBuf, Loaded, usize), Error> {
    let root = super::workspace::find_root(dir)?;
    let ws = super::workspace::read_workspace(&root)?;
    let files = ws.files.len();
    let mut loaded = ws.load();
    crate::check::run(&mut loaded);
    Ok((root, loaded, files))
}

pub fn run(dir: &Path) -> Result<CheckReport, Error> {
    let (root, loaded, files) = check_workspace(dir)?;
    Ok(CheckReport {
        prefix: git_prefix(&root),
        files,
        diagnostics: loaded.diagnostics,
        sources: loaded.sources,
    })
}

/// The goal root's path inside its git work tree, with a trailing `/` (empty at the top).
fn git_prefix(root: &Path) -> String {
    let Some(top) = root.ancestors().find(|d| d.join(".git").exists()) else {
        return String::new();
    };
    let rel = root.strip_prefix(top).unwrap_or(Path::new(""));
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}
