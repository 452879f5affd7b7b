//! Vietnamese alphabetical order (a ă â b c d đ e ê …) with ICU4X's collator.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

/// Compares names in Vietnamese order. Built once per build and shared.
pub struct Collation {
    collator: CollatorBorrowed<'static>,
}

impl Collation {
    pub fn vietnamese() -> Self {
        let collator = Collator::try_new(locale!("vi").into(), CollatorOptions::default())
            .expect("the Vietnamese collation is compiled into icu_collator");
        Collation { collator }
    }

    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b).then_with(|| a.cmp(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d_with_stroke_sorts_after_d_and_before_e() {
        let c = Collation::vietnamese();
        let mut names = vec!["Đảng ủy xã", "Ủy ban", "Dân vận", "Ban Thường vụ", "Ấp", "An"];
        names.sort_by(|a, b| c.compare(a, b));
        assert_eq!(names, ["An", "Ấp", "Ban Thường vụ", "Dân vận", "Đảng ủy xã", "Ủy ban"]);
    }
}
