//! Properties that hold for any Vietnamese text, not just the examples, and
//! whatever else it holds (digits, punctuation, other scripts, stray marks):
//! normalization is idempotent and blind to NFC/NFD and tone placement,
//! slugs are plain, numbers read back.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::normalize::{modern_tone, name_key};
use super::number::format_number;
use super::slugify;

/// Syllables written in the old and the new tone placement (the same when
/// the rule leaves them alone).
fn syllable() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop::sample::select(vec![
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("uỷ", "ủy"),
        ("khoẻ", "khỏe"),
        ("Hoà", "Hòa"),
        ("tuỳ", "tùy"),
        ("loè", "lòe"),
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
        ("người", "người"),
    ])
}

/// What stands between and around syllables in real text: numbers, dates,
/// punctuation, words of other scripts, and any character at all.
fn other_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}([.,][0-9]{1,3})?",
        prop::sample::select(vec![
            "8/2023",
            "(NTM)",
            "“Nông thôn mới”",
            "…",
            "&",
            "%",
            "v.v.",
            "#1",
            "—",
            "Москва",
            "Ελλάδα",
            "北京",
            "東京都",
            "한국어",
            "العربية",
            "🇻🇳",
            "ﬁ",
            "İstanbul",
            "STRAßE",
            "e\u{301}",
            "\u{301}",
            "\u{323}a",
        ])
        .prop_map(String::from),
        prop::collection::vec(any::<char>(), 1..4).prop_map(|chars| chars.into_iter().collect()),
    ]
}

/// A piece of text, written with the old and with the new tone placement:
/// syllables in either case, some decomposed (NFD), between other words and
/// separators. Also the syllables of the new text, alone.
fn both_placements() -> impl Strategy<Value = (String, String, Vec<String>)> {
    let separators = prop::sample::select(vec![" ", "  ", "-", ", ", "/", "\t", "\n", "\u{a0}", ". "]);
    let part = prop_oneof![
        3 => (syllable(), any::<bool>(), any::<bool>()).prop_map(|((old, new), upper, nfd)| {
            let write = |word: &str| {
                let word = if upper { word.to_uppercase() } else { word.to_string() };
                if nfd { word.nfd().collect() } else { word }
            };
            (write(old), write(new), true)
        }),
        1 => other_word().prop_map(|word| (word.clone(), word, false)),
    ];
    prop::collection::vec((part, separators), 1..10).prop_map(|parts| {
        let old = parts.iter().map(|((o, _, _), sep)| format!("{o}{sep}")).collect();
        let new = parts.iter().map(|((_, n, _), sep)| format!("{n}{sep}")).collect();
        let syllables =
            parts.iter().filter(|((_, _, syllable), _)| *syllable).map(|((_, n, _), _)| n.clone());
        (old, new, syllables.collect())
    })
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    both_placements().prop_map(|(old, _, _)| old)
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
    fn both_tone_placements_give_one_key_and_one_slug((old, new, syllables) in both_placements()) {
        prop_assert_eq!(name_key(&old), name_key(&new));
        prop_assert_eq!(slugify(&old), slugify(&new));
        for syllable in &syllables {
            let syllable: String = syllable.nfc().collect();
            prop_assert_eq!(modern_tone(&syllable), syllable.as_str(), "modern placement is left as it is");
        }
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
