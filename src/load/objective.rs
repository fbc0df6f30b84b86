//! Builds an objective (and its key results and check-ins) from checked TOML.

use super::fields::{header_span, Ctx, Record, CHECKIN_FIELDS, KEY_RESULT_FIELDS};
use super::ids::{check_objective_id, check_segment, resolve_reference};
use crate::load::diagnostic::Related;
use crate::model::{
    Checkin, CheckinValue, KeyResult, KeyResultSpans, Measure, Objective, ObjectiveKind,
    ObjectiveSpans, PeriodSet, Span,
};
use toml::de::DeValue;

/// Where the file sits: `goals/<period>/<team>/<slug>.<ext>`.
pub struct ObjectivePath {
    pub period: String,
    pub team: String,
    pub slug: String,
}

pub fn build(
    ctx: &mut Ctx,
    doc: &Record,
    path: &ObjectivePath,
    body: Option<&str>,
    periods: &PeriodSet,
) -> Objective {
    let header = header_span(ctx.text, doc.span.clone());
    let mut spans = ObjectiveSpans {
        header: header.clone(),
        ..Default::default()
    };
    let title = doc.str("title").map_or_else(String::new, |(t, s)| {
        spans.title = s;
        t
    });
    let owner = doc.str("owner").map_or_else(String::new, |(o, s)| {
        if o.trim().is_empty() {
            ctx.warning("no-owner", s.clone(), "objective has an empty owner");
        }
        spans.owner = Some(s);
        o
    });
    let kind = match doc.str("kind") {
        Some((k, _)) if k == "committed" => ObjectiveKind::Committed,
        _ => ObjectiveKind::Aspirational,
    };
    let id = match doc.str("id") {
        Some((pinned, span)) => {
            check_objective_id(ctx, &pinned, span.clone());
            spans.id = Some(span);
            pinned
        }
        None => format!("{}/{}", path.team, path.slug),
    };
    let team = id
        .rsplit_once('/')
        .map_or(path.team.clone(), |(t, _)| t.to_string());
    let parent = doc.str("parent").and_then(|(p, span)| {
        spans.parent = Some(span.clone());
        resolve_reference(ctx, "parent", &p, span, Some(&path.period), periods)
    });
    let carried_from = doc.str("carried_from").and_then(|(c, span)| {
        spans.carried_from = Some(span.clone());
        resolve_reference(ctx, "carried_from", &c, span, None, periods)
    });
    let description = match body.map(str::trim) {
        Some(b) if !b.is_empty() => b.to_string(),
        _ => doc.str("description").map(|(d, _)| d).unwrap_or_default(),
    };
    if !doc.has("key_results") {
        ctx.error_help(
            "no-key-results",
            header,
            "objective has no key results",
            "add at least one [[key_results]] table with an id, a title and a measure",
        );
    }
    let key_results = build_key_results(ctx, doc);
    Objective {
        id,
        period: path.period.clone(),
        team,
        title,
        owner,
        kind,
        parent,
        carried_from,
        description,
        key_results,
        file: ctx.file.to_string(),
        spans,
    }
}

fn build_key_results(ctx: &mut Ctx, doc: &Record) -> Vec<KeyResult> {
    let mut krs: Vec<KeyResult> = Vec::new();
    // Ids of every key result table, even ones with errors, so duplicates are still found.
    // A map, not a list: an objective with 100,000 key results was quadratic here.
    let mut seen: std::collections::HashMap<String, Span> = std::collections::HashMap::new();
    for rec in doc.tables(ctx, "key_results", KEY_RESULT_FIELDS) {
        let id = rec.str("id");
        let kr = build_key_result(ctx, &rec);
        let Some((id, span)) = id else { continue };
        if let Some(first) = seen.get(&id) {
            report_duplicate_kr(ctx, &id, span, first.clone());
            continue;
        }
        seen.insert(id, span);
        krs.extend(kr);
    }
    krs
}

fn report_duplicate_kr(ctx: &mut Ctx, id: &str, span: Span, first: Span) {
    ctx.error(
        "duplicate-id",
        span,
        format!("key result id `{id}` is used twice in this objective"),
    );
    let (line, column) = ctx.line_col(first.start);
    if let Some(d) = ctx.diags.last_mut() {
        d.related.push(Related {
            message: "first used here".into(),
            file: ctx.file.to_string(),
            line,
            column,
            span: first,
        });
    }
}

