//! Loading: goal files from text into the model. Parsing works on bytes handed in by the
//! caller, so the same code reads the working tree or a blob from any git commit.

mod config;
pub mod diagnostic;
pub mod edit;
pub mod fields;
mod format;
mod frontmatter;
pub mod ids;
mod kpi;
mod objective;
mod paths;
pub mod schema;

pub use config::CONFIG_FILE;
pub use frontmatter::{split as split_front_matter, FrontMatter, SplitError};
pub use objective::ObjectivePath;
pub use paths::{goal_path_kind, refuses_link, GoalPathKind, NotRead, NotReadKind};

use crate::model::{Config, GoalSet, Kpi, Objective};
use diagnostic::{Diagnostic, Severity};
use fields::{check_table, Ctx, KPI_FIELDS, OBJECTIVE_FIELDS};
use std::collections::BTreeMap;
use toml::de::DeTable;
use toml::Spanned;

/// A file handed to the loader: its path relative to the goal root and its raw bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a path under the goal root holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Objective {
        period: String,
        team: String,
        slug: String,
    },
    Kpi {
        slug: String,
    },
}

/// The result of parsing one file.
#[derive(Debug, Clone, Default)]
pub struct ParsedFile {
    pub objective: Option<Objective>,
    pub kpi: Option<Kpi>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything loaded from one revision.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    pub goals: GoalSet,
    /// Sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// File texts by path, for drawing diagnostics.
    pub sources: BTreeMap<String, String>,
    /// Entries of the goal folders that were not read (symbolic links, look-alikes).
    pub not_read: Vec<NotRead>,
}

impl Loaded {
    /// This revision as one side of a semantic diff.
    pub fn side(&self) -> crate::model::diff::Side<'_> {
        crate::model::diff::Side {
            goals: &self.goals,
            config: &self.config,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Replaces each objective whose file has errors by its version in `base`, its last
    /// good state (kept as it is when `base` has none): a value that does not pass `check`,
    /// such as `kind = "comitted"` read as the default kind, must never read as a change,
    /// let alone a goalpost move. The history walk applies the same rule
    /// (docs/scoring.md, "Broken files").
    pub fn keep_last_good(&mut self, base: &Loaded) {
        let broken: std::collections::BTreeSet<&str> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.file.as_str())
            .collect();
        if broken.is_empty() {
            return;
        }
        let last_good: Vec<&Objective> = base
            .goals
            .objectives
            .iter()
            .filter(|o| broken.contains(o.file.as_str()))
            .collect();
        let had_good = |file: &str| last_good.iter().any(|o| o.file == file);
        let objectives = &mut self.goals.objectives;
        objectives.retain(|o| !broken.contains(o.file.as_str()) || !had_good(&o.file));
        for old in last_good {
            let id = old.qualified_id();
            if !objectives.iter().any(|o| o.qualified_id() == id) {
                objectives.push(old.clone());
            }
        }
        objectives.sort_by_key(Objective::qualified_id);
    }
}

/// Parses `goalpost.toml` text (absent: defaults).
pub fn parse_config(text: Option<&str>) -> (Config, Vec<Diagnostic>) {
    text.map_or_else(|| (Config::default(), Vec::new()), config::parse)
}

/// Decides what a path holds; `None` for files goalpost does not read (README.md, images,
/// anything [`goal_path_kind`] does not call a goal file).
pub fn classify(path: &str, config: &Config) -> Option<Result<FileKind, &'static str>> {
    if goal_path_kind(path) != GoalPathKind::Goal {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s).to_string();
    if let Some(rest) = strip_dir(path, &config.kpi_dir) {
        return Some(if rest.contains('/') {
            Err("KPI files live directly in the KPI folder: kpis/<slug>.toml")
        } else {
            Ok(FileKind::Kpi { slug: stem })
        });
    }
    let rest = strip_dir(path, &config.goals_dir)?;
    let parts: Vec<&str> = rest.split('/').collect();
    if parts.len() < 3 {
        return Some(Err(
            "objective files live at goals/<period>/<team>/<slug>.md",
        ));
    }
    Some(Ok(FileKind::Objective {
        period: parts[0].to_string(),
        team: parts[1..parts.len() - 1].join("/"),
        slug: stem,
    }))
}

fn strip_dir<'a>(path: &'a str, dir: &str) -> Option<&'a str> {
    path.strip_prefix(dir)?.strip_prefix('/')
}

/// Parses TOML, reporting every syntax error; `None` when the text is not valid TOML.
pub(crate) fn parse_toml<'i>(ctx: &mut Ctx, toml: &'i str) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(toml);
    for e in &errors {
        let span = ctx.span(e.span().unwrap_or(0..0));
        let message = e.message().trim().replace('\n', "; ");
        ctx.error("toml-syntax", span, format!("invalid TOML: {message}"));
    }
    errors.is_empty().then_some(table)
}

/// Decodes bytes as UTF-8, reporting the first invalid byte's position.
fn decode<'a>(path: &str, bytes: &'a [u8], diags: &mut Vec<Diagnostic>) -> Option<&'a str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = diagnostic::line_col(valid, valid.len());
            diags.push(Diagnostic {
                severity: Severity::Error,
                code: "invalid-utf8",
                message: format!("file is not valid UTF-8 (byte {})", e.valid_up_to()),
                file: path.to_string(),
                line,
                column,
                help: Some("save the file as UTF-8".into()),
                related: Vec::new(),
                span: valid.len()..valid.len(),
            });
            None
        }
    }
}

