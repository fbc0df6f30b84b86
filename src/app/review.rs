//! `review --base <rev> [--head <rev>]`: the pull-request review: goalpost moves made by
//! the pull request's own commits (credited through merged branches, also when HEAD is
//! GitHub's synthetic merge commit), progress deltas, the semantic diff, and the check
//! findings the pull request caused. A shallow clone that cuts `base..head` is refused
//! unless `--allow-shallow` accepts a partial review.

use super::common::{open_repo, read_history, HistoryOptions};
use crate::error::Error;
use crate::history::{shallow_error, Entry, History};
use crate::load::diagnostic::{line_col, Diagnostic};
use crate::load::{Loaded, CONFIG_FILE};
use crate::model::changes::{Change, ChangeKind};
use crate::model::forecast::period_bounds;
use crate::model::moves::rewrites_closed_result;
use crate::model::{kr_score, objective_score};
use crate::report::review::{Credited, Delta, LateResult, Move, ReviewReport};
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
    /// Neither read nor write the history index.
    pub no_cache: bool,
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

/// Where a move's value sits in the head revision, for annotations: the key result's
/// `start` or `target` (else its table), the objective's header, or `goalpost.toml`.
fn location(change: &Change, new: &Loaded) -> (String, usize, usize) {
    if change.kind == ChangeKind::ConfigChanged {
        return (CONFIG_FILE.to_string(), 1, 1);
    }
    let (objective, kr) = change.id.split_once('#').unwrap_or((&change.id, ""));
    let Some(o) = new.goals.objective(objective) else {
        return (String::new(), 1, 1);
    };
    let text = new.sources.get(&o.file).map_or("", String::as_str);
    let span = match (o.key_result(kr), change.field.as_deref()) {
        (Some(k), Some("start")) => k.spans.start.clone(),
        (Some(k), Some("target")) => k.spans.target.clone(),
        (Some(k), _) => k.spans.table.clone(),
        (None, _) => o.spans.header.clone(),
    };
    let (l, c) = line_col(text, span.start);
    (o.file.clone(), l, c)
}

/// The title a move row shows: the key result's, else the objective's.
fn title(change: &Change, new: &Loaded) -> String {
    let (objective, kr) = change.id.split_once('#').unwrap_or((&change.id, ""));
    let o = new.goals.objective(objective);
    match (o, o.and_then(|o| o.key_result(kr))) {
        (_, Some(k)) => k.title.clone(),
        (Some(o), None) => o.title.clone(),
        _ => String::new(),
    }
}

/// Whether the pull request is answerable for `e`: landed by one of its own commits and
/// made by one (a merge of the base branch into the pull request brings in changes that
/// others made and the base already has).
fn is_own(e: &Entry, own: &HashSet<String>) -> bool {
    own.contains(&e.landed.id) && own.contains(&e.origin.id)
}

/// The change of `e` with its commits and where its value sits in the head revision.
fn credited(e: &Entry, new: &Loaded) -> Credited {
    let change = e.change;
    let (file, line, column) = location(change, new);
    let show = crate::report::diff::show;
    Credited {
        id: change.id.clone(),
        title: title(change, new),
        kind: change.kind,
        field: change.field.clone().unwrap_or_default(),
        from: show(&change.from),
        to: show(&change.to),
        commit: e.origin.id.clone(),
        author: e.origin.author.clone(),
        landed_in: e.landed.id.clone(),
        landed_by: e.landed.author.clone(),
        time: e.landed.time,
        file,
        line,
        column,
    }
}

/// The goalpost moves among the pull request's own changes (`own`, from history), each
/// credited to the commit that made it (through merged branches).
fn moves(own: &[Entry], new: &Loaded) -> Vec<Move> {
    own.iter()
        .filter(|e| e.change.goalpost_move)
        .map(|e| Move {
            change: credited(e, new),
            easier: e.change.easier,
            effect: e.change.effect,
            period_effect: e.change.period_effect,
        })
        .collect()
}

/// When a period ended, for judging the pull request: the earlier of its end in the base
/// and in the head configuration, so the pull request cannot move the cut-off it is
/// judged by (a later `end`, another `[site] timezone`).
fn period_end(name: &str, old: &Loaded, history: &History) -> Option<(jiff::Timestamp, String)> {
    let ends = [&old.config, &history.config]
        .into_iter()
        .filter_map(|c| c.periods.resolve(name).ok())
        .map(|p| (period_bounds(&p).1, p.end.to_string()));
    ends.min()
}

/// Results of ended periods that the pull request's own commits change, each credited like
/// a move. The pull request lands after its base, so a change counts as landing no earlier
/// than the base's commit: a backdated commit cannot slip under a period's end.
fn late_results(
    history: &History,
    own: &[Entry],
    (old, new): (&Loaded, &Loaded),
    base_time: jiff::Timestamp,
) -> Vec<LateResult> {
    let mut late = Vec::new();
    for e in own {
        let change = e.change;
        let period = change.id.split_once('/').map(|(p, _)| p);
        let Some((end, last_day)) = period.and_then(|p| period_end(p, old, history)) else {
            continue;
        };
        if rewrites_closed_result(change, end, e.landed.time.max(base_time)) {
            late.push(LateResult {
                change: credited(e, new),
                period_end: last_day,
            });
        }
    }
    late
}

/// Check findings the pull request is answerable for: every finding in a file it changed,
/// and every error anywhere in the head revision that the base did not have (a config
/// change that breaks other files).
fn caused(old: &Loaded, new: &Loaded, changed: &HashSet<String>) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.file.clone(), d.code.to_string(), d.message.clone());
    let before: HashSet<_> = old.diagnostics.iter().map(key).collect();
    new.diagnostics
        .iter()
        .filter(|d| changed.contains(&d.file) || (d.is_error() && !before.contains(&key(d))))
        .cloned()
        .collect()
}

pub fn run(dir: &Path, args: &ReviewOptions) -> Result<ReviewReport, Error> {
    let repo = open_repo(dir)?;
    let (base, head) = (repo.resolve(&args.base)?, repo.resolve(&args.head)?);
    let cut = repo.range_is_cut(base, head)?;
    if cut && !args.allow_shallow {
        return Err(shallow_error());
    }
    let mut old = repo.load_at(base)?;
    let mut new = repo.load_at(head)?;
    crate::check::run(&mut old);
    crate::check::run(&mut new);
    let changed = changed_files(&old, &new);
    let at = repo.commit_info(head)?.time;
    let base_time = repo.commit_info(base)?.time;
    let history_args = HistoryOptions {
        rev: args.head.clone(),
        allow_shallow: args.allow_shallow,
        no_cache: args.no_cache,
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
    let diagnostics = caused(&old, &new, &changed);
    // A file with errors shows its last good state, as in every history view.
    new.keep_last_good(&old);
    // Attributing changes through merges is the costly part of history: done once.
    let own_entries: Vec<Entry> = history
        .entries()
        .into_iter()
        .filter(|e| is_own(e, &own))
        .collect();
    let report = ReviewReport {
        base: args.base.clone(),
        head: args.head.clone(),
        partial: cut || history.partial,
        synthetic_merge: repo.is_merge_onto(base, head)?,
        moves: moves(&own_entries, &new),
        late_results: late_results(&history, &own_entries, (&old, &new), base_time),
        progress: progress(&old, &new),
        prefix: repo.prefix().to_string(),
        changes: crate::model::diff::diff(old.side(), new.side(), at),
        diagnostics,
    };
    Ok(report)
}
