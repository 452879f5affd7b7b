//! The site's settings and catalogues, read from site.yaml: the first stage,
//! which every later one reads.

pub mod catalog;
pub mod config;

pub use catalog::{Catalog, Indicator, IndicatorKind, Organ};
pub use config::Config;
