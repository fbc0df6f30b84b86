//! Checking TOML tables against the file format's field tables (see `format`): unknown
//! keys with suggestions, wrong types, missing keys, all with their exact spans.

use crate::load::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::model::Span;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The type a field's value must have.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Str,
    Number,
    Bool,
    Date,
    /// A number, or true/false (a check-in's value, typed by its key result).
    NumberOrBool,
    Enum(&'static [&'static str]),
    Table(&'static [Field]),
    TableArray(&'static [Field]),
    /// A table with free keys (names chosen by the user), each value a table of these fields.
    Map(&'static [Field]),
}

impl Ty {
    fn describe(self) -> String {
        match self {
            Ty::Str => "a string".into(),
            Ty::Number => "a number".into(),
            Ty::Bool => "true or false".into(),
            Ty::Date => "a date like 2026-10-20".into(),
            Ty::NumberOrBool => "a number (true/false for a milestone)".into(),
            Ty::Enum(options) => format!("one of {}", quoted_list(options)),
            Ty::Table(_) => "a table".into(),
            Ty::TableArray(_) => "an array of tables ([[...]])".into(),
            Ty::Map(_) => "a table of tables".into(),
        }
    }
}

/// One key of a table in the file format.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub doc: &'static str,
    /// What the value must be beyond its type, as the JSON Schema states it.
    pub limit: Limit,
}

/// A value's rule beyond its type, stated for the JSON Schema (`schema.rs`). The loader
/// checks the same rule in its own words, with its own message (`objective.rs`,
/// `config.rs`, `ids.rs`); tests/it/schema_parity.rs runs crafted files through both and
/// fails when they disagree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    None,
    /// A number from `min` (excluded when `min_excluded`) to `max`.
    Range {
        min: f64,
        min_excluded: bool,
        max: f64,
    },
    /// A whole number from `min` to `max`.
    Whole {
        min: i64,
        max: i64,
    },
    /// A string matching a regular expression (no look-around, so every JSON Schema
    /// validator reads it the same).
    Pattern(&'static str),
    /// An absolute `http://` or `https://` URL.
    Url,
}

impl Field {
    /// The field with `limit`.
    pub const fn limit(mut self, limit: Limit) -> Self {
        self.limit = limit;
        self
    }
}

pub use super::format::*;

/// Where the TOML being read sits inside its file, and where diagnostics go.
pub struct Ctx<'a> {
    pub file: &'a str,
    /// The whole file's text, for line and column.
    pub text: &'a str,
    /// Byte offset of the TOML inside `text` (after the opening `+++` of front matter).
    pub base: usize,
    pub diags: &'a mut Vec<Diagnostic>,
    /// Line starts of `text`, built on the first diagnostic and shared by the rest.
    pub lines: std::cell::OnceCell<LineIndex<'a>>,
}

impl Ctx<'_> {
    pub fn span(&self, inner: std::ops::Range<usize>) -> Span {
        inner.start + self.base..inner.end + self.base
    }

    /// 1-based line and column of a byte offset in this file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(offset)
    }

    /// A diagnostic in this file, located through the shared line index.
    fn diagnostic(
        &self,
        severity: Severity,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.text));
        Diagnostic::at_indexed(severity, code, self.file, lines, span, message)
    }

    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        let d = self.diagnostic(Severity::Error, code, span, message);
        self.diags.push(d);
    }

    pub fn error_help(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.diagnostic(Severity::Error, code, span, message);
        self.diags.push(d.with_help(help));
    }

    pub fn warning(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        let d = self.diagnostic(Severity::Warning, code, span, message);
        self.diags.push(d);
    }
}

/// A table whose keys and value types were checked: accessors return only well-typed values.
pub struct Record<'t, 'i> {
    table: &'t DeTable<'i>,
    /// The table's own span in the file (its header or opening brace).
    pub span: Span,
    base: usize,
}

impl<'t, 'i> Record<'t, 'i> {
    fn entry(&self, name: &str) -> Option<(&'t Spanned<DeValue<'i>>, Span)> {
        let (_, v) = self.table.iter().find(|(k, _)| k.get_ref() == name)?;
        let span = v.span();
        Some((v, span.start + self.base..span.end + self.base))
    }

    pub fn has(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }

    /// Span of the key (not the value) named `name`.
    pub fn key_span(&self, name: &str) -> Option<Span> {
        let (k, _) = self.table.iter().find(|(k, _)| k.get_ref() == name)?;
        let s = k.span();
        Some(s.start + self.base..s.end + self.base)
    }

