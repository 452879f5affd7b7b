//! Watching the site's sources: content/, templates/, static/ and
//! site.yaml, with events gathered into batches (an editor's save is a burst
//! of events: swap files, a rename over the file, a backup removed).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::failure::{Failing, Failure, Step};
use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

/// The folders whose every change matters.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// A watcher on one site, and the events it sends.
pub struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    events: Receiver<(Instant, notify::Result<notify::Event>)>,
    /// An event taken by `pending`, for the next batch.
    peeked: Option<(Instant, notify::Result<notify::Event>)>,
}

/// Changes gathered until the sources were quiet for a moment.
pub struct Batch {
    pub paths: Vec<PathBuf>,
    /// When the first event of the batch arrived.
    pub first: Instant,
    /// Events were lost: everything must be read again.
    pub rescan: bool,
}

impl Watcher {
    pub fn new(root: &Path) -> anyhow::Result<Watcher> {
        let (sender, events) = std::sync::mpsc::channel();
        let inner = notify::recommended_watcher(move |event| {
            let _ = sender.send((Instant::now(), event));
        })
        .context(Failure::ServeStart)?;
        let mut watcher = Watcher { root: root.to_path_buf(), inner, events, peeked: None };
        watcher.inner.watch(root, RecursiveMode::NonRecursive).failed(Step::Watching, root)?;
        for folder in FOLDERS {
            watcher.watch_folder(&root.join(folder))?;
        }
        Ok(watcher)
    }

    fn watch_folder(&mut self, folder: &Path) -> anyhow::Result<()> {
        if folder.is_dir() {
            self.inner.watch(folder, RecursiveMode::Recursive).failed(Step::Watching, folder)?;
        }
        Ok(())
    }

    /// Waits for changes, then gathers events until none came for `quiet`
    /// (or `longest` passed); None when the watcher stopped.
    pub fn next_batch(&mut self, quiet: Duration, longest: Duration) -> Option<Batch> {
        let mut batch = Batch { paths: Vec::new(), first: Instant::now(), rescan: false };
        let mut started = false;
        loop {
            let received = if let Some(peeked) = self.peeked.take() {
                Some(peeked)
            } else if started {
                let left = longest.saturating_sub(batch.first.elapsed());
                match self.events.recv_timeout(quiet.min(left)) {
                    Ok(received) => Some(received),
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => None,
                }
            } else {
                self.events.recv().ok()
            };
            let Some((at, event)) = received else { return started.then_some(batch) };
            if self.take(event, &mut batch) && !started {
                started = true;
                batch.first = at;
            }
        }
    }

    /// Waits up to `limit` for a change that matters (kept for the next
    /// batch); true if one came. Other events (a directory listed, a file
    /// read) are dropped.
    pub fn wait(&mut self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while self.peeked.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(received) if self.relevant(&received.1) => self.peeked = Some(received),
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// True when a change that matters is waiting.
    pub fn pending(&mut self) -> bool {
        while self.peeked.is_none() {
            match self.events.try_recv() {
                Ok(received) if self.relevant(&received.1) => self.peeked = Some(received),
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        true
    }

    fn relevant(&self, event: &notify::Result<notify::Event>) -> bool {
        match event {
            Err(_) => true,
            Ok(event) if event.need_rescan() => true,
            Ok(event) => {
                !matches!(event.kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)))
                    && event.paths.iter().any(|path| self.matters(path))
            }
        }
    }

    /// Adds an event's paths to the batch; false if it changes nothing.
    fn take(&mut self, event: notify::Result<notify::Event>, batch: &mut Batch) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(_) => {
                batch.rescan = true;
                return true;
            }
        };
        if event.need_rescan() {
            batch.rescan = true;
            return true;
        }
        match event.kind {
            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) => return false,
            _ => {}
        }
        let mut relevant = false;
        for path in event.paths {
            if !self.matters(&path) {
                continue;
            }
            // A folder watched from the start may be created later.
            if FOLDERS.iter().any(|f| path == self.root.join(f)) && path.is_dir() {
                let _ = self.watch_folder(&path);
            }
            if !batch.paths.contains(&path) {
                batch.paths.push(path);
            }
            relevant = true;
        }
        relevant
    }

    /// Editors' temporary files and anything outside the sources don't matter.
    fn matters(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else { return false };
        let top = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let source = match top.as_deref() {
            Some("site.yaml") => relative.components().count() == 1,
            Some(top) => FOLDERS.contains(&top),
            None => false,
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let scratch = name.starts_with('.')
            || name.ends_with('~')
            || name == "4913"
            || [".swp", ".swx", ".swo", ".tmp", ".kate-swp"].iter().any(|s| name.ends_with(s));
        source && !scratch
    }
}
