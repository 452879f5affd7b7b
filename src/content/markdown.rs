//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and
//! smart punctuation; glossary abbreviations as `<abbr>`; relative links kept
//! working next to the published page; site paths (`/2023/08/x/`) placed in
//! the site's folder; raw HTML sanitized.

use std::ops::Range;

use crate::html::escape;
use crate::images;
use crate::vietnamese::{is_word_char, nfc};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The Markdown bantin reads (tables, footnotes, strikethrough, smart
/// punctuation): the renderer and `check`'s link finder parse alike.
pub fn dialect() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders article bodies. Built once per build and shared by all threads.
pub struct Markdown {
    /// Abbreviation and expansion, longest first so `HĐND huyện` wins over `HĐND`.
    glossary: Vec<(String, String)>,
    /// The path of the base URL (`/yen-dinh`), empty at a domain's root.
    folder: String,
    sanitizer: ammonia::Builder<'static>,
}

/// One body rendered.
pub struct Rendered {
    pub html: String,
    /// The first paragraph as plain text: the summary when none is given.
    pub first_paragraph: String,
    /// Relative references to files beside the article, as written, with the
    /// path each is published at relative to the article's page.
    pub references: Vec<Reference>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// As written (URL-encoded as the writer left it), without `#…` or `?…`.
    pub written: String,
    /// Where the page points at it, relative to the page, still encoded.
    pub published: String,
    /// The bytes of the body the link or image spans; None for `image:`.
    pub span: Option<Range<usize>>,
}

impl Reference {
    /// A reference that climbs out of the article's folder (`../anh/x.jpg`)
    /// is published beside the page under its file name; others keep their path.
    pub fn new(written: &str) -> Self {
        // `%2e%2e` climbs too: browsers and the file system read it as `..`.
        let climbs = written.split('/').any(|part| percent_decoded(part) == "..");
        let published = if climbs { written.rsplit('/').next().unwrap_or(written) } else { written };
        let published = published.trim_start_matches("./").to_string();
        Reference { written: written.to_string(), published, span: None }
    }

    /// A reference to a file beside the article, or None for what is not
    /// one: other sites, `mailto:`, site paths (`/…`), folders, Markdown files.
    pub fn local(url: &str) -> Option<Self> {
        let path = url.split(['#', '?']).next().unwrap_or("");
        let scheme = path.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/'));
        let page = path.is_empty() || path.starts_with('/') || path.ends_with('/') || path.ends_with(".md");
        (!scheme && !page).then(|| Reference::new(path))
    }

    /// The file to look for beside the article: the written path decoded.
    pub fn source(&self) -> String {
        percent_decoded(&self.written)
    }

    /// The path the file is published at, relative to the page: decoded, as a
    /// browser asks for it, and NFC, as the article's text links to it.
    pub fn file(&self) -> String {
        nfc(&percent_decoded(&self.published)).into_owned()
    }
}

/// `%20` and friends decoded; anything malformed is kept as written.
pub fn percent_decoded(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

impl Markdown {
    pub fn new(glossary: Vec<(String, String)>, folder: &str) -> Self {
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
            .add_generic_attributes(["id", "class", "title", "lang"])
            .add_tags(["abbr", "figure", "figcaption", "mark", "section"])
            .add_tag_attributes("img", ["width", "height", "loading", "decoding", "srcset", "sizes"])
            .add_tag_attributes("td", ["style"])
            .link_rel(None);
        if !folder.is_empty() {
            sanitizer.url_relative(ammonia::UrlRelative::Custom(Box::new(InFolder(folder.to_string()))));
        }
        Markdown { glossary, folder: folder.to_string(), sanitizer }
    }

    /// Renders `body`; `size_of` gives the pixel size of an image beside the
    /// article, by the path written in the Markdown, when it can be read.
    pub fn render(&self, body: &str, size_of: &dyn Fn(&str) -> Option<(u32, u32)>) -> Rendered {
        let mut has_raw_html = false;
        let mut references = Vec::new();
        let mut first_paragraph = String::new();
        let mut paragraph_state = ParagraphState::Before;
        let mut in_code = false;
        let mut in_image = false;
        let mut events = Vec::new();
        // Where each image is in the body, in order, for `images` below.
        let mut image_spans = Vec::new();
        for (event, span) in Parser::new_ext(body, dialect()).into_offset_iter() {
            match &event {
                Event::Start(Tag::Paragraph) if paragraph_state == ParagraphState::Before => {
                    paragraph_state = ParagraphState::Inside;
                }
                Event::End(TagEnd::Paragraph) if paragraph_state == ParagraphState::Inside => {
                    paragraph_state = ParagraphState::Done;
                }
                Event::Text(text) | Event::Code(text) if paragraph_state == ParagraphState::Inside => {
                    first_paragraph.push_str(text);
                }
                Event::SoftBreak if paragraph_state == ParagraphState::Inside => first_paragraph.push(' '),
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::Image { .. }) => {
                    in_image = true;
                    image_spans.push(span.clone());
                }
                Event::End(TagEnd::Image) => in_image = false,
                Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
                _ => {}
            }
            match event {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let dest_url = self.destination(dest_url, false, span, &mut references);
                    events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                Event::Text(text) if !in_code && !in_image && !self.glossary.is_empty() => {
                    self.abbreviate(text, &mut events);
                }
                other => events.push(other),
            }
        }
        let mut events = self.images(events, size_of, image_spans, &mut references);
        outline_under_title(&mut events);
        let mut html = String::with_capacity(body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        if has_raw_html {
            html = self.sanitizer.clean(&crate::html::flatten_deep(&html)).to_string();
        }
        Rendered { html, first_paragraph: first_paragraph.trim().to_string(), references }
    }

    /// Neutralizes script URLs, puts site paths in the site's folder and
    /// records references to files beside the article, rewritten to where
    /// they are published.
    fn destination<'a>(
        &self,
        url: CowStr<'a>,
        image: bool,
        span: Range<usize>,
        references: &mut Vec<Reference>,
    ) -> CowStr<'a> {
        let lower = url.trim_start().to_ascii_lowercase();
        let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains('/'));
        match scheme {
            Some("javascript" | "vbscript") => return CowStr::Borrowed("#"),
            Some("data") if !(image && lower.starts_with("data:image/")) => return CowStr::Borrowed("#"),
            Some(_) => return url,
            None => {}
        }
        let Some(reference) = Reference::local(&url) else {
            return match url.starts_with('/') && !self.folder.is_empty() {
                true => CowStr::from(crate::html::under(&self.folder, &url)),
                false => url,
            };
        };
        let path = &reference.written;
        let rewritten =
            (reference.published != *path).then(|| format!("{}{}", reference.published, &url[path.len()..]));
        references.push(Reference { span: Some(span), ..reference });
        rewritten.map_or(url, CowStr::from)
    }

    /// Images as `<img>` with their size, `srcset` of the resized copies and
    /// lazy loading after the first; an image alone in its paragraph becomes
    /// a `<figure>` with its alt text (or title) as the caption.
    fn images<'a>(
        &self,
        events: Vec<Event<'a>>,
        size_of: &dyn Fn(&str) -> Option<(u32, u32)>,
        spans: Vec<Range<usize>>,
        references: &mut Vec<Reference>,
    ) -> Vec<Event<'a>> {
        let mut spans = spans.into_iter();
        let mut out = Vec::with_capacity(events.len());
        let mut image: Option<(CowStr<'a>, CowStr<'a>, String)> = None;
        let mut alone: Option<(String, String)> = None;
        let mut first = true;
        for event in events {
            match (&mut image, event) {
                (None, Event::Start(Tag::Image { dest_url, title, .. })) => {
                    image = Some((dest_url, title, String::new()));
                }
                (Some((_, _, alt)), Event::Text(text) | Event::Code(text)) => alt.push_str(&text),
                (Some(_), Event::End(TagEnd::Image)) => {
                    let (written, title, alt) = image.take().expect("inside an image");
                    let size = size_of(&written);
                    let span = spans.next().expect("one span per image");
                    let src = self.destination(written, true, span, references);
                    let tag = img_tag(&src, &title, &alt, size, !first);
                    first = false;
                    if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) {
                        out.pop();
                        let caption = if alt.is_empty() { title.to_string() } else { alt };
                        alone = Some((tag, caption));
                    } else {
                        out.push(Event::InlineHtml(tag.into()));
                    }
                }
                (Some(_), _) => {} // markup inside alt text: its text is kept above
                (None, Event::End(TagEnd::Paragraph)) if alone.is_some() => {
                    let (tag, caption) = alone.take().expect("checked");
                    let caption = if caption.is_empty() {
                        String::new()
                    } else {
                        format!("<figcaption>{}</figcaption>", escape(&caption))
                    };
                    out.push(Event::Html(format!("<figure>{tag}{caption}</figure>\n").into()));
                }
                (None, other) => {
                    if let Some((tag, _)) = alone.take() {
                        out.push(Event::Start(Tag::Paragraph));
                        out.push(Event::InlineHtml(tag.into()));
                    }
                    out.push(other);
                }
            }
        }
        out
    }

    /// Splits text around glossary abbreviations standing as whole words.
    fn abbreviate<'a>(&self, text: CowStr<'a>, events: &mut Vec<Event<'a>>) {
        let mut rest: &str = &text;
        let mut pieces: Vec<Event<'a>> = Vec::new();
        let mut start = 0;
        let mut i = 0;
        // Whether the character before `i` is a letter or digit.
        let mut in_word = false;
        while let Some(c) = rest[i..].chars().next() {
            let hit = (!in_word)
                .then(|| {
                    // The first byte first: most words start no abbreviation.
                    let first = rest.as_bytes()[i];
                    self.glossary.iter().find(|(abbr, _)| {
                        abbr.as_bytes().first() == Some(&first)
                            && rest[i..].starts_with(abbr.as_str())
                            && !rest[i + abbr.len()..].chars().next().is_some_and(is_word_char)
                    })
                })
                .flatten();
            match hit {
                Some((abbr, title)) => {
                    if start < i {
                        pieces.push(Event::Text(CowStr::from(rest[start..i].to_string())));
                    }
                    let html = format!("<abbr title=\"{}\">{}</abbr>", escape(title), escape(abbr));
                    pieces.push(Event::InlineHtml(CowStr::from(html)));
                    i += abbr.len();
                    start = i;
                    in_word = abbr.chars().next_back().is_some_and(is_word_char);
                }
                None => {
                    i += c.len_utf8();
                    in_word = is_word_char(c);
                }
            }
        }
        if pieces.is_empty() {
            events.push(Event::Text(text));
            return;
        }
        if start < rest.len() {
            rest = &rest[start..];
            pieces.push(Event::Text(CowStr::from(rest.to_string())));
        }
        events.extend(pieces);
    }
}

