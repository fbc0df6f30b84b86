//! The old period's figures as `status` computes them from history (dated check-ins
//! included), so `rollover` and `status` agree on what was achieved, which key results are
//! finished and where each stands. Outside git (or before the first commit), the files'
//! own values.

use crate::model::verdict::finished;
use crate::model::{kr_score, objective_score, KeyResult, Measure, Objective};
use crate::report::status::{StatusQuery, StatusReport};
use std::collections::HashMap;
use std::path::Path;

pub struct Figures {
    /// Objective (qualified id) → score.
    objectives: HashMap<String, f64>,
    /// Key result (`<qualified id>#<id>`) → (score, current value of a metric).
    key_results: HashMap<String, (f64, Option<f64>)>,
}

impl Figures {
    /// The figures `status --period from` shows at HEAD, for the goal root found from `dir`
    /// (the status report alone: `status`'s count of check errors is not needed here).
    pub fn of(dir: &Path, from: &str) -> Figures {
        let options = crate::app::common::HistoryOptions {
            rev: "HEAD".into(),
            allow_shallow: true,
            no_cache: false,
        };
        let report = crate::app::common::period_history(dir, &options, Some(from), None)
            .ok()
            .map(|(_, history, period, as_of)| {
                let query = StatusQuery {
                    period: &period,
                    as_of,
                    team: None,
                    owner: None,
                };
                crate::report::status::build(&history, &query)
            });
        Figures::from_report(report.as_ref())
    }

    fn from_report(report: Option<&StatusReport>) -> Figures {
        let mut figures = Figures {
            objectives: HashMap::new(),
            key_results: HashMap::new(),
        };
        for o in report.iter().flat_map(|r| &r.objectives) {
            figures
                .objectives
                .insert(o.qualified_id.clone(), o.exact_score);
            for k in &o.key_results {
                let short = k.id.rsplit_once('#').map_or(k.id.as_str(), |(_, s)| s);
                let id = format!("{}#{short}", o.qualified_id);
                figures.key_results.insert(id, (k.score, k.current));
            }
        }
        figures
    }

    /// The objective's score.
    pub fn score(&self, o: &Objective) -> f64 {
        let own = || objective_score(&o.key_results);
        self.objectives
            .get(&o.qualified_id())
            .copied()
            .unwrap_or_else(own)
    }

    /// A key result's score and, for a metric, its current value.
    pub fn kr(&self, o: &Objective, kr: &KeyResult) -> (f64, Option<f64>) {
        let id = format!("{}#{}", o.qualified_id(), kr.id);
        self.key_results.get(&id).copied().unwrap_or_else(|| {
            let current = match kr.measure {
                Measure::Metric { current, .. } => Some(current),
                Measure::Milestone { .. } => None,
            };
            (kr_score(&kr.measure), current)
        })
    }

    /// Key results that reached their target, or done milestones: their work is over,
    /// and carrying them would open the new period with credit earned in the old one.
    pub fn finished_ids(&self, o: &Objective) -> Vec<String> {
        o.key_results
            .iter()
            .filter(|k| finished(self.kr(o, k).0))
            .map(|k| k.id.clone())
            .collect()
    }
}
