//! `goalpost cache clear`: drop the incremental history index.

use crate::error::Error;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    action: CacheAction,
}

#[derive(Debug, clap::Subcommand)]
enum CacheAction {
    /// Remove the history index (`<git dir>/goalpost/`); the next command rebuilds it.
    Clear,
}

pub fn run(dir: &Path, args: CacheArgs) -> Result<u8, Error> {
    match args.action {
        CacheAction::Clear => {
            let removed = crate::app::cache::clear(dir)?;
            let files = if removed == 1 { "file" } else { "files" };
            super::out::print(&format!("cleared the history index ({removed} {files})\n"))?;
        }
    }
    Ok(0)
}
