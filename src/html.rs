//! HTML escaping shared by the Markdown renderer and the templates: the five
//! characters that matter, and no more (Tera's default also escapes `/`,
//! which makes every URL in a page unreadable).

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_characters_are_escaped_and_slashes_are_not() {
        assert_eq!(super::escape("a & <b> \"c\" 'd' /e/"), "a &amp; &lt;b&gt; &quot;c&quot; &#39;d&#39; /e/");
    }
}
