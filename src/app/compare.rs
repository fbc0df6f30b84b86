//! `compare`: one period against another, at one revision, with the objectives' scores as
//! `status` computes them at the time compared.

use super::common::{open_repo, parse_as_of, read_history, resolve_period, HistoryOptions};
use crate::error::Error;
use crate::model::forecast::PeriodPhase;
use crate::report::compare::{build, CompareReport};
use crate::report::status::scores_at;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct CompareOptions {
    pub period_a: String,
    pub period_b: String,
    /// The revision whose goal files are compared.
    pub rev: String,
    /// "Now", to tell which periods are over (default: the revision's commit time).
    pub as_of: Option<String>,
    /// Neither read nor write the history index.
    pub no_cache: bool,
}

pub fn run(dir: &Path, options: &CompareOptions) -> Result<CompareReport, Error> {
    let repo = open_repo(dir)?;
    let history = read_history(
        &repo,
        &HistoryOptions {
            rev: options.rev.clone(),
            // Scores come from the latest values, which a cut history still has.
            allow_shallow: true,
            no_cache: options.no_cache,
        },
    )?;
    let now = match &options.as_of {
        Some(t) => parse_as_of(t)?,
        None => history.head.as_ref().map(|c| c.time).unwrap_or_default(),
    };
    let known = history.goals.period_names();
    let a = resolve_period(&history.config, &options.period_a, &known)?;
    let b = resolve_period(&history.config, &options.period_b, &known)?;
    if a.name == b.name {
        return Err(Error::Usage(format!(
            "compare needs two different periods, not {} twice\nhelp: name the period to compare it with, e.g. `goalpost compare <earlier> {}`",
            a.name, a.name
        )));
    }
    if (b.start, b.end) < (a.start, a.end) {
        return Err(Error::Usage(format!(
            "the periods are reversed: {} ({}) starts after {} ({})\nhelp: name the earlier period first: `goalpost compare {} {}`",
            a.name, a.start, b.name, b.start, b.name, a.name
        )));
    }
    let mut scores = scores_at(&history, &a, now);
    scores.extend(scores_at(&history, &b, now));
    let phase = |p: &crate::model::Period| PeriodPhase::of(p, now);
    Ok(build(
        &history.goals,
        &scores,
        (&a.name, &b.name),
        history.config.success,
        (phase(&a), phase(&b)),
    ))
}
