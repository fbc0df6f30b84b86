//! Periods: calendar quarters `YYYY-QN`, or named periods declared in `goalpost.toml`.

use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub name: String,
    pub start: Date,
    /// Inclusive last day.
    pub end: Date,
}

impl Period {
    /// Parses a calendar quarter such as `2026-Q4` (2026-10-01 … 2026-12-31).
    pub fn quarter(name: &str) -> Option<Period> {
        let (year, q) = name.split_once("-Q")?;
        if year.len() != 4 || q.len() != 1 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i16 = year.parse().ok()?;
        let q: i8 = q.parse().ok()?;
        if !(1..=4).contains(&q) || year < 1000 {
            return None;
        }
        let start = Date::new(year, (q - 1) * 3 + 1, 1).ok()?;
        let next = start.checked_add(jiff::Span::new().months(3)).ok()?;
        let end = next.yesterday().ok()?;
        Some(Period {
            name: name.to_string(),
            start,
            end,
        })
    }

    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// Length in days, counting both ends.
    pub fn days(&self) -> i64 {
        i64::from((self.end - self.start).get_days()) + 1
    }
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
                "`{name}` is not a period: use a quarter like `2026-Q4` or declare it under [[periods]] in goalpost.toml"
            ),
        }
    }
}

/// The named periods a repository declares; quarters are always available.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodSet {
    pub named: Vec<Period>,
}

impl PeriodSet {
    pub fn resolve(&self, name: &str) -> Result<Period, PeriodError> {
        if let Some(p) = self.named.iter().find(|p| p.name == name) {
            return Ok(p.clone());
        }
        Period::quarter(name).ok_or_else(|| PeriodError::Unknown(name.to_string()))
    }

    /// The period containing `date`, preferring a declared period, then the calendar quarter.
    pub fn containing(&self, date: Date, candidates: &[String]) -> Option<Period> {
        candidates
            .iter()
            .filter_map(|name| self.resolve(name).ok())
            .filter(|p| p.contains(date))
            .min_by_key(|p| (p.days(), p.name.clone()))
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
}