/// Parses one goal file of a known kind.
pub fn parse_file(path: &str, kind: &FileKind, bytes: &[u8], config: &Config) -> ParsedFile {
    let mut out = ParsedFile::default();
    if let FileKind::Objective { period, team, slug } = kind {
        check_path_segments(path, &mut out.diagnostics, period, team, slug, config);
    }
    let Some(text) = decode(path, bytes, &mut out.diagnostics) else {
        return out;
    };
    let markdown = path.ends_with(".md");
    let (toml, base, body) = if markdown {
        match frontmatter::split(text) {
            Ok(fm) => (fm.toml, fm.base, Some(fm.body)),
            Err(e) => {
                let d = Diagnostic::at(Severity::Error, e.code, path, text, e.span, e.message);
                out.diagnostics.push(d.with_help(e.help));
                return out;
            }
        }
    } else {
        (text, 0, None)
    };
    let mut ctx = Ctx {
        file: path,
        text,
        base,
        diags: &mut out.diagnostics,
        lines: Default::default(),
    };
    let Some(table) = parse_toml(&mut ctx, toml) else {
        return out;
    };
    // The document "header" is the opening `+++` line, or the first line of a .toml file.
    let doc_span = if markdown { 0..3 } else { 0..0 };
    match kind {
        FileKind::Objective { period, team, slug } => {
            let doc = check_table(&mut ctx, table.get_ref(), doc_span, OBJECTIVE_FIELDS);
            let path = ObjectivePath {
                period: period.clone(),
                team: team.clone(),
                slug: slug.clone(),
            };
            out.objective = Some(objective::build(
                &mut ctx,
                &doc,
                &path,
                body,
                &config.periods,
            ));
        }
        FileKind::Kpi { slug } => {
            ids::check_segment(&mut ctx, "KPI file name", slug, 0..0, false);
            let doc = check_table(&mut ctx, table.get_ref(), doc_span, KPI_FIELDS);
            out.kpi = Some(kpi::build(&mut ctx, &doc, slug, body));
        }
    }
    out
}

/// Checks the period, team and slug a path names; reported at line 1 of the file, since
/// the problem is the file's place, not its content.
fn check_path_segments(
    path: &str,
    diags: &mut Vec<Diagnostic>,
    period: &str,
    team: &str,
    slug: &str,
    config: &Config,
) {
    let mut ctx = Ctx {
        file: path,
        text: "",
        base: 0,
        diags,
        lines: Default::default(),
    };
    if let Err(e) = config.periods.resolve(period) {
        ctx.error("bad-period", 0..0, e.to_string());
    }
    for segment in team.split('/') {
        ids::check_segment(&mut ctx, "team folder", segment, 0..0, false);
    }
    ids::check_segment(&mut ctx, "file name", slug, 0..0, false);
}

/// Loads a whole revision: configuration, every goal file, and the diagnostics of each.
/// Cross-file checks (duplicates, parents) are the `check` module's job.
pub fn load(config_text: Option<&[u8]>, files: Vec<SourceFile>) -> Loaded {
    let mut loaded = Loaded::default();
    let config_str = config_text.and_then(|b| decode(CONFIG_FILE, b, &mut loaded.diagnostics));
    let (config, diags) = parse_config(config_str);
    if let Some(text) = config_str {
        loaded
            .sources
            .insert(CONFIG_FILE.to_string(), text.to_string());
    }
    loaded.diagnostics.extend(diags);
    for file in files {
        let kind = match classify(&file.path, &config) {
            None => continue,
            Some(Ok(kind)) => kind,
            Some(Err(why)) => {
                loaded.diagnostics.push(Diagnostic::at(
                    Severity::Error,
                    "bad-path",
                    &file.path,
                    "",
                    0..0,
                    why,
                ));
                continue;
            }
        };
        let parsed = parse_file(&file.path, &kind, &file.bytes, &config);
        loaded.diagnostics.extend(parsed.diagnostics);
        loaded.goals.objectives.extend(parsed.objective);
        loaded.goals.kpis.extend(parsed.kpi);
        loaded
            .sources
            .insert(file.path, String::from_utf8_lossy(&file.bytes).into_owned());
    }
    loaded
        .goals
        .objectives
        .sort_by_key(|o| (o.qualified_id(), o.file.clone()));
    loaded
        .goals
        .kpis
        .sort_by(|a, b| (&a.id, &a.file).cmp(&(&b.id, &b.file)));
    loaded.config = config;
    diagnostic::normalize(&mut loaded.diagnostics);
    loaded
}

/// Like [`load`], for a listing that also names the entries not read: a symbolic link
/// where a goal file would be is an error naming it (goalpost never reads through links,
/// in the working tree or in git), and the list is kept for `check`'s look-alike warning.
pub fn load_listing(
    config_text: Option<&[u8]>,
    files: Vec<SourceFile>,
    not_read: Vec<NotRead>,
) -> Loaded {
    let mut loaded = load(config_text, files);
    for entry in &not_read {
        if entry.kind == NotReadKind::Symlink {
            loaded
                .diagnostics
                .push(paths::symlink_diagnostic(&entry.path));
        }
    }
    loaded.not_read = not_read;
    diagnostic::normalize(&mut loaded.diagnostics);
    loaded
}
