//! Rendering: the list of pages a site has, and each page rendered with its
//! template from borrowed views, in parallel.

pub mod context;
pub mod figures;
pub mod filters;
pub mod paginate;
pub mod reads;
pub mod search;
pub mod templates;
pub mod workbook;

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use templates::Templates;

use crate::assemble::Site;
use crate::content::Article;
use crate::diagnostics::{Diagnostic, Diagnostics, Problem};
use crate::indicator::Table;
use crate::site::Config;
use context::{month_url, year_url, ArchiveYearView, MonthView, Views};
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
        push(article.placement().url.to_string(), PageKind::Article(i));
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

/// Renders pages for one site with one set of templates, and tells what a
/// page would be rendered from without rendering it (its fingerprint).
pub struct Renderer<'a> {
    views: Views<'a>,
    templates: &'a Templates,
    /// What every page's context holds (`site`), and its digest without
    /// the organs and years (`counts_digest`): their counts change with
    /// every new article, and the pages of few templates show them.
    common: Map<String, Value>,
    common_digest: u64,
    counts_digest: u64,
    /// Each article as listings show it (without its content) with its
    /// card's HTML at both heading levels (`partials/card.html`), made on
    /// first use and copied into every listing after that: an article is
    /// listed about ten times (home, month, year, organ, tags, neighbours,
    /// related articles).
    cards: Vec<OnceLock<Result<Arc<Card>, Diagnostic>>>,
    /// The digest of each card, made on first use as the card is.
    card_digests: Vec<OnceLock<u64>>,
    /// Views many pages show (the home pages' highlights, an organ's
    /// figures on each of its pages), made once.
    highlights: Shared,
    /// By position in `Index::organs`.
    organ_figures: Vec<Shared>,
    /// Each indicator's page in each area with figures (None: the site's
    /// own), as its page, its CSV and its workbook's sheet show it.
    indicator_pages: HashMap<(usize, Option<usize>), Shared>,
    /// Digests kept from the last rebuild, when they were made with the same settings.
    memo: Option<&'a Memo>,
}

/// Digests of what each article shows of itself (its card; on its page, the
/// article and its figures), and its card as listings show it, kept across
/// rebuilds by their owner (serve), who makes a new memo when the templates
/// change: an unchanged article keeps its `Arc`, and with the same settings
/// its views are the same, so they are looked up instead of made again.
#[derive(Default)]
pub struct Memo {
    config: Option<Arc<Config>>,
    /// The figure table of the site last kept, and how many different
    /// tables were kept before it.
    figures: Option<(Arc<Table>, u64)>,
    /// By the article's address.
    articles: Mutex<HashMap<usize, Remembered>>,
    /// The cards of the listings with many of them last rendered, by URL,
    /// most recent last: rendered again (a title edit renders its year's
    /// page, ~1,000 cards at 10,000 articles), such a page takes the copies
    /// of its unchanged cards back instead of copying each card again.
    listings: Mutex<Vec<(String, Copies)>>,
}

struct Remembered {
    /// Held so that its address is not given to another article.
    article: Arc<Article>,
    card: Option<u64>,
    /// Its card, HTML included (`Renderer::card`).
    shown: Option<Arc<Card>>,
    /// The digest of its sparklines' data when the page's digest was made,
    /// that digest, and the figure table it was last checked against.
    page: Option<(u64, u64, u64)>,
}

impl Memo {
    /// Keeps what still holds for `site`: nothing when its settings are
    /// others, else the digests of the articles it still has.
    pub fn keep(&mut self, site: &Site) {
        let articles = self.articles.get_mut().expect("no thread panics holding the memo");
        if !self.config.as_ref().is_some_and(|config| Arc::ptr_eq(config, &site.config)) {
            articles.clear();
            self.listings.get_mut().expect("no thread panics holding the memo").clear();
            self.config = Some(Arc::clone(&site.config));
        }
        let present: HashSet<usize> = site.articles.iter().map(address).collect();
        articles.retain(|a, _| present.contains(a));
        match &mut self.figures {
            Some((figures, _)) if Arc::ptr_eq(figures, &site.figures) => {}
            Some((figures, table)) => (*figures, *table) = (Arc::clone(&site.figures), *table + 1),
            None => self.figures = Some((Arc::clone(&site.figures), 0)),
        }
    }

