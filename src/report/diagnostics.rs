//! Renders `check` findings: rustc-style text, JSON (SPEC section 6), GitHub annotations and
//! SARIF (`sarif.rs`).

use super::escape::{github_data, github_property, is_hidden, terminal};
use crate::load::diagnostic::{Diagnostic, Severity};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::collections::BTreeMap;

/// rustc-style: `error[code]: message`, then `--> file:line:col`, the source line and a caret.
pub fn text(diags: &[Diagnostic], sources: &BTreeMap<String, String>, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Shown (escaped) sources under their escaped names, and the shifts of each, by the
    // original name; built once per file, on first use.
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut shifts: Shifts = BTreeMap::new();
    let mut out = String::new();
    for d in diags {
        for file in std::iter::once(&d.file).chain(d.related.iter().map(|r| &r.file)) {
            if let (false, Some(text)) = (shifts.contains_key(file), sources.get(file)) {
                let (shown, moved) = show_source(text);
                texts.insert(terminal(file), shown);
                shifts.insert(file.clone(), moved);
            }
        }
        out.push_str(&renderer.render(&report(&escape(d, &shifts), &texts)));
        out.push_str("\n\n");
    }
    out
}

/// Per original file name: `(end of an escaped character, bytes added so far)`.
type Shifts = BTreeMap<String, Vec<(usize, usize)>>;

/// A source text with its hidden characters (other than line breaks and tabs) made
/// visible, and the shifts that makes: `(end of an escaped character, bytes added so far)`.
fn show_source(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let kept = c == '\n' || c == '\t' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
        if is_hidden(c) && !kept {
            out.push_str(&terminal(&c.to_string()));
            shifts.push((i + c.len_utf8(), out.len() - (i + c.len_utf8())));
        } else {
            out.push(c);
        }
    }
    (out, shifts)
}

/// Where byte `offset` of the original text lies in its shown form.
fn shift(shifts: &[(usize, usize)], offset: usize) -> usize {
    let before = shifts.partition_point(|(end, _)| *end <= offset);
    offset + before.checked_sub(1).map_or(0, |k| shifts[k].1)
}

fn shift_span(
    shifts: &Shifts,
    file: &str,
    span: &std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    match shifts.get(file) {
        Some(moved) => shift(moved, span.start)..shift(moved, span.end),
        None => span.clone(),
    }
}

/// The diagnostic with every text escaped for the terminal and its spans moved to match.
fn escape(d: &Diagnostic, shown: &Shifts) -> Diagnostic {
    let mut e = d.clone();
    e.message = terminal(&d.message);
    e.file = terminal(&d.file);
    e.help = d.help.as_deref().map(terminal);
    e.span = shift_span(shown, &d.file, &d.span);
    for (er, r) in e.related.iter_mut().zip(&d.related) {
        er.message = terminal(&r.message);
        er.file = terminal(&r.file);
        er.span = shift_span(shown, &r.file, &r.span);
    }
    e
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
    let (errors, warnings) = crate::load::diagnostic::tally(diags);
    let plural = super::plural::<usize>;
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

/// What `check` found in the working tree.
pub struct CheckReport {
    pub diagnostics: Vec<Diagnostic>,
    /// File texts by path, for drawing diagnostics.
    pub sources: BTreeMap<String, String>,
    /// How many goal files were read.
    pub files: usize,
    /// The goal root's path inside its git work tree (for annotations).
    pub prefix: String,
}

impl CheckReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl super::Render for CheckReport {
    fn text(&self, style: super::Style) -> Option<String> {
        let mut t = text(&self.diagnostics, &self.sources, style.color);
        t.push_str(&summary(&self.diagnostics, self.files));
        t.push('\n');
        Some(t)
    }
    fn json(&self) -> Option<Result<String, crate::error::Error>> {
        Some(Ok(json(&self.diagnostics)))
    }
    fn github(&self) -> Option<String> {
        Some(github(&self.diagnostics, &self.prefix))
    }
    fn sarif(&self) -> Option<Result<String, crate::error::Error>> {
        Some(super::json(&super::sarif::sarif(
            &self.diagnostics,
            &self.prefix,
        )))
    }
}
