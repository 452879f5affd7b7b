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

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let started = Instant::now();
    let (verb, result) = match cli.command {
        Command::Build(args) => (
            "built",
            pipeline::build(&options(args.root, args.output, args.drafts, args.base_url), args.force),
        ),
        Command::Serve(args) => return serve(args),
        Command::Check(args) => {
            let settings = bantin::check::CheckSettings { summary_max: args.summary_max };
            let options = options(args.root, PathBuf::from("public"), args.drafts, None);
            ("checked", bantin::check::check(&options, &settings))
        }
        Command::Init(args) => return init(args),
        Command::New(args) => return new(args),
        Command::Import(args) => return import(args),
    };
    finish(verb, result, started)
}

fn options(root: PathBuf, output: PathBuf, drafts: bool, base_url: Option<String>) -> BuildOptions {
    BuildOptions { root, output, drafts, base_url, now: chrono::Local::now().fixed_offset() }
}

fn finish(verb: &str, result: anyhow::Result<Checked<Report>>, started: Instant) -> ExitCode {
    exit_with(result, |report| {
        eprint!("{}", report.warnings);
        println!(
            "{verb} {} articles, {} pages, {} files in {} ms",
            report.articles,
            report.pages,
            report.files,
            started.elapsed().as_millis()
        );
    })
}

/// Exit codes per SPEC §5: 0 (after `done`), 1 for content or template
/// errors, 2 for usage or I/O errors.
fn exit_with<T>(result: anyhow::Result<Checked<T>>, done: impl FnOnce(T)) -> ExitCode {
    match result {
        Ok(Ok(value)) => {
            done(value);
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
    let count = errors.0.iter().filter(|d| !d.problem.is_warning()).count();
    eprintln!("{count} error{} found; nothing was written", if count == 1 { "" } else { "s" });
}

/// `bantin serve`: runs until stopped; what the server reports is printed
/// here, in the style of the other commands. `BANTIN_LATENCY=1` adds the
/// time from each file event to the reload message (docs/PERFORMANCE.md).
fn serve(args: cli::ServeArgs) -> ExitCode {
    use bantin::serve::{self, Report as Served};
    let options = serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        latency: std::env::var_os("BANTIN_LATENCY").is_some_and(|v| v != "0"),
    };
    let result = serve::run(options, |report| match report {
        Served::Built { articles, pages, millis } => {
            println!("built {articles} articles, {pages} pages in {millis} ms")
        }
        Served::Listening { url } => println!("serving {url} (Ctrl+C to stop)"),
        Served::Rebuilt { pages, millis } => {
            println!("{} rebuilt {pages} page{} in {millis} ms", clock(), if pages == 1 { "" } else { "s" })
        }
        Served::Latency { total, first, rebuild, phases } => {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            let steps: Vec<String> = phases.iter().map(|(name, d)| format!("{name} {:.1}", ms(*d))).collect();
            let first = first.map_or(String::new(), |f| format!("the edited page's after {:.1} ms; ", ms(f)));
            println!(
                "latency: {:.1} ms from file event to reload message ({first}{:.1} ms rebuilding: {})",
                ms(total),
                ms(rebuild),
                steps.join(", ")
            )
        }
        Served::Errors(errors) => {
            eprint!("{errors}");
            let count = errors.len();
            eprintln!(
                "{} {count} error{} found; still serving the last good site",
                clock(),
                if count == 1 { "" } else { "s" }
            );
        }
        Served::Warnings(warnings) => eprint!("{warnings}"),
        Served::Fixed => println!("{} fixed", clock()),
        Served::Failed(error) => eprintln!("{} error: {error:#}", clock()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The time of day, for lines about rebuilds.
fn clock() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

/// `bantin init DIR`.
fn init(args: cli::InitArgs) -> ExitCode {
    match bantin::scaffold::init(&args.dir) {
        Ok(files) => {
            println!("created a site in {} ({} files)", args.dir.display(), files.len());
            println!("next: bantin build --root {0}   or   bantin serve --root {0}", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `bantin new "<title>" --organ …`: prints the path of the new article.
fn new(args: cli::NewArgs) -> ExitCode {
    let options = bantin::scaffold::NewArticle {
        root: args.root,
        title: args.title,
        organ: args.organ,
        date: args.date,
        period: args.period,
        tags: args.tags,
        now: chrono::Utc::now(),
    };
    exit_with(bantin::scaffold::new_article(&options), |path| println!("{}", path.display()))
}

/// `bantin import FILE.txt…`: each file imported and what was found printed;
/// a file that fails is reported and the others still imported.
fn import(args: cli::ImportArgs) -> ExitCode {
    use bantin::{import, scaffold};
    let config = match scaffold::read_config(&args.root) {
        Ok(Ok(config)) => config,
        Ok(Err(errors)) => {
            print_errors(&errors);
            return ExitCode::from(1);
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(2);
        }
    };
    let out = scaffold::shown(&args.root, &args.out);
    let mut code = 0;
    for file in &args.files {
        match import::import_file(file, &out, &config) {
            Ok(Ok(imported)) => {
                println!("{} -> {}", file.display(), imported.path.display());
                for line in imported.summary(&config) {
                    println!("  {line}");
                }
            }
            Ok(Err(diagnostic)) => {
                eprint!("{diagnostic}");
                code = code.max(1);
            }
            Err(error) => {
                eprintln!("error: {error:#}");
                code = 2;
            }
        }
    }
    ExitCode::from(code)
}
