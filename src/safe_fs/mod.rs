//! Outputs that never destroy user data. A folder goalpost writes (`site --out`, `demo --out`,
//! `bench --keep`) is built in a staging folder beside the target and swapped in atomically;
//! a target is replaced only when it is empty or carries goalpost's marker for that kind of
//! folder; staging folders of killed runs are removed only when they carry a marker. New
//! files are written atomically (see `file`). docs/security-notes/output.md has the guarantees.

pub mod file;
mod swap;

pub use file::write_new;

use crate::error::Error;
use std::ffi::{OsStr, OsString};
use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// A kind of folder goalpost makes, known by the marker file it writes inside.
#[derive(Debug)]
pub struct Kind {
    /// The marker's path inside the folder.
    pub marker: &'static str,
    /// The command that makes such a folder, for messages.
    command: &'static str,
    note: &'static str,
}

/// A static site (`goalpost site`).
pub const SITE: Kind = Kind {
    marker: ".goalpost-site",
    command: "goalpost site",
    note: "built by goalpost site; safe to delete with the folder\n",
};

/// The demo repository (`goalpost demo`); the marker is inside `.git` to stay out of its tree.
pub const DEMO: Kind = Kind {
    marker: ".git/goalpost-demo",
    command: "goalpost demo",
    note: "made by goalpost demo\n",
};

/// The benchmark's synthetic repository (`goalpost bench --keep`).
pub const BENCH: Kind = Kind {
    marker: ".git/goalpost-bench",
    command: "goalpost bench --keep",
    note: "made by goalpost bench\n",
};

const KINDS: [&Kind; 3] = [&SITE, &DEMO, &BENCH];

/// Whether `dir` holds `kind`'s marker (a regular file, not a link).
pub fn is_marked(dir: &Path, kind: &Kind) -> bool {
    std::fs::symlink_metadata(dir.join(kind.marker)).is_ok_and(|m| m.is_file())
}

fn is_empty(dir: &Path) -> Result<bool, Error> {
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries.next().is_none())
}

/// Whether goalpost may replace or delete `dir`: it is empty or carries `kind`'s marker.
fn is_ours(dir: &Path, kind: &Kind) -> Result<bool, Error> {
    Ok(is_marked(dir, kind) || is_empty(dir)?)
}

/// The canonical path of `target`. Its parent folders are created first and then resolved,
/// so `x/missing/../user` is `x/user` before any check looks at it. The last component must
/// be a name: `.`, `..` and roots are refused. The last component itself is not resolved, so
/// a symbolic link there is seen (and refused) by `guard`.
pub fn resolve(target: &Path) -> Result<PathBuf, Error> {
    let mut parts = target.components();
    // `components()` drops a trailing `.` (`repo/.` reads as `repo`), so look at the bytes.
    let bytes = target.as_os_str().as_encoded_bytes();
    let trimmed = bytes.strip_suffix(b"/").unwrap_or(bytes);
    let ends_in_dot = trimmed == b"." || trimmed.ends_with(b"/.");
    let (Some(Component::Normal(name)), false) = (parts.next_back(), ends_in_dot) else {
        return Err(Error::Usage(format!(
            "{}: the output folder must end in a folder name (not `.`, `..` or a root)",
            target.display()
        )));
    };
    // What precedes the name, from the same components (`x/.` is `x`, so its parent is `.`).
    let parent = Some(parts.as_path())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let parent = std::fs::canonicalize(parent).map_err(|e| Error::io(parent, e))?;
    Ok(parent.join(name))
}

/// Refuses a `target` goalpost must not replace: anything but a real folder that is empty or
/// carries `kind`'s marker. A missing target is fine.
pub fn guard(target: &Path, kind: &Kind) -> Result<(), Error> {
    let meta = match std::fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(target, e)),
    };
    let why = if meta.file_type().is_symlink() {
        "it is a symbolic link".to_string()
    } else if !meta.is_dir() {
        "it is not a folder".to_string()
    } else if holds_working_folder(target) {
        "it holds the folder goalpost runs in".to_string()
    } else if kind.marker == SITE.marker && target.join(".git").exists() {
        "it is a git repository".to_string()
    } else if !is_ours(target, kind)? {
        format!(
            "it was not made by `{}` (no {} inside)",
            kind.command, kind.marker
        )
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "refusing to replace {}: {why}; pass a new or empty folder",
        target.display()
    )))
}

/// Whether `target` is the current folder or one of its ancestors: replacing it would pull
/// the floor from under the user (`site --out .`, `-C repo site --out ../repo`).
fn holds_working_folder(target: &Path) -> bool {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .is_ok_and(|cwd| cwd.starts_with(target))
}

/// `.NAME.STAGE-PID` beside `target`: the staging folder names.
fn sibling(target: &Path, stage: &str, pid: u32) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or(OsStr::new("out")));
    name.push(format!(".{stage}-{pid}"));
    target.with_file_name(name)
}

/// The process id in a leftover staging folder's name for the target called `name`.
fn leftover_pid(name: &OsStr, entry: &OsStr) -> Option<u32> {
    let entry = entry.as_encoded_bytes();
    ["partial", "old"].iter().find_map(|stage| {
        let mut prefix = OsString::from(".");
        prefix.push(name);
        prefix.push(format!(".{stage}-"));
        let rest = entry.strip_prefix(prefix.as_encoded_bytes())?;
        let digits = std::str::from_utf8(rest).ok()?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    })
}

