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

/// An id that names a thing in several periods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{wanted}` exists in several periods: {}\nhelp: pass the qualified id or --period", .matches.join(", "))]
pub struct Ambiguous {
    pub wanted: String,
    pub matches: Vec<String>,
}

/// The one known qualified id (`<period>/…`, of an objective, a key result or anything
/// qualified the same way) that `wanted` names: itself when it is known, else with
/// `period`, else the only period that has it, else the one `prefer` picks among the
/// matches (the current period's: an objective rolled over keeps its id, and the weekly
/// check-in means this quarter's). `Ok(None)`: nothing matches.
pub fn resolve_id<'a>(
    known: impl IntoIterator<Item = &'a str>,
    wanted: &str,
    period: Option<&str>,
    prefer: impl FnOnce(&[&'a str]) -> Option<&'a str>,
) -> Result<Option<&'a str>, Ambiguous> {
    let known: Vec<&str> = known.into_iter().collect();
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
        many => prefer(many).map(Some).ok_or_else(|| Ambiguous {
            wanted: wanted.to_string(),
            matches: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
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
}
