//! `site`: the static status site, and copying its templates out for customising.

use super::common::{as_of, open_repo, read_history, HistoryOptions};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// What a site build made.
#[derive(Debug)]
pub struct Built {
    /// The index page.
    pub index: PathBuf,
    pub pages: usize,
    /// Errors `check` finds in the analysed revision: the site shows their objectives with
    /// their last good state, and the caller warns.
    pub check_errors: usize,
}

/// Builds the site of the goal root found from `dir` into `out`.
pub fn build(
    dir: &Path,
    out: &Path,
    options: &HistoryOptions,
    asked_as_of: Option<&str>,
) -> Result<Built, Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, options)?;
    history.require_since(jiff::Timestamp::MIN, options.allow_shallow)?;
    // Templates come from the analysed commit, like the goals: the working tree's
    // `templates/` (uncommitted edits, links to outside files) never reaches the site.
    let analysed = history.head.as_ref().map_or(&options.rev, |c| &c.id);
    let overrides =
        crate::site::templates::Overrides::new(repo.templates_at(repo.resolve(analysed)?)?);
    let base_url = history.config.site_url.clone();
    let now = as_of(asked_as_of, &history)?;
    let summary = crate::site::build(&history, Some(overrides), out, &base_url, now)?;
    let index = std::fs::canonicalize(&summary.out)
        .unwrap_or(summary.out)
        .join("index.html");
    let mut snapshot = repo.load_at(repo.resolve(analysed)?)?;
    crate::check::run(&mut snapshot);
    Ok(Built {
        index,
        pages: summary.pages,
        check_errors: crate::load::diagnostic::tally(&snapshot.diagnostics).0,
    })
}

/// Copies the built-in templates into the goal root's `templates/`; the root and the names
/// written.
pub fn init_templates(dir: &Path) -> Result<(PathBuf, Vec<String>), Error> {
    let root = super::workspace::find_root(dir)?;
    let written = crate::site::init_templates(&root)?;
    Ok((root, written))
}
