//! Writing to stdout and stderr without panicking when the reader goes away.
//!
//! A closed pipe (`goalpost check | head -1`) stops the writing but not the command: the
//! run keeps the exit code it earned, so `set -o pipefail` still sees errors.

use crate::error::Error;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once stdout's reader has gone away; later writes are skipped silently.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes text to stdout; ANSI styles are stripped when stdout is not a terminal or
/// NO_COLOR is set. A closed pipe is not an error: the rest of the output is dropped.
pub fn print(text: &str) -> Result<(), Error> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = anstream::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Error::io(std::path::Path::new("<stdout>"), e)),
    }
}

/// Writes a line to stderr, ignoring a closed or failing stderr (there is nowhere left to
/// report that to, and `eprintln!` would panic).
pub fn eprint_line(text: &str) {
    let mut stderr = anstream::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

/// Whether styled output will reach the user (a terminal, NO_COLOR unset).
pub fn color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}
