//! Typed ids, each with one `Display` and one `FromStr` (SPEC section 1):
//! [`ObjectiveId`] `<team>/<slug>` (the team may be nested), [`QualifiedId`]
//! `<period>/<team>/<slug>`, [`KrId`] `<objective>#<kr>` (the objective qualified or not),
//! and the one resolver from what a user typed to a known id ([`resolve_id`]).
//!
//! Pure; may use nothing outside `model`.

use std::fmt;
use std::str::FromStr;

/// Why text is not an id of the asked kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not {expected}")]
pub struct IdError {
    pub text: String,
    pub expected: &'static str,
}

/// `<team>/<slug>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectiveId(String);

impl ObjectiveId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The team: everything before the last `/`.
    pub fn team(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(t, _)| t)
    }
}

impl FromStr for ObjectiveId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let ok =
            s.split('/').count() >= 2 && s.split('/').all(|p| !p.is_empty()) && !s.contains('#');
        if ok {
            Ok(ObjectiveId(s.to_string()))
        } else {
            Err(IdError {
                text: s.to_string(),
                expected: "an objective id: <team>/<slug>",
            })
        }
    }
}

impl fmt::Display for ObjectiveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `<period>/<team>/<slug>`: unique across the repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedId {
    pub period: String,
    pub objective: ObjectiveId,
}

impl FromStr for QualifiedId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let err = || IdError {
            text: s.to_string(),
            expected: "a qualified objective id: <period>/<team>/<slug>",
        };
        let (period, rest) = s.split_once('/').ok_or_else(err)?;
        if period.is_empty() {
            return Err(err());
        }
        Ok(QualifiedId {
            period: period.to_string(),
            objective: rest.parse().map_err(|_| err())?,
        })
    }
}

impl fmt::Display for QualifiedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.period, self.objective)
    }
}

/// `<objective>#<kr>`, the objective as the user wrote it (qualified or not).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KrId {
    pub objective: String,
    pub kr: String,
}

impl FromStr for KrId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        match s.split_once('#') {
            Some((o, k)) if !o.is_empty() && !k.is_empty() => Ok(KrId {
                objective: o.to_string(),
                kr: k.to_string(),
            }),
            _ => Err(IdError {
                text: s.to_string(),
                expected: "a key result id: <team>/<slug>#<kr>",
            }),
        }
    }
}

impl fmt::Display for KrId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.objective, self.kr)
    }
}

/// Why what a user typed names no single known id, when the reason is not simply that
/// nothing has that id (which each command words itself, with its own suggestions).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unresolved {
    /// An unqualified id in several periods, and nothing picked one.
    #[error("`{wanted}` exists in several periods: {}\nhelp: pass the qualified id or --period", .matches.join(", "))]
    Ambiguous {
        wanted: String,
        matches: Vec<String>,
    },
    /// A qualified id whose own period is not the one `--period` names.
    #[error("`{wanted}` is qualified with period {own}, but --period says {period}\nhelp: drop --period (the id names its period), or write `{period}/{rest}`")]
    PeriodConflict {
        wanted: String,
        own: String,
        period: String,
        rest: String,
    },
    /// `--period` names a period that holds nothing known.
    #[error("period {period} has no objectives\n{}", period_help(.periods))]
    EmptyPeriod {
        period: String,
        periods: Vec<String>,
    },
    /// The id is known, in other periods only.
    #[error("period {period} has no `{wanted}`: it is in {}\nhelp: pass --period {}, or the qualified id", .periods.join(", "), .periods[0])]
    NotInPeriod {
        wanted: String,
        period: String,
        periods: Vec<String>,
    },
}

/// The periods of qualified ids (their first segment), sorted, each once.
pub fn periods_of<'a>(known: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = known
        .into_iter()
        .filter_map(|k| k.split_once('/').map(|(p, _)| p))
        .collect();
    set.into_iter().map(str::to_string).collect()
}

/// The line that lists the periods a repository has objectives in, for errors about a
/// `--period` that names none of them.
pub fn period_help(periods: &[String]) -> String {
    match periods {
        [] => "help: no period has objectives yet".into(),
        _ => format!("help: the periods with objectives: {}", periods.join(", ")),
    }
}