    /// Which figure table was kept last.
    fn table(&self) -> u64 {
        self.figures.as_ref().map_or(0, |(_, table)| *table)
    }

    fn get<T>(&self, article: &Arc<Article>, read: impl FnOnce(&Remembered) -> Option<T>) -> Option<T> {
        let articles = self.articles.lock().expect("no thread panics holding the memo");
        articles.get(&address(article)).filter(|r| Arc::ptr_eq(&r.article, article)).and_then(read)
    }

    fn set(&self, article: &Arc<Article>, write: impl FnOnce(&mut Remembered)) {
        let mut articles = self.articles.lock().expect("no thread panics holding the memo");
        let remembered = articles.entry(address(article)).or_insert_with(|| Remembered {
            article: Arc::clone(article),
            card: None,
            shown: None,
            page: None,
        });
        write(remembered);
    }
}

fn address(article: &Arc<Article>) -> usize {
    Arc::as_ptr(article) as usize
}

/// Listings with at least this many cards keep their copies (`Memo::listings`)...
const MANY_CARDS: usize = 40;
/// ...and this many such listings are kept (a year's page is about a tenth
/// of the articles' cards).
const LISTINGS_KEPT: usize = 2;

impl Memo {
    /// The copies kept from the last render of the page at `url`, if any.
    fn copies(&self, url: &str) -> Copies {
        let mut listings = self.listings.lock().expect("no thread panics holding the memo");
        match listings.iter().position(|(kept, _)| kept == url) {
            Some(i) => listings.remove(i).1,
            None => Copies::default(),
        }
    }

    /// Keeps the copies of the page at `url`, the last of those kept.
    fn keep_copies(&self, url: &str, copies: Copies) {
        let mut listings = self.listings.lock().expect("no thread panics holding the memo");
        listings.push((url.to_string(), copies));
        let over = listings.len().saturating_sub(LISTINGS_KEPT);
        listings.drain(..over);
    }
}

/// An article as listings show it, kept as its JSON text and its HTML
/// until a listing needs it as a tree: a card lives for the whole build,
/// and as a tree of small maps it takes about four times the memory (at
/// 100,000 articles, 2 GB of cards).
struct Card {
    view: Box<str>,
    /// `partials/card.html` at heading levels 2 and 3.
    html: [Box<str>; 2],
}

impl Card {
    /// The card as a template reads it, its HTML under `html_h2` and `html_h3`.
    fn value(&self) -> Value {
        let mut value: Value = serde_json::from_str(&self.view).expect("serde_json reads what it wrote");
        for (key, html) in ["html_h2", "html_h3"].into_iter().zip(&self.html) {
            value[key] = Value::String(html.to_string());
        }
        value
    }
}

/// Copies of cards in a page's context, by the card they were copied
/// from (held, so that its address is not another card's).
#[derive(Default)]
struct Copies {
    by_card: HashMap<usize, (Arc<Card>, Vec<Value>)>,
}

impl Copies {
    /// A copy of each card: one kept, or a new one.
    fn list(&mut self, cards: &[Arc<Card>]) -> Vec<Value> {
        let mut copy = |card: &Arc<Card>| {
            let kept = self.by_card.get_mut(&(Arc::as_ptr(card) as usize)).and_then(|(_, c)| c.pop());
            kept.unwrap_or_else(|| card.value())
        };
        cards.iter().map(&mut copy).collect()
    }

    fn give(&mut self, card: &Arc<Card>, copy: Value) {
        let entry = self.by_card.entry(Arc::as_ptr(card) as usize);
        entry.or_insert_with(|| (Arc::clone(card), Vec::new())).1.push(copy);
    }
}

/// A view made once for many pages, the articles it read, and its digest.
#[derive(Default)]
struct Shared {
    value: OnceLock<(Value, Vec<usize>)>,
    digest: OnceLock<u64>,
}

impl Shared {
    /// The view, its reads noted for the page that shows it.
    fn value(&self, make: &dyn Fn() -> Value) -> &Value {
        let (value, read) = self.value.get_or_init(|| reads::noting(make));
        reads::note(read);
        value
    }

