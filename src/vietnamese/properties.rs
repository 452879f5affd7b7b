//! Properties that hold for any Vietnamese text, not just the examples:
//! normalization is idempotent and blind to NFC/NFD and tone placement,
//! slugs are plain, numbers read back.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::normalize::{modern_tone, name_key};
use super::number::format_number;
use super::slugify;

/// Syllables written in the old and the new tone placement (the same when
/// the rule leaves them alone), with separators: the same text both ways.
fn both_placements() -> impl Strategy<Value = (String, String)> {
    let syllables = prop::sample::select(vec![
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("uỷ", "ủy"),
        ("khoẻ", "khỏe"),
        ("Hoà", "Hòa"),
        ("tuỳ", "tùy"),
        ("quý", "quý"),
        ("toán", "toán"),
        ("hoạch", "hoạch"),
        ("Đảng", "Đảng"),
        ("đồng", "đồng"),
        ("Huyện", "Huyện"),
        ("nghị", "nghị"),
        ("ngân", "ngân"),
        ("Quỳnh", "Quỳnh"),
        ("khuyến", "khuyến"),
    ]);
    let separators = prop::sample::select(vec![" ", "  ", "-", ", ", "/"]);
    prop::collection::vec((syllables, separators), 1..8).prop_map(|parts| {
        let old = parts.iter().map(|((o, _), sep)| format!("{o}{sep}")).collect();
        let new = parts.iter().map(|((_, n), sep)| format!("{n}{sep}")).collect();
        (old, new)
    })
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    both_placements().prop_map(|(old, _)| old)
}

proptest! {
    #[test]
    fn name_keys_are_idempotent_and_ignore_nfd(text in vietnamese_text()) {
        let key = name_key(&text);
        prop_assert_eq!(name_key(&key), key.clone());
        let nfd: String = text.nfd().collect();
        prop_assert_eq!(name_key(&nfd), key);
    }

    #[test]
    fn both_tone_placements_give_one_key_and_one_slug((old, new) in both_placements()) {
        prop_assert_eq!(name_key(&old), name_key(&new));
        prop_assert_eq!(slugify(&old), slugify(&new));
        let modern: Vec<String> = new.split(|c: char| !c.is_alphabetic()).map(|w| modern_tone(w).into_owned()).collect();
        let written: Vec<&str> = new.split(|c: char| !c.is_alphabetic()).collect();
        prop_assert_eq!(modern, written, "modern placement is left as it is");
    }

    #[test]
    fn slugs_are_plain_and_stable(text in vietnamese_text()) {
        let slug = slugify(&text);
        prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", slug);
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        prop_assert_eq!(slugify(&slug), slug.clone());
        let nfd: String = text.nfd().collect();
        prop_assert_eq!(slugify(&nfd), slug);
    }

    #[test]
    fn vietnamese_numbers_read_back(value in -1.0e9f64..1.0e9) {
        let shown = format_number(value, Some(2));
        let read: f64 = shown.replace('.', "").replace(',', ".").parse().unwrap();
        prop_assert!((read - value).abs() <= 0.005 + 1e-9, "{} → {}", value, shown);
        let integer_part = shown.trim_start_matches('-').split(',').next().unwrap().to_string();
        prop_assert!(integer_part.split('.').skip(1).all(|group| group.len() == 3), "{}", shown);
    }
}
