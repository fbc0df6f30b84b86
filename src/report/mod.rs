//! Reports: view-models (what a command found) and their renderers. Every view implements
//! [`Render`], one method per output format it offers; [`render`] picks the method for a
//! `--format`. A new output format is a new [`Format`] variant, a new `Render` method
//! (default: not offered) and one implementation per view that offers it.
//!
//! May use `model`, `load` (diagnostics), `history` (commit and series types) and `error`;
//! never clap, the file system or git.

pub mod compare;
pub mod demo;
pub mod diagnostics;
pub mod diff;
pub mod escape;
pub mod history;
pub mod log;
pub mod remind;
pub mod retro;
pub mod review;
pub mod sarif;
pub mod status;
pub mod status_text;

use crate::error::Error;

/// Output formats. Each command offers some of them (its own `--format` enum in `cli`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Github,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Github => "github",
            Format::Sarif => "sarif",
        }
    }
}

/// How text output may look.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// ANSI styles reach the reader (a terminal, NO_COLOR unset).
    pub color: bool,
}

/// A view's renderers, one per format; `None`: the view does not offer that format.
pub trait Render {
    fn text(&self, _style: Style) -> Option<String> {
        None
    }
    fn markdown(&self) -> Option<String> {
        None
    }
    fn json(&self) -> Option<Result<String, Error>> {
        None
    }
    /// GitHub Actions workflow commands (annotations).
    fn github(&self) -> Option<String> {
        None
    }
    /// SARIF 2.1.0, for code scanning.
    fn sarif(&self) -> Option<Result<String, Error>> {
        None
    }
}

/// Renders `view` in `format`.
pub fn render(view: &dyn Render, format: Format, style: Style) -> Result<String, Error> {
    let out = match format {
        Format::Text => view.text(style).map(Ok),
        Format::Markdown => view.markdown().map(Ok),
        Format::Json => view.json(),
        Format::Github => view.github().map(Ok),
        Format::Sarif => view.sarif(),
    };
    out.unwrap_or_else(|| {
        Err(Error::Usage(format!(
            "this command does not offer --format {}",
            format.name()
        )))
    })
}

/// A fraction as a whole percentage, `0.1667` → `17%`: the one way shares are shown.
pub fn pct(fraction: f64) -> String {
    format!("{:.0}%", fraction * 100.0)
}

/// A score as a percentage that agrees with the score shown beside it (`{:.2}`, as every
/// view prints scores): 0.175 prints as 0.17, so it is 17%, never 18%.
pub fn score_pct(score: f64) -> String {
    let shown: f64 = format!("{score:.2}").parse().unwrap_or(score);
    pct(shown)
}

/// Pretty JSON with a final newline, as every `--format json` prints it.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Implements [`Render::json`] with the view's serde form.
macro_rules! serde_json_render {
    () => {
        fn json(&self) -> Option<Result<String, crate::error::Error>> {
            Some(crate::report::json(self))
        }
    };
}
pub(crate) use serde_json_render;

/// `1 change`, `2 changes`, `0 changes`: a count with its noun. The one place a noun
/// agrees with its count, in text, Markdown, the site's labels and its `plural` template
/// filter (regular nouns only: every noun goalpost counts takes an `s`).
pub(crate) fn plural<N>(n: N, noun: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    let s = if n == N::from(1) { "" } else { "s" };
    format!("{n} {noun}{s}")
}

#[cfg(test)]
mod tests {
    // A bar labelled 18% beside a score of 0.17 contradicts itself: one rounding for both.
    #[test]
    fn score_percentage_never_disagrees_with_the_score_shown() {
        for score in [0.175, 0.125, 0.005, 0.995, 0.0, 1.0, 0.33] {
            let shown = format!("{score:.2}");
            let hundredths: i64 = shown.replace('.', "").parse().unwrap();
            assert_eq!(super::score_pct(score), format!("{hundredths}%"), "{score}");
        }
    }
}
