//! The one error type for failures that stop a command (problems in goal files are
//! diagnostics instead, reported all together, and decide exit code 1 of `check` and
//! `review` as a result, not as an error).
//!
//! A leaf: uses nothing else of the crate, and names no library's error type, so that git2,
//! minijinja and clap stay inside their own layers; sources are kept as boxed errors.

use std::path::{Path, PathBuf};

/// A library error kept as the source of an [`Error`].
pub type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `goalpost.toml` in the folder or any parent.
    #[error("no goalpost.toml in {} or any parent folder\nhelp: run goalpost inside a goal repository or pass -C <dir>", .0.display())]
    NoRoot(PathBuf),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// git (git2 or the `git` binary) failed, or the repository cannot be read.
    #[error("git: {message}")]
    Git {
        message: String,
        #[source]
        source: Option<Source>,
    },
    /// Bad arguments: a period, a revision, an id that does not exist.
    #[error("{0}")]
    Usage(String),
    /// A problem with an input file that is not a goal file (the demo timeline).
    #[error("{file}:{line}: {message}")]
    Input {
        file: String,
        line: usize,
        message: String,
    },
    /// A template (the site's, or `new`'s file templates) failed to load or render.
    #[error("{message}")]
    Template {
        message: String,
        #[source]
        source: Option<Source>,
    },
    /// A bug or a failure of the machine rather than of the input: a render thread that
    /// panicked or could not start, JSON that could not be written.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn io(path: &Path, e: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }

    /// A git failure described by goalpost (no library error behind it).
    pub fn git(message: impl Into<String>) -> Self {
        Error::Git {
            message: message.into(),
            source: None,
        }
    }

    /// A template failure described by goalpost.
    pub fn template(message: impl Into<String>) -> Self {
        Error::Template {
            message: message.into(),
            source: None,
        }
    }

    /// The exit code of a command that stopped with this error (README, "Exit codes"):
    /// every kind exits 2, "the command could not do its job", as SPEC section 5 fixes for
    /// usage errors and as scripts already rely on for the others; 1 is reserved for "the
    /// goal files have errors", which `check` and `review` report as a result. Each kind is
    /// listed, so a new kind must choose its code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::NoRoot(_) => 2,
            Error::Input { .. } | Error::Template { .. } => 2,
            Error::Io { .. } | Error::Git { .. } | Error::Internal(_) => 2,
        }
    }
}
