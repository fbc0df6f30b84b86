//! Authoring: `init` a goal repository, `new` objectives and KPIs from templates, and
//! `checkin` values, all without touching files the user did not name.

use crate::error::Error;
use crate::load;
use crate::load::schema::SchemaKind;
use std::path::{Path, PathBuf};

/// The built-in templates for new files; a repository's `templates/new/<name>` wins.
const OBJECTIVE_TEMPLATE: &str = include_str!("../../templates/new/objective.md");
const KPI_TEMPLATE: &str = include_str!("../../templates/new/kpi.toml");

/// Values a new file is made from.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub title: String,
    pub owner: String,
    pub parent: Option<String>,
}

/// Renders a file template (through the site module, the template engine's one user).
fn render(template: &str, values: &NewFile) -> Result<String, Error> {
    crate::site::templates::render_new_file(
        template,
        &values.title,
        &values.owner,
        values.parent.as_deref(),
    )
}

/// The repository's own template if it has one, else the built-in.
/// Never read through a symbolic link: a link could copy any file into the new goal file.
fn template(root: &Path, name: &str, builtin: &str) -> Result<String, Error> {
    let rel = format!("templates/new/{name}");
    match crate::app::workspace::read_inside(root, &rel)? {
        Some(bytes) => {
            String::from_utf8(bytes).map_err(|_| Error::Usage(format!("{rel} is not valid UTF-8")))
        }
        None => Ok(builtin.to_string()),
    }
}

/// Creates `path` with `text`, refusing to overwrite anything; atomic, so a failed write
/// (a full disk) leaves no empty file that would block a retry.
fn create(path: &Path, text: &str) -> Result<(), Error> {
    crate::safe_fs::write_new(path, text.as_bytes())
}

/// Checks a rendered goal file parses without errors before it is written.
fn validate(rel: &str, text: &str, config: &crate::model::Config) -> Result<(), Error> {
    let Some(Ok(kind)) = load::classify(rel, config) else {
        return Err(Error::Usage(format!("{rel} is not where goal files live")));
    };
    let parsed = load::parse_file(rel, &kind, text.as_bytes(), config);
    match parsed.diagnostics.iter().find(|d| d.is_error()) {
        Some(d) => Err(Error::Usage(format!(
            "the template makes an invalid file: {}:{}:{}: {}",
            d.file, d.line, d.column, d.message
        ))),
        None => Ok(()),
    }
}

