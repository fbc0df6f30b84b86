//! How a moment is shown to people: in the repository's zone (`[site] timezone`, UTC by
//! default), with the zone named. The site, the terminal and the Markdown reports all use
//! these, so a check-in's time and day read the same in every view.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// `2026-11-24 15:10 UTC`, or `2026-11-24 16:10 CET` in Europe/Oslo.
pub fn local_datetime(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// A text column of [`local_datetime`]s: each padded to the widest of `times`, so rows in
/// winter and summer time (`CET`, `CEST`) line up, and a report in one zone name (`UTC`)
/// gets no padding at all.
pub struct DatetimeColumn<'z> {
    tz: &'z TimeZone,
    width: usize,
}

impl<'z> DatetimeColumn<'z> {
    /// The column for `times` shown in `tz`.
    pub fn new(times: impl IntoIterator<Item = Timestamp>, tz: &'z TimeZone) -> Self {
        let width = times
            .into_iter()
            .map(|t| local_datetime(t, tz).chars().count())
            .max()
            .unwrap_or(0);
        DatetimeColumn { tz, width }
    }

    /// `t`, padded to the column's width.
    pub fn cell(&self, t: Timestamp) -> String {
        format!("{:<w$}", local_datetime(t, self.tz), w = self.width)
    }
}

/// The day `t` falls on in the repository's zone.
pub fn local_date(t: Timestamp, tz: &TimeZone) -> jiff::civil::Date {
    t.to_zoned_datetime(tz.clone()).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    // A late-evening UTC check-in is the next day in Oslo: the day is the zone's.
    #[test]
    fn times_are_shown_in_the_repository_zone() {
        let t: Timestamp = "2026-11-24T23:30:00Z".parse().unwrap();
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        assert_eq!(local_datetime(t, &TimeZone::UTC), "2026-11-24 23:30 UTC");
        assert_eq!(local_datetime(t, &oslo), "2026-11-25 00:30 CET");
        assert_eq!(local_date(t, &oslo).to_string(), "2026-11-25");
    }

    // Text columns after the time stay aligned when summer and winter time rows mix.
    #[test]
    fn summer_and_winter_time_rows_line_up() {
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        let winter: Timestamp = "2026-01-10T12:00:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-10T12:00:00Z".parse().unwrap();
        let column = DatetimeColumn::new([winter, summer], &oslo);
        let (w, s) = (column.cell(winter), column.cell(summer));
        assert!(w.contains("CET ") && s.contains("CEST"), "{w} / {s}");
        assert_eq!(w.chars().count(), s.chars().count());
        // One zone name: no padding.
        let zone = TimeZone::UTC;
        let utc = DatetimeColumn::new([winter, summer], &zone);
        assert_eq!(utc.cell(winter), "2026-01-10 12:00 UTC");
    }
}
