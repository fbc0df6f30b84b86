//! `rollover`: carries the objectives of one period that were not achieved (the model's
//! rule: score at least 1.0 when committed, the success score when aspirational) into the
//! next, as new files with `carried_from` set and the unfinished key results restarting
//! from their last values. Achieved objectives stay. New files are written atomically and never over an
//! existing one; each is parsed before it is written and must have no error.

use super::common::resolve_period;
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::period_score::achieved;
use crate::model::{number_literal, Objective};
use figures::Figures;
use std::path::Path;

mod figures;

#[derive(Debug, Clone)]
pub struct RolloverOptions {
    pub from: String,
    pub to: String,
    /// Print the plan, write nothing.
    pub dry_run: bool,
}

/// What happens to one objective of `from`.
#[derive(Debug, Clone)]
pub enum Step {
    /// Copied to `file` (relative to the goal root).
    Carry {
        id: String,
        file: String,
        score: f64,
        /// Key results that already reached their target (or are done): not carried.
        finished: Vec<String>,
    },
    /// Achieved: it stays.
    Stay { id: String, score: f64 },
    /// Not achieved, but `file` is already there (a previous roll-over or a hand-made
    /// file): nothing is overwritten.
    Exists { id: String, file: String },
}

#[derive(Debug, Clone)]
pub struct RolloverReport {
    pub from: String,
    pub to: String,
    pub dry_run: bool,
    pub steps: Vec<Step>,
}

/// Plans (and unless `dry_run`, writes) the roll-over in the goal root found from `dir`.
pub fn run(dir: &Path, options: &RolloverOptions) -> Result<RolloverReport, Error> {
    let root = super::workspace::find_root(dir)?;
    let loaded = super::new::working_tree(&root)?;
    let known = loaded.goals.period_names();
    let from = resolve_period(&loaded.config, &options.from, &known)?;
    let to = resolve_period(&loaded.config, &options.to, &known)?;
    if options.from == options.to {
        return Err(Error::Usage("<from> and <to> are the same period".into()));
    }
    // Carrying work back into an earlier period would rewrite a closed one: the same rule
    // as `compare`, which refuses reversed periods.
    if to.start <= from.start {
        return Err(Error::Usage(format!(
            "the periods are reversed: {} ({}) does not start after {} ({})\nhelp: carry into a later period: `goalpost rollover {} <next period>`",
            to.name, to.start, from.name, from.start, from.name
        )));
    }
    let objectives: Vec<&Objective> = loaded
        .goals
        .objectives
        .iter()
        .filter(|o| o.period == options.from)
        .collect();
    if objectives.is_empty() {
        return Err(Error::Usage(format!("no objectives in {}", options.from)));
    }
    let figures = Figures::of(dir, &options.from);
    let carried: Vec<String> = objectives
        .iter()
        .filter(|o| !achieved(figures.score(o), o.kind, loaded.config.success))
        .map(|o| o.qualified_id())
        .collect();
    let mut steps = Vec::new();
    let mut writes = Vec::new();
    for o in objectives {
        let score = figures.score(o);
        if !carried.contains(&o.qualified_id()) {
            steps.push(Step::Stay {
                id: o.qualified_id(),
                score,
            });
            continue;
        }
        let file = new_path(&loaded, o, &options.to)?;
        if root.join(&file).exists() {
            steps.push(Step::Exists {
                id: o.qualified_id(),
                file,
            });
            continue;
        }
        let text = carry_text(&loaded, &figures, o, (&file, &options.to), &carried)?;
        writes.push((file.clone(), text));
        steps.push(Step::Carry {
            id: o.qualified_id(),
            file,
            score,
            finished: figures.finished_ids(o),
        });
    }
    if !options.dry_run {
        for (file, text) in &writes {
            crate::safe_fs::write_new(&root.join(file), text.as_bytes())?;
        }
    }
    Ok(RolloverReport {
        from: options.from.clone(),
        to: options.to.clone(),
        dry_run: options.dry_run,
        steps,
    })
}

/// One carried key result's table: it restarts from its last value (`start` = `current`
/// = `last`, the value status shows, dated check-ins included), without dated check-ins
/// (they belong to the old period) or a confidence (a forecast made for the old period's
/// deadline).
fn restart(kr: &mut dyn toml_edit::TableLike, last: Option<f64>) {
    kr.remove("checkins");
    kr.remove("confidence");
    let Some(last) = last.filter(|_| kr.contains_key("current")) else {
        return;
    };
    for key in ["start", "current"] {
        if let Ok(v) = number_literal(last).parse::<toml_edit::Value>() {
            kr.insert(key, toml_edit::Item::Value(v));
        }
    }
}

