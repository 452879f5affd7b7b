//! The fields the editor's form shows for one article, read from its file
//! and written back into it. Only what changed is written, each key in place
//! (its comment kept), so a file saved without changes keeps its bytes and
//! hand edits and the form can alternate.

use super::figures::{self, figures_yaml, Cells, Reading};
use crate::content::front_matter::Parsed;
use crate::diagnostics::Problem;
use crate::scaffold::{yaml_list, yaml_quoted};
use crate::vietnamese::nfc;

/// What the form edits; every other key of the front matter is kept as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Fields {
    pub title: String,
    pub date: String,
    pub organ: String,
    /// `meeting:`'s keys.
    pub kind: String,
    pub extended: bool,
    pub period: String,
    pub location: String,
    pub chair: Vec<String>,
    pub attendees: Vec<String>,
    pub authors: Vec<String>,
    pub source: String,
    pub tags: Vec<String>,
    pub summary: String,
    /// The cover image's file name.
    pub image: String,
    pub draft: bool,
    pub figures: Vec<Reading>,
    pub body: String,
}

impl Fields {
    /// The fields read from a pasted text, each one it leaves empty (tags,
    /// cover, authors…) kept as the article has it, and the article's draft
    /// state: "Dán bài" on an article's form never clears a field.
    pub fn or_kept(mut self, kept: Fields) -> Fields {
        fn keep<T: Default + PartialEq>(pasted: &mut T, kept: T) {
            if *pasted == T::default() {
                *pasted = kept;
            }
        }
        // Every field named: a new one cannot be forgotten here.
        let Fields {
            title,
            date,
            organ,
            kind,
            extended,
            period,
            location,
            chair,
            attendees,
            authors,
            source,
            tags,
            summary,
            image,
            draft,
            figures,
            body,
        } = kept;
        keep(&mut self.title, title);
        keep(&mut self.date, date);
        keep(&mut self.organ, organ);
        keep(&mut self.kind, kind);
        keep(&mut self.extended, extended);
        keep(&mut self.period, period);
        keep(&mut self.location, location);
        keep(&mut self.chair, chair);
        keep(&mut self.attendees, attendees);
        keep(&mut self.authors, authors);
        keep(&mut self.source, source);
        keep(&mut self.tags, tags);
        keep(&mut self.summary, summary);
        keep(&mut self.image, image);
        keep(&mut self.figures, figures);
        keep(&mut self.body, body);
        Fields { draft, ..self }
    }

    /// The values as the parsed front matter holds them.
    pub fn of(parsed: &Parsed) -> Fields {
        let raw = &parsed.raw;
        let meeting = raw.meeting.as_ref();
        let text = |value: Option<&String>| value.cloned().unwrap_or_default();
        Fields {
            title: raw.title.clone().unwrap_or_default(),
            date: raw.date.clone().unwrap_or_default(),
            organ: raw.organ.clone().unwrap_or_default(),
            kind: text(meeting.and_then(|m| m.kind.as_ref())),
            extended: meeting.and_then(|m| m.extended).unwrap_or(false),
            period: text(meeting.and_then(|m| m.period.as_ref())),
            location: text(meeting.and_then(|m| m.location.as_ref())),
            chair: raw.chair.clone().unwrap_or_default(),
            attendees: raw.attendees.clone().unwrap_or_default(),
            authors: raw.authors.clone().unwrap_or_default(),
            source: text(raw.source.as_ref()),
            tags: raw.tags.clone().unwrap_or_default(),
            summary: raw.summary.clone().unwrap_or_default(),
            image: text(raw.image.as_ref()),
            draft: raw.draft.unwrap_or(false),
            figures: raw.indicators.iter().flatten().map(Reading::of).collect(),
            body: parsed.body.clone(),
        }
    }

