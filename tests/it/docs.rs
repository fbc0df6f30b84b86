//! The documentation matches the code: docs/check.md lists exactly the diagnostic codes the
//! sources can emit. Codes are found the way the code passes them: a string literal given as
//! the `code` argument of any function with a `code: &'static str` parameter, or as the
//! `code:` field of a struct literal. A small Rust tokenizer keeps strings, comments and
//! nesting straight, so the scan survives code moving between files and modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
}

/// Rust source as identifiers, string literals and punctuation; comments, numbers, char
/// literals and lifetimes are dropped.
fn tokens(src: &str) -> Vec<Tok> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && matches!(at(i + 2), '"' | '#')))
        {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let end = rest.find(&close).expect("raw string ends");
            out.push(Tok::Str(rest[..end].to_string()));
            i = j + 1 + rest[..end].chars().count() + close.chars().count();
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    s.push(chars[i]);
                    i += 1;
                }
                s.push(chars[i]);
                i += 1;
            }
            out.push(Tok::Str(s));
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('static).
            if at(i + 1) == '\\' {
                i += 2;
                while at(i) != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while at(i).is_alphanumeric()
                || at(i) == '_'
                || at(i) == '.' && at(i + 1).is_ascii_digit()
            {
                i += 1;
            }
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The comma-separated items of the bracketed list opening at `toks[open]`.
fn items(toks: &[Tok], open: usize) -> Vec<&[Tok]> {
    let mut depth = 0;
    let mut start = open + 1;
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    if start < i {
                        out.push(&toks[start..i]);
                    }
                    return out;
                }
            }
            Tok::Punct(',') if depth == 1 => {
                out.push(&toks[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// Every library source file's tokens, without its `#[cfg(test)]` tail.
fn library_sources() -> Vec<Vec<Tok>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source readable");
                let live = text.split("#[cfg(test)]").next().unwrap_or_default();
                files.push(tokens(live));
            }
        }
    }
    files
}

fn is_code(s: &str) -> bool {
    let mut parts = s.split('-');
    parts.all(|p| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    }) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// The type name of the struct literal whose field starts at `toks[field]`.
fn struct_literal_name(toks: &[Tok], field: usize) -> &str {
    let mut depth = 0;
    for i in (0..field).rev() {
        match &toks[i] {
            Tok::Punct('}' | ')' | ']') => depth += 1,
            Tok::Punct('(' | '[') => depth -= 1,
            Tok::Punct('{') if depth == 0 => {
                return match i.checked_sub(1).map(|j| &toks[j]) {
                    Some(Tok::Ident(name)) => name,
                    _ => "",
                };
            }
            Tok::Punct('{') => depth -= 1,
            _ => {}
        }
    }
    ""
}

/// Types that carry a diagnostic: `Diagnostic` itself and the errors that become one
/// (`SplitError`); compare's calibration hints have codes too, but `check` never shows them.
fn is_diagnostic(type_name: &str) -> bool {
    type_name.contains("Diagnostic") || type_name.ends_with("Error")
}

/// The diagnostic codes the sources can emit.
fn codes_in_sources() -> BTreeSet<String> {
    let files = library_sources();
    // Functions taking a `code` parameter, and where it sits among the non-self arguments.
    let mut code_param: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for toks in &files {
        for i in 0..toks.len().saturating_sub(2) {
            if let (Tok::Ident(kw), Tok::Ident(name)) = (&toks[i], &toks[i + 1]) {
                let Some(open) = (i + 2..toks.len()).find(|&j| toks[j] == Tok::Punct('(')) else {
                    continue;
                };
                if kw != "fn"
                    || !toks[i + 2..open]
                        .iter()
                        .all(|t| matches!(t, Tok::Punct('<' | '>' | ',' | '\'') | Tok::Ident(_)))
                {
                    continue;
                }
                let params: Vec<&[Tok]> = items(toks, open)
                    .into_iter()
                    .filter(|p| !p.iter().any(|t| *t == Tok::Ident("self".into())))
                    .collect();
                for (n, p) in params.iter().enumerate() {
                    if p.first() == Some(&Tok::Ident("code".into()))
                        && p.get(1) == Some(&Tok::Punct(':'))
                    {
                        code_param.entry(name.clone()).or_default().insert(n);
                    }
                }
            }
        }
    }
    let mut codes = BTreeSet::new();
    for toks in &files {
        for i in 0..toks.len().saturating_sub(2) {
            match (&toks[i], &toks[i + 1], &toks[i + 2]) {
                // `code: "..."` in a diagnostic's struct literal (not, say, a compare hint's).
                (Tok::Ident(field), Tok::Punct(':'), Tok::Str(s))
                    if field == "code"
                        && is_code(s)
                        && is_diagnostic(struct_literal_name(toks, i)) =>
                {
                    codes.insert(s.clone());
                }
                // `name(..., "code", ...)` for a function with a `code` parameter.
                (Tok::Ident(name), Tok::Punct('('), _)
                    if i == 0 || toks[i - 1] != Tok::Ident("fn".into()) =>
                {
                    let Some(positions) = code_param.get(name) else {
                        continue;
                    };
                    let args = items(toks, i + 1);
                    for &n in positions {
                        if let Some([Tok::Str(s)]) = args.get(n) {
                            if is_code(s) {
                                codes.insert(s.clone());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    codes
}

/// The codes docs/check.md lists: the first backticked word of each table row.
fn codes_in_docs() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md");
    let text = std::fs::read_to_string(path).expect("docs/check.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

// docs/check.md lists every diagnostic code the code can emit, and no code it cannot.
#[test]
fn check_docs_list_exactly_the_diagnostic_codes() {
    let source = codes_in_sources();
    let docs = codes_in_docs();
    // A scan that finds nothing would pass vacuously when the code changes shape.
    assert!(
        source.len() >= 20,
        "the scan found only {source:?}: update codes_in_sources"
    );
    let undocumented: Vec<_> = source.difference(&docs).collect();
    let stale: Vec<_> = docs.difference(&source).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "codes emitted but not in docs/check.md: {undocumented:?}\ncodes in docs/check.md that nothing emits: {stale:?}"
    );
}

// The tokenizer keeps strings, lifetimes, chars and comments apart (the scan relies on it).
#[test]
fn source_scan_tokenizer_sees_strings_not_comments() {
    let toks = tokens(
        "fn f<'a>(code: &'static str) { g('(', \"x-y\", r#\"a\"b\"#); } // h(\"no\")\n/* \"no\" */",
    );
    let strings: Vec<&Tok> = toks.iter().filter(|t| matches!(t, Tok::Str(_))).collect();
    assert_eq!(strings, [&Tok::Str("x-y".into()), &Tok::Str("a\"b".into())]);
    assert!(
        is_code("unknown-key") && is_code("symlink") && !is_code("Unknown") && !is_code("a--b")
    );
}
