//! What templates see: borrowed, serializable views of the site, built per
//! page without cloning articles. docs/TEMPLATES.md documents every field.

use serde::Serialize;
use serde_yaml::Value;

use super::figures::{Figures, ReadingView};
use crate::assemble::Site;
use crate::index::{MonthArchive, TagListing};
use crate::site::config::Publisher;
use crate::vietnamese::slugify;

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub language: &'a str,
    pub logo: &'a str,
    pub publisher: &'a Publisher,
    pub organs: Vec<OrganView<'a>>,
    pub years: Vec<YearView>,
}

#[derive(Serialize)]
pub struct OrganView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    pub description: Option<&'a str>,
}

#[derive(Serialize)]
pub struct YearView {
    pub year: i32,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct MonthView {
    pub year: i32,
    pub month: u32,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct ArchiveYearView {
    pub year: i32,
    pub url: String,
    pub count: usize,
    pub months: Vec<MonthView>,
}

#[derive(Serialize)]
pub struct TagView<'a> {
    pub name: &'a str,
    pub slug: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: String,
    pub time: Option<String>,
    pub weekday: u32,
    pub organ: OrganView<'a>,
    pub meeting: Option<MeetingView<'a>>,
    pub chair: &'a [String],
    pub attendees: &'a [String],
    pub authors: &'a [String],
    pub source: Option<&'a str>,
    pub published: String,
    pub summary: &'a str,
    pub tags: Vec<TagView<'a>>,
    pub image: Option<&'a str>,
    pub image_in_body: bool,
    pub readings: Vec<ReadingView<'a>>,
    pub extra: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub kind: Option<&'a str>,
    pub extended: bool,
    pub period: Option<String>,
    pub location: Option<&'a str>,
}

pub fn month_url(year: i32, month: u32) -> String {
    format!("/{year:04}/{month:02}/")
}

pub fn year_url(year: i32) -> String {
    format!("/{year:04}/")
}

fn period(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// Views over one site, shared by all pages of a build.
pub struct Views<'a> {
    pub site: &'a Site,
    figures: Figures<'a>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Self {
        Views { site, figures: Figures::new(site) }
    }

    pub fn figures(&self) -> &Figures<'a> {
        &self.figures
    }

    /// A time in the site's timezone, RFC 3339.
    pub fn local_time(&self, time: &chrono::DateTime<chrono::FixedOffset>) -> String {
        time.with_timezone(&self.site.config.timezone).to_rfc3339()
    }

    pub fn site_view(&self) -> SiteView<'a> {
        let config = &self.site.config;
        let index = &self.site.index;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            logo: &config.logo,
            publisher: &config.publisher,
            organs: index.organs.iter().map(|o| self.organ(o.organ, Some(o.articles.len()))).collect(),
            years: index
                .years
                .iter()
                .map(|y| YearView { year: y.year, url: year_url(y.year), count: y.count })
                .collect(),
        }
    }

    pub fn organ(&self, organ: usize, count: Option<usize>) -> OrganView<'a> {
        let organ = &self.site.config.catalog.organs[organ];
        OrganView {
            id: &organ.id,
            name: &organ.name,
            url: format!("/co-quan/{}/", organ.id),
            count,
            description: organ.description.as_deref(),
        }
    }

    pub fn tag(&self, tag: &'a TagListing) -> TagView<'a> {
        TagView {
            name: &tag.name,
            slug: tag.slug.clone(),
            url: format!("/the/{}/", tag.slug),
            count: Some(tag.articles.len()),
        }
    }

    pub fn month(&self, month: &MonthArchive) -> MonthView {
        MonthView {
            year: month.year,
            month: month.month,
            url: month_url(month.year, month.month),
            count: month.articles.len(),
        }
    }

    pub fn article(&self, position: usize, with_content: bool) -> ArticleView<'a> {
        let article = super::reads::article(self.site, position);
        ArticleView {
            title: &article.title,
            url: &article.url,
            date: article.date.format("%Y-%m-%d").to_string(),
            time: article.time.map(|t| t.format("%H:%M").to_string()),
            weekday: chrono::Datelike::weekday(&article.date).number_from_monday(),
            organ: self.organ(article.organ, None),
            meeting: article.meeting.as_ref().map(|m| MeetingView {
                kind: m.kind.as_deref(),
                extended: m.extended,
                period: m.period.map(|(y, mo)| period(y, mo)),
                location: m.location.as_deref(),
            }),
            chair: &article.chair,
            attendees: &article.attendees,
            authors: &article.authors,
            source: article.source_unit.as_deref(),
            published: self.local_time(&article.published),
            summary: &article.summary,
            tags: article
                .tags
                .iter()
                .map(|name| {
                    let slug = slugify(name);
                    TagView { name, url: format!("/the/{slug}/"), slug, count: None }
                })
                .collect(),
            image: article.image.as_deref(),
            image_in_body: article.image_in_body,
            readings: article.readings.iter().map(|r| self.figures().reading(r, None, false)).collect(),
            extra: &article.extra,
            content: with_content.then_some(&*article.content),
        }
    }
}
