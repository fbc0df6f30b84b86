//! Hand-written inline SVG charts with fixed precision (one decimal), so the same data
//! always gives the same bytes. Every chart has a <title> and <desc> for screen readers.

use std::fmt::Write as _;

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD: f64 = 8.0;

fn esc(s: &str) -> String {
    super::templates::html_text(s)
}

/// `v` clamped to `lo..=hi`, with NaN at `lo`: no coordinate can be non-finite.
fn fit(v: f64, lo: f64, hi: f64) -> f64 {
    if v.is_nan() {
        lo
    } else {
        v.clamp(lo, hi)
    }
}

fn x_of(t: f64) -> f64 {
    PAD + fit(t, 0.0, 1.0) * (W - 2.0 * PAD)
}

/// y for a value in 0..=`top` (values above are drawn at the top edge).
fn y_of(v: f64, top: f64) -> f64 {
    H - PAD - (fit(v, 0.0, top) / top) * (H - 2.0 * PAD)
}

/// Where `v` sits between `lo` and `hi` (0..1), computed on halves so that even a span
/// from -f64::MAX to f64::MAX does not overflow; the middle when the span is empty.
fn position(v: f64, lo: f64, hi: f64) -> f64 {
    let span = hi / 2.0 - lo / 2.0;
    if span > 0.0 {
        fit((v / 2.0 - lo / 2.0) / span, 0.0, 1.0)
    } else {
        0.5
    }
}

