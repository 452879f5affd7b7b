//! Resolving raw front matter into an `Article`: required fields, dates,
//! organ and indicators matched against the catalogue, slug and URL, body.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde_yaml::Value;

use super::front_matter::{Parsed, RawReading};
use super::markdown::{Markdown, Reference};
use super::source::SourceFile;
use crate::diagnostics::{did_you_mean, Diagnostic, Problem};
use crate::site::Config;
use crate::vietnamese::date::{parse_date, parse_month};
use crate::vietnamese::{nfc, slugify};

#[derive(Debug, Clone)]
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
    pub extra: Value,
    /// Rendered and sanitized body; shared, so that copies of the articles
    /// (the preview server's search index job) do not copy every body.
    pub content: Arc<str>,
    /// Files beside the article that its page references.
    pub assets: Vec<Asset>,
}

#[derive(Debug, Clone)]
pub struct Meeting {
    pub kind: Option<String>,
    pub extended: bool,
    pub period: Option<(i32, u32)>,
    pub location: Option<String>,
}

/// One figure reported at the meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Index into the catalogue's indicators.
    pub indicator: usize,
    pub value: Option<f64>,
    pub period: (i32, u32),
    pub estimate: bool,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    /// Line of the entry in the file, for warnings about the figure.
    pub line: usize,
}

impl Reading {
    /// The figure to chart: the value, or for a stock reported only as a
    /// running total (`nâng tổng số … lên 42`), the total.
    pub fn figure(&self) -> Option<f64> {
        self.value.or(self.cumulative)
    }
}

/// A file published next to the article's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
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

    pub fn year_month(&self) -> (i32, u32) {
        (self.date.year(), self.date.month())
    }

    /// Newest first: by meeting day and time, then publication, then URL.
    pub fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
        (b.date, b.time, b.published, &b.url).cmp(&(a.date, a.time, a.published, &a.url))
    }
}

/// Resolves one parsed file; every problem in it is reported.
pub fn resolve(
    file: &SourceFile,
    folder: &Path,
    parsed: Parsed,
    config: &Config,
    markdown: &Markdown,
) -> Result<Article, Vec<Diagnostic>> {
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
        if parsed.is_none() {
            errors.push(at("date", Problem::BadDate { value: text }));
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
        found
    });
    let meeting = raw.meeting.as_ref().map(|m| Meeting {
        kind: m.kind.clone(),
        extended: m.extended.unwrap_or(false),
        period: m.period.as_deref().and_then(|text| {
            let month = parse_month(text);
            if month.is_none() {
                errors.push(at("meeting.period", Problem::BadMonth { value: text.into() }));
            }
            month
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
                r.line = parsed.places.find(&path).map_or(1, |p| p.line + parsed.yaml_line - 1);
                readings.push(r)
            }
            Ok(None) => {}
            Err((field, problem)) => errors.push(at(&format!("{path}.{field}"), problem)),
        }
    }
    let published = match (&raw.published, date) {
        (Some(text), _) => published_time(text, config).or_else(|| {
            errors.push(at("published", Problem::BadDate { value: text.clone() }));
            None
        }),
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
    let size_of = |written: &str| {
        let local = !written.contains(':') && !written.starts_with('/');
        local.then(|| crate::images::dimensions(&folder.join(written))).flatten()
    };
    let rendered = markdown.render(&parsed.body, &size_of);
    let image = raw.image.as_deref().map(|written| Reference::new(written.trim()));
    let mut assets = Vec::new();
    for reference in rendered.references.iter().chain(&image) {
        if let Some(asset) = asset(folder, reference) {
            if !assets.contains(&asset) {
                assets.push(asset);
            }
        }
    }
    let summary = raw.summary.as_deref().map(|s| s.trim().to_string()).unwrap_or(rendered.first_paragraph);
    Ok(Article {
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
        content: rendered.html.into(),
        assets,
    })
}

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
        let ids = catalog.indicators.iter().map(|i| i.id.as_str());
        let suggestions = did_you_mean(id, ids, 3);
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
    if let Some(plan) = raw.plan.filter(|p| !(0.0..=1000.0).contains(p)) {
        return Err(("plan", Problem::PlanOutOfRange { value: plan }));
    }
    let period = match raw.period.as_deref() {
        Some(text) => parse_month(text).ok_or(("period", Problem::BadMonth { value: text.into() }))?,
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

/// A referenced file beside the article, if it exists and stays inside the
/// site; `published` has only normal segments, so it cannot leave the page.
fn asset(folder: &Path, reference: &Reference) -> Option<Asset> {
    let (written, published) = (&reference.written, &reference.published);
    let from = folder.join(written);
    let safe = Path::new(published).components().all(|c| matches!(c, Component::Normal(_)));
    (safe && from.is_file()).then(|| Asset { from, to: published.to_string() })
}
