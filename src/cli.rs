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
    /// Serve the site from memory, rebuilding and reloading the browser on every change.
    Serve(ServeArgs),
    /// Create a new site in an empty folder, with an example article.
    Init(InitArgs),
    /// Write a new article with complete front matter.
    New(NewArgs),
    /// Turn plain-text articles into Markdown with front matter.
    Import(ImportArgs),
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
    /// Replace an output folder that holds files bantin did not write (never the site's own folders).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Also check drafts and scheduled articles.
    #[arg(long)]
    pub drafts: bool,
    /// Warn about summaries longer than this many characters.
    #[arg(long, default_value_t = bantin::import::SUMMARY_MAX)]
    pub summary_max: usize,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on; other machines can connect only if it is not 127.0.0.1.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include drafts and articles scheduled for later.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in; it must be new or empty.
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The article's title.
    pub title: String,
    /// The organ that met: a name, alias or id from site.yaml.
    #[arg(long)]
    pub organ: String,
    /// The meeting's day, 31/8/2023 or 2023-08-31 (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// The month reviewed, 2023-08 (default: the month before the date).
    #[arg(long)]
    pub period: Option<String>,
    /// A tag; repeat for more.
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Plain-text articles: the title on the first line, the byline on the last.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Where to write the Markdown files, relative to the root.
    #[arg(long, default_value = "content")]
    pub out: PathBuf,
    /// The site's folder (with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}
