//! Renders `check` findings: rustc-style text, JSON (SPEC section 6) and GitHub annotations.

use super::escape::{github_data, github_property};
use crate::diagnostic::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::collections::BTreeMap;

/// rustc-style: `error[code]: message`, then `--> file:line:col`, the source line and a caret.
pub fn text(diags: &[Diagnostic], sources: &BTreeMap<String, String>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        out.push_str(&renderer.render(&report(d, sources)));
        out.push_str("\n\n");
    }
    out
}

fn report<'a>(d: &'a Diagnostic, sources: &'a BTreeMap<String, String>) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let source = sources
        .get(&d.file)
        .filter(|text| d.span.end <= text.len() && !text.is_empty());
    let mut group = match source {
        Some(text) => {
            let same_file: Vec<_> = d.related.iter().filter(|r| r.file == d.file).collect();
            let first = same_file
                .iter()
                .filter(|r| r.span.start < d.span.start)
                .min_by_key(|r| r.span.start)
                .map_or((d.span.start, d.line), |r| (r.span.start, r.line));
            let last = same_file
                .iter()
                .map(|r| r.span.end)
                .fold(d.span.end, usize::max);
            let excerpt = Excerpt::new(text, first, last);
            let mut snippet = Snippet::source(excerpt.text)
                .line_start(excerpt.line)
                .path(d.file.as_str())
                .annotation(AnnotationKind::Primary.span(excerpt.span(&d.span)));
            for r in same_file {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(excerpt.span(&r.span))
                        .label(r.message.as_str()),
                );
            }
            Group::with_title(title).element(snippet)
        }
        None => Group::with_title(title).element(
            Origin::path(d.file.as_str())
                .line(d.line)
                .char_column(d.column),
        ),
    };
    for r in d.related.iter().filter(|r| r.file != d.file) {
        group = match sources.get(&r.file) {
            Some(text) if r.span.end <= text.len() => {
                let excerpt = Excerpt::new(text, (r.span.start, r.line), r.span.end);
                group.element(
                    Snippet::source(excerpt.text)
                        .line_start(excerpt.line)
                        .path(r.file.as_str())
                        .annotation(
                            AnnotationKind::Context
                                .span(excerpt.span(&r.span))
                                .label(r.message.as_str()),
                        ),
                )
            }
            _ => group.element(
                Origin::path(r.file.as_str())
                    .line(r.line)
                    .char_column(r.column),
            ),
        };
    }
    let mut groups = vec![group];
    if let Some(help) = &d.help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    groups
}

/// The whole lines of a file that a diagnostic's spans touch. The renderer is handed only
/// these, never the whole file: with thousands of findings in one large file, handing it the
/// whole text each time made `check` quadratic.
struct Excerpt<'a> {
    text: &'a str,
    /// Byte offset of `text` in the file.
    offset: usize,
    /// 1-based line number of its first line.
    line: usize,
}

impl<'a> Excerpt<'a> {
    /// The lines from the one holding byte `first.0` (line `first.1`) to the one holding `last`.
    fn new(file: &'a str, first: (usize, usize), last: usize) -> Self {
        let floor = |mut i: usize| {
            i = i.min(file.len());
            while !file.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let (start, end) = (floor(first.0), floor(last.max(first.0)));
        let offset = file[..start].rfind('\n').map_or(0, |i| i + 1);
        let stop = file[end..].find('\n').map_or(file.len(), |i| end + i);
        Excerpt {
            text: &file[offset..stop],
            offset,
            line: first.1,
        }
    }

    /// A span of the file as a span of the excerpt, at least one character wide.
    fn span(&self, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        let clamp = |i: usize| i.saturating_sub(self.offset).min(self.text.len());
        visible(self.text, &(clamp(span.start)..clamp(span.end)))
    }
}

/// A caret needs at least one character: an empty span at the start of a line points at it.
fn visible(text: &str, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
    if span.start < span.end {
        return span.clone();
    }
    let start = span.start.min(text.len());
    let end = text[start..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(start, |c| start + c.len_utf8());
    start..end
}

/// The one-line summary after the text report.
pub fn summary(diags: &[Diagnostic], files: usize) -> String {
    let (errors, warnings) = crate::check::tally(diags);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[derive(serde::Serialize)]
struct JsonReport<'a> {
    diagnostics: &'a [Diagnostic],
}

pub fn json(diags: &[Diagnostic]) -> String {
    let mut s = serde_json::to_string_pretty(&JsonReport { diagnostics: diags })
        .unwrap_or_else(|_| "{\"diagnostics\":[]}".into());
    s.push('\n');
    s
}

/// GitHub Actions workflow commands; `prefix` is the goal root's path inside the git
/// repository (empty at the top), since annotations want repository-relative paths.
pub fn github(diags: &[Diagnostic], prefix: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            github_property(&format!("{prefix}{}", d.file)),
            d.line,
            d.column,
            github_property(&format!("goalpost {}", d.code)),
            github_data(&message)
        ));
    }
    out
}
