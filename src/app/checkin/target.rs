//! What a check-in row names and what it changes: the key result or KPI found in the
//! working tree, the value as TOML for its kind, and the [`Recipe`] of edits to its file.
//! A recipe is re-applied to HEAD's (and a staged) version of the file for `--commit`.

use super::CheckinRequest;
use crate::app::common::resolve_period;
use crate::error::Error;
use crate::load::edit::{change_at, toml_string, EditError, EntryChange, Target};
use crate::load::{self, Loaded};
use crate::model::moves::is_measured_field;
use crate::model::{number_literal, Config, KeyResult, Kpi, Measure, Objective};

/// The thing a check-in is for.
pub enum Found<'a> {
    Kr(&'a Objective, &'a KeyResult),
    Kpi(&'a Kpi),
}

/// Finds the key result (`<team>/<slug>#<kr>`, qualified or with `period`) or KPI (`<id>`)
/// that `id` names, with an error that says where it looked.
pub fn find<'a>(
    loaded: &'a Loaded,
    id: &str,
    period: Option<&str>,
    today: jiff::civil::Date,
) -> Result<Found<'a>, Error> {
    if let Some(p) = period {
        resolve_period(&loaded.config, p, &loaded.goals.period_names())?;
    }
    if id.contains('#') {
        let (o, kr) = super::find_kr(loaded, id, period, today)?;
        return Ok(Found::Kr(o, kr));
    }
    if let Some(k) = loaded.goals.kpis.iter().find(|k| k.id == id) {
        return Ok(Found::Kpi(k));
    }
    // An id with a `/` reads as an objective's: why it names none (ambiguous, in another
    // period than --period, an impossible period) is the answer. A bare word is a KPI id,
    // so "no KPI" is, even when --period names an empty period.
    let objective = match id.contains('/') {
        true => super::resolve_objective(loaded, id, period, today)?,
        false => None,
    };
    if let Some(o) = objective {
        let krs: Vec<String> = o
            .key_results
            .iter()
            .map(|k| format!("{id}#{}", k.id))
            .collect();
        return Err(Error::Usage(format!(
            "`{id}` is an objective: check in one of its key results ({})",
            krs.join(", ")
        )));
    }
    let kpis: Vec<&str> = loaded.goals.kpis.iter().map(|k| k.id.as_str()).collect();
    let kpis = if kpis.is_empty() {
        "there are none".to_string()
    } else {
        format!("known: {}", kpis.join(", "))
    };
    Err(Error::Usage(format!(
        "no KPI `{id}` ({kpis}), and it is not a key result id (<team>/<slug>#<kr>): looked for both"
    )))
}