/// The one known qualified id (`<period>/…`, of an objective, a key result or anything
/// qualified the same way) that `wanted` names: itself when it is known, else with
/// `period`, else the only period that has it, else the one `prefer` picks among the
/// matches (the current period's: an objective rolled over keeps its id, and the weekly
/// check-in means this quarter's). `Ok(None)`: nothing matches ([`missing_in_period`]
/// says why, when a period was given). A qualified id with a different `period` is an
/// error, never a silent choice of one of the two.
pub fn resolve_id<'a>(
    known: impl IntoIterator<Item = &'a str>,
    wanted: &str,
    period: Option<&str>,
    prefer: impl FnOnce(&[&'a str]) -> Option<&'a str>,
) -> Result<Option<&'a str>, Unresolved> {
    let known: Vec<&str> = known.into_iter().collect();
    if let Some(p) = period {
        // Qualified: its first segment is a period that holds known ids.
        let own = wanted.split_once('/').filter(|(own, _)| {
            *own != p && periods_of(known.iter().copied()).iter().any(|k| k == own)
        });
        if let Some((own, rest)) = own {
            return Err(Unresolved::PeriodConflict {
                wanted: wanted.to_string(),
                own: own.to_string(),
                period: p.to_string(),
                rest: rest.to_string(),
            });
        }
    }
    if let Some(k) = known.iter().find(|k| **k == wanted) {
        return Ok(Some(k));
    }
    let in_period = |p: &str, k: &str| {
        k.strip_prefix(p)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|rest| rest == wanted)
    };
    if let Some(p) = period {
        return Ok(known.into_iter().find(|k| in_period(p, k)));
    }
    let matches: Vec<&str> = known
        .into_iter()
        .filter(|k| k.split_once('/').is_some_and(|(_, rest)| rest == wanted))
        .collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => prefer(many).map(Some).ok_or_else(|| Unresolved::Ambiguous {
            wanted: wanted.to_string(),
            matches: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

/// Why [`resolve_id`] found nothing for `wanted` in `period`: the period holds no known id
/// at all, or `wanted` is known in other periods only. `None` when it is known nowhere.
pub fn missing_in_period<'a>(
    known: impl IntoIterator<Item = &'a str>,
    wanted: &str,
    period: &str,
) -> Option<Unresolved> {
    let known: Vec<&str> = known.into_iter().collect();
    let periods = periods_of(known.iter().copied());
    if !periods.iter().any(|p| p == period) {
        return Some(Unresolved::EmptyPeriod {
            period: period.to_string(),
            periods,
        });
    }
    let elsewhere = periods_of(
        known
            .into_iter()
            .filter(|k| k.split_once('/').is_some_and(|(_, rest)| rest == wanted)),
    );
    (!elsewhere.is_empty()).then(|| Unresolved::NotInPeriod {
        wanted: wanted.to_string(),
        period: period.to_string(),
        periods: elsewhere,
    })
}

/// The first segment of `wanted` when it reads as a period qualifying an objective id,
/// but `is_period` says it is none: `wanted` has a team and a slug after it, nothing known
/// has it as its id's team, and either what follows it is a known objective (in some
/// period) or it begins with a year (`2026-Q9`, `2026-H3`), as no team is expected to.
/// `None` when `wanted` is better read as an unqualified id (`team/slug`).
pub fn bad_qualifier<'a, 'w>(
    known: impl IntoIterator<Item = &'a str>,
    wanted: &'w str,
    is_period: impl Fn(&str) -> bool,
) -> Option<&'w str> {
    let (first, rest) = wanted.split_once('/')?;
    if is_period(first) || rest.parse::<ObjectiveId>().is_err() {
        return None;
    }
    let mut rest_known = false;
    for k in known {
        let Some((_, unqualified)) = k.split_once('/') else {
            continue;
        };
        // A known team `first/…` (teams may be nested): `wanted` is an unqualified id.
        if unqualified.split('/').next() == Some(first) {
            return None;
        }
        rest_known |= unqualified == rest;
    }
    let year_like = first.len() >= 4 && first.bytes().take(4).all(|b| b.is_ascii_digit());
    (rest_known || year_like).then_some(first)
}

