//! Integration tests: fixture sites under tests/sites built with the real
//! `bantin` binary, and what it writes and prints checked.

mod browser;
mod build;
mod errors;
mod feeds;
mod figures;
mod harness;
mod images;
mod import_accuracy;
mod messages;
mod reader;
mod search;
mod serve;
mod tools;
mod validate;
mod webdriver;
