//! What the history-reading use cases share: which revision, "now", and the period.

use crate::error::Error;
use crate::history::{History, Repo, WalkOptions};
use crate::model::{Config, Period};
use jiff::Timestamp;
use std::path::Path;

/// Which history to read.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// The revision to analyse.
    pub rev: String,
    /// Accept a shallow clone whose history is cut, marking the output partial.
    pub allow_shallow: bool,
    /// Neither read nor write the history index.
    pub no_cache: bool,
}

impl HistoryOptions {
    pub fn head() -> Self {
        HistoryOptions {
            rev: "HEAD".into(),
            allow_shallow: false,
            no_cache: false,
        }
    }
}

/// Parses `--as-of`: YYYY-MM-DD (end of that day, UTC), an RFC 3339 time, or `today`.
pub fn parse_as_of(text: &str) -> Result<Timestamp, Error> {
    parse_as_of_in(text, &jiff::tz::TimeZone::UTC)
}

/// Parses `--as-of` with a bare date meaning the end of that day in `tz` (the
/// repository's `[site] timezone`).
pub fn parse_as_of_in(text: &str, tz: &jiff::tz::TimeZone) -> Result<Timestamp, Error> {
    if text == "today" || text == "now" {
        return Ok(Timestamp::now());
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    let date: jiff::civil::Date = text.parse().map_err(|_| {
        Error::Usage(format!(
            "`{text}` is not a date (YYYY-MM-DD), an RFC 3339 time, or `today`"
        ))
    })?;
    let next = date.tomorrow().map_err(|e| Error::Usage(e.to_string()))?;
    let end = next
        .to_zoned_datetime(tz.clone())
        .map_err(|e| Error::Usage(e.to_string()))?
        .timestamp();
    Ok(Timestamp::from_second(end.as_second() - 1).unwrap_or(end))
}

/// A bare date as the start of that day (for `--since`), else as [`parse_as_of`].
pub fn parse_start_of(text: &str) -> Result<Timestamp, Error> {
    match text.parse::<jiff::civil::Date>() {
        Ok(d) => d
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| Error::Usage(e.to_string())),
        Err(_) => parse_as_of(text),
    }
}

/// Opens the repository holding the goal root found from `dir`.
pub fn open_repo(dir: &Path) -> Result<Repo, Error> {
    let root = super::workspace::find_root(dir)?;
    Repo::open(&root)
}

/// Walks the history of the asked revision. The caller checks how far back it must reach
/// ([`History::require_since`]) once it knows the range it reports on.
pub fn read_history(repo: &Repo, options: &HistoryOptions) -> Result<History, Error> {
    let head = repo.resolve(&options.rev)?;
    let walk = WalkOptions {
        allow_shallow: options.allow_shallow,
        needed_since: None,
        progress: true,
        no_cache: options.no_cache,
    };
    repo.history(head, &walk)
}

/// The `--as-of` time, or the analysed commit's time.
pub fn as_of(asked: Option<&str>, history: &History) -> Result<Timestamp, Error> {
    match asked {
        Some(text) => parse_as_of_in(text, history.config.tz()),
        None => Ok(history.head.as_ref().map(|c| c.time).unwrap_or_default()),
    }
}

/// Resolves a period name given on the command line (a quarter, a year or a declared
/// one). The one error for a name that is not a period, in every command: it also lists
/// `periods_with_goals`, the periods that hold objectives, so the user sees what to type.
pub fn resolve_period(
    config: &Config,
    name: &str,
    periods_with_goals: &[String],
) -> Result<Period, Error> {
    config.periods.resolve(name).map_err(|e| {
        Error::Usage(format!(
            "{e}\n{}",
            crate::model::ids::period_help(periods_with_goals)
        ))
    })
}

/// When `wanted` (an objective id, qualified or not) found nothing, but reads as a
/// qualified id whose first segment is not a period (`2026-Q9/team/slug`): that error,
/// rather than "no such objective". `known` are the qualified ids that exist.
pub fn check_qualifier<'a>(
    config: &Config,
    known: impl IntoIterator<Item = &'a str>,
    wanted: &str,
) -> Result<(), Error> {
    let known: Vec<&str> = known.into_iter().collect();
    let is_period = |p: &str| config.periods.resolve(p).is_ok();
    match crate::model::ids::bad_qualifier(known.iter().copied(), wanted, is_period) {
        Some(name) => {
            resolve_period(config, name, &crate::model::ids::periods_of(known)).map(|_| ())
        }
        None => Ok(()),
    }
}

/// The asked period, or the one containing `as_of` among those with objectives, or the
/// latest with objectives, or the calendar quarter of `as_of`.
pub fn choose_period(
    config: &Config,
    periods_with_goals: &[String],
    asked: Option<&str>,
    as_of: Timestamp,
) -> Result<Period, Error> {
    if let Some(name) = asked {
        return resolve_period(config, name, periods_with_goals);
    }
    let today = as_of.to_zoned_datetime(config.tz().clone()).date();
    if let Some(p) = config.periods.containing(today, periods_with_goals) {
        return Ok(p);
    }
    let mut known: Vec<Period> = periods_with_goals
        .iter()
        .filter_map(|n| config.periods.resolve(n).ok())
        .collect();
    known.sort_by_key(|p| (p.start, p.name.clone()));
    if let Some(p) = known.into_iter().rfind(|p| p.start <= today) {
        return Ok(p);
    }
    let quarter = format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1);
    resolve_period(config, &quarter, periods_with_goals)
}

/// For an unqualified id found in several periods: the match in the period that contains
/// `date` (the shortest such period, as [`choose_period`] picks it), or none. A rolled-over
/// objective keeps its id, so "this quarter's" is what an owner means week to week.
pub fn in_period_containing<'a>(
    config: &Config,
    date: jiff::civil::Date,
) -> impl FnOnce(&[&'a str]) -> Option<&'a str> + '_ {
    move |matches| {
        let period_of = |q: &'a str| q.split_once('/').map_or(q, |(p, _)| p);
        let periods: Vec<String> = matches.iter().map(|q| period_of(q).to_string()).collect();
        let current = config.periods.containing(date, &periods)?;
        matches
            .iter()
            .copied()
            .find(|q| period_of(q) == current.name)
    }
}

/// The repository found from `dir`, its history at `options.rev`, the period asked (or the
/// one containing `as_of`) and the moment `as_of` means; the history must reach back to the
/// period's start (or a shallow clone is refused, unless allowed). What `status` and
/// `remind` both start from.
pub fn period_history(
    dir: &Path,
    options: &HistoryOptions,
    period: Option<&str>,
    asked_as_of: Option<&str>,
) -> Result<(Repo, History, Period, Timestamp), Error> {
    let repo = open_repo(dir)?;
    let mut history = read_history(&repo, options)?;
    let as_of = as_of(asked_as_of, &history)?;
    let period = choose_period(
        &history.config,
        &history.goals.period_names(),
        period,
        as_of,
    )?;
    history.require_since(
        crate::model::forecast::period_bounds(&period).0,
        options.allow_shallow,
    )?;
    Ok((repo, history, period, as_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    // A bare date means the end of that day; bad input is a usage error.
    #[test]
    fn as_of_forms() {
        assert_eq!(
            parse_as_of("2026-11-24").unwrap().to_string(),
            "2026-11-24T23:59:59Z"
        );
        assert_eq!(
            parse_as_of("2026-11-24T10:00:00Z").unwrap().to_string(),
            "2026-11-24T10:00:00Z"
        );
        assert!(parse_as_of("last tuesday").is_err());
    }
}
