//! Time travel over a walked history: the objectives as known at a time (the version in
//! force then, with its broken-file marker) and each key result's evidence for the verdict
//! rules of `model::verdict` (its series with the start and target in force at each point,
//! its creation, its confidence and when it was set).
//!
//! Uses `model` only; reads what `build.rs` recorded.

use super::{History, PointValue, Version};
use crate::model::verdict::{KrEvidence, KrKind, Reading};
use crate::model::{KeyResult, Measure, Objective};
use jiff::Timestamp;

/// The last of `versions` (in commit order) made at or before `t`.
fn in_force(versions: &[Version], t: Timestamp) -> Option<&Version> {
    versions.iter().rfind(|v| v.time <= t)
}

/// `(start, target)` of a key result: its own for a metric, 0 and 1 for a milestone.
fn bounds(kr: &KeyResult) -> (f64, f64) {
    match kr.measure {
        Measure::Metric { start, target, .. } => (start, target),
        Measure::Milestone { .. } => (0.0, 1.0),
    }
}

impl History {
    /// The version of objective `qualified_id` in force at `t`.
    pub fn version_at(&self, qualified_id: &str, t: Timestamp) -> Option<&Version> {
        in_force(self.versions.get(qualified_id)?, t)
    }

    /// Every objective of `period` as known at `t` (existing then), sorted by qualified id,
    /// with the version it is in. Only that period's versions are looked at (and so
    /// decoded, when read from the index): a qualified id starts with the period and a `/`.
    pub fn period_objectives_at(&self, period: &str, t: Timestamp) -> Vec<(&Objective, &Version)> {
        let prefix = format!("{period}/");
        self.versions
            .range(prefix.clone()..)
            .take_while(|(id, _)| id.starts_with(&prefix))
            .filter_map(|(_, vs)| {
                let v = in_force(vs, t)?;
                Some((v.objective.as_deref()?, v))
            })
            .filter(|(o, _)| o.period == period)
            .collect()
    }

    /// Each version of objective `qualified_id` up to `t` holding key result `kr_id`, with
    /// its time.
    fn kr_versions<'a>(
        &'a self,
        qualified_id: &str,
        kr_id: &'a str,
        t: Timestamp,
    ) -> impl Iterator<Item = (Timestamp, &'a KeyResult)> + 'a {
        let versions = self
            .versions
            .get(qualified_id)
            .map_or(&[][..], |v| v.as_slice());
        versions
            .iter()
            .filter(move |v| v.time <= t)
            .filter_map(move |v| Some((v.time, v.objective.as_ref()?.key_result(kr_id)?)))
    }

    /// The evidence of key result `kr_id` of objective `qualified_id` as known at `t`;
    /// `None` when the key result did not exist at `t`.
    pub fn kr_evidence(&self, qualified_id: &str, kr_id: &str, t: Timestamp) -> Option<KrEvidence> {
        let now = self.version_at(qualified_id, t)?.objective.as_ref()?;
        let kr = now.key_result(kr_id)?;
        let all: Vec<(Timestamp, &KeyResult)> = self.kr_versions(qualified_id, kr_id, t).collect();
        let created = all.first()?.0;
        let kind = match kr.measure {
            Measure::Metric { .. } => KrKind::Metric,
            Measure::Milestone { .. } => KrKind::Milestone,
        };
        // The confidence in force, when it took that value, and every later change of it.
        let mut confidence_set = None;
        let mut confidence_changes = Vec::new();
        let mut previous: Option<Option<f64>> = None;
        for (time, k) in &all {
            if previous != Some(k.confidence) {
                confidence_set = Some(*time);
                if previous.is_some() {
                    confidence_changes.push(*time);
                }
            }
            previous = Some(k.confidence);
        }
        let (start, target) = bounds(kr);
        let points = self
            .key_results
            .get(&format!("{qualified_id}#{kr_id}"))
            .map_or(&[][..], |h| h.points.as_slice());
        let readings = points
            .iter()
            .map(|p| {
                // The start and target in force at the point's time (a check-in dated before
                // the key result existed: its first ones).
                let then = all
                    .iter()
                    .rfind(|(time, _)| *time <= p.time)
                    .or(all.first());
                let (s, tg) = then.map_or((start, target), |(_, k)| bounds(k));
                let value = match (kind, p.value) {
                    (KrKind::Milestone, v) => v.as_f64(),
                    (KrKind::Metric, PointValue::Number(n)) => n,
                    (KrKind::Metric, v) => v.as_f64(),
                };
                Reading {
                    time: p.time,
                    value,
                    start: s,
                    target: tg,
                    dated: p.dated,
                }
            })
            .collect();
        Some(KrEvidence {
            kind,
            start,
            target,
            created,
            readings,
            confidence: kr.confidence,
            confidence_set: confidence_set.filter(|_| kr.confidence.is_some()),
            confidence_changes,
        })
    }

    /// When the start or target of key result `kr_id` changed, up to `t`, with the new
    /// `(start, target)` (chart marks).
    pub fn target_changes(
        &self,
        qualified_id: &str,
        kr_id: &str,
        t: Timestamp,
    ) -> Vec<(Timestamp, (f64, f64))> {
        let mut out = Vec::new();
        let mut previous = None;
        for (time, k) in self.kr_versions(qualified_id, kr_id, t) {
            let b = bounds(k);
            if previous.is_some_and(|p| p != b) {
                out.push((time, b));
            }
            previous = Some(b);
        }
        out
    }
}
