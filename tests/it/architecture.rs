//! The layers of docs/architecture.md hold: every `crate::<module>` edge in `src/` is allowed
//! by the page's dependency table, the modules form no cycle, and git2, the `git` binary,
//! minijinja and clap stay inside their one layer. The table is read from the page, so the
//! page and the code cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The "Allowed dependencies" table: module → the modules it may use.
fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("doc");
    let section = doc
        .split("### Allowed dependencies")
        .nth(1)
        .expect("docs/architecture.md has an \"Allowed dependencies\" section");
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split(',')
            .map(|s| s.trim().trim_matches('`').to_string())
            .filter(|s| !s.is_empty() && s != "—")
            .collect()
    };
    let mut table = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
        assert_eq!(cells.len(), 2, "table row: {line}");
        let module = cells[0].trim().trim_matches('`').to_string();
        table.insert(module, names(cells[1]));
    }
    assert!(table.len() >= 5, "no table found: {table:?}");
    table
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The top-level module a file of `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root().join("src")).expect("under src");
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The code of a file without comments and without its unit-test module (which may build
/// fixtures with any layer): everything before the first `#[cfg(test)]`.
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("read");
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or("");
    before_tests
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules named as `crate::<module>` in `code`.
fn crate_edges(code: &str) -> BTreeSet<String> {
    code.match_indices("crate::")
        .map(|(i, m)| {
            code[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|m| !m.is_empty())
        .collect()
}

/// Every file's module and code, once.
fn sources() -> Vec<(PathBuf, String, String)> {
    rust_files(&root().join("src"))
        .into_iter()
        .filter_map(|p| {
            let module = module_of(&p)?;
            let code = code(&p);
            Some((p, module, code))
        })
        .collect()
}

/// A cycle in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

// Every `crate::` edge between top-level modules is in the table, every module of src/ has
// a row, and neither the table nor the code has a cycle (issue 10: two cycles crept in).
#[test]
fn issue_10_module_edges_follow_the_architecture_table_without_cycles() {
    let table = allowed();
    assert_eq!(find_cycle(&table), None, "the table itself has a cycle");
    let mut actual: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (path, module, code) in sources() {
        let Some(may) = table.get(&module) else {
            wrong.push(format!(
                "module `{module}` has no row in docs/architecture.md"
            ));
            continue;
        };
        for target in crate_edges(&code) {
            if target == module {
                continue;
            }
            if !may.contains(&target) {
                wrong.push(format!(
                    "{}: `{module}` uses `crate::{target}`, which the table does not allow",
                    path.display()
                ));
            }
            actual.entry(module.clone()).or_default().insert(target);
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(find_cycle(&actual), None, "the modules have a cycle");
}

// git2, gix and the `git` binary only in history/, minijinja only in site/, clap only in
// cli/.
#[test]
fn issue_10_git_templates_and_clap_stay_in_their_layer() {
    let rules: [(&str, &[&str]); 3] = [
        ("history", &["git2", "gix_", "Command::new(\"git\")"]),
        ("site", &["minijinja"]),
        ("cli", &["clap"]),
    ];
    let mut wrong = Vec::new();
    for (path, module, code) in sources() {
        for (owner, needles) in rules {
            for needle in needles {
                if module != owner && code.contains(needle) {
                    wrong.push(format!("{}: `{needle}` outside {owner}/", path.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// The checker finds what it should: a cycle, and edges in a line of code.
#[test]
fn architecture_checker_sees_edges_and_cycles() {
    let edges = crate_edges("use crate::model::{Objective};\nlet x = crate::load::edit::f();");
    assert_eq!(
        edges.into_iter().collect::<Vec<_>>(),
        ["load".to_string(), "model".to_string()]
    );
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert!(find_cycle(&graph).is_some());
}
