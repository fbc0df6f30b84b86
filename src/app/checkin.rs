//! `checkin`: records a key result's new value in its file, changing only that value's
//! bytes (or appending a dated check-in with `toml_edit`), never leaving a file
//! half-written; with `--commit`, commits that one edit alone. Read, edit, write and
//! commit run under one lock (see `lock`), so concurrent check-ins take turns.

mod lock;

use crate::error::Error;
use crate::history::commit::{self, Committed, FileAtHead};
use crate::load::edit::{change_entry, toml_string, EditError, EntryChange};
use crate::load::{self, Loaded};
use crate::model::ids::resolve_id;
use crate::model::number_literal;
use crate::model::{KeyResult, Measure, Objective};
use std::path::Path;

/// What to record.
#[derive(Debug, Clone, Default)]
pub struct CheckinRequest {
    /// `<team>/<slug>#<kr>` or `<period>/<team>/<slug>#<kr>`.
    pub kr: String,
    /// A number for a metric; true/false (or done/not-done) for a milestone.
    pub value: String,
    pub note: Option<String>,
    pub confidence: Option<f64>,
    /// Append a dated check-in instead of editing `current`.
    pub date: Option<jiff::civil::Date>,
    pub period: Option<String>,
}

/// The edit to make: the file's path (relative to the goal root), old and new text.
#[derive(Debug, Clone)]
pub struct PlannedEdit {
    pub path: String,
    pub old: String,
    pub new: String,
    /// The full key result id, `<period>/<team>/<slug>#<kr>`.
    pub kr: String,
    pub value: String,
    recipe: Recipe,
}

/// Finds the objective and key result `id` names, as `history` does: qualified, with
/// `period`, or unique across periods.
pub fn find_kr<'a>(
    loaded: &'a Loaded,
    id: &str,
    period: Option<&str>,
) -> Result<(&'a Objective, &'a KeyResult), Error> {
    let (objective, kr) = id.split_once('#').ok_or_else(|| {
        Error::Usage(format!(
            "`{id}` is not a key result id: write <team>/<slug>#<kr>"
        ))
    })?;
    let known: Vec<String> = loaded
        .goals
        .objectives
        .iter()
        .map(Objective::qualified_id)
        .collect();
    let o = resolve_id(known.iter().map(String::as_str), objective, period)
        .map_err(|e| Error::Usage(e.to_string()))?
        .and_then(|q| loaded.goals.objective(q))
        .ok_or_else(|| Error::Usage(format!("no objective `{objective}` in the working tree")))?;
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

/// The value as TOML for this key result's kind, or a clear error.
fn literal(kr: &KeyResult, full_id: &str, value: &str) -> Result<String, Error> {
    match kr.measure {
        Measure::Metric { .. } => value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(number_literal)
            .ok_or_else(|| Error::Usage(format!("`{full_id}` is a metric key result: its value must be a number, not `{value}`"))),
        Measure::Milestone { .. } => match value.trim() {
            "true" | "done" | "yes" => Ok("true".into()),
            "false" | "not-done" | "no" => Ok("false".into()),
            _ => Err(Error::Usage(format!("`{full_id}` is a milestone key result: its value must be `done` or `not-done` (true/false), not `{value}`"))),
        },
    }
}

/// How to make a check-in's edit: found once in the working tree, then applied to the
/// working file and, for `--commit`, to HEAD's version (and a staged version) of it.
#[derive(Debug, Clone)]
struct Recipe {
    file: String,
    markdown: bool,
    kr_id: String,
    /// `current` for a metric, `done` for a milestone.
    field: &'static str,
    value: String,
    confidence: Option<String>,
    /// The dated check-in's fields, when `--date` is given.
    dated: Option<Vec<(&'static str, String)>>,
}

impl Recipe {
    /// The check-in made on `text`, re-parsed and checked: exactly the intended change,
    /// and no new error in the file.
    fn apply(&self, text: &str, config: &crate::model::Config) -> Result<String, EditError> {
        let fields: Vec<(&str, &str)> = self
            .dated
            .iter()
            .flatten()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let change = if self.dated.is_some() {
            EntryChange::Push {
                array: "checkins",
                fields: &fields,
            }
        } else {
            EntryChange::Set {
                key: self.field,
                literal: &self.value,
            }
        };
        let id = self.kr_id.as_str();
        let mut new = change_entry(text, self.markdown, "key_results", id, &change)?;
        if let Some(c) = &self.confidence {
            let change = EntryChange::Set {
                key: "confidence",
                literal: c,
            };
            new = change_entry(&new, self.markdown, "key_results", id, &change)?;
        }
        self.no_new_errors(text, &new, config)?;
        Ok(new)
    }

    /// The edited file must not have more errors than before.
    fn no_new_errors(
        &self,
        before: &str,
        after: &str,
        config: &crate::model::Config,
    ) -> Result<(), EditError> {
        let Some(Ok(kind)) = load::classify(&self.file, config) else {
            return Err(EditError::from("it is not a goal file"));
        };
        let errors = |text: &str| {
            load::parse_file(&self.file, &kind, text.as_bytes(), config)
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count()
        };
        if errors(after) > errors(before) {
            return Err("the edit would make the file invalid".into());
        }
        Ok(())
    }
}

/// Plans the edit for a check-in against the working tree files in `loaded`.
pub fn plan(loaded: &Loaded, req: &CheckinRequest) -> Result<PlannedEdit, Error> {
    let (o, kr) = find_kr(loaded, &req.kr, req.period.as_deref())?;
    let full_id = format!("{}#{}", o.qualified_id(), kr.id);
    let value = literal(kr, &full_id, &req.value)?;
    if let Some(c) = req.confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(Error::Usage(format!(
                "--confidence must be between 0 and 1, not {c}"
            )));
        }
    }
    let old = loaded
        .sources
        .get(&o.file)
        .cloned()
        .ok_or_else(|| Error::Usage(format!("cannot read {}", o.file)))?;
    let dated = req.date.map(|date| {
        let mut fields = vec![("date", date.to_string()), ("value", value.clone())];
        if let Some(note) = &req.note {
            fields.push(("note", toml_string(note)));
        }
        fields
    });
    let recipe = Recipe {
        file: o.file.clone(),
        markdown: o.file.ends_with(".md"),
        kr_id: kr.id.clone(),
        field: match kr.measure {
            Measure::Metric { .. } => "current",
            Measure::Milestone { .. } => "done",
        },
        value: value.clone(),
        confidence: req.confidence.map(number_literal),
        dated,
    };
    let new = recipe.apply(&old, &loaded.config).map_err(|e| {
        Error::Usage(format!(
            "the check-in of `{full_id}` cannot be made in {}: {e}; nothing was written",
            o.file
        ))
    })?;
    Ok(PlannedEdit {
        path: o.file.clone(),
        old,
        new,
        kr: full_id,
        value,
        recipe,
    })
}

