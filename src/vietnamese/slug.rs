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
}
