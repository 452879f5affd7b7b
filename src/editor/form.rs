//! The fields the editor's form shows for one article, read from its file
//! and written back into it. Only what changed is written, each key in place
//! (its comment kept), so a file saved without changes keeps its bytes and
//! hand edits and the form can alternate.

use crate::content::front_matter::{Parsed, RawReading};
use crate::scaffold::{yaml_list, yaml_quoted};
use crate::vietnamese::nfc;

/// What the form edits; every other key of the front matter is kept as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fields {
    pub title: String,
    pub date: String,
    pub organ: String,
    pub tags: Vec<String>,
    pub summary: String,
    pub draft: bool,
    pub body: String,
}

impl Fields {
    /// The values as the parsed front matter holds them.
    pub fn of(parsed: &Parsed) -> Fields {
        let raw = &parsed.raw;
        Fields {
            title: raw.title.clone().unwrap_or_default(),
            date: raw.date.clone().unwrap_or_default(),
            organ: raw.organ.clone().unwrap_or_default(),
            tags: raw.tags.clone().unwrap_or_default(),
            summary: raw.summary.clone().unwrap_or_default(),
            draft: raw.draft.unwrap_or(false),
            body: parsed.body.clone(),
        }
    }

    /// The values a browser sent (`application/x-www-form-urlencoded`
    /// pairs), as NFC text with `\n` line ends like a file read.
    pub fn submitted(pairs: &[(String, String)]) -> Fields {
        let one = |key: &str| {
            let value = pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
            nfc(&value.replace("\r\n", "\n")).into_owned()
        };
        let tags = one("tags").split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        Fields {
            title: one("title").trim().to_string(),
            date: one("date").trim().to_string(),
            organ: one("organ").trim().to_string(),
            tags,
            summary: one("summary").trim().to_string(),
            draft: pairs.iter().any(|(k, _)| k == "draft"),
            body: one("body"),
        }
    }

    /// The figures, read-only in this form: their keys as written.
    pub fn readings(parsed: &Parsed) -> Vec<Figure> {
        parsed.raw.indicators.iter().flatten().map(Figure::of).collect()
    }
}

/// One reported figure, as the form shows it.
#[derive(Debug, serde::Serialize)]
pub struct Figure {
    id: String,
    value: Option<f64>,
    unit: Option<String>,
    period: Option<String>,
    estimate: bool,
    yoy: Option<f64>,
    cumulative: Option<f64>,
    plan: Option<f64>,
}

impl Figure {
    fn of(raw: &RawReading) -> Figure {
        Figure {
            id: raw.id.clone().unwrap_or_default(),
            value: raw.value,
            unit: raw.unit.clone(),
            period: raw.period.clone(),
            estimate: raw.estimate.unwrap_or(false),
            yoy: raw.yoy,
            cumulative: raw.cumulative,
            plan: raw.plan,
        }
    }
}

/// `text` (a whole article, NFC) with the keys whose value differs between
/// `old` and `new` written again and the body replaced if it changed.
pub fn rewrite(text: &str, old: &Fields, new: &Fields) -> String {
    let (yaml, _) = split(text);
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    let mut set = |key: &str, value: Option<String>| set_key(&mut lines, key, value);
    if old.title != new.title {
        set("title", Some(scalar(&new.title)));
    }
    if old.date != new.date {
        set("date", (!new.date.is_empty()).then(|| scalar(&new.date)));
    }
    if old.organ != new.organ {
        set("organ", (!new.organ.is_empty()).then(|| scalar(&new.organ)));
    }
    if old.tags != new.tags {
        set("tags", Some(yaml_list(&new.tags)));
    }
    if old.summary != new.summary {
        set("summary", (!new.summary.is_empty()).then(|| yaml_quoted(&new.summary)));
    }
    if old.draft != new.draft {
        set("draft", Some(new.draft.to_string()));
    }
    let body = if old.body == new.body { split(text).1.to_string() } else { new.body.clone() };
    let mut out = String::from("---\n");
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(&body);
    out
}

/// The YAML between the `---` lines and the body after them, split where
/// the front matter's parser splits.
fn split(text: &str) -> (&str, &str) {
    let after = text.strip_prefix("---\n").unwrap_or(text);
    match crate::content::front_matter::find_close(after) {
        Some((end, body)) => (&after[..end], &after[body..]),
        None => (after, ""),
    }
}

/// The form's field whose key the 1-based file `line` of `text` is in
/// (a key's value may go on over the lines below it), or `body`.
pub fn key_at(text: &str, line: usize) -> Option<&'static str> {
    const KEYS: [&str; 6] = ["title", "date", "organ", "tags", "summary", "draft"];
    let (yaml, _) = split(text);
    let yaml_lines = yaml.lines().count();
    match line {
        0 | 1 => None,
        line if line > yaml_lines + 2 => Some("body"),
        line if line == yaml_lines + 2 => None,
        line => {
            let lines: Vec<&str> = yaml.lines().take(line - 1).collect();
            let key = lines.iter().rev().find(|l| !l.starts_with([' ', '\t', '-', '#']) && !l.is_empty())?;
            KEYS.into_iter().find(|k| key.strip_prefix(k).is_some_and(|rest| rest.starts_with(':')))
        }
    }
}