fn open(out: &mut String, id: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {W:.0} {H:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

/// The chart's plot area outline.
fn frame(out: &mut String) {
    let _ = write!(
        out,
        "<rect class=\"frame\" x=\"{PAD:.1}\" y=\"{PAD:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
        W - 2.0 * PAD,
        H - 2.0 * PAD
    );
}

/// A dot at each (x, y), already in chart coordinates.
fn markers(out: &mut String, at: impl Iterator<Item = (f64, f64)>) {
    for (x, y) in at {
        let _ = write!(
            out,
            "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\"/>"
        );
    }
}

/// A burn-up chart: progress (0..1, drawn up to 1.2) against the period's elapsed fraction,
/// the expected straight line from 0 to the objective's `goal`, a marker for "now", and a
/// dotted line at each elapsed fraction in `target_changes`.
pub fn burn_up(
    id: &str,
    title: &str,
    points: &[(f64, f64)],
    target_changes: &[f64],
    (now, goal): (f64, f64),
) -> String {
    let top = 1.2;
    let mut out = String::new();
    let last = points.last().map_or(0.0, |p| p.1);
    let mut desc = format!(
        "Progress {:.0}% at {:.0}% of the period; the dashed line is the expected progress.",
        fit(last, -1e15, 1e15) * 100.0,
        fit(now, 0.0, 1.0) * 100.0
    );
    if !target_changes.is_empty() {
        let at: Vec<String> = target_changes
            .iter()
            .map(|t| format!("{:.0}%", fit(*t, 0.0, 1.0) * 100.0))
            .collect();
        let _ = write!(
            desc,
            " The start or target changed at {} of the period (dotted lines); each point is scored against the target in force at its time.",
            at.join(", ")
        );
    }
    open(&mut out, id, title, &desc);
    frame(&mut out);
    for t in target_changes {
        let _ = write!(
            out,
            "<line class=\"target-change\" stroke-dasharray=\"1 2\" x1=\"{x:.1}\" y1=\"{PAD:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            H - PAD,
            x = x_of(*t)
        );
    }
    let _ = write!(
        out,
        "<line class=\"target\" x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
        x_of(0.0),
        x_of(1.0),
        y = y_of(1.0, top)
    );
    let _ = write!(
        out,
        "<line class=\"expected\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        x_of(0.0),
        y_of(0.0, top),
        x_of(1.0),
        y_of(goal, top)
    );
    let _ = write!(
        out,
        "<line class=\"now\" x1=\"{x:.1}\" y1=\"{PAD:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
        H - PAD,
        x = x_of(now)
    );
    if !points.is_empty() {
        // A step line: a value holds until the next one.
        let mut d = format!("M{:.1},{:.1}", x_of(points[0].0), y_of(points[0].1, top));
        for w in points.windows(2) {
            let _ = write!(d, " H{:.1} V{:.1}", x_of(w[1].0), y_of(w[1].1, top));
        }
        let _ = write!(d, " H{:.1}", x_of(now.max(points[points.len() - 1].0)));
        let _ = write!(out, "<path class=\"actual\" d=\"{d}\"/>");
        markers(
            &mut out,
            points.iter().map(|(t, v)| (x_of(*t), y_of(*v, top))),
        );
    }
    out.push_str("</svg>");
    out
}

/// A KPI series (times as fractions of the shown span, values as they are) with the green
/// and red threshold bands shaded.
pub fn series(
    id: &str,
    title: &str,
    points: &[(f64, f64)],
    green: Option<f64>,
    red: Option<f64>,
    up: bool,
) -> String {
    let mut out = String::new();
    let values = points.iter().map(|p| p.1).chain(green).chain(red);
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    // A tenth of the span as margin above and below; `hi` and `lo` themselves sit at
    // 1/12 and 11/12 of the height (or in the middle when they are equal).
    let y = |v: f64| {
        let t = if hi > lo {
            (position(v, lo, hi) + 0.1) / 1.2
        } else {
            position(v, lo - 1.0, hi + 1.0)
        };
        H - PAD - fit(t, 0.0, 1.0) * (H - 2.0 * PAD)
    };
    let desc = match points.last() {
        Some(p) => format!(
            "{} values; latest {}.",
            points.len(),
            crate::model::number_literal(fit((p.1 * 1000.0).round() / 1000.0, -f64::MAX, f64::MAX))
        ),
        None => "No values yet.".into(),
    };
    open(&mut out, id, title, &desc);
    // A band runs from its threshold to the plot's edge in its direction.
    let band = |out: &mut String, class: &str, from: f64, to_top: bool| {
        let (a, b) = (y(from), if to_top { PAD } else { H - PAD });
        let _ = write!(
            out,
            "<rect class=\"{class}\" x=\"{PAD:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            a.min(b),
            W - 2.0 * PAD,
            (a - b).abs()
        );
    };
    if let Some(g) = green {
        band(&mut out, "band-green", g, up);
    }
    if let Some(r) = red {
        band(&mut out, "band-red", r, !up);
    }
    frame(&mut out);
    if !points.is_empty() {
        let mut d = format!("M{:.1},{:.1}", x_of(points[0].0), y(points[0].1));
        for p in &points[1..] {
            let _ = write!(d, " L{:.1},{:.1}", x_of(p.0), y(p.1));
        }
        let _ = write!(out, "<path class=\"actual\" d=\"{d}\"/>");
        markers(&mut out, points.iter().map(|(t, v)| (x_of(*t), y(*v))));
    }
    out.push_str("</svg>");
    out
}

/// Bars of hit rates (0..1), one per period, labelled.
pub fn bars(id: &str, title: &str, bars: &[(String, f64)]) -> String {
    let mut out = String::new();
    let desc: Vec<String> = bars
        .iter()
        .map(|(l, v)| format!("{l}: {:.0}%", fit(*v, 0.0, 1.0) * 100.0))
        .collect();
    open(&mut out, id, title, &desc.join(", "));
    let n = bars.len().max(1) as f64;
    let slot = (W - 2.0 * PAD) / n;
    for (i, (label, v)) in bars.iter().enumerate() {
        let v = &fit(*v, 0.0, 1.0);
        let x = PAD + slot * i as f64 + slot * 0.15;
        let top = y_of(*v, 1.0);
        let _ = write!(
            out,
            "<rect class=\"col\" x=\"{x:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            slot * 0.7,
            H - PAD - top
        );
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\">{}</text>",
            x + slot * 0.35,
            H - 1.0,
            esc(label)
        );
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\">{:.0}%</text>",
            x + slot * 0.35,
            (top - 2.0).max(PAD),
            v * 100.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Charts carry titles, escape text and use one decimal.
    #[test]
    fn charts() {
        let s = burn_up(
            "c1",
            "p99 <fast>",
            &[(0.0, 0.0), (0.5, 0.4)],
            &[0.3],
            (0.6, 1.0),
        );
        assert!(s.contains("<title id=\"c1-t\">p99 &lt;fast&gt;</title>"));
        assert!(s.contains("M8.0,112.0 H160.0 V77.3 H190.4"), "{s}");
        assert!(s.contains("<line class=\"target-change\""), "{s}");
        let k = series(
            "k",
            "uptime",
            &[(0.0, 99.5), (1.0, 99.9)],
            Some(99.9),
            Some(99.5),
            true,
        );
        assert!(k.contains("band-green") && k.contains("band-red"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        // Any values, ±1e308, infinities and NaN included, give finite coordinates.
        #[test]
        fn coordinates_always_finite(
            v in proptest::collection::vec(proptest::num::f64::ANY, 1..6),
            g in proptest::option::of(proptest::num::f64::ANY),
            r in proptest::option::of(proptest::num::f64::ANY),
            now in proptest::num::f64::ANY,
        ) {
            let points: Vec<(f64, f64)> = v.iter().enumerate().map(|(i, v)| (i as f64 / 5.0, *v)).collect();
            for s in [series("k", "t", &points, g, r, true), burn_up("b", "t", &points, &[now], (now, 0.7))] {
                let bad = s.contains("NaN") || s.contains("inf");
                proptest::prop_assert!(!bad, "{}", s);
            }
        }
    }

    // KPIs at ±1e308 give a chart without NaN.
    #[test]
    fn extreme_kpis_chart_without_nan() {
        let s = series(
            "k",
            "t",
            &[(0.0, 1e308), (1.0, -1e308)],
            Some(-1e308),
            Some(1e308),
            true,
        );
        assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
    }
}
