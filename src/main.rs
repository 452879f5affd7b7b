//! The `bantin` command: parses arguments, runs the pipeline, prints the
//! outcome. The only place that prints; exit codes per SPEC §5. Every line it
//! prints is worded from the catalogue (`bantin::messages`) in the language
//! chosen by `--lang` or `BANTIN_LANG` (Vietnamese by default).

mod cli;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bantin::diagnostics::Diagnostics;
use bantin::failure::Failure;
use bantin::messages::{Lang, Messages, Value};
use bantin::pipeline::{self, BuildOptions, Checked};
use clap::FromArgMatches;
use cli::{Cli, Command};

/// `println!` that does not panic when stdout is closed (`bantin import … |
/// head`): what is left to say is dropped and the work goes on, so every
/// file is still imported.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    let args: Vec<OsString> = std::env::args_os().collect();
    let messages = match chosen_lang(&args) {
        Ok(lang) => Messages::new(lang),
        Err(failure) => {
            let messages = Messages::new(Lang::default());
            print_failure(&messages, &anyhow::Error::new(failure));
            return ExitCode::from(2);
        }
    };
    let cli = match cli::command(&messages).try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(error) => return usage_error(&messages, &error),
    };
    let started = Instant::now();
    let (summary, result) = match cli.command {
        Command::Build(args) => (
            "site-built",
            pipeline::build(&options(args.root, args.output, args.drafts, args.base_url), args.force),
        ),
        Command::Serve(args) => return serve(args, messages),
        Command::Check(args) => {
            let settings = bantin::check::CheckSettings { summary_max: args.summary_max };
            let options =
                options(args.root, PathBuf::from(bantin::pipeline::DEFAULT_OUTPUT), args.drafts, None);
            ("site-checked", bantin::check::check(&options, &settings))
        }
        Command::Init(args) => return init(args, &messages),
        Command::New(args) => return new(args, &messages),
        Command::Import(args) => return import(args, &messages),
    };
    exit_with(&messages, result, |report| {
        eprint!("{}", report.warnings.render(&messages));
        let args = [
            ("articles", Value::from(report.articles)),
            ("pages", report.pages.into()),
            ("files", report.files.into()),
            ("seconds", seconds(started.elapsed())),
        ];
        say!("{}", messages.get(summary, &args));
    })
}

/// Transparent huge pages off for this process, as `MIMALLOC_ALLOW_THP=0`
/// does: a build grows its heap in many steps, and the kernel zeroed a whole
/// 2 MiB page at each first touch (a quarter of a one-edit build's samples,
/// docs/PERFORMANCE.md part 8). Other systems have no such pages.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// The preview keeps the memory it frees for its next rebuild instead of
/// giving it back to the system 10 ms later (mimalloc's default), which
/// made each rebuild fault it in again page by page (a tenth of a title
/// edit's time at 10,000 articles, docs/PERFORMANCE.md part 10). It holds
/// as much between rebuilds either way: what it took to start.
fn keep_freed_memory() {
    /// `mi_option_purge_delay` (the crate names no such constant); -1: never.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a plain option before the preview starts any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// `--lang vi|en` anywhere on the line (read before parsing, since the help
/// is worded in it), else `BANTIN_LANG`, else Vietnamese. A bad `--lang` is
/// left for clap to refuse.
fn chosen_lang(args: &[OsString]) -> Result<Lang, Failure> {
    let given = args.iter().enumerate().find_map(|(i, arg)| match arg.to_str()? {
        "--lang" => args.get(i + 1)?.to_str().map(str::to_string),
        other => other.strip_prefix("--lang=").map(str::to_string),
    });
    if let Some(code) = given {
        return Ok(Lang::from_code(&code).unwrap_or_default());
    }
    match std::env::var("BANTIN_LANG") {
        Ok(code) if !code.trim().is_empty() => {
            Lang::from_code(&code).ok_or(Failure::UnknownLanguage { code })
        }
        _ => Ok(Lang::default()),
    }
}

/// clap's refusals, worded from the catalogue; help and version printed as
/// they are (already worded), and what bantin does not know as clap says it.
fn usage_error(messages: &Messages, error: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !error.use_stderr() {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join(", "),
        _ => String::new(),
    };
    let message = match error.kind() {
        ErrorKind::UnknownArgument => Some(("unknown-argument", context(ContextKind::InvalidArg))),
        ErrorKind::InvalidSubcommand => Some(("unknown-command", context(ContextKind::InvalidSubcommand))),
        ErrorKind::MissingRequiredArgument => Some(("missing-argument", context(ContextKind::InvalidArg))),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            Some(("invalid-value", context(ContextKind::InvalidArg)))
        }
        _ => None,
    };
    let Some((id, arg)) = message else {
        let _ = error.print();
        return ExitCode::from(2);
    };
    let args = [("arg", Value::Text(arg)), ("value", context(ContextKind::InvalidValue).into())];
    eprintln!("{}", messages.get("error-line", &[("message", messages.get(id, &args).into())]));
    let suggested =
        [ContextKind::SuggestedSubcommand, ContextKind::SuggestedArg].map(|kind| match error.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(s)) => s.clone(),
            _ => Vec::new(),
        });
    let suggested = suggested.concat();
    if !suggested.is_empty() {
        let hint = messages.get("did-you-mean", &[("choices", Value::Choices(suggested))]);
        eprintln!("  = {}: {hint}", messages.get("label-hint", &[]));
    }
    eprintln!("{}", messages.get("see-help", &[]));
    ExitCode::from(2)
}

