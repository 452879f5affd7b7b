//! bantin turns records of meetings into a static news archive.
//!
//! The data flow, which the modules follow:
//!
//! 1. `content::source` reads each file under `content/` as NFC text;
//!    `content::front_matter` splits and parses its YAML into raw types;
//!    `site::config` does the same for `site.yaml`.
//! 2. `content::article` resolves raw front matter against the catalogues
//!    into an `Article` (Markdown rendered by `content::markdown`). Every
//!    problem becomes a `Diagnostic`; the run goes on to find the next.
//! 3. `index` builds, once, the listings every page needs.
//! 4. `render` lists the pages and renders them in parallel with Tera from
//!    borrowed views (`render::context`).
//! 5. `output` writes into a staging folder and swaps it in whole.
//!
//! `pipeline` strings the stages together for `build` and `check`.
//! The library never prints; `main` does.
#![warn(clippy::print_stdout, clippy::print_stderr)]
// A `Diagnostic` is a few words large and travels only on the error path,
// where boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod content;
pub mod diagnostics;
pub mod failure;
pub mod html;
pub mod images;
pub mod import;
pub mod index;
pub mod indicator;
pub mod messages;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod vietnamese;
pub mod yaml;