/// A parent reference as the objective's qualified id and the key result, if one is named.
pub fn split_parent(parent: &str) -> (&str, Option<&str>) {
    match parent.split_once('#') {
        Some((o, kr)) => (o, Some(kr)),
        None => (parent, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each id prints as it parses.
    #[test]
    fn ids_round_trip() {
        let q = "2026-Q4/platform/identity/sso";
        let parsed: QualifiedId = q.parse().unwrap();
        assert_eq!(parsed.to_string(), q);
        assert_eq!(parsed.objective.team(), "platform/identity");
        assert_eq!("t/a#k".parse::<KrId>().unwrap().to_string(), "t/a#k");
        assert!("t".parse::<ObjectiveId>().is_err());
        assert!("t/a".parse::<KrId>().is_err());
    }

    // Exact ids win; `--period` picks one; an unqualified id must be unique, or be in the
    // current period.
    #[test]
    fn resolving_ids() {
        let known = ["2026-Q3/t/a", "2026-Q4/t/a", "2026-Q4/t/b"];
        let none = |_: &[&str]| None;
        assert_eq!(
            resolve_id(known, "2026-Q3/t/a", None, none),
            Ok(Some("2026-Q3/t/a"))
        );
        assert_eq!(
            resolve_id(known, "t/a", Some("2026-Q4"), none),
            Ok(Some("2026-Q4/t/a"))
        );
        assert_eq!(
            resolve_id(known, "t/b", None, |_| Some("2026-Q3/t/a")),
            Ok(Some("2026-Q4/t/b"))
        );
        assert_eq!(resolve_id(known, "t/c", None, none), Ok(None));
        assert!(resolve_id(known, "t/a", None, none).is_err());
        assert_eq!(
            resolve_id(known, "t/a", None, |m| m.first().copied()),
            Ok(Some("2026-Q3/t/a"))
        );
    }

    // A qualified id with another --period is an error naming both periods, known or not;
    // with its own period it resolves as usual.
    #[test]
    fn qualified_id_against_another_period() {
        let known = ["2026-Q3/t/a", "2026-Q4/t/a", "2026-Q4/t/b"];
        let none = |_: &[&str]| None;
        for wanted in ["2026-Q3/t/a", "2026-Q3/t/zz"] {
            let err = resolve_id(known, wanted, Some("2026-Q4"), none).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains("period 2026-Q3") && text.contains("--period says 2026-Q4"),
                "{text}"
            );
        }
        assert_eq!(
            resolve_id(known, "2026-Q4/t/b", Some("2026-Q4"), none),
            Ok(Some("2026-Q4/t/b"))
        );
    }

    // Nothing found in a period: the period is empty (the known ones are listed), or the
    // id lives in other periods only, or it is unknown everywhere (the caller's words).
    #[test]
    fn why_nothing_was_found_in_a_period() {
        let known = ["2026-Q3/t/a", "2026-Q4/t/b"];
        let empty = missing_in_period(known, "t/a", "2027-Q1")
            .unwrap()
            .to_string();
        assert!(
            empty.contains("period 2027-Q1 has no objectives")
                && empty.contains("2026-Q3, 2026-Q4"),
            "{empty}"
        );
        let elsewhere = missing_in_period(known, "t/a", "2026-Q4")
            .unwrap()
            .to_string();
        assert!(
            elsewhere.contains("period 2026-Q4 has no `t/a`: it is in 2026-Q3"),
            "{elsewhere}"
        );
        assert_eq!(missing_in_period(known, "t/zz", "2026-Q4"), None);
    }

    // `2026-Q9/t/a` is a bad period, not an unknown objective; `t/a`, `t/zz` and a known
    // nested team `t/x/y` are ids, and `sales/t/a`'s `sales` is no year.
    #[test]
    fn a_qualifier_that_is_no_period() {
        let known = ["2026-Q3/t/a", "2026-Q4/t/x/y"];
        let is_period = |p: &str| p.starts_with("2026-Q") && p != "2026-Q9";
        let bad = |w| bad_qualifier(known, w, is_period);
        assert_eq!(bad("2026-Q9/t/a"), Some("2026-Q9"));
        assert_eq!(bad("2026-Q9/t/zz"), Some("2026-Q9"));
        assert_eq!(bad("Q9/t/a"), Some("Q9"));
        for id in ["t/a", "t/zz", "t/x/y", "2026-Q3/t/zz", "sales/t/b"] {
            assert_eq!(bad(id), None, "{id}");
        }
    }
}
