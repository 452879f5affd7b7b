//! `bantin import`: an article as staff have it (plain text copied out of
//! the old CMS, title on the first line and byline on the last; a Word
//! document; a page saved from the portal) turned into Markdown with front
//! matter, as a draft. What is found is proposed; what is unsure is written
//! as a `# kiểm tra: …` comment for a person to confirm; nothing is invented.

pub mod docx;
pub mod figures;
pub mod html;
pub mod period;
pub mod text;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::content::front_matter::{RawFrontMatter, RawMeeting, RawReading};
use crate::diagnostics::{Diagnostic, Problem};
use crate::failure::{Failing, Step};
use crate::messages::{Messages, Text};
use crate::scaffold::{article_path, front_matter, write_new, Around};
use crate::site::Config;
use crate::source::SourceFile;
use crate::vietnamese::date::format_date;
use crate::vietnamese::slug::{cut_at_word, short_slug};
use figures::Proposal;
use period::{Span, Spoken};
use text::{expanded_keys, find_words, tokens, Token};

/// A long first paragraph makes a poor summary; past this many characters
/// the import asks for one (and `bantin check` warns by default).
pub const SUMMARY_MAX: usize = 300;

/// One part of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// Markdown as written by a Word document (bold, a table).
    Markdown(String),
    /// A photo's place, with its caption; the file is for a person to add.
    Image {
        caption: String,
        file: String,
    },
}

/// Everything read from one text: the front matter to propose and the body.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The organ's catalogue name.
    pub organ: Option<String>,
    pub kind: Option<String>,
    pub extended: bool,
    pub period: Option<(i32, u32)>,
    pub location: Option<String>,
    pub chair: Vec<String>,
    pub attendees: Vec<String>,
    pub authors: Vec<String>,
    pub source: Option<String>,
    pub indicators: Vec<Proposal>,
    pub body: Vec<Block>,
    /// Notes for a person, by the front matter key they are about.
    pub notes: Vec<(&'static str, Text)>,
}

impl Draft {
    pub fn slug(&self) -> String {
        short_slug(&self.title)
    }

    /// Where the article goes under content/: `content/2023/08/<slug>.md`.
    pub fn path(&self) -> PathBuf {
        article_path(self.date, &self.slug())
    }

    pub fn captions(&self) -> impl Iterator<Item = &str> {
        self.body.iter().filter_map(|b| match b {
            Block::Image { caption, .. } => Some(caption.as_str()),
            Block::Paragraph(_) | Block::Markdown(_) => None,
        })
    }

    /// Every `# kiểm tra` the file will carry.
    pub fn checks(&self) -> usize {
        self.notes.len() + self.indicators.iter().map(|p| p.notes.len()).sum::<usize>()
    }

    fn note(&mut self, key: &'static str, text: Text) {
        self.notes.push((key, text));
    }
}

/// Reads one text. `origin` is the file it came from (its folder names may
/// give the year); `config` gives the catalogues and glossary.
pub fn read(text: &str, origin: &Path, config: &Config) -> Draft {
    let text = crate::vietnamese::nfc(text);
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let mut draft = Draft { title: lines.next().unwrap_or("").to_string(), ..Draft::default() };
    let rest: Vec<&str> = lines.collect();
    let mut paragraphs = paragraphs(&rest);

    match paragraphs.last().and_then(|last| text::byline(last)) {
        Some((authors, source)) => {
            paragraphs.pop();
            draft.authors = authors;
            draft.source = source;
            if draft.source.is_none() {
                draft.note("source", Text::new("note-no-source"));
            }
        }
        None => draft.note("authors", Text::new("note-no-byline")),
    }

    let slug = draft.slug();
    let mut text_paragraphs: Vec<Vec<Token>> = Vec::new();
    for (i, paragraph) in paragraphs.into_iter().enumerate() {
        if i > 0 && text::is_caption(&paragraph) {
            let n = draft.captions().count() + 1;
            let file = format!("{}-anh-{n}.jpg", cut_at_word(&slug, 30));
            draft.note("image", Text::new("note-image").with("caption", &paragraph).with("file", &file));
            draft.body.push(Block::Image { caption: paragraph, file });
        } else {
            text_paragraphs.push(tokens(&paragraph));
            draft.body.push(Block::Paragraph(paragraph));
        }
    }
    let title = tokens(&draft.title);
    let lead: Vec<Token> = text_paragraphs.first().cloned().unwrap_or_default();
    let glossary = &config.glossary;

    let reviewed = period::reviewed(&title, &text_paragraphs);
    find_organ(&mut draft, &title, &lead, config);
    find_date(&mut draft, &title, &text_paragraphs, reviewed, origin);
    let reviewed = reviewed.or_else(|| {
        let date = draft.date?;
        period::year_reviewed(&title, &text_paragraphs, date.month(), date.year())
    });
    find_meeting(&mut draft, &title, &lead, reviewed);
    find_people(&mut draft, &text_paragraphs);
    if let Some(Block::Paragraph(first)) = draft.body.first() {
        let length = first.chars().count();
        if length > SUMMARY_MAX {
            draft.note("summary", Text::new("note-summary").with("length", length).with("max", SUMMARY_MAX));
        }
    }
    let reviewed = reviewed.zip(draft.period).map(|(spoken, (year, month))| figures::Reviewed {
        year,
        month,
        running: matches!(spoken.span, Span::Running(_)),
    });
    let commune = draft.organ.as_deref().is_some_and(is_communes);
    draft.indicators = figures::propose(&text_paragraphs, &config.catalog, glossary, reviewed, commune);
    draft
}

