//! The file format v1, declared once as field tables: the loader checks keys and types
//! against them, and `goalpost schema` turns them into JSON Schema.

use super::fields::{Field, Ty};

const fn field(name: &'static str, ty: Ty, required: bool, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required,
        doc,
    }
}

pub const OBJECTIVE_KINDS: &[&str] = &["aspirational", "committed"];
pub const DIRECTIONS: &[&str] = &["up", "down"];

pub const CHECKIN_FIELDS: &[Field] = &[
    field("date", Ty::Date, true, "Day the value was measured."),
    field(
        "value",
        Ty::NumberOrBool,
        true,
        "The measured value (true/false for a milestone).",
    ),
    field("note", Ty::Str, false, "What happened."),
];

pub const KEY_RESULT_FIELDS: &[Field] = &[
    field(
        "id",
        Ty::Str,
        true,
        "Identifier, unique within the objective.",
    ),
    field("title", Ty::Str, true, "The measurable outcome."),
    field("unit", Ty::Str, false, "Unit of the metric, e.g. ms or %."),
    field(
        "start",
        Ty::Number,
        false,
        "Baseline value at the start of the period.",
    ),
    field("target", Ty::Number, false, "Value that scores 1.0."),
    field("current", Ty::Number, false, "Latest measured value."),
    field(
        "done",
        Ty::Bool,
        false,
        "For a milestone key result instead of start/target/current.",
    ),
    field(
        "weight",
        Ty::Number,
        false,
        "Relative weight in the objective score (default 1).",
    ),
    field(
        "confidence",
        Ty::Number,
        false,
        "Confidence of reaching the target, 0..1.",
    ),
    field(
        "checkins",
        Ty::TableArray(CHECKIN_FIELDS),
        false,
        "Dated check-ins recorded outside a commit.",
    ),
];

pub const OBJECTIVE_FIELDS: &[Field] = &[
    field("title", Ty::Str, true, "The qualitative objective."),
    field("owner", Ty::Str, true, "Who is accountable."),
    field(
        "kind",
        Ty::Enum(OBJECTIVE_KINDS),
        false,
        "aspirational (default) or committed.",
    ),
    field(
        "parent",
        Ty::Str,
        false,
        "Qualified id of the objective this aligns to, same period.",
    ),
    field(
        "id",
        Ty::Str,
        false,
        "Pins the objective id (<team>/<slug>) when the file moves.",
    ),
    field(
        "carried_from",
        Ty::Str,
        false,
        "Qualified id of the objective this continues.",
    ),
    field(
        "description",
        Ty::Str,
        false,
        "Narrative (the Markdown body in .md files).",
    ),
    field(
        "key_results",
        Ty::TableArray(KEY_RESULT_FIELDS),
        true,
        "Two to five key results.",
    ),
];

pub const KPI_FIELDS: &[Field] = &[
    field("title", Ty::Str, true, "What is measured."),
    field("owner", Ty::Str, false, "Who watches it."),
    field("unit", Ty::Str, false, "Unit, e.g. %."),
    field(
        "direction",
        Ty::Enum(DIRECTIONS),
        false,
        "up: higher is better; down: lower is better.",
    ),
    field("value", Ty::Number, true, "Current measurement."),
    field(
        "green",
        Ty::Number,
        false,
        "Healthy at or beyond this, in the good direction.",
    ),
    field(
        "red",
        Ty::Number,
        false,
        "Unhealthy beyond this, in the bad direction.",
    ),
    field("id", Ty::Str, false, "Pins the KPI id when the file moves."),
    field(
        "description",
        Ty::Str,
        false,
        "Narrative (the Markdown body in .md files).",
    ),
];

pub const PERIOD_FIELDS: &[Field] = &[
    field(
        "name",
        Ty::Str,
        true,
        "Folder name under goals/, e.g. FY27-H1.",
    ),
    field("start", Ty::Date, true, "First day."),
    field("end", Ty::Date, true, "Last day (inclusive)."),
];

pub const SITE_FIELDS: &[Field] = &[
    field("title", Ty::Str, false, "Title of the status site."),
    field(
        "url",
        Ty::Str,
        false,
        "Where the site is published, for absolute links in the feed.",
    ),
    field(
        "noindex",
        Ty::Bool,
        false,
        "Ask search engines not to index the site (for private hosts).",
    ),
];
pub const GOALS_FIELDS: &[Field] = &[
    field(
        "dir",
        Ty::Str,
        false,
        "Folder of objective files (default goals).",
    ),
    field(
        "kpi_dir",
        Ty::Str,
        false,
        "Folder of KPI files (default kpis).",
    ),
];
pub const SCORING_FIELDS: &[Field] = &[field(
    "success",
    Ty::Number,
    false,
    "Score at which an aspirational objective counts as achieved (default 0.7).",
)];
pub const STATUS_FIELDS: &[Field] = &[field(
    "stale_after_days",
    Ty::Number,
    false,
    "Days without a check-in after which a key result is stale (default 14).",
)];

pub const CONFIG_FIELDS: &[Field] = &[
    field(
        "site",
        Ty::Table(SITE_FIELDS),
        false,
        "Status site settings.",
    ),
    field(
        "goals",
        Ty::Table(GOALS_FIELDS),
        false,
        "Where goal files live.",
    ),
    field(
        "scoring",
        Ty::Table(SCORING_FIELDS),
        false,
        "Scoring settings.",
    ),
    field(
        "status",
        Ty::Table(STATUS_FIELDS),
        false,
        "Status report settings.",
    ),
    field(
        "periods",
        Ty::TableArray(PERIOD_FIELDS),
        false,
        "Named periods besides quarters.",
    ),
];
