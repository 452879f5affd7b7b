//! Chart geometry, computed at build time: where each month, point, tick and
//! line goes in an SVG of a given size. The templates draw it; no JavaScript.

use serde::Serialize;

use super::{add_months, months_between};
use crate::vietnamese::number::format_number;

/// A value on a month, as the chart needs it.
#[derive(Debug, Clone, Serialize)]
pub struct Datum {
    pub period: (i32, u32),
    pub value: f64,
    pub estimate: bool,
    /// The page a point links to (the article that reported it).
    pub url: Option<String>,
}

/// What one chart shows: lines of data over the months from `first` to
/// `last`, and a year's plan as a reference level.
#[derive(Debug, Default, Serialize)]
pub struct Plot {
    /// One line each (monthly values, year-to-date totals), oldest first,
    /// with a key templates tell the lines apart by.
    pub sets: Vec<(&'static str, Vec<Datum>)>,
    /// Keys of the sets that start again every January (year-to-date
    /// totals): their lines break between years.
    pub yearly: Vec<&'static str>,
    /// (year, the year's plan): a dashed level over that year's months.
    pub plans: Vec<(i32, f64)>,
    pub first: (i32, u32),
    pub last: (i32, u32),
}

#[derive(Debug, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    /// Size of the axis labels, in the SVG's units.
    pub font: f64,
    /// Value ticks, bottom to top.
    pub y_ticks: Vec<Tick>,
    /// Month ticks, left to right.
    pub x_ticks: Vec<Tick>,
    /// One per set of the plot, in its order.
    pub series: Vec<Plotted>,
    /// One per plan of the plot.
    pub plans: Vec<Level>,
    /// y of the zero line, when zero is in range.
    pub zero: Option<f64>,
}

/// One line of a chart.
#[derive(Debug, Serialize)]
pub struct Plotted {
    pub key: &'static str,
    /// One per datum, in the order given.
    pub points: Vec<Placed>,
    /// The last of `points` (a sparkline marks it), when there is one.
    pub last: Option<Placed>,
    /// Polylines (`"x,y x,y …"`) through consecutive months; a month without
    /// a report breaks the line.
    pub lines: Vec<String>,
}

/// A horizontal reference from `x1` to `x2`.
#[derive(Debug, Serialize)]
pub struct Level {
    pub x1: f64,
    pub x2: f64,
    pub y: f64,
    pub year: i32,
    pub value: f64,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub pos: f64,
    pub value: f64,
    pub month: Option<u32>,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub value: f64,
    pub month: u32,
    pub year: i32,
    pub estimate: bool,
    pub url: Option<String>,
}

/// Frame of a chart: total size and the margins around the plot.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    /// Top, right, bottom, left; the left and right margins grow to fit
    /// the labels.
    pub margin: [f64; 4],
    /// The value axis starts at zero (honest bars of size); sparklines
    /// instead span the data, to show its movement.
    pub from_zero: bool,
    /// Label size; 0 for a chart without labels.
    pub font: f64,
}

/// Width of a label of `chars` characters, in units of its font size
/// (digits and separators of a sans-serif font are about 0.6 em wide).
const CHAR_WIDTH: f64 = 0.62;

impl Frame {
    /// The indicator page's chart on a wide screen.
    pub const PAGE: Frame =
        Frame { width: 720.0, height: 320.0, margin: [16.0, 8.0, 40.0, 8.0], from_zero: true, font: 12.0 };
    /// The same chart on a phone: drawn at about the size it is shown
    /// (360 px), so that labels stay at least 11 px and ticks fewer.
    pub const NARROW: Frame =
        Frame { width: 360.0, height: 260.0, margin: [14.0, 6.0, 38.0, 6.0], from_zero: true, font: 13.0 };
    /// The sparkline beside an article: no axes.
    pub const SPARK: Frame =
        Frame { width: 96.0, height: 24.0, margin: [3.0, 3.0, 3.0, 3.0], from_zero: false, font: 0.0 };
}

