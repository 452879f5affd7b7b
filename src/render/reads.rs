//! Which articles a page is made from, noted as its context is filled, so
//! that serve fingerprints again only the pages that read an article that
//! changed. Under `render/`, an article is read through `article` (noted)
//! or through its `placement()` (not noted: a changed placement assembles
//! the site anew, and then every page is fingerprinted again).

use std::cell::RefCell;
use std::sync::Arc;

use crate::assemble::Site;
use crate::content::Article;

thread_local! {
    /// What each page or shared view being made on this thread has read,
    /// innermost last.
    static FRAMES: RefCell<Vec<Vec<usize>>> = const { RefCell::new(Vec::new()) };
}

/// The article at `position`, noted as read by what is being made.
pub fn article(site: &Site, position: usize) -> &Arc<Article> {
    note(&[position]);
    &site.articles[position]
}

/// Notes articles read, for what is being made on this thread (if anything).
pub fn note(positions: &[usize]) {
    FRAMES.with(|frames| {
        if let Some(top) = frames.borrow_mut().last_mut() {
            top.extend_from_slice(positions);
        }
    });
}

/// Runs `make`, noting what it reads; returns its result and the positions
/// read, sorted, each once. They are noted for the maker around it too.
pub fn noting<T>(make: impl FnOnce() -> T) -> (T, Vec<usize>) {
    /// Takes the frame off even when `make` panics (serve recovers from that).
    struct Frame;
    impl Drop for Frame {
        fn drop(&mut self) {
            FRAMES.with(|frames| frames.borrow_mut().pop());
        }
    }
    FRAMES.with(|frames| frames.borrow_mut().push(Vec::new()));
    let frame = Frame;
    let made = make();
    let mut read =
        FRAMES.with(|frames| std::mem::take(frames.borrow_mut().last_mut().expect("pushed above")));
    drop(frame);
    read.sort_unstable();
    read.dedup();
    note(&read);
    (made, read)
}

#[cfg(test)]
mod tests {
    use super::{note, noting};

    #[test]
    fn what_is_read_inside_is_noted_outside_too() {
        let ((inner, ()), outer) = noting(|| {
            note(&[7]);
            let inner = noting(|| note(&[3, 3, 1])).1;
            (inner, ())
        });
        assert_eq!(inner, vec![1, 3]);
        assert_eq!(outer, vec![1, 3, 7]);
        // Outside any frame nothing is kept.
        note(&[5]);
        assert_eq!(noting(|| ()).1, Vec::<usize>::new());
    }
}
