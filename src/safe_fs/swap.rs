//! The two renames an output folder needs, atomic where the platform allows: exchanging two
//! folders (`renameat2(RENAME_EXCHANGE)` on Linux, `renameatx_np(RENAME_SWAP)` on macOS) and
//! moving a folder to a name that must stay free (`RENAME_NOREPLACE` / `RENAME_EXCL`).
//! Elsewhere, and on file systems without these flags, the caller falls back (see
//! docs/security-notes/output.md).

use std::io;
use std::path::Path;

/// Exchanges `a` and `b` atomically; `Ok(false)` when the platform or file system cannot, so
/// the caller falls back to two renames.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) if unsupported(e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Renames `from` to `to`, failing with `AlreadyExists` if something is at `to`.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if unsupported(e) => rename_checked(from, to),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    rename_checked(from, to)
}

/// The fallback of `rename_noreplace`: check, then rename. Between the two, only an empty
/// folder could be replaced (renaming a folder onto a non-empty one fails everywhere).
fn rename_checked(from: &Path, to: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    std::fs::rename(from, to)
}

/// Errors that mean "this kernel or file system has no such rename flag".
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn unsupported(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP, Errno::NOTSUP].contains(&e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(root: &Path, name: &str, file: &str) -> std::path::PathBuf {
        let dir = root.join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join(file), name).unwrap();
        dir
    }

    // The exchange swaps two full folders in one step; on Linux it is the atomic one.
    #[test]
    fn exchange_swaps_both_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let a = folder_with(tmp.path(), "a", "from-a");
        let b = folder_with(tmp.path(), "b", "from-b");
        let atomic = exchange(&a, &b).unwrap();
        if cfg!(target_os = "linux") {
            assert!(atomic, "RENAME_EXCHANGE is used on Linux");
        }
        if atomic {
            assert!(a.join("from-b").is_file() && b.join("from-a").is_file());
            assert!(!a.join("from-a").exists() && !b.join("from-b").exists());
        }
    }

    // Moving to a taken name fails and leaves both folders as they were.
    #[test]
    fn rename_noreplace_never_replaces() {
        let tmp = tempfile::tempdir().unwrap();
        let a = folder_with(tmp.path(), "a", "from-a");
        let b = tmp.path().join("b");
        std::fs::create_dir(&b).unwrap();
        let err = rename_noreplace(&a, &b).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(a.join("from-a").is_file() && b.is_dir());
        let c = tmp.path().join("c");
        rename_noreplace(&a, &c).unwrap();
        assert!(c.join("from-a").is_file() && !a.exists());
    }

    // The portable fallback refuses a taken name too.
    #[test]
    fn checked_rename_never_replaces() {
        let tmp = tempfile::tempdir().unwrap();
        let a = folder_with(tmp.path(), "a", "x");
        let b = folder_with(tmp.path(), "b", "y");
        assert!(rename_checked(&a, &b).is_err());
        assert!(a.join("x").is_file() && b.join("y").is_file());
    }
}
