//! Rendering: the list of pages a site has, and each page rendered with its
//! template from borrowed views, in parallel.

pub mod context;
pub mod figures;
pub mod filters;
pub mod paginate;
pub mod search;
pub mod templates;
pub mod workbook;

use std::sync::OnceLock;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::site::Site;
use context::{month_url, year_url, ArchiveYearView, Views};
use paginate::{page_count, Paginator};

/// One page of the site and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub enum PageKind {
    /// Page number (1-based) of the latest articles.
    Home(usize),
    /// Position in `Site::articles`.
    Article(usize),
    /// Position in `Index::months`.
    Month(usize),
    /// Position in `Index::years`.
    Year(usize),
    Archive,
    Organs,
    /// Position in `Index::organs`, page number.
    Organ(usize, usize),
    Tags,
    /// Position in `Index::tags`, page number.
    Tag(usize, usize),
    /// The search page and its script (the index files come from `search::files`).
    Search,
    SearchScript,
    Indicators,
    /// Position in the catalogue's indicators; its page, and its data as CSV and JSON.
    Indicator(usize),
    /// An indicator's page in another area than the site's own: positions
    /// in the catalogue's indicators and areas.
    IndicatorArea(usize, usize),
    IndicatorCsv(usize),
    IndicatorJson(usize),
    /// Every area's series as one Excel workbook.
    IndicatorXlsx(usize),
    /// Atom feed of the whole site (None) or of one organ (position in `Index::organs`).
    Feed(Option<usize>),
    Sitemap,
    Robots,
    NotFound,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Site path: `/2023/08/x/` or `/404.html`.
    pub url: String,
    pub kind: PageKind,
}

/// A rendered page, ready to be written: text (UTF-8) for every page but
/// the Excel files.
pub struct RenderedPage {
    pub url: String,
    pub body: Vec<u8>,
}

/// Every page of the site.
pub fn plan(site: &Site) -> Vec<Page> {
    let index = &site.index;
    let per_page = site.config.per_page;
    let mut pages = Vec::with_capacity(site.articles.len() + index.months.len() * 2 + 16);
    let mut push = |url: String, kind| pages.push(Page { url, kind });
    for n in 1..=page_count(index.latest.len(), per_page) {
        push(paginate::page_url("/", n), PageKind::Home(n));
    }
    for (i, article) in site.articles.iter().enumerate() {
        push(article.url.clone(), PageKind::Article(i));
    }
    for (i, m) in index.months.iter().enumerate() {
        push(month_url(m.year, m.month), PageKind::Month(i));
    }
    for (i, y) in index.years.iter().enumerate() {
        push(year_url(y.year), PageKind::Year(i));
    }
    push("/luu-tru/".into(), PageKind::Archive);
    push("/co-quan/".into(), PageKind::Organs);
    let catalog = &site.config.catalog;
    for (i, listing) in index.organs.iter().enumerate() {
        let base = format!("/co-quan/{}/", catalog.organs[listing.organ].id);
        for n in 1..=page_count(listing.articles.len(), per_page) {
            push(paginate::page_url(&base, n), PageKind::Organ(i, n));
        }
    }
    push("/the/".into(), PageKind::Tags);
    for (i, tag) in index.tags.iter().enumerate() {
        let base = format!("/the/{}/", tag.slug);
        for n in 1..=page_count(tag.articles.len(), per_page) {
            push(paginate::page_url(&base, n), PageKind::Tag(i, n));
        }
    }
    push("/tim-kiem/".into(), PageKind::Search);
    push("/tim-kiem/tim-kiem.js".into(), PageKind::SearchScript);
    push("/chi-tieu/".into(), PageKind::Indicators);
    for (i, indicator) in catalog.indicators.iter().enumerate() {
        push(format!("/chi-tieu/{}/", indicator.id), PageKind::Indicator(i));
        for (a, _) in &site.figures.away[i] {
            let url = figures::area_url(indicator, Some(&catalog.areas[*a]));
            push(url, PageKind::IndicatorArea(i, *a));
        }
        push(format!("/chi-tieu/{}.csv", indicator.id), PageKind::IndicatorCsv(i));
        push(format!("/chi-tieu/{}.json", indicator.id), PageKind::IndicatorJson(i));
        push(format!("/chi-tieu/{}.xlsx", indicator.id), PageKind::IndicatorXlsx(i));
    }
    push("/feed.xml".into(), PageKind::Feed(None));
    for (i, listing) in index.organs.iter().enumerate() {
        push(format!("/co-quan/{}/feed.xml", catalog.organs[listing.organ].id), PageKind::Feed(Some(i)));
    }
    push("/sitemap.xml".into(), PageKind::Sitemap);
    push("/robots.txt".into(), PageKind::Robots);
    push("/404.html".into(), PageKind::NotFound);
    pages
}

