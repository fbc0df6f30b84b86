//! Format-preserving edits of goal files: a value is replaced in place, byte for byte, so
//! comments, alignment, quoting elsewhere and line endings (CRLF too) stay as they were.
//! Structural edits (a new key, a dated check-in) are made with `toml_edit`, and every
//! edit is re-parsed and compared with the intended document before it is returned.

use crate::load::fields::as_number;
use toml::de::{DeTable, DeValue};

/// Why an edit could not be made: the path is not in the file, or the result would not be
/// exactly the intended change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

impl From<String> for EditError {
    fn from(message: String) -> Self {
        EditError(message)
    }
}

impl From<&str> for EditError {
    fn from(message: &str) -> Self {
        EditError(message.to_string())
    }
}

/// One step of a path into a goal file's TOML.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// A key of the current table.
    Key(&'a str),
    /// The table of the array of tables `array` whose `id` equals `id`.
    Entry { array: &'a str, id: &'a str },
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

/// Replaces the value at `path` with `literal` (TOML source text, e.g. `410` or `true`).
/// Only the value's bytes change. Fails if the path does not exist.
pub fn set_value(
    text: &str,
    markdown: bool,
    path: &[Step],
    literal: &str,
) -> Result<String, EditError> {
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

fn step_into<'t, 'i>(table: &'t DeTable<'i>, step: Step) -> Result<&'t DeTable<'i>, EditError> {
    match step {
        Step::Key(key) => table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .and_then(|(_, v)| v.get_ref().as_table())
            .ok_or_else(|| EditError(format!("no table `{key}`"))),
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
            .ok_or_else(|| EditError(format!("no `{array}` entry with id `{id}`"))),
    }
}

fn find(root: &DeTable, path: &[Step]) -> Result<std::ops::Range<usize>, EditError> {
    let (last, init) = path.split_last().ok_or("empty path")?;
    let mut table = root;
    for step in init {
        table = step_into(table, *step)?;
    }
    let Step::Key(key) = last else {
        return Err(EditError::from("a path must end with a key"));
    };
    let (_, v) = table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .ok_or_else(|| format!("no key `{key}`"))?;
    if matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
        return Err(EditError::from(format!("`{key}` is not a single value")));
    }
    Ok(v.span())
}

/// A change to one entry (say a key result) of an array of tables, found by its `id`.
#[derive(Debug, Clone, Copy)]
pub enum EntryChange<'a> {
    /// Sets `key` to `literal`: replaced byte for byte when the key is there, added at the
    /// end of the entry (with `toml_edit`) when it is not.
    Set { key: &'a str, literal: &'a str },
    /// Appends a record of `(key, literal)` fields to the entry's array `array` (a dated
    /// check-in), as `[[<entry>.<array>]]` or, in an inline entry, an inline table.
    Push {
        array: &'a str,
        fields: &'a [(&'a str, &'a str)],
    },
}

/// Which table a change applies to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The document's top level (a KPI file).
    Root,
    /// The entry of the array of tables `array` whose `id` is `id` (a key result).
    Entry { array: &'a str, id: &'a str },
}

/// Applies `change` to the entry of `array` whose `id` is `id`; see [`change_at`].
pub fn change_entry(
    text: &str,
    markdown: bool,
    array: &str,
    id: &str,
    change: &EntryChange,
) -> Result<String, EditError> {
    change_at(text, markdown, Target::Entry { array, id }, change)
}

/// Applies `change` to the `target` table, then re-parses the result and checks it equals
/// the intended document (that change and nothing else); on any mismatch it fails and the
/// caller writes nothing. In a Markdown file only the front matter changes.
pub fn change_at(
    text: &str,
    markdown: bool,
    target: Target,
    change: &EntryChange,
) -> Result<String, EditError> {
    let (toml, base) = region(text, markdown)?;
    let new_toml = match change {
        EntryChange::Set { key, literal } => {
            let path = match target {
                Target::Root => vec![Step::Key(key)],
                Target::Entry { array, id } => vec![Step::Entry { array, id }, Step::Key(key)],
            };
            match set_value(toml, false, &path, literal) {
                Ok(replaced) => replaced,
                Err(_) => structural(toml, target, change)?,
            }
        }
        EntryChange::Push { .. } => structural(toml, target, change)?,
    };
    let new = format!("{}{new_toml}{}", &text[..base], &text[base + toml.len()..]);
    verify_change(text, &new, markdown, target, change)?;
    Ok(new)
}

/// The TOML part of a file (all of it, or a Markdown file's front matter) and its offset.
fn region(text: &str, markdown: bool) -> Result<(&str, usize), EditError> {
    if !markdown {
        return Ok((text, 0));
    }
    let fm = crate::load::split_front_matter(text).map_err(|e| e.message.to_string())?;
    Ok((fm.toml, fm.base))
}

