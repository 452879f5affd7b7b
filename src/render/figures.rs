//! Views of the reported figures: a reading beside its article (with a
//! sparkline), an indicator with its latest value, and an indicator's page
//! (chart, table, year totals). docs/TEMPLATES.md lists every field.

use serde::Serialize;

use crate::assemble::Site;
use crate::content::Reading;
use crate::indicator::chart::{self, Chart, Datum, Frame};
use crate::indicator::{add_months, observation, Point, Series};
use crate::site::{Indicator, IndicatorKind};

/// What every view of an indicator names: `{id, label, unit, kind, group, url}`.
#[derive(Serialize)]
pub struct IndicatorName<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub unit: &'a str,
    pub kind: &'static str,
    pub group: Option<&'a str>,
    pub url: String,
}

impl<'a> IndicatorName<'a> {
    fn of(indicator: &'a Indicator) -> Self {
        IndicatorName {
            id: &indicator.id,
            label: &indicator.label,
            unit: &indicator.unit,
            kind: kind_name(indicator.kind),
            group: indicator.group.as_deref(),
            url: indicator_url(indicator),
        }
    }
}

#[derive(Serialize)]
pub struct ReadingView<'a> {
    #[serde(flatten)]
    pub indicator: IndicatorName<'a>,
    pub value: Option<f64>,
    /// The value, or the running total when only that was reported.
    pub figure: Option<f64>,
    pub period: String,
    pub year: i32,
    pub month: u32,
    pub estimate: bool,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spark: Option<Chart>,
    /// The article that reported it (in sidebars of listings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleLink<'a>>,
}

#[derive(Serialize)]
pub struct ArticleLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub organ: &'a str,
}

/// Readings under one group name, in catalogue order.
#[derive(Serialize)]
pub struct GroupView<'a, T> {
    pub name: Option<&'a str>,
    pub items: Vec<T>,
}

#[derive(Serialize)]
pub struct IndicatorView<'a> {
    #[serde(flatten)]
    pub indicator: IndicatorName<'a>,
    pub description: Option<&'a str>,
    pub csv_url: String,
    pub json_url: String,
    /// Months with reports.
    pub count: usize,
    pub latest: Option<ReadingView<'a>>,
}

/// Other reports of one month named on an indicator's page: enough to see
/// that they differ, while a page of a large archive (hundreds of reports a
/// month) stays readable and quick to make.
pub const OTHERS_SHOWN: usize = 10;

/// One month of an indicator's page: the headline and any other reports.
#[derive(Serialize)]
pub struct RowView<'a> {
    pub reading: ReadingView<'a>,
    pub disagreement: bool,
    /// The other reports of the month, the latest published first; at most
    /// `OTHERS_SHOWN`, `more` counts the rest.
    pub others: Vec<ReadingView<'a>>,
    pub more: usize,
    /// Position on the chart.
    pub x: f64,
    pub y: f64,
}

#[derive(Serialize)]
pub struct YearTotal {
    pub year: i32,
    /// Sum of the months reported.
    pub sum: f64,
    pub months: usize,
    /// The last running total reported in the year, if any.
    pub cumulative: Option<f64>,
}

/// `/chi-tieu/<id>.json`: the series, one headline per month, oldest first.
#[derive(Serialize)]
pub struct SeriesData<'a> {
    #[serde(flatten)]
    pub indicator: IndicatorName<'a>,
    pub series: Vec<ReadingView<'a>>,
}

#[derive(Serialize)]
pub struct IndicatorPage<'a> {
    pub indicator: IndicatorView<'a>,
    pub chart: Option<Chart>,
    /// Oldest first, one per month with reports.
    pub rows: Vec<RowView<'a>>,
    /// Flow indicators only, newest year first.
    pub years: Vec<YearTotal>,
}

fn kind_name(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Flow => "flow",
        IndicatorKind::Level => "level",
        IndicatorKind::Ratio => "ratio",
    }
}

pub fn indicator_url(indicator: &Indicator) -> String {
    format!("/chi-tieu/{}/", indicator.id)
}

