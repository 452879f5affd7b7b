//! Splitting a listing into pages of `per_page`, with a window of page links
//! (first, last, and two on each side of the current page) so that a listing
//! of N pages costs O(N), not O(N²), to render.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    /// Pages were skipped before this one (the template shows "…").
    pub gap_before: bool,
}

/// Number of pages for `items` items (at least one, even when empty).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// URL of page `number` of a listing at `base` (`/`, `/co-quan/x/`).
pub fn page_url(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}trang/{number}/")
    }
}

impl Paginator {
    pub fn new(base: &str, current: usize, total: usize) -> Self {
        let mut numbers: Vec<usize> = [1, total]
            .into_iter()
            .chain(current.saturating_sub(2)..=current + 2)
            .filter(|n| (1..=total).contains(n))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut last_shown = 0;
        let pages = numbers
            .into_iter()
            .map(|number| {
                let link =
                    PageLink { number, url: page_url(base, number), gap_before: number > last_shown + 1 };
                last_shown = number;
                link
            })
            .collect();
        Paginator {
            current,
            total,
            prev_url: (current > 1).then(|| page_url(base, current - 1)),
            next_url: (current < total).then(|| page_url(base, current + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_shows_ends_and_neighbours_with_gaps() {
        let p = Paginator::new("/", 6, 20);
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 4, 5, 6, 7, 8, 20]);
        assert!(p.pages[1].gap_before && !p.pages[2].gap_before && p.pages[6].gap_before);
        assert_eq!(p.prev_url.as_deref(), Some("/trang/5/"));
        assert_eq!(Paginator::new("/co-quan/a/", 2, 2).prev_url.as_deref(), Some("/co-quan/a/"));
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(41, 20), 3);
    }
}
