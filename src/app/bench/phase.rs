//! One measured phase of `goalpost bench` (the cold analysis, the warm one, `git log`, the
//! site build), run in a child process of its own so that its peak memory can be read.
//!
//! Why child processes: the peak resident set size the kernel keeps (`ru_maxrss`) only
//! grows over a process's life, and memory freed by one phase often stays mapped (the
//! allocator keeps it), so a phase measured in-process after another would report the
//! bigger of the two. The bench therefore starts itself once per phase (the hidden
//! `goalpost bench --phase NAME --repo DIR --runs N`); the child times its runs and prints
//! one JSON line with the best wall-clock and CPU times and its peak RSS (see [`usage`]):
//! goalpost's own for the analysis and the site, `git`'s for the `git log` phases.

use super::temp_dir;
use super::usage::{self, timed, Timing, Who};
use crate::error::Error;
use crate::history::writer::{NewCommit, Person, RepoWriter};
use crate::history::{git_cli, Repo, RevId, WalkOptions};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A part of the benchmark that is measured on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The full history analysis, the history index neither read nor written.
    Cold,
    /// The analysis that writes the history index (after clearing it), one run.
    Index,
    /// The analysis read from the history index of the head.
    Warm,
    /// One new commit on top of an indexed one, then the analysis; each run commits.
    NewCommit,
    /// `git log --raw --no-renames -- goals/`, with the commit-graph it may have.
    GitLog,
    /// The same, told not to use a commit-graph.
    GitLogNoGraph,
    /// The full history analysis, then the site build from it.
    Site,
    /// The whole `goalpost status` command, a child process, the head indexed.
    StatusWarm,
    /// One new commit on top of an indexed one, then the whole `goalpost status` command.
    StatusNewCommit,
}

const PHASES: [(Phase, &str); 9] = [
    (Phase::Cold, "cold"),
    (Phase::Index, "index"),
    (Phase::Warm, "warm"),
    (Phase::NewCommit, "new-commit"),
    (Phase::GitLog, "git-log"),
    (Phase::GitLogNoGraph, "git-log-no-graph"),
    (Phase::Site, "site"),
    (Phase::StatusWarm, "status"),
    (Phase::StatusNewCommit, "status-new-commit"),
];

impl Phase {
    pub fn name(self) -> &'static str {
        PHASES
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Result<Phase, Error> {
        PHASES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(p, _)| *p)
            .ok_or_else(|| Error::Usage(format!("unknown bench phase `{name}`")))
    }
}

/// What a phase measured: the best time of its runs and the peak memory of the process.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    /// Best wall-clock time of one run, in seconds (the site: of the history analysis).
    pub seconds: f64,
    /// Best CPU time (user and system, all threads) of one run, in seconds: less
    /// disturbed by other jobs on the machine than the wall clock. `None` where it cannot
    /// be read.
    pub cpu_seconds: Option<f64>,
    /// Peak resident set size in bytes of the process that did the work (`git`'s for the
    /// `git log` phases), over all its runs; `None` where it cannot be read.
    pub peak_rss: Option<u64>,
    /// The site phase: the best wall-clock and CPU times of the site build, in seconds.
    pub render_seconds: f64,
    pub render_cpu_seconds: Option<f64>,
    /// What the analysis found (the phases that analyse history).
    pub commits_walked: usize,
    pub goal_commits: usize,
    pub objectives: usize,
    /// The site phase: pages written.
    pub pages: usize,
}

impl Measured {
    pub fn time(&self) -> Duration {
        Duration::from_secs_f64(self.seconds.max(0.0))
    }

    pub fn cpu_time(&self) -> Option<Duration> {
        self.cpu_seconds
            .map(|s| Duration::from_secs_f64(s.max(0.0)))
    }

    fn timing(timing: Timing) -> Measured {
        Measured {
            seconds: timing.wall.as_secs_f64(),
            cpu_seconds: timing.cpu.map(|c| c.as_secs_f64()),
            ..Measured::default()
        }
    }

    /// Two runs of one phase as one: the best of each time, the larger peak memory.
    pub fn better(self, other: Measured) -> Measured {
        let least = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Measured {
            seconds: self.seconds.min(other.seconds),
            cpu_seconds: least(self.cpu_seconds, other.cpu_seconds),
            peak_rss: self.peak_rss.max(other.peak_rss),
            render_seconds: self.render_seconds.min(other.render_seconds),
            render_cpu_seconds: least(self.render_cpu_seconds, other.render_cpu_seconds),
            ..self
        }
    }