/// Plain when YAML reads it back as this very string (`31/8/2023`,
/// `Ban Thường vụ`), else double-quoted (`2023`, `true`, `a: b`).
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.contains(" #")
        && serde_yaml::from_str::<serde_yaml::Value>(&format!("v: {text}"))
            .ok()
            .and_then(|v| v.get("v").and_then(|v| v.as_str().map(|s| s == text)))
            .unwrap_or(false);
    if plain {
        text.to_string()
    } else {
        yaml_quoted(text)
    }
}

/// Sets a top-level key in place (its trailing comment kept when its value
/// was on one line), removes it for `None`, or adds it at the end.
fn set_key(lines: &mut Vec<String>, key: &str, value: Option<String>) {
    let prefix = format!("{key}:");
    let Some(at) = lines.iter().position(|l| l.starts_with(&prefix)) else {
        if let Some(value) = value {
            lines.push(format!("{key}: {value}"));
        }
        return;
    };
    // A value on the lines below its key: indented, or a sequence's `- `.
    let mut end = at + 1;
    while end < lines.len() && (lines[end].starts_with([' ', '\t']) || lines[end].starts_with("- ")) {
        end += 1;
    }
    let comment = if end == at + 1 { comment_of(&lines[at]) } else { None };
    match value {
        Some(value) => {
            let line = match comment {
                Some(comment) => format!("{key}: {value} {comment}"),
                None => format!("{key}: {value}"),
            };
            lines.splice(at..end, [line]);
        }
        None => {
            lines.drain(at..end);
        }
    }
}

/// The `# …` ending a `key: value` line: the first ` #` before which the
/// line reads as the same value (a `#` inside quotes is not one).
fn comment_of(line: &str) -> Option<String> {
    let whole: serde_yaml::Value = serde_yaml::from_str(line).ok()?;
    line.match_indices(" #").find_map(|(i, _)| {
        let before: serde_yaml::Value = serde_yaml::from_str(&line[..i]).ok()?;
        (before == whole).then(|| line[i + 1..].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Fields {
        let file =
            crate::source::SourceFile::decode("content/a.md".into(), text.as_bytes().to_vec()).ok().unwrap();
        Fields::of(&crate::content::front_matter::parse(&file).ok().unwrap().0)
    }

    const ARTICLE: &str = "---\ntitle: Hội nghị Ban Thường vụ\ndate: 2023-08-31   # ngày họp\norgan: Ban Thường vụ Huyện ủy\ntags:\n  - nông thôn mới\n  - \"a # b\"\ndraft: true                  # đổi thành false để đăng\n---\n\nĐoạn đầu.\n";

    #[test]
    fn a_changed_title_and_draft_are_written_in_place_with_their_comments() {
        let old = fields(ARTICLE);
        let new = Fields { title: "Hội nghị mở rộng: tháng 8".into(), draft: false, ..old.clone() };
        let text = rewrite(ARTICLE, &old, &new);
        assert!(
            text.starts_with("---\ntitle: \"Hội nghị mở rộng: tháng 8\"\ndate: 2023-08-31   # ngày họp\n"),
            "{text}"
        );
        assert!(text.contains("\ndraft: false # đổi thành false để đăng\n---\n\nĐoạn đầu.\n"), "{text}");
        assert_eq!(fields(&text), new);
    }

    #[test]
    fn block_lists_are_replaced_whole_and_missing_keys_added() {
        let old = fields(ARTICLE);
        let new = Fields {
            tags: vec!["thu ngân sách".into(), "a # b".into()],
            summary: "Tóm tắt \"ngắn\".".into(),
            body: "Nội dung mới.\n".into(),
            ..old.clone()
        };
        let text = rewrite(ARTICLE, &old, &new);
        assert!(text.contains("tags: [thu ngân sách, \"a # b\"]\ndraft"), "{text}");
        assert!(text.ends_with("summary: \"Tóm tắt \\\"ngắn\\\".\"\n---\nNội dung mới.\n"), "{text}");
        assert_eq!(fields(&text), new);
    }

    #[test]
    fn dates_that_yaml_would_read_as_numbers_are_quoted() {
        assert_eq!(scalar("31/8/2023"), "31/8/2023");
        assert_eq!(scalar("2023-08-31 08:30"), "2023-08-31 08:30");
        assert_eq!(scalar("2023"), "\"2023\"");
        assert_eq!(scalar("true"), "\"true\"");
    }

    #[test]
    fn a_line_of_the_file_is_placed_in_the_field_whose_key_it_belongs_to() {
        assert_eq!(key_at(ARTICLE, 1), None);
        assert_eq!(key_at(ARTICLE, 2), Some("title"));
        assert_eq!(key_at(ARTICLE, 3), Some("date"));
        assert_eq!(key_at(ARTICLE, 7), Some("tags"), "a line of the list under `tags:`");
        assert_eq!(key_at(ARTICLE, 9), None, "the closing ---");
        assert_eq!(key_at(ARTICLE, 11), Some("body"));
    }
}
