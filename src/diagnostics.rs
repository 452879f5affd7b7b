//! Content problems as data. Every problem of a run is collected with its
//! place in the source file; `main` prints them all at the end.

use std::fmt;
use std::path::PathBuf;

use crate::images::Fault;

/// What went wrong. The wording of every message and hint lives here.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    InvalidUtf8 { offset: usize },
    EmptyFile,
    NoFrontMatter,
    UnclosedFrontMatter,
    Yaml { message: String },
    UnknownKey { key: String, suggestion: Option<String> },
    WrongType { field: String, message: String },
    MissingField { field: &'static str },
    BadDate { value: String },
    BadMonth { value: String },
    BadTimezone { value: String },
    UnknownOrgan { name: String, suggestions: Vec<String> },
    DuplicateOrgan { key: String },
    UnknownIndicator { id: String, suggestions: Vec<String> },
    UnitMismatch { id: String, unit: String, expected: String },
    PlanOutOfRange { value: f64 },
    BadSlug { slug: String },
    EmptySlug,
    DuplicateUrl { url: String, other: PathBuf },
    Template { message: String },
    // Implausible indicator data: warnings, not errors.
    CumulativeFalls { id: String, from: f64, to: f64, earlier: PathBuf },
    PlanFalls { id: String, from: f64, to: f64, earlier: PathBuf },
    ValueAboveCumulative { id: String, value: f64, cumulative: f64 },
    // Findings of `bantin check` for writers (src/check.rs); the first three are errors.
    BrokenLink { target: String },
    MissingImage { target: String },
    MarkdownLink { target: String, url: Option<String> },
    LongSummary { chars: usize, max: usize, written: bool },
    NoSummary,
    UnusedOrgan { id: String },
    UnusedIndicator { id: String },
    UnreferencedFile,
    BrokenPageLink { target: String, others: usize },
    // Files an article names that may not be published beside it (SPEC §7): errors.
    OutsideSite { target: String },
    ForbiddenAttachment { target: String, extension: String },
    BadImage { target: String, fault: Fault },
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

    fn hint(&self) -> Option<String> {
        match self {
            Problem::InvalidUtf8 { .. } => Some("save the file as UTF-8".into()),
            Problem::EmptyFile | Problem::NoFrontMatter => Some(
                "an article starts with a line `---`, its front matter (title, date, organ), then `---`"
                    .into(),
            ),
            Problem::UnclosedFrontMatter => Some("end the front matter with a line `---`".into()),
            Problem::UnknownKey { suggestion, .. } => {
                suggestion.as_ref().map(|s| format!("did you mean `{s}`? (free fields go under `extra:`)"))
            }
            Problem::WrongType { message, .. } if message.contains("expected f64") => {
                Some("write numbers with a decimal point: 351.05, not 351,05".into())
            }
            Problem::MissingField { field } => Some(format!("add `{field}:` to the front matter")),
            Problem::BadDate { .. } => {
                Some("write dates as 2023-08-31 or 31/8/2023, optionally with a time 08:30".into())
            }
            Problem::BadMonth { .. } => Some("write a month as 2023-08".into()),
            Problem::BadTimezone { .. } => Some("use an IANA name such as Asia/Ho_Chi_Minh".into()),
            Problem::UnknownOrgan { suggestions, .. } | Problem::UnknownIndicator { suggestions, .. } => {
                match suggestions.as_slice() {
                    [] => Some("see the catalogue in site.yaml".into()),
                    names => Some(format!("did you mean {}?", quote_list(names))),
                }
            }
            Problem::UnitMismatch { expected, .. } => {
                Some(format!("the catalogue's unit is `{expected}`; leave `unit` out or write it"))
            }
            Problem::PlanOutOfRange { .. } => Some("`plan` is a percentage, e.g. 38.18".into()),
            Problem::BadSlug { .. } | Problem::EmptySlug => {
                Some("a slug is one path segment, e.g. hoi-nghi-thang-8".into())
            }
            Problem::DuplicateUrl { .. } => Some("give one of them another `slug:`".into()),
            Problem::CumulativeFalls { earlier, .. } | Problem::PlanFalls { earlier, .. } => {
                Some(format!("compare with {}", earlier.display()))
            }
            Problem::ValueAboveCumulative { .. } => {
                Some("the running total of the year includes this month".into())
            }
            Problem::BrokenLink { .. } => {
                Some("link to a page of the site (`/2023/08/<slug>/`) or to a file beside the article".into())
            }
            Problem::MissingImage { .. } => Some("put the file beside the article, or correct its name".into()),
            Problem::MarkdownLink { url: Some(url), .. } => Some(format!("link to its page: `{url}`")),
            Problem::MarkdownLink { url: None, .. } => {
                Some("link to the article's page, e.g. `/2023/08/<slug>/`".into())
            }
            Problem::LongSummary { max, written: true, .. } => {
                Some(format!("shorten `summary:` to at most {max} characters (or use --summary-max)"))
            }
            Problem::LongSummary { max, written: false, .. } => Some(format!(
                "the first paragraph is used; add a `summary:` of at most {max} characters (or use --summary-max)"
            )),
            Problem::NoSummary => Some("add a `summary:` or a first paragraph".into()),
            Problem::UnusedOrgan { .. } | Problem::UnusedIndicator { .. } => {
                Some("no article uses it; remove it, or keep it for articles to come".into())
            }
            Problem::UnreferencedFile => {
                Some("no article links to it, so it is not published; link it or remove it".into())
            }
            Problem::BrokenPageLink { .. } => {
                Some("the link comes from a template (templates/) or from raw HTML in an article".into())
            }
            Problem::OutsideSite { .. } => Some(
                "only files inside the site's folder are published: copy the file beside the article and link it by its name".into(),
            ),
            Problem::ForbiddenAttachment { extension, .. } => Some(match extension.as_str() {
                "html" | "htm" | "xhtml" | "mhtml" => {
                    "a web page could run scripts on the site: copy its text into the article, or save it as PDF".into()
                }
                "svg" | "svgz" => "an SVG drawing could run scripts on the site: export it as PNG".into(),
                _ => format!(
                    "files of these types can be attached: {}; save it as one of them (e.g. PDF)",
                    crate::content::article::ATTACHMENTS.join(", ")
                ),
            }),
            Problem::BadImage { fault: Fault::TooLarge { .. }, .. } => Some(format!(
                "bantin reads images up to {} pixels a side; save it smaller (2000 pixels wide is plenty on a web page)",
                crate::images::MAX_SIDE
            )),
            Problem::BadImage { fault: Fault::Unreadable { .. }, .. } => {
                Some("the file is damaged or not really a JPEG or PNG: open it and save it again as JPEG".into())
            }
            _ => None,
        }
    }
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    quoted.join(" or ")
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::InvalidUtf8 { offset } => write!(f, "not valid UTF-8 at byte {offset}"),
            Problem::EmptyFile => write!(f, "the file is empty"),
            Problem::NoFrontMatter => write!(f, "the file has no front matter"),
            Problem::UnclosedFrontMatter => write!(f, "the front matter is not closed"),
            Problem::Yaml { message } => write!(f, "invalid YAML: {message}"),
            Problem::UnknownKey { key, .. } => write!(f, "unknown key `{key}`"),
            Problem::WrongType { field, message } => write!(f, "`{field}`: {message}"),
            Problem::MissingField { field } => write!(f, "missing required field `{field}`"),
            Problem::BadDate { value } => write!(f, "`{value}` is not a date"),
            Problem::BadMonth { value } => write!(f, "`{value}` is not a month"),
            Problem::BadTimezone { value } => write!(f, "unknown timezone `{value}`"),
            Problem::UnknownOrgan { name, .. } => write!(f, "unknown organ `{name}`"),
            Problem::DuplicateOrgan { key } => {
                write!(f, "`{key}` names more than one organ in the catalogue")
            }
            Problem::UnknownIndicator { id, .. } => write!(f, "unknown indicator `{id}`"),
            Problem::UnitMismatch { id, unit, .. } => {
                write!(f, "indicator `{id}` is given in `{unit}`")
            }
            Problem::PlanOutOfRange { value } => {
                write!(f, "`plan` {value} is outside 0–1000 percent")
            }
            Problem::BadSlug { slug } => write!(f, "slug `{slug}` would leave its folder"),
            Problem::EmptySlug => write!(f, "the slug is empty"),
            Problem::DuplicateUrl { url, other } => {
                write!(f, "URL {url} is also written by {}", other.display())
            }
            Problem::Template { message } => write!(f, "template error: {message}"),
            Problem::CumulativeFalls { id, from, to, .. } => {
                write!(f, "running total of `{id}` falls within the year, from {from} to {to}")
            }
            Problem::PlanFalls { id, from, to, .. } => {
                write!(f, "share of the plan of `{id}` falls within the year, from {from}% to {to}%")
            }
            Problem::BrokenLink { target } => write!(f, "link `{target}` points nowhere"),
            Problem::MissingImage { target } => write!(f, "image `{target}` does not exist"),
            Problem::MarkdownLink { target, .. } => {
                write!(f, "link `{target}` points at a Markdown file, not a page")
            }
            Problem::LongSummary { chars, max, .. } => {
                write!(f, "the summary is {chars} characters long (more than {max})")
            }
            Problem::NoSummary => write!(f, "the article has no summary"),
            Problem::UnusedOrgan { id } => write!(f, "organ `{id}` is used by no article"),
            Problem::UnusedIndicator { id } => write!(f, "indicator `{id}` is used by no article"),
            Problem::UnreferencedFile => write!(f, "no article references this file"),
            Problem::BrokenPageLink { target, others: 0 } => write!(f, "link `{target}` points nowhere"),
            Problem::BrokenPageLink { target, others } => {
                write!(f, "link `{target}` points nowhere (and on {others} other pages)")
            }
            Problem::ValueAboveCumulative { id, value, cumulative } => {
                write!(f, "`{id}`: the month's {value} is more than the year's running total {cumulative}")
            }
            Problem::OutsideSite { target } => write!(f, "`{target}` leads outside the site's folder"),
            Problem::ForbiddenAttachment { target, extension } if extension.is_empty() => {
                write!(f, "`{target}` has no file type and is not published")
            }
            Problem::ForbiddenAttachment { target, extension } => {
                write!(f, "`{target}`: .{extension} files are not published beside articles")
            }
            Problem::BadImage { target, fault: Fault::TooLarge { width, height } } => {
                write!(f, "image `{target}` is too large to read ({width}×{height} pixels)")
            }
            Problem::BadImage { target, fault: Fault::Unreadable { message } } => {
                write!(f, "image `{target}` cannot be read: {message}")
            }
        }
    }
}

/// One problem at one place. `line` and `col` are 1-based, columns in
/// characters of the file as written; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq)]
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

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        let label = if self.problem.is_warning() { "warning" } else { "error" };
        writeln!(f, ": {label}: {}", self.problem)?;
        if let Some(text) = &self.source_line {
            let gutter = self.line.to_string().len();
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", self.line, text)?;
            let pad = " ".repeat(self.col.saturating_sub(1));
            writeln!(f, "{:gutter$} | {pad}{}", "", "^".repeat(self.len.max(1)))?;
        }
        if let Some(hint) = self.problem.hint() {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem found in a run, in file and line order once sorted.
#[derive(Debug, Default, Clone)]
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

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
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
