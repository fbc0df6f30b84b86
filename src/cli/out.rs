//! Writing to stdout without panicking when the reader goes away.

use crate::error::Error;
use std::io::Write;

fn map(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::BrokenPipe
    } else {
        Error::Io {
            path: "<stdout>".into(),
            message: e.to_string(),
        }
    }
}

/// Writes text to stdout; ANSI styles are stripped when stdout is not a terminal or
/// NO_COLOR is set.
pub fn print(text: &str) -> Result<(), Error> {
    let mut stdout = anstream::stdout().lock();
    stdout.write_all(text.as_bytes()).map_err(map)?;
    stdout.flush().map_err(map)
}

/// Whether styled output will reach the user (a terminal, NO_COLOR unset).
pub fn color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Pretty JSON with a final newline, as every `--format json` prints it.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Usage(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}
