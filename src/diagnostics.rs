//! Content problems as data. Every problem of a run is collected with its
//! place in the source file; `main` prints them all at the end, worded from
//! the catalogue (`messages`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::limits::{ATTACHMENTS, LARGEST_NUMBER, MAX_SIDE, YEARS};
use crate::messages::{Messages, Text, Value};

/// Why an image cannot be published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// Its header claims more than the limits (`limits::MAX_SIDE`, `MAX_DECODED`).
    TooLarge { width: u32, height: u32 },
    /// Not a JPEG or PNG bantin can read to the end: damaged, or another format.
    Unreadable { message: String },
}

/// What went wrong, as data; `wording` names its message in the catalogue.
/// A new variant: an arm in `wording` (it does not compile without one) and
/// its message and hint in both locales/*/bantin.ftl (a test compares them).
/// Serialized for a build's warnings kept in its cache (`cache`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Problem {
    InvalidUtf8 {
        offset: usize,
    },
    EmptyFile,
    NoFrontMatter,
    UnclosedFrontMatter,
    Yaml {
        message: String,
    },
    /// `title: "Hội nghị" (sửa)`: words after the closing quote.
    TextAfterQuote {
        rest: String,
    },
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    WrongType {
        field: String,
        message: String,
    },
    // Never a warning, so never in a cache (`cache`).
    #[serde(skip)]
    MissingField {
        #[serde(skip)]
        field: &'static str,
    },
    BadDate {
        value: String,
    },
    BadMonth {
        value: String,
    },
    BadTimezone {
        value: String,
    },
    UnknownOrgan {
        name: String,
        suggestions: Vec<String>,
    },
    DuplicateOrgan {
        key: String,
    },
    DuplicateIndicator {
        id: String,
    },
    /// A label or alias of two indicators: an article's wording could not
    /// tell them apart.
    SharedIndicatorName {
        name: String,
        first: String,
        second: String,
    },
    UnknownIndicator {
        id: String,
        suggestions: Vec<String>,
    },
    UnknownArea {
        name: String,
        suggestions: Vec<String>,
    },
    DuplicateArea {
        key: String,
    },
    UnitMismatch {
        id: String,
        unit: String,
        expected: String,
    },
    PlanOutOfRange {
        value: f64,
    },
    BadSlug {
        slug: String,
    },
    EmptySlug,
    /// A `# kiểm tra` note of `bantin import` left in an article that is not a draft.
    UncheckedNote {
        note: String,
    },
    /// A `.docx` given to `import` that is no Word document.
    NotADocument,
    DuplicateUrl {
        url: String,
        other: PathBuf,
    },
    Template {
        message: String,
    },
    // Implausible indicator data: warnings, not errors.
    CumulativeFalls {
        id: String,
        from: f64,
        to: f64,
        earlier: PathBuf,
    },
    PlanFalls {
        id: String,
        from: f64,
        to: f64,
        earlier: PathBuf,
    },
    ValueAboveCumulative {
        id: String,
        value: f64,
        cumulative: f64,
    },
    // Findings of `bantin check` for writers (src/check.rs); the first three are errors.
    BrokenLink {
        target: String,
    },
    MissingImage {
        target: String,
    },
    MarkdownLink {
        target: String,
        url: Option<String>,
    },
    LongSummary {
        chars: usize,
        max: usize,
        written: bool,
    },
    NoSummary,
    UnusedOrgan {
        id: String,
    },
    UnusedIndicator {
        id: String,
    },
    UnreferencedFile,
    BrokenPageLink {
        target: String,
        others: usize,
    },
    // Values no page can show (issue 11): errors at the value's place.
    UnusableKey {
        key: String,
    },
    NumberOutOfRange {
        field: String,
        value: String,
    },
    EmptyTagSlug {
        tag: String,
    },
    EmptyId,
    TooManyTags {
        count: usize,
        max: usize,
    },
    YearOutOfRange {
        year: i32,
    },
    // Files an article names that may not be published beside it (SPEC §7): errors.
    OutsideSite {
        target: String,
    },
    ForbiddenAttachment {
        target: String,
        extension: String,
    },
    BadImage {
        target: String,
        fault: Fault,
    },
    // Typed in the editor's form (issue 18): refuses the save.
    TypedNumber {
        text: String,
    },
}