    /// The values a browser sent (`application/x-www-form-urlencoded`
    /// pairs), as NFC text with `\n` line ends like a file read; a figure's
    /// cell that is not a number is named (`f2-value`) with its problem.
    pub fn submitted(pairs: &[(String, String)]) -> (Fields, Vec<(String, Problem)>) {
        let one = |key: &str| typed(pairs, key);
        let list =
            |key: &str| one(key).split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        let mut wrong = Vec::new();
        let figures = Cells::submitted(pairs)
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.reading(i, &mut wrong))
            .collect();
        let fields = Fields {
            title: one("title").trim().to_string(),
            date: one("date").trim().to_string(),
            organ: one("organ").trim().to_string(),
            kind: one("kind").trim().to_string(),
            extended: pairs.iter().any(|(k, _)| k == "extended"),
            period: one("period").trim().to_string(),
            location: one("location").trim().to_string(),
            chair: list("chair"),
            attendees: list("attendees"),
            authors: list("authors"),
            source: one("source").trim().to_string(),
            tags: list("tags"),
            summary: one("summary").trim().to_string(),
            image: one("image").trim().to_string(),
            draft: pairs.iter().any(|(k, _)| k == "draft"),
            figures,
            body: one("body"),
        };
        (fields, wrong)
    }
}

/// The text a browser sent for `key`, NFC with `\n` line ends.
pub(super) fn typed(pairs: &[(String, String)], key: &str) -> String {
    let value = pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("");
    nfc(&value.replace("\r\n", "\n")).into_owned()
}

