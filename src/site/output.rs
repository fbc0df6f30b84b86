//! Writing the site safely: into a staging folder beside the target, swapped in only when
//! complete (see `crate::safe_fs`, which also guards what may be replaced); paths never leave
//! the folder.

use crate::error::Error;
use crate::safe_fs::{self, Staged};
use std::path::{Component, Path, PathBuf};

pub struct Staging {
    staged: Staged,
    /// Folders already made inside the staging folder: thousands of pages share a few
    /// folders, so each is created once rather than asked for again per page.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// Whether `rel` is a plain relative path that stays inside its folder.
pub fn is_contained(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

impl Staging {
    /// Prepares to build `target`: refuses anything but a new or empty folder or an earlier
    /// site.
    pub fn new(target: &Path) -> Result<Staging, Error> {
        Ok(Staging {
            staged: Staged::begin(target, &safe_fs::SITE)?,
            made: Default::default(),
        })
    }

    /// Writes one file (path relative to the site root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if !is_contained(rel) {
            return Err(Error::Usage(format!(
                "refusing to write outside the site folder: {rel}"
            )));
        }
        let path = self.staged.dir().join(rel);
        if let Some(parent) = path.parent() {
            // A poisoned lock only means another thread panicked: making the folder again
            // is harmless.
            let known = self
                .made
                .lock()
                .map(|m| m.contains(parent))
                .unwrap_or(false);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                if let Ok(mut made) = self.made.lock() {
                    made.insert(parent.to_path_buf());
                }
            }
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Swaps the finished site into place; returns its canonical path.
    pub fn finish(self) -> Result<PathBuf, Error> {
        self.staged.finish()
    }

    /// Removes the staging folder (after a failure).
    pub fn abandon(self) {
        drop(self.staged);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Paths with parent steps, roots or nothing are refused.
    #[test]
    fn containment() {
        assert!(is_contained("objectives/2026-Q4/t/a.html"));
        for bad in ["", "../x", "a/../../x", "/etc/passwd"] {
            assert!(!is_contained(bad), "{bad}");
        }
    }
}