    fn digest(&self, make: &dyn Fn() -> Value) -> u64 {
        let value = self.value(make);
        *self.digest.get_or_init(|| digest_of(value))
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        let views = Views::new(site);
        let mut common = Map::new();
        let mut site_view = views.site_view();
        common.insert("site".into(), json(&site_view));
        let counts_digest =
            digest_of(&(std::mem::take(&mut site_view.organs), std::mem::take(&mut site_view.years)));
        let common_digest = digest_of(&site_view);
        let cards = site.articles.iter().map(|_| OnceLock::new()).collect();
        let card_digests = site.articles.iter().map(|_| OnceLock::new()).collect();
        let organ_figures = site.index.organs.iter().map(|_| Shared::default()).collect();
        let indicators = 0..site.config.catalog.indicators.len();
        let indicator_pages = indicators
            .flat_map(|i| site.figures.all(i).map(move |(area, _)| ((i, area), Shared::default())))
            .collect();
        Renderer {
            views,
            templates,
            common,
            common_digest,
            counts_digest,
            cards,
            card_digests,
            highlights: Shared::default(),
            organ_figures,
            indicator_pages,
            memo: None,
        }
    }

    /// Looks digests up in `memo` and keeps new ones there, if it was kept
    /// for this site's settings (`Memo::keep`).
    pub fn remembering(mut self, memo: &'a Memo) -> Self {
        let site = self.views.site;
        self.memo =
            memo.config.as_ref().is_some_and(|config| Arc::ptr_eq(config, &site.config)).then_some(memo);
        self
    }

    /// A digest of everything the page is made from: its template's name and
    /// its context, as `render` builds it (the same `fill`), or its data.
    /// Equal fingerprints, equal pages, for the same templates.
    pub fn fingerprint(&self, page: &Page) -> u64 {
        let mut digest = Digest { renderer: self, hasher: DefaultHasher::new() };
        self.common_digest.hash(&mut digest.hasher);
        if let PageKind::IndicatorJson(i) = page.kind {
            digest.put("data", &self.views.figures().data(i));
        } else if let PageKind::IndicatorXlsx(i) = page.kind {
            for (area, _) in self.views.site.figures.all(i) {
                self.sheet(page, i, area, &mut digest).hash(&mut digest.hasher);
            }
            self.counts_shown("indicator.csv").hash(&mut digest.hasher);
            self.made(page).hash(&mut digest.hasher);
        } else {
            let template = self.fill(page, &mut digest);
            self.counts_shown(template).hash(&mut digest.hasher);
        }
        digest.hasher.finish()
    }