impl Page {
    /// The articles this page shows or lists (positions in `Site::articles`),
    /// without the ones every page shows (the site's organ and year counts).
    pub fn sources<'s>(&self, site: &'s Site) -> std::borrow::Cow<'s, [usize]> {
        use std::borrow::Cow;
        let index = &site.index;
        let per_page = site.config.per_page;
        let series_articles = |i: usize, area: Option<usize>| -> Cow<'s, [usize]> {
            // The site's own area's page compares every area.
            let series: Vec<_> = match area {
                None => site.figures.all(i).map(|(_, s)| s).collect(),
                Some(_) => site.figures.of(i, area).into_iter().collect(),
            };
            let points = series.into_iter().flat_map(|s| &s.points);
            Cow::Owned(points.flat_map(|p| p.reports.iter().map(|r| r.0)).collect())
        };
        match self.kind {
            PageKind::Home(n) => Cow::Borrowed(slice(&index.latest, n, per_page)),
            PageKind::Article(i) => {
                let (prev, next) = index.neighbours[i];
                let shown = [Some(i), prev, next].into_iter().flatten();
                Cow::Owned(shown.chain(index.related[i].iter().copied()).collect())
            }
            PageKind::Month(i) => Cow::Borrowed(&index.months[i].articles),
            PageKind::Year(i) => {
                let months = &index.years[i].months;
                Cow::Owned(months.iter().flat_map(|&m| index.months[m].articles.iter().copied()).collect())
            }
            PageKind::Organ(i, _) => Cow::Borrowed(&index.organs[i].articles),
            PageKind::Tag(i, n) => Cow::Borrowed(slice(&index.tags[i].articles, n, per_page)),
            PageKind::Indicator(i)
            | PageKind::IndicatorCsv(i)
            | PageKind::IndicatorJson(i)
            | PageKind::IndicatorXlsx(i) => series_articles(i, None),
            PageKind::IndicatorArea(i, a) => series_articles(i, Some(a)),
            PageKind::Feed(None) => Cow::Borrowed(feed_slice(&index.latest)),
            PageKind::Feed(Some(i)) => Cow::Borrowed(feed_slice(&index.organs[i].articles)),
            PageKind::Archive
            | PageKind::Organs
            | PageKind::Tags
            | PageKind::Indicators
            | PageKind::Sitemap
            | PageKind::Robots
            | PageKind::Search
            | PageKind::SearchScript
            | PageKind::NotFound => Cow::Borrowed(&[]),
        }
    }
}

/// Entries in a feed: the newest, as most readers keep only these.
const FEED_ENTRIES: usize = 20;

pub(crate) fn feed_slice(articles: &[usize]) -> &[usize] {
    &articles[..articles.len().min(FEED_ENTRIES)]
}