/// Whether process `pid` may still be running a build (so its staging folder is in use).
/// This process counts as not running: its own earlier folder of that name is stale.
fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    running_elsewhere(pid)
}

#[cfg(unix)]
fn running_elsewhere(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // kill(pid, 0): ESRCH means no such process; EPERM means it exists (another user's).
    rustix::process::test_kill_process(pid) != Err(rustix::io::Errno::SRCH)
}

/// Without a portable liveness check, a leftover is assumed in use and kept.
#[cfg(not(unix))]
fn running_elsewhere(_pid: u32) -> bool {
    true
}

/// Removes staging folders that killed runs left beside `target`: only real folders named
/// like ours, carrying one of goalpost's markers, whose process is gone. Nothing else.
fn clean_leftovers(target: &Path) {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = leftover_pid(name, &entry.file_name()) else {
            continue;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && KINDS.iter().any(|k| is_marked(&path, k)) && !is_running(pid) {
            // Best effort: a leftover that cannot be removed does not stop the build.
            remove_marker_last(&path);
        }
    }
}

/// Removes a folder goalpost made, its markers last: a run killed halfway through leaves a
/// folder that still carries a marker, so the next run knows it may finish the job (a
/// plain `remove_dir_all` could delete the marker first and strand the rest for good).
fn remove_marker_last(dir: &Path) {
    let markers: Vec<PathBuf> = KINDS.iter().map(|k| dir.join(k.marker)).collect();
    let is_marker_path = |p: &Path| markers.iter().any(|m| m.starts_with(p));
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if is_marker_path(&path) {
                continue;
            }
            let _ = match entry.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A folder being built beside its target, swapped in by `finish`; dropped unfinished, it
/// is removed.
#[derive(Debug)]
pub struct Staged {
    target: PathBuf,
    dir: PathBuf,
    kind: &'static Kind,
    done: bool,
}

impl Staged {
    /// Resolves and checks `target`, removes stale leftovers, and creates the staging folder
    /// with `kind`'s marker written first, so a killed run's folder is known to be ours.
    pub fn begin(target: &Path, kind: &'static Kind) -> Result<Staged, Error> {
        let target = resolve(target)?;
        guard(&target, kind)?;
        clean_leftovers(&target);
        let dir = sibling(&target, "partial", std::process::id());
        std::fs::create_dir(&dir).map_err(|e| match e.kind() {
            ErrorKind::AlreadyExists => Error::Usage(format!(
                "{} is in the way and goalpost did not make it (no marker inside); remove it",
                dir.display()
            )),
            _ => Error::io(&dir, e),
        })?;
        let staged = Staged {
            target,
            dir,
            kind,
            done: false,
        };
        let marker = staged.dir.join(kind.marker);
        if let Some(parent) = marker.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&marker, kind.note).map_err(|e| Error::io(&marker, e))?;
        Ok(staged)
    }

    /// The staging folder to build in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The resolved target.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Checks the target again (it may have changed during the build) and swaps the built
    /// folder in; the old tree is then removed. Returns the target's canonical path.
    pub fn finish(mut self) -> Result<PathBuf, Error> {
        guard(&self.target, self.kind)?;
        match swap::rename_noreplace(&self.dir, &self.target) {
            Ok(()) => {}
            // Something appeared since the check: replace it only if it passes the check.
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                guard(&self.target, self.kind)?;
                self.replace()?;
            }
            Err(e) => return Err(Error::io(&self.target, e)),
        }
        self.done = true;
        Ok(self.target.clone())
    }

    /// Replaces the existing target: one atomic exchange where supported, else two renames.
    fn replace(&self) -> Result<(), Error> {
        let io = |e| Error::io(&self.target, e);
        if swap::exchange(&self.dir, &self.target).map_err(io)? {
            // The old tree is now at the staging path. Should it have become foreign between
            // the check and the exchange, it is put back, never deleted.
            if !is_ours(&self.dir, self.kind)? {
                swap::exchange(&self.dir, &self.target).map_err(io)?;
                return Err(self.changed());
            }
            remove_marker_last(&self.dir);
            return Ok(());
        }
        self.replace_in_two_renames()
    }

    /// The error when the target was replaced by a foreign folder during the swap.
    fn changed(&self) -> Error {
        Error::Usage(format!(
            "refusing to replace {}: it changed during the build and was not made by `{}`; it was left as it is",
            self.target.display(),
            self.kind.command
        ))
    }

    /// The fallback: target to `.NAME.old-PID`, staging to target. A kill between the two
    /// renames leaves no target, but the old tree survives as `.NAME.old-PID`.
    fn replace_in_two_renames(&self) -> Result<(), Error> {
        let old = sibling(&self.target, "old", std::process::id());
        std::fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        if !is_ours(&old, self.kind)? {
            std::fs::rename(&old, &self.target).map_err(|e| Error::io(&old, e))?;
            return Err(self.changed());
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(Error::io(&self.target, e));
        }
        remove_marker_last(&old);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            remove_marker_last(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests;