    /// A template's name, and the site's organs and years (their digest)
    /// when its pages may show them: for a fingerprint.
    fn counts_shown<'t>(&self, template: &'t str) -> (&'t str, Option<u64>) {
        (template, self.templates.shows_counts(template).then_some(self.counts_digest))
    }

    /// Renders every page in parallel; template errors are collected.
    pub fn render_all(&self, pages: &[Page]) -> Result<Vec<RenderedPage>, Diagnostics> {
        collect(pages.par_iter().map(|page| self.render(page)).collect())
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
        let mut values = Values::new(self);
        let template = self.fill(page, &mut values);
        if let Some(diagnostic) = values.failed {
            return Err(diagnostic);
        }
        let mut copies = self.memo.map(|memo| memo.copies(&page.url)).unwrap_or_default();
        let map = Slot::fill(values.map, &values.slots, &mut copies);
        let context = tera::Context::from_value(Value::Object(map)).expect("a map is a context");
        let html = self.tera_render(template, &context)?;
        if let Some(memo) = self.memo.filter(|_| Slot::count(&values.slots) >= MANY_CARDS) {
            memo.keep_copies(&page.url, Slot::take_back(context.into_json(), &values.slots));
        }
        Ok(RenderedPage { url: page.url.clone(), body: html.into_bytes() })
    }

    fn tera_render(&self, template: &'static str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.templates.tera.render(template, context).map_err(|error| {
            let message = templates::error_chain(&error);
            Diagnostic::file(format!("templates/{template}"), Problem::Template { message })
        })
    }

    /// The CSV of each area with figures of the indicator, one sheet each,
    /// the site's own area first.
    fn workbook(&self, page: &Page, indicator: usize) -> Result<RenderedPage, Diagnostic> {
        let mut csvs = Vec::new();
        for (area, _) in self.views.site.figures.all(indicator) {
            let mut context = Values::new(self);
            let name = self.sheet(page, indicator, area, &mut context);
            let context = tera::Context::from_value(Value::Object(context.map)).expect("a map is a context");
            csvs.push((name, self.tera_render("indicator.csv", &context)?));
        }
        Ok(RenderedPage { url: page.url.clone(), body: workbook::workbook(&csvs, self.made(page)) })
    }

    /// The sheet of one area: its context, what `workbook` renders and
    /// `fingerprint` digests; returns its name.
    fn sheet(
        &self,
        page: &Page,
        indicator: usize,
        area: Option<usize>,
        context: &mut impl Context,
    ) -> &'a str {
        let catalog = &self.views.site.config.catalog;
        context.put("page_url", &page.url);
        self.indicator_page(indicator, area, context);
        match area.or(catalog.home) {
            Some(a) => catalog.areas[a].name.as_str(),
            None => catalog.indicators[indicator].id.as_str(),
        }
    }

    /// An indicator's page in one area, as `page`.
    fn indicator_page(&self, indicator: usize, area: Option<usize>, context: &mut impl Context) {
        // Every page is planned for an area with figures, the site's own or another.
        let slot = &self.indicator_pages[&(indicator, area)];
        context.shared("page", slot, &|| json(&self.views.figures().page(indicator, area)));
    }

    /// The day a workbook says it was made: its newest article's.
    fn made(&self, page: &Page) -> (i32, u32, u32) {
        let site = self.views.site;
        let newest = page.sources(site).iter().map(|&a| site.articles[a].placement().published).max();
        newest.map_or((2000, 1, 1), |t| (t.year(), t.month(), t.day()))
    }

    /// Puts what the page's template reads into `context`; returns the template.
    fn fill(&self, page: &Page, context: &mut impl Context) -> &'static str {
        let site = self.views.site;
        let index = &site.index;
        let per_page = site.config.per_page;
        let views = &self.views;
        context.put("page_url", &page.url);
        let template = match page.kind {
            PageKind::Home(n) => {
                let total = page_count(index.latest.len(), per_page);
                context.cards("articles", slice(&index.latest, n, per_page));
                context.put("paginator", &Paginator::new("/", n, total));
                context.shared("highlights", &self.highlights, &|| json(&views.figures().highlights()));
                "index.html"
            }
            PageKind::Article(i) => {
                let (prev, next) = index.neighbours[i];
                context.article(i);
                context.card("prev", prev);
                context.card("next", next);
                context.cards("related", &index.related[i]);
                "article.html"
            }
            PageKind::Month(i) => {
                let month = &index.months[i];
                context.put("year", &month.year);
                context.put("month", &month.month);
                context.cards("articles", &month.articles);
                context.put("figures", &views.figures().reported_at(&month.articles));
                // Months are newest first: the previous month is the next entry.
                context.put("prev_month", &index.months.get(i + 1).map(|m| views.month(m)));
                context.put("next_month", &i.checked_sub(1).map(|j| views.month(&index.months[j])));
                "month.html"
            }
            PageKind::Year(i) => {
                let year = &index.years[i];
                let months = year.months.iter().map(|&m| {
                    let month = &index.months[m];
                    (views.month(month), month.articles.as_slice())
                });
                context.put("year", &year.year);
                context.months("months", months);
                context.put("prev_year", &index.years.get(i + 1).map(|y| y.year));
                context.put("next_year", &i.checked_sub(1).map(|j| index.years[j].year));
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
                context.put("years", &years);
                "archive.html"
            }
            PageKind::Organs => {
                let organs: Vec<_> =
                    index.organs.iter().map(|o| views.organ(o.organ, Some(o.articles.len()))).collect();
                context.put("organs", &organs);
                "organs.html"
            }
            PageKind::Organ(i, n) => {
                let listing = &index.organs[i];
                let organ = views.organ(listing.organ, Some(listing.articles.len()));
                let total = page_count(listing.articles.len(), per_page);
                context.put("paginator", &Paginator::new(&organ.url, n, total));
                context.cards("articles", slice(&listing.articles, n, per_page));
                let area = site.config.catalog.organs[listing.organ].area;
                let figures = || json(&views.figures().latest_among(&listing.articles, area));
                context.shared("figures", &self.organ_figures[i], &figures);
                context.put("organ", &organ);
                "organ.html"
            }
            PageKind::Tags => {
                let tags: Vec<_> = index.tags.iter().map(|t| views.tag(t)).collect();
                context.put("tags", &tags);
                "tags.html"
            }
            PageKind::Tag(i, n) => {
                let tag = views.tag(&index.tags[i]);
                let total = page_count(index.tags[i].articles.len(), per_page);
                context.put("paginator", &Paginator::new(&tag.url, n, total));
                context.cards("articles", slice(&index.tags[i].articles, n, per_page));
                context.put("tag", &tag);
                "tag.html"
            }
            PageKind::Indicators => {
                context.put("groups", &views.figures().catalogue());
                "indicators.html"
            }
            PageKind::Indicator(i) => {
                self.indicator_page(i, None, context);
                "indicator.html"
            }
            PageKind::IndicatorArea(i, a) => {
                self.indicator_page(i, Some(a), context);
                "indicator.html"
            }
            PageKind::IndicatorCsv(i) => {
                self.indicator_page(i, None, context);
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
                let updated = shown.iter().map(|&a| site.articles[a].placement().published).max();
                context.put("organ", &organ);
                context.put("updated", &updated.map(|t| views.local_time(&t)));
                context.cards("articles", shown);
                "feed.xml"
            }
            PageKind::Sitemap => {
                context.put("entries", &sitemap_entries(site, views));
                "sitemap.xml"
            }
            PageKind::Robots => "robots.txt",
            PageKind::Search => "search.html",
            PageKind::SearchScript => "search.js",
            PageKind::NotFound => "404.html",
        };
        template
    }

    /// An article as listings show it, with its card's HTML.
    fn card(&self, article: usize) -> Result<Arc<Card>, Diagnostic> {
        let shared = reads::article(self.views.site, article);
        let made = self.cards[article].get_or_init(|| {
            if let Some(card) = self.memo.and_then(|memo| memo.get(shared, |r| r.shown.clone())) {
                return Ok(card);
            }
            let view = json(&self.views.article(article, false));
            let mut context = tera::Context::new();
            context.insert("a", &view);
            let mut html: [Box<str>; 2] = Default::default();
            for (level, html) in [2, 3].into_iter().zip(&mut html) {
                context.insert("level", &level);
                *html = self.tera_render("partials/card.html", &context)?.into_boxed_str();
            }
            let card = Card { view: view.to_string().into_boxed_str(), html };
            // Shared with the memo: a card is copied once per listing, not once more to be kept.
            let card = Arc::new(card);
            if let Some(memo) = self.memo {
                memo.set(shared, |r| r.shown = Some(Arc::clone(&card)));
            }
            Ok(card)
        });
        made.clone()
    }

    fn card_digest(&self, article: usize) -> u64 {
        let shared = reads::article(self.views.site, article);
        *self.card_digests[article].get_or_init(|| {
            let make = || digest_of(&self.views.article(article, false));
            let Some(memo) = self.memo else { return make() };
            memo.get(shared, |r| r.card).unwrap_or_else(|| {
                let card = make();
                memo.set(shared, |r| r.card = Some(card));
                card
            })
        })
    }

    /// What an article's page shows of the article itself.
    fn article_page(&self, context: &mut impl Context, article: usize) {
        context.put("article", &self.views.article(article, true));
        context.put("figures", &self.views.figures().article_sidebar(article));
    }

    /// The digest of `article_page`; from the memo when neither the article
    /// nor what its sparklines show of the other articles changed. They
    /// show the figure table and the readings it points to, which are in
    /// the placements it was built from: the same table (`Arc`), the same
    /// sparklines.
    fn article_digest(&self, article: usize) -> u64 {
        let shared = reads::article(self.views.site, article);
        let make = || {
            let mut own = Digest { renderer: self, hasher: DefaultHasher::new() };
            self.article_page(&mut own, article);
            own.hasher.finish()
        };
        let Some(memo) = self.memo else { return make() };
        let table = memo.table();
        let same_table = memo.get(shared, |r| r.page.filter(|p| p.2 == table).map(|p| p.1));
        if let Some(page) = same_table {
            return page;
        }
        let figures = self.views.figures();
        let plots: Vec<_> = shared.readings.iter().map(|r| figures.spark_plot(r)).collect();
        let plots = digest_of(&plots);
        let same_plots = memo.get(shared, |r| r.page.filter(|p| p.0 == plots).map(|p| p.1));
        let page = same_plots.unwrap_or_else(make);
        memo.set(shared, |r| r.page = Some((plots, page, table)));
        page
    }
}

