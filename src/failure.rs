//! Failures that stop a run (I/O, a refused request) as data, carried in the
//! `anyhow` chain: `main` finds them there and words them from the catalogue,
//! so the library writes no sentence. `.failed(Step::Writing, &path)` is the
//! one-line replacement for `.with_context(|| format!("writing {}", …))`;
//! `bail!(Failure::…)` and `.ok_or(Failure::…)` replace the other sentences.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::messages::{Messages, Text};

/// What was being done to a file or folder when the system said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Reading,
    Writing,
    Creating,
    Removing,
    Decoding,
    Copying,
    Watching,
    /// Moving the previous output aside while publishing.
    MovingAside,
    /// Moving a new file or the new site into place.
    MovingIntoPlace,
    /// Opening the site's folder.
    Opening,
}

/// An operating-system error on `path`, with the error the system gave.
#[derive(Debug)]
pub struct Failed {
    pub step: Step,
    pub path: PathBuf,
    cause: anyhow::Error,
}

impl Failed {
    pub fn text(&self) -> Text {
        Text::new("failed").with("step", self.step.id()).with("path", self.path.as_path())
    }
}

/// Why a run stopped, without words.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    NoSiteYaml {
        root: PathBuf,
    },
    OutputNeedsName,
    OutsideOutput {
        path: String,
    },
    FolderNotEmpty {
        dir: PathBuf,
    },
    AlreadyExists {
        path: PathBuf,
    },
    BadDateArgument {
        text: String,
    },
    BadPeriodArgument {
        text: String,
    },
    EmptyFileName,
    /// The preview server could not listen on this address.
    Listening {
        address: String,
    },
    /// A part of the preview server did not start.
    ServeStart,
    /// `BANTIN_LANG` names a language bantin does not speak.
    UnknownLanguage {
        code: String,
    },
    /// A panic caught while the preview server rebuilt after a change to
    /// `files` (none: the whole site): a bug of bantin met by that content.
    Internal {
        files: Vec<String>,
        detail: String,
    },
}

impl Failure {
    /// The catalogue's message. One match: a new variant does not compile
    /// until it has its message.
    pub fn text(&self) -> Text {
        match self {
            Failure::NoSiteYaml { root } => Text::new("no-site-yaml").with("root", root.as_path()),
            Failure::OutputNeedsName => Text::new("output-needs-name"),
            Failure::OutsideOutput { path } => Text::new("outside-output").with("path", path),
            Failure::FolderNotEmpty { dir } => Text::new("folder-not-empty").with("dir", dir.as_path()),
            Failure::AlreadyExists { path } => Text::new("already-exists").with("path", path.as_path()),
            Failure::BadDateArgument { text } => Text::new("bad-date-argument").with("value", text),
            Failure::BadPeriodArgument { text } => Text::new("bad-period-argument").with("value", text),
            Failure::EmptyFileName => Text::new("empty-file-name"),
            Failure::Listening { address } => Text::new("listening-failed").with("address", address),
            Failure::ServeStart => Text::new("serve-start-failed"),
            Failure::UnknownLanguage { code } => Text::new("unknown-language").with("code", code),
            Failure::Internal { files, detail } => Text::new("internal-error")
                .with("files", files.join(", "))
                .with("count", files.len())
                .with("detail", detail),
        }
    }
}

impl Step {
    /// The selector the catalogue's `failed` message chooses its verb by.
    fn id(self) -> &'static str {
        match self {
            Step::Reading => "reading",
            Step::Writing => "writing",
            Step::Creating => "creating",
            Step::Removing => "removing",
            Step::Decoding => "decoding",
            Step::Copying => "copying",
            Step::Watching => "watching",
            Step::MovingAside => "moving-aside",
            Step::MovingIntoPlace => "moving-into-place",
            Step::Opening => "opening",
        }
    }
}

/// Ids, not sentences: what a log or a `{:#}` shows when nothing words it.
pub(crate) fn write_ids(text: Text, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}", text.id)?;
    for (name, value) in &text.args {
        write!(f, " {name}={value:?}")?;
    }
    Ok(())
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ids(self.text(), f)
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ids(self.text(), f)
    }
}

impl std::error::Error for Failure {}

impl std::error::Error for Failed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.cause)
    }
}

/// `.failed(step, path)` on any result whose error `anyhow` can carry.
pub trait Failing<T> {
    fn failed(self, step: Step, path: &Path) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> Failing<T> for Result<T, E> {
    fn failed(self, step: Step, path: &Path) -> anyhow::Result<T> {
        self.map_err(|e| Failed { step, path: path.to_path_buf(), cause: e.into() }.into())
    }
}

/// Why an output folder is refused. Every case leaves everything as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The output is the site's own folder.
    SiteRoot { output: PathBuf },
    /// The output holds the site's folder.
    HoldsSite { output: PathBuf, root: PathBuf },
    /// The output is in one of the site's folders, or holds one.
    SourceFolder { output: PathBuf, folder: String },
    /// Something that is not a folder is there.
    NotAFolder { output: PathBuf },
    /// A link that leads nowhere.
    BrokenLink { output: PathBuf },
    /// A folder with files bantin did not write (and no `--force`).
    NotOurs { output: PathBuf },
}

impl std::error::Error for Refused {}

impl Refused {
    /// The catalogue's message and hint (`output-refused`), chosen by reason.
    pub fn wording(&self) -> (Text, Text) {
        let (reason, output) = match self {
            Refused::SiteRoot { output } => ("site-root", output),
            Refused::HoldsSite { output, .. } => ("holds-site", output),
            Refused::SourceFolder { output, .. } => ("source-folder", output),
            Refused::NotAFolder { output } => ("not-a-folder", output),
            Refused::BrokenLink { output } => ("broken-link", output),
            Refused::NotOurs { output } => ("not-ours", output),
        };
        let mut message = Text::new("output-refused").with("reason", reason).with("output", output.as_path());
        message = match self {
            Refused::HoldsSite { root, .. } => message.with("root", root.as_path()),
            Refused::SourceFolder { folder, .. } => message.with("folder", folder),
            _ => message,
        };
        (message, Text::new("output-refused-hint").with("reason", reason))
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ids(self.wording().0, f)
    }
}

// The wording of failures is here, beside them, so the catalogue needs to know nothing of them.
impl Messages {
    /// An error and its causes, each worded from the catalogue where bantin
    /// knows it (`Failed`, `Failure`, the common I/O errors), joined by ": ".
    pub fn failure(&self, error: &anyhow::Error) -> String {
        let words = |cause: &(dyn std::error::Error + 'static)| {
            if let Some(failed) = cause.downcast_ref::<Failed>() {
                self.text(&failed.text())
            } else if let Some(failure) = cause.downcast_ref::<Failure>() {
                self.text(&failure.text())
            } else if let Some(refused) = cause.downcast_ref::<Refused>() {
                let (message, hint) = refused.wording();
                let label = self.get("label-hint", &[]);
                format!("{}\n  = {label}: {}", self.text(&message), self.text(&hint))
            } else if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                match io.kind() {
                    std::io::ErrorKind::NotFound => self.get("io-not-found", &[]),
                    std::io::ErrorKind::PermissionDenied => self.get("io-permission-denied", &[]),
                    std::io::ErrorKind::AlreadyExists => self.get("io-already-exists", &[]),
                    _ => self.get("io-other", &[("detail", io.to_string().into())]),
                }
            } else {
                cause.to_string()
            }
        };
        error.chain().map(words).collect::<Vec<_>>().join(": ")
    }
}
