//! `goalpost check`: validate every file and lint OKR practice.

use super::{out, require_format};
use crate::error::Error;
use crate::load::Loaded;
use crate::report::{diagnostics, Format};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format: text, json or github (workflow annotations).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Loads the working tree under the goal root and runs every check.
pub fn check_workspace(dir: &Path) -> Result<(std::path::PathBuf, Loaded, usize), Error> {
    let root = crate::app::workspace::find_root(dir)?;
    let ws = crate::app::workspace::read_workspace(&root)?;
    let files = ws.files.len();
    let mut loaded = ws.load();
    crate::check::run(&mut loaded);
    Ok((root, loaded, files))
}

pub fn run(dir: &Path, args: CheckArgs) -> Result<u8, Error> {
    require_format(args.format, &[Format::Text, Format::Json, Format::Github])?;
    let (root, loaded, files) = check_workspace(dir)?;
    let diags = &loaded.diagnostics;
    let text = match args.format {
        Format::Json => diagnostics::json(diags),
        Format::Github => diagnostics::github(diags, &git_prefix(&root)),
        _ => {
            let mut t = diagnostics::text(diags, &loaded.sources, out::color());
            t.push_str(&diagnostics::summary(diags, files));
            t.push('\n');
            t
        }
    };
    out::print(&text)?;
    Ok(u8::from(loaded.has_errors()))
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
