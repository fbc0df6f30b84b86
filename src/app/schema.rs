//! `schema`: the JSON Schema of a goal, KPI or configuration file.

pub use crate::load::schema::SchemaKind;

pub fn run(kind: SchemaKind) -> serde_json::Value {
    crate::load::schema::schema(kind)
}
