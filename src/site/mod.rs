//! The site: its settings and catalogues (site.yaml), and the assembled
//! `Site` that every page is rendered from.

pub mod catalog;
pub mod config;

pub use catalog::{Catalog, Indicator, IndicatorKind, Organ};
pub use config::Config;

use crate::content::Article;
use crate::diagnostics::Diagnostics;
use crate::index::Index;
use crate::indicator;

/// Everything a build renders from: settings, published articles, indexes.
pub struct Site {
    pub config: Config,
    /// Published articles only (drafts and scheduled ones are left out
    /// unless `--drafts`), in no particular order; the index orders them.
    pub articles: Vec<Article>,
    pub index: Index,
    /// Every figure reported, by indicator and month.
    pub figures: indicator::Table,
    /// Problems that do not stop the build (implausible figures).
    pub warnings: Diagnostics,
}
