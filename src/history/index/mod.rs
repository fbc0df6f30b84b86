//! The history index: analysed histories stored under the repository's common git dir
//! (`<git dir>/goalpost/`), one file per analysed commit, with the walk's state at that
//! commit, so that a command on a revision already analysed reads the file instead of
//! walking history, and one on a descendant walks only the commits after it.
//!
//! A file is only ever a cache. Its name and header carry a key (goalpost's version, the
//! index format, the goal root, the commit id, the shallow boundary): everything that
//! changes what history is read; the configuration is read from that history, so the commit
//! id covers it. A file is used only when its magic, format, key, length and CRC-32 of the
//! payload all match and the payload's small parts decode with every commit index in range;
//! anything else is ignored and rewritten. The big parts (commits, series, versions) are
//! decoded when a command first uses them (`payload.rs`, `../lazy.rs`), their commit indices
//! checked then. Files are written to a temporary file in the same folder
//! and renamed into place; a git dir that cannot be written (read-only) means no index,
//! silently. At most [`KEEP`] files are kept, the most recently used.
//!
//! Uses serde (postcard), sha2 (the key), crc32fast (the checksum) and tempfile; the model
//! types it stores.

mod dto;
mod payload;

use super::build::{Carry, History};
use git2::Oid;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The index's own format version: bump it whenever the stored form changes, or what the
/// history builder makes of the same commits (2: a file with any error is broken; 3: the
/// big parts encoded one by one, decoded on use; CRC-32 checksum).
const FORMAT: u32 = 4;
const MAGIC: &[u8; 8] = b"GPHIDX\r\n";
/// Files kept: a few branches or revisions analysed in turn stay warm. Each holds a whole
/// history (about 24 MB at 100,000 commits with 30,000 goal changes), so few.
const KEEP: usize = 4;
/// A file larger than this is not read (it is not one goalpost wrote for a real history).
const MAX_BYTES: u64 = 1 << 31;
const HEADER: usize = 8 + 4 + 32 + 8 + 4;

/// The index folder of a repository, and what keys its entries besides the commit.
#[derive(Clone)]
pub(super) struct Index {
    dir: PathBuf,
    prefix: String,
    shallow: Vec<u8>,
}

impl Index {
    /// The index of the goal root `prefix` in the repository whose common git dir is
    /// `common_dir`.
    pub fn new(common_dir: &Path, prefix: &str) -> Index {
        Index {
            dir: dir(common_dir),
            prefix: prefix.to_string(),
            shallow: std::fs::read(common_dir.join("shallow")).unwrap_or_default(),
        }
    }

    fn key(&self, commit: Oid) -> [u8; 32] {
        let mut hash = Sha256::new();
        for part in [
            b"goalpost history index".as_slice(),
            env!("CARGO_PKG_VERSION").as_bytes(),
            &FORMAT.to_le_bytes(),
            self.prefix.as_bytes(),
            commit.as_bytes(),
            &self.shallow,
        ] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        hash.finalize().into()
    }

    fn path(&self, commit: Oid) -> PathBuf {
        let hex: String = self
            .key(commit)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.dir.join(format!("history-{commit}-{hex}.bin"))
    }

    /// Whether `commit` has an entry (sound or not).
    pub fn has(&self, commit: Oid) -> bool {
        self.path(commit).exists()
    }

    /// The commits with an entry under this key (their contents are checked on loading).
    pub fn commits(&self) -> HashSet<Oid> {
        own_files(&self.dir)
            .into_iter()
            .filter_map(|(path, _)| {
                let name = path.file_name()?.to_str()?.to_string();
                let commit = Oid::from_str(name.strip_prefix("history-")?.get(..40)?).ok()?;
                (self.path(commit) == path).then_some(commit)
            })
            .collect()
    }

