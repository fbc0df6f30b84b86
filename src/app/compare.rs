//! `compare`: one period against another, at one revision.

use super::common::{open_repo, parse_as_of, resolve_period};
use crate::error::Error;
use crate::model::forecast::period_bounds;
use crate::report::compare::{build, CompareReport};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct CompareOptions {
    pub period_a: String,
    pub period_b: String,
    /// The revision whose goal files are compared.
    pub rev: String,
    /// "Now", to tell which periods are over (default: the revision's commit time).
    pub as_of: Option<String>,
}

pub fn run(dir: &Path, options: &CompareOptions) -> Result<CompareReport, Error> {
    let repo = open_repo(dir)?;
    let head = repo.resolve(&options.rev)?;
    let loaded = repo.load_at(head)?;
    let now = match &options.as_of {
        Some(t) => parse_as_of(t)?,
        None => repo.commit_info(head)?.time,
    };
    let a = resolve_period(&loaded.config, &options.period_a)?;
    let b = resolve_period(&loaded.config, &options.period_b)?;
    let over = |p: &crate::model::Period| now >= period_bounds(p).1;
    Ok(build(
        &loaded.goals,
        &a.name,
        &b.name,
        loaded.config.success,
        over(&a),
        over(&b),
    ))
}