/// Builds a key result, reporting every problem in it; `None` when it has no usable measure.
fn build_key_result(ctx: &mut Ctx, rec: &Record) -> Option<KeyResult> {
    let header = header_span(ctx.text, rec.span.clone());
    let id = rec.str("id");
    if let Some((id, span)) = &id {
        check_segment(ctx, "key result id", id, span.clone(), false);
    }
    let (title, title_span) = rec.str("title").unwrap_or_default();
    let measure = build_measure(ctx, rec, &header);
    let weight = match rec.number("weight") {
        Some((w, span)) if w <= 0.0 => {
            ctx.error("invalid-value", span, "`weight` must be greater than 0");
            1.0
        }
        Some((w, _)) => w,
        None => 1.0,
    };
    let confidence = rec.number("confidence").and_then(|(c, span)| {
        if (0.0..=1.0).contains(&c) {
            Some(c)
        } else {
            ctx.error(
                "invalid-value",
                span,
                "`confidence` must be between 0 and 1",
            );
            None
        }
    });
    let is_metric = !rec.has("done");
    let checkins = rec
        .tables(ctx, "checkins", CHECKIN_FIELDS)
        .iter()
        .filter_map(|c| build_checkin(ctx, c, is_metric))
        .collect();
    let (id, id_span) = id?;
    let spans = KeyResultSpans {
        table: header,
        id: id_span,
        title: title_span,
        start: rec.number("start").map(|(_, s)| s).unwrap_or_default(),
        target: rec.number("target").map(|(_, s)| s).unwrap_or_default(),
    };
    let owner = rec.str("owner").map(|(o, s)| {
        if o.trim().is_empty() {
            ctx.warning("no-owner", s, "key result has an empty owner");
        }
        o
    });
    Some(KeyResult {
        id,
        title,
        owner,
        unit: rec.str("unit").map(|(u, _)| u),
        renamed_from: rec.str("renamed_from").map(|(r, _)| r),
        measure: measure?,
        weight,
        confidence,
        checkins,
        spans,
    })
}

fn build_measure(ctx: &mut Ctx, rec: &Record, header: &Span) -> Option<Measure> {
    let metric_keys = ["start", "target", "current"];
    let present: Vec<&str> = metric_keys.into_iter().filter(|k| rec.has(k)).collect();
    if rec.has("done") {
        if let Some(first) = present.first() {
            let span = rec.key_span(first).unwrap_or_else(|| header.clone());
            ctx.error_help(
                "mixed-key-result",
                span,
                format!("a milestone key result (with `done`) cannot also have `{first}`"),
                "use either `done` (milestone) or `start`, `target` and `current` (metric)",
            );
            return None;
        }
        return rec
            .bool("done")
            .map(|(done, _)| Measure::Milestone { done });
    }
    let missing: Vec<&str> = metric_keys.into_iter().filter(|k| !rec.has(k)).collect();
    if !missing.is_empty() {
        let message = if present.is_empty() {
            "key result has no measure".to_string()
        } else {
            format!(
                "metric key result is missing {}",
                super::fields::quoted_list(&missing)
            )
        };
        ctx.error_help(
            "missing-key",
            header.clone(),
            message,
            "a metric needs a baseline `start`, a `target` and a `current` value; a milestone needs `done`",
        );
        return None;
    }
    Some(Measure::Metric {
        start: rec.number("start")?.0,
        target: rec.number("target")?.0,
        current: rec.number("current")?.0,
    })
}

/// A dated check-in of a key result (`metric`: a number, else true/false) or of a KPI.
pub(super) fn build_checkin(ctx: &mut Ctx, rec: &Record, metric: bool) -> Option<Checkin> {
    let (date, _) = rec.date("date")?;
    let (raw, span) = rec.raw("value")?;
    let value = match (raw, metric) {
        (DeValue::Boolean(b), false) => CheckinValue::Done(*b),
        (DeValue::Boolean(_), true) => {
            ctx.error(
                "wrong-type",
                span,
                "check-in `value` of a metric key result must be a number",
            );
            return None;
        }
        (v, true) => CheckinValue::Number(super::fields::bounded_number(v)?),
        (_, false) => {
            ctx.error(
                "wrong-type",
                span,
                "check-in `value` of a milestone key result must be true or false",
            );
            return None;
        }
    };
    Some(Checkin {
        date,
        value,
        note: rec.str("note").map(|(n, _)| n),
        span: header_span(ctx.text, rec.span.clone()),
    })
}
