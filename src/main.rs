//! The `bantin` command: parses arguments, runs the pipeline, prints the
//! outcome. The only place that prints; exit codes per SPEC §5.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use bantin::diagnostics::Diagnostics;
use bantin::pipeline::{self, BuildOptions, Checked, Report};
use clap::Parser;
use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (verb, result) = match cli.command {
        Command::Build(args) => {
            ("built", pipeline::build(&options(args.root, args.output, args.drafts, args.base_url)))
        }
        Command::Check(args) => {
            ("checked", pipeline::check(&options(args.root, PathBuf::from("public"), args.drafts, None)))
        }
    };
    finish(verb, result, started)
}

fn options(root: PathBuf, output: PathBuf, drafts: bool, base_url: Option<String>) -> BuildOptions {
    BuildOptions { root, output, drafts, base_url, now: chrono::Local::now().fixed_offset() }
}

fn finish(verb: &str, result: anyhow::Result<Checked<Report>>, started: Instant) -> ExitCode {
    match result {
        Ok(Ok(report)) => {
            eprint!("{}", report.warnings);
            println!(
                "{verb} {} articles, {} pages, {} files in {} ms",
                report.articles,
                report.pages,
                report.files,
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Ok(Err(errors)) => {
            print_errors(&errors);
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn print_errors(errors: &Diagnostics) {
    eprint!("{errors}");
    let count = errors.len();
    eprintln!("{count} error{} found; nothing was written", if count == 1 { "" } else { "s" });
}
