//! The template environment: the built-in templates (embedded from `templates/site/`),
//! each replaceable by a file of the same name in the repository's `templates/` folder
//! as committed at the analysed revision (read from git, never from the working tree).
//! Autoescaping is on for HTML and XML, and undefined values are errors.
//!
//! Repository templates are untrusted code: every render runs on a fuel budget (bounding
//! both its instructions and the memory it allocates), under a recursion limit, and into
//! a size-capped buffer, so a runaway template ends with an error naming it.

use crate::error::Error;
use crate::model::clock;
use minijinja::{Environment, UndefinedBehavior};
use std::collections::BTreeMap;
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/site_templates.rs"));

/// How much one render may do, scaled to the repository being rendered: a fixed base that
/// any small repository's pages fit in many times over, plus an allowance per item (an
/// objective, key result, KPI or change), so the largest honest page of a large repository
/// still fits while a hostile template in a small one is stopped early.
///
/// Fuel is about one unit per instruction and per 64 bytes created (minijinja also charges
/// the padding that a `format` width asks for), so it bounds both the work and the memory
/// of a render: the base allows about 256 MB. The largest built-in page measured (the change
/// list of `bench --site 2000`) used 132,014 units; see docs/security-notes/templates.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub fuel: u64,
    pub max_output: usize,
}

impl Limits {
    /// The limits of a template that renders no repository data (`new`'s file templates).
    pub const BASE: Limits = Limits {
        fuel: 4_000_000,
        max_output: 16 << 20,
    };

    /// The limits for rendering a repository with `items` objectives, key results, KPIs
    /// and changes in all.
    pub fn for_items(items: usize) -> Limits {
        let items = items as u64;
        Limits {
            fuel: Self::BASE.fuel.saturating_add(items.saturating_mul(400)),
            max_output: Self::BASE
                .max_output
                .saturating_add(usize::try_from(items.saturating_mul(4096)).unwrap_or(usize::MAX)),
        }
    }
}

/// Template recursion (nested blocks, includes, macro calls) allowed. minijinja's own
/// ceiling is 500; this leaves room for the built-in macros' nesting and stays far from
/// the stack of the render threads.
pub const RECURSION_LIMIT: usize = 200;

/// A repository's own templates and static files, by name, as committed.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    files: Arc<BTreeMap<String, Vec<u8>>>,
}

impl Overrides {
    pub fn new(files: BTreeMap<String, Vec<u8>>) -> Self {
        Overrides {
            files: Arc::new(files),
        }
    }
}

/// The built-in template or static file called `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    SITE_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, b)| std::str::from_utf8(b).ok())
}

/// Names of the built-in templates and static files.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    SITE_TEMPLATES.iter().map(|(n, _)| *n)
}

/// A template's text: the repository's own if `overrides` has it, else the built-in.
/// Only plain names (`base.html`) are looked up in the repository.
pub fn source(overrides: Option<&Overrides>, name: &str) -> Result<Option<String>, Error> {
    if let Some(bytes) = overrides
        .filter(|_| crate::load::ids::is_safe_segment(name))
        .and_then(|o| o.files.get(name))
    {
        return String::from_utf8(bytes.clone()).map(Some).map_err(|e| {
            Error::Usage(format!(
                "templates/{name} is not valid UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        });
    }
    Ok(builtin(name).map(str::to_string))
}

/// HTML autoescaping of `& < > " '`. minijinja's default also escapes `/`, which is
/// harmless in text and in quoted attributes and would turn every link into `a&#x2f;b`.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if state.name().ends_with(".xml") && !value.is_safe() {
        return xml_formatter(out, value);
    }
    if value.is_safe() || *state.auto_escape() != minijinja::AutoEscape::Html {
        return minijinja::escape_formatter(out, state, value);
    }
    out.write_str(&html_text(&value.to_string()))
        .map_err(minijinja::Error::from)
}

/// The one HTML escaper (templates' autoescape and the SVG charts): `& < > " '` as
/// entities, safe in text and in quoted attributes.
pub fn html_text(text: &str) -> String {
    markup(text, "&#x27;", false)
}

/// The one XML escaper (for `feed.xml` and any other `.xml` template): the five markup
/// characters as entities, and every character XML 1.0 forbids (C0 controls other than tab,
/// LF and CR; U+FFFE, U+FFFF) or that would hide or reorder text (DEL, C1, bidi and other
/// format characters) written as a visible `\u{..}`, so the feed stays well-formed.
pub fn xml_text(text: &str) -> String {
    markup(text, "&apos;", true)
}

/// The markup characters as entities (`apostrophe` for `'`); with `visible_hidden`, the
/// characters XML forbids or that hide text also as visible `\u{..}` escapes.
fn markup(text: &str, apostrophe: &str, visible_hidden: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str(apostrophe),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if visible_hidden
                && (crate::report::escape::is_hidden(c)
                    || matches!(c, '\u{fffe}' | '\u{ffff}')) =>
            {
                escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => escaped.push(c),
        }
    }
    escaped
}

fn xml_formatter(
    out: &mut minijinja::Output,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    let text = value.to_string();
    out.write_str(&xml_text(&text))
        .map_err(minijinja::Error::from)
}

fn pct(v: f64) -> String {
    crate::report::pct(v)
}

fn num(v: f64) -> String {
    crate::model::number_literal((v * 1000.0).round() / 1000.0)
}

/// `2026-11-24T15:10:00Z` → `2026-11-24` (the day in the repository's zone).
fn date(v: String, tz: &jiff::tz::TimeZone) -> String {
    match v.parse() {
        Ok(t) => clock::local_date(t, tz).to_string(),
        Err(_) => v.chars().take(10).collect(),
    }
}

/// `2026-11-24T15:10:00Z` → `2026-11-24 15:10 UTC`, or `2026-11-24 16:10 CET` in
/// Europe/Oslo.
fn datetime(v: String, tz: &jiff::tz::TimeZone) -> String {
    match v.parse() {
        Ok(t) => clock::local_datetime(t, tz),
        Err(_) => v,
    }
}

/// An environment with the limits every repository template runs under.
fn limited(limits: Limits) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(limits.fuel));
    env.set_recursion_limit(RECURSION_LIMIT);
    env
}