fn img_tag(src: &str, title: &str, alt: &str, size: Option<(u32, u32)>, lazy: bool) -> String {
    let mut tag = format!("<img src=\"{}\" alt=\"{}\"", escape(src), escape(alt));
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    if let Some((width, height)) = size {
        tag.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        if images::is_resizable(src) && images::variant_widths(width).next().is_some() {
            let copies: Vec<String> = images::variant_widths(width)
                .map(|w| format!("{} {w}w", escape(&images::variant_path(src, w))))
                .chain([format!("{} {width}w", escape(src))])
                .collect();
            tag.push_str(&format!(
                " srcset=\"{}\" sizes=\"(max-width: 45rem) 100vw, 45rem\"",
                copies.join(", ")
            ));
        }
    }
    if lazy {
        tag.push_str(" loading=\"lazy\"");
    }
    tag.push_str(" decoding=\"async\">");
    tag
}

/// The page's title is its only `h1`: headings of the body are shifted so
/// that the highest one used becomes `h2`, whatever level the writer chose,
/// and the outline has no gaps at its top.
fn outline_under_title(events: &mut [Event<'_>]) {
    use pulldown_cmark::HeadingLevel;
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min();
    let Some(top) = top.filter(|&top| top != 2) else { return };
    let shift = |level: HeadingLevel| {
        HeadingLevel::try_from((level as usize + 2 - top).min(6)).unwrap_or(HeadingLevel::H6)
    };
    for event in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) => *level = shift(*level),
            Event::End(TagEnd::Heading(level)) => *level = shift(*level),
            _ => {}
        }
    }
}