/// The organ is a commune's, a ward's or a township's ("Đảng ủy xã", "HĐND
/// phường"), not a town's ("UBND thị xã").
fn is_communes(organ: &str) -> bool {
    let key = crate::vietnamese::name_key(organ);
    let words: Vec<&str> = key.split(' ').collect();
    words.windows(2).any(|w| w == ["thị", "trấn"])
        || words
            .iter()
            .enumerate()
            .any(|(i, w)| *w == "phường" || (*w == "xã" && (i == 0 || words[i - 1] != "thị")))
}

/// Paragraphs: blocks between blank lines, or every line when the text has
/// no blank lines at all.
fn paragraphs(lines: &[&str]) -> Vec<String> {
    let has_blank = lines.iter().any(|l| l.is_empty());
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines {
        if line.is_empty() || !has_blank {
            if !line.is_empty() {
                current.push(line);
            }
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// The organ named first in the title, else in the first paragraph.
fn find_organ(draft: &mut Draft, title: &[Token], lead: &[Token], config: &Config) {
    let catalog = &config.catalog;
    if catalog.open_organs {
        draft.note("organ", Text::new("note-no-organs"));
        return;
    }
    let names: Vec<(usize, Vec<String>)> = catalog
        .organs
        .iter()
        .enumerate()
        .flat_map(|(i, o)| std::iter::once(&o.name).chain(&o.aliases).map(move |n| (i, n)))
        .map(|(i, name)| (i, expanded_keys(&tokens(name), &config.glossary)))
        .collect();
    let first_in = |words: &[Token]| {
        let keys = expanded_keys(words, &config.glossary);
        names
            .iter()
            .filter_map(|(i, name)| find_words(&keys, name).map(|at| (at, std::cmp::Reverse(name.len()), *i)))
            .min()
            .map(|(_, _, i)| i)
    };
    // `tại trụ sở HĐND và UBND thị xã`: where they met, not who.
    let lead = &text::without_places(lead);
    // The body that met, as the first sentence names it: "Thường trực HĐND
    // huyện" under a title that says "HĐND huyện" is the more specific organ.
    let opening = text::sentences(lead).first().map_or(&[][..], |s| *s);
    let more_specific = |i: usize| {
        let keys = expanded_keys(opening, &config.glossary);
        let general: Vec<&Vec<String>> = names.iter().filter(|(k, _)| *k == i).map(|(_, n)| n).collect();
        names
            .iter()
            .find(|(j, name)| {
                *j != i
                    && find_words(&keys, name).is_some()
                    && general.iter().any(|g| find_words(name, g).is_some())
            })
            .map_or(i, |(j, _)| *j)
    };
    match (first_in(title), first_in(lead)) {
        (Some(i), _) => draft.organ = Some(catalog.organs[more_specific(i)].name.clone()),
        (None, Some(i)) => {
            draft.organ = Some(catalog.organs[more_specific(i)].name.clone());
            draft.note("organ", Text::new("note-organ-from-lead"));
        }
        (None, None) => {
            let known: Vec<&str> = catalog.organs.iter().map(|o| o.name.as_str()).collect();
            draft.note("organ", Text::new("note-organ-unknown").with("known", known.join(", ")));
        }
    }
}

/// The meeting's day from `sáng ngày 31/8`, its year from the text
/// (`tháng 9/2023`, `năm 2023`) or else from the file's folders.
fn find_date(
    draft: &mut Draft,
    title: &[Token],
    paragraphs: &[Vec<Token>],
    reviewed: Option<Spoken>,
    origin: &Path,
) {
    let lead: Vec<Token> = title.iter().chain(paragraphs.iter().take(2).flatten()).cloned().collect();
    let Some((day, month, written_year)) = text::meeting_day(&lead) else {
        draft.note("date", Text::new("note-no-date"));
        return;
    };
    // The year of the period reviewed ("đánh giá … năm 2020" for a meeting
    // on 24/12 or on 4/1): never a far year the text also names.
    let reviewed_year = reviewed.and_then(|r| {
        let year = r.year?;
        Some(if reviewed_month(r).is_some_and(|m| m > month) { year + 1 } else { year })
    });
    // A year reviewed whole is the meeting's, or the one before at a meeting in January or February.
    let whole_year = period::whole_year(title, paragraphs).map(|y| if month <= 2 { y + 1 } else { y });
    let year = match written_year.or(reviewed_year).or(whole_year) {
        Some(year) => Some(year),
        None => {
            let all: Vec<Token> = title.iter().chain(paragraphs.iter().flatten()).cloned().collect();
            let mut years: Vec<i32> = text::years_mentioned(&all)
                .into_iter()
                .map(|(m, y)| match m {
                    Some(12) if month == 1 => y + 1,
                    Some(1) if month == 12 => y - 1,
                    _ => y,
                })
                .collect();
            years.sort_unstable();
            let distinct = {
                let mut d = years.clone();
                d.dedup();
                d
            };
            let most =
                distinct.iter().copied().max_by_key(|y| (years.iter().filter(|x| *x == y).count(), *y));
            if distinct.len() > 1 {
                let listed: Vec<String> = distinct.iter().map(|y| y.to_string()).collect();
                draft.note("date", Text::new("note-years").with("years", listed.join(", ")));
            }
            most.or_else(|| {
                let from_path = year_in_path(origin);
                if from_path.is_some() {
                    draft.note("date", Text::new("note-year-from-folder"));
                }
                from_path
            })
        }
    };
    match year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day)) {
        Some(date) => draft.date = Some(date),
        None => {
            let day = format!("{day}/{month}");
            let id = if year.is_none() { "note-no-year" } else { "note-no-such-day" };
            draft.note("date", Text::new(id).with("day", day))
        }
    }
}

/// The last month of the period reviewed.
fn reviewed_month(reviewed: Spoken) -> Option<u32> {
    match reviewed.span {
        Span::Running(month) | Span::Month(month) => Some(month),
        Span::ToDate | Span::ThisMonth | Span::Other => None,
    }
}

fn year_in_path(path: &Path) -> Option<i32> {
    path.components().rev().find_map(|c| {
        let text = c.as_os_str().to_string_lossy();
        text.parse::<i32>().ok().filter(|y| (1990..=2100).contains(y))
    })
}

/// Kind, "mở rộng", the month reviewed and the place, from the title and lead.
fn find_meeting(draft: &mut Draft, title: &[Token], lead: &[Token], reviewed: Option<Spoken>) {
    let words: Vec<Token> = title.iter().chain(lead).cloned().collect();
    let kinds = ["định kỳ", "thường kỳ", "thường lệ", "lệ kỳ", "chuyên đề", "bất thường"];
    draft.kind = kinds.iter().find(|k| text::contains_phrase(&words, k)).map(|k| k.to_string());
    draft.extended = text::contains_phrase(&words, "mở rộng");
    if let Some((month, year)) = reviewed.and_then(|r| Some((reviewed_month(r)?, r.year))) {
        let year =
            year.or_else(|| draft.date.map(|d| if month > d.month() { d.year() - 1 } else { d.year() }));
        if let Some(year) = year {
            draft.period = Some((year, month));
            if draft.date.is_some_and(|d| (year, month) > (d.year(), d.month())) {
                draft.note("meeting", Text::new("note-period-after"));
            }
        }
    }
    for (i, token) in words.iter().enumerate() {
        if token.key != "tại" || !token.trail.is_empty() {
            continue;
        }
        let rest = &words[i + 1..];
        if text::PLACES.iter().any(|s| text::contains_phrase(&rest[..rest.len().min(3)], s)) {
            // The place ends with its clause, or where the sentence's subject
            // starts ("tại hội trường UBND xã BCH Đảng bộ xã đã tổ chức …").
            let subject = |t: &Token| matches!(t.key.as_str(), "bch" | "btv" | "ban" | "đã" | "tổ");
            let end = rest
                .iter()
                .enumerate()
                .position(|(i, t)| t.ends_clause() || (i >= 2 && subject(t)))
                .map_or(rest.len(), |p| if rest[p].ends_clause() { p + 1 } else { p });
            let place: Vec<&str> = rest[..end].iter().map(|t| t.text.as_str()).collect();
            draft.location = Some(place.join(" "));
            break;
        }
    }
}

/// The chair (`… chủ trì`, `chủ tọa`, `điều hành`) and the attendees
/// (`Dự hội nghị có đồng chí …`), from the first sentences that say so.
fn find_people(draft: &mut Draft, paragraphs: &[Vec<Token>]) {
    let chairing = ["chủ trì", "chủ tọa", "điều hành"];
    let attending = ["dự hội nghị", "tham dự", "dự kỳ họp", "dự phiên họp", "cùng dự", "đến dự", "dự buổi"];
    let mut unsure: Vec<String> = Vec::new();
    for sentence in paragraphs.iter().flat_map(|p| text::sentences(p)) {
        if draft.chair.is_empty() {
            let parts = text::split_after(sentence, |t| t.trail.contains(';'));
            // The whole sentence lists the chairs when it says so before the
            // first name ("Dự và chủ trì Hội nghị có đồng chí A; đồng chí B; …")
            // or opens on the list ("Các đồng chí: A; B chủ tọa kỳ họp.").
            let first_name = (0..sentence.len()).find(|&i| text::name_at(sentence, i).is_some());
            let says_first = first_name.is_some_and(|at| {
                let before = &parts[0][..at.min(parts[0].len())];
                chairing.iter().any(|k| text::contains_phrase(before, k))
            });
            let opens_on_list = sentence.len() > 2
                && sentence[..3].iter().map(|t| t.key.as_str()).eq(["các", "đồng", "chí"])
                && sentence[2].trail == ":";
            let whole = chairing.iter().any(|k| text::contains_phrase(sentence, &format!("{k} gồm")))
                || chairing.iter().any(|k| text::contains_phrase(sentence, &format!("{k} kỳ họp gồm")))
                || says_first
                || (opens_on_list && chairing.iter().any(|k| text::contains_phrase(sentence, k)));
            let part = match whole {
                true => Some(sentence),
                false => {
                    parts.into_iter().find(|part| chairing.iter().any(|k| text::contains_phrase(part, k)))
                }
            };
            let mut names = part.map(text::names_in).unwrap_or_default();
            // `Phó Chủ tịch HĐND huyện Mai Thị Hạnh chủ trì`: no "đồng chí",
            // the name between the title and the verb.
            if let (true, Some(part)) = (names.is_empty(), part) {
                let verb = (0..part.len().saturating_sub(1))
                    .find(|&i| chairing.iter().any(|k| text::contains_phrase(&part[i..i + 2], k)));
                names.extend(verb.and_then(|at| text::name_before(part, at)));
            }
            for name in names {
                if !name.sure {
                    unsure.push(name.text.clone());
                }
                draft.chair.push(name.text);
            }
            if !draft.chair.is_empty() {
                continue;
            }
        }
        if draft.attendees.is_empty() && attending.iter().any(|k| text::contains_phrase(sentence, k)) {
            for name in text::names_in(sentence) {
                if !draft.chair.contains(&name.text) {
                    if !name.sure {
                        unsure.push(name.text.clone());
                    }
                    draft.attendees.push(name.text);
                }
            }
        }
    }
    if draft.chair.is_empty() {
        draft.note("chair", Text::new("note-no-chair"));
    }
    for name in unsure {
        draft.note("chair", Text::new("note-name").with("name", name));
    }
}

/// The article as Markdown with front matter. `origin` is named in the
/// header; the notes for a person are worded from `messages`.
pub fn markdown(draft: &Draft, origin: &str, config: &Config, messages: &Messages) -> String {
    let check = |note: &Text| messages.get("import-check", &[("note", messages.text(note).into())]);
    let present = |names: &[String]| (!names.is_empty()).then(|| names.to_vec());
    let meeting =
        draft.kind.is_some() || draft.extended || draft.period.is_some() || draft.location.is_some();
    let fields = RawFrontMatter {
        title: Some(draft.title.clone()),
        date: draft.date.map(|date| date.to_string()),
        organ: draft.organ.clone(),
        meeting: meeting.then(|| RawMeeting {
            kind: draft.kind.clone(),
            extended: draft.extended.then_some(true),
            period: draft.period.map(|(y, m)| format!("{y:04}-{m:02}")),
            location: draft.location.clone(),
        }),
        chair: present(&draft.chair),
        attendees: present(&draft.attendees),
        authors: present(&draft.authors),
        source: draft.source.clone(),
        tags: Some(Vec::new()),
        // Nothing unreviewed goes live: the person publishes by hand.
        draft: Some(true),
        indicators: (!draft.indicators.is_empty())
            .then(|| draft.indicators.iter().map(|proposal| reading(proposal, draft, config)).collect()),
        ..RawFrontMatter::default()
    };
    let image = draft.body.iter().find_map(|b| match b {
        Block::Image { file, .. } => Some(file),
        _ => None,
    });
    let notes = |key: &str| -> Vec<String> {
        draft.notes.iter().filter(|(k, _)| *k == key).map(|(_, note)| format!("# {}", check(note))).collect()
    };
    let mut out = front_matter(&fields, |key| {
        let mut around = Around::default();
        match key {
            "title" => around
                .above
                .push(format!("# {}", messages.get("import-header", &[("origin", origin.into())]))),
            "date" | "organ" => around.absent = Some(format!("{key}:")),
            // The photo to add is said below `draft`, the line the person edits last.
            "image" => return around,
            "draft" => {
                around.below = notes("image");
                around.below.extend(image.map(|file| format!("# image: {file}")));
            }
            _ => {}
        }
        around.above.extend(notes(key));
        if let Some(i) = key.strip_prefix("indicators.").and_then(|i| i.parse::<usize>().ok()) {
            around.below =
                draft.indicators[i].notes.iter().map(|note| format!("# {}", check(note))).collect();
        }
        around
    });
    for block in &draft.body {
        match block {
            Block::Paragraph(text) => out.push_str(&escape_markdown(text)),
            Block::Markdown(text) => out.push_str(text),
            Block::Image { caption, file } => {
                out.push_str(&format!("![{}]({file})", escape_markdown(caption)));
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A proposed reading as front matter: its period only when it is not the
/// month the meeting reviewed.
fn reading(proposal: &Proposal, draft: &Draft, config: &Config) -> RawReading {
    let reviewed = draft.period.or(draft.date.map(|d| (d.year(), d.month())));
    let period = match (proposal.month, reviewed) {
        (Some(month), Some(period)) if month != period.1 => {
            let year = if month > period.1 + 1 { period.0 - 1 } else { period.0 };
            Some(format!("{year:04}-{month:02}"))
        }
        _ => None,
    };
    RawReading {
        id: Some(config.catalog.indicators[proposal.indicator].id.clone()),
        value: proposal.value,
        unit: proposal.unit.clone(),
        period,
        estimate: proposal.estimate.then_some(true),
        yoy: proposal.yoy,
        cumulative: proposal.cumulative,
        plan: proposal.plan,
        area: None,
    }
}

/// Plain text that Markdown would read as markup, escaped.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        if matches!(c, '\\' | '*' | '_' | '`' | '<' | '[' | ']')
            || (i == 0 && matches!(c, '#' | '>' | '+' | '='))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One imported file.
#[derive(Debug)]
pub struct Imported {
    /// The Markdown file written.
    pub path: PathBuf,
    pub draft: Draft,
}

impl Imported {
    /// What was found, a line each, for the person running the import
    /// (messages `import-*`); "—" where nothing was found.
    pub fn summary(&self, config: &Config) -> Vec<Text> {
        let d = &self.draft;
        let or_none = |v: Option<String>| v.filter(|v| !v.is_empty()).unwrap_or_else(|| "—".into());
        let ids: Vec<&str> =
            d.indicators.iter().map(|p| config.catalog.indicators[p.indicator].id.as_str()).collect();
        vec![
            Text::new("import-date").with("value", or_none(d.date.map(format_date))),
            Text::new("import-organ").with("value", or_none(d.organ.clone())),
            Text::new("import-chair").with("value", or_none(Some(d.chair.join(", ")))),
            Text::new("import-attendees").with("value", or_none(Some(d.attendees.join(", ")))),
            Text::new("import-authors")
                .with("names", or_none(Some(d.authors.join(", "))))
                .with("source", or_none(d.source.clone())),
            Text::new("import-images").with("count", d.captions().count()),
            Text::new("import-indicators").with("value", or_none(Some(ids.join(", ")))),
            Text::new("import-checks").with("count", d.checks()),
        ]
    }
}

/// Imports `file` into `out` (a content folder), refusing to overwrite.
/// An empty or non-UTF-8 file is a content error.
pub fn import_file(
    file: &Path,
    out: &Path,
    config: &Config,
    messages: &Messages,
) -> anyhow::Result<Result<Imported, Diagnostic>> {
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let is_docx = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let (draft, pictures) = if is_docx {
        let Ok(parts) = docx::parts(&bytes) else {
            return Ok(Err(Diagnostic::file(file, Problem::NotADocument)));
        };
        match from_document(parts, file, config) {
            Some(read) => read,
            None => return Ok(Err(Diagnostic::file(file, Problem::EmptyFile))),
        }
    } else {
        let source = match SourceFile::decode(file.to_path_buf(), bytes) {
            Ok(source) => source,
            Err(diagnostic) => return Ok(Err(diagnostic)),
        };
        let is_html =
            file.extension().is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        let text = match is_html {
            true => html::article_text(&source.text).unwrap_or_default(),
            false => source.text,
        };
        if text.trim().is_empty() {
            return Ok(Err(Diagnostic::file(file, Problem::EmptyFile)));
        }
        (read(&text, file, config), Vec::new())
    };
    let relative = draft.path();
    let relative = relative.strip_prefix("content").unwrap_or(&relative);
    let target = out.join(relative);
    let origin =
        file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    write_new(&target, markdown(&draft, &origin, config, messages))?;
    let folder = target.parent().unwrap_or(out);
    for (name, bytes) in pictures {
        write_new(&folder.join(name), bytes)?;
    }
    Ok(Ok(Imported { path: target, draft }))
}

/// A picture of a Word document: its file name beside the article, and its bytes.
type Picture = (String, Vec<u8>);

/// A Word document read like a text (its paragraphs' plain text), with its
/// body then taken from the document itself: bold, tables and pictures, the
/// pictures named for the article, to be saved beside it.
fn from_document(parts: Vec<docx::Part>, file: &Path, config: &Config) -> Option<(Draft, Vec<Picture>)> {
    let texts: Vec<&str> = parts
        .iter()
        .filter_map(|p| match p {
            docx::Part::Text { plain, .. } => Some(plain.as_str()),
            _ => None,
        })
        .collect();
    if texts.is_empty() {
        return None;
    }
    let mut draft = read(&texts.join("\n\n"), file, config);
    let last_is_byline = !draft.authors.is_empty();
    let count = texts.len();
    let stem = cut_at_word(&draft.slug(), 30).to_string();
    let mut body = Vec::new();
    let mut pictures = Vec::new();
    let mut seen = 0;
    for part in parts {
        match part {
            docx::Part::Text { markdown, .. } => {
                seen += 1;
                if seen > 1 && !(last_is_byline && seen == count) {
                    body.push(Block::Markdown(crate::vietnamese::nfc(&markdown).into_owned()));
                }
            }
            docx::Part::Table(table) => {
                body.push(Block::Markdown(crate::vietnamese::nfc(&table).into_owned()))
            }
            docx::Part::Picture { bytes, extension } => {
                let file = format!("{stem}-anh-{}.{extension}", pictures.len() + 1);
                pictures.push((file.clone(), bytes));
                body.push(Block::Image { caption: String::new(), file });
            }
        }
    }
    // The pictures are the document's own: no photo to look for.
    draft.notes.retain(|(key, _)| *key != "image");
    draft.body = body;
    Some((draft, pictures))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_blocks_or_lines() {
        assert_eq!(paragraphs(&["a", "b", "", "c"]), ["a b", "c"]);
        assert_eq!(paragraphs(&["a", "b", "c"]), ["a", "b", "c"]);
    }

    #[test]
    fn communes_wards_and_townships_are_told_from_towns() {
        for organ in
            ["Đảng ủy xã", "Hội đồng nhân dân xã Điện Minh", "Đảng ủy phường", "UBND thị trấn Đất Đỏ"]
        {
            assert!(is_communes(organ), "{organ}");
        }
        for organ in ["Ủy ban nhân dân thị xã", "Hội đồng nhân dân huyện", "Ủy ban nhân dân thành phố"]
        {
            assert!(!is_communes(organ), "{organ}");
        }
    }

    #[test]
    fn markup_characters_in_plain_text_are_escaped() {
        assert_eq!(escape_markdown("# 1 *x* <b> [y]"), "\\# 1 \\*x\\* \\<b> \\[y\\]");
    }
}
