//! Writing the site safely: into a staging folder beside the target, swapped in only when
//! complete; a folder goalpost did not make is never replaced; paths never leave the folder.

use crate::error::Error;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as a goalpost site, so a rebuild may replace it.
pub const MARKER: &str = ".goalpost-site";

pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
}

/// Whether `rel` is a plain relative path that stays inside its folder.
pub fn is_contained(rel: &str) -> bool {
    let path = Path::new(rel);
    !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

impl Staging {
    /// Prepares to build `target`: refuses a non-empty folder without the marker.
    pub fn new(target: &Path) -> Result<Staging, Error> {
        if target.exists() {
            let is_ours = target.join(MARKER).is_file();
            let empty = std::fs::read_dir(target)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !target.is_dir() || !is_ours && !empty {
                return Err(Error::Usage(format!(
                    "refusing to replace {}: it was not made by `goalpost site` (no {MARKER} inside); pass an empty or new folder",
                    target.display()
                )));
            }
        }
        let name = target
            .file_name()
            .map_or("site".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let dir = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
        })
    }

    /// Writes one file (path relative to the site root).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        if !is_contained(rel) {
            return Err(Error::Usage(format!(
                "refusing to write outside the site folder: {rel}"
            )));
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }

    /// Swaps the finished site into place.
    pub fn finish(self) -> Result<PathBuf, Error> {
        self.write(
            MARKER,
            b"built by goalpost site; safe to delete with the folder\n",
        )?;
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map_or("site".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        if self.target.exists() {
            std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        std::fs::rename(&self.dir, &self.target).map_err(|e| Error::io(&self.target, e))?;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(self.target.clone())
    }

    /// Removes the staging folder (after a failure).
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
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
