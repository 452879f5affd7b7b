//! `bantin serve`: the site built in memory and served over HTTP, rebuilt
//! incrementally when its sources change, with live reload in the browser.
//!
//! Two threads: the rebuild loop owns the `Engine` and the file watcher; the
//! HTTP server (tokio, one thread) reads what the engine publishes. Nothing
//! is written to disk but resized copies of images, into the cache builds share
//! (`.bantin-cache/`). Progress goes to the caller's `report` callback: the
//! library never prints.

pub mod engine;
pub mod http;
pub mod published;
mod site_files;
mod sources;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::sync::broadcast;

use crate::diagnostics::Diagnostics;
use crate::failure::{Failing, Failure, Step};
use crate::messages::Messages;
use engine::{Engine, Settings};
use http::{Message, Server};

/// How to serve (SPEC §5).
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port (the URL reported says which).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    pub drafts: bool,
    /// Offer the editor on a bind that is not loopback, behind an access code.
    pub editor_on_network: bool,
    /// Report the time from the first file event to the reload message.
    pub latency: bool,
    /// The catalogue the browser overlay is worded from.
    pub messages: Arc<Messages>,
}

/// What the server has to say, for the caller to show.
#[derive(Debug)]
pub enum Report<'a> {
    /// The first build.
    Built {
        articles: usize,
        pages: usize,
        millis: u128,
    },
    Listening {
        url: &'a str,
    },
    /// The editor's address with its access code, on a network bind.
    EditorOnNetwork {
        url: &'a str,
    },
    Rebuilt {
        pages: usize,
        millis: u128,
    },
    /// From the first file event of a batch to the reload message, and the rebuild's part of it.
    Latency {
        total: Duration,
        /// To the first message, when the edited articles' pages went ahead of the others.
        first: Option<Duration>,
        rebuild: Duration,
        /// The rebuild's steps.
        phases: &'a [(&'static str, Duration)],
    },
    /// The sources are broken; the last good site is still served.
    Errors(&'a Diagnostics),
    Warnings(&'a Diagnostics),
    /// The sources are good again.
    Fixed,
    /// An I/O problem; everything is read again on the next change.
    Failed(&'a anyhow::Error),
}

/// Events closer together than this are one change (an editor's save).
const QUIET: Duration = Duration::from_millis(10);
/// The search index is made again after the sources were quiet this long.
const SEARCH_AFTER: Duration = Duration::from_millis(1500);
/// A batch is cut after this even if events keep coming.
const LONGEST: Duration = Duration::from_millis(500);
/// A scheduled article is published this long after its time, so that the
/// clock has surely passed it.
const SCHEDULE_SLACK: Duration = Duration::from_millis(50);

/// Builds, serves and watches until the process is stopped.
pub fn run(options: ServeOptions, report: impl Fn(Report) + Send + Sync + 'static) -> anyhow::Result<()> {
    let root = std::fs::canonicalize(&options.root).failed(Step::Opening, &options.root)?;
    let messages = Arc::clone(&options.messages);
    let settings = Settings { root: root.clone(), drafts: options.drafts, live_reload: true, messages };
    // The port first: a busy one fails at once, not after the first build.
    let address = SocketAddr::new(options.bind, options.port);
    let listening = || Failure::Listening { address: address.to_string() };
    let listener = std::net::TcpListener::bind(address).with_context(listening)?;
    listener.set_nonblocking(true).with_context(listening)?;
    let started = Instant::now();
    let (mut engine, outcome) = Engine::start(settings, now())?;
    match &outcome.errors {
        Some(errors) => report(Report::Errors(errors)),
        None => {
            let (articles, pages) = engine.size();
            report(Report::Built { articles, pages, millis: started.elapsed().as_millis() });
            if let Some(warnings) = &outcome.warnings {
                report(Report::Warnings(warnings));
            }
        }
    }
    let watcher = watch::Watcher::new(&root)?;
    let (messages, _) = broadcast::channel(64);
    let bound = listener.local_addr().context(Failure::ServeStart)?;
    let server = Arc::new(Server::new(
        engine.published(),
        root.clone(),
        messages.clone(),
        bound,
        &engine.settings().messages,
    ));
    let report = Arc::new(report);
    let failing = outcome.errors.is_some();
    {
        let report = Arc::clone(&report);
        let latency = options.latency;
        std::thread::Builder::new()
            .name("bantin-rebuild".into())
            .spawn(move || rebuild_loop(&mut engine, watcher, &messages, failing, latency, &*report))
            .context(Failure::ServeStart)?;
    }

    // The editor is offered to the network only when asked, behind an access code (issue 18).
    let (editor, access) = if options.bind.is_loopback() || options.editor_on_network {
        let network = !options.bind.is_loopback();
        crate::editor::router(root.clone(), Arc::clone(&options.messages), options.drafts, network)?
    } else {
        (axum::Router::new(), None)
    };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().context(Failure::ServeStart)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).with_context(listening)?;
        let local = listener.local_addr()?;
        let url = format!("http://{local}/");
        report(Report::Listening { url: &url });
        if let Some(code) = access {
            report(Report::EditorOnNetwork { url: &format!("{url}_soan/?ma={code}") });
        }
        if options.open {
            open_browser(&url);
        }
        axum::serve(listener, http::router(server, editor)).await.with_context(listening)
    })
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// Waits for changes, rebuilds, tells the browsers; builds the search
/// index when nothing else is waiting.
fn rebuild_loop(
    engine: &mut Engine,
    mut watcher: watch::Watcher,
    messages: &broadcast::Sender<Message>,
    mut failing: bool,
    latency: bool,
    report: &(dyn Fn(Report) + Send + Sync),
) {
    let words = Arc::clone(&engine.settings().messages);
    let mut read_everything = false;
    let mut search: Option<std::thread::JoinHandle<()>> = None;
    loop {
        // The search index, on a thread of its own: one at a time, once the
        // sources have been quiet for a while (a writer saves often).
        while engine.search_due() {
            if search.as_ref().is_some_and(|job| !job.is_finished()) {
                if watcher.wait(Duration::from_millis(200)) {
                    break;
                }
            } else {
                if !watcher.wait(SEARCH_AFTER) {
                    search = engine.refresh_search();
                }
                break;
            }
        }
        // A scheduled article appears when its time comes, without a save.
        let due = engine.next_scheduled(now()).map(|at| (at - now()).to_std().unwrap_or_default());
        let batch = match due {
            Some(wait) if !watcher.wait(wait + SCHEDULE_SLACK) => None,
            _ => match watcher.next_batch(QUIET, LONGEST) {
                Some(batch) => Some(batch),
                None => return,
            },
        };
        let started = Instant::now();
        let first_event = batch.as_ref().map_or(started, |batch| batch.first);
        let mut first_message = None;
        let mut early = |urls: &[String]| {
            let _ = messages.send(Message::Reload(urls.to_vec()));
            first_message = Some(first_event.elapsed());
        };
        let changed: Vec<PathBuf> = batch.as_ref().map(|b| b.paths.clone()).unwrap_or_default();
        // A bug met by some content must not stop the server: the panic is
        // shown like an error and the next save reads everything again.
        let refreshed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &batch {
            None => engine.publish_scheduled(now(), &mut early),
            Some(batch) if batch.rescan || read_everything => {
                engine.refresh(&[engine.root().join("site.yaml")], now(), &mut early)
            }
            Some(batch) => engine.refresh(&batch.paths, now(), &mut early),
        }))
        .unwrap_or_else(|panic| {
            engine.forget_all();
            failing = true;
            Err(internal_error(&*panic, engine.root(), &changed))
        });
        let outcome = match refreshed {
            Ok(outcome) => outcome,
            Err(error) => {
                read_everything = true;
                let text = overlay(&words, &words.failure(&error));
                engine.show_problem(&text);
                let _ = messages.send(Message::Errors(text));
                report(Report::Failed(&error));
                continue;
            }
        };
        read_everything = false;
        let rebuild = started.elapsed();
        if let Some(errors) = &outcome.errors {
            failing = true;
            let _ = messages.send(Message::Errors(overlay(&words, &errors.render(&words))));
            report(Report::Errors(errors));
        } else {
            if failing && outcome.rebuilt {
                failing = false;
                let _ = messages.send(Message::Fixed);
                report(Report::Fixed);
            }
            if outcome.reload_all {
                let _ = messages.send(Message::Reload(Vec::new()));
            } else if !outcome.changed.is_empty() {
                let _ = messages.send(Message::Reload(outcome.changed.clone()));
            }
            if !outcome.styles.is_empty() {
                let _ = messages.send(Message::Styles(outcome.styles.clone()));
            }
            report(Report::Rebuilt { pages: outcome.rendered, millis: rebuild.as_millis() });
            if let Some(warnings) = &outcome.warnings {
                report(Report::Warnings(warnings));
            }
        }
        if latency {
            let (total, first) = (first_event.elapsed(), first_message);
            report(Report::Latency { total, first, rebuild, phases: &outcome.phases });
        }
    }
}

/// A panic caught in a rebuild, as an error naming the files whose change
/// led to it (the content that meets the bug, most likely).
fn internal_error(
    panic: &(dyn std::any::Any + Send),
    root: &std::path::Path,
    changed: &[PathBuf],
) -> anyhow::Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let files: Vec<String> =
        changed.iter().map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()).collect();
    anyhow::Error::new(crate::failure::Failure::Internal { files, detail: what })
}

/// Best effort: a missing opener is not an error.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = command.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
}

/// What the browser overlay shows: its title on the first line and the
/// name of its close button on the second (live.js splits them off), then
/// the errors.
pub fn overlay(messages: &Messages, errors: &str) -> String {
    format!("{}\n{}\n{errors}", messages.get("overlay-title", &[]), messages.get("overlay-hide", &[]))
}
