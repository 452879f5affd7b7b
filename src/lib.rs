//! bantin turns records of meetings into a static news archive.
//!
//! The data flow, which the modules follow:
//!
//! 1. `pipeline::read_config` reads `site.yaml` into `site::config` and its
//!    catalogues (`site::catalog`: organs, indicators, glossary).
//! 2. `source` reads each file (site.yaml, those under `content/`) as NFC
//!    text; `content::front_matter` splits and parses its YAML (positions from
//!    `yaml`) into raw types.
//! 3. `content::article` resolves raw front matter against the catalogues
//!    into an `Article` (Markdown rendered by `content::markdown`). Every
//!    problem becomes a `Diagnostic` (`diagnostics`); the run goes on to
//!    find the next.
//! 4. `assemble` makes the `Site`, which shares the config and articles
//!    (`Arc`): `index` builds, once, the listings every page needs;
//!    `indicator` tables the reported figures and checks them.
//! 5. `render` lists the pages and renders them in parallel with Tera from
//!    borrowed views (`render::context`); `images` sizes and resizes the
//!    pictures beside articles.
//! 6. `manifest` lists every path the site publishes and where its bytes
//!    come from; `output` writes them into a staging folder and publishes it
//!    in one step, into a folder `output::target` has checked is bantin's to
//!    replace.
//!
//! `pipeline` strings the stages together for `build`, `check` (which adds
//! its findings to the build's own load and render) and `serve` (which
//! rebuilds in memory what a change touched and answers what the manifest
//! lists); `scaffold` and `import` write new sites and articles. The library
//! never prints; `main` does, worded from the catalogue (`messages`):
//! content problems are `diagnostics`, failures that stop a run are
//! `failure`s. docs/ARCHITECTURE.md lists the modules top to bottom: none
//! imports one above it.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// A `Diagnostic` is a few words large and travels only on the error path,
// where boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod assemble;
pub mod cache;
pub mod check;
pub mod content;
pub mod diagnostics;
pub mod digest;
pub mod editor;
pub mod failure;
pub mod html;
pub mod images;
pub mod import;
pub mod index;
pub mod indicator;
pub mod limits;
pub mod manifest;
pub mod messages;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod vietnamese;
pub mod yaml;
