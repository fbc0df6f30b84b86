//! `goalpost man`: the man pages (clap_mangen), with an EXIT STATUS and a SEE ALSO section
//! on every page. `--dir DIR` writes `goalpost.1` and one `goalpost-<command>.1` per
//! subcommand (nested ones too, `goalpost-new-objective.1`), so every page the SUBCOMMANDS
//! list names exists; without it the top page is printed.

use super::out;
use crate::error::Error;
use clap::CommandFactory;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write goalpost.1 and one goalpost-<command>.1 per subcommand into DIR (created if
    /// missing; pages already there are replaced) instead of printing the top page.
    // Its own id: `dir` is the global `-C DIR`, which would fill this field too.
    #[arg(long = "dir", id = "man_dir", value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(dir: &Path, args: ManArgs) -> Result<u8, Error> {
    let pages = pages();
    match args.out {
        None => out::print(&pages[0].1)?,
        Some(d) => {
            let target = dir.join(d);
            std::fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
            for (name, text) in &pages {
                let path = target.join(name);
                std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            }
            let listed: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
            out::print(&format!(
                "wrote {} man pages to {}: {}\n",
                pages.len(),
                target.display(),
                listed.join(" ")
            ))?;
        }
    }
    Ok(0)
}

/// Every page as `(file name, roff)`, the top page first, then depth first in the order
/// of the SUBCOMMANDS lists.
pub fn pages() -> Vec<(String, String)> {
    // No `help` subcommand: it would be listed as goalpost-help(1) and has no page.
    let mut top = super::Args::command().disable_help_subcommand(true);
    top.build();
    let mut pages = Vec::new();
    collect(&top, None, &mut pages);
    pages
}

fn collect(cmd: &clap::Command, parent: Option<&str>, pages: &mut Vec<(String, String)>) {
    let name = page_name(cmd);
    pages.push((format!("{name}.1"), page(cmd, &name, parent)));
    for sub in visible_subcommands(cmd) {
        collect(sub, Some(&name), pages);
    }
}

fn visible_subcommands(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands().filter(|s| !s.is_hide_set())
}

/// `goalpost`, `goalpost-check`, `goalpost-new-objective`: clap's display name after
/// `build`, which is also how clap_mangen names the pages in a SUBCOMMANDS list.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_string()
}

fn page(cmd: &clap::Command, name: &str, parent: Option<&str>) -> String {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render(&mut buf);
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    text.push_str(&exit_status(name));
    text.push_str(&see_also(cmd, name, parent));
    text
}

/// The command's exit codes, as `cli::run` and `main` produce them.
fn exit_status(name: &str) -> String {
    let result = match name {
        "goalpost-check" => Some("the goal files have errors (warnings alone exit 0)"),
        "goalpost-review" => {
            Some("the changed goal files have errors, after the comment was printed")
        }
        _ => None,
    };
    let success = match result {
        Some(_) => "Success: no errors were found.",
        None => "Success.",
    };
    let mut roff = String::from(".SH \"EXIT STATUS\"\n");
    let _ = write!(roff, ".TP\n\\fB0\\fR\n{success}\n");
    if let Some(what) = result {
        let _ = write!(roff, ".TP\n\\fB1\\fR\nThe command ran and {what}.\n");
    }
    roff.push_str(
        ".TP\n\\fB2\\fR\nThe command could not run: a wrong flag or argument, no goal \
         repository found, a git or file system error.\n",
    );
    if name == "goalpost" {
        roff.push_str(
            ".PP\nEach command's page gives its own codes; only \\fBcheck\\fR and \
             \\fBreview\\fR exit 1.\n",
        );
    }
    roff
}

/// The top page, the parent page, the subcommands' pages, and the documentation.
fn see_also(cmd: &clap::Command, name: &str, parent: Option<&str>) -> String {
    let mut refs: Vec<String> = Vec::new();
    if name != "goalpost" {
        refs.push("goalpost".into());
    }
    if let Some(p) = parent.filter(|p| *p != "goalpost") {
        refs.push(p.to_string());
    }
    refs.extend(visible_subcommands(cmd).map(page_name));
    let mut roff = String::from(".SH \"SEE ALSO\"\n");
    let links: Vec<String> = refs
        .iter()
        .map(|r| format!("\\fB{}\\fR(1)", r.replace('-', "\\-")))
        .collect();
    if !links.is_empty() {
        let _ = writeln!(roff, "{}", links.join(", "));
        roff.push_str(".PP\n");
    }
    let _ = writeln!(
        roff,
        "The README and docs/ of {}",
        env!("CARGO_PKG_REPOSITORY").replace('-', "\\-")
    );
    roff
}
