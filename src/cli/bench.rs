//! `goalpost bench`: generate a synthetic repository (or use one) and time the full history
//! analysis against `git log --raw` on it.

use super::out;
use crate::app::bench::phase::{self, Measured};
use crate::app::bench::{self, synth};
use crate::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Commits in the synthetic repository (at least 1).
    #[arg(long, default_value_t = 10_000, value_parser = at_least_one)]
    commits: usize,
    /// Share of commits that are goal check-ins: above 0, at most 1.
    #[arg(long, default_value_t = 0.3, value_parser = goal_share)]
    goal_share: f64,
    /// Benchmark this existing goal repository instead of generating one.
    #[arg(long, value_name = "DIR", conflicts_with = "keep")]
    repo: Option<PathBuf>,
    /// Generate the synthetic repository into DIR and keep it (default: a temp folder). DIR
    /// must be new, empty, or an earlier `bench --keep` repository (which is replaced).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// Timed runs of each side (at least 1); the best counts.
    #[arg(long, default_value_t = 3, value_parser = at_least_one)]
    runs: usize,
    /// Benchmark the site instead: a synthetic repository with about this many objectives
    /// (12 quarters of teams with 4 objectives each), history and site build timed.
    #[arg(long, value_name = "OBJECTIVES", value_parser = at_least_one)]
    site: Option<usize>,
    /// Time check, status and site on hostile inputs instead: 40,000 unknown keys in one
    /// file, and one objective with 100,000 key results.
    #[arg(long, conflicts_with_all = ["repo", "keep", "site"])]
    hostile: bool,
    /// Internal: measure one phase on --repo and print it as JSON (the bench runs each
    /// phase in a child process of its own, to read its peak memory).
    #[arg(long, hide = true, value_name = "NAME", requires = "repo", conflicts_with_all = ["keep", "site", "hostile"])]
    phase: Option<String>,
}

/// `--commits`, `--runs`, `--site`: a whole number of at least 1. Zero commits, runs or
/// objectives would measure nothing, yet print a table (once as "best of 0").
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("must be at least 1: zero would measure nothing".into()),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// `--goal-share`: a share of the commits, so above 0 (none would leave the analysis
/// nothing to find) and at most 1. NaN fails both comparisons.
fn goal_share(text: &str) -> Result<f64, String> {
    let share: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err("must be above 0 and at most 1 (a share of the commits, such as 0.3)".into())
    }
}

