//! `goalpost bench`: generate a synthetic repository (or use one) and time the full history
//! analysis against `git log --raw` on it.

use super::out;
use crate::app::bench::{self, synth};
use crate::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Commits in the synthetic repository.
    #[arg(long, default_value_t = 10_000)]
    commits: usize,
    /// Share of commits that are goal check-ins.
    #[arg(long, default_value_t = 0.3)]
    goal_share: f64,
    /// Benchmark this existing goal repository instead of generating one.
    #[arg(long, value_name = "DIR", conflicts_with = "keep")]
    repo: Option<PathBuf>,
    /// Generate the synthetic repository into DIR and keep it (default: a temp folder). DIR
    /// must be new, empty, or an earlier `bench --keep` repository (which is replaced).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Timed runs of each side; the best counts.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Benchmark the site instead: a synthetic repository with about this many objectives
    /// (12 quarters of teams with 4 objectives each), history and site build timed.
    #[arg(long, value_name = "OBJECTIVES")]
    site: Option<usize>,
    /// Time check, status and site on hostile inputs instead: 40,000 unknown keys in one
    /// file, and one objective with 100,000 key results.
    #[arg(long, conflicts_with_all = ["repo", "keep", "site"])]
    hostile: bool,
}

pub fn run(dir: &Path, args: BenchArgs) -> Result<u8, Error> {
    if args.hostile {
        let timings = bench::hostile::run(args.runs)?;
        out::print(&bench::hostile::lines(&timings, args.runs))?;
        return Ok(0);
    }
    let mut text = String::new();
    // Holds a generated repository until the end; a temporary one is removed when dropped.
    let generated;
    let root = match &args.repo {
        Some(repo) => dir.join(repo),
        None => {
            let started = std::time::Instant::now();
            let keep = args.keep.as_ref().map(|k| dir.join(k));
            generated = bench::generate(keep.as_deref(), &spec(&args))?;
            let _ = writeln!(
                text,
                "generated {} commits ({} touching goals/) in {:.1} s",
                generated.stats.commits,
                generated.stats.goal_commits,
                started.elapsed().as_secs_f64()
            );
            generated.root.clone()
        }
    };
    let lines = if args.site.is_some() {
        bench::run_site(&root, args.runs).map(|r| site_lines(&r, args.runs))
    } else {
        // A commit-graph is written only into a repository the benchmark generated.
        // The whole warm `status` command is timed with this very binary.
        let exe = std::env::current_exe().ok();
        bench::run(&root, args.runs, args.repo.is_none(), exe.as_deref())
            .map(|r| history_lines(&r, args.runs))
    };
    text.push_str(&lines?);
    out::print(&text)?;
    Ok(0)
}

/// The synthetic repository's shape from the flags.
fn spec(args: &BenchArgs) -> synth::SynthSpec {
    let mut spec = synth::SynthSpec {
        commits: args.commits,
        goal_share: args.goal_share,
        ..Default::default()
    };
    if let Some(n) = args.site {
        spec.objectives_per_team = 4;
        spec.teams = n.div_ceil(12 * 4).max(1);
    }
    spec
}

fn site_lines(r: &bench::SiteBench, runs: usize) -> String {
    format!(
        "site of {} objectives: {} pages\nfull history analysis  {:>8.3} s  (best of {runs})\nsite render and write  {:>8.3} s  (best of {runs})\n",
        r.objectives,
        r.pages,
        r.history.as_secs_f64(),
        r.render.as_secs_f64()
    )
}

fn history_lines(r: &bench::BenchResult, runs: usize) -> String {
    let secs = |d: std::time::Duration| d.as_secs_f64();
    let ratio = |a: std::time::Duration, b: std::time::Duration| secs(a) / secs(b).max(1e-9);
    let mut text = history_head(r, runs);
    let _ = writeln!(
        text,
        "git log without a commit-graph (-c core.commitGraph=false) {:>8.3} s  (goalpost / it: {:.2}x)",
        secs(r.git_log_no_graph),
        ratio(r.goalpost, r.git_log_no_graph)
    );
    let _ = writeln!(
        text,
        "warm analysis, from the history index {:>8.3} s  (best of {runs}; {:.3}x git log)",
        secs(r.warm),
        ratio(r.warm, r.git_log)
    );
    if let Some(new) = r.warm_new_commit {
        let _ = writeln!(
            text,
            "warm analysis, after one new commit   {:>8.3} s  (best of {runs}; {:.3}x git log)",
            secs(new),
            ratio(new, r.git_log)
        );
    }
    for (what, time) in [
        ("warm `goalpost status`, whole command", r.status_warm),
        ("warm `status` after one new commit   ", r.status_new_commit),
    ] {
        if let Some(t) = time {
            let _ = writeln!(
                text,
                "{what} {:>8.3} s  (best of {runs}; {:.3}x git log)",
                secs(t),
                ratio(t, r.git_log)
            );
        }
    }
    if let Some((ours, git)) = r.with_graph {
        let _ = writeln!(
            text,
            "after `git commit-graph write --reachable --changed-paths`:\ngoalpost full history analysis        {:>8.3} s  (best of {runs})\ngit log --raw --no-renames -- goals/  {:>8.3} s  (best of {runs})\nratio goalpost / git log with a commit-graph: {:.2}x",
            secs(ours),
            secs(git),
            ratio(ours, git)
        );
    }
    text
}

/// The repository and the timings as found (a generated repository has no commit-graph).
fn history_head(r: &bench::BenchResult, runs: usize) -> String {
    format!(
        "repository: {} first-parent commits, {} changing goals, {} objectives at HEAD\ngoalpost full history analysis        {:>8.3} s  (best of {runs})\ngit log --raw --no-renames -- goals/  {:>8.3} s  (best of {runs})\nratio goalpost / git log: {:.2}x\n",
        r.commits_walked,
        r.goal_commits,
        r.objectives,
        r.goalpost.as_secs_f64(),
        r.git_log.as_secs_f64(),
        r.ratio()
    )
}
