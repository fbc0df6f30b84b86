//! `checkin`: records key results' and KPIs' new values in their files, changing only
//! those values' bytes (or appending dated check-ins with `toml_edit`), never leaving a
//! file half-written; with `--commit`, commits those edits alone, in one commit. A batch
//! (`--from`) is validated row by row before anything is written. Read, edit, write and
//! commit run under one lock (see `lock`), so concurrent check-ins take turns.

pub mod batch;
mod late;
mod lock;
mod target;

use super::common::{check_qualifier, in_period_containing};
use crate::error::Error;
use crate::history::commit::{self, Committed, FileAtHead, NewVersion};
use crate::load::Loaded;
use crate::model::ids::{missing_in_period, resolve_id};
use crate::model::{KeyResult, Objective};
pub use late::LatePeriod;
use std::path::Path;
pub use target::Recipe;

/// One check-in: what to record for one key result or KPI.
#[derive(Debug, Clone, Default)]
pub struct CheckinRequest {
    /// A key result (`<team>/<slug>#<kr>` or `<period>/<team>/<slug>#<kr>`) or a KPI id.
    pub id: String,
    /// A number for a metric or KPI; true/false (or done/not-done) for a milestone.
    /// Optional when a confidence or a note is given.
    pub value: Option<String>,
    pub note: Option<String>,
    pub confidence: Option<f64>,
    /// Append a dated check-in instead of editing the value in place.
    pub date: Option<jiff::civil::Date>,
    pub period: Option<String>,
}

/// The edits to one file: its path (relative to the goal root), old and new text, and the
/// recipes that made them, in row order.
#[derive(Debug, Clone)]
pub struct FileEdit {
    pub path: String,
    pub old: String,
    pub new: String,
    pub recipes: Vec<Recipe>,
}

/// The objective `objective` names in the working tree: qualified, with `period`, unique
/// across periods, or else the one in the period containing `today`.
fn resolve_objective<'a>(
    loaded: &'a Loaded,
    objective: &str,
    period: Option<&str>,
    today: jiff::civil::Date,
) -> Result<Option<&'a Objective>, Error> {
    let known: Vec<String> = loaded
        .goals
        .objectives
        .iter()
        .map(Objective::qualified_id)
        .collect();
    let prefer = in_period_containing(&loaded.config, today);
    let known = || known.iter().map(String::as_str);
    let found =
        resolve_id(known(), objective, period, prefer).map_err(|e| Error::Usage(e.to_string()))?;
    // With --period, say whether the period is empty or the objective is in others only.
    if let (None, Some(p)) = (found, period) {
        if let Some(why) = missing_in_period(known(), objective, p) {
            return Err(Error::Usage(why.to_string()));
        }
    }
    // `2026-Q9/t/a`: the period is impossible, which says more than "no such objective".
    if found.is_none() {
        check_qualifier(&loaded.config, known(), objective)?;
    }
    Ok(found.and_then(|q| loaded.goals.objective(q)))
}

/// Finds the objective and key result `id` names, as `history` does: qualified, with
/// `period`, unique across periods, or in the period containing `today`.
pub fn find_kr<'a>(
    loaded: &'a Loaded,
    id: &str,
    period: Option<&str>,
    today: jiff::civil::Date,
) -> Result<(&'a Objective, &'a KeyResult), Error> {
    let (objective, kr) = id.split_once('#').ok_or_else(|| {
        Error::Usage(format!(
            "`{id}` is not a key result id: write <team>/<slug>#<kr>"
        ))
    })?;
    let o = resolve_objective(loaded, objective, period, today)?
        .ok_or_else(|| Error::Usage(format!("no objective `{objective}` in the working tree (looked for a key result; KPI ids have no `#`)")))?;
    let k = o.key_result(kr).ok_or_else(|| {
        let ids: Vec<&str> = o.key_results.iter().map(|k| k.id.as_str()).collect();
        let known = if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        };
        Error::Usage(format!(
            "objective `{}` has no key result `{kr}` (it has {known})",
            o.qualified_id()
        ))
    })?;
    Ok((o, k))
}

