//! `goalpost demo`: replays the built-in sample repository's timeline into a real git
//! repository with dated commits, so every command has history to show.

pub mod timeline;

use crate::error::Error;
use crate::history::writer::{NewCommit, RepoWriter};
use crate::history::Repo;
use crate::load::edit::{set_value, Step};
use crate::load::{self, SourceFile};
use crate::model::number_literal;
use crate::safe_fs::{self, Staged};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use timeline::{Action, Entry, EntryError, Timeline};

include!(concat!(env!("OUT_DIR"), "/sample.rs"));

/// The sample files, without the timeline itself.
fn sample_files() -> BTreeMap<String, Vec<u8>> {
    SAMPLE_FILES
        .iter()
        .filter(|(p, _)| *p != timeline::TIMELINE_FILE)
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect()
}

fn sample_timeline() -> Result<Timeline, Error> {
    let text = SAMPLE_FILES
        .iter()
        .find(|(p, _)| *p == timeline::TIMELINE_FILE)
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    timeline::parse(&text)
}

/// Builds the demo repository at `out`, replacing an earlier demo there but never any other
/// folder (see `crate::safe_fs`). The repository is built beside `out` and swapped into place
/// only when complete; returns its canonical path.
pub fn build(out: &Path) -> Result<PathBuf, Error> {
    let timeline = sample_timeline()?;
    refuse_changed_demo(out)?;
    let staged = Staged::begin(out, &safe_fs::DEMO)?;
    // On an error, dropping `staged` removes the partial repository.
    replay(staged.dir(), &timeline)?;
    let head = Repo::open(staged.dir())?.resolve("HEAD")?.to_string();
    let record = staged.dir().join(DEMO_HEAD);
    std::fs::write(&record, format!("{head}\n")).map_err(|e| Error::io(&record, e))?;
    staged.finish()
}

/// Where a demo records the commit it ended at, so a rebuild can tell a demo left as it was
/// from one someone worked in.
const DEMO_HEAD: &str = ".git/goalpost-demo-head";

/// An earlier demo at `out` is replaced only as the demo left it: HEAD at the commit it
/// ended at, and every file as committed (its `site/` aside, which `demo` builds). A
/// commit or an edit made in it is the user's work, which a rebuild must never lose.
fn refuse_changed_demo(out: &Path) -> Result<(), Error> {
    let Ok(recorded) = std::fs::read_to_string(out.join(DEMO_HEAD)) else {
        return Ok(());
    };
    let refuse = |why: String| {
        Error::Usage(format!(
            "refusing to replace the demo at {}: {why}; pass another --out, or remove it yourself",
            out.display()
        ))
    };
    let repo =
        Repo::open(out).map_err(|e| refuse(format!("it cannot be read as a repository ({e})")))?;
    let head = repo.resolve("HEAD")?.to_string();
    if head != recorded.trim() {
        return Err(refuse(format!(
            "it has commits the demo did not make (HEAD is {}, the demo ended at {})",
            crate::history::short_id(&head),
            crate::history::short_id(recorded.trim())
        )));
    }
    let changed: Vec<String> = repo
        .unrecoverable_under(out)?
        .into_iter()
        .filter(|p| !p.starts_with("site/"))
        .collect();
    if let Some(first) = changed.first() {
        return Err(refuse(format!(
            "{} file(s) changed or added since the demo made it ({first}, …)",
            changed.len()
        )));
    }
    Ok(())
}

fn replay(dir: &Path, timeline: &Timeline) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // `dir` already holds the demo marker inside `.git`; git init keeps it.
    let mut writer = RepoWriter::init(dir)?;
    // The demo's site is built into site/ inside the work tree; keep it out of `git status`.
    std::fs::write(dir.join(".git/info/exclude"), "/site/\n").map_err(|e| Error::io(dir, e))?;
    let sample = sample_files();
    let mut tree: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for entry in &timeline.entries {
        let fail = |message: EntryError| Error::Input {
            file: format!("sample-repo/{}", timeline::TIMELINE_FILE),
            line: entry.line,
            message: message.0,
        };
        let (writes, default_message) = apply(entry, &sample, &tree).map_err(fail)?;
        let message = entry.message.clone().unwrap_or(default_message);
        let author = &timeline.people[&entry.author];
        writer.commit(&NewCommit {
            author,
            time: entry.time,
            message: &message,
            writes: &writes,
        })?;
        tree.extend(writes);
    }
    Ok(())
}

/// A file's new content: path relative to the work tree, and bytes.
type FileWrite = (String, Vec<u8>);