/// The pages rendered, or the errors met, each problem once (a broken
/// template fails every page that uses it).
pub fn collect(results: Vec<Result<RenderedPage, Diagnostic>>) -> Result<Vec<RenderedPage>, Diagnostics> {
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

/// What a page's context is filled through: the values Tera renders from
/// (`Values`), or a digest of the very same values (`Digest`), so that a
/// fingerprint cannot leave out anything a page shows.
trait Context {
    fn put(&mut self, key: &str, value: &impl Serialize);
    /// Articles as listings show them.
    fn cards(&mut self, key: &str, articles: &[usize]);
    fn card(&mut self, key: &str, article: Option<usize>);
    /// The article on its page, with its figures (`article`, `figures`).
    fn article(&mut self, article: usize);
    /// A view made once (`make`) for all the pages that show it.
    fn shared(&mut self, key: &str, slot: &Shared, make: &dyn Fn() -> Value);
    /// Months, each with its articles as cards under `articles`.
    fn months<'m>(&mut self, key: &str, months: impl Iterator<Item = (MonthView, &'m [usize])>);
}

struct Values<'r, 'a> {
    renderer: &'r Renderer<'a>,
    map: Map<String, Value>,
    /// Where `map` is to show cards, put in last (`Slot::fill`).
    slots: Vec<Slot>,
    /// The first card that could not be rendered: the page cannot be either.
    failed: Option<Diagnostic>,
}

