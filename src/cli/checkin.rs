//! `checkin`: one key result or KPI from the command line, or a batch with `--from`.

use super::out;
use crate::app::checkin::{self, CheckinRequest, CommitOutcome};
use crate::error::Error;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct CheckinArgs {
    /// A key result (`<team>/<slug>#<kr>`, `<period>/<team>/<slug>#<kr>`) or a KPI id.
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    id: Option<String>,
    /// The new value: a number (negative ones too), or done / not-done for a milestone.
    /// Optional with --confidence or --note.
    #[arg(allow_negative_numbers = true)]
    value: Option<String>,
    /// What happened: kept in the file on a dated check-in (--date, or a note without a
    /// value), otherwise in the commit message. With --from, each row has its own.
    #[arg(long, conflicts_with = "from")]
    note: Option<String>,
    /// Your confidence of reaching the target, 0..1 (key results only). With --from, each
    /// row has its own.
    #[arg(long, conflicts_with = "from")]
    confidence: Option<f64>,
    /// Record a dated check-in (YYYY-MM-DD) instead of changing the value in place. With
    /// --from, each row has its own.
    #[arg(long, value_name = "DATE", conflicts_with = "from")]
    date: Option<String>,
    /// The period, when the id is not qualified and exists in several (default: the one
    /// containing the check-in's date); with --from, for every row
    #[arg(long)]
    period: Option<String>,
    /// Check in every row of FILE (CSV `id,value,confidence,note,date`, or a JSON array of
    /// objects with those keys; `-` reads standard input). All rows are checked first.
    #[arg(long, value_name = "FILE")]
    from: Option<String>,
    /// Commit the check-ins alone, in one commit (made on HEAD's version of the files),
    /// with a conventional message; git's identity, configuration, hooks and signing apply.
    #[arg(long)]
    commit: bool,
}

pub fn run(dir: &Path, args: CheckinArgs) -> Result<u8, Error> {
    let root = crate::app::workspace::find_root(dir)?;
    let rows = match (&args.from, args.id) {
        (Some(from), _) => checkin::read_rows(dir, from, args.period.as_deref())?,
        (None, id) => {
            let date = args
                .date
                .as_deref()
                .map(|d| {
                    d.parse::<jiff::civil::Date>().map_err(|_| {
                        Error::Usage(format!("--date `{d}` is not a date (YYYY-MM-DD)"))
                    })
                })
                .transpose()?;
            let req = CheckinRequest {
                id: id.unwrap_or_default(),
                value: args.value,
                note: args.note,
                confidence: args.confidence,
                date,
                period: args.period,
            };
            vec![(0, req)]
        }
    };
    let done = checkin::checkin(&root, &rows, args.commit)?;
    // A warning, not a failure: a measurement that arrives late is real.
    for late in &done.late {
        out::eprint_line(&format!(
            "warning: {} ended on {}: checking in `{}` now changes its final result, and `goalpost review` will flag that as a result changed after the period ended",
            late.period,
            late.ended,
            late.ids.join("`, `")
        ));
    }
    let mut text = String::new();
    for edit in &done.edits {
        for r in &edit.recipes {
            let _ = writeln!(text, "{}: {} {}", edit.path, r.id, r.summary);
        }
    }
    match &done.commit {
        Some(CommitOutcome::Committed(c)) => {
            let _ = writeln!(text, "committed {}", c.short());
            if c.other_changes_left {
                text.push_str("note: your other changes to these files were left uncommitted\n");
            }
        }
        Some(CommitOutcome::AlreadyInHead) => {
            text.push_str("HEAD already holds these values: nothing to commit\n");
        }
        None => {
            let lost = done
                .edits
                .iter()
                .flat_map(|e| &e.recipes)
                .any(|r| r.message_note.is_some());
            if lost {
                text.push_str("note: a note without --date is kept in the commit message; without --commit it was not recorded\n");
            }
        }
    }
    out::print(&text)?;
    Ok(0)
}
