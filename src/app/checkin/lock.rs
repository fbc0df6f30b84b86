//! The check-in lock, made the way git makes its own: a `.lock` file created with
//! `O_EXCL` (`create_new`), holding the owner's process id, and removed when the guard is
//! dropped (on success, on error and on panic). A run killed outright leaves it behind;
//! like git, goalpost then says which file to remove instead of breaking the lock itself.

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock's file name, in the git folder of the work tree (next to git's own
/// `index.lock`), or in the goal root when it is not in a git repository.
pub const FILE_NAME: &str = "goalpost-checkin.lock";

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct CheckinLock {
    path: PathBuf,
}

impl CheckinLock {
    /// Takes the lock at `path`, waiting up to `wait` (with short, growing pauses) while
    /// another check-in holds it.
    pub fn acquire(path: PathBuf, wait: Duration) -> Result<Self, Error> {
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    let lock = CheckinLock { path };
                    let _ = std::io::Write::write_all(
                        &mut file,
                        format!("{}\n", std::process::id()).as_bytes(),
                    );
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = holder(&path);
                    if holder.is_some_and(gone) || Instant::now() >= deadline {
                        return Err(held(&path, holder));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(25));
                }
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
    }
}

impl Drop for CheckinLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The process id written in the lock file, if it can be read.
fn holder(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Whether process `pid` has certainly ended (known on Linux only).
fn gone(pid: u32) -> bool {
    cfg!(target_os = "linux") && !Path::new("/proc").join(pid.to_string()).exists()
}

fn held(path: &Path, holder: Option<u32>) -> Error {
    let p = path.display();
    match holder {
        Some(pid) if gone(pid) => Error::Usage(format!(
            "{p} is left over from a check-in (process {pid}) that no longer runs: remove it and run the check-in again"
        )),
        _ => Error::Usage(format!(
            "another check-in is still running (it holds {p}); nothing was changed: run the check-in again when it ends, or remove {p} if no goalpost check-in is running"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The lock is exclusive, released on drop, and a second taker gets a clear error.
    #[test]
    fn exclusive_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let first = CheckinLock::acquire(path.clone(), Duration::ZERO).unwrap();
        let err = CheckinLock::acquire(path.clone(), Duration::from_millis(30)).unwrap_err();
        assert!(err.to_string().contains("another check-in"), "{err}");
        drop(first);
        assert!(!path.exists());
        let _again = CheckinLock::acquire(path.clone(), Duration::ZERO).unwrap();
    }
}