impl Problem {
    /// Warnings are reported but do not fail a build.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Problem::CumulativeFalls { .. }
                | Problem::PlanFalls { .. }
                | Problem::ValueAboveCumulative { .. }
                | Problem::LongSummary { .. }
                | Problem::NoSummary
                | Problem::UnusedOrgan { .. }
                | Problem::UnusedIndicator { .. }
                | Problem::UnreferencedFile
                | Problem::BrokenPageLink { .. }
        )
    }

    /// The catalogue's message and hint (locales/*/bantin.ftl) with the
    /// values they name. One match: a new variant does not compile until it
    /// has its message.
    pub fn wording(&self) -> (Text, Option<Text>) {
        let t = Text::new;
        match self {
            Problem::InvalidUtf8 { offset } => {
                (t("invalid-utf8").with("offset", *offset), Some(t("invalid-utf8-hint")))
            }
            Problem::EmptyFile => (t("empty-file"), Some(t("no-front-matter-hint"))),
            Problem::NoFrontMatter => (t("no-front-matter"), Some(t("no-front-matter-hint"))),
            Problem::UnclosedFrontMatter => {
                (t("unclosed-front-matter"), Some(t("unclosed-front-matter-hint")))
            }
            Problem::Yaml { message } => {
                (t("yaml").with("kind", yaml_kind(message)).with("detail", message), Some(t("yaml-hint")))
            }
            Problem::TextAfterQuote { rest } => {
                (t("text-after-quote").with("rest", rest), Some(t("text-after-quote-hint")))
            }
            Problem::UnknownKey { key, suggestion } => (
                t("unknown-key").with("key", key),
                Some(match suggestion {
                    Some(field) => t("unknown-key-hint").with("field", Value::Field(field.clone())),
                    None => t("unknown-key-extra"),
                }),
            ),
            Problem::WrongType { field, message } if message.starts_with("unknown variant") => {
                // `unknown variant `stock`, expected one of `flow`, `level`, `ratio``
                let choices =
                    message.split_once("expected").map_or("", |(_, e)| e).split('`').skip(1).step_by(2);
                let choices = Value::Choices(choices.map(str::to_string).collect());
                (t("wrong-choice").with("field", Value::Field(field.clone())).with("choices", choices), None)
            }
            Problem::WrongType { field, message } => {
                let expected = expected_kind(message);
                let hint = match expected {
                    "number" => Some(t("wrong-type-number-hint")),
                    "boolean" => Some(t("wrong-type-boolean-hint")),
                    "list" => Some(t("wrong-type-list-hint")),
                    _ => None,
                };
                (t("wrong-type").with("field", Value::Field(field.clone())).with("expected", expected), hint)
            }
            Problem::MissingField { field } => (
                t("missing-field").with("field", Value::Field(field.to_string())),
                Some(t("missing-field-hint").with("name", *field)),
            ),
            Problem::BadDate { value } => (t("bad-date").with("value", value), Some(t("bad-date-hint"))),
            Problem::BadMonth { value } => (t("bad-month").with("value", value), Some(t("bad-month-hint"))),
            Problem::BadTimezone { value } => {
                (t("bad-timezone").with("value", value), Some(t("bad-timezone-hint")))
            }
            Problem::UnknownOrgan { name, suggestions } => {
                (t("unknown-organ").with("name", name), Some(nearest(suggestions, "unknown-organ-hint")))
            }
            Problem::DuplicateOrgan { key } => {
                (t("duplicate-organ").with("key", key), Some(t("duplicate-organ-hint")))
            }
            Problem::DuplicateIndicator { id } => {
                (t("duplicate-indicator").with("id", id), Some(t("duplicate-indicator-hint")))
            }
            Problem::SharedIndicatorName { name, first, second } => (
                t("shared-indicator-name").with("name", name).with("first", first).with("second", second),
                Some(t("shared-indicator-name-hint")),
            ),
            Problem::UnknownIndicator { id, suggestions } => {
                (t("unknown-indicator").with("id", id), Some(nearest(suggestions, "unknown-indicator-hint")))
            }
            Problem::UnknownArea { name, suggestions } => {
                (t("unknown-area").with("name", name), Some(nearest(suggestions, "unknown-area-hint")))
            }
            Problem::DuplicateArea { key } => {
                (t("duplicate-area").with("key", key), Some(t("duplicate-area-hint")))
            }
            Problem::UnitMismatch { id, unit, expected } => (
                t("unit-mismatch").with("id", id).with("unit", unit),
                Some(t("unit-mismatch-hint").with("expected", expected)),
            ),
            Problem::PlanOutOfRange { value } => {
                (t("plan-out-of-range").with("value", *value), Some(t("plan-out-of-range-hint")))
            }
            Problem::BadSlug { slug } => (t("bad-slug").with("slug", slug), Some(t("slug-hint"))),
            Problem::EmptySlug => (t("empty-slug"), Some(t("slug-hint"))),
            Problem::NotADocument => (t("not-a-document"), Some(t("not-a-document-hint"))),
            Problem::UncheckedNote { note } => {
                (t("unchecked-note").with("note", note), Some(t("unchecked-note-hint")))
            }
            Problem::DuplicateUrl { url, other } => (
                t("duplicate-url").with("url", url).with("other", other.as_path()),
                Some(t("duplicate-url-hint")),
            ),
            Problem::Template { message } => {
                (t("template").with("detail", message), Some(t("template-hint")))
            }
            Problem::CumulativeFalls { id, from, to, earlier } => (
                t("cumulative-falls").with("id", id).with("from", *from).with("to", *to),
                Some(t("compare-with").with("earlier", earlier.as_path())),
            ),
            Problem::PlanFalls { id, from, to, earlier } => (
                t("plan-falls").with("id", id).with("from", *from).with("to", *to),
                Some(t("compare-with").with("earlier", earlier.as_path())),
            ),
            Problem::ValueAboveCumulative { id, value, cumulative } => (
                t("value-above-cumulative")
                    .with("id", id)
                    .with("value", *value)
                    .with("cumulative", *cumulative),
                Some(t("value-above-cumulative-hint")),
            ),
            Problem::BrokenLink { target } => {
                (t("broken-link").with("target", target), Some(t("broken-link-hint")))
            }
            Problem::MissingImage { target } => {
                (t("missing-image").with("target", target), Some(t("missing-image-hint")))
            }
            Problem::MarkdownLink { target, url } => (
                t("markdown-link").with("target", target),
                Some(match url {
                    Some(url) => t("markdown-link-hint").with("url", url),
                    None => t("markdown-link-any-hint"),
                }),
            ),
            Problem::LongSummary { chars, max, written } => (
                t("long-summary").with("chars", *chars).with("max", *max),
                Some(
                    t(if *written { "long-summary-hint" } else { "long-summary-lead-hint" })
                        .with("max", *max),
                ),
            ),
            Problem::NoSummary => (t("no-summary"), Some(t("no-summary-hint"))),
            Problem::UnusedOrgan { id } => (t("unused-organ").with("id", id), Some(t("unused-hint"))),
            Problem::UnusedIndicator { id } => (t("unused-indicator").with("id", id), Some(t("unused-hint"))),
            Problem::UnreferencedFile => (t("unreferenced-file"), Some(t("unreferenced-file-hint"))),
            Problem::BrokenPageLink { target, others } => (
                t("broken-page-link").with("target", target).with("others", *others),
                Some(t("broken-page-link-hint")),
            ),
            Problem::UnusableKey { key } => {
                (t("unusable-key").with("key", key), Some(t("unusable-key-hint")))
            }
            Problem::NumberOutOfRange { field, value } => (
                t("number-out-of-range").with("field", Value::Field(field.clone())).with("value", value),
                Some(t("number-out-of-range-hint").with("largest", LARGEST_NUMBER)),
            ),
            Problem::EmptyTagSlug { tag } => {
                (t("empty-tag-slug").with("tag", tag), Some(t("empty-tag-slug-hint")))
            }
            Problem::EmptyId => (t("empty-id"), Some(t("empty-id-hint"))),
            Problem::TooManyTags { count, max } => (
                t("too-many-tags").with("count", *count).with("max", *max),
                Some(t("too-many-tags-hint").with("max", *max)),
            ),
            Problem::YearOutOfRange { year } => {
                let years = YEARS;
                (
                    t("year-out-of-range").with("year", year.to_string()),
                    Some(
                        t("year-out-of-range-hint")
                            .with("first", years.start().to_string())
                            .with("last", years.end().to_string()),
                    ),
                )
            }
            Problem::OutsideSite { target } => {
                (t("outside-site").with("target", target), Some(t("outside-site-hint")))
            }
            Problem::ForbiddenAttachment { target, extension } => {
                let kind = match extension.as_str() {
                    "html" | "htm" | "xhtml" | "mhtml" => "page",
                    "svg" | "svgz" => "drawing",
                    _ => "other",
                };
                (
                    t("forbidden-attachment")
                        .with("target", target)
                        .with("extension", extension)
                        .with("typed", if extension.is_empty() { "no" } else { "yes" }),
                    Some(
                        t("forbidden-attachment-hint")
                            .with("kind", kind)
                            .with("allowed", ATTACHMENTS.join(", ")),
                    ),
                )
            }
            Problem::BadImage { target, fault: Fault::TooLarge { width, height } } => (
                t("image-too-large")
                    .with("target", target)
                    .with("width", *width as usize)
                    .with("height", *height as usize),
                Some(t("image-too-large-hint").with("side", MAX_SIDE as usize)),
            ),
            Problem::BadImage { target, fault: Fault::Unreadable { message } } => (
                t("image-unreadable").with("target", target).with("detail", message),
                Some(t("image-unreadable-hint")),
            ),
            Problem::TypedNumber { text } => {
                (t("typed-number").with("text", text), Some(t("typed-number-hint")))
            }
        }
    }
}

