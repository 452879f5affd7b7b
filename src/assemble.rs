//! The fourth stage: the published articles, free of problems, made into a
//! `Site` (indexed, figures tabled and checked) that every page is rendered
//! from. Config and articles are shared (`Arc`), so a long-lived owner such
//! as `serve` keeps its own handles and assembles again without giving
//! anything up; the indexes and figures too, so that an edit that leaves
//! every article's `Placement` as it was reuses the last ones.

use std::sync::Arc;

use crate::content::{Article, Placement};
use crate::diagnostics::Diagnostics;
use crate::index::Index;
use crate::indicator;
use crate::site::Config;
use crate::vietnamese::Collation;

/// Everything a build renders from: settings, published articles, indexes.
/// A copy shares all but the warnings.
#[derive(Clone)]
pub struct Site {
    pub config: Arc<Config>,
    /// Published articles only (drafts and scheduled ones are left out
    /// unless `--drafts`), in the order of their files; the index orders them.
    pub articles: Vec<Arc<Article>>,
    pub index: Arc<Index>,
    /// Every figure reported, by indicator, area and month.
    pub figures: Arc<indicator::Table>,
    /// Problems that do not stop the build (implausible figures).
    pub warnings: Diagnostics,
}

impl Site {
    /// Indexes the articles, tables their figures and checks them.
    pub fn assemble(config: Arc<Config>, articles: Vec<Arc<Article>>) -> Site {
        Site::assemble_with_related(config, articles, None)
    }

    /// `assemble`, with the related articles `Index::build` may take as kept.
    pub fn assemble_with_related(
        config: Arc<Config>,
        articles: Vec<Arc<Article>>,
        related: Option<Vec<Vec<usize>>>,
    ) -> Site {
        let places: Vec<Placement> = articles.iter().map(|a| a.placement()).collect();
        let collation = Collation::vietnamese();
        let organs = &config.catalog.organs;
        let index = Index::build(&places, |i| organs[i].name.as_str(), &collation, related);
        let indicators = &config.catalog.indicators;
        let figures = indicator::Table::build(&places, indicators.len());
        let mut warnings = Diagnostics::default();
        for (i, indicator) in indicators.iter().enumerate() {
            // Per series: a commune's figures are not compared with the district's.
            for (_, series) in figures.all(i) {
                indicator::checks::check(indicator, series, &places)
                    .into_iter()
                    .for_each(|w| warnings.push(w));
            }
        }
        let warnings = warnings.sorted();
        Site { config, articles, index: Arc::new(index), figures: Arc::new(figures), warnings }
    }

    /// The site of `articles`, with this one's indexes, figures and
    /// warnings when they would come out the same: the same settings, and
    /// each article placed as the one at its position here. Else assembled
    /// anew.
    pub fn reassemble(&self, config: Arc<Config>, articles: Vec<Arc<Article>>) -> Site {
        let placed_alike = Arc::ptr_eq(&config, &self.config)
            && articles.len() == self.articles.len()
            && articles
                .iter()
                .zip(&self.articles)
                .all(|(new, old)| Arc::ptr_eq(new, old) || new.placement() == old.placement());
        if !placed_alike {
            return Site::assemble(config, articles);
        }
        Site {
            config,
            articles,
            index: Arc::clone(&self.index),
            figures: Arc::clone(&self.figures),
            warnings: self.warnings.clone(),
        }
    }
}
