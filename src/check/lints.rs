//! OKR-practice lints, as warnings with stable codes: how many key results, baselines that
//! equal targets, activities instead of outcomes, crowded teams, unaligned objectives.

use crate::load::diagnostic::{Diagnostic, Severity};
use crate::load::Loaded;
use crate::model::{Measure, Objective, Span};
use std::collections::{BTreeMap, BTreeSet};

/// More than this many objectives per team and period dilutes focus.
const MAX_OBJECTIVES_PER_TEAM: usize = 5;
const MAX_KEY_RESULTS: usize = 5;

/// Verbs that describe work to do rather than a result to reach.
const ACTIVITY_VERBS: &[&str] = &[
    "build",
    "complete",
    "conduct",
    "create",
    "deliver",
    "deploy",
    "design",
    "develop",
    "do",
    "finish",
    "hire",
    "hold",
    "implement",
    "introduce",
    "launch",
    "migrate",
    "organize",
    "organise",
    "plan",
    "prepare",
    "publish",
    "refactor",
    "release",
    "roll",
    "run",
    "set",
    "ship",
    "start",
    "write",
];

fn warn(
    loaded: &Loaded,
    code: &'static str,
    file: &str,
    span: Span,
    message: String,
    help: &str,
) -> Diagnostic {
    let text = loaded.sources.get(file).map_or("", String::as_str);
    Diagnostic::at(Severity::Warning, code, file, text, span, message).with_help(help)
}

pub fn check(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    for o in &loaded.goals.objectives {
        key_result_count(loaded, o, diags);
        key_result_practice(loaded, o, diags);
    }
    crowded_teams(loaded, diags);
    unaligned(loaded, diags);
    lookalikes(loaded, diags);
    unknown_owners(loaded, diags);
}

/// Once `[people]` exists, every owner should be in it: otherwise `remind` and
/// CODEOWNERS cannot reach them.
fn unknown_owners(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let Some(people) = &loaded.config.people else {
        return;
    };
    let mut report = |owner: &str, file: &str, span: Span, what: &str| {
        if owner.trim().is_empty() || people.contains_key(owner) {
            return;
        }
        diags.push(warn(
            loaded,
            "owner-not-in-people",
            file,
            span,
            format!("{what} owner `{owner}` is not in [people] of goalpost.toml"),
            "add them to [people] (e.g. `name = { github = \"handle\" }`), or fix the owner's spelling",
        ));
    };
    for o in &loaded.goals.objectives {
        let span = o
            .spans
            .owner
            .clone()
            .unwrap_or_else(|| o.spans.header.clone());
        report(&o.owner, &o.file, span, "objective");
        for kr in &o.key_results {
            if let Some(owner) = &kr.owner {
                report(owner, &o.file, kr.spans.table.clone(), "key result");
            }
        }
    }
    for k in &loaded.goals.kpis {
        if let Some(owner) = &k.owner {
            report(owner, &k.file, k.spans.header.clone(), "KPI");
        }
    }
}

/// Files in the goal folders that look like goal files but are not read (`a.MD`,
/// `nps.yaml`): said out loud, since their author likely expects them to count.
fn lookalikes(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    for entry in &loaded.not_read {
        if entry.kind != crate::load::NotReadKind::Lookalike {
            continue;
        }
        diags.push(warn(
            loaded,
            "skipped-lookalike",
            &entry.path,
            0..0,
            "this file is not read: goal files end in `.md` (objectives) or `.toml` (KPIs), in lower case".into(),
            "rename it to `.md` or `.toml` if it is a goal file",
        ));
    }
}

fn key_result_count(loaded: &Loaded, o: &Objective, diags: &mut Vec<Diagnostic>) {
    let n = o.key_results.len();
    if n == 1 {
        diags.push(warn(
            loaded,
            "too-few-key-results",
            &o.file,
            o.spans.header.clone(),
            "objective has a single key result".into(),
            "two to five key results give a rounder picture of the outcome",
        ));
    } else if n > MAX_KEY_RESULTS {
        diags.push(warn(
            loaded,
            "too-many-key-results",
            &o.file,
            o.spans.header.clone(),
            format!("objective has {n} key results"),
            "keep two to five key results: more dilutes focus",
        ));
    }
}