/// Site paths in raw HTML (`<a href="/2023/08/x/">`) placed in the site's
/// folder, as `destination` does for Markdown links. The sanitizer sees the
/// whole body, Markdown links included, so a path already in the folder is
/// left as it is.
struct InFolder(String);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for InFolder {
    fn evaluate<'url>(&self, url: &'url str) -> Option<std::borrow::Cow<'url, str>> {
        let inside = url.strip_prefix(self.0.as_str()).is_some_and(|rest| rest.starts_with('/'));
        Some(match url.starts_with('/') && !inside {
            true => crate::html::under(&self.0, url).into(),
            false => url.into(),
        })
    }
}

#[derive(PartialEq)]
enum ParagraphState {
    Before,
    Inside,
    Done,
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Markdown {
        fn render_plain(&self, body: &str) -> Rendered {
            self.render(body, &|_| None)
        }
    }

    #[test]
    fn a_lone_image_becomes_a_figure_with_size_srcset_and_caption() {
        let size = |path: &str| (path == "dai-bieu.jpg").then_some((1600, 900));
        let out = markdown()
            .render("![Đại biểu tham dự hội nghị.](dai-bieu.jpg)\n\nChữ ![nhỏ](x.png) chữ.\n", &size);
        assert!(out.html.contains("<figure><img src=\"dai-bieu.jpg\" alt=\"Đại biểu tham dự hội nghị.\" width=\"1600\" height=\"900\" srcset=\"dai-bieu-480w.jpg 480w, dai-bieu-960w.jpg 960w, dai-bieu-1440w.jpg 1440w, dai-bieu.jpg 1600w\""), "{}", out.html);
        assert!(out.html.contains("<figcaption>Đại biểu tham dự hội nghị.</figcaption></figure>"));
        assert!(
            out.html.contains(
                "<p>Chữ <img src=\"x.png\" alt=\"nhỏ\" loading=\"lazy\" decoding=\"async\"> chữ.</p>"
            ),
            "{}",
            out.html
        );
        assert!(!out.html.contains("<p><figure>"));
    }

