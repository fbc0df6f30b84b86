//! Hand-written inline SVG charts with fixed precision (one decimal), so the same data
//! always gives the same bytes. Charts read without hovering: axes with dates and values,
//! labelled target, expected and "now" lines, and a `<title>` and `<desc>` for screen
//! readers (the pages add each chart's values as a table). Drawing only: every figure
//! arrives computed.

use crate::report::plural;
use std::fmt::Write as _;

mod trend;
pub use trend::{bars, spark};

const W: f64 = 360.0;
const H: f64 = 170.0;
/// Plot area: left margin for value labels, bottom margin for two rows of date labels.
const L: f64 = 40.0;
const R: f64 = 14.0;
const T: f64 = 14.0;
const B: f64 = 34.0;
const PW: f64 = W - L - R;
const PH: f64 = H - T - B;

fn esc(s: &str) -> String {
    super::templates::html_text(s)
}

/// A coordinate written with one decimal, exactly as `{:.1}` writes it (the same bytes),
/// without its slow path for the common case: a multiple of 0.5 is exact in binary, so its
/// digits need no rounding. Charts are most of the site's formatting work.
#[derive(Clone, Copy)]
struct D1(f64);

impl std::fmt::Display for D1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let twice = self.0 * 2.0;
        // Positive zero and nonzero halves below 2^52 (exact as integers); -0.0 and the
        // rest go the standard way.
        if twice.fract() == 0.0
            && twice.abs() < 4.5e15
            && (twice != 0.0 || twice.is_sign_positive())
        {
            let halves = twice as i64;
            let sign = if halves < 0 { "-" } else { "" };
            let halves = halves.unsigned_abs();
            let tenth = if halves % 2 == 1 { 5 } else { 0 };
            write!(f, "{sign}{}.{tenth}", halves / 2)
        } else {
            write!(f, "{:.1}", self.0)
        }
    }
}

/// The labels of a time axis: its first and last date, and "now" (empty: not shown).
#[derive(Debug, Clone, Default)]
pub struct Axis {
    pub start: String,
    pub end: String,
    pub now: String,
}

/// A marked moment on a time axis (a target change): where (0..1) and what to write.
#[derive(Debug, Clone)]
pub struct Mark {
    pub at: f64,
    pub label: String,
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
    L + fit(t, 0.0, 1.0) * PW
}