    pub fn str(&self, name: &str) -> Option<(String, Span)> {
        let (v, span) = self.entry(name)?;
        v.get_ref().as_str().map(|s| (s.to_string(), span))
    }

    pub fn number(&self, name: &str) -> Option<(f64, Span)> {
        let (v, span) = self.entry(name)?;
        bounded_number(v.get_ref()).map(|n| (n, span))
    }

    pub fn bool(&self, name: &str) -> Option<(bool, Span)> {
        let (v, span) = self.entry(name)?;
        v.get_ref().as_bool().map(|b| (b, span))
    }

    pub fn date(&self, name: &str) -> Option<(jiff::civil::Date, Span)> {
        let (v, span) = self.entry(name)?;
        as_date(v.get_ref()).map(|d| (d, span))
    }

    /// Any value, for fields whose type depends on another field (check-in values).
    pub fn raw(&self, name: &str) -> Option<(&'t DeValue<'i>, Span)> {
        self.entry(name).map(|(v, s)| (v.get_ref(), s))
    }

    pub fn table(&self, ctx: &mut Ctx, name: &str, fields: &[Field]) -> Option<Record<'t, 'i>> {
        let (v, span) = self.entry(name)?;
        let table = v.get_ref().as_table()?;
        Some(check_table(ctx, table, span, fields))
    }

    /// The entries of a free-keyed table (`[people]`): each key, its span, and its checked
    /// table. Entries that are not tables are skipped (the type check reported them).
    pub fn map(
        &self,
        ctx: &mut Ctx,
        name: &str,
        fields: &[Field],
    ) -> Vec<(String, Span, Record<'t, 'i>)> {
        let Some((v, _)) = self.entry(name) else {
            return Vec::new();
        };
        let Some(table) = v.get_ref().as_table() else {
            return Vec::new();
        };
        table
            .iter()
            .filter_map(|(k, item)| {
                let key_span = ctx.span(k.span());
                let span = ctx.span(item.span());
                let t = item.get_ref().as_table()?;
                Some((
                    k.get_ref().to_string(),
                    key_span,
                    check_table(ctx, t, span, fields),
                ))
            })
            .collect()
    }

    pub fn tables(&self, ctx: &mut Ctx, name: &str, fields: &[Field]) -> Vec<Record<'t, 'i>> {
        let Some((v, _)) = self.entry(name) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let s = item.span();
                let span = ctx.span(s);
                item.get_ref()
                    .as_table()
                    .map(|t| check_table(ctx, t, span, fields))
            })
            .collect()
    }
}

/// Checks every key of `table` against `fields`: unknown keys (with a suggestion), wrong
/// types, and missing required scalar keys. Nested tables are checked when accessed.
pub fn check_table<'t, 'i>(
    ctx: &mut Ctx,
    table: &'t DeTable<'i>,
    span: Span,
    fields: &[Field],
) -> Record<'t, 'i> {
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let key_span = ctx.span(key.span());
        match fields.iter().find(|f| f.name == name) {
            None => report_unknown_key(ctx, name, key_span, fields),
            Some(f) => check_type(ctx, f, value),
        }
    }
    let record = Record {
        table,
        span: span.clone(),
        base: ctx.base,
    };
    let missing: Vec<&str> = fields
        .iter()
        .filter(|f| f.required && !matches!(f.ty, Ty::TableArray(_) | Ty::Table(_) | Ty::Map(_)))
        .filter(|f| !record.has(f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        let plural = if missing.len() > 1 { "s" } else { "" };
        ctx.error(
            "missing-key",
            header_span(ctx.text, span),
            format!("missing required key{plural} {}", quoted_list(&missing)),
        );
    }
    record
}

/// Narrows a table's span to its first line, so the caret sits on the header.
pub fn header_span(text: &str, span: Span) -> Span {
    let start = span.start.min(text.len());
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i)
        .min(span.end.max(start + 1));
    start..end.max(start)
}

fn report_unknown_key(ctx: &mut Ctx, name: &str, span: Span, fields: &[Field]) {
    let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let message = format!("unknown key `{name}`");
    match closest(name, &known) {
        Some(s) => ctx.error_help("unknown-key", span, message, format!("did you mean `{s}`?")),
        None => ctx.error_help(
            "unknown-key",
            span,
            message,
            format!("known keys here: {}", quoted_list(&known)),
        ),
    }
}