/// `goals/<from>/<team>/<slug>.md` becomes `goals/<to>/<team>/<slug>.md`.
fn new_path(loaded: &Loaded, o: &Objective, to: &str) -> Result<String, Error> {
    let prefix = format!("{}/{}/", loaded.config.goals_dir, o.period);
    let rest = o
        .file
        .strip_prefix(&prefix)
        .ok_or_else(|| Error::Internal(format!("{} is not under {prefix}", o.file)))?;
    Ok(format!("{}/{to}/{rest}", loaded.config.goals_dir))
}

/// The new file's text: the old one with `carried_from`, only the unfinished key results,
/// each restarting ([`restart`]), and the parent kept when it still encloses, moved along
/// when it is carried too, else dropped.
fn carry_text(
    loaded: &Loaded,
    figures: &Figures,
    o: &Objective,
    (path, to): (&str, &str),
    carried: &[String],
) -> Result<String, Error> {
    let text = loaded
        .sources
        .get(&o.file)
        .ok_or_else(|| Error::Internal(format!("cannot read {}", o.file)))?;
    let markdown = o.file.ends_with(".md");
    let (head, toml, tail) = if markdown {
        let fm = load::split_front_matter(text)
            .map_err(|e| Error::Usage(format!("{}: {}", o.file, e.message)))?;
        (&text[..fm.base], fm.toml, &text[fm.base + fm.toml.len()..])
    } else {
        ("", text.as_str(), "")
    };
    let mut doc: toml_edit::DocumentMut = toml
        .parse()
        .map_err(|e: toml_edit::TomlError| Error::Usage(format!("{}: {}", o.file, e.message())))?;
    doc.insert("carried_from", toml_edit::value(o.qualified_id()));
    match o
        .parent
        .as_deref()
        .map(|p| new_parent(loaded, figures, p, (&o.period, to), carried))
    {
        Some(Some(p)) => {
            doc.insert("parent", toml_edit::value(p));
        }
        Some(None) => {
            doc.remove("parent");
        }
        None => {}
    }
    let done = figures.finished_ids(o);
    let id_of = |id: Option<&toml_edit::Value>| id.and_then(|v| v.as_str()).map(str::to_string);
    let is_done = |id: Option<String>| id.is_some_and(|id| done.contains(&id));
    let last = |id: Option<String>| {
        let kr = id.and_then(|id| o.key_result(&id));
        kr.and_then(|kr| figures.kr(o, kr).1)
    };
    match doc.get_mut("key_results") {
        Some(toml_edit::Item::ArrayOfTables(krs)) => {
            krs.retain(|kr| !is_done(id_of(kr.get("id").and_then(|i| i.as_value()))));
            for kr in krs.iter_mut() {
                let value = last(id_of(kr.get("id").and_then(|i| i.as_value())));
                restart(kr, value);
            }
        }
        Some(toml_edit::Item::Value(toml_edit::Value::Array(krs))) => {
            krs.retain(|kr| !is_done(id_of(kr.as_inline_table().and_then(|t| t.get("id")))));
            for kr in krs.iter_mut().filter_map(|k| k.as_inline_table_mut()) {
                let value = last(id_of(kr.get("id")));
                restart(kr, value);
            }
        }
        _ => {}
    }
    let new = format!("{head}{doc}{tail}");
    let kind = load::classify(path, &loaded.config)
        .and_then(Result::ok)
        .ok_or_else(|| Error::Internal(format!("{path} is not a goal file path")))?;
    let parsed = load::parse_file(path, &kind, new.as_bytes(), &loaded.config);
    if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
        return Err(Error::Usage(format!(
            "the copy of {} would not be valid ({}: {}); nothing was written",
            o.qualified_id(),
            d.code,
            d.message
        )));
    }
    Ok(new)
}

/// Where the copy's parent points: the same parent when its period encloses `to`, its
/// own copy in `to` when it is carried too, else nowhere.
fn new_parent(
    loaded: &Loaded,
    figures: &Figures,
    parent: &str,
    (from, to): (&str, &str),
    carried: &[String],
) -> Option<String> {
    let (objective, kr) = crate::model::ids::split_parent(parent);
    let period = objective.split('/').next()?;
    if loaded.config.periods.encloses(period, to) {
        return Some(parent.to_string());
    }
    let rest = objective.strip_prefix(&format!("{from}/"))?;
    // A finished key result is not in the parent's copy: point at the objective instead.
    let kr = kr.filter(|k| {
        let parent = loaded.goals.objective(objective);
        !parent.is_some_and(|o| figures.finished_ids(o).iter().any(|f| f == k))
    });
    carried.iter().any(|c| c == objective).then(|| match kr {
        Some(k) => format!("{to}/{rest}#{k}"),
        None => format!("{to}/{rest}"),
    })
}