/// Plans every row against the working tree in `loaded`: all rows are checked, and the
/// edits of rows in one file are chained. On any bad row, every bad row is returned with
/// its line number, and nothing is to be written.
pub fn plan(
    loaded: &Loaded,
    rows: &[(usize, CheckinRequest)],
    today: jiff::civil::Date,
) -> Result<Vec<FileEdit>, Vec<(usize, String)>> {
    let mut bad = Vec::new();
    let mut files: Vec<FileEdit> = Vec::new();
    for (line, req) in rows {
        let recipe = match target::recipe(loaded, req, today) {
            Ok(r) => r,
            Err(e) => {
                bad.push((*line, e.to_string()));
                continue;
            }
        };
        let at = match files.iter().position(|f| f.path == recipe.file) {
            Some(i) => i,
            None => {
                let Some(old) = loaded.sources.get(&recipe.file) else {
                    bad.push((*line, format!("cannot read {}", recipe.file)));
                    continue;
                };
                files.push(FileEdit {
                    path: recipe.file.clone(),
                    old: old.clone(),
                    new: old.clone(),
                    recipes: Vec::new(),
                });
                files.len() - 1
            }
        };
        let file = &mut files[at];
        match recipe.apply(&file.new, &loaded.config) {
            Ok(new) => {
                file.new = new;
                file.recipes.push(recipe);
            }
            Err(e) => bad.push((
                *line,
                format!(
                    "the check-in of `{}` cannot be made in {}: {e}",
                    recipe.id, recipe.file
                ),
            )),
        }
    }
    if bad.is_empty() {
        Ok(files)
    } else {
        Err(bad)
    }
}

/// How long a check-in waits for another one to finish before it gives up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// What a check-in did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub edits: Vec<FileEdit>,
    pub commit: Option<CommitOutcome>,
    /// Periods that had ended when their key results were checked in (their results
    /// change, and `review` flags that), in the order of the rows.
    pub late: Vec<LatePeriod>,
}

/// What `--commit` did.
#[derive(Debug, Clone)]
pub enum CommitOutcome {
    Committed(Committed),
    /// HEAD already holds the values: there was nothing to commit.
    AlreadyInHead,
}

/// The commit message of a check-in: one row in the subject, or a count and one line a
/// row; notes that are not kept in a file (no dated check-in) go in the body.
pub fn message(edits: &[FileEdit]) -> String {
    let recipes: Vec<&Recipe> = edits.iter().flat_map(|f| &f.recipes).collect();
    let line = |r: &Recipe| format!("{} {}", r.id, r.summary);
    let notes = |r: &Recipe| {
        r.message_note
            .iter()
            .map(|n| format!("{}: {n}", r.id))
            .collect::<Vec<_>>()
    };
    match recipes.as_slice() {
        [one] => {
            let mut m = format!("chore(goals): check in {}", line(one));
            if let Some(note) = &one.message_note {
                m.push_str(&format!("\n\n{note}"));
            }
            m
        }
        many => {
            let mut m = format!("chore(goals): check in {} values\n", many.len());
            for r in many {
                m.push_str(&format!("\n- {}", line(r)));
            }
            let all: Vec<String> = many.iter().flat_map(|r| notes(r)).collect();
            if !all.is_empty() {
                m.push_str(&format!("\n\n{}", all.join("\n")));
            }
            m
        }
    }
}

