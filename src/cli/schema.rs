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
    let mut text = serde_json::to_string_pretty(&schema(args.kind)).unwrap_or_default();
    text.push('\n');
    super::out::print(&text)?;
    Ok(0)
}
