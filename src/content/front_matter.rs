//! The front matter as written: split from the body, parsed into raw serde
//! types shaped like the file (every field optional). `article.rs` resolves
//! them into an `Article`.

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Problem};
use crate::source::SourceFile;
use crate::yaml::{self, check_mapping, check_sequence, Checked, Issue, Places};

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub organ: Option<String>,
    pub meeting: Option<RawMeeting>,
    pub chair: Option<Vec<String>>,
    pub attendees: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub summary: Option<String>,
    pub tags: Option<Vec<String>>,
    pub image: Option<String>,
    pub draft: Option<bool>,
    pub slug: Option<String>,
    pub indicators: Option<Vec<RawReading>>,
    pub extra: Option<Value>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeeting {
    pub kind: Option<String>,
    pub extended: Option<bool>,
    pub period: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReading {
    pub id: Option<String>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub estimate: Option<bool>,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    pub area: Option<String>,
}

impl Checked for RawFrontMatter {
    fn check_nested(key: &str, value: &Value, path: &str, issues: &mut Vec<Issue>) -> bool {
        match (key, value) {
            ("meeting", Value::Mapping(map)) => {
                check_mapping::<RawMeeting>(map, path, issues);
                true
            }
            ("indicators", _) => check_sequence::<RawReading>(value, path, issues),
            _ => false,
        }
    }
}

impl Checked for RawMeeting {}

impl Checked for RawReading {}

/// An article's text split in two, with the positions of its keys.
pub struct Parsed {
    pub raw: RawFrontMatter,
    pub places: Places,
    /// File line of the YAML's first line.
    pub yaml_line: usize,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// Paths already reported as wrong: not reported again as missing.
    pub reported: Vec<String>,
    /// The `# kiểm tra` notes of `bantin import` still in the front matter.
    pub notes: Vec<Note>,
}

/// A note of `bantin import` (a YAML comment) and where it is in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub line: usize,
    pub col: usize,
    pub len: usize,
    /// What the note says, without its `# kiểm tra:`.
    pub text: String,
}

impl Note {
    /// The notes of a front matter whose first line is the file's `yaml_line`.
    fn scan(yaml: &str, yaml_line: usize) -> Vec<Note> {
        if !yaml.contains('#') {
            return Vec::new();
        }
        let prefixes = crate::messages::note_prefixes();
        let mut notes = Vec::new();
        for (i, line) in yaml.lines().enumerate() {
            let comment = line.trim_start();
            let Some(said) = comment.strip_prefix('#').map(str::trim_start) else {
                continue;
            };
            if let Some(text) = prefixes.iter().find_map(|p| said.strip_prefix(p.as_str())) {
                notes.push(Note {
                    line: yaml_line + i,
                    col: line.chars().count() - comment.chars().count() + 1,
                    len: comment.chars().count(),
                    text: text.trim().to_string(),
                });
            }
        }
        notes
    }
}

impl Parsed {
    /// A diagnostic at the key (or its value) of `path`, else at the opening `---`.
    pub fn at(&self, file: &SourceFile, path: &str, at_key: bool, problem: Problem) -> Diagnostic {
        self.places.diagnostic(file, self.yaml_line, (path, at_key), problem)
    }
}

