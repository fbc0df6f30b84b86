//! Cross-file rules: duplicate ids (both places named), unknown, cross-period and cyclic
//! `parent` references, and `carried_from` pointing nowhere.

use crate::load::diagnostic::{line_col, Diagnostic, Related, Severity};
use crate::load::Loaded;
use crate::model::ids::split_parent;
use crate::model::{Objective, Span};
use std::collections::{BTreeMap, BTreeSet};

fn at(
    loaded: &Loaded,
    sev: Severity,
    code: &'static str,
    file: &str,
    span: Span,
    msg: String,
) -> Diagnostic {
    let text = loaded.sources.get(file).map_or("", String::as_str);
    Diagnostic::at(sev, code, file, text, span, msg)
}

fn related(loaded: &Loaded, message: &str, file: &str, span: Span) -> Related {
    let text = loaded.sources.get(file).map_or("", String::as_str);
    let (line, column) = line_col(text, span.start);
    Related {
        message: message.to_string(),
        file: file.to_string(),
        line,
        column,
        span,
    }
}

fn id_span(o: &Objective) -> Span {
    o.spans.id.clone().unwrap_or_else(|| o.spans.header.clone())
}

pub fn check(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    duplicates(loaded, diags);
    parents(loaded, diags);
    carried(loaded, diags);
}

fn duplicates(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Objective> = BTreeMap::new();
    for o in &loaded.goals.objectives {
        let qid = o.qualified_id();
        match seen.get(&qid) {
            None => {
                seen.insert(qid, o);
            }
            Some(first) => {
                let mut d = at(
                    loaded,
                    Severity::Error,
                    "duplicate-id",
                    &o.file,
                    id_span(o),
                    format!("objective id `{qid}` is also used by {}", first.file),
                );
                d.related.push(related(
                    loaded,
                    "first defined here",
                    &first.file,
                    id_span(first),
                ));
                diags.push(d.with_help("pin a distinct `id`, or remove one of the two files"));
            }
        }
    }
    let mut kpis: BTreeMap<&str, &crate::model::Kpi> = BTreeMap::new();
    for k in &loaded.goals.kpis {
        if let Some(first) = kpis.insert(&k.id, k) {
            let mut d = at(
                loaded,
                Severity::Error,
                "duplicate-id",
                &k.file,
                k.spans.header.clone(),
                format!("KPI id `{}` is also used by {}", k.id, first.file),
            );
            d.related.push(related(
                loaded,
                "first defined here",
                &first.file,
                first.spans.header.clone(),
            ));
            diags.push(d);
        }
    }
}

fn parents(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let by_id: BTreeMap<String, &Objective> = loaded
        .goals
        .objectives
        .iter()
        .map(|o| (o.qualified_id(), o))
        .collect();
    let periods = &loaded.config.periods;
    for o in &loaded.goals.objectives {
        let Some(parent) = &o.parent else { continue };
        let span = o.spans.parent.clone().unwrap_or_default();
        let (parent_objective, parent_kr) = split_parent(parent);
        let parent_period = parent.split('/').next().unwrap_or_default();
        if !periods.encloses(parent_period, &o.period) {
            diags.push(at(loaded, Severity::Error, "parent-other-period", &o.file, span, format!("parent `{parent}` is in period {parent_period}, which does not contain this objective's period {}", o.period)).with_help("align to an objective of the same period or of one that contains it (a year like `2026`, or a declared period)"));
        } else if let (Some(p), Some(kr)) = (by_id.get(parent_objective), parent_kr) {
            if p.key_result(kr).is_none() {
                let krs: Vec<&str> = p.key_results.iter().map(|k| k.id.as_str()).collect();
                diags.push(
                    at(loaded, Severity::Error, "unknown-parent", &o.file, span, format!("parent `{parent}`: objective `{parent_objective}` has no key result `{kr}`"))
                        .with_help(format!("its key results: {}", krs.join(", "))),
                );
            }
        } else if !by_id.contains_key(parent_objective) {
            let mut d = at(
                loaded,
                Severity::Error,
                "unknown-parent",
                &o.file,
                span,
                format!("parent `{parent}` does not exist"),
            );
            let candidates: Vec<String> = by_id
                .iter()
                .filter(|(_, p)| periods.encloses(&p.period, &o.period))
                .map(|(k, _)| k.clone())
                .collect();
            let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
            if let Some(s) = crate::load::fields::closest(parent, &names) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        } else if parent_objective == o.qualified_id() {
            diags.push(at(
                loaded,
                Severity::Error,
                "parent-cycle",
                &o.file,
                span,
                "an objective cannot be its own parent".into(),
            ));
        }
    }
    cycles(loaded, &by_id, diags);
}

/// Reports each cycle of `parent` links once, at its smallest id. Parent links form a
/// functional graph (one parent each), so one walk per objective that stops at anything
/// already visited finds every cycle in linear time (a chain of thousands was cubic).
fn cycles(loaded: &Loaded, by_id: &BTreeMap<String, &Objective>, diags: &mut Vec<Diagnostic>) {
    // 1: on the walk in progress (at that position of `path`); 2: finished.
    let mut state: BTreeMap<&str, (u8, usize)> = BTreeMap::new();
    for start in by_id.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut current = start.as_str();
        loop {
            match state.get(current) {
                Some((1, pos)) => {
                    report_cycle(loaded, by_id, &path[*pos..], diags);
                    break;
                }
                Some(_) => break,
                None => {}
            }
            state.insert(current, (1, path.len()));
            path.push(current);
            // A parent naming a key result (`<objective>#<kr>`) links to its objective.
            let parent = by_id
                .get(current)
                .and_then(|o| o.parent.as_deref())
                .map(|p| split_parent(p).0);
            match parent {
                Some(next) if next != current && by_id.contains_key(next) => {
                    current = by_id.get_key_value(next).map_or(next, |(k, _)| k.as_str());
                }
                _ => break,
            }
        }
        for id in path {
            state.insert(id, (2, 0));
        }
    }
}

/// One `parent-cycle` error, at the cycle's smallest id, listing the cycle from there.
fn report_cycle(
    loaded: &Loaded,
    by_id: &BTreeMap<String, &Objective>,
    cycle: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    let Some(smallest) = cycle.iter().min().copied() else {
        return;
    };
    let o = by_id[smallest];
    let mut chain: Vec<&str> = cycle.to_vec();
    let rot = chain.iter().position(|c| *c == smallest).unwrap_or(0);
    chain.rotate_left(rot);
    chain.push(smallest);
    let span = o.spans.parent.clone().unwrap_or_default();
    diags.push(
        at(
            loaded,
            Severity::Error,
            "parent-cycle",
            &o.file,
            span,
            format!("parent links form a cycle: {}", chain.join(" -> ")),
        )
        .with_help("alignment must form a tree: remove one of these `parent` links"),
    );
}

fn carried(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let ids: BTreeSet<String> = loaded
        .goals
        .objectives
        .iter()
        .map(Objective::qualified_id)
        .collect();
    for o in &loaded.goals.objectives {
        let Some(from) = &o.carried_from else {
            continue;
        };
        if !ids.contains(from) {
            diags.push(at(
                loaded,
                Severity::Warning,
                "unknown-carried-from",
                &o.file,
                o.spans.carried_from.clone().unwrap_or_default(),
                format!("`carried_from` names `{from}`, which does not exist in this revision"),
            ));
        }
    }
}