/// Builds figure views over one site.
pub struct Figures<'a> {
    pub site: &'a Site,
}

impl<'a> Figures<'a> {
    /// A reading; `article` is named when the reading is shown away from
    /// its article; `spark` adds the last 12 months of the indicator.
    pub fn reading(&self, reading: &'a Reading, article: Option<usize>, spark: bool) -> ReadingView<'a> {
        let indicator = &self.site.config.catalog.indicators[reading.indicator];
        let (year, month) = reading.period;
        ReadingView {
            indicator: IndicatorName::of(indicator),
            value: reading.value,
            figure: reading.figure(),
            period: format!("{year:04}-{month:02}"),
            year,
            month,
            estimate: reading.estimate,
            yoy: reading.yoy,
            cumulative: reading.cumulative,
            plan: reading.plan,
            spark: spark.then(|| self.sparkline(reading)).flatten(),
            article: article.map(|a| {
                let article = &self.site.articles[a];
                let organ = &self.site.config.catalog.organs[article.organ].name;
                ArticleLink { title: &article.title, url: &article.url, organ }
            }),
        }
    }

    /// Readings grouped by the catalogue's `group`, groups in catalogue order.
    pub fn grouped<T>(&self, items: Vec<(usize, T)>) -> Vec<GroupView<'a, T>> {
        let indicators = &self.site.config.catalog.indicators;
        let mut items = items;
        items.sort_by_key(|(indicator, _)| *indicator);
        let mut groups: Vec<GroupView<'a, T>> = Vec::new();
        for (indicator, item) in items {
            let name = indicators[indicator].group.as_deref();
            match groups.iter_mut().find(|g| g.name == name) {
                Some(group) => group.items.push(item),
                None => groups.push(GroupView { name, items: vec![item] }),
            }
        }
        groups
    }

    /// An article's readings, grouped, with sparklines.
    pub fn article_sidebar(&self, position: usize) -> Vec<GroupView<'a, ReadingView<'a>>> {
        let readings = &self.site.articles[position].readings;
        self.grouped(readings.iter().map(|r| (r.indicator, self.reading(r, None, true))).collect())
    }

    /// Every figure reported at the given articles' meetings, grouped.
    pub fn reported_at(&self, articles: &[usize]) -> Vec<GroupView<'a, ReadingView<'a>>> {
        let items = articles
            .iter()
            .flat_map(|&a| self.site.articles[a].readings.iter().map(move |r| (a, r)))
            .map(|(a, r)| (r.indicator, self.reading(r, Some(a), false)))
            .collect();
        self.grouped(items)
    }

    /// The latest figure of each indicator among the given articles (newest
    /// first), grouped: an organ's sidebar.
    pub fn latest_among(&self, articles: &[usize]) -> Vec<GroupView<'a, ReadingView<'a>>> {
        let mut latest: Vec<Option<(usize, &'a Reading)>> =
            vec![None; self.site.config.catalog.indicators.len()];
        for &a in articles {
            for reading in &self.site.articles[a].readings {
                let slot = &mut latest[reading.indicator];
                if slot.is_none_or(|(_, seen)| seen.period < reading.period) {
                    *slot = Some((a, reading));
                }
            }
        }
        let items = latest
            .into_iter()
            .flatten()
            .map(|(a, r)| (r.indicator, self.reading(r, Some(a), false)))
            .collect();
        self.grouped(items)
    }

    pub fn indicator(&self, position: usize) -> IndicatorView<'a> {
        let indicator = &self.site.config.catalog.indicators[position];
        let series = &self.site.figures.series[position];
        IndicatorView {
            indicator: IndicatorName::of(indicator),
            description: indicator.description.as_deref(),
            csv_url: format!("/chi-tieu/{}.csv", indicator.id),
            json_url: format!("/chi-tieu/{}.json", indicator.id),
            count: series.points.len(),
            latest: series.points.last().map(|p| self.headline(p, true)),
        }
    }

