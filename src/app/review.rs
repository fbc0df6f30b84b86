//! `review --base <rev> [--head <rev>]`: the pull-request review: goalpost moves made by
//! the pull request's own commits, progress deltas, the semantic diff, and check findings
//! on the changed files.

use super::common::{open_repo, read_history, HistoryOptions};
use crate::error::Error;
use crate::history::History;
use crate::load::diagnostic::line_col;
use crate::load::Loaded;
use crate::model::{kr_score, objective_score};
use crate::report::review::{Delta, Move, ReviewReport};
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// The pull request's base (the target branch).
    pub base: String,
    /// The pull request's head.
    pub head: String,
    /// Accept a shallow clone whose history is cut.
    pub allow_shallow: bool,
}

/// Files whose text differs between the two revisions.
fn changed_files(old: &Loaded, new: &Loaded) -> HashSet<String> {
    let paths: HashSet<&String> = old.sources.keys().chain(new.sources.keys()).collect();
    paths
        .into_iter()
        .filter(|p| old.sources.get(*p) != new.sources.get(*p))
        .cloned()
        .collect()
}

fn progress(old: &Loaded, new: &Loaded) -> Vec<Delta> {
    let mut deltas = Vec::new();
    for n in &new.goals.objectives {
        let Some(o) = old.goals.objective(&n.qualified_id()) else {
            continue;
        };
        let (before, after) = (
            objective_score(&o.key_results),
            objective_score(&n.key_results),
        );
        for kr in &n.key_results {
            let Some(prev) = o.key_result(&kr.id) else {
                continue;
            };
            let (b, a) = (kr_score(&prev.measure), kr_score(&kr.measure));
            if (a - b).abs() > 1e-9 {
                deltas.push(Delta {
                    id: format!("{}#{}", n.qualified_id(), kr.id),
                    title: kr.title.clone(),
                    before: b,
                    after: a,
                });
            }
        }
        if (after - before).abs() > 1e-9 {
            deltas.push(Delta {
                id: n.qualified_id(),
                title: n.title.clone(),
                before,
                after,
            });
        }
    }
    deltas
}

/// Goalpost moves made by the pull request's own commits, from history.
fn moves(history: &History, own: &HashSet<String>, new: &Loaded) -> Vec<Move> {
    let mut moves = Vec::new();
    for (commit, change) in history.all_changes() {
        if !change.goalpost_move || !own.contains(&commit.id) {
            continue;
        }
        let (objective, kr) = change.id.split_once('#').unwrap_or((&change.id, ""));
        let o = new.goals.objective(objective);
        let k = o.and_then(|o| o.key_result(kr));
        let (file, line, column) = match (o, k) {
            (Some(o), Some(k)) => {
                let text = new.sources.get(&o.file).map_or("", String::as_str);
                let span = if change.field.as_deref() == Some("start") {
                    &k.spans.start
                } else {
                    &k.spans.target
                };
                let (l, c) = line_col(text, span.start);
                (o.file.clone(), l, c)
            }
            _ => (String::new(), 1, 1),
        };
        let show = crate::report::diff::show;
        moves.push(Move {
            id: change.id.clone(),
            title: k.map(|k| k.title.clone()).unwrap_or_default(),
            field: change.field.clone().unwrap_or_default(),
            from: show(&change.from),
            to: show(&change.to),
            easier: change.easier,
            commit: commit.id.clone(),
            author: commit.author.clone(),
            time: commit.time,
            file,
            line,
            column,
        });
    }
    moves
}

pub fn run(dir: &Path, args: &ReviewOptions) -> Result<ReviewReport, Error> {
    let repo = open_repo(dir)?;
    let (base, head) = (repo.resolve(&args.base)?, repo.resolve(&args.head)?);
    let old = repo.load_at(base)?;
    let mut new = repo.load_at(head)?;
    crate::check::run(&mut new);
    let changed = changed_files(&old, &new);
    let at = repo.commit_info(head)?.time;
    let history_args = HistoryOptions {
        rev: args.head.clone(),
        allow_shallow: args.allow_shallow,
    };
    let mut history = read_history(&repo, &history_args)?;
    let own = repo.commits_between(base, head)?;
    let oldest_own = history
        .commits
        .iter()
        .filter(|c| own.contains(&c.id))
        .map(|c| c.time)
        .min();
    history.require_since(oldest_own.unwrap_or(at), args.allow_shallow)?;
    let report = ReviewReport {
        base: args.base.clone(),
        head: args.head.clone(),
        moves: moves(&history, &own, &new),
        progress: progress(&old, &new),
        prefix: repo.prefix().to_string(),
        changes: crate::model::diff::diff(&old.goals, &new.goals, &new.config.periods, at),
        diagnostics: new
            .diagnostics
            .iter()
            .filter(|d| changed.contains(&d.file))
            .cloned()
            .collect(),
    };
    Ok(report)
}
