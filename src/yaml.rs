//! YAML with positions. serde_yaml parses and stops at the first problem and
//! keeps no positions in its values; this module finds where every key is and
//! checks a mapping key by key, so that one run reports every problem.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use crate::diagnostics::{did_you_mean, Diagnostic, Problem};
use crate::limits::LARGEST_NUMBER;
use crate::source::SourceFile;

/// Where a key and its inline value stand: 1-based line (of the YAML text),
/// columns in characters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    pub line: usize,
    pub key_col: usize,
    pub key_len: usize,
    pub value_col: usize,
    pub value_len: usize,
}

/// The place of every block-style key, by path (`meeting.kind`, `indicators[2].plan`).
#[derive(Debug, Default)]
pub struct Places(HashMap<String, Place>);

struct Frame {
    indent: usize,
    path: String,
    is_item: bool,
    items: usize,
}

impl Places {
    pub fn scan(text: &str) -> Self {
        let mut places = HashMap::new();
        let mut stack: Vec<Frame> = vec![Frame { indent: 0, path: String::new(), is_item: false, items: 0 }];
        for (index, line) in text.lines().enumerate() {
            let trimmed = line.trim_start_matches(' ');
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
                continue;
            }
            let mut indent = line.chars().count() - trimmed.chars().count();
            let mut rest = trimmed;
            if rest == "-" || rest.starts_with("- ") {
                // A sequence item: owned by the key above it, even at the same indent.
                while stack.len() > 1 {
                    let top = stack.last().expect("stack has a root");
                    if top.indent > indent || (top.indent == indent && top.is_item) {
                        stack.pop();
                    } else {
                        break;
                    }
                }
                let parent = stack.last_mut().expect("stack has a root");
                let path = format!("{}[{}]", parent.path, parent.items);
                parent.items += 1;
                let place = Place {
                    line: index + 1,
                    key_col: indent + 1,
                    key_len: 1,
                    value_col: indent + 3,
                    value_len: rest.chars().count().saturating_sub(2),
                };
                places.insert(path.clone(), place);
                stack.push(Frame { indent, path, is_item: true, items: 0 });
                rest = rest.get(2..).unwrap_or("").trim_start_matches(' ');
                indent = line.chars().count() - rest.chars().count();
            }
            let Some((key, value)) = split_key(rest) else {
                continue;
            };
            // YAML's spellings of null are one key, named as `check_free` names it.
            let key = if matches!(key, "~" | "Null" | "NULL") { "null" } else { key };
            while stack.len() > 1 && stack.last().is_some_and(|top| top.indent >= indent) {
                stack.pop();
            }
            let parent = &stack.last().expect("stack has a root").path;
            let path = if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") };
            let key_len = rest.find(':').map_or(0, |i| rest[..i].chars().count());
            let value_trimmed = value.trim_start();
            let value_col = indent + key_len + 2 + (value.chars().count() - value_trimmed.chars().count());
            let place = Place {
                line: index + 1,
                key_col: indent + 1,
                key_len,
                value_col,
                value_len: value_trimmed.trim_end().chars().count(),
            };
            places.insert(path.clone(), place);
            stack.push(Frame { indent, path, is_item: false, items: 0 });
        }
        Places(places)
    }

    /// The place of `path`, or of its nearest enclosing key.
    pub fn find(&self, path: &str) -> Option<Place> {
        let mut path = path;
        loop {
            if let Some(place) = self.0.get(path) {
                return Some(*place);
            }
            path = &path[..path.rfind(['.', '['])?];
        }
    }
}

impl Places {
    /// A diagnostic at the key (or its inline value) of `path`, else at the
    /// first line; `first_line` is the file line of the YAML's first line.
    pub fn diagnostic(
        &self,
        file: &SourceFile,
        first_line: usize,
        (path, at_key): (&str, bool),
        problem: Problem,
    ) -> Diagnostic {
        match self.find(path) {
            Some(p) if at_key || p.value_len == 0 => {
                file.diagnostic(p.line + first_line - 1, p.key_col, p.key_len, problem)
            }
            Some(p) => file.diagnostic(p.line + first_line - 1, p.value_col, p.value_len, problem),
            None => file.diagnostic(first_line.saturating_sub(1).max(1), 1, 3, problem),
        }
    }
}

