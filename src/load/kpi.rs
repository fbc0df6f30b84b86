//! Builds a KPI from checked TOML.

use super::fields::{header_span, Ctx, Record, KPI_CHECKIN_FIELDS};
use super::ids::check_segment;
use crate::model::{Direction, Kpi, KpiSpans};

pub fn build(ctx: &mut Ctx, doc: &Record, slug: &str, body: Option<&str>) -> Kpi {
    let header = header_span(ctx.text, doc.span.clone());
    let id = match doc.str("id") {
        Some((pinned, span)) => {
            check_segment(ctx, "KPI id", &pinned, span, false);
            pinned
        }
        None => slug.to_string(),
    };
    let owner = doc.str("owner").map(|(o, _)| o);
    if owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
        ctx.warning("no-owner", header.clone(), "KPI has no owner");
    }
    let direction = doc.str("direction").map(|(d, _)| match d.as_str() {
        "down" => Direction::Down,
        _ => Direction::Up,
    });
    let green = doc.number("green");
    let red = doc.number("red");
    lint_thresholds(ctx, &header, direction, green.clone(), red.clone());
    let (value, value_span) = doc.number("value").unwrap_or((0.0, header.clone()));
    let description = match body.map(str::trim) {
        Some(b) if !b.is_empty() => b.to_string(),
        _ => doc.str("description").map(|(d, _)| d).unwrap_or_default(),
    };
    let checkins = doc
        .tables(ctx, "checkins", KPI_CHECKIN_FIELDS)
        .iter()
        .filter_map(|c| super::objective::build_checkin(ctx, c, true))
        .collect();
    Kpi {
        id,
        checkins,
        title: doc.str("title").map(|(t, _)| t).unwrap_or_default(),
        owner,
        unit: doc.str("unit").map(|(u, _)| u),
        direction,
        value,
        green: green.map(|(g, _)| g),
        red: red.map(|(r, _)| r),
        description,
        file: ctx.file.to_string(),
        spans: KpiSpans {
            header,
            value: value_span,
        },
    }
}

type Threshold = Option<(f64, crate::model::Span)>;

fn lint_thresholds(
    ctx: &mut Ctx,
    header: &crate::model::Span,
    direction: Option<Direction>,
    green: Threshold,
    red: Threshold,
) {
    if direction.is_none() {
        ctx.warning(
            "kpi-no-direction",
            header.clone(),
            "KPI has no `direction`: say whether higher (\"up\") or lower (\"down\") is better",
        );
    }
    if green.is_none() && red.is_none() {
        ctx.warning(
            "kpi-no-thresholds",
            header.clone(),
            "KPI has no `green` or `red` threshold, so its health cannot be judged",
        );
    }
    if let (Some(dir), Some((g, gspan)), Some((r, _))) = (direction, green, red) {
        let inverted = match dir {
            Direction::Up => g < r,
            Direction::Down => g > r,
        };
        if inverted {
            let relation = if dir == Direction::Up {
                "below"
            } else {
                "above"
            };
            ctx.error(
                "invalid-value",
                gspan,
                format!("`green` ({g}) is {relation} `red` ({r}), which is backwards for direction \"{}\"", if dir == Direction::Up { "up" } else { "down" }),
            );
        }
    }
}
