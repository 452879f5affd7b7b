//! Views of the reported figures: a reading beside its article (with a
//! sparkline), an indicator with its latest value, and an indicator's page
//! in one area (chart, table, year totals, comparison across areas).
//! docs/TEMPLATES.md lists every field.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Serialize, Serializer};

use super::reads;
use crate::assemble::Site;
use crate::content::Reading;
use crate::indicator::chart::{self, Chart, Datum, Frame, Plot};
use crate::indicator::{add_months, observation, Point, Series};
use crate::site::catalog::Area;
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
    /// The area of the figure when it is not the site's own (then `url` is
    /// the indicator's page of that area).
    pub area: Option<AreaView<'a>>,
    /// Shared by every reading of the same month of the same series.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "shared_chart")]
    pub spark: Option<Arc<Chart>>,
    /// The article that reported it (in sidebars of listings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleLink<'a>>,
}

/// An area as pages name it: `{id, name, level, url}`; `url` is the page of
/// the indicator at hand in that area.
#[derive(Serialize)]
pub struct AreaView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub level: Option<&'a str>,
    pub url: String,
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
    pub xlsx_url: String,
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

/// `/chi-tieu/<id>.json`: the site's own area's series, one headline per
/// month, oldest first, and the other areas' series.
#[derive(Serialize)]
pub struct SeriesData<'a> {
    #[serde(flatten)]
    pub indicator: IndicatorName<'a>,
    pub series: Vec<ReadingView<'a>>,
    pub areas: Vec<AreaData<'a>>,
}

#[derive(Serialize)]
pub struct AreaData<'a> {
    #[serde(flatten)]
    pub area: AreaView<'a>,
    pub series: Vec<ReadingView<'a>>,
}

/// The columns of an indicator's table that have something in some row.
#[derive(Serialize)]
pub struct Columns {
    pub value: bool,
    pub yoy: bool,
    pub cumulative: bool,
    pub plan: bool,
}

#[derive(Serialize)]
pub struct IndicatorPage<'a> {
    pub indicator: IndicatorView<'a>,
    /// The area shown; null for a site without `areas:`.
    pub area: Option<AreaView<'a>>,
    /// True on the site's own area's page (`/chi-tieu/<id>/`).
    pub home: bool,
    /// For wide screens and, drawn again, for phones.
    pub chart: Option<Chart>,
    pub narrow: Option<Chart>,
    /// Oldest first, one per month with reports.
    pub rows: Vec<RowView<'a>>,
    pub columns: Columns,
    /// Flow indicators only, newest year first.
    pub years: Vec<YearTotal>,
    /// The site's own area's page only: the latest figure of several areas.
    pub comparison: Option<Comparison<'a>>,
    /// Every area with figures of this indicator, the site's own first.
    pub areas: Vec<AreaView<'a>>,
}

/// The areas' figures of one month, largest first, with a bar each.
#[derive(Serialize)]
pub struct Comparison<'a> {
    pub year: i32,
    pub month: u32,
    /// Year-to-date totals are compared (else monthly values).
    pub cumulative: bool,
    pub rows: Vec<CompareRow<'a>>,
    pub width: f64,
    pub height: f64,
    pub font: f64,
}

#[derive(Serialize)]
pub struct CompareRow<'a> {
    pub area: AreaView<'a>,
    pub figure: f64,
    pub estimate: bool,
    pub article: ArticleLink<'a>,
    /// The site's own area.
    pub home: bool,
    /// Top of the row's band; the bar's length; where its value is written.
    pub y: f64,
    pub bar: f64,
    pub label_x: f64,
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

/// The page of `indicator` in `area` (None: the site's own area's page).
pub fn area_url(indicator: &Indicator, area: Option<&Area>) -> String {
    match area {
        Some(area) => format!("/chi-tieu/{}/{}/", indicator.id, area.id),
        None => indicator_url(indicator),
    }
}

/// Height of one area's band in the comparison's bar chart: its name above
/// a bar, together a tap target well above 24 px.
const BAND: f64 = 44.0;

fn shared_chart<S: Serializer>(chart: &Option<Arc<Chart>>, serializer: S) -> Result<S::Ok, S::Error> {
    chart.as_deref().serialize(serializer)
}

/// What a sparkline is drawn from: (indicator, area, period, monthly values
/// rather than totals).
type SparkKey = (usize, Option<usize>, (i32, u32), bool);

/// Builds figure views over one site.
pub struct Figures<'a> {
    pub site: &'a Site,
    /// Sparklines made so far: the readings of one month of one series share
    /// theirs (about 24 per sparkline at 10,000 articles), laid out once.
    sparks: Mutex<HashMap<SparkKey, Option<Arc<Chart>>>>,
}