/// `key: value` → (key without quotes, value); None for other lines.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(": ").or_else(|| line.strip_suffix(':').map(|s| s.len()))?;
    let key = line[..colon].trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    if key.is_empty() || key.starts_with(['[', '{', '#']) {
        return None;
    }
    Some((key, line.get(colon + 1..).unwrap_or("")))
}

/// A problem found while checking a mapping, at a path.
#[derive(Debug)]
pub struct Issue {
    pub path: String,
    /// True when the problem is the key itself, false when it is its value.
    pub at_key: bool,
    pub problem: Problem,
}

/// A raw serde type whose keys are checked one by one; the keys it accepts
/// are its serde field names (`keys`).
pub trait Checked: DeserializeOwned {
    /// Checks a nested value whose type has its own keys; returns false when
    /// `key` holds no such value and is checked as a plain field.
    fn check_nested(_key: &str, _value: &Value, _path: &str, _issues: &mut Vec<Issue>) -> bool {
        false
    }
}

/// Checks every entry of `map` against `T`: unknown keys (with the nearest
/// known one) and values of the wrong type, all of them.
pub fn check_mapping<T: Checked>(map: &Mapping, path: &str, issues: &mut Vec<Issue>) {
    for (key, value) in map {
        let key_text = match key {
            Value::String(s) => s.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
        };
        let key_path = if path.is_empty() { key_text.clone() } else { format!("{path}.{key_text}") };
        if !keys::<T>().contains(&key_text.as_str()) {
            let suggestion = did_you_mean(&key_text, keys::<T>().iter().copied(), 1).pop();
            issues.push(Issue {
                path: key_path,
                at_key: true,
                problem: Problem::UnknownKey { key: key_text, suggestion },
            });
            continue;
        }
        if T::check_nested(&key_text, value, &key_path, issues) {
            continue;
        }
        let mut single = Mapping::new();
        single.insert(key.clone(), value.clone());
        if let Err(error) = serde_yaml::from_value::<T>(Value::Mapping(single)) {
            issues.push(Issue {
                path: key_path,
                at_key: false,
                problem: Problem::WrongType { field: key_text, message: message_of(&error) },
            });
        }
    }
}

/// Checks each mapping of a sequence against `T`; true when `value` is one.
pub fn check_sequence<T: Checked>(value: &Value, path: &str, issues: &mut Vec<Issue>) -> bool {
    let Value::Sequence(items) = value else {
        return false;
    };
    if !items.iter().all(Value::is_mapping) {
        return false;
    }
    for (i, item) in items.iter().enumerate() {
        if let Value::Mapping(map) = item {
            check_mapping::<T>(map, &format!("{path}[{i}]"), issues);
        }
    }
    true
}

/// A number a page can show: finite (not `.nan`, `.inf`) and below `LARGEST_NUMBER`.
pub fn is_showable(number: f64) -> bool {
    number.is_finite() && number.abs() < LARGEST_NUMBER
}