fn key_result_practice(loaded: &Loaded, o: &Objective, diags: &mut Vec<Diagnostic>) {
    for kr in &o.key_results {
        match kr.measure {
            Measure::Metric { start, target, .. } if start == target => {
                diags.push(warn(loaded, "start-equals-target", &o.file, kr.spans.target.clone(), format!("key result `{}` has `target` equal to `start` ({start})", kr.id), "a key result should move a number: set the baseline `start` and a different `target`"));
            }
            Measure::Milestone { .. } if is_activity(&kr.title) => {
                diags.push(warn(loaded, "activity-not-outcome", &o.file, kr.spans.title.clone(), format!("key result `{}` describes an activity, not a measurable outcome", kr.id), "state the result the work should produce, with a number: e.g. \"p99 latency under 200 ms\""));
            }
            _ => {}
        }
        checkins_in_period(loaded, o, kr, diags);
    }
}

/// Dated check-ins belong to the objective's period (a little slack before it: baselines
/// are often measured in the last days of the previous period).
fn checkins_in_period(
    loaded: &Loaded,
    o: &Objective,
    kr: &crate::model::KeyResult,
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(period) = loaded.config.periods.resolve(&o.period) else {
        return;
    };
    let earliest = period
        .start
        .checked_sub(jiff::Span::new().days(14))
        .unwrap_or(period.start);
    for c in &kr.checkins {
        if c.date < earliest || c.date > period.end {
            diags.push(warn(
                loaded,
                "checkin-outside-period",
                &o.file,
                c.span.clone(),
                format!(
                    "check-in of `{}` dated {} is outside {} ({} to {})",
                    kr.id, c.date, period.name, period.start, period.end
                ),
                "check the date, or move the key result to the period it belongs to",
            ));
        }
    }
}

/// A title that starts with an activity verb and names no number.
fn is_activity(title: &str) -> bool {
    let first = title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    ACTIVITY_VERBS.contains(&first.as_str()) && !title.chars().any(|c| c.is_ascii_digit())
}

fn crowded_teams(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let mut by_team: BTreeMap<(&str, &str), Vec<&Objective>> = BTreeMap::new();
    for o in &loaded.goals.objectives {
        by_team.entry((&o.period, &o.team)).or_default().push(o);
    }
    for ((period, team), objectives) in by_team {
        if objectives.len() > MAX_OBJECTIVES_PER_TEAM {
            for o in &objectives[MAX_OBJECTIVES_PER_TEAM..] {
                diags.push(warn(
                    loaded,
                    "too-many-objectives",
                    &o.file,
                    o.spans.header.clone(),
                    format!(
                        "team `{team}` has {} objectives in {period}",
                        objectives.len()
                    ),
                    "keep at most five objectives per team and period",
                ));
            }
        }
    }
}

/// Once a period has an alignment tree (some objective is another's parent), every objective
/// outside the root teams should align to something. Root teams are those whose objectives
/// are parents and have no parent themselves.
fn unaligned(loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let objectives = &loaded.goals.objectives;
    let parents: BTreeSet<&str> = objectives
        .iter()
        .filter_map(|o| o.parent.as_deref())
        .collect();
    let roots: BTreeSet<(&str, &str)> = objectives
        .iter()
        .filter(|o| o.parent.is_none() && parents.contains(o.qualified_id().as_str()))
        .map(|o| (o.period.as_str(), o.team.as_str()))
        .collect();
    for o in objectives {
        let period_has_tree = roots.iter().any(|(p, _)| *p == o.period);
        let is_root_team = roots.contains(&(o.period.as_str(), o.team.as_str()));
        if o.parent.is_none() && period_has_tree && !is_root_team {
            diags.push(warn(
                loaded,
                "unaligned",
                &o.file,
                o.spans.header.clone(),
                format!("objective `{}` does not align to a parent objective", o.id),
                "set `parent` to the company or group objective this one serves",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Activity wording is recognised only without a number in the title.
    #[test]
    fn activity_titles() {
        assert!(is_activity("Launch the new onboarding flow"));
        assert!(!is_activity("Launch 3 regions"));
        assert!(!is_activity("Customers trust the platform"));
    }
}
