//! Format-preserving edits of goal files: a value is replaced in place, byte for byte, so
//! comments, alignment, quoting elsewhere and line endings (CRLF too) stay as they were.

use crate::load::fields::as_number;
use toml::de::{DeTable, DeValue};

/// One step of a path into a goal file's TOML.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A key of the current table.
    Key(&'a str),
    /// The table of the array of tables `array` whose `id` equals `id`.
    Entry { array: &'a str, id: &'a str },
}

/// Renders a number as TOML: integers without a fraction, others in shortest form.
pub fn number_literal(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Replaces the value at `path` with `literal` (TOML source text, e.g. `410` or `true`).
/// Only the value's bytes change. Fails if the path does not exist.
pub fn set_value(
    text: &str,
    markdown: bool,
    path: &[Step],
    literal: &str,
) -> Result<String, String> {
    let (toml, base) = if markdown {
        let fm = crate::load::split_front_matter(text).map_err(|e| e.message.to_string())?;
        (fm.toml, fm.base)
    } else {
        (text, 0)
    };
    let doc = DeTable::parse(toml).map_err(|e| e.message().to_string())?;
    let span = find(doc.get_ref(), path)?;
    let (start, end) = (span.start + base, span.end + base);
    Ok(format!("{}{}{}", &text[..start], literal, &text[end..]))
}

/// The current numeric value at `path`, if there is one.
pub fn get_number(text: &str, markdown: bool, path: &[Step]) -> Option<f64> {
    let toml = if markdown {
        crate::load::split_front_matter(text).ok()?.toml
    } else {
        text
    };
    let doc = DeTable::parse(toml).ok()?;
    let mut table = doc.get_ref();
    let (last, init) = path.split_last()?;
    for step in init {
        table = step_into(table, *step).ok()?;
    }
    let Step::Key(key) = last else { return None };
    let (_, v) = table.iter().find(|(k, _)| k.get_ref() == key)?;
    as_number(v.get_ref())
}

fn step_into<'t, 'i>(table: &'t DeTable<'i>, step: Step) -> Result<&'t DeTable<'i>, String> {
    match step {
        Step::Key(key) => table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .and_then(|(_, v)| v.get_ref().as_table())
            .ok_or_else(|| format!("no table `{key}`")),
        Step::Entry { array, id } => table
            .iter()
            .filter(|(k, _)| k.get_ref() == array)
            .filter_map(|(_, v)| v.get_ref().as_array())
            .flat_map(|a| a.iter())
            .filter_map(|item| item.get_ref().as_table())
            .find(|t| {
                t.iter()
                    .any(|(k, v)| k.get_ref() == "id" && v.get_ref().as_str() == Some(id))
            })
            .ok_or_else(|| format!("no `{array}` entry with id `{id}`")),
    }
}

fn find(root: &DeTable, path: &[Step]) -> Result<std::ops::Range<usize>, String> {
    let (last, init) = path.split_last().ok_or("empty path")?;
    let mut table = root;
    for step in init {
        table = step_into(table, *step)?;
    }
    let Step::Key(key) = last else {
        return Err("a path must end with a key".into());
    };
    let (_, v) = table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .ok_or_else(|| format!("no key `{key}`"))?;
    if matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
        return Err(format!("`{key}` is not a single value"));
    }
    Ok(v.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "+++\r\ntitle = \"x\"  # keep\r\n\r\n[[key_results]]\r\nid = \"a\"\r\ncurrent   = 1   # aligned\r\n\r\n[[key_results]]\r\nid = \"b\"\r\ncurrent = 2\r\n+++\r\nbody\r\n";

    // Only the value's bytes change; comments, alignment and CRLF survive.
    #[test]
    fn replaces_in_place() {
        let path = [
            Step::Entry {
                array: "key_results",
                id: "a",
            },
            Step::Key("current"),
        ];
        let out = set_value(DOC, true, &path, "42.5").unwrap();
        assert_eq!(out, DOC.replace("current   = 1 ", "current   = 42.5 "));
        assert_eq!(get_number(&out, true, &path), Some(42.5));
        let missing = [
            Step::Entry {
                array: "key_results",
                id: "zz",
            },
            Step::Key("current"),
        ];
        assert!(set_value(DOC, true, &missing, "1").is_err());
    }

    // Numbers keep an integer look when they are whole.
    #[test]
    fn literals() {
        assert_eq!(number_literal(410.0), "410");
        assert_eq!(number_literal(99.91), "99.91");
        assert_eq!(number_literal(-3.0), "-3");
    }
}