impl<'r, 'a> Values<'r, 'a> {
    fn new(renderer: &'r Renderer<'a>) -> Self {
        Values { renderer, map: renderer.common.clone(), slots: Vec::new(), failed: None }
    }

    fn cards_or_fail(&mut self, articles: &[usize]) -> Vec<Arc<Card>> {
        let made: Result<_, _> = articles.iter().map(|&a| self.renderer.card(a)).collect();
        made.unwrap_or_else(|diagnostic| {
            self.failed.get_or_insert(diagnostic);
            Vec::new()
        })
    }
}

impl Context for Values<'_, '_> {
    fn put(&mut self, key: &str, value: &impl Serialize) {
        self.map.insert(key.to_string(), json(value));
    }

    fn cards(&mut self, key: &str, articles: &[usize]) {
        let cards = self.cards_or_fail(articles);
        self.slots.push(Slot::Cards(key.to_string(), cards));
    }

    fn card(&mut self, key: &str, article: Option<usize>) {
        // One card is copied in at once: only listings of many keep copies.
        let card = self.cards_or_fail(article.as_slice()).pop();
        self.map.insert(key.to_string(), card.map_or(Value::Null, |card| card.value()));
    }

    fn article(&mut self, article: usize) {
        let renderer = self.renderer;
        renderer.article_page(self, article);
    }

    fn shared(&mut self, key: &str, slot: &Shared, make: &dyn Fn() -> Value) {
        self.map.insert(key.to_string(), slot.value(make).clone());
    }

    fn months<'m>(&mut self, key: &str, months: impl Iterator<Item = (MonthView, &'m [usize])>) {
        let (mut views, mut cards) = (Vec::new(), Vec::new());
        for (month, articles) in months {
            views.push(json(&month));
            cards.push(self.cards_or_fail(articles));
        }
        self.map.insert(key.to_string(), Value::Array(views));
        self.slots.push(Slot::Months(key.to_string(), cards));
    }
}

/// Where a context shows lists of cards: under a key, or each month's
/// under `articles`.
enum Slot {
    Cards(String, Vec<Arc<Card>>),
    Months(String, Vec<Vec<Arc<Card>>>),
}

impl Slot {
    /// How many cards the slots hold.
    fn count(slots: &[Slot]) -> usize {
        let count = |slot: &Slot| match slot {
            Slot::Cards(_, cards) => cards.len(),
            Slot::Months(_, months) => months.iter().map(Vec::len).sum(),
        };
        slots.iter().map(count).sum()
    }

