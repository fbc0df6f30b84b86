//! `cache clear`: removes the history index of the repository holding the goal root.

use crate::error::Error;
use std::path::Path;

/// Removes the history index; returns the number of files removed.
pub fn clear(dir: &Path) -> Result<usize, Error> {
    super::common::open_repo(dir)?.clear_index()
}