/// How long a check-in waits for another one to finish before it gives up.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// What a check-in did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub edit: PlannedEdit,
    pub commit: Option<CommitOutcome>,
}

/// What `--commit` did.
#[derive(Debug, Clone)]
pub enum CommitOutcome {
    Committed(Committed),
    /// HEAD already holds the value: there was nothing to commit.
    AlreadyInHead,
}

/// The commit message of a check-in.
pub fn message(edit: &PlannedEdit, note: Option<&str>) -> String {
    let mut message = format!("chore(goals): check in {} = {}", edit.kr, edit.value);
    if let Some(note) = note {
        message.push_str(&format!("\n\n{note}"));
    }
    message
}

/// Records a check-in in the goal root `root`, and with `commit` commits it alone. The
/// whole read-modify-write-commit runs under the check-in lock, so concurrent check-ins
/// take turns instead of reverting each other.
pub fn checkin(root: &Path, req: &CheckinRequest, commit: bool) -> Result<Outcome, Error> {
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
    let edit = plan(&loaded, req)?;
    let path = root.join(&edit.path);
    refuse_symlink(&path)?;
    let co = match (&checkout, commit) {
        (Some(co), true) => co,
        _ => {
            write_atomically(&path, &edit.new)?;
            return Ok(Outcome { edit, commit: None });
        }
    };
    let file = co.file_at_head(&edit.path)?;
    let (committed, staged) = versions(&edit, &file, &loaded.config)?;
    write_atomically(&path, &edit.new)?;
    if committed.as_bytes() == file.bytes {
        return Ok(Outcome {
            edit,
            commit: Some(CommitOutcome::AlreadyInHead),
        });
    }
    let message = message(&edit, req.note.as_deref());
    match co.commit_file(
        &file,
        committed.as_bytes(),
        staged.as_deref().map(str::as_bytes),
        &message,
    ) {
        Ok(done) => Ok(Outcome {
            edit,
            commit: Some(CommitOutcome::Committed(done)),
        }),
        Err(e) => {
            restore(&path, &edit);
            Err(e)
        }
    }
}

/// The check-in made on HEAD's version of the file (what gets committed) and on its
/// staged version, if the user staged changes in it (what the index will hold). When the
/// check-in cannot be made on them alone, it is refused, naming the other changes.
fn versions(
    edit: &PlannedEdit,
    file: &FileAtHead,
    config: &crate::model::Config,
) -> Result<(String, Option<String>), Error> {
    let apply = |bytes: &[u8], what: &str| {
        let text =
            std::str::from_utf8(bytes).map_err(|_| format!("its {what} version is not UTF-8"))?;
        if text == edit.old {
            return Ok(edit.new.clone());
        }
        edit.recipe.apply(text, config).map_err(|e| {
            format!(
                "{e} in its {what} version, which differs from the working file at {}",
                changed_lines(text, &edit.old)
            )
        })
    };
    let refuse = |e: String| {
        Error::Usage(format!(
            "cannot commit the check-in of `{}` alone: {e}; commit or stash those changes to {} first, or check in without --commit. Nothing was written",
            edit.kr, edit.path
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
fn restore(path: &Path, edit: &PlannedEdit) {
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

    // Strings are quoted as TOML basic strings; differing lines are named.
    #[test]
    fn quoting_and_changed_lines() {
        assert_eq!(toml_string("a\"b\\\n"), "\"a\\\"b\\\\\\n\"");
        assert_eq!(changed_lines("a\nb\nc\n", "a\nX\nc\n"), "line 2");
        assert_eq!(changed_lines("a\nc\n", "a\nX\nY\nc\n"), "lines 2-3");
    }
}