/// The current calendar quarter, e.g. `2026-Q4`.
pub fn current_quarter() -> String {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

/// A title from a slug: `enterprise-sso` → `Enterprise sso`.
fn title_from(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// The repository's configuration (from `goalpost.toml` alone: no goal file is read).
fn repo_config(root: &Path) -> Result<crate::model::Config, Error> {
    let path = root.join(load::CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    Ok(load::parse_config(Some(&text)).0)
}

/// Which schema a `.toml` goal file at `rel` follows (`None` for `.md` files, whose front
/// matter no TOML editor validates).
fn schema_kind(rel: &str, config: &crate::model::Config) -> Option<SchemaKind> {
    if !rel.ends_with(".toml") {
        return None;
    }
    match load::classify(rel, config)? {
        Ok(load::FileKind::Kpi { .. }) => Some(SchemaKind::Kpi),
        Ok(load::FileKind::Objective { .. }) => Some(SchemaKind::Objective),
        Err(_) => None,
    }
}

/// Where a `#:schema` directive in the file `rel` (relative to the goal root) points: the
/// repository's `schemas/<file>` relative to the file's own folder, which is how Taplo
/// resolves it, so it works from any working directory; the published schema when the
/// repository has no `schemas/` copy.
pub fn schema_target(root: &Path, rel: &str, kind: SchemaKind) -> String {
    let local = format!("schemas/{}", kind.file_name());
    if !root.join(&local).is_file() {
        return load::schema::published_url(kind);
    }
    match rel.matches('/').count() {
        0 => format!("./{local}"),
        depth => format!("{}{local}", "../".repeat(depth)),
    }
}

/// `text` with Taplo's `#:schema` directive as its first line, unless it has one.
fn with_schema_directive(root: &Path, rel: &str, kind: SchemaKind, text: String) -> String {
    if text.lines().any(|l| l.trim_start().starts_with("#:schema")) {
        return text;
    }
    format!("#:schema {}\n{text}", schema_target(root, rel, kind))
}

/// Renders the template `name`, checks the result parses, and creates `rel` with it.
fn write_from_template(
    root: &Path,
    rel: &str,
    name: &str,
    builtin: &str,
    values: &NewFile,
    config: &crate::model::Config,
) -> Result<PathBuf, Error> {
    let mut text = render(&template(root, name, builtin)?, values)?;
    if let Some(kind) = schema_kind(rel, config) {
        text = with_schema_directive(root, rel, kind, text);
    }
    validate(rel, &text, config)?;
    // A linked folder on the way (`goals/2026-Q4/team -> /elsewhere`) would put the file
    // outside the repository: refuse it by name, as `check` does.
    if let Some(link) = super::workspace::linked_component(root, rel)? {
        return Err(Error::Usage(format!(
            "{link} is a symbolic link: goalpost never writes through one; make it a real folder"
        )));
    }
    let path = root.join(rel);
    create(&path, &text)?;
    Ok(path)
}

/// Writes a new objective at `goals/<period>/<team>/<slug>.md`; returns its path.
pub fn new_objective(
    root: &Path,
    id: &str,
    period: &str,
    owner: &str,
    title: Option<&str>,
    parent: Option<&str>,
) -> Result<PathBuf, Error> {
    let config = repo_config(root)?;
    config
        .periods
        .resolve(period)
        .map_err(|e| Error::Usage(e.to_string()))?;
    let (team, slug) = id
        .rsplit_once('/')
        .ok_or_else(|| Error::Usage(format!("`{id}` needs a team and a slug: <team>/<slug>")))?;
    if !id.split('/').all(load::ids::is_safe_segment) {
        return Err(Error::Usage(format!(
            "`{id}` cannot be used as a path: use letters, digits, `-`, `_` and `.`"
        )));
    }
    let rel = format!("{}/{period}/{team}/{slug}.md", config.goals_dir);
    let values = NewFile {
        title: title.map_or_else(|| title_from(slug), str::to_string),
        owner: owner.to_string(),
        parent: parent.map(str::to_string),
    };
    write_from_template(
        root,
        &rel,
        "objective.md",
        OBJECTIVE_TEMPLATE,
        &values,
        &config,
    )
}

/// Writes a new KPI at `kpis/<slug>.toml`; returns its path.
pub fn new_kpi(
    root: &Path,
    slug: &str,
    owner: &str,
    title: Option<&str>,
) -> Result<PathBuf, Error> {
    let config = repo_config(root)?;
    if !load::ids::is_safe_segment(slug) {
        return Err(Error::Usage(format!(
            "`{slug}` cannot be used as a file name"
        )));
    }
    let rel = format!("{}/{slug}.toml", config.kpi_dir);
    let values = NewFile {
        title: title.map_or_else(|| title_from(slug), str::to_string),
        owner: owner.to_string(),
        parent: None,
    };
    write_from_template(root, &rel, "kpi.toml", KPI_TEMPLATE, &values, &config)
}

const CONFIG_TEMPLATE: &str = r#"#:schema ./schemas/goalpost.json
# goalpost: goals as plain text in git. Every key is optional.
[site]
title = "Our goals"

[goals]
dir = "goals"            # objective files: goals/<period>/<team>/<slug>.md
kpi_dir = "kpis"         # KPI files: kpis/<slug>.toml

[scoring]
success = 0.7            # score at which an aspirational objective counts as achieved

[status]
stale_after_days = 14    # a key result without a check-in for this long is stale

# Named periods besides calendar quarters (2026-Q4):
# [[periods]]
# name = "FY27-H1"
# start = 2026-07-01
# end = 2026-12-31
"#;

/// The pre-commit configuration: this repository's `goalpost-check` hook at the tag of the
/// running version (`.pre-commit-hooks.yaml`; pre-commit builds it with cargo, once).
fn pre_commit() -> String {
    format!(
        "# Validate goal files before every commit (https://pre-commit.com): `pre-commit install`.\n\
         # The hook builds goalpost {version} from source once (it needs Rust and a C compiler).\n\
         repos:\n  - repo: {repo}\n    rev: v{version}\n    hooks:\n      - id: goalpost-check\n",
        repo = env!("CARGO_PKG_REPOSITORY"),
        version = env!("CARGO_PKG_VERSION"),
    )
}

const TAPLO: &str = r#"# Editor validation of goalpost's TOML files with Taplo (VS Code: Even Better TOML).
#
# Every .toml file that `goalpost init` and `goalpost new` write starts with a `#:schema`
# line naming schemas/ relative to the file itself: Taplo follows it from any folder, with
# or without this file. The rules below cover .toml goal files without such a line. Taplo
# reads this file only in the folder it runs in (the editor's workspace folder, or the
# current folder of `taplo check`), and resolves the patterns and paths below from there.
#
# Taplo reads TOML files only: the +++ front matter of .md objectives (the default format)
# is not validated by it. `goalpost check` validates it, and the pre-commit hook runs that.
[[rule]]
include = ["**/goals/**/*.toml"]
[rule.schema]
path = "./schemas/objective.json"

[[rule]]
include = ["**/kpis/*.toml"]
[rule.schema]
path = "./schemas/kpi.json"

[[rule]]
include = ["**/goalpost.toml"]
[rule.schema]
path = "./schemas/goalpost.json"
"#;

fn codeowners(team: &str) -> String {
    format!(
        "# Who reviews which goals. GitHub reads this file at the repository root, in .github/ or\n# in docs/: move it there if the goal root is a sub-folder, and prefix the paths.\n# One line per team folder; the team's leads approve its objectives.\n/goals/*/{team}/ @your-org/{team}-leads\n/kpis/ @your-org/goal-owners\n/goalpost.toml @your-org/goal-owners\n"
    )
}

/// What `init` did with each file.
pub struct InitReport {
    pub root: PathBuf,
    pub created: Vec<String>,
    pub kept: Vec<String>,
    pub git_initialised: bool,
}

/// Creates a goal repository in `dir`: configuration, one example objective, a CODEOWNERS
/// hint, a pre-commit hook entry, and JSON Schemas wired for Taplo. Existing files are kept.
pub fn init(dir: &Path, team: &str, owner: &str) -> Result<InitReport, Error> {
    if dir.join(load::CONFIG_FILE).exists() {
        return Err(Error::Usage(format!(
            "{} already has a goalpost.toml",
            dir.display()
        )));
    }
    if !load::ids::is_safe_segment(team) {
        return Err(Error::Usage(format!(
            "team `{team}` cannot be used as a folder name"
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut report = InitReport {
        root: dir.to_path_buf(),
        created: Vec::new(),
        kept: Vec::new(),
        git_initialised: false,
    };
    let schema =
        |kind| serde_json::to_string_pretty(&load::schema::schema(kind)).unwrap_or_default() + "\n";
    // The schemas first: the `#:schema` lines of the files after them point at them.
    let mut files: Vec<(String, String)> =
        [SchemaKind::Objective, SchemaKind::Kpi, SchemaKind::Config]
            .into_iter()
            .map(|kind| (format!("schemas/{}", kind.file_name()), schema(kind)))
            .collect();
    files.extend([
        (load::CONFIG_FILE.to_string(), CONFIG_TEMPLATE.to_string()),
        ("CODEOWNERS".to_string(), codeowners(team)),
        (".pre-commit-config.yaml".to_string(), pre_commit()),
        (".taplo.toml".to_string(), TAPLO.to_string()),
    ]);
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            report.kept.push(rel);
        } else {
            create(&path, &text)?;
            report.created.push(rel);
        }
    }
    let example = new_objective(
        dir,
        &format!("{team}/first-objective"),
        &current_quarter(),
        owner,
        Some("Describe the outcome you want"),
        None,
    )?;
    report.created.push(
        example
            .strip_prefix(dir)
            .unwrap_or(&example)
            .to_string_lossy()
            .replace('\\', "/"),
    );
    if !crate::history::writer::is_inside_repository(dir) {
        crate::history::writer::RepoWriter::init(dir)?;
        report.git_initialised = true;
    }
    Ok(report)
}

/// Files for `load::load` from the working tree (a helper for commands that edit).
pub fn working_tree(root: &Path) -> Result<crate::load::Loaded, Error> {
    Ok(crate::app::workspace::read_workspace(root)?.load())
}

/// What `new` makes; owners default to git's `user.name`, periods to the current quarter.
#[derive(Debug, Clone)]
pub enum NewOptions {
    Objective {
        /// `<team>/<slug>`.
        id: String,
        period: Option<String>,
        owner: Option<String>,
        title: Option<String>,
        parent: Option<String>,
    },
    Kpi {
        slug: String,
        owner: Option<String>,
        title: Option<String>,
    },
}

/// Creates the file `what` describes in the goal root found from `dir`; its path.
pub fn run(dir: &Path, what: NewOptions) -> Result<PathBuf, Error> {
    let root = super::workspace::find_root(dir)?;
    let owner_or_git =
        |owner: Option<String>| owner.unwrap_or_else(|| crate::history::git_cli::git_user(&root));
    match what {
        NewOptions::Objective {
            id,
            period,
            owner,
            title,
            parent,
        } => {
            let period = period.unwrap_or_else(current_quarter);
            new_objective(
                &root,
                &id,
                &period,
                &owner_or_git(owner),
                title.as_deref(),
                parent.as_deref(),
            )
        }
        NewOptions::Kpi { slug, owner, title } => {
            new_kpi(&root, &slug, &owner_or_git(owner), title.as_deref())
        }
    }
}
