//! `check --format sarif`: SARIF 2.1.0 for code scanning (GitHub's `upload-sarif`), one run
//! with goalpost as the tool, a rule per diagnostic code that occurs, and a result per
//! diagnostic at its repository-relative path. Rule descriptions come from docs/check.md,
//! the one list of codes, so the two cannot disagree. Deterministic: rules sorted by code,
//! results in the diagnostics' order, JSON keys sorted.
//!
//! May use `load` (diagnostics) and the escapers of `report`.

use super::escape::{sarif_text, sarif_uri};
use crate::load::diagnostic::{Diagnostic, Severity};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// docs/check.md: the table rows give each code's meaning, the headings its section.
const CHECK_DOCS: &str = include_str!("../../docs/check.md");

/// What docs/check.md says about one code: its meaning and the heading's anchor.
struct RuleDoc {
    meaning: String,
    anchor: String,
}

/// Every code docs/check.md lists: the first backticked word of a table row.
fn rule_docs() -> BTreeMap<String, RuleDoc> {
    let mut docs = BTreeMap::new();
    let mut anchor = String::new();
    for line in CHECK_DOCS.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            anchor = github_anchor(heading);
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(code), Some(meaning)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(code) = code.strip_prefix('`').and_then(|c| c.strip_suffix('`')) else {
            continue;
        };
        docs.insert(
            code.to_string(),
            RuleDoc {
                meaning: meaning.replace('`', ""),
                anchor: anchor.clone(),
            },
        );
    }
    docs
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as `-`.
fn github_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The SARIF log of `diags`; `prefix` is the goal root's path inside the repository (empty
/// at the top), as for `--format github`.
pub fn sarif(diags: &[Diagnostic], prefix: &str) -> Value {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let version = env!("CARGO_PKG_VERSION");
    let docs = rule_docs();
    let mut codes: BTreeMap<&str, Severity> = BTreeMap::new();
    for d in diags {
        codes.entry(d.code).or_insert(d.severity);
    }
    let index: BTreeMap<&str, usize> = codes.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let rules: Vec<Value> = codes
        .iter()
        .map(|(code, severity)| {
            let doc = docs.get(*code);
            let page = format!("{repository}/blob/v{version}/docs/check.md");
            json!({
                "id": code,
                "shortDescription": {"text": doc.map_or(*code, |d| d.meaning.as_str())},
                "helpUri": match doc {
                    Some(d) if !d.anchor.is_empty() => format!("{page}#{}", d.anchor),
                    _ => page,
                },
                "defaultConfiguration": {"level": level(*severity)},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| result(d, prefix, index.get(d.code).copied().unwrap_or(0)))
        .collect();
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "goalpost",
                "version": version,
                "semanticVersion": version,
                "informationUri": repository,
                "rules": rules,
            }},
            // Diagnostics count columns in characters, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn location(prefix: &str, file: &str, line: usize, column: usize) -> Value {
    json!({
        "artifactLocation": {"uri": sarif_uri(&format!("{prefix}{file}"))},
        "region": {"startLine": line.max(1), "startColumn": column.max(1)},
    })
}

fn result(d: &Diagnostic, prefix: &str, rule_index: usize) -> Value {
    let mut text = sarif_text(&d.message);
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(&sarif_text(help));
    }
    let mut result = json!({
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": location(prefix, &d.file, d.line, d.column)}],
    });
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i + 1,
                    "message": {"text": sarif_text(&r.message)},
                    "physicalLocation": location(prefix, &r.file, r.line, r.column),
                })
            })
            .collect();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every code of docs/check.md is read with its section's anchor.
    #[test]
    fn rule_docs_read_the_check_page() {
        let docs = rule_docs();
        assert_eq!(docs["toml-syntax"].anchor, "errors");
        assert_eq!(docs["too-few-key-results"].anchor, "warnings-okr-practice");
        assert!(docs["wrong-type"]
            .meaning
            .starts_with("a value has the wrong type"));
    }
}
