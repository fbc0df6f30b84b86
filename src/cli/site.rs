//! `goalpost site --out DIR`: the static status site.

use super::common::{as_of, open_repo, read_history, AsOfArgs, HistoryArgs};
use super::out;
use crate::error::Error;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// Where to write the site (replaced only if goalpost made it).
    #[arg(long, value_name = "DIR", required_unless_present = "init_templates")]
    out: Option<PathBuf>,
    /// Copy the built-in templates into the repository's templates/ folder to customise them.
    #[arg(long)]
    init_templates: bool,
    #[command(flatten)]
    history: HistoryArgs,
    #[command(flatten)]
    as_of: AsOfArgs,
}

/// Builds the site of the goal root found from `dir` into `out`; returns the index page.
pub fn build(
    dir: &Path,
    out: &Path,
    history_args: &HistoryArgs,
    now: &AsOfArgs,
) -> Result<(PathBuf, usize), Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, history_args)?;
    history.require_since(jiff::Timestamp::MIN, history_args.allow_shallow)?;
    // Templates come from the analysed commit, like the goals: the working tree's
    // `templates/` (uncommitted edits, links to outside files) never reaches the site.
    let analysed = history.head.as_ref().map_or(&history_args.rev, |c| &c.id);
    let overrides =
        crate::site::templates::Overrides::new(repo.templates_at(repo.resolve(analysed)?)?);
    let base_url = history.config.site_url.clone();
    let now = as_of(now, &history)?;
    let summary = crate::site::build(&history, Some(overrides), out, &base_url, now)?;
    let index = std::fs::canonicalize(&summary.out)
        .unwrap_or(summary.out)
        .join("index.html");
    Ok((index, summary.pages))
}

pub fn run(dir: &Path, args: SiteArgs) -> Result<u8, Error> {
    if args.init_templates {
        let root = crate::app::workspace::find_root(dir)?;
        let written = crate::site::init_templates(&root)?;
        let mut text = format!("templates in {}:\n", root.join("templates").display());
        for name in &written {
            text.push_str(&format!("  created {name}\n"));
        }
        if written.is_empty() {
            text.push_str("  all were there already; nothing written\n");
        }
        out::print(&text)?;
        if args.out.is_none() {
            return Ok(0);
        }
    }
    let target = dir.join(args.out.as_deref().unwrap_or(Path::new("site")));
    let (index, pages) = build(dir, &target, &args.history, &args.as_of)?;
    out::print(&format!("wrote {pages} pages; open {}\n", index.display()))?;
    Ok(0)
}