/// The files one entry writes, and its default commit message.
fn apply(
    entry: &Entry,
    sample: &BTreeMap<String, Vec<u8>>,
    tree: &BTreeMap<String, Vec<u8>>,
) -> Result<(Vec<FileWrite>, String), EntryError> {
    match &entry.action {
        Action::Add(paths) => {
            let mut writes = Vec::new();
            for p in paths {
                let prefix = format!("{p}/");
                let found: Vec<_> = sample
                    .iter()
                    .filter(|(path, _)| *path == p || path.starts_with(&prefix))
                    .map(|(path, bytes)| (path.clone(), bytes.clone()))
                    .collect();
                if found.is_empty() {
                    return Err(format!("no sample file or folder `{p}`").into());
                }
                writes.extend(found);
            }
            Ok((writes, format!("goals: add {}", paths.join(", "))))
        }
        Action::Checkin { kr, value, note } => {
            let w = edit_kr(tree, kr, "current", &number_literal(*value))?;
            let note = note.as_ref().map_or(String::new(), |n| format!(" ({n})"));
            Ok((
                vec![w],
                format!("checkin: {kr} = {}{note}", number_literal(*value)),
            ))
        }
        Action::Done { kr } => Ok((
            vec![edit_kr(tree, kr, "done", "true")?],
            format!("checkin: {kr} done"),
        )),
        Action::Set { kr, field, value } => {
            let w = edit_kr(tree, kr, field, &number_literal(*value))?;
            Ok((
                vec![w],
                format!("goals: {kr} {field} = {}", number_literal(*value)),
            ))
        }
        Action::Kpi { slug, value } => {
            let path = ["toml", "md"]
                .iter()
                .map(|ext| format!("kpis/{slug}.{ext}"))
                .find(|p| tree.contains_key(p))
                .ok_or_else(|| format!("no KPI `{slug}` in the repository yet"))?;
            let text = String::from_utf8_lossy(&tree[&path]);
            let new = set_value(
                &text,
                path.ends_with(".md"),
                &[Step::Key("value")],
                &number_literal(*value),
            )?;
            Ok((
                vec![(path, new.into_bytes())],
                format!("kpi: {slug} = {}", number_literal(*value)),
            ))
        }
        Action::Touch { path, message } => {
            let mut bytes = tree.get(path).cloned().unwrap_or_default();
            bytes.extend_from_slice(format!("- {message}\n").as_bytes());
            Ok((vec![(path.clone(), bytes)], message.clone()))
        }
    }
}

/// Edits one field of a key result named `<period>/<team>/<slug>#<kr>`, finding its file
/// through the loader (so pinned ids work as they do for users).
fn edit_kr(
    tree: &BTreeMap<String, Vec<u8>>,
    kr: &str,
    field: &str,
    literal: &str,
) -> Result<FileWrite, EntryError> {
    let (objective, kr_id) = kr
        .split_once('#')
        .ok_or_else(|| format!("`{kr}` is not a key result id (<objective>#<kr>)"))?;
    let files = tree
        .iter()
        .map(|(path, bytes)| SourceFile {
            path: path.clone(),
            bytes: bytes.clone(),
        })
        .collect();
    let loaded = load::load(tree.get(load::CONFIG_FILE).map(Vec::as_slice), files);
    let o = loaded
        .goals
        .objective(objective)
        .ok_or_else(|| format!("no objective `{objective}`"))?;
    let text = String::from_utf8_lossy(&tree[&o.file]);
    let path = [
        Step::Entry {
            array: "key_results",
            id: kr_id,
        },
        Step::Key(field),
    ];
    let new = set_value(&text, o.file.ends_with(".md"), &path, literal)
        .map_err(|e| format!("{kr}: {e}"))?;
    Ok((o.file.clone(), new.into_bytes()))
}

/// Builds the demo repository at `dir/out`, then checks it, reports its status and builds
/// its site, as `goalpost demo` shows.
pub fn run(dir: &Path, out: &Path) -> Result<crate::report::demo::DemoReport, Error> {
    let repo = build(&dir.join(out))?;
    let (_, loaded, files) = super::check::check_workspace(&repo)?;
    let history = super::common::HistoryOptions::head();
    let options = super::status::StatusOptions {
        period: None,
        team: None,
        owner: None,
        history: history.clone(),
        as_of: None,
    };
    let status = super::status::run(&repo, &options)?;
    let site = super::site::build(&repo, &repo.join("site"), &history, None)?;
    Ok(crate::report::demo::DemoReport {
        shown: out.display().to_string(),
        repo,
        diagnostics: loaded.diagnostics,
        files,
        status,
        site_index: site.index,
        site_pages: site.pages,
    })
}
