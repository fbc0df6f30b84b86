//! Identifier rules: ids become file names and URLs, so they must be safe as path segments.

use super::fields::Ctx;
use crate::model::{PeriodSet, Span};

/// One safe path segment as a regular expression (what [`is_safe_segment`] accepts).
macro_rules! segment {
    () => {
        "[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}"
    };
}

/// The id rules as JSON Schema patterns (tests/it/schema_parity.rs holds them to the
/// functions here). A key result, KPI or period id: one safe segment.
pub const SEGMENT_PATTERN: &str = concat!("^", segment!(), "$");
/// A pinned objective id or a `parent`: `<team>/<slug>`, the team possibly nested; a
/// `parent` may also be qualified by its period, which has the same shape.
pub const OBJECTIVE_ID_PATTERN: &str = concat!("^", segment!(), "(/", segment!(), ")+$");
/// A `parent`: an objective id as above, optionally naming one of its key results
/// (`<period>/<team>/<slug>#<kr>`, format 1.1).
pub const PARENT_PATTERN: &str =
    concat!("^", segment!(), "(/", segment!(), ")+(#", segment!(), ")?$");
/// `carried_from`: `<period>/<team>/<slug>`. Whether the period exists depends on
/// goalpost.toml, which a schema of one file cannot see.
pub const QUALIFIED_ID_PATTERN: &str =
    concat!("^", segment!(), "/", segment!(), "(/", segment!(), ")+$");
/// `[goals] dir` and `kpi_dir`: a relative folder, `./` and empty segments allowed, no `..`.
pub const DIR_PATTERN: &str = concat!(
    "^(\\./(\\.?/)*)?",
    segment!(),
    "(/(\\.|",
    segment!(),
    ")?)*$"
);

/// Whether `url` is an absolute `http://` or `https://` URL with a host, made only of the
/// characters a URI may hold (RFC 3986; `%` only before two hex digits, no brackets).
pub fn is_site_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return false;
    }
    let bytes = url.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'%' => {
            bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        }
        b if b.is_ascii_alphanumeric() => true,
        _ => b"-._~:/?#@!$&'()*+,;=".contains(&b),
    })
}

/// Whether `s` is usable as one path segment: ASCII letters, digits, `-`, `_` and `.`, not
/// starting with `.` (no `..`, no hidden files), and not empty.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Reports an id that is unsafe as a path segment; returns whether it was safe.
pub fn check_segment(ctx: &mut Ctx, what: &str, s: &str, span: Span, quiet: bool) -> bool {
    let ok = is_safe_segment(s);
    if !ok && !quiet {
        ctx.error_help(
            "unsafe-id",
            span,
            format!("{what} `{s}` cannot be used as a file name"),
            "use letters, digits, `-`, `_` and `.` only, not starting with `.`",
        );
    }
    ok
}

/// A pinned objective id must be `<team>/<slug>` with safe segments.
pub fn check_objective_id(ctx: &mut Ctx, id: &str, span: Span) {
    let segments: Vec<&str> = id.split('/').collect();
    if segments.len() < 2 {
        ctx.error_help(
            "unsafe-id",
            span,
            format!("objective id `{id}` needs a team and a slug"),
            "write it as `<team>/<slug>`, e.g. `platform/reliability`",
        );
        return;
    }
    if let Some(bad) = segments.iter().find(|s| !is_safe_segment(s)) {
        ctx.error_help(
            "unsafe-id",
            span,
            format!("objective id `{id}` has the unsafe segment `{bad}`"),
            "use letters, digits, `-`, `_` and `.` only, not starting with `.`",
        );
    }
}

/// Resolves a reference to an objective into its qualified id. A reference is either
/// qualified (`<period>/<team>/<slug>`) or, when `own_period` is given, relative to the
/// file's own period (`<team>/<slug>`). A `parent` may also name a key result of that
/// objective (`...#<kr>`); the suffix is kept.
pub fn resolve_reference(
    ctx: &mut Ctx,
    key: &str,
    reference: &str,
    span: Span,
    own_period: Option<&str>,
    periods: &PeriodSet,
) -> Option<String> {
    if key == "parent" {
        if let Some((objective, kr)) = reference.split_once('#') {
            if !is_safe_segment(kr) {
                ctx.error(
                    "bad-reference",
                    span,
                    format!("`parent` = `{reference}` names no valid key result id after `#`"),
                );
                return None;
            }
            let full = resolve_reference(ctx, key, objective, span, own_period, periods)?;
            return Some(format!("{full}#{kr}"));
        }
    }
    let segments: Vec<&str> = reference.split('/').collect();
    let qualified = segments.len() >= 3 && periods.resolve(segments[0]).is_ok();
    let full = match (qualified, own_period) {
        (true, _) => reference.to_string(),
        (false, Some(p)) if segments.len() >= 2 => format!("{p}/{reference}"),
        _ => {
            ctx.error_help(
                "bad-reference",
                span,
                format!(
                    "`{key}` must name an objective as `<period>/<team>/<slug>`, not `{reference}`"
                ),
                "for example `2026-Q3/platform/reliability`",
            );
            return None;
        }
    };
    if full.split('/').any(|s| !is_safe_segment(s)) {
        ctx.error(
            "bad-reference",
            span,
            format!("`{key}` = `{reference}` is not a valid objective id"),
        );
        return None;
    }
    Some(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Path traversal and hidden names are rejected as ids.
    #[test]
    fn safe_segments() {
        assert!(is_safe_segment("p99-latency_2.0"));
        for bad in ["", "..", ".hidden", "a/b", "a b", "é", "a\\b"] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
    }
}
