//! HTML text in and out: escaping shared by the Markdown renderer and the
//! templates (the five characters that matter, and no more: Tera's default
//! also escapes `/`, which makes every URL unreadable), and the plain text of
//! rendered HTML for the search index; site paths put under the site's folder.

/// Characters XML forbids and HTML calls parse errors: C0 controls other
/// than tab and line breaks, and the noncharacters U+FFFE and U+FFFF. Word's
/// line break (U+000B, Shift+Enter) arrives this way in pasted text.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `text` with each forbidden character made a space: one character for
/// one, so columns in diagnostics stay where they were.
pub fn without_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if has_forbidden(text) {
        text.chars().map(|c| if is_forbidden(c) { ' ' } else { c }).collect::<String>().into()
    } else {
        text.into()
    }
}

/// `text.contains(is_forbidden)`, by bytes (every file read is scanned):
/// the controls are ASCII, U+FFFE and U+FFFF are `EF BF BE` and `EF BF BF`.
fn has_forbidden(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &byte)| match byte {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1F => true,
        0xEF => matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])),
        _ => false,
    })
}

/// Escapes text for HTML and XML; a forbidden control character (from a
/// template or data, since content is cleaned on reading) becomes a space.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The five and the controls are ASCII, and U+FFFE/U+FFFF start with
    // 0xEF, so every byte found is a char boundary: copy the runs between
    // them whole instead of char by char.
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let (entity, len) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            b'\0'..=b'\x08' | b'\x0B' | b'\x0C' | b'\x0E'..=b'\x1F' => (" ", 1),
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => (" ", 3),
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + len;
    }
    out.push_str(&text[start..]);
    out
}

/// Elements nested deeper than this lose their tags (their text stays):
/// the sanitizer's parser looks through every open element at each tag, so
/// 50,000 nested `<div>`s took it 13 s. Browsers stop nesting at 512.
pub const DEEPEST: usize = 256;

/// `html` with the tags of elements nested deeper than `DEEPEST` removed;
/// unchanged (and not copied) when it nests less, as written HTML does.
/// Tags are found roughly (a `>` inside an attribute's quotes ends one):
/// what comes out is sanitized anyway.
pub fn flatten_deep(html: &str) -> std::borrow::Cow<'_, str> {
    let mut depth = 0usize;
    let deepest = tags(html)
        .map(|(_, opens, closes)| {
            depth = if closes { depth.saturating_sub(1) } else { depth + usize::from(opens) };
            depth
        })
        .max();
    if deepest.unwrap_or(0) <= DEEPEST {
        return html.into();
    }
    let (mut kept, mut start, mut depth) = (String::with_capacity(html.len()), 0, 0usize);
    for (tag, opens, closes) in tags(html) {
        if (opens && depth >= DEEPEST) || (closes && depth > DEEPEST) {
            kept.push_str(&html[start..tag.start]);
            start = tag.end;
        }
        depth = if closes { depth.saturating_sub(1) } else { depth + usize::from(opens) };
    }
    kept.push_str(&html[start..]);
    kept.into()
}

/// The tags of `html`: where each is, whether it opens an element that
/// needs closing, whether it closes one.
fn tags(html: &str) -> impl Iterator<Item = (std::ops::Range<usize>, bool, bool)> + '_ {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let at = rest + html.get(rest..)?.find('<')?;
        let end = html[at..].find('>').map_or(html.len(), |i| at + i + 1);
        rest = end;
        let tag = &html[at..end];
        let name = tag.trim_start_matches(['<', '/']);
        let name = &name[..name.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(name.len())];
        let (opens, closes) = match tag.as_bytes().get(1) {
            Some(b'/') => (false, true),
            Some(c) if c.is_ascii_alphabetic() => {
                let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
                (!(void || tag.ends_with("/>")), false)
            }
            _ => (false, false),
        };
        Some((at..end, opens, closes))
    })
}

/// Elements that have no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Elements inside a line of text: their tags are dropped without a space,
/// so "<abbr>BHYT</abbr>," reads "BHYT," as on the page.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
    "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The text of an HTML fragment as a reader sees it: tags dropped, the
/// common entities decoded, other elements' boundaries kept as spaces so
/// words do not run together.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let name =
                rest[1..end].trim_start_matches('/').split(|c: char| !c.is_ascii_alphanumeric()).next();
            if !name.is_some_and(|name| INLINE.iter().any(|i| i.eq_ignore_ascii_case(name))) {
                text.push(' ');
            }
            rest = &rest[end..];
        } else {
            let end = rest.find(';').filter(|&i| i <= 8).map_or(1, |i| i + 1);
            text.push_str(match &rest[..end] {
                "&amp;" => "&",
                "&lt;" => "<",
                "&gt;" => ">",
                "&quot;" => "\"",
                "&#39;" => "'",
                "&nbsp;" => " ",
                other => other,
            });
            rest = &rest[end..];
        }
    }
    text.push_str(rest);
    text
}

/// A root-relative path (`/2023/08/x/`) placed under the site's folder
/// (`/yen-dinh/2023/08/x/`); other URLs as they are.
pub fn under(folder: &str, url: &str) -> String {
    match url.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => format!("{folder}/{rest}"),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forbidden_characters_are_found_by_their_bytes_as_by_char() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("Hội nghị{c}tháng 8");
            assert_eq!(super::has_forbidden(&text), super::is_forbidden(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn markup_characters_are_escaped_and_slashes_are_not() {
        assert_eq!(super::escape("a & <b> \"c\" 'd' /e/"), "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; /e/");
        assert_eq!(super::escape("Thủy <b>&amp;"), "Thủy &lt;b&gt;&amp;amp;");
        assert_eq!(super::escape(""), "");
    }

    #[test]
    fn control_characters_xml_forbids_become_spaces() {
        assert_eq!(super::escape("Kỳ họp\u{B}thứ 7\u{0}\u{FFFF}!\u{FFFD}"), "Kỳ họp thứ 7  !\u{FFFD}");
        assert_eq!(super::without_forbidden("a\u{C}b\tc\nd\u{FFFF}"), "a b\tc\nd ");
    }

    #[test]
    fn elements_nested_too_deep_lose_their_tags_but_not_their_text() {
        let n = super::DEEPEST + 10;
        let deep = format!("{}chữ<br>{}", "<div>".repeat(n), "</div>".repeat(n));
        let flat = super::flatten_deep(&deep);
        assert_eq!(flat.matches("<div>").count(), super::DEEPEST);
        assert_eq!(flat.matches("</div>").count(), super::DEEPEST);
        assert!(flat.contains("chữ<br>"));
        let shallow = "<div><p>Kỳ họp<br/>thứ 7</p><img src=a.png></div>";
        assert!(matches!(super::flatten_deep(shallow), std::borrow::Cow::Borrowed(s) if s == shallow));
    }

    #[test]
    fn text_of_html_drops_tags_and_decodes_entities() {
        let text = super::text_of("<p>Thu <abbr title=\"x\">NSNN</abbr>, &amp; chi</p><p>tháng 8</p>");
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["Thu", "NSNN,", "&", "chi", "tháng", "8"]);
    }
}
