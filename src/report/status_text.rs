//! Text rendering of `status`: a table with progress bars, coloured by status.

use super::escape::terminal;
use super::status::{KpiStatus, KrStatus, ObjectiveStatus, StatusReport, Trend};
use crate::model::forecast::PeriodPhase;
use crate::model::forecast::Status;
use crate::model::Health;
use anstyle::{AnsiColor, Style};
use std::fmt::Write as _;

const BAR_WIDTH: usize = 16;

/// A bar of `width` cells filled in proportion to `fraction` (0..1).
pub fn bar(fraction: f64, width: usize) -> String {
    let filled = (fraction.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

fn status_style(status: Status) -> Style {
    let color = match status {
        Status::Done | Status::OnTrack | Status::Achieved => AnsiColor::Green,
        Status::AtRisk => AnsiColor::Yellow,
        Status::OffTrack | Status::Missed => AnsiColor::Red,
        Status::NoData => AnsiColor::White,
    };
    Style::new().fg_color(Some(color.into()))
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

fn number(n: f64) -> String {
    crate::model::number_literal((n * 1000.0).round() / 1000.0)
}

fn measure(kr: &KrStatus) -> String {
    match (kr.done, kr.start, kr.target, kr.current) {
        (Some(true), ..) => "done".into(),
        (Some(false), ..) => "not done".into(),
        (None, Some(s), Some(t), Some(c)) => {
            let unit = kr
                .unit
                .as_deref()
                .map(|u| format!(" {}", terminal(u)))
                .unwrap_or_default();
            format!("{} ({}→{}){unit}", number(c), number(s), number(t))
        }
        _ => String::new(),
    }
}

fn ago(days: Option<i64>) -> String {
    match days {
        Some(0) => "today".into(),
        Some(d) if d >= 0 => format!("{} ago", super::plural(d, "day")),
        _ => "never".into(),
    }
}

pub fn text(r: &StatusReport, color: bool) -> String {
    let mut out = String::new();
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let when = match r.period_state {
        PeriodPhase::NotStarted => format!("has not started yet (it begins on {})", r.period_start),
        _ => format!("{:.0}% of the period elapsed", r.elapsed * 100.0),
    };
    let _ = writeln!(
        out,
        "{} · {} ({} to {}) · as of {} · {when}",
        paint(&terminal(&r.title), bold, color),
        terminal(&r.period),
        r.period_start,
        r.period_end,
        crate::model::clock::local_datetime(r.as_of, &r.tz),
    );
    if r.period_state == PeriodPhase::NotStarted && !r.objectives.is_empty() {
        let _ = writeln!(
            out,
            "its objectives are plans, not results: nothing is expected of them before it begins"
        );
    }
    if r.partial {
        let _ = writeln!(
            out,
            "{}",
            paint(
                "partial: the shallow clone cuts this history",
                status_style(Status::AtRisk),
                color
            )
        );
    }
    if r.check_errors > 0 {
        let note = format!(
            "note: the goal files of this revision have {}, so some figures may be missing; run `goalpost check`",
            super::plural(r.check_errors, "error")
        );
        let _ = writeln!(out, "{}", paint(&note, status_style(Status::AtRisk), color));
    }
    if r.objectives.is_empty() {
        let _ = writeln!(out, "\nNo objectives in {}.", terminal(&r.period));
    }
    for o in &r.objectives {
        objective(&mut out, o, r.stale_after_days, color, dim);
        levels(&mut out, o, &r.period, color, dim);
    }
    if !r.kpis.is_empty() {
        let _ = writeln!(out, "\n{}", paint("KPIs", bold, color));
        for k in &r.kpis {
            kpi(&mut out, k, color);
        }
    }
    out
}

/// Alignment across levels: a parent in an enclosing period or a parent key result, and
/// objectives of other periods aligned to this one. (Alignment within the period is the
/// site's tree.)
fn levels(out: &mut String, o: &ObjectiveStatus, period: &str, color: bool, dim: Style) {
    let other = |id: &str| !id.starts_with(&format!("{period}/")) || id.contains('#');
    if let Some(p) = o.parent.as_deref().filter(|p| other(p)) {
        let line = format!("  aligns to {}", terminal(p));
        let _ = writeln!(out, "{}", paint(&line, dim, color));
    }
    for c in o
        .children
        .iter()
        .filter(|c| !c.starts_with(&format!("{period}/")))
    {
        let line = format!("  supported by {}", terminal(c));
        let _ = writeln!(out, "{}", paint(&line, dim, color));
    }
}

fn objective(out: &mut String, o: &ObjectiveStatus, stale_days: u32, color: bool, dim: Style) {
    let style = status_style(o.status);
    let _ = writeln!(
        out,
        "\n{}  {}  {}",
        paint(&terminal(&o.id), Style::new().bold(), color),
        terminal(&o.title),
        paint(
            &format!("({}, {})", terminal(&o.owner), o.kind.as_str()),
            dim,
            color
        )
    );
    let _ = writeln!(
        out,
        "  {} {:.2}  {:<9}  expected {:.2}  forecast {:.2}",
        paint(&bar(o.score, BAR_WIDTH), style, color),
        o.score,
        paint(o.status.label(), style, color),
        o.expected,
        o.forecast
    );
    if let Some(commit) = &o.broken_since {
        let note = format!(
            "  file has errors since {}: figures from its last good version; run `goalpost check`",
            crate::history::short_id(commit)
        );
        let _ = writeln!(out, "{}", paint(&note, status_style(Status::AtRisk), color));
    }
    let width = o
        .key_results
        .iter()
        .map(|k| short_id(&k.id).chars().count())
        .max()
        .unwrap_or(0);
    for kr in &o.key_results {
        let short = short_id(&kr.id);
        let style = status_style(kr.status);
        let stale = if kr.stale {
            paint(
                &format!(
                    "  stale (no check-in for over {})",
                    super::plural(stale_days, "day")
                ),
                status_style(Status::AtRisk),
                color,
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "    {short:<width$}  {} {:.2}  {:<9}  {:<28} updated {}{stale}",
            paint(&bar(kr.score, BAR_WIDTH / 2), style, color),
            kr.score,
            paint(kr.status.label(), style, color),
            measure(kr),
            ago(kr.days_since_update),
        );
    }
}

/// A key result's own id (after the objective's `#`), escaped for the terminal.
fn short_id(id: &str) -> String {
    terminal(id.rsplit('#').next().unwrap_or(id))
}

fn kpi(out: &mut String, k: &KpiStatus, color: bool) {
    let (label, c) = match k.health {
        Some(Health::Green) => ("green", AnsiColor::Green),
        Some(Health::Yellow) => ("yellow", AnsiColor::Yellow),
        Some(Health::Red) => ("red", AnsiColor::Red),
        _ => ("unknown", AnsiColor::White),
    };
    let arrow = match (&k.trend, k.improving) {
        (Some(Trend::Up), Some(true)) => "↑ improving",
        (Some(Trend::Up), _) => "↑",
        (Some(Trend::Down), Some(true)) => "↓ improving",
        (Some(Trend::Down), Some(false)) => "↓ worsening",
        (Some(Trend::Down), None) => "↓",
        (Some(Trend::Flat), _) => "→ flat",
        (None, _) => "",
    };
    let arrow = if k.improving == Some(false) && matches!(k.trend, Some(Trend::Up)) {
        "↑ worsening"
    } else {
        arrow
    };
    let unit = k
        .unit
        .as_deref()
        .map(|u| format!(" {}", terminal(u)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {:<26} {:>10}{unit:<4} {}  {}",
        terminal(&k.id),
        number(k.value),
        paint(
            &format!("{label:<7}"),
            Style::new().fg_color(Some(c.into())),
            color
        ),
        arrow
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    // Bars round to the nearest cell and never overflow.
    #[test]
    fn bars() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.7, 2), "██");
        assert_eq!(bar(-1.0, 2), "░░");
    }
}