    /// Every indicator of the catalogue, grouped.
    pub fn catalogue(&self) -> Vec<GroupView<'a, IndicatorView<'a>>> {
        let count = self.site.config.catalog.indicators.len();
        self.grouped((0..count).map(|i| (i, self.indicator(i))).collect())
    }

    /// The indicators marked `highlight`, for the home page.
    pub fn highlights(&self) -> Vec<IndicatorView<'a>> {
        let indicators = &self.site.config.catalog.indicators;
        (0..indicators.len()).filter(|&i| indicators[i].highlight).map(|i| self.indicator(i)).collect()
    }

    fn headline(&self, point: &Point, with_article: bool) -> ReadingView<'a> {
        let o = observation(&self.site.articles, point.reports[0]);
        self.reading(o.reading, with_article.then_some(o.article), false)
    }

    pub fn page(&self, position: usize) -> IndicatorPage<'a> {
        let indicator = &self.site.config.catalog.indicators[position];
        let series = &self.site.figures.series[position];
        let data: Vec<Option<Datum>> = series.points.iter().map(|p| datum(self.site, p)).collect();
        let flat: Vec<Datum> = data.iter().flatten().copied().collect();
        let chart = match (flat.first(), flat.last()) {
            (Some(first), Some(last)) => Some(chart::layout(&flat, first.period, last.period, Frame::PAGE)),
            _ => None,
        };
        let mut placed = chart.iter().flat_map(|c| c.points.iter());
        let rows = series
            .points
            .iter()
            .zip(&data)
            .map(|(point, datum)| {
                let at = datum.and_then(|_| placed.next());
                let others = point.reports[1..]
                    .iter()
                    .take(OTHERS_SHOWN)
                    .map(|&report| {
                        let o = observation(&self.site.articles, report);
                        self.reading(o.reading, Some(o.article), false)
                    })
                    .collect();
                RowView {
                    reading: self.headline(point, true),
                    disagreement: point.disagreement,
                    others,
                    more: point.reports.len().saturating_sub(1 + OTHERS_SHOWN),
                    x: at.map_or(0.0, |p| p.x),
                    y: at.map_or(0.0, |p| p.y),
                }
            })
            .collect();
        let years =
            if indicator.kind == IndicatorKind::Flow { year_totals(series, self.site) } else { Vec::new() };
        IndicatorPage { indicator: self.indicator(position), chart, rows, years }
    }

    pub fn data(&self, position: usize) -> SeriesData<'a> {
        let indicator = &self.site.config.catalog.indicators[position];
        SeriesData {
            indicator: IndicatorName::of(indicator),
            series: self.site.figures.series[position]
                .points
                .iter()
                .map(|p| self.headline(p, true))
                .collect(),
        }
    }

    /// The last 12 months of the reading's indicator, up to its period.
    fn sparkline(&self, reading: &Reading) -> Option<Chart> {
        let series = &self.site.figures.series[reading.indicator];
        let window = series.window(reading.period, 12);
        let data: Vec<Datum> = window.iter().filter_map(|p| datum(self.site, p)).collect();
        (data.len() > 1)
            .then(|| chart::layout(&data, add_months(reading.period, -11), reading.period, Frame::SPARK))
    }
}

/// A month's headline figure, if it has one to chart.
fn datum(site: &Site, point: &Point) -> Option<Datum> {
    let reading = observation(&site.articles, point.reports[0]).reading;
    reading.figure().map(|value| Datum { period: point.period, value })
}

fn year_totals(series: &Series, site: &Site) -> Vec<YearTotal> {
    let mut years: Vec<YearTotal> = Vec::new();
    for point in &series.points {
        let reading = observation(&site.articles, point.reports[0]).reading;
        let year = point.period.0;
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearTotal { year, sum: 0.0, months: 0, cumulative: None });
        }
        let total = years.last_mut().expect("pushed above");
        if let Some(value) = reading.value {
            total.sum += value;
            total.months += 1;
        }
        if reading.cumulative.is_some() {
            total.cumulative = reading.cumulative;
        }
    }
    years.reverse();
    years
}
