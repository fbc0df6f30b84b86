//! `goalpost schema`: JSON Schema for editors.

use crate::app::schema::SchemaKind;
use crate::error::Error;

/// Which file's schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaArg {
    Objective,
    Kpi,
    Config,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum, default_value = "objective")]
    kind: SchemaArg,
}

pub fn run(args: SchemaArgs) -> Result<u8, Error> {
    let kind = match args.kind {
        SchemaArg::Objective => SchemaKind::Objective,
        SchemaArg::Kpi => SchemaKind::Kpi,
        SchemaArg::Config => SchemaKind::Config,
    };
    super::out::print(&crate::report::json(&crate::app::schema::run(kind))?)?;
    Ok(0)
}
