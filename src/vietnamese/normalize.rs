//! NFC, and one key for matching names whatever the tone-mark placement,
//! case or spacing ("Ban Thường vụ Huyện uỷ" = "ban thường vụ huyện ủy",
//! "thương mại-dịch vụ" = "Thương mại - dịch vụ").

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The text in Unicode NFC, borrowing when it already is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// The matching key of a name: NFC, new-style tone placement, lower case,
/// single spaces, no space around a dash (`-` or `–`). Two names with the
/// same key are the same organ, indicator, tag or person.
pub fn name_key(text: &str) -> String {
    let lowered = nfc(text).to_lowercase().replace('–', "-");
    let mut key = String::with_capacity(lowered.len());
    for word in lowered.split_whitespace() {
        if !key.is_empty() && !key.ends_with('-') && !word.starts_with('-') {
            key.push(' ');
        }
        // Each run of letters is a syllable: `hoà-thuỷ` is two.
        let mut start = None;
        for (i, c) in word.char_indices() {
            if c.is_alphabetic() {
                start.get_or_insert(i);
            } else {
                if let Some(s) = start.take() {
                    key.push_str(&modern_tone(&word[s..i]));
                }
                key.push(c);
            }
        }
        if let Some(s) = start {
            key.push_str(&modern_tone(&word[s..]));
        }
    }
    key
}

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// One word with its tone mark moved to the modern place: in a syllable that
/// ends in `oa`, `oe` or `uy`, the mark sits on the `o`/`u` (`hoà` → `hòa`,
/// `thuỷ` → `thủy`), except after `q`, where the `u` is part of the consonant
/// (`quý` stays). Syllables with a final consonant (`toán`) are untouched.
pub fn modern_tone(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    // Letters with their combining marks, in NFD.
    let mut letters: Vec<(char, Vec<char>)> = Vec::new();
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            if let Some(last) = letters.last_mut() {
                last.1.push(c);
                continue;
            }
        }
        letters.push((c, Vec::new()));
    }
    let n = letters.len();
    if n < 2 {
        return Cow::Borrowed(word);
    }
    let (first, second) = (&letters[n - 2], &letters[n - 1]);
    let pair = (
        first.0.to_lowercase().next().unwrap_or(first.0),
        second.0.to_lowercase().next().unwrap_or(second.0),
    );
    let ends_in_glide_pair = matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y'));
    let after_q = n >= 3 && matches!(letters[n - 3].0, 'q' | 'Q') && pair.0 == 'u';
    let tone = second.1.iter().copied().find(|m| TONE_MARKS.contains(m));
    let (Some(tone), true, false, true) = (tone, ends_in_glide_pair, after_q, first.1.is_empty()) else {
        return Cow::Borrowed(word);
    };
    letters[n - 1].1.retain(|m| *m != tone);
    letters[n - 2].1.push(tone);
    let moved: String =
        letters.into_iter().flat_map(|(base, marks)| std::iter::once(base).chain(marks)).collect();
    Cow::Owned(moved.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_tone_placements_share_a_key() {
        assert_eq!(name_key("Ban Thường vụ Huyện uỷ"), name_key("ban thường vụ huyện ủy"));
        assert_eq!(modern_tone("hoà"), "hòa");
        assert_eq!(modern_tone("khoẻ"), "khỏe");
        assert_eq!(modern_tone("Thuỷ"), "Thủy");
        assert_eq!(modern_tone("uỷ"), "ủy");
    }

    #[test]
    fn words_with_a_final_consonant_or_qu_keep_their_mark() {
        for word in ["toán", "hoạch", "khuyến", "quý", "Quỳnh", "hòa", "người"] {
            assert_eq!(modern_tone(word), word);
        }
    }

    #[test]
    fn decomposed_input_gives_the_same_key() {
        let nfd: String = "Hội đồng nhân dân huyện Yên Định".nfd().collect();
        assert_eq!(name_key(&nfd), name_key("hội  đồng nhân dân huyện yên định"));
    }

    #[test]
    fn spaces_around_a_dash_do_not_change_the_key() {
        let key = name_key("Giá trị thương mại - dịch vụ");
        for name in
            ["giá trị thương mại-dịch vụ", "Giá trị Thương mại– dịch vụ", "giá trị thương mại -dịch vụ"]
        {
            assert_eq!(name_key(name), key, "{name}");
        }
        assert_ne!(name_key("thương mại dịch vụ"), key);
        assert_eq!(name_key("Hoà - Thuỷ"), "hòa-thủy");
    }
}
