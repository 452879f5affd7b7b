//! Resolving raw front matter into an `Article`: required fields, dates,
//! organ and indicators matched against the catalogue, slug and URL, body.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::front_matter::{Parsed, RawReading};
use super::markdown::{Markdown, Reference};
use crate::cache::stamp;
use crate::diagnostics::{did_you_mean, Diagnostic, Fault, Problem};
use crate::images;
use crate::limits::{ATTACHMENTS, YEARS};
use crate::site::Config;
use crate::source::SourceFile;
use crate::vietnamese::date::{parse_date, parse_month};
use crate::vietnamese::{nfc, slugify};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// The file, relative to the site root, as shown in messages.
    pub source: PathBuf,
    pub title: String,
    /// The meeting's calendar day in the site's timezone; decides the URL month.
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    /// Index into the catalogue's organs.
    pub organ: usize,
    pub meeting: Option<Meeting>,
    pub chair: Vec<String>,
    pub attendees: Vec<String>,
    pub authors: Vec<String>,
    pub source_unit: Option<String>,
    pub published: DateTime<FixedOffset>,
    pub summary: String,
    pub tags: Vec<String>,
    /// Cover image, relative to the article's page.
    pub image: Option<String>,
    /// The body shows the cover image too (the page need not show it twice).
    pub image_in_body: bool,
    pub draft: bool,
    pub slug: String,
    /// `/YYYY/MM/<slug>/`.
    pub url: String,
    pub readings: Vec<Reading>,
    #[serde(with = "crate::yaml::as_text")]
    pub extra: Value,
    /// Rendered and sanitized body.
    #[serde(with = "super::kept::as_bytes")]
    pub content: String,
    /// Files beside the article that its page references.
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meeting {
    pub kind: Option<String>,
    pub extended: bool,
    pub period: Option<(i32, u32)>,
    pub location: Option<String>,
}

/// One figure reported at the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Index into the catalogue's indicators.
    pub indicator: usize,
    pub value: Option<f64>,
    pub period: (i32, u32),
    pub estimate: bool,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    /// The area the figure is of (its `area:`, else its organ's); None:
    /// the site's own.
    pub area: Option<usize>,
    /// Line of the entry in the file, for warnings about the figure.
    pub line: usize,
}

/// By every field, floats by their bits: for `pipeline::placed_digest`,
/// which must tell apart any two readings that differ.
impl std::hash::Hash for Reading {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let bits = |value: Option<f64>| value.map(f64::to_bits);
        (self.indicator, bits(self.value), self.period, self.estimate).hash(state);
        (bits(self.yoy), bits(self.cumulative), bits(self.plan), self.area, self.line).hash(state);
    }
}

impl Reading {
    /// The figure to chart: the value, or for a stock reported only as a
    /// running total (`nâng tổng số … lên 42`), the total.
    pub fn figure(&self) -> Option<f64> {
        self.value.or(self.cumulative)
    }
}

/// A file published next to the article's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// The file's real path (symlinks followed), inside the site's folder.
    pub from: PathBuf,
    /// Relative to the page's folder; only normal path segments.
    pub to: String,
}

impl Article {
    /// Shown in listings: not a draft and not scheduled for later, unless
    /// drafts are asked for.
    pub fn is_published(&self, drafts: bool, now: DateTime<FixedOffset>) -> bool {
        drafts || (!self.draft && self.published <= now)
    }

    /// What the assembly reads of the article.
    pub fn placement(&self) -> Placement<'_> {
        Placement {
            source: &self.source,
            date: self.date,
            time: self.time,
            published: self.published,
            url: &self.url,
            organ: self.organ,
            tags: &self.tags,
            readings: &self.readings,
        }
    }
}

/// All the assembly (indexes, figure table, plausibility checks) reads of
/// an article: they are built from these alone, so an edit that leaves
/// every article's placement as it was (a title, a summary, the body)
/// leaves them as they were.
#[derive(Debug, Clone, Copy, PartialEq, Hash)]
pub struct Placement<'a> {
    pub source: &'a Path,
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub published: DateTime<FixedOffset>,
    pub url: &'a str,
    pub organ: usize,
    pub tags: &'a [String],
    pub readings: &'a [Reading],
}