/// Checks a free value (`extra:`) that templates will see: every key is
/// text (numbers and `true`/`false` are read as their text; `~`, `null`,
/// lists and mappings are not keys) and every number can be shown.
pub fn check_free(value: &Value, path: &str, issues: &mut Vec<Issue>) {
    match value {
        Value::Mapping(map) => {
            for (key, value) in map {
                // On one line: `null`, `2023`, `["a","b"]`.
                let text = match key {
                    Value::String(s) => s.clone(),
                    other => serde_json::to_string(other).unwrap_or_else(|_| "?".into()),
                };
                let key_path = format!("{path}.{text}");
                match key {
                    Value::String(_) | Value::Bool(_) => {}
                    Value::Number(n) if n.as_f64().is_some_and(is_showable) => {}
                    _ => {
                        issues.push(Issue {
                            path: key_path,
                            at_key: true,
                            problem: Problem::UnusableKey { key: text },
                        });
                        continue;
                    }
                }
                check_free(value, &key_path, issues);
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                check_free(item, &format!("{path}[{i}]"), issues);
            }
        }
        Value::Number(n) => check_number(n.as_f64(), path, issues),
        Value::Tagged(tagged) => check_free(&tagged.value, path, issues),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

/// A number at `path` that no page can show is an issue at its value.
pub fn check_number(number: Option<f64>, path: &str, issues: &mut Vec<Issue>) {
    if let Some(number) = number.filter(|n| !is_showable(*n)) {
        // The name of the key, without the positions in lists after it.
        let mut key = path;
        while let Some(before) = key.strip_suffix(']').and_then(|k| k.rfind('[').map(|i| &k[..i])) {
            key = before;
        }
        let field = key.rsplit('.').next().unwrap_or(key).to_string();
        // As YAML writes it: `.nan`, `.inf`, `1e20`.
        let value = match number {
            n if n.is_nan() => ".nan".to_string(),
            n if n.is_infinite() => if n > 0.0 { ".inf" } else { "-.inf" }.to_string(),
            n => format!("{n:e}"),
        };
        issues.push(Issue {
            path: path.to_string(),
            at_key: false,
            problem: Problem::NumberOutOfRange { field, value },
        });
    }
}

/// Removes the entry at `path` (as `check_mapping` names it), so that what is
/// left can still be read and checked further.
pub fn remove_path(value: &mut Value, path: &str) {
    let (parent, last) = match path.rfind(['.', '[']) {
        Some(i) => (&path[..i], &path[i..]),
        None => ("", path),
    };
    let mut node = value;
    for segment in parent.split('.').filter(|s| !s.is_empty()) {
        let (key, indexes) = segment.split_once('[').unwrap_or((segment, ""));
        let Some(next) = node.get_mut(key) else {
            return;
        };
        node = next;
        for index in indexes.split('[').filter_map(|i| i.trim_end_matches(']').parse::<usize>().ok()) {
            let Some(next) = node.get_mut(index) else {
                return;
            };
            node = next;
        }
    }
    match (node, last.strip_prefix('.').unwrap_or(last)) {
        (Value::Mapping(map), key) if !key.starts_with('[') => {
            map.remove(key);
        }
        (Value::Sequence(items), index) => {
            if let Ok(i) = index.trim_matches(['[', ']']).parse::<usize>() {
                if i < items.len() {
                    items[i] = Value::Null;
                }
            }
        }
        _ => {}
    }
}

/// serde_yaml's message without its " at line … column …" positions, which
/// count lines of the YAML rather than of the file; the diagnostic has those.
pub fn message_of(error: &serde_yaml::Error) -> String {
    let mut text = error.to_string();
    while let Some(start) = text.find(" at line ") {
        let rest = &text[start + 9..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let after_line = digits(rest);
        let Some(col_part) = rest[after_line..].strip_prefix(" column ") else {
            break;
        };
        let end = start + 9 + after_line + 8 + digits(col_part);
        text.replace_range(start..end, "");
    }
    text
}

/// A YAML syntax error as a diagnostic at its place in `file`, whose YAML
/// starts at line `first_line`. Text after a quoted value's closing quote
/// (`title: "Hội nghị tháng 8" (sửa)`), which the parser reports as a
/// missing key, is named as what it is, at that text.
pub fn syntax_error(file: &SourceFile, first_line: usize, error: &serde_yaml::Error) -> Diagnostic {
    let (line, col) = location_of(error).unwrap_or((1, 1));
    let line = line + first_line - 1;
    let written = file.text.lines().nth(line - 1).unwrap_or("");
    match after_closing_quote(written) {
        Some(rest) => {
            // `rest` is a slice of `written`: its column is what comes before it.
            let at = rest.as_ptr() as usize - written.as_ptr() as usize;
            let col = written[..at].chars().count() + 1;
            file.diagnostic(
                line,
                col,
                rest.chars().count(),
                Problem::TextAfterQuote { rest: rest.to_string() },
            )
        }
        None => file.diagnostic(line, col, 1, Problem::Yaml { message: message_of(error) }),
    }
}

/// What follows the closing quote of a line's quoted value (`key: "…"` or
/// `- '…'`), spaces around it left out, when it is more than a comment.
fn after_closing_quote(line: &str) -> Option<&str> {
    let item = line.trim_start();
    let item = item.strip_prefix("- ").unwrap_or(item);
    let value = item.split_once(": ").map_or(item, |(_, value)| value).trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut chars = value.char_indices().skip(1).peekable();
    let end = loop {
        match chars.next()? {
            // `\"` inside double quotes, `''` inside single ones.
            (_, '\\') if quote == '"' => {
                chars.next();
            }
            (_, c) if c == quote && quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            (i, c) if c == quote => break i + 1,
            _ => {}
        }
    };
    let rest = value[end..].trim();
    (!rest.is_empty() && !rest.starts_with('#')).then_some(rest)
}

/// The 1-based line and column serde_yaml gives for an error, if any.
pub fn location_of(error: &serde_yaml::Error) -> Option<(usize, usize)> {
    error.location().map(|l| (l.line(), l.column()))
}

/// The keys a serde struct accepts, as its derived `Deserialize` names them
/// (renames applied), so no list copies the fields: asked to deserialize
/// itself, the struct hands its field names to `deserialize_struct`.
pub fn keys<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only notes the field names of the struct asked for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("only the field names were wanted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_after_a_closing_quote_are_found_and_quotes_inside_are_not_an_end() {
        let after = after_closing_quote;
        assert_eq!(after(r#"title: "Hội nghị tháng 8" (sửa)"#), Some("(sửa)"));
        assert_eq!(after("  - 'Đảng ủy xã' Gia Phố"), Some("Gia Phố"));
        assert_eq!(after(r#"title: "Hội nghị \"Dân vận khéo\"" năm 2023"#), Some("năm 2023"));
        assert_eq!(after("title: 'Hội nghị ''Dân vận khéo''' năm 2023"), Some("năm 2023"));
        for fine in [
            r#"title: "Hội nghị tháng 8""#,
            r#"title: "Hội nghị tháng 8"   # ghi chú"#,
            r#"title: Hội nghị "tháng 8" (sửa)"#,
            r#"title: "chưa đóng"#,
            r#"tags: ["a" b]"#,
            "",
        ] {
            assert_eq!(after(fine), None, "{fine}");
        }
    }

    const DOC: &str = "title: Hội nghị\nmeeting:\n  kind: định kỳ\nindicators:\n- id: thu-ngan-sach\n  value: 65\n- id: x\n  plann: 3\ntags: [a, b]\n";

    #[test]
    fn places_are_found_for_nested_keys_and_items() {
        let places = Places::scan(DOC);
        assert_eq!(places.find("meeting.kind").unwrap().line, 3);
        assert_eq!(places.find("indicators[1].plann").unwrap().line, 8);
        assert_eq!(places.find("indicators[1].plann").unwrap().key_col, 3);
        assert_eq!(places.find("indicators[0]").unwrap().line, 5);
        let title = places.find("title").unwrap();
        assert_eq!((title.value_col, title.value_len), (8, 8));
        assert_eq!(places.find("tags[1]").unwrap().line, 9);
    }

    #[test]
    fn numbers_no_page_can_show_are_named_by_their_key() {
        let value: Value = serde_yaml::from_str("2023: .nan\nlist: [[1, -.inf]]\nok: 1e14\n").unwrap();
        let mut issues = Vec::new();
        check_free(&value, "extra", &mut issues);
        let found: Vec<(&str, &Problem)> = issues.iter().map(|i| (i.path.as_str(), &i.problem)).collect();
        let problem =
            |field: &str, value: &str| Problem::NumberOutOfRange { field: field.into(), value: value.into() };
        assert_eq!(
            found,
            [("extra.2023", &problem("2023", ".nan")), ("extra.list[0][1]", &problem("list", "-.inf"))]
        );
    }

    #[test]
    fn removing_a_nested_entry_keeps_its_siblings() {
        let mut value: Value = serde_yaml::from_str(DOC).unwrap();
        remove_path(&mut value, "indicators[1].plann");
        remove_path(&mut value, "meeting.kind");
        assert_eq!(value["indicators"][1]["id"], Value::from("x"));
        assert!(value["indicators"][1].get("plann").is_none());
        assert!(value["meeting"].get("kind").is_none());
        assert_eq!(value["title"], Value::from("Hội nghị"));
    }
}

/// A YAML value kept as YAML text (`#[serde(with)]`): the build cache is
/// JSON, which has no tags and only text keys, and `extra:` may hold both.
pub mod as_text {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use serde_yaml::Value;

    pub fn serialize<S: Serializer>(value: &Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&serde_yaml::to_string(value).map_err(serde::ser::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        serde_yaml::from_str(&String::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}