/// Records check-ins in the goal root `root`, and with `commit` commits them alone, in one
/// commit. The whole read-modify-write-commit runs under the check-in lock, so concurrent
/// check-ins take turns instead of reverting each other. `rows` carry their input line
/// (0 for a single check-in given on the command line).
pub fn checkin(
    root: &Path,
    rows: &[(usize, CheckinRequest)],
    commit: bool,
) -> Result<Outcome, Error> {
    let checkout = match commit::locate(root) {
        Ok(co) => Some(co),
        Err(e) if commit => return Err(e),
        Err(_) => None,
    };
    let lock_path = checkout.as_ref().map_or_else(
        || root.join(format!(".{}", lock::FILE_NAME)),
        |co| co.git_dir.join(lock::FILE_NAME),
    );
    let _lock = lock::CheckinLock::acquire(lock_path, LOCK_WAIT)?;
    let loaded = super::new::working_tree(root)?;
    let now = jiff::Timestamp::now();
    let today = now.to_zoned_datetime(loaded.config.tz().clone()).date();
    let edits = plan(&loaded, rows, today).map_err(|bad| refused(rows.len(), bad))?;
    let late = late::late_periods(&loaded.config, &edits, now);
    for edit in &edits {
        refuse_symlink(&root.join(&edit.path))?;
    }
    let co = match (&checkout, commit) {
        (Some(co), true) => co,
        _ => {
            write_all(root, &edits)?;
            return Ok(Outcome {
                edits,
                commit: None,
                late,
            });
        }
    };
    let mut at_head = Vec::new();
    for edit in &edits {
        let file = co.file_at_head(&edit.path)?;
        let (committed, staged) = versions(edit, &file, &loaded.config)?;
        at_head.push((file, committed, staged));
    }
    write_all(root, &edits)?;
    let changed: Vec<NewVersion> = at_head
        .iter()
        .filter(|(file, committed, _)| committed.as_bytes() != file.bytes)
        .map(|(file, committed, staged)| NewVersion {
            file,
            content: committed.as_bytes(),
            staged: staged.as_deref().map(str::as_bytes),
        })
        .collect();
    if changed.is_empty() {
        return Ok(Outcome {
            edits,
            commit: Some(CommitOutcome::AlreadyInHead),
            // HEAD already holds these values: no result changes.
            late: Vec::new(),
        });
    }
    match co.commit_files(&changed, &message(&edits)) {
        Ok(done) => Ok(Outcome {
            edits,
            commit: Some(CommitOutcome::Committed(done)),
            late,
        }),
        Err(e) => {
            for edit in &edits {
                restore(&root.join(&edit.path), edit);
            }
            Err(e)
        }
    }
}

/// The rows of `--from`: a file (relative to `dir`), or standard input for `-`. A file
/// that cannot be read, or rows that cannot be parsed at all, are one error; a bad row is
/// reported by [`plan`] with the others. `period` (`--period`) applies to every row, as to
/// a single check-in: it picks the period of an unqualified id, and a qualified id in
/// another period is refused.
pub fn read_rows(
    dir: &Path,
    from: &str,
    period: Option<&str>,
) -> Result<Vec<(usize, CheckinRequest)>, Error> {
    let text = if from == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Error::io(Path::new("<stdin>"), e))?;
        text
    } else {
        let path = dir.join(from);
        std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?
    };
    let rows = batch::parse(&text)
        .map_err(|e| Error::Usage(format!("{from}: {e}; nothing was written")))?;
    if rows.is_empty() {
        return Err(Error::Usage(format!(
            "{from} holds no rows: nothing to check in"
        )));
    }
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for row in rows {
        match row.request {
            Ok(r) => good.push((
                row.line,
                CheckinRequest {
                    period: period.map(str::to_string),
                    ..r
                },
            )),
            Err(e) => bad.push((row.line, e)),
        }
    }
    if bad.is_empty() {
        return Ok(good);
    }
    let total = good.len() + bad.len();
    // Report every bad row in one run: the rows that parsed are checked against the goal
    // files too, so a bad date does not hide an unknown id further down.
    if let Ok(root) = super::workspace::find_root(dir) {
        if let Ok(loaded) = super::new::working_tree(&root) {
            let today = jiff::Timestamp::now()
                .to_zoned_datetime(loaded.config.tz().clone())
                .date();
            if let Err(more) = plan(&loaded, &good, today) {
                bad.extend(more);
            }
        }
    }
    bad.sort_by_key(|(line, _)| *line);
    Err(refused(total, bad))
}

