//! Trend charts: a team's hit rate by period as labelled bars (legible at any number of
//! periods), and the small trend lines of tables and tiles.

use super::{esc, fit, frame, open, position, text, y_of, Axis, D1, L, PH, PW, T};
use std::fmt::Write as _;

/// Bars of hit rates (0..1), one per period, labelled; `None` (no figure yet) draws no bar
/// and a dash. From 8 periods on, labels are turned and thinned so they never overlap.
pub fn bars(id: &str, title: &str, bars: &[(String, Option<f64>)]) -> String {
    let mut out = String::new();
    let desc: Vec<String> = bars
        .iter()
        .map(|(l, v)| match v {
            Some(v) => format!("{l}: {:.0}%", fit(*v, 0.0, 1.0) * 100.0),
            None => format!("{l}: no figure yet"),
        })
        .collect();
    let desc = if desc.is_empty() {
        "No ended period yet.".to_string()
    } else {
        desc.join(", ")
    };
    open(&mut out, id, title, &desc);
    frame(&mut out, &Axis::default(), None);
    if bars.is_empty() {
        text(
            &mut out,
            "axis",
            L + PW / 2.0,
            T + PH / 2.0,
            "middle",
            "no ended period yet",
        );
    }
    for (v, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        text(&mut out, "axis", L - 4.0, y_of(v, 1.0) + 3.0, "end", label);
    }
    let n = bars.len().max(1);
    let slot = PW / n as f64;
    let crowded = n >= 8;
    // At most about 12 turned labels fit; show every `step`-th, always the newest.
    let step = n.div_ceil(12).max(1);
    for (i, (label, v)) in bars.iter().enumerate() {
        let x = L + slot * i as f64 + slot * 0.15;
        let mid = x + slot * 0.35;
        if let Some(v) = v.map(|v| fit(v, 0.0, 1.0)) {
            let top = y_of(v, 1.0);
            let _ = write!(
                out,
                "<rect class=\"col\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                D1(x),
                D1(top),
                D1(slot * 0.7),
                D1(T + PH - top)
            );
            if !crowded || (n - 1 - i).is_multiple_of(step) {
                text(
                    &mut out,
                    "value",
                    mid,
                    (top - 3.0).max(T + 8.0),
                    "middle",
                    &format!("{:.0}%", v * 100.0),
                );
            }
        } else {
            text(&mut out, "axis", mid, T + PH - 3.0, "middle", "–");
        }
        if !(n - 1 - i).is_multiple_of(step) {
            continue;
        }
        if crowded {
            let (lx, ly) = (mid + 3.0, T + PH + 8.0);
            let _ = write!(
                out,
                "<text class=\"axis\" x=\"{lx}\" y=\"{ly}\" text-anchor=\"end\" transform=\"rotate(-40 {lx} {ly})\">{}</text>",
                esc(label),
                lx = D1(lx),
                ly = D1(ly)
            );
        } else {
            text(&mut out, "axis", mid, T + PH + 13.0, "middle", label);
        }
    }
    out.push_str("</svg>");
    out
}

/// A small trend line for tables and tiles; `label` says what it shows, with first and
/// last value, for screen readers. Values are scaled to their own range.
pub fn spark(label: &str, values: &[f64]) -> String {
    let (w, h, pad) = (80.0, 20.0, 2.0);
    let finite: Vec<f64> = values.iter().map(|v| fit(*v, -1e300, 1e300)).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut out = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(label)
    );
    let n = finite.len();
    if n > 0 {
        let step = if n > 1 {
            (w - 2.0 * pad) / (n - 1) as f64
        } else {
            0.0
        };
        let mut d = String::new();
        for (i, v) in finite.iter().enumerate() {
            let t = if hi > lo { position(*v, lo, hi) } else { 0.5 };
            let (x, y) = (pad + step * i as f64, h - pad - t * (h - 2.0 * pad));
            let (x, y) = (D1(x), D1(y));
            let _ = write!(d, "{}{x},{y}", if i == 0 { "M" } else { " L" });
        }
        let _ = write!(out, "<path class=\"actual\" d=\"{d}\"/>");
        if n == 1 {
            let _ = write!(
                out,
                "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"2\"/>",
                D1(w / 2.0),
                D1(h / 2.0)
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {

    // Issue 14: at 12 or more periods the hit-rate labels are turned and thinned, so they
    // never overlap; every period still appears in the description.
    #[test]
    fn hit_rate_labels_stay_legible_at_many_periods() {
        let bars: Vec<(String, Option<f64>)> = (0..16)
            .map(|i| (format!("20{:02}-Q{}", 20 + i / 4, i % 4 + 1), Some(0.5)))
            .collect();
        let s = super::bars("b", "t", &bars);
        let turned = s.matches("rotate(-40").count();
        assert!((6..=12).contains(&turned), "{turned} labels: {s}");
        assert!(s.contains("2023-Q4"), "the newest period is labelled");
        assert!(bars.iter().all(|(l, _)| s.contains(&format!("{l}: 50%"))));
    }
}
