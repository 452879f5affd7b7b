//! HTML text in and out: escaping shared by the Markdown renderer and the
//! templates (the five characters that matter, and no more: Tera's default
//! also escapes `/`, which makes every URL unreadable), and the plain text of
//! rendered HTML for the search index.

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The five are ASCII, so every byte found is a char boundary: copy the
    // runs between them whole instead of char by char.
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out
}

/// The text of an HTML fragment: tags dropped, the common entities decoded,
/// block boundaries kept as spaces so words do not run together.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            text.push(' ');
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

#[cfg(test)]
mod tests {
    #[test]
    fn markup_characters_are_escaped_and_slashes_are_not() {
        assert_eq!(super::escape("a & <b> \"c\" 'd' /e/"), "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; /e/");
        assert_eq!(super::escape("Thủy <b>&amp;"), "Thủy &lt;b&gt;&amp;amp;");
        assert_eq!(super::escape(""), "");
    }

    #[test]
    fn text_of_html_drops_tags_and_decodes_entities() {
        let text = super::text_of("<p>Thu <abbr title=\"x\">NSNN</abbr> &amp; chi</p><p>tháng 8</p>");
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["Thu", "NSNN", "&", "chi", "tháng", "8"]);
    }
}
