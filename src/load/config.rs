//! Reads `goalpost.toml`.

use super::fields::{
    check_table, Ctx, Record, CONFIG_FIELDS, GOALS_FIELDS, PERIOD_FIELDS, PERSON_FIELDS,
    SCORING_FIELDS, SITE_FIELDS, STATUS_FIELDS,
};
use super::ids::is_safe_segment;
use crate::load::diagnostic::Diagnostic;
use crate::model::people::{is_github_handle, is_gitlab_handle, Person};
use crate::model::{Config, Period};

pub const CONFIG_FILE: &str = "goalpost.toml";

/// Parses the configuration; problems become diagnostics and defaults stand in.
pub fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut config = Config::default();
    let mut ctx = Ctx {
        file: CONFIG_FILE,
        text,
        base: 0,
        diags: &mut diags,
        lines: Default::default(),
    };
    let Some(table) = super::parse_toml(&mut ctx, text) else {
        return (config, diags);
    };
    let doc = check_table(&mut ctx, table.get_ref(), 0..0, CONFIG_FIELDS);
    if let Some(site) = doc.table(&mut ctx, "site", SITE_FIELDS) {
        if let Some((t, _)) = site.str("title") {
            config.title = t;
        }
        if let Some((noindex, _)) = site.bool("noindex") {
            config.site_noindex = noindex;
        }
        if let Some((url, span)) = site.str("url") {
            if super::ids::is_site_url(&url) {
                config.site_url = if url.ends_with('/') {
                    url
                } else {
                    format!("{url}/")
                };
            } else {
                ctx.error(
                    "invalid-value",
                    span,
                    "`url` must be an http:// or https:// URL, like \"https://example.org/okrs/\"",
                );
            }
        }
        if let Some((name, span)) = site.str("timezone") {
            timezone(&mut ctx, &mut config, name, span);
        }
    }
    if let Some(goals) = doc.table(&mut ctx, "goals", GOALS_FIELDS) {
        for (key, slot) in [
            ("dir", &mut config.goals_dir),
            ("kpi_dir", &mut config.kpi_dir),
        ] {
            if let Some((dir, span)) = goals.str(key) {
                match normalize_dir(&dir) {
                    Some(d) => *slot = d,
                    None => ctx.error("invalid-value", span, format!("`{key}` must be a relative folder inside the goal root, like \"goals\"")),
                }
            }
        }
    }
    if let Some(scoring) = doc.table(&mut ctx, "scoring", SCORING_FIELDS) {
        if let Some((s, span)) = scoring.number("success") {
            if (0.0..=1.0).contains(&s) && s > 0.0 {
                config.success = s;
            } else {
                ctx.error(
                    "invalid-value",
                    span,
                    "`success` must be greater than 0 and at most 1",
                );
            }
        }
    }
    if let Some(status) = doc.table(&mut ctx, "status", STATUS_FIELDS) {
        if let Some((d, span)) = status.number("stale_after_days") {
            if d >= 1.0 && d.fract() == 0.0 && d <= 3650.0 {
                config.stale_days = d as u32;
            } else {
                ctx.error(
                    "invalid-value",
                    span,
                    "`stale_after_days` must be a whole number of days from 1 to 3650",
                );
            }
        }
    }
    for rec in doc.tables(&mut ctx, "periods", PERIOD_FIELDS) {
        let (Some((name, name_span)), Some((start, _)), Some((end, end_span))) =
            (rec.str("name"), rec.date("start"), rec.date("end"))
        else {
            continue;
        };
        if !is_safe_segment(&name) || name.contains('/') {
            ctx.error(
                "unsafe-id",
                name_span,
                format!("period name `{name}` cannot be used as a folder name"),
            );
        } else if end < start {
            ctx.error(
                "invalid-value",
                end_span,
                format!("period `{name}` ends before it starts"),
            );
        } else if config.periods.named.iter().any(|p| p.name == name) {
            ctx.error(
                "duplicate-id",
                name_span,
                format!("period `{name}` is declared twice"),
            );
        } else {
            config.periods.named.push(Period::new(name, start, end));
        }
    }
    if doc.has("people") {
        config.people = Some(people(&mut ctx, &doc));
    }
    (config, diags)
}

/// `[site] timezone`: an IANA name from jiff's bundled database (no system tzdata is
/// needed, so every machine agrees); anything else is an error at the value.
fn timezone(ctx: &mut Ctx, config: &mut Config, name: String, span: crate::model::Span) {
    match jiff::tz::db().get(&name) {
        Ok(tz) if !name.is_empty() => {
            config.periods.tz = tz;
            config.timezone = Some(name);
        }
        _ => ctx.error_help(
            "invalid-value",
            span,
            format!("`timezone` = \"{name}\" is not an IANA time zone"),
            "use a name like \"Europe/Oslo\", \"America/New_York\" or \"UTC\"",
        ),
    }
}

/// `[people]`: each owner's name, email and handles; a handle that breaks its site's
/// rules is an error (it would otherwise be printed as a mention).
fn people(ctx: &mut Ctx, doc: &Record) -> std::collections::BTreeMap<String, Person> {
    let mut out = std::collections::BTreeMap::new();
    for (key, _, rec) in doc.map(ctx, "people", PERSON_FIELDS) {
        let mut handle = |field: &str, valid: fn(&str) -> bool, site: &str| {
            let (h, span) = rec.str(field)?;
            if valid(&h) {
                Some(h)
            } else {
                ctx.error(
                    "invalid-value",
                    span,
                    format!("`{field}` = \"{h}\" is not a {site} user name (letters, digits and `-`; no `@`)"),
                );
                None
            }
        };
        let github = handle("github", is_github_handle, "GitHub");
        let gitlab = handle("gitlab", is_gitlab_handle, "GitLab");
        let person = Person {
            name: rec.str("name").map(|(n, _)| n),
            email: rec.str("email").map(|(e, _)| e),
            github,
            gitlab,
        };
        out.insert(key, person);
    }
    out
}

/// `goals`, `./goals/`, `okrs/goals` are fine; absolute paths and `..` are not.
fn normalize_dir(dir: &str) -> Option<String> {
    let parts: Vec<&str> = dir
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if parts.is_empty() || dir.starts_with('/') || parts.iter().any(|p| !is_safe_segment(p)) {
        return None;
    }
    Some(parts.join("/"))
}