fn check_type(ctx: &mut Ctx, field: &Field, value: &Spanned<DeValue>) {
    let span = ctx.span(value.span());
    let v = value.get_ref();
    let ok = match field.ty {
        Ty::Str => v.is_str(),
        Ty::Number | Ty::NumberOrBool => match as_number(v) {
            Some(n) if !in_bounds(n) => {
                out_of_bounds(ctx, field.name, span);
                return;
            }
            Some(_) => true,
            None => matches!(field.ty, Ty::NumberOrBool) && v.is_bool(),
        },
        Ty::Bool => v.is_bool(),
        Ty::Date => as_date(v).is_some(),
        Ty::Enum(options) => match v.as_str() {
            Some(s) if options.contains(&s) => true,
            Some(s) => {
                ctx.error(
                    "invalid-value",
                    span,
                    format!(
                        "`{}` must be {}, not \"{s}\"",
                        field.name,
                        field.ty.describe()
                    ),
                );
                return;
            }
            None => false,
        },
        Ty::Table(_) => v.is_table(),
        Ty::Map(_) => v
            .as_table()
            .is_some_and(|t| t.iter().all(|(_, e)| e.get_ref().is_table())),
        Ty::TableArray(_) => v
            .as_array()
            .is_some_and(|items| items.iter().all(|i| i.get_ref().is_table())),
    };
    if !ok {
        let message = format!(
            "`{}` must be {}, found {}",
            field.name,
            field.ty.describe(),
            describe_value(v)
        );
        let quoted_number = matches!(field.ty, Ty::Number)
            && v.as_str().is_some_and(|s| s.trim().parse::<f64>().is_ok());
        if quoted_number {
            ctx.error_help(
                "wrong-type",
                span,
                message,
                "remove the quotes around the number",
            );
        } else {
            ctx.error("wrong-type", span, message);
        }
    }
}

fn describe_value(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) | DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The largest magnitude a number in a goal file may have. Figures beyond it are not
/// measurements, and keeping every number within it keeps every derived figure (progress,
/// sums, chart scales) finite: no `inf` or `NaN` can reach an output.
pub use crate::model::MAX_MAGNITUDE;

/// Whether `n` is finite and within [`MAX_MAGNITUDE`].
pub fn in_bounds(n: f64) -> bool {
    n.is_finite() && n.abs() <= MAX_MAGNITUDE
}

/// A number value within [`MAX_MAGNITUDE`]; `None` for other values and other numbers.
pub fn bounded_number(v: &DeValue) -> Option<f64> {
    as_number(v).filter(|n| in_bounds(*n))
}

fn out_of_bounds(ctx: &mut Ctx, name: &str, span: Span) {
    ctx.error_help(
        "invalid-value",
        span,
        format!(
            "`{name}` must be a finite number between -{MAX_MAGNITUDE:e} and {MAX_MAGNITUDE:e}"
        ),
        "goalpost keeps every figure within ±1e15 so that no computed figure overflows",
    );
}

pub fn as_number(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

pub fn as_date(v: &DeValue) -> Option<jiff::civil::Date> {
    let dt = v.as_datetime()?;
    let d = dt.date?;
    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
}

pub fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// The known name closest to a typo, if it is close enough to be a likely meaning.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let len = name.chars().count();
    known
        .iter()
        .filter_map(|k| {
            let limit = 2.max(k.len() / 3);
            // The distance is at least the difference in length: skip hopeless candidates
            // before paying for the comparison (thousands of unknown parents against
            // thousands of ids were quadratic in both).
            (k.chars().count().abs_diff(len) <= limit)
                .then(|| edit_distance_within(name, k, limit))
                .flatten()
                .map(|d| (d, *k))
        })
        .min()
        .map(|(_, k)| k)
}

/// The edit distance of `a` and `b` when it is at most `limit`; `None` as soon as every
/// path through the table already costs more.
fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = Vec::with_capacity(b.len() + 1);
    for (i, ca) in a.chars().enumerate() {
        cur.clear();
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        if cur.iter().min().is_some_and(|m| *m > limit) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Typos of known keys get a suggestion; unrelated names do not.
    #[test]
    fn suggestions() {
        let known = ["target", "start", "current"];
        assert_eq!(closest("tagret", &known), Some("target"));
        assert_eq!(closest("curent", &known), Some("current"));
        assert_eq!(closest("banana", &known), None);
    }
}
