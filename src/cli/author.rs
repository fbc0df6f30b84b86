//! Authoring commands: `init`, `new`, `checkin`.

use super::out;
use crate::app::{self, checkin};
use crate::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder for the new goal repository (default: the current folder).
    #[arg(value_name = "DIR")]
    path: Option<PathBuf>,
    /// Name of the first team folder.
    #[arg(long, default_value = "team")]
    team: String,
    /// Owner of the example objective.
    #[arg(long, default_value = "owner")]
    owner: String,
}

pub fn init(dir: &Path, args: InitArgs) -> Result<u8, Error> {
    let target = args.path.map_or_else(|| dir.to_path_buf(), |d| dir.join(d));
    let report = app::new::init(&target, &args.team, &args.owner)?;
    let mut text = format!("Created a goal repository in {}\n", report.root.display());
    for f in &report.created {
        let _ = writeln!(text, "  created  {f}");
    }
    for f in &report.kept {
        let _ = writeln!(text, "  kept     {f} (already there)");
    }
    if report.git_initialised {
        text.push_str("  initialised a git repository (branch main)\n");
    }
    text.push_str("\nNext: edit the example objective, run `goalpost check`, and commit.\n");
    out::print(&text)?;
    Ok(0)
}

#[derive(Debug, clap::Subcommand)]
pub enum NewKind {
    /// A new objective at goals/<period>/<team>/<slug>.md.
    Objective {
        /// `<team>/<slug>`; the team may be nested (`platform/identity/sso`).
        id: String,
        /// The period (default: the current calendar quarter).
        #[arg(long)]
        period: Option<String>,
        /// Who is accountable (default: git's user.name).
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Qualified id of the objective this aligns to.
        #[arg(long)]
        parent: Option<String>,
    },
    /// A new KPI at kpis/<slug>.toml.
    Kpi {
        slug: String,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    kind: NewKind,
}

pub fn new(dir: &Path, args: NewArgs) -> Result<u8, Error> {
    let what = match args.kind {
        NewKind::Objective {
            id,
            period,
            owner,
            title,
            parent,
        } => app::new::NewOptions::Objective {
            id,
            period,
            owner,
            title,
            parent,
        },
        NewKind::Kpi { slug, owner, title } => app::new::NewOptions::Kpi { slug, owner, title },
    };
    let path = app::new::run(dir, what)?;
    out::print(&format!("created {}\n", path.display()))?;
    Ok(0)
}

#[derive(Debug, clap::Args)]
pub struct CheckinArgs {
    /// The key result: `<team>/<slug>#<kr>` or `<period>/<team>/<slug>#<kr>`.
    kr: String,
    /// The new value: a number, or done / not-done for a milestone.
    value: String,
    /// What happened (in the commit message, or the dated check-in's note).
    #[arg(long)]
    note: Option<String>,
    /// Your confidence of reaching the target, 0..1.
    #[arg(long)]
    confidence: Option<f64>,
    /// Record a dated check-in (YYYY-MM-DD) instead of changing `current`.
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// The period, when the id is not qualified and exists in several.
    #[arg(long)]
    period: Option<String>,
    /// Commit this check-in alone (made on HEAD's version of the file), with a conventional
    /// message; git's identity, configuration, hooks and signing apply.
    #[arg(long)]
    commit: bool,
}

pub fn checkin(dir: &Path, args: CheckinArgs) -> Result<u8, Error> {
    let root = crate::app::workspace::find_root(dir)?;
    let date = args
        .date
        .as_deref()
        .map(|d| {
            d.parse::<jiff::civil::Date>()
                .map_err(|_| Error::Usage(format!("--date `{d}` is not a date (YYYY-MM-DD)")))
        })
        .transpose()?;
    let req = checkin::CheckinRequest {
        kr: args.kr,
        value: args.value,
        note: args.note,
        confidence: args.confidence,
        date,
        period: args.period,
    };
    let done = checkin::checkin(&root, &req, args.commit)?;
    let edit = &done.edit;
    let mut text = format!("{}: {} = {}\n", edit.path, edit.kr, edit.value);
    match &done.commit {
        Some(checkin::CommitOutcome::Committed(c)) => {
            let _ = writeln!(text, "committed {}", c.short());
            if c.other_changes_left {
                let _ = writeln!(
                    text,
                    "note: your other changes to {} were left uncommitted",
                    edit.path
                );
            }
        }
        Some(checkin::CommitOutcome::AlreadyInHead) => {
            text.push_str("HEAD already holds this value: nothing to commit\n");
        }
        None => {}
    }
    out::print(&text)?;
    Ok(0)
}
