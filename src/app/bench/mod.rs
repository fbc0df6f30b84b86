//! `goalpost bench`: full history analysis timed against `git log --raw` on the same
//! repository, in one run, as a ratio, with the peak memory of each (see [`phase`]).

mod command;
pub mod hostile;
pub mod phase;
pub mod synth;
mod usage;

use crate::error::Error;
use crate::safe_fs::{self, Staged};
use phase::{Measured, Phase};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A new temporary folder (a fresh name from `tempfile`, never one that existed before).
fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))
}

/// The synthetic repository a benchmark runs on.
pub struct Generated {
    pub root: PathBuf,
    pub stats: synth::SynthStats,
    /// The temporary folder holding `root` when it is not kept; removed on drop.
    _temp: Option<tempfile::TempDir>,
}

/// Generates the synthetic repository into `keep`, built beside it and swapped in like every
/// output folder (only a new or empty folder or an earlier `bench --keep` repository is
/// replaced, see `crate::safe_fs`), or else into a new temporary folder.
pub fn generate(keep: Option<&Path>, spec: &synth::SynthSpec) -> Result<Generated, Error> {
    let Some(target) = keep else {
        let temp = temp_dir("goalpost-bench-")?;
        let stats = synth::generate(temp.path(), spec)?;
        return Ok(Generated {
            root: temp.path().to_path_buf(),
            stats,
            _temp: Some(temp),
        });
    };
    let staged = Staged::begin(target, &safe_fs::BENCH)?;
    let stats = synth::generate(staged.dir(), spec)?;
    Ok(Generated {
        root: staged.finish()?,
        stats,
        _temp: None,
    })
}

/// What one benchmark run measured: each figure the best of `--runs` in a child process of
/// its own, with that process's peak memory (see [`phase`]).
pub struct BenchResult {
    pub commits_walked: usize,
    pub goal_commits: usize,
    pub objectives: usize,
    /// The full history analysis without the history index.
    pub cold: Measured,
    /// `git log --raw --no-renames -- goals/` on the same repository.
    pub git_log: Measured,
    /// `git log` told not to use a commit-graph (`-c core.commitGraph=false`).
    pub git_log_no_graph: Measured,
    /// Both again after `git commit-graph write --reachable --changed-paths`, when the
    /// benchmark wrote one (only into a repository it generated): (goalpost, git log).
    pub with_graph: Option<(Measured, Measured)>,
    /// The first analysis with the history index, which writes it (one run).
    pub index: Measured,
    /// The analysis read from the history index, nothing new since it was written.
    pub warm: Measured,
    /// The analysis after one new commit on top of an indexed one (only in a repository
    /// the benchmark generated: it never commits into `--repo`).
    pub warm_new_commit: Option<Measured>,
    /// The whole `goalpost status` command (start to exit), the head indexed.
    pub status_warm: Measured,
    /// The whole `goalpost status` command after one new commit on top of an indexed one
    /// (only in a repository the benchmark generated).
    pub status_new_commit: Option<Measured>,
}

impl BenchResult {
    pub fn ratio(&self) -> f64 {
        self.cold.seconds / self.git_log.seconds.max(1e-9)
    }
}

fn best_of<T>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, Error>,
) -> Result<(Duration, T), Error> {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let value = f()?;
        let took = start.elapsed();
        if best.as_ref().is_none_or(|(b, _)| took < *b) {
            best = Some((took, value));
        }
    }
    best.ok_or_else(|| Error::Usage("no runs".into()))
}

/// Runs the `phases` whose times are compared in `runs` rounds, one run of each per round
/// in a child process of its own, and keeps the best of each. Alternating the sides of a
/// ratio exposes both to the same load: on a shared machine, a side timed wholly before
/// the other can meet a different one (best-of-5 times of the same phase measured up to
/// 1.6x apart from one minute to the next on the 2-core machine of our figures).
fn rounds<const N: usize>(
    root: &Path,
    phases: [Phase; N],
    runs: usize,
) -> Result<[Measured; N], Error> {
    let mut best: [Option<Measured>; N] = std::array::from_fn(|_| None);
    for _ in 0..runs.max(1) {
        for (slot, phase) in best.iter_mut().zip(phases) {
            let run = phase::spawn(root, phase, 1)?;
            *slot = Some(match slot.take() {
                Some(kept) => kept.better(run),
                None => run,
            });
        }
    }
    Ok(best.map(Option::unwrap_or_default))
}

/// Times the full history analysis of `root` and the site build from it (render and
/// write every page), each the best of `runs`, in one child process whose peak memory is
/// that of `goalpost site`: the history and the site build together.
pub fn run_site(root: &Path, runs: usize) -> Result<Measured, Error> {
    phase::spawn(root, Phase::Site, runs)
}

/// Times goalpost's full history analysis of `root` and `git log --raw --no-renames --
/// <goals>` (with and without the commit-graph it may have) on the same repository, each
/// the best of `runs` in a child process of its own (the first `git log` run, untimed,
/// brings the repository into the page cache). With `write_graph` (a generated
/// repository), both are timed again after `git commit-graph write --reachable
/// --changed-paths`, and the warm analysis after a new commit is timed too.
pub fn run(root: &Path, runs: usize, write_graph: bool) -> Result<BenchResult, Error> {
    let [git_log, git_log_no_graph, cold] = rounds(
        root,
        [Phase::GitLog, Phase::GitLogNoGraph, Phase::Cold],
        runs,
    )?;
    let with_graph = if write_graph {
        crate::history::git_cli::write_commit_graph(root)?;
        let [git, ours] = rounds(root, [Phase::GitLog, Phase::Cold], runs)?;
        Some((ours, git))
    } else {
        None
    };
    // Last: the index they write and the commits they make must not change what the
    // figures above measure.
    let index = phase::spawn(root, Phase::Index, 1)?;
    let warm = phase::spawn(root, Phase::Warm, runs)?;
    let warm_new_commit = match write_graph {
        true => Some(phase::spawn(root, Phase::NewCommit, runs)?),
        false => None,
    };
    let status_warm = phase::spawn(root, Phase::StatusWarm, runs)?;
    let status_new_commit = match write_graph {
        true => Some(phase::spawn(root, Phase::StatusNewCommit, runs)?),
        false => None,
    };
    Ok(BenchResult {
        commits_walked: cold.commits_walked,
        goal_commits: cold.goal_commits,
        objectives: cold.objectives,
        cold,
        git_log,
        git_log_no_graph,
        with_graph,
        index,
        warm,
        warm_new_commit,
        status_warm,
        status_new_commit,
    })
}