impl Placement<'_> {
    pub fn year_month(&self) -> (i32, u32) {
        (self.date.year(), self.date.month())
    }

    /// Newest first: by meeting day and time, then publication, then URL.
    pub fn newest_first(a: &Placement, b: &Placement) -> std::cmp::Ordering {
        (b.date, b.time, b.published, b.url).cmp(&(a.date, a.time, a.published, a.url))
    }
}

/// A file an article's text names, as resolving found it: its real path
/// with its size and time, or nothing there. The article resolves the same
/// while every such file is still found so (`still_found`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Looked {
    pub written: String,
    pub found: Option<(PathBuf, Option<(u64, u128)>)>,
}

/// Resolves one parsed file; every problem in it is reported.
pub fn resolve(
    file: &SourceFile,
    folder: &Path,
    parsed: &Parsed,
    config: &Config,
    markdown: &Markdown,
) -> Result<Article, Vec<Diagnostic>> {
    resolve_noting(file, folder, parsed, config, markdown).map(|(article, _)| article)
}

/// `resolve`, with every file the article's text named as it was found.
pub fn resolve_noting(
    file: &SourceFile,
    folder: &Path,
    parsed: &Parsed,
    config: &Config,
    markdown: &Markdown,
) -> Result<(Article, Vec<Looked>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let raw = &parsed.raw;
    let at = |path: &str, problem| parsed.at(file, path, false, problem);
    let required = |value: &Option<String>, field: &'static str, errors: &mut Vec<Diagnostic>| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
        if value.is_none() && !parsed.reported.iter().any(|path| path == field) {
            errors.push(parsed.at(file, field, true, Problem::MissingField { field }));
        }
        value.map(str::to_string)
    };
    let title = required(&raw.title, "title", &mut errors);
    let date = required(&raw.date, "date", &mut errors).and_then(|text| {
        let parsed = parse_date(&text);
        match parsed {
            None => errors.push(at("date", Problem::BadDate { value: text })),
            Some((day, _)) if !YEARS.contains(&day.year()) => {
                errors.push(at("date", Problem::YearOutOfRange { year: day.year() }));
                return None;
            }
            Some(_) => {}
        }
        parsed
    });
    let catalog = &config.catalog;
    let organ = required(&raw.organ, "organ", &mut errors).and_then(|name| {
        let found = catalog.find_organ(&name);
        if found.is_none() {
            let suggestions = did_you_mean(&name, catalog.organ_names(), 3);
            errors.push(at("organ", Problem::UnknownOrgan { name, suggestions }));
        }
        // Without `organs:` in site.yaml, a name of punctuation alone makes no page.
        if found.is_some_and(|i| catalog.organs[i].id.is_empty()) {
            errors.push(at("organ", Problem::EmptyId));
        }
        found
    });
    let meeting = raw.meeting.as_ref().map(|m| Meeting {
        kind: m.kind.clone(),
        extended: m.extended.unwrap_or(false),
        period: m.period.as_deref().and_then(|text| match parse_month(text) {
            None => {
                errors.push(at("meeting.period", Problem::BadMonth { value: text.into() }));
                None
            }
            Some((year, _)) if !YEARS.contains(&year) => {
                errors.push(at("meeting.period", Problem::YearOutOfRange { year }));
                None
            }
            month => month,
        }),
        location: m.location.clone(),
    });
    let default_period =
        meeting.as_ref().and_then(|m| m.period).or_else(|| date.map(|(d, _)| (d.year(), d.month())));
    let mut readings = Vec::new();
    for (i, raw_reading) in raw.indicators.iter().flatten().enumerate() {
        let path = format!("indicators[{i}]");
        match reading(raw_reading, default_period, config) {
            Ok(Some(mut r)) => {
                if r.area.is_none() && raw_reading.area.is_none() {
                    r.area = organ.and_then(|o| catalog.organs[o].area);
                }
                r.line = parsed.places.find(&path).map_or(1, |p| p.line + parsed.yaml_line - 1);
                readings.push(r)
            }
            Ok(None) => {}
            Err((field, problem)) => errors.push(at(&format!("{path}.{field}"), problem)),
        }
    }
    let published = match (&raw.published, date) {
        (Some(text), _) => match published_time(text, config) {
            None => {
                errors.push(at("published", Problem::BadDate { value: text.clone() }));
                None
            }
            // Shown in the site's timezone, which may move it to another year.
            Some(time) if !YEARS.contains(&time.with_timezone(&config.timezone).year()) => {
                let year = time.with_timezone(&config.timezone).year();
                errors.push(at("published", Problem::YearOutOfRange { year }));
                None
            }
            time => time,
        },
        (None, Some((day, time))) => Some(local_time(day, time, config)),
        (None, None) => None,
    };
    let slug = match &raw.slug {
        Some(slug) if slug.contains(['/', '\\']) || slug.contains("..") => {
            errors.push(at("slug", Problem::BadSlug { slug: slug.clone() }));
            None
        }
        Some(slug) => Some(slugify(slug)),
        None => file.path.file_stem().map(|stem| slugify(&stem.to_string_lossy())),
    };
    if slug.as_deref() == Some("") {
        errors.push(at("slug", Problem::EmptySlug));
    }
    // Every tag's page lists the article with all its tags: the work grows
    // with the square of an article's tags.
    let tag_count = raw.tags.as_ref().map_or(0, Vec::len);
    if tag_count > MOST_TAGS {
        errors.push(at("tags", Problem::TooManyTags { count: tag_count, max: MOST_TAGS }));
    }
    // A tag's page is `/the/<slug>/`: a tag of punctuation alone has none.
    for (i, tag) in raw.tags.iter().flatten().enumerate() {
        if !tag.trim().is_empty() && slugify(tag).is_empty() {
            errors.push(at(&format!("tags[{i}]"), Problem::EmptyTagSlug { tag: tag.clone() }));
        }
    }
    // Publishing means reviewing: a draft may keep its notes, nothing else.
    if raw.draft != Some(true) {
        for note in &parsed.notes {
            errors.push(file.diagnostic(
                note.line,
                note.col,
                note.len,
                Problem::UncheckedNote { note: note.text.clone() },
            ));
        }
    }
    let (Some(title), Some((date, time)), Some(organ), Some(published), Some(slug), true) =
        (title, date, organ, published, slug, errors.is_empty())
    else {
        return Err(errors);
    };
    // The site's real folder: what every file published beside an article
    // must be inside, looked up once and only for articles that have files.
    let site = OnceCell::new();
    let site = || site.get_or_init(|| site_folder(folder, &file.path)).as_deref();
    // Each file is looked up, and a photo's header read, once: for the size
    // the page reserves and for the decision to publish it. Its stamp is
    // taken before its header is read: a photo replaced in between is seen
    // as changed by the next build.
    let found: RefCell<HashMap<String, (Found, Looked)>> = RefCell::default();
    let locate = |reference: &Reference| -> Found {
        let mut found = found.borrow_mut();
        let written = reference.source();
        let entry = found.entry(written.clone()).or_insert_with(|| {
            let place = find(folder, &written).map_or(Place::Nothing, |real| place(site(), Some(real)));
            let looked = match &place {
                Place::Inside(real) => Looked { written, found: Some((real.clone(), stamp(real))) },
                _ => Looked { written, found: None },
            };
            let header = match &place {
                Place::Inside(real) if images::is_resizable(&reference.file()) => Some(images::inspect(real)),
                _ => None,
            };
            ((place, header), looked)
        });
        entry.0.clone()
    };
    let size_of = |written: &str| match locate(&Reference::local(written)?) {
        (_, Some(Ok(size))) => Some(size),
        _ => None,
    };
    let rendered = markdown.render(&parsed.body, &size_of);
    let image = raw.image.as_deref().map(|written| Reference::new(written.trim()));
    let cover = image.as_ref().and_then(|i| Reference::local(&i.written));
    let body_start = file.text.len() - parsed.body.len();
    let mut assets = Vec::new();
    for reference in rendered.references.iter().chain(&cover) {
        match asset(locate(reference), reference) {
            Ok(Some(asset)) if !assets.contains(&asset) => assets.push(asset),
            Ok(_) => {}
            Err(problem) => errors.push(match &reference.span {
                Some(span) => file.diagnostic_over(body_start + span.start..body_start + span.end, problem),
                None => at("image", problem),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let summary = raw.summary.as_deref().map(|s| s.trim().to_string()).unwrap_or(rendered.first_paragraph);
    let looked = found.into_inner().into_values().map(|(_, looked)| looked).collect();
    let article = Article {
        source: file.path.clone(),
        url: format!("/{:04}/{:02}/{}/", date.year(), date.month(), slug),
        title,
        date,
        time,
        organ,
        meeting,
        chair: clean_names(&raw.chair),
        attendees: clean_names(&raw.attendees),
        authors: clean_names(&raw.authors),
        source_unit: raw.source.clone(),
        published,
        summary,
        tags: clean_names(&raw.tags),
        image_in_body: image
            .as_ref()
            .is_some_and(|i| rendered.references.iter().any(|r| r.published == i.published)),
        image: image.map(|i| i.published),
        draft: raw.draft.unwrap_or(false),
        slug,
        readings,
        extra: raw.extra.clone().unwrap_or(Value::Null),
        content: rendered.html,
        assets,
    };
    Ok((article, looked))
}

/// Whether every file an article named is found as when it was resolved
/// (`Looked`): the same real file with the same size and time, or still
/// nothing there.
pub fn still_found(folder: &Path, source: &Path, looked: &[Looked]) -> bool {
    let site = OnceCell::new();
    looked.iter().all(|looked| {
        let real = find(folder, &looked.written);
        let now = match real {
            None => Place::Nothing,
            real => place(site.get_or_init(|| site_folder(folder, source)).as_deref(), real),
        };
        match (now, &looked.found) {
            (Place::Nothing, None) => true,
            (Place::Inside(real), Some((was, stamped))) => real == *was && stamp(&real) == *stamped,
            _ => false,
        }
    })
}

/// Tags one article may have; no meeting needs more.
const MOST_TAGS: usize = 100;

fn clean_names(names: &Option<Vec<String>>) -> Vec<String> {
    names.iter().flatten().map(|n| nfc(n.trim()).into_owned()).filter(|n| !n.is_empty()).collect()
}

/// One indicator entry checked against the catalogue; an error names the
/// field at fault.
fn reading(
    raw: &RawReading,
    default_period: Option<(i32, u32)>,
    config: &Config,
) -> Result<Option<Reading>, (&'static str, Problem)> {
    let catalog = &config.catalog;
    let Some(id) = raw.id.as_deref() else {
        return Err(("id", Problem::MissingField { field: "id" }));
    };
    let Some(indicator) = catalog.find_indicator(id) else {
        // `id: thu NSNN`: an indicator written by its label or an alias.
        let suggestions = match catalog.find_indicator_by_name(id) {
            Some(named) => vec![catalog.indicators[named].id.clone()],
            None => did_you_mean(id, catalog.indicators.iter().map(|i| i.id.as_str()), 3),
        };
        return Err(("id", Problem::UnknownIndicator { id: id.to_string(), suggestions }));
    };
    let expected = &catalog.indicators[indicator].unit;
    if let Some(unit) = raw
        .unit
        .as_deref()
        .filter(|u| crate::vietnamese::name_key(u) != crate::vietnamese::name_key(expected))
    {
        let (id, unit, expected) = (id.to_string(), unit.to_string(), expected.clone());
        return Err(("unit", Problem::UnitMismatch { id, unit, expected }));
    }
    // Numbers no page can show are reported by `front_matter::parse`.
    if let Some(plan) = raw.plan.filter(|p| crate::yaml::is_showable(*p) && !(0.0..=1000.0).contains(p)) {
        return Err(("plan", Problem::PlanOutOfRange { value: plan }));
    }
    let area = match raw.area.as_deref() {
        Some(name) => match catalog.find_area(name) {
            Some(area) => catalog.away(area),
            None => {
                let suggestions = did_you_mean(name, catalog.area_names(), 3);
                return Err(("area", Problem::UnknownArea { name: name.to_string(), suggestions }));
            }
        },
        None => None,
    };
    let period = match raw.period.as_deref() {
        Some(text) => match parse_month(text) {
            None => return Err(("period", Problem::BadMonth { value: text.into() })),
            // A chart spans every month between its first and last figure.
            Some((year, _)) if !YEARS.contains(&year) => {
                return Err(("period", Problem::YearOutOfRange { year }))
            }
            Some(month) => month,
        },
        None => match default_period {
            Some(period) => period,
            None => return Ok(None),
        },
    };
    Ok(Some(Reading {
        indicator,
        value: raw.value,
        period,
        estimate: raw.estimate.unwrap_or(false),
        yoy: raw.yoy,
        cumulative: raw.cumulative,
        plan: raw.plan,
        area,
        line: 0,
    }))
}

fn local_time(day: NaiveDate, time: Option<NaiveTime>, config: &Config) -> DateTime<FixedOffset> {
    let naive = day.and_time(time.unwrap_or(NaiveTime::MIN));
    let local = config.timezone.from_local_datetime(&naive).earliest();
    let local = local.unwrap_or_else(|| config.timezone.from_utc_datetime(&naive));
    local.fixed_offset()
}

fn published_time(text: &str, config: &Config) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .or_else(|| parse_date(text).map(|(day, time)| local_time(day, time, config)))
}

/// Where a reference leads, and a photo's header when it is one.
type Found = (Place, Option<Result<(u32, u32), Fault>>);

/// The file a reference publishes beside the page (SPEC §7), from where it
/// leads: a regular file inside the site, of a type on the list, and if a
/// photo, one bantin can read. None when no such file exists (`check`
/// reports the reference).
fn asset((place, header): Found, reference: &Reference) -> Result<Option<Asset>, Problem> {
    let target = || reference.written.clone();
    let from = match place {
        Place::Inside(from) => from,
        Place::Outside => return Err(Problem::OutsideSite { target: target() }),
        Place::Nothing => return Ok(None),
    };
    let to = reference.file();
    let extension = Path::new(&to).extension().map_or(String::new(), |e| e.to_string_lossy().to_lowercase());
    if !ATTACHMENTS.contains(&extension.as_str()) {
        return Err(Problem::ForbiddenAttachment { target: target(), extension });
    }
    if let Some(Err(fault)) = header {
        return Err(Problem::BadImage { target: target(), fault });
    }
    // `to` has only normal segments, so it cannot leave the page's folder.
    let safe = Path::new(&to).components().all(|c| matches!(c, Component::Normal(_)));
    Ok(safe.then_some(Asset { from, to }))
}

/// Where a path leads, symlinks followed.
#[derive(Debug, Clone)]
pub enum Place {
    /// A regular file inside the site: its real path.
    Inside(PathBuf),
    /// Out of the site's folder: never published, never served.
    Outside,
    /// Nothing there, or not a regular file.
    Nothing,
}

/// `real` (a path with symlinks resolved) judged against `site`, the site's
/// real folder: the one rule for what build copies and serve answers.
pub fn place(site: Option<&Path>, real: Option<PathBuf>) -> Place {
    match real {
        None => Place::Nothing,
        Some(real) if !site.is_some_and(|site| real.starts_with(site)) => Place::Outside,
        Some(real) if std::fs::metadata(&real).is_ok_and(|m| m.is_file()) => Place::Inside(real),
        Some(_) => Place::Nothing,
    }
}

/// The real path (symlinks followed) of what `written` names from `folder`.
/// The text is NFC; a name on disk may be NFD (as macOS and some zip tools
/// write them), so a part not found as written is looked for by its NFC form.
fn find(folder: &Path, written: &str) -> Option<PathBuf> {
    let direct = folder.join(written);
    if std::fs::metadata(&direct).is_ok() {
        return std::fs::canonicalize(&direct).ok();
    }
    if written.is_ascii() {
        return None; // an ASCII name has one form: nothing more to look for
    }
    let mut path = folder.to_path_buf();
    for part in Path::new(written).components() {
        let next = path.join(part);
        if std::fs::symlink_metadata(&next).is_ok() || !matches!(part, Component::Normal(_)) {
            path = next;
            continue;
        }
        let wanted = part.as_os_str().to_str()?;
        let name = std::fs::read_dir(&path)
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .find(|name| name.to_str().is_some_and(|name| nfc(name) == wanted))?;
        path.push(name);
    }
    std::fs::canonicalize(path).ok()
}

/// The site's real folder, from an article's folder and its path in the site
/// (`content/2023/08/x.md` is three folders below it).
pub fn site_folder(folder: &Path, source: &Path) -> Option<PathBuf> {
    let depth = source.components().count().checked_sub(1)?;
    std::fs::canonicalize(folder.ancestors().nth(depth)?).ok()
}
