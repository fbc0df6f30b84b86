//! Diagnostics: a problem found in a goal file, with its exact location.

use serde::Serialize;
use std::ops::Range;

/// How bad a finding is: errors fail `check`, warnings only advise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A second place that explains a diagnostic (for example the first of two duplicate ids).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// One finding. `line` and `column` are 1-based and point at the offending key or value;
/// `span` is the byte range in the file, used to draw the caret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Diagnostic {
    /// A diagnostic at a byte span of `text` (the whole file's text, for line/column).
    pub fn at(
        severity: Severity,
        code: &'static str,
        file: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::at_indexed(severity, code, file, &LineIndex::new(text), span, message)
    }

    /// A diagnostic at a byte span of the file `lines` indexes; many diagnostics in one file
    /// share one index, so locating them stays linear in the file's size.
    pub fn at_indexed(
        severity: Severity,
        code: &'static str,
        file: &str,
        lines: &LineIndex,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = lines.line_col(span.start);
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: file.to_string(),
            line,
            column,
            help: None,
            related: Vec::new(),
            span,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The stable order diagnostics are reported in: by file, then position, then code.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str, &str) {
        (&self.file, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts and removes exact repeats, so output is deterministic.
pub fn normalize(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// 1-based line and column (in characters) of a byte offset. Offsets past the end or inside a
/// multi-byte character are clamped to the nearest valid position.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(offset)
}

/// The byte offsets where a text's lines start, built once per file so that each position
/// costs a binary search instead of a scan from the top (40,000 diagnostics in one file
/// were quadratic before).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset, clamped as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }
}

/// Counts of errors and warnings.
pub fn tally(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    // line_col counts lines from 1 and columns in characters, not bytes.
    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçd = 1\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 6), (2, 3));
        assert_eq!(line_col(text, 999), (3, 1));
    }
}
