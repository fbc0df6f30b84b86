//! Authoring commands: `init`, `new`.

use super::out;
use crate::app;
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
