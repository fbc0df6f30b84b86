//! Reports: turning results into text, Markdown, JSON and workflow annotations.

pub mod compare;
pub mod diagnostics;
pub mod diff;
pub mod escape;
pub mod history;
pub mod log;
pub mod retro;
pub mod review;
pub mod status;
pub mod status_text;

/// Output formats offered by the commands (not every command offers all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Github,
}
