//! `goalpost bench --hostile`: the inputs an attacker would send to make goalpost slow,
//! generated and timed, so that linear behaviour is measured rather than hoped for.
//!
//! Issue 9 found `check` quadratic: 40,000 unknown keys in one file took 16 s, and an
//! objective with 100,000 key results took 26 s in `check`, 63 s in `status` and 32 s in
//! `site`. The goals, on 2 cores: the unknown keys under 0.5 s, `status` under 3 s.

use super::{best_of, temp_dir};
use crate::error::Error;
use crate::history::writer::{Person, RepoWriter};
use crate::report::{render, Format, Style};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

/// Unknown keys in the first hostile file.
pub const UNKNOWN_KEYS: usize = 40_000;
/// Key results of the one objective in the second hostile repository.
pub const KEY_RESULTS: usize = 100_000;

/// One timed operation on a hostile input.
pub struct HostileTiming {
    pub what: &'static str,
    pub took: Duration,
    /// The goal from issue 9, where it set one.
    pub goal: Option<Duration>,
}

/// Generates both hostile repositories in temporary folders and times `check` (load,
/// lint and the rustc-style text rendering), `status` and `site` on them, best of `runs`.
pub fn run(runs: usize) -> Result<Vec<HostileTiming>, Error> {
    let unknown = temp_dir("goalpost-bench-hostile-")?;
    write_repo(
        unknown.path(),
        "goals/2026-Q4/team/unknown.md",
        &unknown_keys_file(),
    )?;
    let many = temp_dir("goalpost-bench-hostile-")?;
    write_repo(many.path(), "goals/2026-Q4/team/many.md", &many_krs_file())?;
    let chain = temp_dir("goalpost-bench-hostile-")?;
    write_repo_files(chain.path(), &parent_chain_files())?;
    let site_out = temp_dir("goalpost-bench-hostile-site-")?;
    let mut site_run = 0;
    Ok(vec![
        HostileTiming {
            what: "check, 40,000 unknown keys in one file",
            took: best_of(runs, || check_text(unknown.path()))?.0,
            goal: Some(Duration::from_millis(500)),
        },
        HostileTiming {
            what: "check, 100,000 key results in one objective",
            took: best_of(runs, || check_text(many.path()))?.0,
            goal: None,
        },
        HostileTiming {
            what: "check, 4,000 objectives in one parent chain",
            took: best_of(runs, || check_text(chain.path()))?.0,
            goal: None,
        },
        HostileTiming {
            what: "status, 100,000 key results in one objective",
            took: best_of(runs, || status_text(many.path()))?.0,
            goal: Some(Duration::from_secs(3)),
        },
        HostileTiming {
            what: "site, 100,000 key results in one objective",
            took: best_of(runs, || {
                site_run += 1;
                let out = site_out.path().join(site_run.to_string());
                let head = super::super::common::HistoryOptions::head();
                super::super::site::build(many.path(), &out, &head, None).map(drop)
            })?
            .0,
            goal: None,
        },
    ])
}

/// The report lines: one per timing, with its goal.
pub fn lines(timings: &[HostileTiming], runs: usize) -> String {
    let mut text = String::new();
    for t in timings {
        let goal = t.goal.map_or(String::new(), |g| {
            let verdict = if t.took <= g { "met" } else { "MISSED" };
            format!("  (goal {:.1} s: {verdict})", g.as_secs_f64())
        });
        let _ = writeln!(
            text,
            "{:<46} {:>8.3} s  (best of {runs}){goal}",
            t.what,
            t.took.as_secs_f64()
        );
    }
    text
}

fn check_text(root: &Path) -> Result<(), Error> {
    let report = super::super::check::run(root)?;
    render(&report, Format::Text, Style::default()).map(drop)
}

fn status_text(root: &Path) -> Result<(), Error> {
    let options = super::super::status::StatusOptions {
        period: Some("2026-Q4".into()),
        team: None,
        owner: None,
        history: super::super::common::HistoryOptions::head(),
        as_of: None,
    };
    let report = super::super::status::run(root, &options)?;
    render(&report, Format::Text, Style::default()).map(drop)
}

/// A goal repository holding one file, committed once.
fn write_repo(root: &Path, path: &str, text: &str) -> Result<(), Error> {
    write_repo_files(root, &[(path.to_string(), text.to_string())])
}

/// A goal repository holding `files`, committed once.
fn write_repo_files(root: &Path, files: &[(String, String)]) -> Result<(), Error> {
    let mut writer = RepoWriter::init(root)?;
    let author = Person {
        name: "Bench".into(),
        email: "bench@goalpost.invalid".into(),
    };
    let mut writes = vec![(
        "goalpost.toml".to_string(),
        b"[site]\ntitle = \"Hostile\"\n".to_vec(),
    )];
    writes.extend(
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.as_bytes().to_vec())),
    );
    writer.commit(&crate::history::writer::NewCommit {
        author: &author,
        time: 1_790_000_000,
        message: "hostile input",
        writes: &writes,
    })?;
    Ok(())
}

/// An objective whose front matter holds 40,000 unknown keys (each one an error).
fn unknown_keys_file() -> String {
    let mut text = String::from("+++\ntitle = \"Unknown keys\"\nowner = \"a\"\n");
    for i in 0..UNKNOWN_KEYS {
        let _ = writeln!(text, "unknown_key_{i:05} = 1");
    }
    text.push_str(
        "[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = 10\ncurrent = 1\n+++\n",
    );
    text
}

/// 4,000 objectives, each the parent of the one before (cycle detection was cubic here),
/// half of them naming a parent that does not exist (each costs a "did you mean" search).
fn parent_chain_files() -> Vec<(String, String)> {
    (0..4000)
        .map(|i| {
            let parent = if i % 2 == 0 {
                format!("t/o{}", i + 1)
            } else {
                format!("t/missing-parent-with-a-long-name-{i:05}")
            };
            let text = format!(
                "+++\ntitle = \"O {i}\"\nowner = \"a\"\nparent = \"{parent}\"\n[[key_results]]\nid = \"k\"\ntitle = \"K\"\nstart = 0\ntarget = 1\ncurrent = 0\n+++\n"
            );
            (format!("goals/2026-Q4/t/o{i}.md"), text)
        })
        .collect()
}

/// One objective with 100,000 key results.
fn many_krs_file() -> String {
    let mut text = String::from("+++\ntitle = \"Many key results\"\nowner = \"a\"\n");
    for i in 0..KEY_RESULTS {
        let _ = write!(
            text,
            "[[key_results]]\nid = \"k{i}\"\ntitle = \"KR {i}\"\nstart = 0\ntarget = 10\ncurrent = {}\n",
            i % 10
        );
    }
    text.push_str("+++\n");
    text
}