    /// The stored analysis of `commit` and the state carried past it, if there is a sound
    /// one. Its big parts are decoded when used (see `payload.rs`).
    pub fn load(&self, commit: Oid) -> Option<(History, Carry)> {
        let path = self.path(commit);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_BYTES {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(&path)
            .ok()?
            .take(MAX_BYTES)
            .read_to_end(&mut bytes)
            .ok()?;
        self.check(commit, &bytes)?;
        let parts = payload::decode(&std::rc::Rc::new(bytes), HEADER)?;
        // Mark it used, so that pruning keeps the entries in use.
        let _ = std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()));
        Some(parts)
    }

    /// The payload of `bytes` when its header is ours, for this key, and its checksum holds.
    fn check<'b>(&self, commit: Oid, bytes: &'b [u8]) -> Option<&'b [u8]> {
        let (header, payload) = bytes.split_at_checked(HEADER)?;
        let (magic, rest) = header.split_at(8);
        let (format, rest) = rest.split_at(4);
        let (key, rest) = rest.split_at(32);
        let (len, sum) = rest.split_at(8);
        let sound = magic == MAGIC
            && format == FORMAT.to_le_bytes()
            && key == self.key(commit)
            && len == (payload.len() as u64).to_le_bytes()
            && sum == checksum(payload);
        sound.then_some(payload)
    }

    /// Stores the analysis of `commit`; best effort: any failure leaves no file, no error.
    pub fn store(&self, commit: Oid, history: &History, carry: &Carry) {
        if let Some(payload) = payload::encode(history, carry) {
            let _ = self.write(commit, &payload);
        }
    }

    fn write(&self, commit: Oid, payload: &[u8]) -> std::io::Result<()> {
        if !real_dir_or_absent(&self.dir) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let mut file = tempfile::Builder::new()
            .prefix("tmp-")
            .tempfile_in(&self.dir)?;
        file.write_all(MAGIC)?;
        file.write_all(&FORMAT.to_le_bytes())?;
        file.write_all(&self.key(commit))?;
        file.write_all(&(payload.len() as u64).to_le_bytes())?;
        file.write_all(&checksum(payload))?;
        file.write_all(payload)?;
        // No fsync: after a crash a torn file fails its checksum and is rebuilt.
        file.persist(self.path(commit)).map_err(|e| e.error)?;
        prune(&self.dir);
        Ok(())
    }
}

/// The payload's checksum: CRC-32 (hardware-assisted, many GB/s), which catches torn
/// writes and flipped bits; what the file is for is the key's job (SHA-256 of the key parts).
fn checksum(payload: &[u8]) -> [u8; 4] {
    crc32fast::hash(payload).to_le_bytes()
}

fn dir(common_dir: &Path) -> PathBuf {
    common_dir.join("goalpost")
}

/// Whether `dir` is a real folder (not a link) or not there yet.
fn real_dir_or_absent(dir: &Path) -> bool {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta.is_dir(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The index's own files in `dir`: `history-*.bin`, and `tmp-*` left by a killed run.
fn own_files(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            (name.starts_with("history-") && name.ends_with(".bin")) || name.starts_with("tmp-")
        })
        .filter_map(|e| Some((e.path(), e.metadata().ok()?)))
        .filter(|(_, m)| m.is_file())
        .collect()
}

/// Keeps the [`KEEP`] most recently used entries, and drops temporary files an hour old.
fn prune(dir: &Path) {
    let now = std::time::SystemTime::now();
    let mut entries: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for (path, meta) in own_files(dir) {
        let modified = meta.modified().unwrap_or(now);
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("tmp-"))
        {
            let age = now.duration_since(modified).unwrap_or_default();
            if age.as_secs() > 3600 {
                let _ = std::fs::remove_file(&path);
            }
        } else {
            entries.push((modified, path));
        }
    }
    entries.sort_by(|a, b| b.cmp(a));
    for (_, path) in entries.into_iter().skip(KEEP) {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes the index of the repository whose common git dir is `common_dir`; returns the
/// number of files removed. Only the index's own files are touched; the folder goes when
/// it is then empty.
pub(super) fn clear(common_dir: &Path) -> std::io::Result<usize> {
    let dir = dir(common_dir);
    if !real_dir_or_absent(&dir) {
        return Ok(0);
    }
    let mut removed = 0;
    for (path, _) in own_files(&dir) {
        std::fs::remove_file(path)?;
        removed += 1;
    }
    match std::fs::remove_dir(&dir) {
        Ok(()) => Ok(removed),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(removed),
        // Not empty: someone else's files stay.
        Err(_) => Ok(removed),
    }
}
