//! The one error type for failures that stop a command (problems in goal files are
//! diagnostics instead, reported all together).

use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// No `goalpost.toml` in the folder or any parent.
    NoRoot(PathBuf),
    Io {
        path: PathBuf,
        message: String,
    },
    Git(String),
    /// Bad arguments: a period, a revision, an id that does not exist.
    Usage(String),
    /// A problem with an input file that is not a goal file (the demo timeline, a template).
    Input {
        file: String,
        line: usize,
        message: String,
    },
}

impl Error {
    pub fn io(path: &Path, e: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// A command that cannot run at all exits 2, like a usage error; `check` reserves 1 for
    /// "the goal files have errors".
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NoRoot(start) => write!(
                f,
                "no goalpost.toml in {} or any parent folder\nhelp: run goalpost inside a goal repository or pass -C <dir>",
                start.display()
            ),
            Error::Io { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Git(message) => write!(f, "git: {message}"),
            Error::Usage(message) => f.write_str(message),
            Error::Input { file, line, message } => write!(f, "{file}:{line}: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git(e.message().to_string())
    }
}