impl<'a> Figures<'a> {
    pub fn new(site: &'a Site) -> Self {
        Figures { site, sparks: Mutex::default() }
    }

    /// A reading; `article` is named when the reading is shown away from
    /// its article; `spark` adds the last 12 months of the indicator.
    pub fn reading(&self, reading: &'a Reading, article: Option<usize>, spark: bool) -> ReadingView<'a> {
        let indicator = &self.site.config.catalog.indicators[reading.indicator];
        let (year, month) = reading.period;
        let area = reading.area.map(|a| self.area(indicator, a));
        let mut name = IndicatorName::of(indicator);
        if let Some(area) = &area {
            name.url = area.url.clone();
        }
        ReadingView {
            indicator: name,
            value: reading.value,
            figure: reading.figure(),
            period: format!("{year:04}-{month:02}"),
            year,
            month,
            estimate: reading.estimate,
            yoy: reading.yoy,
            cumulative: reading.cumulative,
            plan: reading.plan,
            area,
            spark: spark.then(|| self.sparkline(reading)).flatten(),
            article: article.map(|a| {
                let article = reads::article(self.site, a);
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
        let readings = self.site.articles[position].placement().readings;
        self.grouped(readings.iter().map(|r| (r.indicator, self.reading(r, None, true))).collect())
    }

    /// Every figure reported at the given articles' meetings, grouped.
    pub fn reported_at(&self, articles: &[usize]) -> Vec<GroupView<'a, ReadingView<'a>>> {
        let items = articles
            .iter()
            .flat_map(|&a| self.site.articles[a].placement().readings.iter().map(move |r| (a, r)))
            .map(|(a, r)| (r.indicator, self.reading(r, Some(a), false)))
            .collect();
        self.grouped(items)
    }

    /// The latest figure of each indicator among the given articles (newest
    /// first) in one area (None: the site's own), grouped: an organ's sidebar.
    pub fn latest_among(
        &self,
        articles: &[usize],
        area: Option<usize>,
    ) -> Vec<GroupView<'a, ReadingView<'a>>> {
        let mut latest: Vec<Option<(usize, &'a Reading)>> =
            vec![None; self.site.config.catalog.indicators.len()];
        for &a in articles {
            for reading in self.site.articles[a].placement().readings.iter().filter(|r| r.area == area) {
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
            xlsx_url: format!("/chi-tieu/{}.xlsx", indicator.id),
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

    /// An area as the pages of `indicator` link it.
    fn area(&self, indicator: &Indicator, area: usize) -> AreaView<'a> {
        let catalog = &self.site.config.catalog;
        let a = &catalog.areas[area];
        AreaView {
            id: &a.id,
            name: &a.name,
            level: a.level.as_deref(),
            url: area_url(indicator, catalog.away(area).map(|_| a)),
        }
    }

    /// The areas with a series of the indicator, the site's own first.
    fn areas(&self, position: usize) -> Vec<AreaView<'a>> {
        let catalog = &self.site.config.catalog;
        let indicator = &catalog.indicators[position];
        let home = catalog.home.map(|h| self.area(indicator, h));
        let away = self.site.figures.away[position].iter().map(|(a, _)| self.area(indicator, *a));
        home.into_iter().chain(away).collect()
    }

    /// The page of one indicator in one area (None: the site's own).
    pub fn page(&self, position: usize, area: Option<usize>) -> IndicatorPage<'a> {
        let catalog = &self.site.config.catalog;
        let indicator = &catalog.indicators[position];
        let empty = Series::default();
        let series = self.site.figures.of(position, area).unwrap_or(&empty);
        let (chart, narrow) = match self.plot(indicator, series) {
            Some(plot) => {
                (Some(chart::layout(&plot, Frame::PAGE)), Some(chart::layout(&plot, Frame::NARROW)))
            }
            None => (None, None),
        };
        let rows: Vec<RowView<'a>> = series
            .points
            .iter()
            .map(|point| {
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
                }
            })
            .collect();
        let any = |f: fn(&ReadingView) -> bool| rows.iter().any(|r| f(&r.reading));
        let columns = Columns {
            value: any(|r| r.value.is_some()),
            yoy: any(|r| r.yoy.is_some()),
            cumulative: any(|r| r.cumulative.is_some()),
            plan: any(|r| r.plan.is_some()),
        };
        let years =
            if indicator.kind == IndicatorKind::Flow { year_totals(series, self.site) } else { Vec::new() };
        let shown = area.or(catalog.home);
        IndicatorPage {
            indicator: self.indicator(position),
            area: shown.map(|a| self.area(indicator, a)),
            home: area.is_none(),
            chart,
            narrow,
            rows,
            columns,
            years,
            comparison: area.is_none().then(|| self.comparison(position)).flatten(),
            areas: self.areas(position),
        }
    }

    /// What an indicator's chart shows: monthly values and year-to-date
    /// totals as two lines (a flow), else the figure reported; and each
    /// year's plan, where a total and its share of the plan give it.
    fn plot(&self, indicator: &Indicator, series: &Series) -> Option<Plot> {
        let articles = &self.site.articles;
        let headline = |p: &Point| observation(articles, p.reports[0]).reading;
        let line = |key: &'static str, pick: fn(&Reading) -> Option<f64>| {
            let data: Vec<Datum> = series
                .points
                .iter()
                .filter_map(|p| {
                    let reading = headline(p);
                    let value = pick(reading)?;
                    let o = observation(articles, p.reports[0]);
                    Some(Datum {
                        period: p.period,
                        value,
                        estimate: reading.estimate,
                        url: Some(articles[o.article].placement().url.to_string()),
                    })
                })
                .collect();
            (key, data)
        };
        let flow = indicator.kind == IndicatorKind::Flow;
        let sets: Vec<(&'static str, Vec<Datum>)> = if flow {
            vec![line("thang", |r| r.value), line("luy-ke", |r| r.cumulative)]
        } else {
            vec![line("so-lieu", Reading::figure)]
        };
        let sets: Vec<_> = sets.into_iter().filter(|(_, data)| !data.is_empty()).collect();
        let periods = sets.iter().flat_map(|(_, data)| data.iter().map(|d| d.period));
        let (first, last) = (periods.clone().min()?, periods.max()?);
        let mut plans: Vec<(i32, f64)> = Vec::new();
        if flow {
            for point in &series.points {
                let reading = headline(point);
                if let (Some(total), Some(share)) = (reading.cumulative, reading.plan.filter(|p| *p > 0.0)) {
                    let plan = total * 100.0 / share;
                    match plans.last_mut() {
                        Some(last) if last.0 == point.period.0 => last.1 = plan,
                        _ => plans.push((point.period.0, plan)),
                    }
                }
            }
        }
        Some(Plot { sets, yearly: vec!["luy-ke"], plans, first, last })
    }

    /// The latest month that several areas reported the same measure of
    /// (year-to-date totals, else monthly values), largest first.
    fn comparison(&self, position: usize) -> Option<Comparison<'a>> {
        let articles = &self.site.articles;
        let catalog = &self.site.config.catalog;
        let indicator = &catalog.indicators[position];
        let all: Vec<_> = self.site.figures.all(position).collect();
        if all.len() < 2 {
            return None;
        }
        // (period, cumulative) → each area's headline report of it.
        type Reported = Vec<(Option<usize>, (usize, usize))>;
        let mut months: std::collections::BTreeMap<((i32, u32), bool), Reported> = Default::default();
        for (area, series) in &all {
            for point in &series.points {
                let reading = observation(articles, point.reports[0]).reading;
                for (measure, present) in
                    [(true, reading.cumulative.is_some()), (false, reading.value.is_some())]
                {
                    if present {
                        months.entry((point.period, measure)).or_default().push((*area, point.reports[0]));
                    }
                }
            }
        }
        let (((year, month), cumulative), reports) = months.into_iter().rev().find(|(_, r)| r.len() > 1)?;
        let mut rows: Vec<CompareRow<'a>> = reports
            .into_iter()
            .map(|(area, report)| {
                let o = observation(articles, report);
                let figure = if cumulative { o.reading.cumulative } else { o.reading.value };
                let article = reads::article(self.site, o.article);
                let organ = &catalog.organs[article.organ].name;
                let area_view = match (area, catalog.home) {
                    (Some(a), _) | (None, Some(a)) => self.area(indicator, a),
                    (None, None) => unreachable!("two series need `areas:`"),
                };
                CompareRow {
                    area: area_view,
                    figure: figure.unwrap_or(0.0),
                    estimate: o.reading.estimate,
                    article: ArticleLink { title: &article.title, url: &article.url, organ },
                    home: area.is_none(),
                    y: 0.0,
                    bar: 0.0,
                    label_x: 0.0,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.figure.total_cmp(&a.figure));
        let (width, font) = (Frame::NARROW.width, Frame::NARROW.font);
        // The widest value written after its bar, with " (ước)" for an estimate.
        let label = |r: &CompareRow| {
            let digits = crate::vietnamese::number::format_number(r.figure, None).chars().count();
            digits + if r.estimate { 6 } else { 0 }
        };
        let room = rows.iter().map(label).max().unwrap_or(0) as f64 * font * 0.62 + 12.0;
        let largest = rows.iter().map(|r| r.figure).fold(0.0, f64::max);
        for (i, row) in rows.iter_mut().enumerate() {
            row.y = i as f64 * BAND;
            let share = if largest > 0.0 { row.figure.max(0.0) / largest } else { 0.0 };
            row.bar = ((width - room) * share).max(1.0).round();
            row.label_x = row.bar + 6.0;
        }
        Some(Comparison { year, month, cumulative, height: rows.len() as f64 * BAND, rows, width, font })
    }

    pub fn data(&self, position: usize) -> SeriesData<'a> {
        let indicator = &self.site.config.catalog.indicators[position];
        let headlines = |series: &Series| series.points.iter().map(|p| self.headline(p, true)).collect();
        SeriesData {
            indicator: IndicatorName::of(indicator),
            series: headlines(&self.site.figures.series[position]),
            areas: self.site.figures.away[position]
                .iter()
                .map(|(a, series)| AreaData { area: self.area(indicator, *a), series: headlines(series) })
                .collect(),
        }
    }

    /// The last 12 months of the reading's indicator in its area, up to its
    /// period: its monthly values, or its totals when it has no value.
    fn sparkline(&self, reading: &Reading) -> Option<Arc<Chart>> {
        let key = (reading.indicator, reading.area, reading.period, reading.value.is_some());
        let lock = || self.sparks.lock().expect("no thread panics holding the sparklines");
        if let Some(made) = lock().get(&key) {
            return made.clone();
        }
        let made = self.spark_plot(reading).map(|plot| Arc::new(chart::layout(&plot, Frame::SPARK)));
        lock().entry(key).or_insert(made).clone()
    }

    /// What the reading's sparkline is drawn from (all it shows of other
    /// articles' figures).
    pub fn spark_plot(&self, reading: &Reading) -> Option<Plot> {
        let series = self.site.figures.of(reading.indicator, reading.area)?;
        let pick = if reading.value.is_some() { |r: &Reading| r.value } else { Reading::figure };
        let data: Vec<Datum> = series
            .window(reading.period, 12)
            .iter()
            .filter_map(|p| {
                let value = pick(observation(&self.site.articles, p.reports[0]).reading)?;
                Some(Datum { period: p.period, value, estimate: false, url: None })
            })
            .collect();
        let plot = Plot {
            sets: vec![("", data)],
            // Totals start again in January.
            yearly: if reading.value.is_some() { Vec::new() } else { vec![""] },
            plans: Vec::new(),
            first: add_months(reading.period, -11),
            last: reading.period,
        };
        (!plot.sets[0].1.is_empty()).then_some(plot)
    }
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

#[cfg(test)]
mod tests {
    use super::super::templates::DEFAULT_TEMPLATES;

    /// The words of `partials/span.html` for a span of `months` up to `month`.
    fn span(months: u32, month: u32, year: i32) -> String {
        let mut tera = tera::Tera::default();
        let (name, text) = DEFAULT_TEMPLATES.iter().find(|(n, _)| *n == "partials/span.html").unwrap();
        tera.add_raw_templates([
            (*name, *text),
            ("t", "{% import \"partials/span.html\" as s %}{{ s::span(months=m, month=n, year=y) }}"),
        ])
        .unwrap();
        let mut context = tera::Context::new();
        context.insert("m", &months);
        context.insert("n", &month);
        context.insert("y", &year);
        tera.render("t", &context).unwrap()
    }

    #[test]
    fn spans_are_named_the_vietnamese_way() {
        assert_eq!(span(1, 8, 2023), "tháng 8/2023", "a month's value");
        assert_eq!(span(1, 1, 2024), "tháng 1/2024", "January's running total is January");
        assert_eq!(span(3, 3, 2024), "quý I/2024");
        assert_eq!(span(6, 6, 2023), "6 tháng đầu năm 2023");
        assert_eq!(span(9, 9, 2022), "9 tháng đầu năm 2022");
        assert_eq!(span(12, 12, 2023), "năm 2023", "a December running total is the year");
        assert_eq!(span(8, 8, 2023), "8 tháng năm 2023 (lũy kế)");
        assert_eq!(span(2, 2, 2023), "2 tháng năm 2023 (lũy kế)");
        assert_eq!(span(11, 11, 2023), "11 tháng năm 2023 (lũy kế)");
    }
}
