//! `goalpost schema`: JSON Schema for editors.

use crate::error::Error;
use crate::load::schema::{schema, SchemaKind};

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which file's schema to print.
    #[arg(value_enum, default_value = "objective")]
    kind: SchemaKind,
}

pub fn run(args: SchemaArgs) -> Result<u8, Error> {
    super::out::print(&crate::report::json(&schema(args.kind))?)?;
    Ok(0)
}
