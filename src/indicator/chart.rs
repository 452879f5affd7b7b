//! Chart geometry, computed at build time: where each month, point, tick and
//! line goes in an SVG of a given size. The templates draw it; no JavaScript.

use serde::Serialize;

use super::{add_months, months_between};

/// A value on a month, as the chart needs it.
#[derive(Debug, Clone, Copy)]
pub struct Datum {
    pub period: (i32, u32),
    pub value: f64,
}

#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    /// Value ticks, bottom to top.
    pub y_ticks: Vec<Tick>,
    /// Month ticks, left to right; `label` is `8/2023`-style numbers.
    pub x_ticks: Vec<Tick>,
    /// One per datum, in the order given.
    pub points: Vec<Placed>,
    /// The last of `points` (a sparkline marks it), when there is one.
    pub last: Option<Placed>,
    /// Polylines (`"x,y x,y …"`) through consecutive months; a month without
    /// a report breaks the line.
    pub lines: Vec<String>,
    /// y of the zero line, when zero is in range.
    pub zero: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub pos: f64,
    pub value: f64,
    pub month: Option<u32>,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
}

/// Frame of a chart: total size and the margins around the plot.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub margin: [f64; 4],
    /// The value axis starts at zero (honest bars of size); sparklines
    /// instead span the data, to show its movement.
    pub from_zero: bool,
}

impl Frame {
    /// The indicator page's chart: room for tick labels.
    pub const PAGE: Frame =
        Frame { width: 720.0, height: 320.0, margin: [16.0, 16.0, 40.0, 64.0], from_zero: true };
    /// The sparkline beside an article: no axes.
    pub const SPARK: Frame =
        Frame { width: 96.0, height: 24.0, margin: [3.0, 3.0, 3.0, 3.0], from_zero: false };
}

/// Lays out `data` (oldest first) over the months from `first` to `last`.
pub fn layout(data: &[Datum], first: (i32, u32), last: (i32, u32), frame: Frame) -> Chart {
    let [top_margin, right_margin, bottom_margin, left_margin] = frame.margin;
    let (left, right) = (left_margin, frame.width - right_margin);
    let (top, bottom) = (top_margin, frame.height - bottom_margin);
    let span = months_between(first, last).max(0);
    let x_of = |period: (i32, u32)| {
        if span == 0 {
            (left + right) / 2.0
        } else {
            left + (right - left) * months_between(first, period) as f64 / span as f64
        }
    };
    let start = if frame.from_zero { 0.0 } else { data.first().map_or(0.0, |d| d.value) };
    let low = data.iter().map(|d| d.value).fold(start, f64::min);
    let high = data.iter().map(|d| d.value).fold(start, f64::max);
    let (low, high, step) = nice_range(low, high);
    let y_of = |value: f64| bottom - (bottom - top) * (value - low) / (high - low);

    let points: Vec<Placed> =
        data.iter().map(|d| Placed { x: round(x_of(d.period)), y: round(y_of(d.value)) }).collect();
    let mut lines = Vec::new();
    let mut run: Vec<String> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let joined = i > 0 && months_between(data[i - 1].period, data[i].period) == 1;
        if !joined {
            if run.len() > 1 {
                lines.push(run.join(" "));
            }
            run.clear();
        }
        run.push(format!("{},{}", p.x, p.y));
    }
    if run.len() > 1 {
        lines.push(run.join(" "));
    }

    let mut y_ticks = Vec::new();
    let mut value = low;
    while value <= high + step / 2.0 {
        y_ticks.push(Tick { pos: round(y_of(value)), value: clean(value), month: None, year: None });
        value += step;
    }
    let every = [1, 2, 3, 6, 12, 24, 60].into_iter().find(|k| span / k < 8).unwrap_or(120);
    let x_ticks = (0..=span)
        .filter(|m| {
            let period = add_months(first, *m);
            if every >= 12 {
                period.1 == 1 || *m == 0
            } else {
                (period.1 as i32 - 1) % every == 0 || *m == 0
            }
        })
        .map(|m| {
            let period = add_months(first, m);
            Tick { pos: round(x_of(period)), value: 0.0, month: Some(period.1), year: Some(period.0) }
        })
        .collect();
    Chart {
        width: frame.width,
        height: frame.height,
        left,
        top,
        right,
        bottom,
        y_ticks,
        x_ticks,
        last: points.last().copied(),
        points,
        lines,
        zero: (low < 0.0 && high > 0.0).then(|| round(y_of(0.0))),
    }
}

/// A range from `low` to `high` that starts and ends on ticks of a 1-2-5
/// step, about five ticks in all.
fn nice_range(low: f64, high: f64) -> (f64, f64, f64) {
    let raw = if high > low { (high - low) / 5.0 } else { high.abs().max(1.0) / 5.0 };
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let low = (low / step).floor() * step;
    let mut high = (high / step).ceil() * step;
    if high <= low {
        high = low + step;
    }
    (low, high, step)
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Removes float noise from tick values (0.30000000000000004 → 0.3).
fn clean(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn datum(year: i32, month: u32, value: f64) -> Datum {
        Datum { period: (year, month), value }
    }

    #[test]
    fn a_missing_month_breaks_the_line() {
        let data = [datum(2023, 1, 10.0), datum(2023, 2, 20.0), datum(2023, 4, 30.0), datum(2023, 5, 25.0)];
        let chart = layout(&data, (2023, 1), (2023, 5), Frame::PAGE);
        assert_eq!(chart.lines.len(), 2);
        assert_eq!(chart.points.len(), 4);
        assert!(chart.points[0].x < chart.points[1].x);
        assert!(chart.points[2].y < chart.points[0].y, "larger values are higher");
    }

    #[test]
    fn one_point_is_centred_and_ticks_are_round_numbers() {
        let chart = layout(&[datum(2023, 8, 351.05)], (2023, 8), (2023, 8), Frame::PAGE);
        assert_eq!(chart.points[0].x, 384.0);
        assert!(chart.lines.is_empty());
        let values: Vec<f64> = chart.y_ticks.iter().map(|t| t.value).collect();
        assert_eq!(values, [0.0, 100.0, 200.0, 300.0, 400.0]);
    }

    #[test]
    fn ten_years_of_months_get_few_month_ticks() {
        let data: Vec<Datum> = (0..120)
            .map(|m| {
                let p = add_months((2014, 1), m);
                datum(p.0, p.1, m as f64)
            })
            .collect();
        let chart = layout(&data, (2014, 1), (2023, 12), Frame::PAGE);
        assert!(chart.x_ticks.len() <= 12, "{}", chart.x_ticks.len());
        assert_eq!(chart.lines.len(), 1);
    }
}
