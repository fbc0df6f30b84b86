//! JSON Schema for `.toml` goal, KPI and configuration files, generated from the same field
//! tables the loader checks against, so editors (Taplo) and `check` agree: types, required
//! keys, unknown keys, ranges, id patterns, the URL rule, the ±1e15 bound on numbers, and
//! a key result's measure as `if`/`then`/`else` (an editor then says "target is a required
//! property", not "does not match any of oneOf"). What one file's schema cannot know
//! (another file, goalpost.toml's periods, a TOML date against a date-shaped string) is
//! listed in docs/editors.md; tests/it/schema_parity.rs holds the two together.

use super::fields::{Field, Limit, Ty, CONFIG_FIELDS, KPI_FIELDS, OBJECTIVE_FIELDS};
use crate::model::MAX_MAGNITUDE;
use serde_json::{json, Map, Value};

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Objective,
    Kpi,
    Config,
}

impl SchemaKind {
    /// The schema's file name in `schemas/` (this repository's and the one `init` writes).
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaKind::Objective => "objective.json",
            SchemaKind::Kpi => "kpi.json",
            SchemaKind::Config => "goalpost.json",
        }
    }
}

/// Where this repository publishes `schemas/<file>` (the schema's `$id`, for SchemaStore).
pub fn published_url(kind: SchemaKind) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let raw = repository.replacen(
        "https://github.com/",
        "https://raw.githubusercontent.com/",
        1,
    );
    format!("{raw}/main/schemas/{}", kind.file_name())
}

pub fn schema(kind: SchemaKind) -> Value {
    let (title, description, fields) = match kind {
        SchemaKind::Objective => (
            "goalpost objective (format v1)",
            "An objective with its key results: a goals/<period>/<team>/<slug>.toml file, or the +++ front matter of a .md one.",
            OBJECTIVE_FIELDS,
        ),
        SchemaKind::Kpi => (
            "goalpost KPI (format v1)",
            "A key performance indicator: a kpis/<slug>.toml file.",
            KPI_FIELDS,
        ),
        SchemaKind::Config => (
            "goalpost.toml",
            "Configuration of a goalpost goal repository (goals as plain text in git); every key is optional.",
            CONFIG_FIELDS,
        ),
    };
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    root.insert("$id".into(), json!(published_url(kind)));
    root.insert("title".into(), json!(title));
    root.insert("description".into(), json!(description));
    if let Value::Object(body) = object(fields) {
        root.extend(body);
    }
    Value::Object(root)
}

fn object(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        let mut prop = value_schema(f.ty);
        if let Value::Object(m) = &mut prop {
            m.insert("description".into(), json!(f.doc));
            limit(m, f.limit);
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
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    if fields.iter().any(|f| f.name == "done") {
        if let Value::Object(m) = &mut schema {
            m.extend(measure_choice());
        }
    }
    schema
}

/// A key result is a milestone (`done`, check-ins true/false) or a metric (`start`,
/// `target` and `current`, numeric check-ins), never both.
fn measure_choice() -> Map<String, Value> {
    let checkin_value = |ty: &str| json!({"items": {"properties": {"value": {"type": ty}}}});
    let Value::Object(m) = json!({
        "if": {"required": ["done"]},
        "then": {"properties": {
            "start": false, "target": false, "current": false,
            "checkins": checkin_value("boolean"),
        }},
        "else": {
            "required": ["start", "target", "current"],
            "properties": {"checkins": checkin_value("number")},
        },
    }) else {
        return Map::new();
    };
    m
}

/// Adds the keywords of `limit`; numbers without one get the ±1e15 bound.
fn limit(prop: &mut Map<String, Value>, limit: Limit) {
    let numeric =
        matches!(prop.get("type"), Some(t) if t == "number" || t == &json!(["number", "boolean"]));
    match limit {
        Limit::Range {
            min,
            min_excluded,
            max,
        } => {
            let key = if min_excluded {
                "exclusiveMinimum"
            } else {
                "minimum"
            };
            prop.insert(key.into(), json!(min));
            prop.insert("maximum".into(), json!(max));
        }
        Limit::Whole { min, max } => {
            prop.insert("type".into(), json!("integer"));
            prop.insert("minimum".into(), json!(min));
            prop.insert("maximum".into(), json!(max));
        }
        Limit::Pattern(p) => {
            prop.insert("pattern".into(), json!(p));
        }
        Limit::Url => {
            prop.insert("format".into(), json!("uri"));
            prop.insert("pattern".into(), json!("^https?://[^/?#]"));
        }
        Limit::None if numeric => {
            prop.insert("minimum".into(), json!(-MAX_MAGNITUDE));
            prop.insert("maximum".into(), json!(MAX_MAGNITUDE));
        }
        Limit::None => {}
    }
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
        assert_eq!(
            kr["else"]["required"],
            json!(["start", "target", "current"])
        );
        assert_eq!(kr["properties"]["confidence"]["maximum"], json!(1.0));
        assert_eq!(kr["properties"]["weight"]["exclusiveMinimum"], json!(0.0));
        assert_eq!(s["required"], json!(["title", "owner", "key_results"]));
        assert!(s["$id"]
            .as_str()
            .unwrap()
            .ends_with("/schemas/objective.json"));
    }
}