/// Lays out a plot in a frame.
pub fn layout(plot: &Plot, frame: Frame) -> Chart {
    let (first, last) = (plot.first, plot.last);
    let values = || {
        plot.sets
            .iter()
            .flat_map(|(_, data)| data.iter().map(|d| d.value))
            .chain(plot.plans.iter().map(|p| p.1))
    };
    let start = if frame.from_zero { 0.0 } else { values().next().unwrap_or(0.0) };
    let low = values().fold(start, f64::min);
    let high = values().fold(start, f64::max);
    let (low, high, step) = nice_range(low, high);
    let [top_margin, right_margin, bottom_margin, left_margin] = frame.margin;
    // Room for the widest value label left of the axis, and for half a
    // month label (`12/2023`, centred on its tick) at either end.
    let half_month = frame.font * CHAR_WIDTH * 7.0 / 2.0;
    let widest =
        tick_values(low, high, step).map(|v| format_number(v, None).chars().count()).max().unwrap_or(0);
    let label_room = if frame.font > 0.0 { widest as f64 * frame.font * CHAR_WIDTH + 10.0 } else { 0.0 };
    let left = round(left_margin + label_room.max(half_month));
    let right = round(frame.width - right_margin - half_month);
    let (top, bottom) = (top_margin, frame.height - bottom_margin);
    let span = months_between(first, last).max(0);
    let x_of = |period: (i32, u32)| {
        if span == 0 {
            (left + right) / 2.0
        } else {
            left + (right - left) * months_between(first, period) as f64 / span as f64
        }
    };
    let y_of = |value: f64| bottom - (bottom - top) * (value - low) / (high - low);

    let series = plot
        .sets
        .iter()
        .map(|(key, data)| {
            let points: Vec<Placed> = data
                .iter()
                .map(|d| Placed {
                    x: round(x_of(d.period)),
                    y: round(y_of(d.value)),
                    value: d.value,
                    month: d.period.1,
                    year: d.period.0,
                    estimate: d.estimate,
                    url: d.url.clone(),
                })
                .collect();
            let mut lines = Vec::new();
            let mut run: Vec<String> = Vec::new();
            for (i, p) in points.iter().enumerate() {
                let joined = i > 0
                    && months_between(data[i - 1].period, data[i].period) == 1
                    && (data[i - 1].period.0 == data[i].period.0 || !plot.yearly.contains(key));
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
            Plotted { key, last: points.last().cloned(), points, lines }
        })
        .collect();
    let plans = plot
        .plans
        .iter()
        .map(|&(year, value)| Level {
            x1: round(x_of(first.max((year, 1)))),
            x2: round(x_of(last.min((year, 12)))),
            y: round(y_of(value)),
            year,
            value,
        })
        .collect();

    let y_ticks = tick_values(low, high, step)
        .map(|value| Tick { pos: round(y_of(value)), value, month: None, year: None })
        .collect();
    // About one month label per 90 units: 8 across a page, 4 on a phone.
    let most = ((right - left) / 80.0).max(1.0) as i32;
    let every = [1, 2, 3, 6, 12, 24, 60].into_iter().find(|k| span / k < most).unwrap_or(120);
    let x_ticks = (0..=span)
        .filter(|m| {
            let period = add_months(first, *m);
            if every >= 12 {
                period.1 == 1 && (period.0 - first.0) % (every / 12) == 0 || *m == 0
            } else {
                (period.1 as i32 - 1) % every == 0 || *m == 0
            }
        })
        .map(|m| {
            let period = add_months(first, m);
            Tick { pos: round(x_of(period)), value: 0.0, month: Some(period.1), year: Some(period.0) }
        })
        .collect::<Vec<_>>();
    Chart {
        width: frame.width,
        height: frame.height,
        left,
        top,
        right,
        bottom,
        font: frame.font,
        y_ticks,
        x_ticks: without_crowding(x_ticks, frame.font * CHAR_WIDTH * 7.0 + 4.0),
        series,
        plans,
        zero: (low < 0.0 && high > 0.0).then(|| round(y_of(0.0))),
    }
}

/// Drops a tick that would overlap the one before (the first month of a
/// range need not be on the step).
fn without_crowding(ticks: Vec<Tick>, room: f64) -> Vec<Tick> {
    let mut kept: Vec<Tick> = Vec::with_capacity(ticks.len());
    for tick in ticks {
        match kept.last() {
            Some(before) if tick.pos - before.pos < room => {
                // Keep the later, round one over the range's first month.
                if kept.len() == 1 {
                    kept[0] = tick;
                }
            }
            _ => kept.push(tick),
        }
    }
    kept
}

fn tick_values(low: f64, high: f64, step: f64) -> impl Iterator<Item = f64> {
    let count = ((high - low) / step).round() as usize;
    (0..=count).map(move |i| clean(low + step * i as f64))
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
        Datum { period: (year, month), value, estimate: false, url: None }
    }

    fn plot(data: Vec<Datum>, first: (i32, u32), last: (i32, u32)) -> Plot {
        Plot { sets: vec![("thang", data)], yearly: Vec::new(), plans: Vec::new(), first, last }
    }

    #[test]
    fn a_missing_month_breaks_the_line() {
        let data =
            vec![datum(2023, 1, 10.0), datum(2023, 2, 20.0), datum(2023, 4, 30.0), datum(2023, 5, 25.0)];
        let chart = layout(&plot(data, (2023, 1), (2023, 5)), Frame::PAGE);
        let line = &chart.series[0];
        assert_eq!(line.lines.len(), 2);
        assert_eq!(line.points.len(), 4);
        assert!(line.points[0].x < line.points[1].x);
        assert!(line.points[2].y < line.points[0].y, "larger values are higher");
    }

    #[test]
    fn one_point_is_centred_and_ticks_are_round_numbers() {
        let chart = layout(&plot(vec![datum(2023, 8, 351.05)], (2023, 8), (2023, 8)), Frame::PAGE);
        assert!((chart.series[0].points[0].x - (chart.left + chart.right) / 2.0).abs() < 0.1);
        assert!(chart.series[0].lines.is_empty());
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
        let chart = layout(&plot(data, (2014, 1), (2023, 12)), Frame::PAGE);
        assert!(chart.x_ticks.len() <= 12, "{}", chart.x_ticks.len());
        assert_eq!(chart.series[0].lines.len(), 1);
        let narrow = layout(&plot(Vec::new(), (2014, 1), (2023, 12)), Frame::NARROW);
        assert!(narrow.x_ticks.len() <= 5, "{}", narrow.x_ticks.len());
    }

    #[test]
    fn labels_have_room_at_both_ends_of_the_axes() {
        let data = vec![datum(2023, 1, 1_234_567.5), datum(2023, 12, 2_000_000.0)];
        for frame in [Frame::PAGE, Frame::NARROW] {
            let chart = layout(&plot(data.clone(), (2023, 1), (2023, 12)), frame);
            let half_label = frame.font * CHAR_WIDTH * 7.0 / 2.0;
            let last = chart.x_ticks.last().unwrap();
            assert!(last.pos + half_label <= frame.width, "{} in {}", last.pos, frame.width);
            assert!(chart.x_ticks[0].pos - half_label >= 0.0);
            // "2.500.000" right-aligned 8 units left of the axis.
            assert!(chart.left - 8.0 - 9.0 * frame.font * CHAR_WIDTH >= 0.0, "{}", chart.left);
        }
    }

    #[test]
    fn a_year_to_date_total_starts_a_new_line_in_january() {
        let data =
            vec![datum(2023, 11, 600.0), datum(2023, 12, 686.0), datum(2024, 1, 31.0), datum(2024, 2, 60.0)];
        let mut p = plot(data, (2023, 11), (2024, 2));
        assert_eq!(layout(&p, Frame::PAGE).series[0].lines.len(), 1, "monthly values join across years");
        p.yearly = vec!["thang"];
        assert_eq!(layout(&p, Frame::PAGE).series[0].lines.len(), 2);
    }

    #[test]
    fn a_plan_is_a_level_over_its_year_within_the_range() {
        let mut p = plot(vec![datum(2023, 3, 100.0), datum(2023, 9, 300.0)], (2023, 3), (2023, 9));
        p.plans = vec![(2023, 450.0)];
        let chart = layout(&p, Frame::PAGE);
        let level = &chart.plans[0];
        assert_eq!((level.x1, level.x2), (chart.left, chart.right));
        assert!(level.y < chart.series[0].points[1].y, "the plan is above the total");
    }
}