/// Renders pages for one site with one set of templates.
pub struct Renderer<'a> {
    views: Views<'a>,
    tera: &'a Tera,
    /// What every page's context holds (`site`, `live_reload`).
    common: Map<String, Value>,
    /// Each article as listings show it (without its content), serialized
    /// on first use and cloned into every listing after that: an article is
    /// listed about ten times (home, month, year, organ, tags, neighbours,
    /// related articles).
    cards: Vec<OnceLock<Value>>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera, live_reload: bool) -> Self {
        let views = Views { site };
        let mut common = Map::new();
        common.insert("site".into(), json(&views.site_view()));
        common.insert("live_reload".into(), Value::Bool(live_reload));
        let cards = site.articles.iter().map(|_| OnceLock::new()).collect();
        Renderer { views, tera, common, cards }
    }

    /// Renders every page in parallel; template errors are collected.
    pub fn render_all(&self, pages: &[Page]) -> Result<Vec<RenderedPage>, Diagnostics> {
        let results: Vec<Result<RenderedPage, Diagnostic>> =
            pages.par_iter().map(|page| self.render(page)).collect();
        let mut rendered = Vec::with_capacity(results.len());
        let mut errors = Diagnostics::default();
        for result in results {
            match result {
                Ok(page) => rendered.push(page),
                Err(diagnostic) if errors.0.iter().any(|d| d.problem == diagnostic.problem) => {}
                Err(diagnostic) => errors.push(diagnostic),
            }
        }
        if errors.is_empty() {
            Ok(rendered)
        } else {
            Err(errors)
        }
    }

    pub fn render(&self, page: &Page) -> Result<RenderedPage, Diagnostic> {
        if let PageKind::IndicatorJson(i) = page.kind {
            // Data, not words: serialized directly.
            let data = self.views.figures().data(i);
            let json = serde_json::to_string_pretty(&data).expect("figures serialize to JSON");
            return Ok(RenderedPage { url: page.url.clone(), body: (json + "\n").into_bytes() });
        }
        if let PageKind::IndicatorXlsx(i) = page.kind {
            return self.workbook(page, i);
        }
        let (template, context) = self.context(page);
        let html = self.tera_render(template, &context)?;
        Ok(RenderedPage { url: page.url.clone(), body: html.into_bytes() })
    }

    fn tera_render(&self, template: &'static str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|error| {
            let message = templates::error_chain(&error);
            Diagnostic::file(format!("templates/{template}"), Problem::Template { message })
        })
    }

    /// The CSV of each area with figures of the indicator, one sheet each,
    /// the site's own area first.
    fn workbook(&self, page: &Page, indicator: usize) -> Result<RenderedPage, Diagnostic> {
        let site = self.views.site;
        let catalog = &site.config.catalog;
        let mut sheets = Vec::new();
        for (area, _) in site.figures.all(indicator) {
            let mut context = self.common.clone();
            put(&mut context, "page_url", &page.url);
            put(&mut context, "page", &self.views.figures().page(indicator, area));
            let context = tera::Context::from_value(Value::Object(context)).expect("a map is a context");
            let name = match area.or(catalog.home) {
                Some(a) => catalog.areas[a].name.as_str(),
                None => catalog.indicators[indicator].id.as_str(),
            };
            sheets.push((name, self.tera_render("indicator.csv", &context)?));
        }
        let newest = page.sources(site).iter().map(|&a| site.articles[a].published).max();
        let made = newest.map_or((2000, 1, 1), |t| (t.year(), t.month(), t.day()));
        Ok(RenderedPage { url: page.url.clone(), body: workbook::workbook(&sheets, made) })
    }

    fn context(&self, page: &Page) -> (&'static str, tera::Context) {
        let site = self.views.site;
        let index = &site.index;
        let per_page = site.config.per_page;
        let views = &self.views;
        let mut context = self.common.clone();
        put(&mut context, "page_url", &page.url);
        let template = match page.kind {
            PageKind::Home(n) => {
                let total = page_count(index.latest.len(), per_page);
                context.insert("articles".into(), self.cards(slice(&index.latest, n, per_page)));
                put(&mut context, "paginator", &Paginator::new("/", n, total));
                put(&mut context, "highlights", &views.figures().highlights());
                "index.html"
            }
            PageKind::Article(i) => {
                let (prev, next) = index.neighbours[i];
                put(&mut context, "article", &views.article(i, true));
                put(&mut context, "figures", &views.figures().article_sidebar(i));
                context.insert("prev".into(), prev.map_or(Value::Null, |p| self.card(p)));
                context.insert("next".into(), next.map_or(Value::Null, |p| self.card(p)));
                context.insert("related".into(), self.cards(&index.related[i]));
                "article.html"
            }
            PageKind::Month(i) => {
                let month = &index.months[i];
                put(&mut context, "year", &month.year);
                put(&mut context, "month", &month.month);
                context.insert("articles".into(), self.cards(&month.articles));
                put(&mut context, "figures", &views.figures().reported_at(&month.articles));
                // Months are newest first: the previous month is the next entry.
                put(&mut context, "prev_month", &index.months.get(i + 1).map(|m| views.month(m)));
                put(&mut context, "next_month", &i.checked_sub(1).map(|j| views.month(&index.months[j])));
                "month.html"
            }
            PageKind::Year(i) => {
                let year = &index.years[i];
                let months = year.months.iter().map(|&m| {
                    let month = &index.months[m];
                    let mut view = json(&views.month(month));
                    view["articles"] = self.cards(&month.articles);
                    view
                });
                put(&mut context, "year", &year.year);
                context.insert("months".into(), Value::Array(months.collect()));
                put(&mut context, "prev_year", &index.years.get(i + 1).map(|y| y.year));
                put(&mut context, "next_year", &i.checked_sub(1).map(|j| index.years[j].year));
                "year.html"
            }
            PageKind::Archive => {
                let years: Vec<ArchiveYearView> = index
                    .years
                    .iter()
                    .map(|y| ArchiveYearView {
                        year: y.year,
                        url: year_url(y.year),
                        count: y.count,
                        months: y.months.iter().map(|&m| views.month(&index.months[m])).collect(),
                    })
                    .collect();
                put(&mut context, "years", &years);
                "archive.html"
            }
            PageKind::Organs => {
                let organs: Vec<_> =
                    index.organs.iter().map(|o| views.organ(o.organ, Some(o.articles.len()))).collect();
                put(&mut context, "organs", &organs);
                "organs.html"
            }
            PageKind::Organ(i, n) => {
                let listing = &index.organs[i];
                let organ = views.organ(listing.organ, Some(listing.articles.len()));
                let total = page_count(listing.articles.len(), per_page);
                put(&mut context, "paginator", &Paginator::new(&organ.url, n, total));
                context.insert("articles".into(), self.cards(slice(&listing.articles, n, per_page)));
                let area = site.config.catalog.organs[listing.organ].area;
                put(&mut context, "figures", &views.figures().latest_among(&listing.articles, area));
                put(&mut context, "organ", &organ);
                "organ.html"
            }
            PageKind::Tags => {
                let tags: Vec<_> = index.tags.iter().map(|t| views.tag(t)).collect();
                put(&mut context, "tags", &tags);
                "tags.html"
            }
            PageKind::Tag(i, n) => {
                let tag = views.tag(&index.tags[i]);
                let total = page_count(index.tags[i].articles.len(), per_page);
                put(&mut context, "paginator", &Paginator::new(&tag.url, n, total));
                context.insert("articles".into(), self.cards(slice(&index.tags[i].articles, n, per_page)));
                put(&mut context, "tag", &tag);
                "tag.html"
            }
            PageKind::Indicators => {
                put(&mut context, "groups", &views.figures().catalogue());
                "indicators.html"
            }
            PageKind::Indicator(i) => {
                put(&mut context, "page", &views.figures().page(i, None));
                "indicator.html"
            }
            PageKind::IndicatorArea(i, a) => {
                put(&mut context, "page", &views.figures().page(i, Some(a)));
                "indicator.html"
            }
            PageKind::IndicatorCsv(i) => {
                put(&mut context, "page", &views.figures().page(i, None));
                "indicator.csv"
            }
            PageKind::IndicatorJson(_) | PageKind::IndicatorXlsx(_) => {
                unreachable!("rendered without a template")
            }
            PageKind::Feed(listing) => {
                let (organ, articles) = match listing {
                    Some(i) => {
                        let listing = &index.organs[i];
                        (Some(views.organ(listing.organ, None)), &listing.articles)
                    }
                    None => (None, &index.latest),
                };
                let shown = feed_slice(articles);
                let updated = shown.iter().map(|&a| &site.articles[a].published).max();
                put(&mut context, "organ", &organ);
                put(&mut context, "updated", &updated.map(|t| views.local_time(t)));
                context.insert("articles".into(), self.cards(shown));
                "feed.xml"
            }
            PageKind::Sitemap => {
                put(&mut context, "entries", &sitemap_entries(site, views));
                "sitemap.xml"
            }
            PageKind::Robots => "robots.txt",
            PageKind::Search => "search.html",
            PageKind::SearchScript => "search.js",
            PageKind::NotFound => "404.html",
        };
        (template, tera::Context::from_value(Value::Object(context)).expect("a map is a context"))
    }

    /// An article as listings show it.
    fn card(&self, article: usize) -> Value {
        self.cards[article].get_or_init(|| json(&self.views.article(article, false))).clone()
    }

    fn cards(&self, articles: &[usize]) -> Value {
        Value::Array(articles.iter().map(|&a| self.card(a)).collect())
    }
}

fn json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("views serialize to JSON")
}

fn put(context: &mut Map<String, Value>, key: &str, value: &impl Serialize) {
    context.insert(key.to_string(), json(value));
}

#[derive(serde::Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

/// Every HTML page, with the newest publication time of what it shows.
fn sitemap_entries(site: &Site, views: &Views) -> Vec<SitemapEntry> {
    let newest_anywhere = site.index.latest.first().map(|&a| &site.articles[a].published);
    plan(site)
        .into_iter()
        .filter(|page| page.url.ends_with('/'))
        .map(|page| {
            let sources = page.sources(site);
            let newest = sources.iter().map(|&a| &site.articles[a].published).max().or(newest_anywhere);
            SitemapEntry { lastmod: newest.map(|t| views.local_time(t)), url: page.url }
        })
        .collect()
}

/// The items of page `n` (1-based).
pub(crate) fn slice(items: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}
