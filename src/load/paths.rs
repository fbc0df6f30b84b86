//! The one rule for which paths below the goal root are goal files. The working-tree
//! reader (`check`, `new`, `diff`), the snapshot reader (`status`, `review`, `compare`)
//! and the history walk (`log`, `history`, `site`) all ask [`goal_path_kind`], so a file
//! is never a goal file to one command and invisible to another.

use crate::load::diagnostic::{Diagnostic, Severity};

/// What a path (relative to the goal root, `/`-separated) is to goalpost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalPathKind {
    /// A goal or KPI file candidate: `.md` or `.toml` (where it sits is `classify`'s call).
    Goal,
    /// A hidden file, or anything inside a hidden folder (a segment starting with `.`):
    /// editor backups, `.git`-like folders. Never read, never reported.
    Hidden,
    /// Looks like a goal file but is not read (`.MD`, `.Toml`, `.markdown`, `.yaml`,
    /// `.yml`): `check` warns, since the author probably meant it to count.
    Lookalike,
    /// Anything else (README.md, images, notes): not read.
    Other,
}

/// Extensions (lower-cased) of files that look like goal files.
const LOOKALIKE_EXTENSIONS: &[&str] = &["md", "toml", "markdown", "yaml", "yml"];

/// Classifies a path below the goal root. Pure string work: cheap enough for the hot
/// path of the history walk.
pub fn goal_path_kind(path: &str) -> GoalPathKind {
    if path.split('/').any(|segment| segment.starts_with('.')) {
        return GoalPathKind::Hidden;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return GoalPathKind::Other;
    };
    // README.md (any case) explains a folder; a `readme.toml` KPI stays a KPI.
    if stem.eq_ignore_ascii_case("README") && !ext.eq_ignore_ascii_case("toml") {
        return GoalPathKind::Other;
    }
    match ext {
        "md" | "toml" => GoalPathKind::Goal,
        _ if LOOKALIKE_EXTENSIONS
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext)) =>
        {
            GoalPathKind::Lookalike
        }
        _ => GoalPathKind::Other,
    }
}

/// Whether a symbolic link at `path` is refused (an error naming it) rather than skipped:
/// where a goal file would be, or where a folder would be (a name without an extension, such
/// as a team folder). The rule looks at the name only, so `check` (working tree) and the
/// history commands (git trees, where a link's target is never resolved) agree.
pub fn refuses_link(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match goal_path_kind(path) {
        GoalPathKind::Goal => true,
        GoalPathKind::Hidden => false,
        _ => !name.contains('.'),
    }
}

/// Why an entry of a goal folder was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReadKind {
    /// A symbolic link where a goal file (or `goalpost.toml`) would be: refused.
    Symlink,
    /// A [`GoalPathKind::Lookalike`] file: skipped, with a warning from `check`.
    Lookalike,
}

/// An entry the readers saw but did not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRead {
    pub path: String,
    pub kind: NotReadKind,
}

/// The error for a symbolic link where goalpost expected a file.
pub fn symlink_diagnostic(path: &str) -> Diagnostic {
    Diagnostic::at(
        Severity::Error,
        "symlink",
        path,
        "",
        0..0,
        "this is a symbolic link: goalpost does not read files through links",
    )
    .with_help("replace the link with the file itself (links could publish files from outside the repository)")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hidden segments anywhere win; only exact `.md`/`.toml` are goal files.
    #[test]
    fn one_rule_for_goal_paths() {
        use GoalPathKind::*;
        for (path, kind) in [
            ("goals/2026-Q4/web/a.md", Goal),
            ("kpis/nps.toml", Goal),
            ("goals/.drafts/web/a.md", Hidden),
            ("goals/2026-Q4/web/.a.md", Hidden),
            ("goals/2026-Q4/web/a.MD", Lookalike),
            ("goals/2026-Q4/web/a.markdown", Lookalike),
            ("kpis/nps.yaml", Lookalike),
            ("kpis/nps.yml", Lookalike),
            ("kpis/nps.TOML", Lookalike),
            ("goals/2026-Q4/README.md", Other),
            ("goals/2026-Q4/readme.MD", Other),
            ("kpis/readme.toml", Goal),
            ("goals/2026-Q4/web/logo.png", Other),
            ("goals/2026-Q4/web/notes", Other),
        ] {
            assert_eq!(goal_path_kind(path), kind, "{path}");
        }
    }
}
