//! Check-ins into a period that has already ended: they change its final result, which
//! `review` flags as a result changed after the period ended, so `checkin` warns (and
//! still records them: a measurement that arrives late is real).

use super::FileEdit;
use crate::model::forecast::PeriodPhase;
use crate::model::Config;

/// A period that has ended, and the check-ins made into it that change its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatePeriod {
    pub period: String,
    /// Its last day.
    pub ended: jiff::civil::Date,
    pub ids: Vec<String>,
}

/// The check-ins among `edits` that change a result of a period that has ended at `now`
/// (the period's phase is the model's rule), grouped by period: `review` will flag each
/// as a result changed after the period ended. A confidence alone changes no result.
pub fn late_periods(config: &Config, edits: &[FileEdit], now: jiff::Timestamp) -> Vec<LatePeriod> {
    let mut late: Vec<LatePeriod> = Vec::new();
    // A file the check-ins leave as it was changes nothing.
    let changed = edits.iter().filter(|e| e.old != e.new);
    let recipes = changed.flat_map(|e| &e.recipes);
    for r in recipes.filter(|r| r.changes_result()) {
        let Some(period) = r
            .period
            .as_deref()
            .and_then(|p| config.periods.resolve(p).ok())
        else {
            continue;
        };
        if PeriodPhase::of(&period, now) != PeriodPhase::Ended {
            continue;
        }
        match late.iter_mut().find(|l| l.period == period.name) {
            Some(l) => l.ids.push(r.id.clone()),
            None => late.push(LatePeriod {
                period: period.name,
                ended: period.end,
                ids: vec![r.id.clone()],
            }),
        }
    }
    late
}
