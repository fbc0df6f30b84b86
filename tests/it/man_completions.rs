//! Man pages and shell completions: `man --dir` writes a page for every subcommand, each
//! with EXIT STATUS and SEE ALSO and no link to a missing page; completions offer only the
//! `--format` values each command accepts.

use crate::support::{run_in, TestRepo};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The subcommands `<words> --help` lists (without clap's `help`).
fn subcommands(dir: &Path, words: &[&str]) -> Vec<String> {
    let mut args = words.to_vec();
    args.push("--help");
    let run = run_in(dir, &args);
    run.expect_code(0);
    let Some((_, rest)) = run.stdout.split_once("Commands:\n") else {
        return Vec::new();
    };
    rest.lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every page name the command tree should have: goalpost, goalpost-check, goalpost-new-kpi.
fn expected_pages(dir: &Path, words: &mut Vec<String>, out: &mut BTreeSet<String>) {
    let name = std::iter::once("goalpost".to_string())
        .chain(words.iter().cloned())
        .collect::<Vec<_>>()
        .join("-");
    out.insert(format!("{name}.1"));
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    for sub in subcommands(dir, &refs) {
        words.push(sub);
        expected_pages(dir, words, out);
        words.pop();
    }
}

/// `goalpost\-check(1)`-style references in a page, as file names.
fn referenced_pages(roff: &str) -> BTreeSet<String> {
    let plain = roff
        .replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fR", "");
    let mut refs = BTreeSet::new();
    for (i, _) in plain.match_indices("(1)") {
        let start = plain[..i]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |k| k + 1);
        let name = &plain[start..i];
        if name.starts_with("goalpost") {
            refs.insert(format!("{name}.1"));
        }
    }
    refs
}

// Regression (issue 13): the man page pointed to 18 goalpost-*(1) pages that did not exist.
// Every subcommand, nested ones included, gets a page; no page links to a missing one.
#[test]
fn man_pages_exist_for_every_subcommand_and_no_link_dangles() {
    let repo = TestRepo::empty();
    let dir = repo.path().join("man");
    run_in(repo.path(), &["man", "--dir", "man"]).expect_code(0);
    let written: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut expected = BTreeSet::new();
    expected_pages(repo.path(), &mut Vec::new(), &mut expected);
    assert!(expected.len() > 18, "{expected:?}");
    assert!(expected.contains("goalpost-new-objective.1"));
    assert_eq!(written, expected);
    for name in &written {
        let roff = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(roff.contains("\n.TH "), "{name} has no title");
        assert!(
            roff.contains("\n.SH \"EXIT STATUS\"\n"),
            "{name}: no EXIT STATUS"
        );
        assert!(roff.contains("\n.SH \"SEE ALSO\"\n"), "{name}: no SEE ALSO");
        let dangling: Vec<_> = referenced_pages(&roff)
            .difference(&written)
            .cloned()
            .collect();
        assert!(
            dangling.is_empty(),
            "{name} points to missing pages {dangling:?}"
        );
    }
    // Without --dir the top page is printed, the same as goalpost.1.
    let top = run_in(repo.path(), &["man"]);
    top.expect_code(0);
    assert_eq!(
        top.stdout,
        std::fs::read_to_string(dir.join("goalpost.1")).unwrap()
    );
}

// The exit codes on each page are the ones the command has: only check and review exit 1.
#[test]
fn man_pages_give_each_command_its_exit_codes() {
    let repo = TestRepo::empty();
    run_in(repo.path(), &["man", "--dir", "man"]).expect_code(0);
    let section = |name: &str| {
        let roff = repo.read(&format!("man/{name}.1"));
        let start = roff.find(".SH \"EXIT STATUS\"").unwrap();
        let end = roff[start..].find(".SH \"SEE ALSO\"").unwrap() + start;
        roff[start..end].to_string()
    };
    for name in ["goalpost-check", "goalpost-review"] {
        let s = section(name);
        assert!(
            s.contains("\\fB0\\fR") && s.contains("\\fB1\\fR") && s.contains("\\fB2\\fR"),
            "{name}: {s}"
        );
    }
    for name in ["goalpost-status", "goalpost-new-kpi", "goalpost-man"] {
        let s = section(name);
        assert!(
            s.contains("\\fB0\\fR") && s.contains("\\fB2\\fR"),
            "{name}: {s}"
        );
        assert!(!s.contains("\\fB1\\fR"), "{name} claims exit code 1: {s}");
    }
}

// The pages are well-formed roff: groff reads each one without a warning (when groff is
// installed; the structural checks above run everywhere).
#[test]
fn man_pages_render_without_groff_warnings() {
    let Ok(probe) = std::process::Command::new("groff")
        .arg("--version")
        .output()
    else {
        return;
    };
    assert!(probe.status.success());
    let repo = TestRepo::empty();
    run_in(repo.path(), &["man", "--dir", "man"]).expect_code(0);
    for entry in std::fs::read_dir(repo.path().join("man")).unwrap() {
        let path = entry.unwrap().path();
        let out = std::process::Command::new("groff")
            .args(["-man", "-ww", "-z"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{}: {stderr}", path.display());
    }
}

// The release workflow writes the pages with `man --dir`, the flag this binary has.
#[test]
fn release_workflow_uses_man_dir() {
    let yml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml"),
    )
    .unwrap();
    assert!(
        yml.contains("man --dir \"$name/man\""),
        "release.yml does not call man --dir"
    );
}

/// The `--format` values each command accepts (from the formats! enums in src/cli/).
fn accepted_formats() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let set = |v: &[&'static str]| v.iter().copied().collect::<BTreeSet<_>>();
    BTreeMap::from([
        ("check", set(&["text", "json", "github", "sarif"])),
        ("status", set(&["text", "json"])),
        ("history", set(&["text", "json"])),
        ("log", set(&["text", "json"])),
        ("diff", set(&["text", "json", "markdown"])),
        ("compare", set(&["text", "json", "markdown"])),
        ("review", set(&["markdown", "json", "github"])),
    ])
}

/// The words of a completion script's value list for `--format` in one command's part.
fn values_after(part: &str, marker: &str, end: char) -> BTreeSet<String> {
    let Some(i) = part.find(marker) else {
        return BTreeSet::new();
    };
    let rest = &part[i + marker.len()..];
    let list = &rest[..rest.find(end).unwrap_or(rest.len())];
    list.split_whitespace().map(str::to_string).collect()
}

// Regression (issue 13): completions offered every --format value for every command.
#[test]
fn completions_offer_only_the_formats_each_command_accepts() {
    let repo = TestRepo::empty();
    let script = |shell: &str| {
        let run = run_in(repo.path(), &["completions", shell]);
        run.expect_code(0);
        run.stdout
    };
    let (bash, zsh, fish) = (script("bash"), script("zsh"), script("fish"));
    for (cmd, formats) in accepted_formats() {
        let want: BTreeSet<String> = formats.iter().map(|s| s.to_string()).collect();
        // bash: the `goalpost__subcmd__<cmd>)` case, then the words of `--format)`'s compgen.
        let part = bash
            .split(&format!("goalpost__subcmd__{cmd})\n"))
            .nth(1)
            .expect(cmd);
        let part = &part[..part.find("\n            ;;").unwrap_or(part.len())];
        let part = &part[part.find("--format)").expect(cmd)..];
        assert_eq!(values_after(part, "compgen -W \"", '"'), want, "bash {cmd}");
        // zsh: the first `(<cmd>)` arm (the second is `help <cmd>`), then
        // `'--format=[...]:FORMAT:(...)'`.
        let part = zsh.split(&format!("\n({cmd})\n")).nth(1).expect(cmd);
        let part = &part[..part.find("\n;;").unwrap_or(part.len())];
        let part = &part[part.find("'--format=").expect(cmd)..];
        assert_eq!(values_after(part, ":FORMAT:(", ')'), want, "zsh {cmd}");
        // fish: `-l format ... -a "text\t''<newline>json\t''"` under the command's condition.
        let marker = format!("using_subcommand {cmd}\" -l format");
        let part = &fish[fish.find(&marker).expect(cmd)..];
        let list = &part[part.find("-a \"").expect(cmd) + 4..];
        let list = &list[..list.find('"').unwrap_or(list.len())];
        let got: BTreeSet<String> = list
            .lines()
            .map(|l| l.split("\\t").next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(got, want, "fish {cmd}");
    }
}
