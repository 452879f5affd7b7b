//! A page saved from the old portal (`.html`) read for import: its title,
//! the article's own paragraphs and its byline, as the plain text the
//! importer reads. Menus, headers, footers, side columns and scripts are
//! dropped; the article is the element holding the most paragraph text.

use scraper::{ElementRef, Html, Selector};

/// Elements that are never the article's text.
const AROUND: &[&str] = &["nav", "header", "footer", "aside", "script", "style", "noscript", "form"];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a fixed selector")
}

/// The words of an element, spaces made single.
fn words(element: ElementRef) -> String {
    element.text().flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

fn is_around(element: ElementRef) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|e| AROUND.contains(&e.value().name()))
}

/// The article as text: the title on the first line, then the paragraphs
/// between blank lines (the byline, when the page has one, last). None
/// when the page has no paragraph of text.
pub fn article_text(page: &str) -> Option<String> {
    let html = Html::parse_document(page);
    let paragraphs = selector("p");
    // The element whose own paragraphs hold the most text.
    let mut best: Option<(usize, ElementRef)> = None;
    for p in html.select(&paragraphs).filter(|p| !is_around(*p)) {
        let Some(parent) = p.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        let size: usize = parent
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| c.value().name() == "p")
            .map(|c| words(c).chars().count())
            .sum();
        if best.is_none_or(|(most, _)| size > most) {
            best = Some((size, parent));
        }
    }
    let (_, article) = best?;
    let mut lines: Vec<String> = article
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "p" | "h2" | "h3" | "blockquote"))
        .map(words)
        .filter(|t| !t.is_empty())
        .collect();
    // A byline kept apart from the paragraphs (`<div class="author">`).
    let author = selector("[class*=author], [class*=tac-gia], [itemprop=author]");
    if let Some(byline) = html.select(&author).filter(|a| !is_around(*a)).map(words).find(|t| !t.is_empty()) {
        if lines.last() != Some(&byline) {
            lines.push(byline);
        }
    }
    let title =
        html.select(&selector("h1")).filter(|h| !is_around(*h)).map(words).find(|t| !t.is_empty()).or_else(
            || {
                let title = html.select(&selector("title")).next().map(words)?;
                // `Tiêu đề bài - Cổng thông tin huyện`: the portal's name dropped.
                let cut = title
                    .rsplit_once(" - ")
                    .or_else(|| title.rsplit_once(" | "))
                    .map_or(title.as_str(), |(t, _)| t);
                Some(cut.trim().to_string())
            },
        )?;
    lines.insert(0, title);
    Some(lines.join("\n\n"))
}
