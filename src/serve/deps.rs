//! What each page is made from, as one fingerprint: if a page's fingerprint
//! did not change (same templates, same site.yaml), the page renders to the
//! same bytes and need not be rendered again.
//!
//! The argument, page kind by page kind, is in `Inputs::fingerprint`: each
//! arm feeds in everything its arm of `Renderer::context` reads, or more.
//! Articles enter by a hash of their whole resolved value (`article_hash`),
//! so an article is either unchanged in every field or treated as new. Data
//! derived from many articles enters either as the serialized view itself
//! (cheap ones: the home page's highlights, the catalogue, an organ's
//! figures) or as a digest of its inputs (the indicator series). Keep this
//! in step with `render::Renderer::context`; `tests/it/serve.rs` compares
//! against full builds after random edits.

use std::hash::{DefaultHasher, Hash, Hasher};

use crate::content::{Article, Reading};
use crate::indicator::Point;
use crate::render::context::Views;
use crate::render::figures::Figures;
use crate::render::paginate::page_count;
use crate::render::{feed_slice, slice, Page, PageKind};
use crate::site::Site;

/// Hashes of an article: any change to any field changes `full`; `meta`
/// leaves out the rendered body, which only the article's own page (and
/// the search index) shows: listings show the title, summary and figures.
/// `place` covers only what decides the article's place among the others
/// (its neighbours, the counts every page shows) and its figures (its
/// sidebar reads the series they are part of): when it is unchanged, the
/// other articles' parts of its own page are unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ArticleHash {
    pub meta: u64,
    pub full: u64,
    pub place: u64,
}

pub fn article_hash(article: &mut Article) -> ArticleHash {
    let content = std::mem::take(&mut article.content);
    let mut hasher = DefaultHasher::new();
    // Debug shows every field, nested ones included, floats exactly.
    std::fmt::Write::write_fmt(&mut HashWriter(&mut hasher), format_args!("{article:?}"))
        .expect("hashing never fails");
    let meta = hasher.finish();
    content.hash(&mut hasher);
    article.content = content;
    let mut place = DefaultHasher::new();
    let a = &*article;
    (a.date, a.time, a.published, &a.url, a.organ, a.draft, &a.tags).hash(&mut place);
    a.readings.iter().for_each(|r| hash_reading(r, &mut place));
    ArticleHash { meta, full: hasher.finish(), place: place.finish() }
}

struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The inputs shared by many pages, computed once per rebuild.
pub struct Inputs<'a> {
    site: &'a Site,
    /// `article_hash` by position in `Site::articles`.
    articles: &'a [ArticleHash],
    /// What every page sees: the `site` view and the live reload flag.
    common: u64,
    /// The listings: every article's place in the indexes, newest first.
    listing: u64,
    highlights: u64,
    catalogue: u64,
    /// By position in `Index::organs`: the organ's figures sidebar.
    organ_figures: Vec<u64>,
    /// By indicator: every report of its series in every area, with its article.
    series: Vec<u64>,
    /// By indicator and point: what a sparkline reads of that month.
    points: Vec<Vec<u64>>,
}

fn hash_json(value: &impl serde::Serialize) -> u64 {
    let mut hasher = DefaultHasher::new();
    serde_json::to_writer(HashIo(&mut hasher), value).expect("views serialize to JSON");
    hasher.finish()
}

struct HashIo<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashIo<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fields of a reading a chart or a table can show (not its line in the file).
fn hash_reading(reading: &Reading, hasher: &mut DefaultHasher) {
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    (reading.indicator, bits(reading.value), reading.period, reading.estimate, reading.area).hash(hasher);
    (bits(reading.yoy), bits(reading.cumulative), bits(reading.plan)).hash(hasher);
}

impl<'a> Inputs<'a> {
    pub fn new(site: &'a Site, articles: &'a [ArticleHash], live_reload: bool) -> Self {
        let views = Views { site };
        let figures = Figures { site };
        let index = &site.index;
        let mut common = DefaultHasher::new();
        (hash_json(&views.site_view()), live_reload).hash(&mut common);

        let mut listing = DefaultHasher::new();
        for &a in &index.latest {
            let article = &site.articles[a];
            (article.date, article.time, article.published, &article.url).hash(&mut listing);
            (article.organ, &article.tags).hash(&mut listing);
        }

        let mut series = Vec::with_capacity(site.figures.series.len());
        let mut points = Vec::with_capacity(site.figures.series.len());
        for (i, s) in site.figures.series.iter().enumerate() {
            let mut whole = DefaultHasher::new();
            // The other areas' reports: the comparison, their pages, their sparklines.
            for (area, other) in &site.figures.away[i] {
                area.hash(&mut whole);
                for point in &other.points {
                    (point.period, point.disagreement).hash(&mut whole);
                    point.reports.iter().for_each(|&(a, r)| (articles[a].meta, r).hash(&mut whole));
                }
            }
            let mut digests = Vec::with_capacity(s.points.len());
            for point in &s.points {
                (point.period, point.disagreement, point.reports.len()).hash(&mut whole);
                for &(a, r) in &point.reports {
                    (articles[a].meta, r).hash(&mut whole);
                }
                let mut digest = DefaultHasher::new();
                (point.period, point.disagreement).hash(&mut digest);
                let (a, r) = point.reports[0];
                hash_reading(&site.articles[a].readings[r], &mut digest);
                digests.push(digest.finish());
            }
            series.push(whole.finish());
            points.push(digests);
        }
        Inputs {
            site,
            articles,
            common: common.finish(),
            listing: listing.finish(),
            highlights: hash_json(&figures.highlights()),
            catalogue: hash_json(&figures.catalogue()),
            organ_figures: index
                .organs
                .iter()
                .map(|o| {
                    hash_json(&figures.latest_among(&o.articles, site.config.catalog.organs[o.organ].area))
                })
                .collect(),
            series,
            points,
        }
    }

