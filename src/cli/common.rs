//! Flags shared by the commands that read history, and the output helpers every command
//! uses.

use crate::app::common::HistoryOptions;
use crate::error::Error;
use crate::report::{render, Format, Render, Style};

#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// The revision to analyse.
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// Accept a shallow clone whose history is cut, marking the output partial.
    #[arg(long)]
    pub allow_shallow: bool,
    /// Neither read nor write the history index (`<git dir>/goalpost/`): walk all of history.
    #[arg(long)]
    pub no_cache: bool,
}

impl HistoryArgs {
    pub fn options(&self) -> HistoryOptions {
        HistoryOptions {
            rev: self.rev.clone(),
            allow_shallow: self.allow_shallow,
            no_cache: self.no_cache,
        }
    }
}

/// `--as-of`, for the commands with elapsed-time figures.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AsOfArgs {
    /// The "now" for elapsed-time figures: YYYY-MM-DD (end of that day, UTC), an RFC 3339
    /// time, or `today`. Default: the analysed commit's time, so output is reproducible.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// A command's own `--format` enum: only the formats it offers, so `--help` and the
/// completions list exactly those.
macro_rules! formats {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($variant),+
        }

        impl From<$name> for crate::report::Format {
            fn from(f: $name) -> Self {
                match f {
                    $($name::$variant => crate::report::Format::$variant),+
                }
            }
        }
    };
}
pub(crate) use formats;

/// Renders `view` in `format` and prints it.
pub fn emit(view: &dyn Render, format: impl Into<Format>) -> Result<(), Error> {
    let style = Style {
        color: super::out::color(),
    };
    super::out::print(&render(view, format.into(), style)?)
}
