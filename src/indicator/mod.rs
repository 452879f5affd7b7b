//! The figures reported at meetings: one table of observations across the
//! archive, built once per build; series per indicator and area for charts
//! and sidebars; and checks for implausible data.

pub mod chart;
pub mod checks;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::content::{Article, Placement, Reading};

/// Reports as (article, position in its readings).
type Reports = Vec<(usize, usize)>;

/// One figure reported in one article.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub article: usize,
    pub reading: &'a Reading,
}

/// The reports of one indicator for one month.
#[derive(Debug, Clone)]
pub struct Point {
    pub period: (i32, u32),
    /// (article, position in its readings), latest published first: the
    /// first is the headline.
    pub reports: Reports,
    /// Two reports of this month give different figures.
    pub disagreement: bool,
}

/// An indicator's months with reports, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub points: Vec<Point>,
}

/// Every series: one per indicator and area.
#[derive(Debug, Default)]
pub struct Table {
    /// The site's own area's series, by position in the catalogue.
    pub series: Vec<Series>,
    /// The other areas' series, by indicator position: (area, series),
    /// areas in catalogue order.
    pub away: Vec<Vec<(usize, Series)>>,
}

impl Table {
    pub fn build(articles: &[Placement], indicators: usize) -> Table {
        type Months = BTreeMap<(i32, u32), Reports>;
        let mut areas: Vec<BTreeMap<Option<usize>, Months>> = vec![BTreeMap::new(); indicators];
        for (a, article) in articles.iter().enumerate() {
            for (r, reading) in article.readings.iter().enumerate() {
                let months = areas[reading.indicator].entry(reading.area).or_default();
                months.entry(reading.period).or_default().push((a, r));
            }
        }
        let series_of = |by_month: Months| Series {
            points: by_month
                .into_iter()
                .map(|(period, mut reports)| {
                    reports.sort_by(|x, y| {
                        let (ax, ay) = (&articles[x.0], &articles[y.0]);
                        (ay.published, &ay.url).cmp(&(ax.published, &ax.url))
                    });
                    let figures = |&(a, r): &(usize, usize)| {
                        let reading = &articles[a].readings[r];
                        (reading.value, reading.cumulative)
                    };
                    let first = figures(&reports[0]);
                    let disagreement = reports.iter().any(|report| figures(report) != first);
                    Point { period, reports, disagreement }
                })
                .collect(),
        };
        let mut table = Table::default();
        for mut by_area in areas {
            table.series.push(by_area.remove(&None).map(series_of).unwrap_or_default());
            let away = by_area.into_iter().filter_map(|(area, months)| Some((area?, series_of(months))));
            table.away.push(away.collect());
        }
        table
    }

    /// One indicator's series in one area (None: the site's own).
    pub fn of(&self, indicator: usize, area: Option<usize>) -> Option<&Series> {
        match area {
            None => self.series.get(indicator),
            Some(area) => self.away[indicator].iter().find(|(a, _)| *a == area).map(|(_, s)| s),
        }
    }

    /// Every series of one indicator, the site's own area's first.
    pub fn all(&self, indicator: usize) -> impl Iterator<Item = (Option<usize>, &Series)> {
        let away = self.away[indicator].iter().map(|(a, s)| (Some(*a), s));
        std::iter::once((None, &self.series[indicator])).chain(away)
    }
}

pub fn observation(articles: &[Arc<Article>], (a, r): (usize, usize)) -> Observation<'_> {
    Observation { article: a, reading: &articles[a].readings[r] }
}

impl Series {
    /// The points of the `count` months up to and including `period`.
    pub fn window(&self, period: (i32, u32), count: usize) -> &[Point] {
        let from = add_months(period, 1 - count as i32);
        let start = self.points.partition_point(|p| p.period < from);
        let end = self.points.partition_point(|p| p.period <= period);
        &self.points[start..end.max(start)]
    }
}

/// Months from `a` to `b` (positive when `b` is later).
pub fn months_between(a: (i32, u32), b: (i32, u32)) -> i32 {
    (b.0 - a.0) * 12 + b.1 as i32 - a.1 as i32
}

pub fn add_months(period: (i32, u32), months: i32) -> (i32, u32) {
    let index = period.0 * 12 + period.1 as i32 - 1 + months;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_crosses_years() {
        assert_eq!(add_months((2023, 1), -1), (2022, 12));
        assert_eq!(add_months((2023, 12), 1), (2024, 1));
        assert_eq!(add_months((2023, 8), -11), (2022, 9));
        assert_eq!(months_between((2022, 11), (2023, 2)), 3);
    }
}