    /// Puts the cards into their slots, taking copies from `copies`.
    fn fill(mut map: Map<String, Value>, slots: &[Slot], copies: &mut Copies) -> Map<String, Value> {
        for slot in slots {
            match slot {
                Slot::Cards(key, cards) => _ = map.insert(key.clone(), Value::Array(copies.list(cards))),
                Slot::Months(key, months) => {
                    let views = map.get_mut(key).and_then(Value::as_array_mut).expect("put with its slot");
                    for (view, cards) in views.iter_mut().zip(months) {
                        view["articles"] = Value::Array(copies.list(cards));
                    }
                }
            }
        }
        map
    }

    /// The copies of cards in a rendered context, taken back out of it.
    fn take_back(context: Value, slots: &[Slot]) -> Copies {
        let mut copies = Copies::default();
        let Value::Object(mut map) = context else { return copies };
        let mut give = |cards: &[Arc<Card>], list: Option<Value>| {
            if let Some(Value::Array(list)) = list {
                cards.iter().zip(list).for_each(|(card, copy)| copies.give(card, copy));
            }
        };
        for slot in slots {
            match slot {
                Slot::Cards(key, cards) => give(cards, map.remove(key)),
                Slot::Months(key, months) => {
                    let Some(Value::Array(views)) = map.remove(key) else { continue };
                    for (mut view, cards) in views.into_iter().zip(months) {
                        give(cards, view.get_mut("articles").map(Value::take));
                    }
                }
            }
        }
        copies
    }
}

struct Digest<'r, 'a> {
    renderer: &'r Renderer<'a>,
    hasher: DefaultHasher,
}

impl Context for Digest<'_, '_> {
    fn put(&mut self, key: &str, value: &impl Serialize) {
        (key, digest_of(value)).hash(&mut self.hasher);
    }

    fn cards(&mut self, key: &str, articles: &[usize]) {
        (key, articles.len()).hash(&mut self.hasher);
        articles.iter().for_each(|&a| self.renderer.card_digest(a).hash(&mut self.hasher));
    }

    fn card(&mut self, key: &str, article: Option<usize>) {
        (key, article.map(|a| self.renderer.card_digest(a))).hash(&mut self.hasher);
    }

    fn article(&mut self, article: usize) {
        ("article", self.renderer.article_digest(article)).hash(&mut self.hasher);
    }

    fn shared(&mut self, key: &str, slot: &Shared, make: &dyn Fn() -> Value) {
        (key, slot.digest(make)).hash(&mut self.hasher);
    }

    fn months<'m>(&mut self, key: &str, months: impl Iterator<Item = (MonthView, &'m [usize])>) {
        key.hash(&mut self.hasher);
        for (month, articles) in months {
            self.put("month", &month);
            self.cards("articles", articles);
        }
    }
}

/// A digest of a value as it serializes: written whole, then hashed in
/// one call (the serializer's many small writes, hashed one by one, cost
/// several times more) by XXH3 (an indicator's page view is ~800 KB at
/// 10,000 articles: SipHash took 1 ms of each title edit's 2 ms digest).
fn digest_of(value: &impl Serialize) -> u64 {
    crate::digest::content_hash(&serde_json::to_vec(value).expect("views serialize to JSON"))
}

fn json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("views serialize to JSON")
}

#[derive(serde::Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}

/// Every HTML page, with the newest publication time of what it shows.
fn sitemap_entries(site: &Site, views: &Views) -> Vec<SitemapEntry> {
    let newest_anywhere = site.index.latest.first().map(|&a| site.articles[a].placement().published);
    plan(site)
        .into_iter()
        .filter(|page| page.url.ends_with('/'))
        .map(|page| {
            let sources = page.sources(site);
            let newest =
                sources.iter().map(|&a| site.articles[a].placement().published).max().or(newest_anywhere);
            SitemapEntry { lastmod: newest.map(|t| views.local_time(&t)), url: page.url }
        })
        .collect()
}

/// The items of page `n` (1-based).
pub(crate) fn slice(items: &[usize], n: usize, per_page: usize) -> &[usize] {
    let start = ((n - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}
