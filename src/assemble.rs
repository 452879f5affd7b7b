//! The fourth stage: the published articles, free of problems, made into a
//! `Site` (indexed, figures tabled and checked) that every page is rendered
//! from. Config and articles are shared (`Arc`), so a long-lived owner such
//! as `serve` keeps its own handles and assembles again without giving
//! anything up.

use std::sync::Arc;

use crate::content::Article;
use crate::diagnostics::Diagnostics;
use crate::index::Index;
use crate::indicator;
use crate::site::Config;
use crate::vietnamese::Collation;

/// Everything a build renders from: settings, published articles, indexes.
pub struct Site {
    pub config: Arc<Config>,
    /// Published articles only (drafts and scheduled ones are left out
    /// unless `--drafts`), in the order of their files; the index orders them.
    pub articles: Vec<Arc<Article>>,
    pub index: Index,
    /// Every figure reported, by indicator, area and month.
    pub figures: indicator::Table,
    /// Problems that do not stop the build (implausible figures).
    pub warnings: Diagnostics,
}

impl Site {
    /// Indexes the articles, tables their figures and checks them.
    pub fn assemble(config: Arc<Config>, articles: Vec<Arc<Article>>) -> Site {
        let collation = Collation::vietnamese();
        let organs = &config.catalog.organs;
        let index = Index::build(&articles, |i| organs[i].name.as_str(), &collation);
        let indicators = &config.catalog.indicators;
        let figures = indicator::Table::build(&articles, indicators.len());
        let mut warnings = Diagnostics::default();
        for (i, indicator) in indicators.iter().enumerate() {
            // Per series: a commune's figures are not compared with the district's.
            for (_, series) in figures.all(i) {
                indicator::checks::check(indicator, series, &articles)
                    .into_iter()
                    .for_each(|w| warnings.push(w));
            }
        }
        let warnings = warnings.sorted();
        Site { config, articles, index, figures, warnings }
    }
}