/// y for a value in 0..=`top` (values above are drawn at the top edge).
fn y_of(v: f64, top: f64) -> f64 {
    T + PH - (fit(v, 0.0, top) / top) * PH
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

/// A number as the site writes it: at most three decimals, finite.
pub fn num(v: f64) -> String {
    crate::model::number_literal(fit((v * 1000.0).round() / 1000.0, -f64::MAX, f64::MAX))
}

fn open(out: &mut String, id: &str, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {W:.0} {H:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
    if s.is_empty() {
        return;
    }
    // `start` is SVG's default anchor: left out, it saves bytes on every page.
    let anchor = match anchor {
        "start" => String::new(),
        a => format!(" text-anchor=\"{a}\""),
    };
    let (x, y) = (D1(x), D1(y));
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{x}\" y=\"{y}\"{anchor}>{}</text>",
        esc(s)
    );
}

fn hline(out: &mut String, class: &str, y: f64) {
    let _ = write!(
        out,
        "<line class=\"{class}\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
        D1(L),
        D1(L + PW),
        y = D1(y)
    );
}

/// The plot area's outline and the date labels under it: first and last date on the first
/// row, "now" on the second (under its line).
fn frame(out: &mut String, axis: &Axis, now: Option<f64>) {
    let _ = write!(
        out,
        "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
        D1(L),
        D1(T),
        D1(PW),
        D1(PH)
    );
    let row = T + PH + 13.0;
    text(out, "axis", L, row, "start", &axis.start);
    text(out, "axis", L + PW, row, "end", &axis.end);
    if let Some(now) = now.filter(|_| !axis.now.is_empty()) {
        let x = x_of(now);
        let _ = write!(
            out,
            "<line class=\"now\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            D1(T),
            D1(T + PH + 16.0),
            x = D1(x)
        );
        // Keep the label inside the chart at either edge.
        let anchor = match now {
            n if n < 0.15 => "start",
            n if n > 0.85 => "end",
            _ => "middle",
        };
        text(
            out,
            "axis now-label",
            x,
            row + 13.0,
            anchor,
            &format!("now {}", axis.now),
        );
    }
}

/// A dot at each (x, y), already in chart coordinates.
fn markers(out: &mut String, at: impl Iterator<Item = (f64, f64)>) {
    for (x, y) in at {
        let (x, y) = (D1(x), D1(y));
        let _ = write!(
            out,
            "<circle class=\"point\" cx=\"{x}\" cy=\"{y}\" r=\"2.5\"/>"
        );
    }
}

/// Target changes: a dotted line at each, with its label at the top of the plot.
fn marks(out: &mut String, marks: &[Mark]) {
    for m in marks {
        let x = x_of(m.at);
        let _ = write!(
            out,
            "<line class=\"mark\" x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            D1(T),
            D1(T + PH),
            x = D1(x)
        );
        let anchor = if m.at > 0.6 { "end" } else { "start" };
        let dx = if m.at > 0.6 { -3.0 } else { 3.0 };
        text(out, "axis mark-label", x + dx, T + 9.0, anchor, &m.label);
    }
}

/// A burn-up chart: progress (0..1, drawn up to 1.2) against the period's elapsed fraction,
/// with the labelled expected line (from 0 to the objective's `goal`), target line (1.0),
/// "now", and a labelled dotted line at each start or target change.
#[cfg(test)]
pub fn burn_up(
    id: &str,
    title: &str,
    points: &[(f64, f64)],
    (now, goal): (f64, f64),
    axis: &Axis,
    changes: &[Mark],
) -> String {
    let backdrop = burn_up_backdrop(axis, now, goal);
    burn_up_on(&backdrop, id, title, points, (now, goal), axis, changes)
}

/// The burn-up chart's value axis.
const BURN_TOP: f64 = 1.2;

/// What every burn-up chart of a period with the same "now" and goal shares: the frame
/// with its dates, the value labels, the target and the expected line. Worked out once
/// and reused by [`burn_up_on`] (most of a large site's chart work).
pub fn burn_up_backdrop(axis: &Axis, now: f64, goal: f64) -> String {
    let top = BURN_TOP;
    let goal = fit(goal, 0.0, 1.0);
    let mut out = String::new();
    frame(&mut out, axis, Some(now));
    for (v, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
        text(&mut out, "axis", L - 4.0, y_of(v, top) + 3.0, "end", label);
    }
    hline(&mut out, "target", y_of(1.0, top));
    text(
        &mut out,
        "axis target-label",
        L + 3.0,
        y_of(1.0, top) - 3.0,
        "start",
        "target",
    );
    let _ = write!(
        out,
        "<line class=\"expected\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        D1(x_of(0.0)),
        D1(y_of(0.0, top)),
        D1(x_of(1.0)),
        D1(y_of(goal, top))
    );
    text(
        &mut out,
        "axis",
        x_of(0.55) + 6.0,
        y_of(0.55 * goal, top) + 10.0,
        "start",
        "expected",
    );
    out
}

/// [`burn_up`] drawn on a `backdrop` from [`burn_up_backdrop`] of the same axis, now and
/// goal.
pub fn burn_up_on(
    backdrop: &str,
    id: &str,
    title: &str,
    points: &[(f64, f64)],
    (now, goal): (f64, f64),
    axis: &Axis,
    changes: &[Mark],
) -> String {
    let top = BURN_TOP;
    let mut out = String::new();
    let last = points.last().map_or(0.0, |p| p.1);
    let goal = fit(goal, 0.0, 1.0);
    let mut desc = format!(
        "Progress {:.0}% at {:.0}% of the period{}; expected {:.0}% by now; target 100%.",
        fit(last, -1e15, 1e15) * 100.0,
        fit(now, 0.0, 1.0) * 100.0,
        if axis.start.is_empty() {
            String::new()
        } else {
            format!(" ({} to {})", axis.start, axis.end)
        },
        fit(now, 0.0, 1.0) * goal * 100.0,
    );
    if !changes.is_empty() {
        for m in changes {
            let _ = write!(desc, " Changed: {}.", m.label);
        }
        desc.push_str(" Each point is scored against the start and target in force at its time.");
    }
    open(&mut out, id, title, &desc);
    out.push_str(backdrop);
    marks(&mut out, changes);
    if !points.is_empty() {
        // A step line: a value holds until the next one.
        let mut d = format!("M{},{}", D1(x_of(points[0].0)), D1(y_of(points[0].1, top)));
        for w in points.windows(2) {
            let _ = write!(d, " H{} V{}", D1(x_of(w[1].0)), D1(y_of(w[1].1, top)));
        }
        let end = now.max(points[points.len() - 1].0);
        let _ = write!(d, " H{}", D1(x_of(end)));
        let _ = write!(out, "<path class=\"actual\" d=\"{d}\"/>");
        markers(
            &mut out,
            points.iter().map(|(t, v)| (x_of(*t), y_of(*v, top))),
        );
        let y = y_of(last, top);
        let label = format!("{:.0}%", fit(last, -1e15, 1e15) * 100.0);
        let (x, anchor) = if end > 0.8 {
            (x_of(end) - 4.0, "end")
        } else {
            (x_of(end) + 4.0, "start")
        };
        text(&mut out, "value", x, (y - 5.0).max(T + 8.0), anchor, &label);
    }
    out.push_str("</svg>");
    out
}

/// A KPI series (times as fractions of the shown span, values as they are) with the green
/// and red threshold bands shaded (the red one also hatched, so it shows without colour),
/// each threshold a labelled line, and the lowest and highest values on the value axis.
pub fn series(
    id: &str,
    title: &str,
    points: &[(f64, f64)],
    green: Option<f64>,
    red: Option<f64>,
    up: bool,
    axis: &Axis,
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
        T + PH - fit(t, 0.0, 1.0) * PH
    };
    let desc = match (points.first(), points.last()) {
        (Some(f), Some(p)) => format!(
            "{} from {} to {}; first {}, latest {}; lowest {}, highest {}.{}{}",
            plural(points.len(), "value"),
            axis.start,
            axis.end,
            num(f.1),
            num(p.1),
            num(lo),
            num(hi),
            green
                .map(|g| format!(" Green at {}.", num(g)))
                .unwrap_or_default(),
            red.map(|r| format!(" Red beyond {}.", num(r)))
                .unwrap_or_default(),
        ),
        _ => "No values yet.".into(),
    };
    open(&mut out, id, title, &desc);
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line class=\"hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs>"
    );
    // A band runs from its threshold to the plot's edge in its direction.
    let band = |out: &mut String, class: &str, fill: Option<&str>, from: f64, to_top: bool| {
        let (a, b) = (y(from), if to_top { T } else { T + PH });
        let fill = fill
            .map(|f| format!(" fill=\"url(#{f})\""))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<rect class=\"{class}\"{fill} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            D1(L),
            D1(a.min(b)),
            D1(PW),
            D1((a - b).abs())
        );
    };
    if let Some(g) = green {
        band(&mut out, "band-green", None, g, up);
    }
    if let Some(r) = red {
        band(&mut out, "band-red", None, r, !up);
        band(&mut out, "band-hatch", Some(&format!("{id}-hatch")), r, !up);
    }
    frame(&mut out, axis, None);
    for (v, class, name) in [(green, "line-green", "green"), (red, "line-red", "red")] {
        if let Some(v) = v {
            hline(&mut out, class, y(v));
            text(
                &mut out,
                "axis",
                L + 3.0,
                y(v) - 3.0,
                "start",
                &format!("{name} {}", num(v)),
            );
        }
    }
    text(&mut out, "axis", L - 4.0, y(hi) + 3.0, "end", &num(hi));
    if hi > lo {
        text(&mut out, "axis", L - 4.0, y(lo) + 3.0, "end", &num(lo));
    }
    if let Some(last) = points.last() {
        let mut d = format!("M{},{}", D1(x_of(points[0].0)), D1(y(points[0].1)));
        for p in &points[1..] {
            let _ = write!(d, " L{},{}", D1(x_of(p.0)), D1(y(p.1)));
        }
        let _ = write!(out, "<path class=\"actual\" d=\"{d}\"/>");
        markers(&mut out, points.iter().map(|(t, v)| (x_of(*t), y(*v))));
        let (x, anchor) = if last.0 > 0.8 {
            (x_of(last.0) - 4.0, "end")
        } else {
            (x_of(last.0) + 4.0, "start")
        };
        text(
            &mut out,
            "value",
            x,
            (y(last.1) - 5.0).max(T + 8.0),
            anchor,
            &num(last.1),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // The fast one-decimal writer gives exactly the bytes of `{:.1}`, so pages stay
    // byte-identical: halves, ties, negatives, zeros, huge and non-finite values.
    #[test]
    fn one_decimal_matches_std() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.25,
            0.35,
            0.05,
            0.15,
            1.25,
            -1.25,
            2.5,
            136.0,
            34.3,
            331.6,
            1e15,
            4.5e15,
            9e15,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for i in -4000..4000 {
            values.push(f64::from(i) * 0.05);
            values.push(f64::from(i) / 8.0);
            values.push(40.0 + f64::from(i) * 306.0 / 7919.0);
        }
        for v in values {
            assert_eq!(D1(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }

    // Charts carry titles, escape text and use one decimal.
    #[test]
    fn charts() {
        let s = burn_up(
            "c1",
            "p99 <fast>",
            &[(0.0, 0.0), (0.5, 0.4)],
            (0.6, 1.0),
            &Axis::default(),
            &[],
        );
        assert!(s.contains("<title id=\"c1-t\">p99 &lt;fast&gt;</title>"));
        assert!(s.contains("M40.0,136.0 H193.0 V95.3 H223.6"), "{s}");
        // Axes name the dates and values; a target change is marked with its label.
        let axis = Axis {
            start: "2026-10-01".into(),
            end: "2026-12-31".into(),
            now: "2026-11-24".into(),
        };
        let mark = Mark {
            at: 0.4,
            label: "target: 10 → 8 by Erin".into(),
        };
        let s = burn_up("c2", "t", &[(0.1, 0.2)], (0.6, 1.0), &axis, &[mark]);
        for text in [
            "2026-10-01",
            "2026-12-31",
            "now 2026-11-24",
            ">target<",
            ">expected<",
            ">100%<",
            "target: 10 → 8 by Erin",
            "class=\"mark\"",
        ] {
            assert!(s.contains(text), "{text} missing: {s}");
        }
        // The expected line runs toward the objective's goal (0.7 for an aspirational one).
        let s = burn_up("c3", "t", &[], (0.5, 0.7), &Axis::default(), &[]);
        let expected = format!(
            "<line class=\"expected\" x1=\"40.0\" y1=\"136.0\" x2=\"346.0\" y2=\"{:.1}\"/>",
            y_of(0.7, 1.2)
        );
        assert!(s.contains(&expected), "{s}");
        assert!(s.contains("expected 35% by now"), "{s}");
        let k = series(
            "k",
            "uptime",
            &[(0.0, 99.5), (1.0, 99.9)],
            Some(99.9),
            Some(99.5),
            true,
            &Axis::default(),
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
            for s in [series("k", "t", &points, g, r, true, &Axis::default()), burn_up("b", "t", &points, (now, 0.7), &Axis::default(), &[Mark { at: now, label: "m".into() }])] {
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
            &Axis::default(),
        );
        assert!(!s.contains("NaN") && !s.contains("inf"), "{s}");
    }
}
