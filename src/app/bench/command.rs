//! The whole `goalpost status` command run as a child process (start, reading the index,
//! the verdicts, rendering, exit): what a user waits for, which the in-process timings of
//! the analysis leave out (the index's parts are decoded when a command uses them).

use crate::error::Error;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `exe -C root status` once, its output discarded.
pub fn run_status(exe: &Path, root: &Path) -> Result<(), Error> {
    let out = Command::new(exe)
        .arg("-C")
        .arg(root)
        .arg("status")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Error::io(exe, e))?;
    if !out.status.success() {
        return Err(Error::Internal(format!(
            "`goalpost status` failed in the benchmark repository: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}