    /// Articles as listings show them (without the body).
    fn hash_articles(&self, positions: &[usize], hasher: &mut DefaultHasher) {
        positions.len().hash(hasher);
        for &a in positions {
            self.articles[a].meta.hash(hasher);
        }
    }

    /// What a sparkline of `reading` reads: the months of its window.
    fn hash_window(&self, reading: &Reading, hasher: &mut DefaultHasher) {
        if reading.area.is_some() {
            // Another area's series: every area's reports of the indicator.
            self.series[reading.indicator].hash(hasher);
            return;
        }
        let points = &self.site.figures.series[reading.indicator].points;
        let window = self.site.figures.series[reading.indicator].window(reading.period, 12);
        let start = offset_in(points, window);
        self.points[reading.indicator][start..start + window.len()].hash(hasher);
    }

    /// Equal fingerprints, equal pages (for the same templates and site.yaml).
    pub fn fingerprint(&self, page: &Page) -> u64 {
        let site = self.site;
        let index = &site.index;
        let per_page = site.config.per_page;
        let mut h = DefaultHasher::new();
        (&page.url, self.common).hash(&mut h);
        std::mem::discriminant(&page.kind).hash(&mut h);
        match page.kind {
            PageKind::Home(n) => {
                (n, page_count(index.latest.len(), per_page), self.highlights).hash(&mut h);
                self.hash_articles(slice(&index.latest, n, per_page), &mut h);
            }
            PageKind::Article(i) => {
                let (prev, next) = index.neighbours[i];
                (self.articles[i], prev.map(|p| self.articles[p]), next.map(|p| self.articles[p]))
                    .hash(&mut h);
                self.hash_articles(&index.related[i], &mut h);
                for reading in &site.articles[i].readings {
                    self.hash_window(reading, &mut h);
                }
            }
            PageKind::Month(i) => {
                let month =
                    |m: Option<&crate::index::MonthArchive>| m.map(|m| (m.year, m.month, m.articles.len()));
                (month(Some(&index.months[i])), month(index.months.get(i + 1))).hash(&mut h);
                month(i.checked_sub(1).map(|j| &index.months[j])).hash(&mut h);
                self.hash_articles(&index.months[i].articles, &mut h);
            }
            PageKind::Year(i) => {
                let year = &index.years[i];
                (year.year, index.years.get(i + 1).map(|y| y.year)).hash(&mut h);
                i.checked_sub(1).map(|j| index.years[j].year).hash(&mut h);
                for &m in &year.months {
                    (index.months[m].year, index.months[m].month).hash(&mut h);
                    self.hash_articles(&index.months[m].articles, &mut h);
                }
            }
            // Made of the listings' shape only: counts, names, URLs.
            PageKind::Archive | PageKind::Organs | PageKind::Tags => self.listing.hash(&mut h),
            // Every page's URL, and the newest publication among what it
            // shows (`Page::sources`): for every page but an indicator's, a
            // function of the listings; for those, of who reported it.
            PageKind::Sitemap => {
                self.listing.hash(&mut h);
                // Articles are listed in the order of their files.
                site.articles.iter().for_each(|a| a.url.hash(&mut h));
                for series in &site.figures.series {
                    for point in &series.points {
                        point.reports.iter().for_each(|&(a, _)| site.articles[a].published.hash(&mut h));
                    }
                }
            }
            PageKind::Organ(i, n) => {
                let listing = &index.organs[i];
                let total = page_count(listing.articles.len(), per_page);
                (listing.organ, listing.articles.len(), n, total, self.organ_figures[i]).hash(&mut h);
                self.hash_articles(slice(&listing.articles, n, per_page), &mut h);
            }
            PageKind::Tag(i, n) => {
                let tag = &index.tags[i];
                (&tag.name, &tag.slug, tag.articles.len(), n, page_count(tag.articles.len(), per_page))
                    .hash(&mut h);
                self.hash_articles(slice(&tag.articles, n, per_page), &mut h);
            }
            PageKind::Indicators => self.catalogue.hash(&mut h),
            PageKind::Indicator(i)
            | PageKind::IndicatorArea(i, _)
            | PageKind::IndicatorCsv(i)
            | PageKind::IndicatorJson(i)
            | PageKind::IndicatorXlsx(i) => {
                self.series[i].hash(&mut h);
            }
            PageKind::Feed(None) => self.hash_articles(feed_slice(&index.latest), &mut h),
            PageKind::Feed(Some(i)) => {
                index.organs[i].organ.hash(&mut h);
                self.hash_articles(feed_slice(&index.organs[i].articles), &mut h);
            }
            // The same for every site with the same settings.
            PageKind::Search | PageKind::SearchScript | PageKind::Robots | PageKind::NotFound => {}
        }
        h.finish()
    }

    /// A digest of every article and of the listings: what the search index is made from.
    pub fn everything(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.listing.hash(&mut h);
        for &a in &self.site.index.latest {
            self.articles[a].full.hash(&mut h);
        }
        h.finish()
    }
}

/// Where `part` (a subslice of `all`) starts in `all`.
fn offset_in(all: &[Point], part: &[Point]) -> usize {
    if part.is_empty() {
        return 0;
    }
    (part.as_ptr() as usize - all.as_ptr() as usize) / std::mem::size_of::<Point>()
}
