//! `remind`: per owner, the key results that are stale or have had no check-in this
//! period, from the status report's own figures (staleness and status are the model's
//! rules, not recomputed here). Text, Markdown with @mentions for a GitHub issue, JSON.

use super::escape::{markdown, markdown_code, terminal};
use super::status::StatusReport;
use crate::model::clock::local_datetime;
use crate::model::forecast::{period_bounds, PeriodPhase, Status};
use crate::model::people::{is_github_handle, Person};
use crate::model::Period;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct RemindReport {
    pub period: String,
    pub as_of: Timestamp,
    /// `not_started`, `running` or `ended` at `as_of`: check-ins are due only while the
    /// period runs, so `owners` is empty otherwise.
    pub period_state: PeriodPhase,
    /// The period's first and last day, for the message when it is not running.
    #[serde(skip)]
    pub period_start: jiff::civil::Date,
    #[serde(skip)]
    pub period_end: jiff::civil::Date,
    pub owners: Vec<OwnerReminder>,
    /// The repository's zone (`[site] timezone`): text shows times in it.
    #[serde(skip)]
    pub tz: jiff::tz::TimeZone,
}

#[derive(Debug, Serialize)]
pub struct OwnerReminder {
    pub owner: String,
    /// The owner's GitHub handle from `[people]`, when it follows GitHub's rules.
    pub handle: Option<String>,
    pub items: Vec<ReminderItem>,
}

#[derive(Debug, Serialize)]
pub struct ReminderItem {
    /// `<period>/<team>/<slug>#<kr>`: what `checkin` takes.
    pub id: String,
    pub title: String,
    /// Whole days since the last update; `null` when it was never updated.
    pub days_since_update: Option<i64>,
    pub status: Status,
    /// The status report found it stale (`[status] stale_after_days`).
    #[serde(skip)]
    pub stale: bool,
    /// A milestone: its check-in is `done`, not a number.
    #[serde(skip)]
    pub milestone: bool,
}

impl ReminderItem {
    /// The value placeholder of the suggested `checkin` command.
    fn value_hint(&self) -> &'static str {
        if self.milestone {
            "<done/not-done>"
        } else {
            "<value>"
        }
    }
}

/// The reminders of `status` (the report of `period`): while the period runs, a key result
/// is listed when it is not done and is stale, or has had no update since the period
/// began. Before it starts nothing is due yet; once it has ended nothing is due any more
/// (a check-in then is late: `review` flags it).
pub fn build(
    status: &StatusReport,
    period: &Period,
    people: Option<&BTreeMap<String, Person>>,
) -> RemindReport {
    let phase = PeriodPhase::of(period, status.as_of);
    let start = period_bounds(period).0;
    let mut by_owner: BTreeMap<&str, Vec<ReminderItem>> = BTreeMap::new();
    let objectives = match phase {
        PeriodPhase::Running => status.objectives.as_slice(),
        PeriodPhase::NotStarted | PeriodPhase::Ended => &[],
    };
    for o in objectives {
        for kr in &o.key_results {
            let updated_this_period = kr.last_update.is_some_and(|t| t >= start);
            let due = kr.status != Status::Done && (kr.stale || !updated_this_period);
            if !due {
                continue;
            }
            let short = kr.id.rsplit_once('#').map_or("", |(_, k)| k);
            by_owner.entry(&kr.owner).or_default().push(ReminderItem {
                id: format!("{}#{short}", o.qualified_id),
                title: kr.title.clone(),
                days_since_update: kr.days_since_update,
                status: kr.status,
                stale: kr.stale,
                milestone: kr.done.is_some(),
            });
        }
    }
    let owners = by_owner
        .into_iter()
        .map(|(owner, mut items)| {
            items.sort_by(|a, b| a.id.cmp(&b.id));
            let handle = people
                .and_then(|p| p.get(owner))
                .and_then(|p| p.github.clone())
                .filter(|h| is_github_handle(h));
            OwnerReminder {
                owner: owner.to_string(),
                handle,
                items,
            }
        })
        .collect();
    RemindReport {
        period: status.period.clone(),
        as_of: status.as_of,
        period_state: phase,
        period_start: period.start,
        period_end: period.end,
        owners,
        tz: status.tz.clone(),
    }
}

impl RemindReport {
    /// Why no key result is listed, given the period's name as the output kind shows it.
    fn nothing_due(&self, period: &str) -> String {
        match self.period_state {
            PeriodPhase::NotStarted => format!(
                "{period} has not started (it begins on {}): nothing is due yet.",
                self.period_start
            ),
            PeriodPhase::Running => {
                "Nothing is due: every key result has a recent check-in.".to_string()
            }
            PeriodPhase::Ended => format!(
                "{period} ended on {}: nothing is due any more. A check-in for it now is late: it changes the period's final result, and `goalpost review` flags it as a result changed after the period ended.",
                self.period_end
            ),
        }
    }
}

fn ago(days: Option<i64>) -> String {
    match days {
        None => "never updated".into(),
        Some(0) => "updated today".into(),
        Some(d) => format!("{} since the last update", super::plural(d, "day")),
    }
}

impl super::Render for RemindReport {
    fn text(&self, _style: super::Style) -> Option<String> {
        let mut out = format!(
            "Check-ins due in {} (as of {})\n",
            terminal(&self.period),
            local_datetime(self.as_of, &self.tz)
        );
        if self.owners.is_empty() {
            out.push_str(&format!(
                "\n{}\n",
                self.nothing_due(&terminal(&self.period))
            ));
        }
        for o in &self.owners {
            let handle = o
                .handle
                .as_deref()
                .map(|h| format!(" (@{h})"))
                .unwrap_or_default();
            out.push_str(&format!("\n{}{handle}\n", terminal(&o.owner)));
            for i in &o.items {
                out.push_str(&format!(
                    "  {}  {}  [{}, {}]\n    goalpost checkin {} {}\n",
                    terminal(&i.id),
                    terminal(&i.title),
                    i.status.label(),
                    ago(i.days_since_update),
                    terminal(&i.id),
                    i.value_hint(),
                ));
            }
        }
        Some(out)
    }

    fn markdown(&self) -> Option<String> {
        let mut out = format!(
            "## Check-ins due in {}\n\nAs of {}. Key results that are stale or have had no check-in this period, by owner.\n",
            markdown(&self.period),
            local_datetime(self.as_of, &self.tz)
        );
        if self.owners.is_empty() {
            out.push_str(&format!(
                "\n{}\n",
                self.nothing_due(&markdown(&self.period))
            ));
        }
        for o in &self.owners {
            // The mention is intended: the handle passed GitHub's user name rules.
            let who = match &o.handle {
                Some(h) => format!("@{h} ({})", markdown(&o.owner)),
                None => markdown(&o.owner),
            };
            out.push_str(&format!("\n### {who}\n\n| Key result | Status | Last update | Check in |\n|---|---|---|---|\n"));
            for i in &o.items {
                out.push_str(&format!(
                    "| {} {} | {} | {} | `goalpost checkin {} {}` |\n",
                    markdown_code(&i.id),
                    markdown(&i.title),
                    i.status.label(),
                    ago(i.days_since_update),
                    code_text(&i.id),
                    i.value_hint(),
                ));
            }
        }
        out.push_str("\n<!-- goalpost-remind -->\n");
        Some(out)
    }

    super::serde_json_render!();
}

/// An id inside our own code span: only characters that cannot end it or break the table.
fn code_text(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_./#".contains(c) {
                c
            } else {
                '?'
            }
        })
        .collect()
}
