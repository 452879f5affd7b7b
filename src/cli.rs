//! The command line (SPEC §5): one Args struct per command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "bantin", version, about = "A static news archive from records of meetings")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (public/ by default).
    Build(BuildArgs),
    /// Validate everything a build validates; write nothing.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site, relative to the root.
    #[arg(long, default_value = "public")]
    pub output: PathBuf,
    /// Include drafts and articles scheduled for later.
    #[arg(long)]
    pub drafts: bool,
    /// Replace site.yaml's base_url.
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also check drafts and scheduled articles.
    #[arg(long)]
    pub drafts: bool,
}
