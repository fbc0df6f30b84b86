//! `checkin`: records a key result's new value in its file, changing only that value's
//! bytes (or appending a dated check-in), and never leaving a file half-written.

use crate::edit::{number_literal, set_value, Step};
use crate::error::Error;
use crate::load::{self, Loaded};
use crate::model::{KeyResult, Measure, Objective};

/// What to record.
#[derive(Debug, Clone, Default)]
pub struct CheckinRequest {
    /// `<team>/<slug>#<kr>` or `<period>/<team>/<slug>#<kr>`.
    pub kr: String,
    /// A number for a metric; true/false (or done/not-done) for a milestone.
    pub value: String,
    pub note: Option<String>,
    pub confidence: Option<f64>,
    /// Append a dated check-in instead of editing `current`.
    pub date: Option<jiff::civil::Date>,
    pub period: Option<String>,
}

/// The edit to make: the file's path (relative to the goal root), old and new text.
#[derive(Debug, Clone)]
pub struct PlannedEdit {
    pub path: String,
    pub old: String,
    pub new: String,
    /// The full key result id, `<period>/<team>/<slug>#<kr>`.
    pub kr: String,
    pub value: String,
}

/// Finds the objective and key result `id` names, as `history` does: qualified, with
/// `period`, or unique across periods.
pub fn find_kr<'a>(
    loaded: &'a Loaded,
    id: &str,
    period: Option<&str>,
) -> Result<(&'a Objective, &'a KeyResult), Error> {
    let (objective, kr) = id.split_once('#').ok_or_else(|| {
        Error::Usage(format!(
            "`{id}` is not a key result id: write <team>/<slug>#<kr>"
        ))
    })?;
    let candidates: Vec<&Objective> = loaded
        .goals
        .objectives
        .iter()
        .filter(|o| {
            o.qualified_id() == objective
                || o.id == objective && period.is_none_or(|p| o.period == p)
        })
        .collect();
    let o = match candidates.as_slice() {
        [] => {
            return Err(Error::Usage(format!(
                "no objective `{objective}` in the working tree"
            )))
        }
        [one] => *one,
        many => {
            let names: Vec<String> = many.iter().map(|o| o.qualified_id()).collect();
            return Err(Error::Usage(format!("`{objective}` exists in several periods: {}\nhelp: pass the qualified id or --period", names.join(", "))));
        }
    };
    let k = o.key_result(kr).ok_or_else(|| {
        let ids: Vec<&str> = o.key_results.iter().map(|k| k.id.as_str()).collect();
        let known = if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        };
        Error::Usage(format!(
            "objective `{}` has no key result `{kr}` (it has {known})",
            o.qualified_id()
        ))
    })?;
    Ok((o, k))
}

/// Quotes text as a TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The value as TOML for this key result's kind, or a clear error.
fn literal(kr: &KeyResult, full_id: &str, value: &str) -> Result<String, Error> {
    match kr.measure {
        Measure::Metric { .. } => value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(number_literal)
            .ok_or_else(|| Error::Usage(format!("`{full_id}` is a metric key result: its value must be a number, not `{value}`"))),
        Measure::Milestone { .. } => match value.trim() {
            "true" | "done" | "yes" => Ok("true".into()),
            "false" | "not-done" | "no" => Ok("false".into()),
            _ => Err(Error::Usage(format!("`{full_id}` is a milestone key result: its value must be `done` or `not-done` (true/false), not `{value}`"))),
        },
    }
}

/// Byte offset where a new line belonging to the key result `kr_id` may be inserted: the
/// start of the next table header that is not one of its check-ins, or the end of the TOML.
fn end_of_key_result(toml: &str, base: usize, kr_id: &str) -> Option<usize> {
    let mut offset = 0;
    let mut inside = false;
    let mut seen_id = false;
    for line in toml.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            if inside && seen_id && !t.starts_with("[[key_results.") {
                return Some(base + offset);
            }
            if t.starts_with("[[key_results]]") {
                inside = true;
                seen_id = false;
            } else if !t.starts_with("[[key_results.") {
                inside = false;
            }
        } else if inside && !seen_id {
            let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            seen_id = compact.starts_with(&format!("id={}", toml_string(kr_id)))
                || compact.starts_with(&format!("id='{kr_id}'"));
        }
        offset += line.len();
    }
    (inside && seen_id).then_some(base + toml.len())
}