/// Makes a structural change with `toml_edit`, keeping the file's CRLF line endings
/// (`toml_edit` writes the lines it renders with `\n`).
fn structural(toml: &str, target: Target, change: &EntryChange) -> Result<String, EditError> {
    let mut doc: toml_edit::DocumentMut = toml
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let entry = match target {
        Target::Root => EntryMut::Table(doc.as_table_mut()),
        Target::Entry { array, id } => entry_mut(&mut doc, array, id)?,
    };
    match (entry, change) {
        (EntryMut::Table(t), EntryChange::Set { key, literal }) => {
            t.insert(key, toml_edit::Item::Value(parse_literal(literal)?));
        }
        (EntryMut::Inline(t), EntryChange::Set { key, literal }) => {
            t.insert(*key, parse_literal(literal)?);
        }
        (EntryMut::Table(t), EntryChange::Push { array, fields }) => match t.get_mut(array) {
            None => {
                let mut records = toml_edit::ArrayOfTables::new();
                records.push(record_table(fields)?);
                t.insert(array, toml_edit::Item::ArrayOfTables(records));
            }
            Some(toml_edit::Item::ArrayOfTables(records)) => records.push(record_table(fields)?),
            Some(item) => push_inline(item.as_value_mut(), array, fields)?,
        },
        (EntryMut::Inline(t), EntryChange::Push { array, fields }) => match t.get_mut(array) {
            None => {
                let mut records = toml_edit::Array::new();
                records.push(record_inline(fields)?);
                t.insert(*array, toml_edit::Value::Array(records));
            }
            Some(value) => push_inline(Some(value), array, fields)?,
        },
    }
    let out = doc.to_string();
    let crlf = toml.contains("\r\n") && toml.matches('\n').count() == toml.matches("\r\n").count();
    Ok(if crlf {
        out.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        out
    })
}

/// An entry of an array of tables: a `[[array]]` table or an inline table.
enum EntryMut<'d> {
    Table(&'d mut toml_edit::Table),
    Inline(&'d mut toml_edit::InlineTable),
}

/// The one entry of `array` whose `id` is `id`, in either TOML form.
fn entry_mut<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    array: &str,
    id: &str,
) -> Result<EntryMut<'d>, EditError> {
    let has_id = |v: Option<&toml_edit::Value>| v.and_then(|v| v.as_str()) == Some(id);
    let mut found: Vec<EntryMut<'d>> = match doc.get_mut(array) {
        Some(toml_edit::Item::ArrayOfTables(tables)) => tables
            .iter_mut()
            .filter(|t| has_id(t.get("id").and_then(|i| i.as_value())))
            .map(EntryMut::Table)
            .collect(),
        Some(toml_edit::Item::Value(toml_edit::Value::Array(items))) => items
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .filter(|t| has_id(t.get("id")))
            .map(EntryMut::Inline)
            .collect(),
        _ => Vec::new(),
    };
    match found.len() {
        0 => Err(EditError::from(format!(
            "no `{array}` entry with id `{id}`"
        ))),
        1 => Ok(found.remove(0)),
        n => Err(EditError::from(format!(
            "{n} `{array}` entries have the id `{id}`"
        ))),
    }
}

fn parse_literal(literal: &str) -> Result<toml_edit::Value, EditError> {
    literal
        .parse()
        .map_err(|_| EditError(format!("`{literal}` is not a TOML value")))
}

fn record_table(fields: &[(&str, &str)]) -> Result<toml_edit::Table, EditError> {
    let mut table = toml_edit::Table::new();
    for (key, literal) in fields {
        table.insert(key, toml_edit::Item::Value(parse_literal(literal)?));
    }
    Ok(table)
}

fn record_inline(fields: &[(&str, &str)]) -> Result<toml_edit::Value, EditError> {
    let mut table = toml_edit::InlineTable::new();
    for (key, literal) in fields {
        table.insert(*key, parse_literal(literal)?);
    }
    Ok(toml_edit::Value::InlineTable(table))
}

fn push_inline(
    value: Option<&mut toml_edit::Value>,
    array: &str,
    fields: &[(&str, &str)],
) -> Result<(), EditError> {
    match value {
        Some(toml_edit::Value::Array(records)) => {
            records.push(record_inline(fields)?);
            Ok(())
        }
        _ => Err(EditError::from(format!("`{array}` is not an array"))),
    }
}

