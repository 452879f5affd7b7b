//! Vietnamese text: normalization, tone-mark placement, slugs, collation,
//! and the Vietnamese way of writing numbers and dates.

pub mod collate;
pub mod date;
pub mod normalize;
pub mod number;
#[cfg(test)]
mod properties;
pub mod slug;

pub use collate::Collation;
pub use normalize::{name_key, nfc};
pub use slug::slugify;

/// `char::is_alphanumeric`, answered at once for ASCII and the Latin letters
/// Vietnamese is written with (the general lookup is slow, and most
/// characters of an article's text ask it).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || !c.is_ascii()
            && (matches!(c, '\u{C0}'..='\u{24F}' | '\u{1EA0}'..='\u{1EF9}') && !matches!(c, '×' | '÷')
                || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_word_char_is_exactly_an_alphanumeric_one() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(super::is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}