/// How to make one row's check-in: found once in the working tree, then applied to the
/// working file and, for `--commit`, to HEAD's version (and a staged version) of it.
#[derive(Debug, Clone)]
pub struct Recipe {
    pub file: String,
    markdown: bool,
    /// The key result's id in its objective, or `None` for a KPI (top-level keys).
    entry: Option<String>,
    /// `(key, literal)` values to set, in order (`current`/`done`/`value`, `confidence`).
    sets: Vec<(&'static str, String)>,
    /// The dated check-in's fields, when one is recorded.
    dated: Option<Vec<(&'static str, String)>>,
    /// The full id and what was recorded, for messages.
    pub id: String,
    /// The period of the key result's objective (`None`: a KPI, which has no period).
    pub period: Option<String>,
    pub summary: String,
    /// The note, when it goes in the commit message (not in the file).
    pub message_note: Option<String>,
}

impl Recipe {
    /// Whether the check-in changes a measured value (not only the confidence): after the
    /// period ended, that rewrites its result, which `review` flags.
    pub fn changes_result(&self) -> bool {
        let dated = self.dated.is_some() && is_measured_field("checkins");
        dated || self.sets.iter().any(|(key, _)| is_measured_field(key))
    }

    /// The check-in made on `text`, re-parsed and checked: exactly the intended change,
    /// and no new error in the file.
    pub fn apply(&self, text: &str, config: &Config) -> Result<String, EditError> {
        let target = match &self.entry {
            Some(id) => Target::Entry {
                array: "key_results",
                id,
            },
            None => Target::Root,
        };
        let mut new = text.to_string();
        if let Some(dated) = &self.dated {
            let fields: Vec<(&str, &str)> = dated.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let push = EntryChange::Push {
                array: "checkins",
                fields: &fields,
            };
            new = change_at(&new, self.markdown, target, &push)?;
        }
        for (key, literal) in &self.sets {
            let set = EntryChange::Set { key, literal };
            new = change_at(&new, self.markdown, target, &set)?;
        }
        no_new_errors(&self.file, text, &new, config)?;
        Ok(new)
    }
}

/// The edited file must not have more errors than before.
fn no_new_errors(file: &str, before: &str, after: &str, config: &Config) -> Result<(), EditError> {
    let Some(Ok(kind)) = load::classify(file, config) else {
        return Err(EditError::from("it is not a goal file"));
    };
    let errors = |text: &str| {
        load::parse_file(file, &kind, text.as_bytes(), config)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .count()
    };
    if errors(after) > errors(before) {
        return Err("the edit would make the file invalid".into());
    }
    Ok(())
}

/// Plans one row: finds its target and turns it into a recipe, or says what is wrong.
pub fn recipe(
    loaded: &Loaded,
    req: &CheckinRequest,
    today: jiff::civil::Date,
) -> Result<Recipe, Error> {
    if req.value.is_none() && req.confidence.is_none() && req.note.is_none() {
        return Err(Error::Usage(
            "nothing to check in: give a value, a confidence or a note".into(),
        ));
    }
    if let Some(c) = req.confidence {
        if !(0.0..=1.0).contains(&c) || !c.is_finite() {
            return Err(Error::Usage(format!(
                "the confidence must be between 0 and 1, not {c}"
            )));
        }
    }
    if req.date.is_some() && req.value.is_none() && req.note.is_none() {
        return Err(Error::Usage(
            "a dated check-in records a value: give one (or a note)".into(),
        ));
    }
    // An unqualified id in several periods means the period of the check-in's date.
    let day = req.date.unwrap_or(today);
    match find(loaded, &req.id, req.period.as_deref(), day)? {
        Found::Kr(o, kr) => kr_recipe(o, kr, req, today),
        Found::Kpi(k) => kpi_recipe(k, req, today),
    }
}

fn kr_recipe(
    o: &Objective,
    kr: &KeyResult,
    req: &CheckinRequest,
    today: jiff::civil::Date,
) -> Result<Recipe, Error> {
    let id = format!("{}#{}", o.qualified_id(), kr.id);
    let (field, current) = match kr.measure {
        Measure::Metric { current, .. } => ("current", number_literal(current)),
        Measure::Milestone { done } => ("done", done.to_string()),
    };
    let value = req
        .value
        .as_deref()
        .map(|v| literal(&kr.measure, &id, v, "a metric key result"))
        .transpose()?;
    let mut recipe = base(&o.file, Some(kr.id.clone()), id, req, value.as_deref());
    recipe.period = Some(o.period.clone());
    match dated_fields(req, value.as_deref(), &current, today) {
        Some(fields) => recipe.dated = Some(fields),
        None => recipe.sets.extend(value.map(|v| (field, v))),
    }
    recipe
        .sets
        .extend(req.confidence.map(|c| ("confidence", number_literal(c))));
    Ok(recipe)
}

fn kpi_recipe(k: &Kpi, req: &CheckinRequest, today: jiff::civil::Date) -> Result<Recipe, Error> {
    if req.confidence.is_some() {
        return Err(Error::Usage(format!(
            "`{}` is a KPI: KPIs have no confidence (check in a value or a note)",
            k.id
        )));
    }
    let metric = Measure::Metric {
        start: 0.0,
        target: 1.0,
        current: k.value,
    };
    let value = req
        .value
        .as_deref()
        .map(|v| literal(&metric, &k.id, v, "a KPI"))
        .transpose()?;
    let mut recipe = base(&k.file, None, k.id.clone(), req, value.as_deref());
    match dated_fields(req, value.as_deref(), &number_literal(k.value), today) {
        Some(fields) => {
            // The newest measurement is also the KPI's `value` (its health).
            let date = req.date.unwrap_or(today);
            if k.checkins.iter().all(|c| c.date <= date) {
                recipe.sets.extend(value.map(|v| ("value", v)));
            }
            recipe.dated = Some(fields);
        }
        None => recipe.sets.extend(value.map(|v| ("value", v))),
    }
    Ok(recipe)
}

fn base(
    file: &str,
    entry: Option<String>,
    id: String,
    req: &CheckinRequest,
    value: Option<&str>,
) -> Recipe {
    let mut parts: Vec<String> = value.map(|v| format!("= {v}")).into_iter().collect();
    parts.extend(
        req.confidence
            .map(|c| format!("confidence {}", number_literal(c))),
    );
    if value.is_none() && req.note.is_some() {
        parts.push("note".into());
    }
    let dated = req.date.is_some() || value.is_none() && req.note.is_some();
    Recipe {
        file: file.to_string(),
        markdown: file.ends_with(".md"),
        entry,
        sets: Vec::new(),
        dated: None,
        summary: parts.join(", "),
        id,
        period: None,
        message_note: req.note.clone().filter(|_| !dated),
    }
}

/// The dated check-in's fields: with `--date`, or for a note without a value (recorded
/// today, with the value it has now, so the note is kept in the file).
fn dated_fields(
    req: &CheckinRequest,
    value: Option<&str>,
    current: &str,
    today: jiff::civil::Date,
) -> Option<Vec<(&'static str, String)>> {
    let note_only = value.is_none() && req.note.is_some();
    if req.date.is_none() && !note_only {
        return None;
    }
    let date = req.date.unwrap_or(today);
    let mut fields = vec![
        ("date", date.to_string()),
        ("value", value.unwrap_or(current).to_string()),
    ];
    fields.extend(req.note.as_deref().map(|n| ("note", toml_string(n))));
    Some(fields)
}

/// The value as TOML for a measure of this kind, or a clear error.
fn literal(measure: &Measure, id: &str, value: &str, what: &str) -> Result<String, Error> {
    match measure {
        Measure::Metric { .. } => match value.trim().parse::<f64>() {
            Ok(n) if crate::load::fields::in_bounds(n) => Ok(number_literal(n)),
            // The same bound `check` enforces in the files, so a check-in never writes a
            // value that `check` would then reject.
            Ok(_) => Err(Error::Usage(format!(
                "`{id}` is {what}: its value must be a finite number between -{max:e} and {max:e}, not `{value}`",
                max = crate::model::MAX_MAGNITUDE
            ))),
            Err(_) => Err(Error::Usage(format!(
                "`{id}` is {what}: its value must be a number, not `{value}`"
            ))),
        },
        Measure::Milestone { .. } => match value.trim() {
            "true" | "done" | "yes" => Ok("true".into()),
            "false" | "not-done" | "no" => Ok("false".into()),
            _ => Err(Error::Usage(format!("`{id}` is a milestone key result: its value must be `done` or `not-done` (true/false), not `{value}`"))),
        },
    }
}
