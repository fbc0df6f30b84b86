//! `goalpost demo`: build the example repository and show what goalpost makes of it.

use super::common::emit;
use crate::error::Error;
use crate::report::Format;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Where to build the demo repository (replaced if an earlier demo is there).
    #[arg(long, default_value = "goalpost-demo")]
    out: PathBuf,
}

pub fn run(dir: &Path, args: DemoArgs) -> Result<u8, Error> {
    emit(&crate::app::demo::run(dir, &args.out)?, Format::Text)?;
    Ok(0)
}