/// Plans the edit for a check-in against the working tree files in `loaded`.
pub fn plan(loaded: &Loaded, req: &CheckinRequest) -> Result<PlannedEdit, Error> {
    let (o, kr) = find_kr(loaded, &req.kr, req.period.as_deref())?;
    let full_id = format!("{}#{}", o.qualified_id(), kr.id);
    let value = literal(kr, &full_id, &req.value)?;
    if let Some(c) = req.confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(Error::Usage(format!(
                "--confidence must be between 0 and 1, not {c}"
            )));
        }
    }
    let old = loaded
        .sources
        .get(&o.file)
        .cloned()
        .ok_or_else(|| Error::Usage(format!("cannot read {}", o.file)))?;
    let markdown = o.file.ends_with(".md");
    let eol = if old.contains("\r\n") { "\r\n" } else { "\n" };
    let entry = Step::Entry {
        array: "key_results",
        id: &kr.id,
    };
    let mut new = old.clone();
    if let Some(date) = req.date {
        let (toml, base) = toml_region(&new, markdown)?;
        let end = end_of_key_result(toml, base, &kr.id).ok_or_else(|| {
            Error::Usage(format!("cannot find where `{full_id}` ends in {}", o.file))
        })?;
        // Insert after the key result's last non-blank line, so blank lines before the
        // next table stay where they are.
        let content_end = new[..end].trim_end().len();
        let at = new[content_end..end]
            .find('\n')
            .map_or(end, |i| content_end + i + 1);
        let mut block =
            format!("{eol}[[key_results.checkins]]{eol}date = {date}{eol}value = {value}{eol}");
        if let Some(note) = &req.note {
            block.push_str(&format!("note = {}{eol}", toml_string(note)));
        }
        if !new[..at].ends_with('\n') {
            block.insert_str(0, eol);
        }
        new.insert_str(at, &block);
    } else {
        let field = if matches!(kr.measure, Measure::Metric { .. }) {
            "current"
        } else {
            "done"
        };
        new = set_value(&new, markdown, &[entry, Step::Key(field)], &value)
            .map_err(|e| Error::Usage(format!("{}: {e}", o.file)))?;
    }
    if let Some(c) = req.confidence {
        new = set_confidence(&new, markdown, &kr.id, c, eol)
            .map_err(|e| Error::Usage(format!("{}: {e}", o.file)))?;
    }
    verify(loaded, o, &new, &full_id)?;
    Ok(PlannedEdit {
        path: o.file.clone(),
        old,
        new,
        kr: full_id,
        value,
    })
}

/// The TOML part of a goal file and its offset.
fn toml_region(text: &str, markdown: bool) -> Result<(&str, usize), Error> {
    if !markdown {
        return Ok((text, 0));
    }
    let fm = load::split_front_matter(text).map_err(|e| Error::Usage(e.message.to_string()))?;
    Ok((fm.toml, fm.base))
}

/// Replaces `confidence`, or adds it on a new line after the key result's value.
fn set_confidence(
    text: &str,
    markdown: bool,
    kr_id: &str,
    c: f64,
    eol: &str,
) -> Result<String, String> {
    let entry = Step::Entry {
        array: "key_results",
        id: kr_id,
    };
    let literal = number_literal(c);
    if let Ok(new) = set_value(text, markdown, &[entry, Step::Key("confidence")], &literal) {
        return Ok(new);
    }
    // No confidence yet: insert after the line holding the key result's value.
    let id_end = set_value(text, markdown, &[entry, Step::Key("current")], "\u{0}")
        .or_else(|_| set_value(text, markdown, &[entry, Step::Key("done")], "\u{0}"))
        .map_err(|e| e.to_string())?;
    let marker = id_end.find('\u{0}').ok_or("cannot place confidence")?;
    let line_end = text[marker..]
        .find('\n')
        .map_or(text.len(), |i| marker + i + 1);
    let mut out = text.to_string();
    let prefix = if text[..line_end].ends_with('\n') {
        ""
    } else {
        eol
    };
    out.insert_str(line_end, &format!("{prefix}confidence = {literal}{eol}"));
    Ok(out)
}

/// Re-parses the edited file: the edit must not introduce errors.
fn verify(loaded: &Loaded, o: &Objective, new: &str, full_id: &str) -> Result<(), Error> {
    let kind = match load::classify(&o.file, &loaded.config) {
        Some(Ok(kind)) => kind,
        _ => return Err(Error::Usage(format!("{} is not a goal file", o.file))),
    };
    let before = load::parse_file(
        &o.file,
        &kind,
        loaded.sources[&o.file].as_bytes(),
        &loaded.config,
    );
    let after = load::parse_file(&o.file, &kind, new.as_bytes(), &loaded.config);
    let errors = |p: &load::ParsedFile| p.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors(&after) > errors(&before) {
        return Err(Error::Usage(format!(
            "the check-in of `{full_id}` would break {}; nothing was written",
            o.file
        )));
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so a
/// crash leaves either the old or the new file, never half of one.
pub fn write_atomically(path: &std::path::Path, text: &str) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.goalpost-{}", std::process::id()));
    let result = (|| {
        std::fs::write(&tmp, text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Dated check-ins go after the key result's last line, before the next key result.
    #[test]
    fn end_of_kr() {
        let toml = "title = \"t\"\n[[key_results]]\nid = \"a\"\ncurrent = 1\n[[key_results.checkins]]\ndate = 2026-01-01\nvalue = 1\n[[key_results]]\nid = \"b\"\ncurrent = 2\n";
        let at = end_of_key_result(toml, 0, "a").unwrap();
        assert!(toml[at..].starts_with("[[key_results]]\nid = \"b\""));
        assert_eq!(end_of_key_result(toml, 0, "b"), Some(toml.len()));
        assert_eq!(end_of_key_result(toml, 0, "zz"), None);
        assert_eq!(toml_string("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