    #[test]
    fn site_paths_go_into_the_sites_folder_and_other_links_stay() {
        let body = "Xem [phiên họp trước](/2023/08/ky-hop-thu-muoi/), [ảnh](/anh/hội-nghị.jpg), \
                    [biên bản](bien-ban.pdf), [cổng](https://yendinh.thanhhoa.gov.vn/) và [mục](#muc).";
        let out = Markdown::new(Vec::new(), "/yen-dinh").render_plain(body);
        assert!(out.html.contains("href=\"/yen-dinh/2023/08/ky-hop-thu-muoi/\""), "{}", out.html);
        assert!(out.html.contains("href=\"/yen-dinh/anh/h%E1%BB%99i-ngh%E1%BB%8B.jpg\""), "{}", out.html);
        assert!(out.html.contains("href=\"bien-ban.pdf\""), "{}", out.html);
        assert!(out.html.contains("href=\"https://yendinh.thanhhoa.gov.vn/\""), "{}", out.html);
        assert!(out.html.contains("href=\"#muc\""), "{}", out.html);
        let raw = "<p>Xem <a href=\"/2023/08/ky-hop-thu-muoi/\">kỳ họp</a> và [mục lục](/luu-tru/).</p>\n\n[Tháng 8](/2023/08/)\n";
        let out = Markdown::new(Vec::new(), "/yen-dinh").render_plain(raw);
        assert!(out.html.contains("href=\"/yen-dinh/2023/08/ky-hop-thu-muoi/\""), "{}", out.html);
        assert!(out.html.contains("href=\"/yen-dinh/2023/08/\""), "{}", out.html);
        let at_root = markdown().render_plain(body);
        assert!(at_root.html.contains("href=\"/2023/08/ky-hop-thu-muoi/\""), "{}", at_root.html);
    }