    pub fn render_time(&self) -> Duration {
        Duration::from_secs_f64(self.render_seconds.max(0.0))
    }

    /// The one line the child prints.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Runs `phase` as a child process of this executable on `root`, best of `runs`.
pub fn spawn(root: &Path, phase: Phase, runs: usize) -> Result<Measured, Error> {
    let exe = std::env::current_exe().map_err(|e| Error::io(Path::new("goalpost"), e))?;
    let out = Command::new(&exe)
        .args([
            "bench",
            "--phase",
            phase.name(),
            "--runs",
            &runs.to_string(),
        ])
        .arg("--repo")
        .arg(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::io(&exe, e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(Error::Internal(format!(
            "bench phase `{}` failed: {}",
            phase.name(),
            stderr.trim()
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        Error::Internal(format!(
            "bench phase `{}` printed no result ({e}): {}",
            phase.name(),
            stderr.trim()
        ))
    })
}

/// The child's side: runs `phase` on `root`, best of `runs`, and measures it.
pub fn measure(root: &Path, phase: Phase, runs: usize) -> Result<Measured, Error> {
    let mut measured = match phase {
        Phase::Cold => analyse(root, runs, true)?,
        Phase::Index => {
            Repo::open(root)?.clear_index()?;
            analyse(root, 1, false)?
        }
        Phase::Warm => analyse(root, runs, false)?,
        Phase::NewCommit => new_commit(root, runs)?,
        Phase::GitLog | Phase::GitLogNoGraph => git_log(root, runs, phase == Phase::GitLog)?,
        Phase::Site => site(root, runs)?,
        Phase::StatusWarm => status_command(root, runs, false)?,
        Phase::StatusNewCommit => status_command(root, runs, true)?,
    };
    measured.peak_rss = match phase {
        Phase::GitLog | Phase::GitLogNoGraph | Phase::StatusWarm | Phase::StatusNewCommit => {
            usage::peak_rss(Who::Children)
        }
        _ => usage::peak_rss(Who::Me),
    };
    Ok(measured)
}

/// The full history analysis of `root`'s head, with or without the history index.
fn analyse(root: &Path, runs: usize, no_cache: bool) -> Result<Measured, Error> {
    let repo = Repo::open(root)?;
    let head = repo.resolve("HEAD")?;
    let options = WalkOptions {
        no_cache,
        ..WalkOptions::default()
    };
    // Only the counts outlive a run: a history kept while the next run builds its own
    // would double the peak memory.
    let (timing, counts) = timed(runs, Who::Me, || {
        let history = repo.history(head, &options)?;
        Ok(Measured {
            commits_walked: history.walked,
            goal_commits: history.commits.len(),
            objectives: history.goals.objectives.len(),
            ..Measured::default()
        })
    })?;
    Ok(Measured {
        commits_walked: counts.commits_walked,
        goal_commits: counts.goal_commits,
        objectives: counts.objectives,
        ..Measured::timing(timing)
    })
}

/// Commits one new file change (not touching goals) on top of the head; its id.
fn commit_on_head(repo: &Repo, writer: &mut RepoWriter, run: usize) -> Result<RevId, Error> {
    let author = Person {
        name: "Bench".into(),
        email: "bench@goalpost.invalid".into(),
    };
    let parent = repo.resolve("HEAD")?;
    let time = repo.commit_info(parent)?.time.as_second() + 60;
    let writes = [(
        "bench-warm.txt".to_string(),
        format!("warm run {run}\n").into_bytes(),
    )];
    writer.commit(&NewCommit {
        author: &author,
        time,
        message: "One new commit",
        writes: &writes,
    })
}

/// Before each run, a new commit (not touching goals) on top of the head; the analysis of
/// it resumes after its indexed parent. Only on a repository the benchmark generated.
fn new_commit(root: &Path, runs: usize) -> Result<Measured, Error> {
    let repo = Repo::open(root)?;
    let mut writer = RepoWriter::open(root)?;
    let mut best = None;
    for run in 0..runs.max(1) {
        let new = commit_on_head(&repo, &mut writer, run)?;
        let (timing, ()) = timed(1, Who::Me, || {
            drop(repo.history(new, &WalkOptions::default())?);
            Ok(())
        })?;
        best = Some(Timing::best(best, timing));
    }
    Ok(Measured::timing(best.unwrap_or_default()))
}

/// The whole `goalpost status` command (this executable, a child process: start, reading
/// the index, verdicts, rendering, exit), after one untimed run that indexes the head;
/// with `new_commit`, a new commit on top of the head before each run.
fn status_command(root: &Path, runs: usize, new_commit: bool) -> Result<Measured, Error> {
    let exe = std::env::current_exe().map_err(|e| Error::io(Path::new("goalpost"), e))?;
    super::command::run_status(&exe, root)?;
    if !new_commit {
        let (timing, ()) = timed(runs, Who::Children, || {
            super::command::run_status(&exe, root)
        })?;
        return Ok(Measured::timing(timing));
    }
    let repo = Repo::open(root)?;
    let mut writer = RepoWriter::open(root)?;
    let mut best = None;
    for run in 0..runs.max(1) {
        commit_on_head(&repo, &mut writer, run + runs)?;
        let (timing, ()) = timed(1, Who::Children, || super::command::run_status(&exe, root))?;
        best = Some(Timing::best(best, timing));
    }
    Ok(Measured::timing(best.unwrap_or_default()))
}

/// `git log --raw --no-renames -- <goals>`, output discarded, after one warm-up run (the
/// first phase of a benchmark: it brings the repository into the page cache).
fn git_log(root: &Path, runs: usize, commit_graph: bool) -> Result<Measured, Error> {
    let goals = format!("{}goals/", Repo::open(root)?.prefix());
    let log = || git_cli::log_raw(root, &goals, commit_graph);
    log()?;
    let (timing, ()) = timed(runs, Who::Children, log)?;
    Ok(Measured::timing(timing))
}

/// The cold history analysis, then the site build (render and write every page) from it,
/// each best of `runs`; the site goes to a temporary folder.
fn site(root: &Path, runs: usize) -> Result<Measured, Error> {
    let repo = Repo::open(root)?;
    let head = repo.resolve("HEAD")?;
    let options = WalkOptions {
        no_cache: true,
        ..WalkOptions::default()
    };
    // The history of the last run is the one the site is built from; none outlives a run
    // before it (two at once would double the peak memory).
    let mut history = None;
    let (history_time, ()) = timed(runs, Who::Me, || {
        history = None;
        history = Some(repo.history(head, &options)?);
        Ok(())
    })?;
    let history = history.ok_or_else(|| Error::Internal("no history".into()))?;
    let as_of = history.head.as_ref().map(|c| c.time).unwrap_or_default();
    // Each run writes a fresh folder in one new temporary folder, removed at the end
    // (deleting between runs would time the file system's inode reuse, not goalpost).
    let base = temp_dir("goalpost-bench-site-")?;
    let mut run = 0;
    let (render, summary) = timed(runs, Who::Me, || {
        run += 1;
        let out = base.path().join(run.to_string());
        crate::site::build(&history, None, &out, "", as_of)
    })?;
    Ok(Measured {
        render_seconds: render.wall.as_secs_f64(),
        render_cpu_seconds: render.cpu.map(|c| c.as_secs_f64()),
        objectives: history.goals.objectives.len(),
        pages: summary.pages,
        ..Measured::timing(history_time)
    })
}

#[cfg(test)]
mod tests {
    use super::Measured;

    // Runs taken in rounds combine into the best time of each kind and the largest peak:
    // a slower later round must not hide a faster earlier one, nor a lower peak the higher.
    #[test]
    fn rounds_keep_the_best_times_and_the_largest_peak() {
        let first = Measured {
            seconds: 1.0,
            cpu_seconds: Some(1.5),
            peak_rss: Some(200),
            commits_walked: 7,
            ..Measured::default()
        };
        let second = Measured {
            seconds: 0.8,
            cpu_seconds: None,
            peak_rss: Some(300),
            commits_walked: 7,
            ..Measured::default()
        };
        let both = first.better(second);
        assert_eq!(both.seconds, 0.8);
        assert_eq!(both.cpu_seconds, Some(1.5));
        assert_eq!(both.peak_rss, Some(300));
        assert_eq!(both.commits_walked, 7);
    }
}
