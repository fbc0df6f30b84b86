//! Rows of `checkin --from`: CSV with the header `id,value,confidence,note,date` (only `id`
//! is required; columns in any order) or a JSON array of objects with the same keys. Each
//! row keeps its line number, so every bad row can be named.

use super::CheckinRequest;

/// One row as read: its line in the input, and the request or why it is bad.
pub struct Row {
    pub line: usize,
    pub request: Result<CheckinRequest, String>,
}

const KEYS: &[&str] = &["id", "value", "confidence", "note", "date"];

/// Reads the rows of `text`: JSON when it starts with `[`, else CSV. An input that cannot
/// be read at all (no `id` column, broken JSON) is one error.
pub fn parse(text: &str) -> Result<Vec<Row>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        json(text)
    } else {
        csv_rows(text)
    }
}

fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(bad) = header.iter().find(|h| !KEYS.contains(&h.as_str())) {
        return Err(format!(
            "line 1: unknown column `{bad}` (columns: id, value, confidence, note, date)"
        ));
    }
    if !header.iter().any(|h| h == "id") {
        return Err("line 1: the header has no `id` column (id,value,confidence,note,date)".into());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                rows.push(Row {
                    line,
                    request: Err(format!("not a CSV row: {e}")),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let request = request(
            field("id"),
            field("value"),
            field("confidence"),
            field("note"),
            field("date"),
        );
        rows.push(Row { line, request });
    }
    Ok(rows)
}

fn json(text: &str) -> Result<Vec<Row>, String> {
    let items: Vec<serde_json::Value> =
        serde_json::from_str(text).map_err(|e| format!("not a JSON array of objects: {e}"))?;
    let lines = object_lines(text);
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Row {
            line: lines.get(i).copied().unwrap_or(0),
            request: json_row(&item),
        })
        .collect())
}

fn json_row(item: &serde_json::Value) -> Result<CheckinRequest, String> {
    let object = item.as_object().ok_or("not an object")?;
    if let Some(bad) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{bad}` (keys: id, value, confidence, note, date)"
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(serde_json::Value::Number(n)) if key != "note" && key != "id" => {
                Ok(Some(n.to_string()))
            }
            Some(serde_json::Value::Bool(b)) if key == "value" => Ok(Some(b.to_string())),
            Some(_) => Err(format!("`{key}` has the wrong type")),
        }
    };
    request(
        text("id")?,
        text("value")?,
        text("confidence")?,
        text("note")?,
        text("date")?,
    )
}

fn request(
    id: Option<String>,
    value: Option<String>,
    confidence: Option<String>,
    note: Option<String>,
    date: Option<String>,
) -> Result<CheckinRequest, String> {
    let id = id.ok_or("no `id`")?;
    let confidence = confidence
        .map(|c| {
            c.trim()
                .parse::<f64>()
                .map_err(|_| format!("confidence `{c}` is not a number"))
        })
        .transpose()?;
    let date = date
        .map(|d| {
            d.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|_| format!("date `{d}` is not a date (YYYY-MM-DD)"))
        })
        .transpose()?;
    Ok(CheckinRequest {
        id,
        value,
        note,
        confidence,
        date,
        period: None,
    })
}

/// The line of each object at the top level of a JSON array, in order (the text is known
/// to be valid JSON).
fn object_lines(text: &str) -> Vec<usize> {
    let (mut line, mut depth, mut in_string, mut escaped) = (1, 0usize, false, false);
    let mut out = Vec::new();
    for c in text.chars() {
        match c {
            '\n' => line += 1,
            _ if in_string => {}
            '{' if depth == 1 => out.push(line),
            _ => {}
        }
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // CSV rows keep their line numbers; columns may be missing or reordered.
    #[test]
    fn csv_lines() {
        let rows = parse("value,id\n410,a#b\n,kpi\nx,\n").unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(
            rows[0].request.as_ref().unwrap().value.as_deref(),
            Some("410")
        );
        assert!(rows[1].request.as_ref().unwrap().value.is_none());
        assert!(rows[2].request.is_err());
        assert!(parse("kr,value\n").is_err());
    }

    // JSON objects are found at their lines, even with braces inside strings.
    #[test]
    fn json_lines() {
        let text = "[\n {\"id\": \"n\", \"value\": -3, \"note\": \"{x}\"},\n\n {\"id\": \"m\", \"value\": true}\n]";
        let rows = parse(text).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(
            rows[0].request.as_ref().unwrap().value.as_deref(),
            Some("-3")
        );
        assert_eq!(
            rows[1].request.as_ref().unwrap().value.as_deref(),
            Some("true")
        );
        assert!(parse("[{\"id\": \"a\", \"oops\": 1}]").unwrap()[0]
            .request
            .is_err());
    }
}
