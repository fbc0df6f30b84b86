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
    refuse_unsafe_target(&repo, dir, out)?;
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

/// Refuses an output folder that holds the goal root, or one inside the repository whose
/// marker the repository itself carries while it holds work git could not give back: a
/// committed `.goalpost-site` says nothing about who made the folder (any pull request can
/// add one), so there only what git can restore may be replaced.
fn refuse_unsafe_target(repo: &crate::history::Repo, dir: &Path, out: &Path) -> Result<(), Error> {
    let target = crate::safe_fs::resolve(out)?;
    let root = super::workspace::find_root(dir)?;
    let refuse = |why: String| {
        Err(Error::Usage(format!(
            "refusing to replace {}: {why}; pass a new or empty folder",
            target.display()
        )))
    };
    if root.starts_with(&target) {
        return refuse("it holds the goal repository".into());
    }
    if repo.tracks(&target.join(crate::safe_fs::SITE.marker)) {
        let lost = repo.unrecoverable_under(&target)?;
        if let Some(first) = lost.first() {
            return refuse(format!(
                "its {} marker is committed in the repository, and it holds work git cannot restore ({first}{})",
                crate::safe_fs::SITE.marker,
                if lost.len() > 1 { format!(" and {} more", lost.len() - 1) } else { String::new() }
            ));
        }
    }
    Ok(())
}

/// Copies the built-in templates into the goal root's `templates/`; the root and the names
/// written.
pub fn init_templates(dir: &Path) -> Result<(PathBuf, Vec<String>), Error> {
    let root = super::workspace::find_root(dir)?;
    let written = crate::site::init_templates(&root)?;
    Ok((root, written))
}
