//! The file format v1, declared once as field tables: the loader checks keys and types
//! against them, and `goalpost schema` turns them into JSON Schema.

use super::fields::{Field, Limit, Ty};
use super::ids::{
    DIR_PATTERN, OBJECTIVE_ID_PATTERN, PARENT_PATTERN, QUALIFIED_ID_PATTERN, SEGMENT_PATTERN,
};

const fn field(name: &'static str, ty: Ty, required: bool, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required,
        doc,
        limit: Limit::None,
    }
}

/// `0..=1`.
const FRACTION: Limit = Limit::Range {
    min: 0.0,
    min_excluded: false,
    max: 1.0,
};
/// `> 0` (up to the bound every number has).
const POSITIVE: Limit = Limit::Range {
    min: 0.0,
    min_excluded: true,
    max: crate::model::MAX_MAGNITUDE,
};

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

/// A KPI's dated check-ins: a number each.
pub const KPI_CHECKIN_FIELDS: &[Field] = &[
    field("date", Ty::Date, true, "Day the value was measured."),
    field("value", Ty::Number, true, "The measured value."),
    field("note", Ty::Str, false, "What happened."),
];

pub const KEY_RESULT_FIELDS: &[Field] = &[
    field(
        "id",
        Ty::Str,
        true,
        "Identifier, unique within the objective.",
    )
    .limit(Limit::Pattern(SEGMENT_PATTERN)),
    field("title", Ty::Str, true, "The measurable outcome."),
    field(
        "renamed_from",
        Ty::Str,
        false,
        "The id this key result had before a rename (keeps its history).",
    ),
    field(
        "owner",
        Ty::Str,
        false,
        "Who is accountable for this key result (default: the objective's owner).",
    ),
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
    )
    .limit(POSITIVE),
    field(
        "confidence",
        Ty::Number,
        false,
        "Confidence of reaching the target, 0..1.",
    )
    .limit(FRACTION),
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
        "What this aligns to: an objective of the same or an enclosing period (<period>/<team>/<slug>), or a key result (<period>/<team>/<slug>#<kr>).",
    )
    .limit(Limit::Pattern(PARENT_PATTERN)),
    field(
        "id",
        Ty::Str,
        false,
        "Pins the objective id (<team>/<slug>) when the file moves.",
    )
    .limit(Limit::Pattern(OBJECTIVE_ID_PATTERN)),
    field(
        "carried_from",
        Ty::Str,
        false,
        "Qualified id of the objective this continues.",
    )
    .limit(Limit::Pattern(QUALIFIED_ID_PATTERN)),
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
    field("id", Ty::Str, false, "Pins the KPI id when the file moves.")
        .limit(Limit::Pattern(SEGMENT_PATTERN)),
    field(
        "checkins",
        Ty::TableArray(KPI_CHECKIN_FIELDS),
        false,
        "Dated measurements recorded outside a commit.",
    ),
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
    )
    .limit(Limit::Pattern(SEGMENT_PATTERN)),
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
    )
    .limit(Limit::Url),
    field(
        "timezone",
        Ty::Str,
        false,
        "IANA time zone (e.g. Europe/Oslo) for displayed times and period boundaries (default UTC).",
    ),
    field(
        "noindex",
        Ty::Bool,
        false,
        "Ask search engines not to index the site (for private hosts).",
    ),
];
/// One person of `[people]`, keyed by the name used as `owner`.
pub const PERSON_FIELDS: &[Field] = &[
    field(
        "name",
        Ty::Str,
        false,
        "Full name (with email: the git identity).",
    ),
    field(
        "email",
        Ty::Str,
        false,
        "Email address (with name: the git identity).",
    ),
    field("github", Ty::Str, false, "GitHub handle, without @."),
    field("gitlab", Ty::Str, false, "GitLab handle, without @."),
];
pub const GOALS_FIELDS: &[Field] = &[
    field(
        "dir",
        Ty::Str,
        false,
        "Folder of objective files (default goals).",
    )
    .limit(Limit::Pattern(DIR_PATTERN)),
    field(
        "kpi_dir",
        Ty::Str,
        false,
        "Folder of KPI files (default kpis).",
    )
    .limit(Limit::Pattern(DIR_PATTERN)),
];
pub const SCORING_FIELDS: &[Field] = &[field(
    "success",
    Ty::Number,
    false,
    "Score at which an aspirational objective counts as achieved (default 0.7).",
)
.limit(Limit::Range {
    min: 0.0,
    min_excluded: true,
    max: 1.0,
})];
pub const STATUS_FIELDS: &[Field] = &[field(
    "stale_after_days",
    Ty::Number,
    false,
    "Days without a check-in after which a key result is stale (default 14).",
)
.limit(Limit::Whole { min: 1, max: 3650 })];

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
    field(
        "people",
        Ty::Map(PERSON_FIELDS),
        false,
        "Owners and how to reach them: owner = { name, email, github, gitlab }.",
    ),
];
