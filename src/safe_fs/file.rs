//! Creating a new file atomically: the bytes go to a temporary file in the same folder, which
//! is synced and then moved into place without clobbering. A failed write (a full disk, a
//! kill) leaves no empty or partial file that would block a retry.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// Creates `path` holding `bytes`; refuses if anything is already there.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_new_with(path, |file| file.write_all(bytes))
}

/// Replaces `path` with `bytes` atomically (a temporary file in its folder, synced, then
/// renamed over it), so a crash leaves the old or the new file; creates it when absent. A
/// symbolic link at `path` is refused, never written through.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => {
            return Err(Error::Usage(format!(
                "{} is not a regular file: goalpost does not write through links",
                path.display()
            )))
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return write_new(path, bytes),
        Err(e) => return Err(Error::io(path, e)),
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".goalpost-new-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    temp.as_file_mut()
        .write_all(bytes)
        .map_err(|e| Error::io(path, e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = temp.as_file().set_permissions(meta.permissions());
    }
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// `write_new` with the writing step supplied (tests make it fail).
fn write_new_with(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".goalpost-new-").suffix(".tmp");
    // Temporary files are private (0600) by default; a goal file gets the usual mode, the
    // umask applied, as a plain `fs::write` would give it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    // On any error below, dropping `temp` deletes the temporary file.
    fill(temp.as_file_mut()).map_err(|e| Error::io(path, e))?;
    temp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    temp.persist_noclobber(path)
        .map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                "{} already exists: goalpost does not overwrite files",
                path.display()
            )),
            _ => Error::io(path, e.error),
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    // A write that fails half-way (a full disk) leaves neither the file nor a temporary one,
    // so the retry succeeds.
    #[test]
    fn failed_write_leaves_no_partial_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("goals/a.md");
        let err = write_new_with(&path, |f| {
            f.write_all(b"+++\ntitle")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            ))
        })
        .unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
        assert!(names(&tmp.path().join("goals")).is_empty());
        write_new(&path, b"retry").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "retry");
    }

    // An existing file is never overwritten, and the refused write leaves no temporary file.
    #[test]
    fn existing_file_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.md");
        std::fs::write(&path, "mine").unwrap();
        let err = write_new(&path, b"theirs").unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        assert_eq!(names(tmp.path()), ["a.md"]);
    }

    // The new file gets the ordinary mode (umask applied), not the temporary file's 0600.
    #[cfg(unix)]
    #[test]
    fn new_file_is_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.md");
        write_new(&path, b"x").unwrap();
        let plain = tmp.path().join("b.md");
        std::fs::write(&plain, "x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }
}