/// Seconds with one decimal: "0,6 giây".
fn seconds(elapsed: Duration) -> Value {
    Value::Number((elapsed.as_secs_f64() * 10.0).round() / 10.0)
}

fn options(root: PathBuf, output: PathBuf, drafts: bool, base_url: Option<String>) -> BuildOptions {
    BuildOptions { root, output, drafts, base_url, now: chrono::Local::now().fixed_offset() }
}

/// Exit codes per SPEC §5: 0 (after `done`), 1 for content or template
/// errors, 2 for usage or I/O errors.
fn exit_with<T>(messages: &Messages, result: anyhow::Result<Checked<T>>, done: impl FnOnce(T)) -> ExitCode {
    match result {
        Ok(Ok(value)) => {
            done(value);
            ExitCode::SUCCESS
        }
        Ok(Err(errors)) => {
            print_errors(messages, &errors);
            ExitCode::from(1)
        }
        Err(error) => {
            print_failure(messages, &error);
            ExitCode::from(2)
        }
    }
}

fn print_errors(messages: &Messages, errors: &Diagnostics) {
    eprint!("{}", errors.render(messages));
    eprintln!("{}", messages.get("errors-found", &[("count", errors.errors().into())]));
}

/// `lỗi: không ghi được public/…: không có quyền truy cập`.
fn print_failure(messages: &Messages, error: &anyhow::Error) {
    eprintln!("{}", messages.get("error-line", &[("message", messages.failure(error).into())]));
}

