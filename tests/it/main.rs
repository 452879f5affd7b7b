//! Integration tests: fixture sites under tests/sites built with the real
//! `bantin` binary, and what it writes and prints checked.

mod architecture;
mod areas;
mod browser;
mod build;
mod cache;
mod confine;
mod editor;
mod errors;
mod feeds;
mod figures;
mod fuzz;
mod harness;
mod hosting;
mod images;
mod import_accuracy;
mod lighthouse;
mod manifest;
mod messages;
mod output;
pub(crate) mod reader;
mod robust;
mod search;
mod serve;
mod tools;
mod validate;
mod webdriver;