/// `text` (a whole article, NFC) with the keys whose value differs between
/// `old` and `new` written again and the body replaced if it changed.
pub fn rewrite(text: &str, old: &Fields, new: &Fields) -> String {
    let (yaml, _) = split(text);
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    let mut set = |key: &str, value: Option<String>| set_key(&mut lines, key, value);
    if old.title != new.title {
        set("title", Some(format!(" {}", scalar(&new.title))));
    }
    if old.date != new.date {
        set("date", (!new.date.is_empty()).then(|| format!(" {}", scalar(&new.date))));
    }
    if old.organ != new.organ {
        set("organ", (!new.organ.is_empty()).then(|| format!(" {}", scalar(&new.organ))));
    }
    let plain = |value: &str| (!value.is_empty()).then(|| format!(" {}", scalar(value)));
    for (key, old, new) in [
        ("chair", &old.chair, &new.chair),
        ("attendees", &old.attendees, &new.attendees),
        ("authors", &old.authors, &new.authors),
        ("tags", &old.tags, &new.tags),
    ] {
        if old != new {
            set(key, Some(format!(" {}", yaml_list(new))));
        }
    }
    if old.source != new.source {
        set("source", plain(&new.source));
    }
    if old.image != new.image {
        set("image", plain(&new.image));
    }
    if old.summary != new.summary {
        set("summary", (!new.summary.is_empty()).then(|| format!(" {}", yaml_quoted(&new.summary))));
    }
    if old.draft != new.draft {
        set("draft", Some(format!(" {}", new.draft)));
    }
    let meeting = [
        ("kind", old.kind != new.kind, plain(&new.kind)),
        ("extended", old.extended != new.extended, Some(format!(" {}", new.extended))),
        ("period", old.period != new.period, plain(&new.period)),
        ("location", old.location != new.location, plain(&new.location)),
    ];
    for (key, changed, value) in meeting {
        if changed {
            set_nested(&mut lines, "meeting", key, value);
        }
    }
    if old.figures != new.figures {
        let block = match new.figures.is_empty() {
            true => " []".to_string(),
            false => figures::keeping_comments(&lines, &old.figures, &new.figures)
                .unwrap_or_else(|| figures_yaml(&new.figures)),
        };
        set_key(&mut lines, "indicators", Some(block));
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

/// The keys the form edits, each beside its own field.
pub const KEYS: [&str; 13] = [
    "title",
    "date",
    "organ",
    "meeting",
    "chair",
    "attendees",
    "authors",
    "source",
    "tags",
    "summary",
    "image",
    "draft",
    "indicators",
];

/// The form's field whose key the 1-based file `line` of `text` is in
/// (a key's value may go on over the lines below it), or `body`.
pub fn key_at(text: &str, line: usize) -> Option<&'static str> {
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

/// The key a `# kiểm tra` note on file `line` of `text` is about: `import`
/// writes a figure's notes inside its entry, the others just above their
/// key (or above its commented-out line, `# image: …`).
pub fn note_key(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.get(line.checked_sub(1)?)?.starts_with([' ', '\t']) {
        return key_at(text, line).map(str::to_string);
    }
    for (i, next) in lines.iter().enumerate().skip(line) {
        let Some(comment) = next.strip_prefix("# ") else {
            return key_at(text, i + 1).map(str::to_string);
        };
        let key = comment.split_once(':').map_or("", |(key, _)| key);
        if !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Some(key.to_string());
        }
    }
    None
}

/// `text` without its 1-based lines in `drop`.
pub fn without_lines(text: &str, drop: &[usize]) -> String {
    let kept = text.split_inclusive('\n').enumerate().filter(|(i, _)| !drop.contains(&(i + 1)));
    kept.map(|(_, line)| line).collect()
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
/// was on one line), removes it for `None`, or adds it at the end. `value`
/// starts with the space or the line break that follows the colon.
fn set_key(lines: &mut Vec<String>, key: &str, value: Option<String>) {
    let prefix = format!("{key}:");
    let Some(at) = lines.iter().position(|l| l.starts_with(&prefix)) else {
        if let Some(value) = value {
            lines.push(format!("{key}:{value}"));
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
                Some(comment) if !value.starts_with('\n') => format!("{key}:{value} {comment}"),
                _ => format!("{key}:{value}"),
            };
            lines.splice(at..end, [line]);
        }
        None => {
            lines.drain(at..end);
        }
    }
}

/// Sets `key` of the mapping under the top-level `parent` (`meeting:`), as
/// `set_key` does at the top: in place with its comment, removed for
/// `None`, else added at the end of the mapping (made if missing).
fn set_nested(lines: &mut Vec<String>, parent: &str, key: &str, value: Option<String>) {
    let head = format!("{parent}:");
    let Some(at) = lines.iter().position(|l| l.starts_with(&head)) else {
        if let Some(value) = value {
            lines.push(head);
            lines.push(format!("  {key}:{value}"));
        }
        return;
    };
    let mut end = at + 1;
    while end < lines.len() && lines[end].starts_with([' ', '\t']) {
        end += 1;
    }
    let prefix = format!("  {key}:");
    let found = (at + 1..end).find(|&i| lines[i].starts_with(&prefix));
    match (found, value) {
        (Some(i), Some(value)) => {
            let line = match comment_of(lines[i].trim_start()) {
                Some(comment) => format!("  {key}:{value} {comment}"),
                None => format!("  {key}:{value}"),
            };
            lines[i] = line;
        }
        (Some(i), None) => {
            lines.remove(i);
        }
        // `meeting: {}` or `meeting:` alone: the new key goes below it.
        (None, Some(value)) => {
            if lines[at].trim_end() != head {
                lines[at] = head;
            }
            lines.insert(end, format!("  {key}:{value}"));
        }
        (None, None) => {}
    }
}

/// The `# …` ending a `key: value` line: the first ` #` before which the
/// line reads as the same value (a `#` inside quotes is not one).
pub(super) fn comment_of(line: &str) -> Option<String> {
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

    #[test]
    fn a_note_of_import_is_placed_beside_the_key_it_is_about() {
        let text = "---\ntitle: Họp\n# kiểm tra: ngày lấy từ dòng đầu\ndate: 2023-08-31\n# kiểm tra: ảnh chưa có\n# image: anh-1.jpg\nindicators:\n  - id: thu-ngan-sach\n    value: 65\n    # kiểm tra: \"65 tỷ\" có đúng không?\n---\nThân bài.\n";
        assert_eq!(note_key(text, 3).as_deref(), Some("date"));
        assert_eq!(note_key(text, 5).as_deref(), Some("image"));
        assert_eq!(note_key(text, 10).as_deref(), Some("indicators"));
        assert_eq!(without_lines(text, &[3, 10]).lines().count(), text.lines().count() - 2);
    }
}