pub fn run(dir: &Path, args: BenchArgs) -> Result<u8, Error> {
    if args.hostile {
        let timings = bench::hostile::run(args.runs)?;
        out::print(&bench::hostile::lines(&timings, args.runs))?;
        return Ok(0);
    }
    if let (Some(name), Some(repo)) = (&args.phase, &args.repo) {
        let measured = phase::measure(&dir.join(repo), phase::Phase::from_name(name)?, args.runs)?;
        out::print(&format!("{}\n", measured.to_line()))?;
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
        bench::run(&root, args.runs, args.repo.is_none()).map(|r| history_lines(&r, args.runs))
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

fn site_lines(r: &Measured, runs: usize) -> String {
    let cpu = |c: Option<f64>| c.map_or(String::new(), |c| format!("  (CPU {c:.3} s)"));
    format!(
        "site of {} objectives: {} pages\n{}{}\n{}{}\npeak RSS of the analysis and the site build together: {}\n(best of {runs}, in a process of its own)\n",
        r.objectives,
        r.pages,
        row("full history analysis (no history index)", r.time(), None).trim_end(),
        cpu(r.cpu_seconds),
        row("site render and write", r.render_time(), None).trim_end(),
        cpu(r.render_cpu_seconds),
        rss(r),
    )
}

/// Peak memory in MiB, or `n/a` where it cannot be read.
fn rss(m: &Measured) -> String {
    m.peak_rss.map_or("n/a".into(), |b| {
        format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
    })
}

/// One line of the table: what, wall-clock time, and the CPU time and peak memory when
/// given.
fn row(what: &str, time: Duration, memory: Option<&Measured>) -> String {
    let cpu = |m: &Measured| {
        m.cpu_time()
            .map_or("n/a".into(), |c| format!("{:.3} s", c.as_secs_f64()))
    };
    let rest = memory.map_or(String::new(), |m| {
        format!("  {:>9}  {:>10}", cpu(m), rss(m))
    });
    format!("{what:<42} {:>8.3} s{rest}\n", time.as_secs_f64())
}

fn history_lines(r: &bench::BenchResult, runs: usize) -> String {
    let ratio = |a: &Measured, b: &Measured| a.seconds / b.seconds.max(1e-9);
    let mut text = history_head(r);
    text.push_str(&row(GOALPOST_COLD, r.cold.time(), Some(&r.cold)));
    text.push_str(&row(GIT_LOG, r.git_log.time(), Some(&r.git_log)));
    text.push_str(&row(
        "git log, commit-graph ignored",
        r.git_log_no_graph.time(),
        Some(&r.git_log_no_graph),
    ));
    let _ = writeln!(
        text,
        "ratio goalpost / git log: {:.2}x (CPU time: {}; git log ignoring a commit-graph: {:.2}x)",
        r.ratio(),
        cpu_ratio(&r.cold, &r.git_log),
        ratio(&r.cold, &r.git_log_no_graph)
    );
    if let Some((ours, git)) = &r.with_graph {
        text.push_str("after `git commit-graph write --reachable --changed-paths`:\n");
        text.push_str(&row(GOALPOST_COLD, ours.time(), Some(ours)));
        text.push_str(&row(GIT_LOG, git.time(), Some(git)));
        let _ = writeln!(
            text,
            "ratio goalpost / git log with a commit-graph: {:.2}x (CPU time: {})",
            ratio(ours, git),
            cpu_ratio(ours, git)
        );
    }
    text.push_str("the history index (ratios against the first git log):\n");
    text.push_str(&row(
        "goalpost, first run, writing the index",
        r.index.time(),
        Some(&r.index),
    ));
    let warm = [
        ("analysis in process, the head indexed", Some(&r.warm)),
        (
            "analysis in process, one new commit",
            r.warm_new_commit.as_ref(),
        ),
        (
            "whole `status` command, the head indexed",
            Some(&r.status_warm),
        ),
        (
            "whole `status` command, one new commit",
            r.status_new_commit.as_ref(),
        ),
    ];
    for (what, m) in warm {
        if let Some(m) = m {
            let line = row(what, m.time(), Some(m));
            let _ = writeln!(text, "{}  {:.3}x", line.trim_end(), ratio(m, &r.git_log));
        }
    }
    let _ = writeln!(
        text,
        "(best of {runs}; goalpost cold and git log alternate, one run each per round; each line in a process of its own; time: wall clock; CPU: user and system time of all threads; peak RSS: maximum resident set size)"
    );
    text
}

/// The ratio of two CPU times, `n/a` where they cannot be read.
fn cpu_ratio(a: &Measured, b: &Measured) -> String {
    match (a.cpu_seconds, b.cpu_seconds) {
        (Some(a), Some(b)) => format!("{:.2}x", a / b.max(1e-9)),
        _ => "n/a".into(),
    }
}

const GOALPOST_COLD: &str = "goalpost, cold (no history index)";
const GIT_LOG: &str = "git log --raw --no-renames -- goals/";

/// The repository and the table's header.
fn history_head(r: &bench::BenchResult) -> String {
    format!(
        "repository: {} first-parent commits, {} changing goals, {} objectives at HEAD\n{:<42} {:>10}  {:>9}  {:>10}\n",
        r.commits_walked, r.goal_commits, r.objectives, "", "time", "CPU", "peak RSS"
    )
}
