//! `history <id>`: every change to one objective, key result or KPI.

use super::common::{
    check_qualifier, in_period_containing, open_repo, read_history, resolve_period, HistoryOptions,
};
use crate::error::Error;
use crate::history::{History, ItemHistory};
use crate::model::ids::{missing_in_period, periods_of, resolve_id};
use crate::report::history::{build, HistoryReport};
use std::path::Path;

#[derive(Debug, Clone)]
pub struct HistoryCmdOptions {
    /// An objective, a key result or a KPI id, qualified with its period or not.
    pub id: String,
    /// The period, when the id is not qualified and exists in several periods (default:
    /// the one containing the analysed commit's date, if any).
    pub period: Option<String>,
    pub history: HistoryOptions,
}

fn find<'h>(
    history: &'h History,
    args: &HistoryCmdOptions,
) -> Result<(String, &'static str, &'h ItemHistory, Option<String>), Error> {
    let period = args.period.as_deref();
    if let Some(p) = period {
        let periods = periods_of(history.objectives.keys().map(String::as_str));
        resolve_period(&history.config, p, &periods)?;
    }
    let map = if args.id.contains('#') {
        &history.key_results
    } else {
        &history.objectives
    };
    let kind = if args.id.contains('#') {
        "key_result"
    } else {
        "objective"
    };
    // Like `status`, "now" is the analysed commit's time: the output depends on the commit only.
    let head_time = history.head.as_ref().map(|c| c.time).unwrap_or_default();
    let today = head_time
        .to_zoned_datetime(history.config.tz().clone())
        .date();
    let prefer = in_period_containing(&history.config, today);
    let found = resolve_id(map.keys().map(String::as_str), &args.id, period, prefer)
        .map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(id) = found {
        let title = title_of(history, id);
        return Ok((id.to_string(), kind, &map[id], title));
    }
    if let Some((id, item)) = history.kpis.get_key_value(&args.id) {
        let title = history
            .goals
            .kpis
            .iter()
            .find(|k| &k.id == id)
            .map(|k| k.title.clone());
        return Ok((id.clone(), "kpi", item, title));
    }
    // With --period, say whether the period is empty or the id is in other periods only.
    let why = period.and_then(|p| missing_in_period(map.keys().map(String::as_str), &args.id, p));
    if let Some(why) = why {
        return Err(Error::Usage(why.to_string()));
    }
    // `2026-Q9/t/a#k`: the period is impossible, which says more than "no such id".
    let objective = args.id.split_once('#').map_or(args.id.as_str(), |(o, _)| o);
    check_qualifier(
        &history.config,
        history.objectives.keys().map(String::as_str),
        objective,
    )?;
    let hint = suggest(map.keys().chain(history.kpis.keys()), &args.id)
        .map(|s| format!("\nhelp: did you mean `{s}`?"))
        .unwrap_or_default();
    Err(Error::Usage(format!(
        "no objective, key result or KPI `{}` in the history of {}{hint}",
        args.id, args.history.rev
    )))
}

/// The known id closest to `wanted`, comparing with and without the period.
fn suggest<'a>(keys: impl Iterator<Item = &'a String>, wanted: &str) -> Option<&'a String> {
    let keys: Vec<&String> = keys.collect();
    let forms: Vec<(&str, &String)> = keys
        .iter()
        .flat_map(|k| {
            [
                Some((k.as_str(), *k)),
                k.split_once('/').map(|(_, rest)| (rest, *k)),
            ]
        })
        .flatten()
        .collect();
    let names: Vec<&str> = forms.iter().map(|(f, _)| *f).collect();
    let best = crate::load::fields::closest(wanted, &names)?;
    forms.iter().find(|(f, _)| *f == best).map(|(_, k)| *k)
}

fn title_of(history: &History, id: &str) -> Option<String> {
    let (objective, kr) = match id.split_once('#') {
        Some((o, k)) => (o, Some(k)),
        None => (id, None),
    };
    let o = history.goals.objective(objective)?;
    match kr {
        Some(k) => o.key_result(k).map(|kr| kr.title.clone()),
        None => Some(o.title.clone()),
    }
}

pub fn run(dir: &Path, args: &HistoryCmdOptions) -> Result<HistoryReport, Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, &args.history)?;
    // The whole history is asked for: a shallow boundary cuts it.
    history.require_since(jiff::Timestamp::MIN, args.history.allow_shallow)?;
    let (id, kind, item, title) = find(&history, args)?;
    Ok(build(&history, &id, kind, item, title))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Suggestions compare ids with and without their period.
    #[test]
    fn suggestions() {
        let keys = ["2026-Q4/t/a#k".to_string(), "2026-Q4/t/a#m".to_string()];
        assert_eq!(
            suggest(keys.iter(), "t/a#kk").map(String::as_str),
            Some("2026-Q4/t/a#k")
        );
    }
}
