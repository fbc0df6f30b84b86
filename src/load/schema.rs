//! JSON Schema for `.toml` goal, KPI and configuration files, generated from the same field
//! tables the loader checks against, so editors (Taplo) and `check` agree.

use super::fields::{Field, Ty, CONFIG_FIELDS, KPI_FIELDS, OBJECTIVE_FIELDS};
use serde_json::{json, Map, Value};

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Objective,
    Kpi,
    Config,
}

pub fn schema(kind: SchemaKind) -> Value {
    let (title, fields) = match kind {
        SchemaKind::Objective => ("goalpost objective (format v1)", OBJECTIVE_FIELDS),
        SchemaKind::Kpi => ("goalpost KPI (format v1)", KPI_FIELDS),
        SchemaKind::Config => ("goalpost.toml", CONFIG_FIELDS),
    };
    let mut root = object(fields);
    if let Value::Object(map) = &mut root {
        map.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
        map.insert("title".into(), json!(title));
    }
    root
}

fn object(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        let mut prop = value_schema(f.ty);
        if let Value::Object(m) = &mut prop {
            m.insert("description".into(), json!(f.doc));
        }
        properties.insert(f.name.into(), prop);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    if fields.iter().any(|f| f.name == "done") {
        schema["oneOf"] = measure_choice();
    }
    schema
}

/// A key result is a milestone (`done`) or a metric (`start`, `target`, `current`).
fn measure_choice() -> Value {
    let any_metric = json!({"anyOf": [
        {"required": ["start"]}, {"required": ["target"]}, {"required": ["current"]}
    ]});
    json!([
        {"required": ["done"], "not": any_metric},
        {"required": ["start", "target", "current"], "not": {"required": ["done"]}}
    ])
}

fn value_schema(ty: Ty) -> Value {
    match ty {
        Ty::Str => json!({"type": "string"}),
        Ty::Number => json!({"type": "number"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Date => json!({"type": "string", "format": "date"}),
        Ty::NumberOrBool => json!({"type": ["number", "boolean"]}),
        Ty::Enum(options) => json!({"type": "string", "enum": options}),
        Ty::Table(fields) => object(fields),
        Ty::TableArray(fields) => json!({"type": "array", "items": object(fields)}),
        Ty::Map(fields) => json!({"type": "object", "additionalProperties": object(fields)}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The objective schema rejects unknown keys and knows the key result shape.
    #[test]
    fn objective_schema_shape() {
        let s = schema(SchemaKind::Objective);
        assert_eq!(s["additionalProperties"], json!(false));
        let kr = &s["properties"]["key_results"]["items"];
        assert_eq!(kr["properties"]["target"]["type"], json!("number"));
        assert!(kr["oneOf"].is_array());
        assert_eq!(s["required"], json!(["title", "owner", "key_results"]));
    }
}
