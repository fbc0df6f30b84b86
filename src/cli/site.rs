//! `goalpost site --out DIR`: the static status site.

use super::common::{AsOfArgs, HistoryArgs};
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

pub fn run(dir: &Path, args: SiteArgs) -> Result<u8, Error> {
    if args.init_templates {
        let (root, written) = crate::app::site::init_templates(dir)?;
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
    let built = crate::app::site::build(
        dir,
        &target,
        &args.history.options(),
        args.as_of.as_of.as_deref(),
    )?;
    if built.check_errors > 0 {
        out::eprint_line(&format!(
            "warning: the goal files of the analysed revision have {}; their objectives show their last good state, marked \"file has errors\"; run `goalpost check`",
            crate::report::plural(built.check_errors, "error")
        ));
    }
    out::print(&format!(
        "wrote {} pages; open {}\n",
        built.pages,
        built.index.display()
    ))?;
    Ok(0)
}
