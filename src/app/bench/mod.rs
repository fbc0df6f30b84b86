//! `goalpost bench`: full history analysis timed against `git log --raw` on the same
//! repository, in one run, as a ratio.

mod command;
pub mod hostile;
pub mod synth;

use crate::error::Error;
use crate::history::{Repo, WalkOptions};
use crate::safe_fs::{self, Staged};
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

/// Timings of one benchmark run.
pub struct BenchResult {
    pub commits_walked: usize,
    pub goal_commits: usize,
    pub objectives: usize,
    pub goalpost: Duration,
    pub git_log: Duration,
    /// `git log` told not to use a commit-graph (`-c core.commitGraph=false`).
    pub git_log_no_graph: Duration,
    /// Both again after `git commit-graph write --reachable --changed-paths`, when the
    /// benchmark wrote one (only into a repository it generated).
    pub with_graph: Option<(Duration, Duration)>,
    /// The analysis read from the history index, nothing new since it was written.
    pub warm: Duration,
    /// The analysis after one new commit on top of an indexed one (only in a repository
    /// the benchmark generated: it never commits into `--repo`).
    pub warm_new_commit: Option<Duration>,
    /// The whole `goalpost status` command (a child process), the head indexed.
    pub status_warm: Option<Duration>,
    /// The whole `goalpost status` command after one new commit on top of an indexed one.
    pub status_new_commit: Option<Duration>,
}

impl BenchResult {
    pub fn ratio(&self) -> f64 {
        self.goalpost.as_secs_f64() / self.git_log.as_secs_f64().max(1e-9)
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

/// Timings of the site benchmark.
pub struct SiteBench {
    pub objectives: usize,
    pub pages: usize,
    pub history: Duration,
    pub render: Duration,
}

/// Times the full history analysis and the site build (render and write every page) of
/// `root`, each the best of `runs`; the site goes to a temporary folder.
pub fn run_site(root: &Path, runs: usize) -> Result<SiteBench, Error> {
    let repo = Repo::open(root)?;
    let head = repo.resolve("HEAD")?;
    let (history_time, history) = best_of(runs, || repo.history(head, &WalkOptions::default()))?;
    let as_of = history.head.as_ref().map(|c| c.time).unwrap_or_default();
    // Each run writes a fresh folder in one new temporary folder, removed at the end
    // (deleting between runs would time the file system's inode reuse, not goalpost).
    let base = temp_dir("goalpost-bench-site-")?;
    let mut run = 0;
    let (render, summary) = best_of(runs, || {
        run += 1;
        crate::site::build(
            &history,
            None,
            &base.path().join(run.to_string()),
            "",
            as_of,
        )
    })?;
    Ok(SiteBench {
        objectives: history.goals.objectives.len(),
        pages: summary.pages,
        history: history_time,
        render,
    })
}

/// Times goalpost's full history analysis of `root` and `git log --raw --no-renames -- <goals>`
/// (with and without the commit-graph it may have) on the same repository, each the best of
/// `runs`, after one warm-up of each. With `write_graph` (a generated repository), both are
/// timed again after `git commit-graph write --reachable --changed-paths`. With `exe` (the
/// goalpost binary), the whole warm `status` command is timed too.
pub fn run(
    root: &Path,
    runs: usize,
    write_graph: bool,
    exe: Option<&Path>,
) -> Result<BenchResult, Error> {
    let repo = Repo::open(root)?;
    let head = repo.resolve("HEAD")?;
    // Cold: the index is neither read nor written.
    let options = WalkOptions {
        no_cache: true,
        ..WalkOptions::default()
    };
    let goals_path = format!("{}goals/", repo.prefix());
    let git_log = || crate::history::git_cli::log_raw(root, &goals_path, true);
    git_log()?;
    repo.history(head, &options)?;
    let (git_time, ()) = best_of(runs, git_log)?;
    let (git_log_no_graph, ()) = best_of(runs, || {
        crate::history::git_cli::log_raw(root, &goals_path, false)
    })?;
    let (ours, history) = best_of(runs, || repo.history(head, &options))?;
    let with_graph = if write_graph {
        crate::history::git_cli::write_commit_graph(root)?;
        git_log()?;
        let (git_time, ()) = best_of(runs, git_log)?;
        let (ours, _) = best_of(runs, || repo.history(head, &options))?;
        Some((ours, git_time))
    } else {
        None
    };
    // Last: the new commits it makes must not change what the figures above measure.
    let warm = warm_runs(root, runs, write_graph, exe)?;
    Ok(BenchResult {
        git_log_no_graph,
        with_graph,
        commits_walked: history.walked,
        goal_commits: history.commits.len(),
        objectives: history.goals.objectives.len(),
        goalpost: ours,
        git_log: git_time,
        warm: warm.analysis,
        warm_new_commit: warm.analysis_new_commit,
        status_warm: warm.status,
        status_new_commit: warm.status_new_commit,
    })
}

/// The warm timings: the analysis in process, and the whole `status` command.
struct Warm {
    analysis: Duration,
    analysis_new_commit: Option<Duration>,
    status: Option<Duration>,
    status_new_commit: Option<Duration>,
}

/// The smaller of a best time so far and a new one.
fn best(so_far: Option<Duration>, new: Option<Duration>) -> Option<Duration> {
    match (so_far, new) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Times the analysis with the history index, and with `exe` the whole `status` command: of
/// an indexed head (after one run writes it), and, with `commit`, of a new commit on top of
/// an indexed one, made before each run (timed in process, then as a command).
fn warm_runs(root: &Path, runs: usize, commit: bool, exe: Option<&Path>) -> Result<Warm, Error> {
    let repo = Repo::open(root)?;
    let cached = WalkOptions::default();
    let head = repo.resolve("HEAD")?;
    repo.history(head, &cached)?;
    let (analysis, _) = best_of(runs, || repo.history(head, &cached))?;
    let status = match exe {
        Some(exe) => Some(best_of(runs, || command::time_status(exe, root))?.1),
        None => None,
    };
    let mut warm = Warm {
        analysis,
        analysis_new_commit: None,
        status,
        status_new_commit: None,
    };
    if !commit {
        return Ok(warm);
    }
    let mut writer = crate::history::writer::RepoWriter::open(root)?;
    let author = crate::history::writer::Person {
        name: "Bench".into(),
        email: "bench@goalpost.invalid".into(),
    };
    for run in 0..runs.max(1) {
        let parent = repo.resolve("HEAD")?;
        let time = repo.commit_info(parent)?.time.as_second() + 60;
        let note = format!("warm run {run}\n").into_bytes();
        let writes = [("bench-warm.txt".to_string(), note)];
        let new = writer.commit(&crate::history::writer::NewCommit {
            author: &author,
            time,
            message: "One new commit",
            writes: &writes,
        })?;
        let start = Instant::now();
        repo.history(new, &cached)?;
        warm.analysis_new_commit = best(warm.analysis_new_commit, Some(start.elapsed()));
        if let Some(exe) = exe {
            let took = command::time_status(exe, root)?;
            warm.status_new_commit = best(warm.status_new_commit, Some(took));
        }
    }
    Ok(warm)
}