/// The error for bad rows: a single check-in's own message, or every bad row by line.
fn refused(total: usize, bad: Vec<(usize, String)>) -> Error {
    match bad.as_slice() {
        // After the message's first line, before its `help:` lines.
        [(0, only)] => Error::Usage(match only.split_once('\n') {
            Some((first, rest)) => format!("{first}; nothing was written\n{rest}"),
            None => format!("{only}; nothing was written"),
        }),
        _ => {
            let mut m = format!(
                "{} of {total} rows cannot be checked in, so nothing was written:",
                bad.len()
            );
            for (line, why) in &bad {
                m.push_str(&format!("\n  line {line}: {why}"));
            }
            Error::Usage(m)
        }
    }
}

/// Writes every edited file; if one write fails, the files already written are put back.
fn write_all(root: &Path, edits: &[FileEdit]) -> Result<(), Error> {
    for (i, edit) in edits.iter().enumerate() {
        if let Err(e) = write_atomically(&root.join(&edit.path), &edit.new) {
            for done in &edits[..i] {
                restore(&root.join(&done.path), done);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// The check-ins made on HEAD's version of the file (what gets committed) and on its
/// staged version, if the user staged changes in it (what the index will hold). When the
/// check-ins cannot be made on them alone, they are refused, naming the other changes.
fn versions(
    edit: &FileEdit,
    file: &FileAtHead,
    config: &crate::model::Config,
) -> Result<(String, Option<String>), Error> {
    let apply = |bytes: &[u8], what: &str| {
        let text =
            std::str::from_utf8(bytes).map_err(|_| format!("its {what} version is not UTF-8"))?;
        if text == edit.old {
            return Ok(edit.new.clone());
        }
        let mut new = text.to_string();
        for recipe in &edit.recipes {
            new = recipe.apply(&new, config).map_err(|e| {
                format!(
                    "{e} in its {what} version, which differs from the working file at {}",
                    changed_lines(text, &edit.old)
                )
            })?;
        }
        Ok(new)
    };
    let ids: Vec<&str> = edit.recipes.iter().map(|r| r.id.as_str()).collect();
    let refuse = |e: String| {
        Error::Usage(format!(
            "cannot commit the check-in of `{}` alone: {e}; commit or stash those changes to {} first, or check in without --commit. Nothing was written",
            ids.join("`, `"), edit.path
        ))
    };
    let committed = apply(&file.bytes, "committed (HEAD)").map_err(refuse)?;
    let staged = match &file.staged {
        Some(bytes) => Some(apply(bytes, "staged").map_err(refuse)?),
        None => None,
    };
    Ok((committed, staged))
}

/// Where two texts differ, as line numbers of `b`: `line 7` or `lines 7-12`.
fn changed_lines(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let head = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
    let tail = la[head..]
        .iter()
        .rev()
        .zip(lb[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (first, last) = (head + 1, lb.len().saturating_sub(tail).max(head + 1));
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}-{last}")
    }
}

/// Goal files are edited in place, never through a symbolic link.
fn refuse_symlink(path: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::Usage(format!(
            "{} is a symbolic link: goalpost does not write through links",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Puts the working file back after a failed commit, unless someone changed it since.
fn restore(path: &Path, edit: &FileEdit) {
    if std::fs::read_to_string(path).is_ok_and(|now| now == edit.new) {
        let _ = write_atomically(path, &edit.old);
    }
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
/// crash leaves either the old or the new file, never half of one.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let result = (|| {
        // A fresh name, created with O_EXCL by tempfile: nothing in the folder can redirect it.
        let mut tmp = tempfile::Builder::new()
            .prefix(".goalpost-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        std::io::Write::write_all(&mut tmp, text.as_bytes())?;
        if let Ok(meta) = std::fs::metadata(path) {
            tmp.as_file().set_permissions(meta.permissions())?;
        }
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    })();
    result.map_err(|e: std::io::Error| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::edit::toml_string;

    // Strings are quoted as TOML basic strings; differing lines are named.
    #[test]
    fn quoting_and_changed_lines() {
        assert_eq!(toml_string("a\"b\\\n"), "\"a\\\"b\\\\\\n\"");
        assert_eq!(changed_lines("a\nb\nc\n", "a\nX\nc\n"), "line 2");
        assert_eq!(changed_lines("a\nc\n", "a\nX\nY\nc\n"), "lines 2-3");
    }
}