/// The environment for a repository with its own templates `overrides` (if any), under
/// `limits`; times are shown in `tz` (`[site] timezone`).
pub fn environment(
    overrides: Option<Overrides>,
    limits: Limits,
    tz: jiff::tz::TimeZone,
) -> Environment<'static> {
    let mut env = limited(limits);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(html_formatter);
    env.set_loader(move |name| {
        source(overrides.as_ref(), name).map_err(|e| {
            minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string())
        })
    });
    env.add_filter("pct", pct);
    env.add_filter("score_pct", crate::report::score_pct);
    env.add_filter("width", |v: f64| {
        format!("{:.0}", (v * 100.0).clamp(0.0, 100.0))
    });
    env.add_filter("num", num);
    // `{{ n | plural("objective") }}`: `1 objective`, `2 objectives`, by the one rule.
    env.add_filter("plural", |n: i64, noun: &str| {
        crate::report::plural(n, noun)
    });
    let day_tz = tz.clone();
    env.add_filter("date", move |v: String| date(v, &day_tz));
    env.add_filter("datetime", move |v: String| datetime(v, &tz));
    env
}

/// Renders a `new`/`init` file template (`templates/new/*`): it sees `title`, `owner` and
/// `parent`, and a `toml` filter that quotes strings for TOML.
pub fn render_new_file(
    template: &str,
    title: &str,
    owner: &str,
    parent: Option<&str>,
) -> Result<String, Error> {
    render_text(
        template,
        minijinja::context! { title => title, owner => owner, parent => parent },
    )
}

/// Renders a one-off template from text, with a `toml` filter that quotes strings for TOML.
fn render_text(template: &str, context: minijinja::Value) -> Result<String, Error> {
    let mut env = limited(Limits::BASE);
    env.add_filter("toml", |s: String| crate::load::edit::toml_string(&s));
    let tmpl = env
        .template_from_str(template)
        .map_err(|e| template_error(&e))?;
    render_capped(&tmpl, context, Limits::BASE.max_output)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .map_err(|e| template_error(&e))
}

/// A template engine failure as goalpost's error, with the engine's message.
fn template_error(e: &minijinja::Error) -> Error {
    Error::template(format!("template: {e}"))
}

/// Collects output up to its cap in bytes, then fails the render.
struct CappedBuffer(Vec<u8>, usize);

impl std::io::Write for CappedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + buf.len() > self.1 {
            return Err(std::io::Error::other(format!(
                "output larger than {} MiB",
                self.1 >> 20
            )));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `template` with every limit on: fuel, recursion and output size.
pub fn render_capped(
    template: &minijinja::Template,
    context: minijinja::Value,
    max_output: usize,
) -> Result<Vec<u8>, minijinja::Error> {
    let mut out = CappedBuffer(Vec::new(), max_output);
    template.render_captured_to(context, &mut out)?;
    Ok(out.0)
}