    fn markdown() -> Markdown {
        Markdown::new(
            vec![("HĐND".into(), "Hội đồng nhân dân".into()), ("NTM".into(), "nông thôn mới".into())],
            "",
        )
    }

    #[test]
    fn glossary_words_become_abbr_but_not_inside_other_words() {
        let out = markdown().render_plain("Kỳ họp HĐND huyện về NTM; NTMX không đổi.\n");
        assert!(out.html.contains("<abbr title=\"Hội đồng nhân dân\">HĐND</abbr> huyện"), "{}", out.html);
        assert!(out.html.contains("<abbr title=\"nông thôn mới\">NTM</abbr>;"));
        assert!(out.html.contains("NTMX"));
    }

    #[test]
    fn body_headings_start_at_h2_under_the_page_title() {
        let out = markdown().render_plain("### Kết quả\n\n#### Chi tiết\n");
        assert!(
            out.html.contains("<h2>Kết quả</h2>") && out.html.contains("<h3>Chi tiết</h3>"),
            "{}",
            out.html
        );
        let out = markdown().render_plain("# Phần một\n");
        assert!(out.html.contains("<h2>Phần một</h2>"));
    }

    #[test]
    fn scripts_and_event_handlers_are_removed_but_tables_stay() {
        let body = "<script>alert(1)</script>\n\n<b onclick=\"x()\">đậm</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](javascript:alert(1))\n";
        let out = markdown().render_plain(body);
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("onclick"));
        assert!(!out.html.contains("javascript:"));
        assert!(out.html.contains("<b>đậm</b>"));
        assert!(out.html.contains("<table>"));
    }

    #[test]
    fn relative_files_are_recorded_and_climbing_ones_moved_beside_the_page() {
        let body = "![Đại biểu](dai-bieu.jpg) [báo cáo](../tai-lieu/bao-cao.pdf#trang-2) [web](https://a.vn/x.jpg)\n";
        let out = markdown().render_plain(body);
        let spanned = |r: &Reference| &body[r.span.clone().unwrap()];
        let image = out.references.iter().find(|r| r.written == "dai-bieu.jpg").unwrap();
        let pdf = out.references.iter().find(|r| r.written == "../tai-lieu/bao-cao.pdf").unwrap();
        assert_eq!(out.references.len(), 2);
        assert_eq!((image.published.as_str(), spanned(image)), ("dai-bieu.jpg", "![Đại biểu](dai-bieu.jpg)"));
        assert_eq!(
            (pdf.published.as_str(), spanned(pdf)),
            ("bao-cao.pdf", "[báo cáo](../tai-lieu/bao-cao.pdf#trang-2)")
        );
        assert!(out.html.contains("href=\"bao-cao.pdf#trang-2\""));
        assert_eq!(out.first_paragraph, "Đại biểu báo cáo web");
    }

    #[test]
    fn references_are_found_by_their_decoded_nfc_names_and_encoded_climbs_climb() {
        let spaced = Reference::new("anh%20co%20dau%20cach.jpg");
        assert_eq!(
            (spaced.source().as_str(), spaced.file().as_str()),
            ("anh co dau cach.jpg", "anh co dau cach.jpg")
        );
        let climbing = Reference::new("%2e%2e/%2E%2E/etc/passwd");
        assert_eq!(climbing.published, "passwd");
        // An NFD name encoded in the link is published under its NFC name.
        assert_eq!(Reference::new("ho%CC%A3%CC%82i.jpg").file(), "hội.jpg");
        for not_a_file in ["https://a.vn/x.jpg", "/2023/08/a/", "../b/", "b.md", "#tren", "mailto:a@b.vn", ""]
        {
            assert_eq!(Reference::local(not_a_file), None, "{not_a_file}");
        }
    }
}
