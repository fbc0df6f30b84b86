//! Periods: calendar quarters `YYYY-QN`, calendar years `YYYY`, or named periods declared
//! in `goalpost.toml`; each in the repository's time zone (`[site] timezone`, default UTC),
//! which decides the instants its days begin and end. Which period encloses which (for
//! alignment across levels) is decided here too.

use jiff::civil::Date;
use jiff::tz::TimeZone;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub name: String,
    pub start: Date,
    /// Inclusive last day.
    pub end: Date,
    /// The zone its days are counted in.
    #[serde(with = "tz_name")]
    pub tz: TimeZone,
}

impl Period {
    /// A period of whole days from `start` to `end` (inclusive), in UTC.
    pub fn new(name: impl Into<String>, start: Date, end: Date) -> Period {
        Period {
            name: name.into(),
            start,
            end,
            tz: TimeZone::UTC,
        }
    }

    /// Parses a calendar quarter such as `2026-Q4` (2026-10-01 … 2026-12-31).
    pub fn quarter(name: &str) -> Option<Period> {
        let (year, q) = name.split_once("-Q")?;
        if q.len() != 1 {
            return None;
        }
        let year = year_number(year)?;
        let q: i8 = q.parse().ok()?;
        if !(1..=4).contains(&q) {
            return None;
        }
        let start = Date::new(year, (q - 1) * 3 + 1, 1).ok()?;
        let next = start.checked_add(jiff::Span::new().months(3)).ok()?;
        Some(Period::new(name, start, next.yesterday().ok()?))
    }

    /// Parses a calendar year such as `2026` (2026-01-01 … 2026-12-31).
    pub fn year(name: &str) -> Option<Period> {
        let year = year_number(name)?;
        let start = Date::new(year, 1, 1).ok()?;
        Some(Period::new(name, start, Date::new(year, 12, 31).ok()?))
    }

    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// Whether every day of `inner` is a day of this period (a period encloses itself).
    pub fn encloses(&self, inner: &Period) -> bool {
        self.start <= inner.start && inner.end <= self.end
    }

    /// Length in days, counting both ends.
    pub fn days(&self) -> i64 {
        i64::from((self.end - self.start).get_days()) + 1
    }
}

/// Four ASCII digits from 1000 on: the year of a `YYYY` or `YYYY-QN` name.
fn year_number(text: &str) -> Option<i16> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|y| *y >= 1000)
}

/// Why a period name is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodError {
    Unknown(String),
}

impl std::fmt::Display for PeriodError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeriodError::Unknown(name) => write!(
                f,
                "`{name}` is not a period: use a quarter like `2026-Q4`, a year like `2026`, or declare it under [[periods]] in goalpost.toml"
            ),
        }
    }
}

/// The named periods a repository declares and its time zone; quarters and years are
/// always available.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodSet {
    pub named: Vec<Period>,
    /// `[site] timezone` (UTC by default): every resolved period carries it.
    #[serde(with = "tz_name")]
    pub tz: TimeZone,
}

impl Default for PeriodSet {
    fn default() -> Self {
        PeriodSet {
            named: Vec::new(),
            tz: TimeZone::UTC,
        }
    }
}

impl PeriodSet {
    pub fn resolve(&self, name: &str) -> Result<Period, PeriodError> {
        let found = self
            .named
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .or_else(|| Period::quarter(name))
            .or_else(|| Period::year(name));
        let mut period = found.ok_or_else(|| PeriodError::Unknown(name.to_string()))?;
        period.tz = self.tz.clone();
        Ok(period)
    }

    /// The period containing `date`, preferring the shortest (a quarter over its year),
    /// then the first name.
    pub fn containing(&self, date: Date, candidates: &[String]) -> Option<Period> {
        candidates
            .iter()
            .filter_map(|name| self.resolve(name).ok())
            .filter(|p| p.contains(date))
            .min_by_key(|p| (p.days(), p.name.clone()))
    }

    /// Whether the period `outer` encloses the period `inner` (both resolvable).
    pub fn encloses(&self, outer: &str, inner: &str) -> bool {
        match (self.resolve(outer), self.resolve(inner)) {
            (Ok(o), Ok(i)) => o.encloses(&i),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Quarters map to calendar dates, including leap years; malformed names are rejected.
    #[test]
    fn quarters() {
        let q = Period::quarter("2026-Q4").unwrap();
        assert_eq!((q.start, q.end), (date(2026, 10, 1), date(2026, 12, 31)));
        let q1 = Period::quarter("2028-Q1").unwrap();
        assert_eq!(q1.end, date(2028, 3, 31));
        assert_eq!(q1.days(), 91);
        for bad in [
            "2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-Q1x", "abcd-Q1",
        ] {
            assert!(Period::quarter(bad).is_none(), "{bad}");
        }
    }

    // A year is a period of its own and encloses its quarters, not the next year's.
    #[test]
    fn years_enclose_their_quarters() {
        let y = Period::year("2026").unwrap();
        assert_eq!((y.start, y.end), (date(2026, 1, 1), date(2026, 12, 31)));
        for bad in ["26", "20266", "0999", "2026-", "２０２６"] {
            assert!(Period::year(bad).is_none(), "{bad}");
        }
        let set = PeriodSet {
            named: vec![Period::new("FY27", date(2026, 7, 1), date(2027, 6, 30))],
            ..Default::default()
        };
        assert!(set.encloses("2026", "2026-Q4"));
        assert!(set.encloses("FY27", "2026-Q4"));
        assert!(set.encloses("FY27", "2027-Q2"));
        assert!(!set.encloses("FY27", "2026-Q2"));
        assert!(!set.encloses("2027", "2026-Q4"));
        assert!(!set.encloses("2026-Q4", "2026"));
    }
}

/// A time zone as its IANA name (`None`: UTC), for the history index: jiff has no serde
/// form for a time zone. A zone without a name cannot be stored (the index is then not
/// written); an unknown name cannot be read (the index is then rebuilt).
mod tz_name {
    use jiff::tz::TimeZone;
    use serde::{de::Error as _, ser::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &TimeZone, s: S) -> Result<S::Ok, S::Error> {
        if *tz == TimeZone::UTC {
            return s.serialize_none();
        }
        match tz.iana_name() {
            Some(name) => s.serialize_some(name),
            None => Err(S::Error::custom("a time zone without an IANA name")),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(TimeZone::UTC),
            Some(name) => jiff::tz::db()
                .get(&name)
                .map_err(|_| D::Error::custom("an unknown time zone")),
        }
    }
}