/// "Did you mean …" with the nearest choices, or where to look without any.
fn nearest(suggestions: &[String], none: &'static str) -> Text {
    match suggestions {
        [] => Text::new(none),
        names => Text::new("did-you-mean").with("choices", Value::Choices(names.to_vec())),
    }
}

/// What the YAML parser stumbled on, as the catalogue's selector; its own
/// (English) words are shown only for the rare others.
fn yaml_kind(message: &str) -> &'static str {
    let has = |part: &str| message.contains(part);
    if has("quoted scalar") {
        "quote"
    } else if has("tab character") {
        "tab"
    } else if has("mapping values are not allowed") {
        "colon"
    } else if has("duplicate entry") {
        "duplicate"
    } else if has("did not find expected") || has("block mapping") || has("block sequence") {
        "indent"
    } else if has("cannot start any token") {
        "character"
    } else {
        "other"
    }
}

/// What serde expected, as the catalogue's selector: `invalid type: string
/// "351,05", expected f64` expects a number.
fn expected_kind(message: &str) -> &'static str {
    let Some((_, expected)) = message.rsplit_once("expected ") else { return "other" };
    match expected {
        e if [
            "f32", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "integer",
            "a number",
        ]
        .iter()
        .any(|n| e.starts_with(n)) =>
        {
            "number"
        }
        e if e.contains("bool") => "boolean",
        e if e.contains("sequence") => "list",
        e if e.contains("string") || e.contains("str") => "text",
        e if e.contains("map") || e.contains("struct") => "group",
        _ => "other",
    }
}

