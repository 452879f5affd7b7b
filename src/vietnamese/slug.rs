//! URL slugs: lower-case ASCII words joined by `-`, `đ` → `d`.

use unicode_normalization::UnicodeNormalization;

/// `"Hội nghị Ban Thường vụ Huyện ủy tháng 8/2023"` → `"hoi-nghi-ban-thuong-vu-huyen-uy-thang-8-2023"`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if unicode_normalization::char::is_combining_mark(c) => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Slugs made from long titles are cut at a word boundary to this length.
pub const SLUG_MAX: usize = 80;

/// The slug of a title, cut at a word boundary to at most `SLUG_MAX` characters.
pub fn short_slug(title: &str) -> String {
    cut_at_word(&slugify(title), SLUG_MAX).to_string()
}

/// A slug cut at a word boundary to at most `max` characters (mid-word only
/// when its first word is longer).
pub fn cut_at_word(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    slug[..=max].rfind('-').map_or(&slug[..max], |cut| &slug[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_titles_become_ascii_slugs() {
        assert_eq!(
            slugify("Đảng ủy xã Định Tân: hội nghị tháng 8/2023!"),
            "dang-uy-xa-dinh-tan-hoi-nghi-thang-8-2023"
        );
        assert_eq!(slugify("  Huyện uỷ  "), slugify("huyện ủy"));
        assert_eq!(slugify("Thu ngân sách & đầu tư"), "thu-ngan-sach-dau-tu");
    }

    #[test]
    fn long_titles_give_slugs_cut_at_a_word() {
        let slug = short_slug("Ban Thường vụ Huyện ủy tổ chức hội nghị đánh giá tình hình, kết quả thực hiện các nhiệm vụ tháng 8; triển khai nhiệm vụ tháng 9/2023");
        assert!(slug.len() <= SLUG_MAX && !slug.ends_with('-'), "{slug}");
        assert!(slug.starts_with("ban-thuong-vu-huyen-uy-to-chuc-hoi-nghi"));
        assert_eq!(short_slug("Hội nghị tháng 8"), "hoi-nghi-thang-8");
        assert_eq!(cut_at_word("hoi-nghi-thang-8", 10), "hoi-nghi");
        assert_eq!(cut_at_word("hoi-nghi-thang-8", 8), "hoi-nghi");
        assert_eq!(cut_at_word("nghiquyet-so-8", 5), "nghiq", "a first word longer than the limit is cut");
    }
}