/// Splits and parses the front matter, reporting every problem in it. With
/// problems in some keys, the others are still returned for further checks.
pub fn parse(file: &SourceFile) -> Result<(Parsed, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = file.text.as_str();
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(&file.path, Problem::EmptyFile)]);
    }
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Err(vec![file.diagnostic(1, 1, 1, Problem::NoFrontMatter)]);
    };
    let (yaml_text, body) = match find_close(after_open) {
        Some((end, body_start)) => (&after_open[..end], &after_open[body_start..]),
        None => return Err(vec![file.diagnostic(1, 1, 3, Problem::UnclosedFrontMatter)]),
    };
    let yaml_line = 2;
    let places = Places::scan(yaml_text);
    let notes = Note::scan(yaml_text, yaml_line);
    let parsed = |raw, reported| Parsed { raw, places, yaml_line, body: body.to_string(), reported, notes };
    if yaml_text.trim().is_empty() {
        return Ok((parsed(RawFrontMatter::default(), Vec::new()), Vec::new()));
    }
    let located = |raw: RawFrontMatter, mut issues: Vec<Issue>| {
        issues.extend(value_issues(&raw));
        let reported = issues.iter().map(|issue| issue.path.clone()).collect();
        let located = parsed(raw, reported);
        let diagnostics = issues
            .into_iter()
            .map(|issue| located.at(file, &issue.path, issue.at_key, issue.problem))
            .collect();
        (located, diagnostics)
    };
    let error = match serde_yaml::from_str::<RawFrontMatter>(yaml_text) {
        Ok(raw) => return Ok(located(raw, Vec::new())),
        Err(error) => error,
    };
    // The fast path failed: find every problem, not only serde's first.
    let at_error = |problem| {
        let (line, col) = yaml::location_of(&error).unwrap_or((1, 1));
        file.diagnostic(line + yaml_line - 1, col, 1, problem)
    };
    let mapping = match serde_yaml::from_str::<Value>(yaml_text) {
        Ok(Value::Mapping(mapping)) => mapping,
        Ok(_) => {
            let message = "the front matter must be `key: value` lines".to_string();
            return Err(vec![file.diagnostic(yaml_line, 1, 1, Problem::Yaml { message })]);
        }
        Err(syntax) => return Err(vec![yaml::syntax_error(file, yaml_line, &syntax)]),
    };
    let mut issues = Vec::new();
    check_mapping::<RawFrontMatter>(&mapping, "", &mut issues);
    if issues.is_empty() {
        return Err(vec![at_error(Problem::Yaml { message: yaml::message_of(&error) })]);
    }
    // Unknown keys were all reported; a path cannot name one with a `.` in it.
    let mut mapping = mapping;
    mapping.retain(|key, _| key.as_str().is_some_and(|key| yaml::keys::<RawFrontMatter>().contains(&key)));
    let mut rest = Value::Mapping(mapping);
    for issue in &issues {
        yaml::remove_path(&mut rest, &issue.path);
    }
    let raw = serde_yaml::from_value::<RawFrontMatter>(rest.clone()).or_else(|_| {
        // A nested key with a `.` in it: the whole field at fault goes, so
        // that the others (title, date…) are still read and not reported missing.
        if let Value::Mapping(map) = &mut rest {
            for issue in &issues {
                map.remove(issue.path.split(['.', '[']).next().unwrap_or_default());
            }
        }
        serde_yaml::from_value::<RawFrontMatter>(rest)
    });
    Ok(located(raw.unwrap_or_default(), issues))
}

/// Values that read well but no page can show: numbers out of range and
/// keys of `extra:` that are not text.
fn value_issues(raw: &RawFrontMatter) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, reading) in raw.indicators.iter().flatten().enumerate() {
        let numbers = [
            ("value", reading.value),
            ("yoy", reading.yoy),
            ("cumulative", reading.cumulative),
            ("plan", reading.plan),
        ];
        for (field, number) in numbers {
            yaml::check_number(number, &format!("indicators[{i}].{field}"), &mut issues);
        }
    }
    if let Some(extra) = &raw.extra {
        yaml::check_free(extra, "extra", &mut issues);
    }
    issues
}

/// The end of the YAML and the start of the body, after a line `---` or `...`.
pub(crate) fn find_close(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some((offset, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile::decode("a.md".into(), text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn the_keys_checked_are_the_serde_fields() {
        assert_eq!(yaml::keys::<RawMeeting>(), ["kind", "extended", "period", "location"]);
        assert_eq!(yaml::keys::<RawReading>().len(), 9);
        assert!(["title", "organ", "meeting", "indicators", "extra"]
            .iter()
            .all(|key| yaml::keys::<RawFrontMatter>().contains(key)));
    }

    #[test]
    fn every_problem_of_one_file_is_reported_at_its_line() {
        let file = source(
            "---\ntitle: A\norgen: B\nmeeting:\n  kindd: x\nindicators:\n  - id: a\n    value: 351,05\ndraft: maybe\n---\nbody\n",
        );
        let (_, errors) = parse(&file).ok().unwrap();
        let lines: Vec<(usize, usize)> = errors.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(lines, [(3, 1), (5, 3), (8, 12), (9, 8)]);
        assert!(
            matches!(&errors[0].problem, Problem::UnknownKey { suggestion: Some(s), .. } if s == "organ")
        );
    }

    #[test]
    fn keys_with_a_dot_are_reported_without_hiding_the_other_fields() {
        let file = source("---\ntitle: Họp\nghi.chu: x\nmeeting:\n  a.b: 1\n---\nbody\n");
        let (parsed, errors) = parse(&file).ok().unwrap();
        assert_eq!(parsed.raw.title.as_deref(), Some("Họp"));
        let keys: Vec<&Problem> = errors.iter().map(|d| &d.problem).collect();
        assert!(matches!(keys[..], [Problem::UnknownKey { .. }, Problem::UnknownKey { .. }]), "{keys:?}");
    }

    #[test]
    fn body_follows_the_closing_line() {
        let (parsed, _) = parse(&source("---\ntitle: A\n---\nXin chào\n")).ok().unwrap();
        assert_eq!(parsed.body, "Xin chào\n");
        assert_eq!(parsed.raw.title.as_deref(), Some("A"));
    }
}
