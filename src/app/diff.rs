//! `diff`: semantic changes between two revisions, or a revision and the working tree.

use super::common::{open_repo, parse_as_of};
use crate::error::Error;
use crate::report::diff::DiffReport;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct DiffOptions {
    pub rev_a: String,
    /// The new revision; `None`: the working tree.
    pub rev_b: Option<String>,
    /// When the change counts as made (default: rev-b's commit time, or now).
    pub as_of: Option<String>,
}

pub fn run(dir: &Path, options: &DiffOptions) -> Result<DiffReport, Error> {
    let root = super::workspace::find_root(dir)?;
    let repo = open_repo(dir)?;
    let a = repo.resolve(&options.rev_a)?;
    let old = repo.load_at(a)?;
    let (new, to, at) = match &options.rev_b {
        Some(rev) => {
            let b = repo.resolve(rev)?;
            (repo.load_at(b)?, rev.clone(), repo.commit_info(b)?.time)
        }
        None => {
            let ws = super::workspace::read_workspace(&root)?;
            (
                ws.load(),
                "working tree".to_string(),
                jiff::Timestamp::now(),
            )
        }
    };
    let at = match &options.as_of {
        Some(t) => parse_as_of(t)?,
        None => at,
    };
    // A file with errors shows its last good state, as in every history view.
    let mut new = new;
    new.keep_last_good(&old);
    let changes = crate::model::diff::diff(old.side(), new.side(), at);
    Ok(DiffReport {
        from: options.rev_a.clone(),
        to,
        changes,
    })
}