/// One problem at one place. `line` and `col` are 1-based, columns in
/// characters of the file as written; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub len: usize,
    pub source_line: Option<String>,
    pub problem: Problem,
}

impl Diagnostic {
    /// A problem about a whole file, with no position inside it.
    pub fn file(file: impl Into<PathBuf>, problem: Problem) -> Self {
        Diagnostic { file: file.into(), line: 0, col: 0, len: 0, source_line: None, problem }
    }
}

impl Diagnostic {
    /// `path:line:col: lỗi: …`, the line with the place marked, and the
    /// hint, worded from `messages`. Positions are the same in every language.
    pub fn render(&self, messages: &Messages) -> String {
        let mut out = self.file.display().to_string();
        if self.line > 0 {
            out.push_str(&format!(":{}:{}", self.line, self.col));
        }
        let (message, hint) = self.problem.wording();
        let label =
            messages.get(if self.problem.is_warning() { "label-warning" } else { "label-error" }, &[]);
        out.push_str(&format!(": {label}: {}\n", messages.text(&message)));
        if let Some(text) = &self.source_line {
            let gutter = self.line.to_string().len();
            out.push_str(&format!("{:gutter$} |\n", ""));
            out.push_str(&format!("{} | {}\n", self.line, text));
            let pad = " ".repeat(self.col.saturating_sub(1));
            out.push_str(&format!("{:gutter$} | {pad}{}\n", "", "^".repeat(self.len.max(1))));
        }
        if let Some(hint) = hint {
            out.push_str(&format!("  = {}: {}\n", messages.get("label-hint", &[]), messages.text(&hint)));
        }
        out
    }
}

/// Every problem found in a run, in file and line order once sorted.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        self
    }
}

impl Diagnostics {
    /// Every diagnostic rendered, each followed by a blank line.
    pub fn render(&self, messages: &Messages) -> String {
        self.0.iter().map(|d| d.render(messages) + "\n").collect()
    }

    /// How many are errors (not warnings).
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| !d.problem.is_warning()).count()
    }
}

/// The candidates closest to `wanted`, best first, if any is close enough to
/// be what was meant.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    most: usize,
) -> Vec<String> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(most).map(|(_, c)| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_find_their_nearest_field() {
        let keys = ["title", "date", "organ", "tags"];
        assert_eq!(did_you_mean("orgen", keys, 1), ["organ"]);
        assert_eq!(did_you_mean("tag", keys, 1), ["tags"]);
        assert!(did_you_mean("zzz", keys, 1).is_empty());
    }
}