/// `bantin serve`: runs until stopped; what the server reports is printed
/// here, in the style of the other commands. `BANTIN_LATENCY=1` adds the
/// time from each file event to the reload message (docs/PERFORMANCE.md).
fn serve(args: cli::ServeArgs, messages: Messages) -> ExitCode {
    use bantin::serve::{self, Report as Served};
    keep_freed_memory();
    let messages = std::sync::Arc::new(messages);
    let options = serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        editor_on_network: args.editor_on_network,
        latency: std::env::var_os("BANTIN_LATENCY").is_some_and(|v| v != "0"),
        messages: messages.clone(),
    };
    let m = messages.clone();
    let result = serve::run(options, move |report| match report {
        Served::Built { articles, pages, millis } => {
            let seconds = seconds(Duration::from_millis(millis as u64));
            let args = [("articles", articles.into()), ("pages", pages.into()), ("seconds", seconds)];
            say!("{}", m.get("serve-built", &args))
        }
        Served::Listening { url } => say!("{}", m.get("serve-listening", &[("url", url.into())])),
        Served::EditorOnNetwork { url } => {
            say!("{}", m.get("serve-editor-on-network", &[("url", url.into())]))
        }
        Served::Rebuilt { pages, millis } => {
            let args = [("time", clock()), ("pages", pages.into()), ("millis", (millis as usize).into())];
            say!("{}", m.get("serve-rebuilt", &args))
        }
        Served::Latency { total, first, rebuild, phases } => {
            let ms = |d: Duration| Value::Number((d.as_secs_f64() * 10_000.0).round() / 10.0);
            let steps: Vec<String> =
                phases.iter().map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0)).collect();
            let args = [
                ("total", ms(total)),
                ("first", first.map_or(Value::from("none"), ms)),
                ("rebuild", ms(rebuild)),
                ("phases", steps.join(", ").into()),
            ];
            say!("{}", m.get("serve-latency", &args))
        }
        Served::Errors(errors) => {
            eprint!("{}", errors.render(&m));
            eprintln!("{}", m.get("serve-errors", &[("time", clock()), ("count", errors.errors().into())]));
        }
        Served::Warnings(warnings) => eprint!("{}", warnings.render(&m)),
        Served::Fixed => say!("{}", m.get("serve-fixed", &[("time", clock())])),
        Served::Failed(error) => {
            let message = m.failure(error);
            eprintln!("{}", m.get("serve-failed", &[("time", clock()), ("message", message.into())]))
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            print_failure(&messages, &error);
            ExitCode::from(2)
        }
    }
}

/// The time of day, for lines about rebuilds.
fn clock() -> Value {
    Value::Text(chrono::Local::now().format("%H:%M:%S").to_string())
}

/// `bantin init DIR`.
fn init(args: cli::InitArgs, messages: &Messages) -> ExitCode {
    match bantin::scaffold::init(&args.dir) {
        Ok(files) => {
            let dir = Value::from(args.dir.as_path());
            say!("{}", messages.get("init-created", &[("dir", dir.clone()), ("files", files.len().into())]));
            say!("{}", messages.get("init-next", &[("dir", dir)]));
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_failure(messages, &error);
            ExitCode::from(2)
        }
    }
}

/// `bantin new "<title>" --organ …`: prints the path of the new article.
fn new(args: cli::NewArgs, messages: &Messages) -> ExitCode {
    let options = bantin::scaffold::NewArticle {
        root: args.root,
        title: args.title,
        organ: args.organ,
        date: args.date,
        period: args.period,
        tags: args.tags,
        now: chrono::Utc::now(),
    };
    exit_with(messages, bantin::scaffold::new_article(&options), |path| say!("{}", path.display()))
}

/// `bantin import FILE.txt…`: each file imported and what was found printed;
/// a file that fails is reported and the others still imported.
fn import(args: cli::ImportArgs, messages: &Messages) -> ExitCode {
    use bantin::{import, scaffold};
    let config = match bantin::pipeline::read_config(&args.root) {
        Ok(Ok(config)) => config,
        Ok(Err(errors)) => {
            print_errors(messages, &errors);
            return ExitCode::from(1);
        }
        Err(error) => {
            print_failure(messages, &error);
            return ExitCode::from(2);
        }
    };
    let out = scaffold::shown(&args.root, &args.out);
    let mut code = 0;
    for file in &args.files {
        match import::import_file(file, &out, &config, messages) {
            Ok(Ok(imported)) => {
                let args = [("from", Value::from(file.as_path())), ("to", imported.path.as_path().into())];
                say!("{}", messages.get("import-done", &args));
                for line in imported.summary(&config) {
                    say!("  {}", messages.text(&line));
                }
            }
            Ok(Err(diagnostic)) => {
                eprint!("{}", diagnostic.render(messages));
                code = code.max(1);
            }
            Err(error) => {
                print_failure(messages, &error);
                code = 2;
            }
        }
    }
    ExitCode::from(code)
}