/// Checks `new` is `old` with `change` made and nothing else: the TOML parses to the
/// intended document, and in a Markdown file the text around the front matter is intact.
fn verify_change(
    old: &str,
    new: &str,
    markdown: bool,
    target: Target,
    change: &EntryChange,
) -> Result<(), EditError> {
    let ((old_toml, old_base), (new_toml, new_base)) =
        (region(old, markdown)?, region(new, markdown)?);
    let outside_same = old[..old_base] == new[..new_base]
        && old[old_base + old_toml.len()..] == new[new_base + new_toml.len()..];
    let parse = |t: &str| {
        t.parse::<toml::Table>()
            .map_err(|e| e.message().to_string())
    };
    let mut intended = parse(old_toml)?;
    intend(&mut intended, target, change)?;
    if outside_same && parse(new_toml)? == intended {
        Ok(())
    } else {
        Err(EditError::from(
            "the edited file would not hold exactly the intended change",
        ))
    }
}

/// Makes `change` on the parsed document: the reference the edited text must match.
fn intend(doc: &mut toml::Table, target: Target, change: &EntryChange) -> Result<(), EditError> {
    let value = |literal: &str| {
        format!("v = {literal}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .ok_or_else(|| format!("`{literal}` is not a TOML value"))
    };
    let entry = match target {
        Target::Root => doc,
        Target::Entry { array, id } => doc
            .get_mut(array)
            .and_then(|a| a.as_array_mut())
            .and_then(|a| {
                a.iter_mut()
                    .filter_map(|v| v.as_table_mut())
                    .find(|t| t.get("id").and_then(|v| v.as_str()) == Some(id))
            })
            .ok_or_else(|| format!("no `{array}` entry with id `{id}`"))?,
    };
    match change {
        EntryChange::Set { key, literal } => {
            entry.insert(key.to_string(), value(literal)?);
        }
        EntryChange::Push { array, fields } => {
            let mut record = toml::Table::new();
            for (key, literal) in *fields {
                record.insert(key.to_string(), value(literal)?);
            }
            let records = entry
                .entry(array.to_string())
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            records
                .as_array_mut()
                .ok_or_else(|| format!("`{array}` is not an array"))?
                .push(toml::Value::Table(record));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::number_literal;

    const KR_A: Target = Target::Entry {
        array: "key_results",
        id: "a",
    };

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

    // A new key and a dated record are added with toml_edit, in the file's CRLF endings,
    // after the entry's last line; the Markdown body is untouched.
    #[test]
    fn structural_edits_keep_crlf() {
        let set = EntryChange::Set {
            key: "confidence",
            literal: "0.5",
        };
        let out = change_entry(DOC, true, "key_results", "a", &set).unwrap();
        assert_eq!(
            out,
            DOC.replace("# aligned\r\n", "# aligned\r\nconfidence = 0.5\r\n")
        );
        let fields = [("date", "2026-10-20"), ("value", "3")];
        let push = EntryChange::Push {
            array: "checkins",
            fields: &fields,
        };
        let out = change_entry(DOC, true, "key_results", "b", &push).unwrap();
        assert_eq!(
            out,
            DOC.replace(
                "current = 2\r\n",
                "current = 2\r\n\r\n[[key_results.checkins]]\r\ndate = 2026-10-20\r\nvalue = 3\r\n"
            )
        );
    }

    // Anything beyond the intended change is refused: a second change, a changed body,
    // an ambiguous entry.
    #[test]
    fn only_the_intended_change_passes() {
        let set = EntryChange::Set {
            key: "current",
            literal: "5",
        };
        let good = DOC.replace("current   = 1", "current   = 5");
        assert!(verify_change(DOC, &good, true, KR_A, &set).is_ok());
        let two = good.replace("title = \"x\"", "title = \"y\"");
        assert!(verify_change(DOC, &two, true, KR_A, &set).is_err());
        let body = good.replace("body", "BODY");
        assert!(verify_change(DOC, &body, true, KR_A, &set).is_err());
        let twice = "[[key_results]]\nid = \"a\"\n[[key_results]]\nid = \"a\"\n";
        let conf = EntryChange::Set {
            key: "confidence",
            literal: "1",
        };
        assert!(change_entry(twice, false, "key_results", "a", &conf).is_err());
    }

    // A KPI's top-level value is replaced in place and a dated record appended as
    // `[[checkins]]`; the result is exactly the intended document.
    #[test]
    fn root_edits() {
        let kpi = "title = \"NPS\"\nvalue = 30 # q3\n";
        let set = EntryChange::Set {
            key: "value",
            literal: "-5",
        };
        let out = change_at(kpi, false, Target::Root, &set).unwrap();
        assert_eq!(out, "title = \"NPS\"\nvalue = -5 # q3\n");
        let fields = [("date", "2026-10-20"), ("value", "35")];
        let push = EntryChange::Push {
            array: "checkins",
            fields: &fields,
        };
        let out = change_at(kpi, false, Target::Root, &push).unwrap();
        assert_eq!(
            out,
            format!("{kpi}\n[[checkins]]\ndate = 2026-10-20\nvalue = 35\n")
        );
    }
}
