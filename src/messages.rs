//! The message catalogue: every sentence a person reads, in Vietnamese
//! (`locales/vi/bantin.ftl`, the default) and English (`locales/en/bantin.ftl`),
//! in Project Fluent's format. Rust code names a message by its id and hands
//! over the values; the catalogue holds the words. A `Messages` is a value
//! that `main` makes and lends to whoever words something (no globals).

use std::borrow::Cow;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::vietnamese::number::format_number;

/// The catalogues, embedded: (language code, Fluent source).
pub const CATALOGUES: [(&str, &str); 2] =
    [("vi", include_str!("../locales/vi/bantin.ftl")), ("en", include_str!("../locales/en/bantin.ftl"))];

/// The languages bantin speaks; Vietnamese unless asked otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// `vi` or `en` (as given to `--lang` or `BANTIN_LANG`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// One value a message names.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// Formatted the language's way (`351,05` and `1.234` in Vietnamese).
    Number(f64),
    /// A field of a file, shown with its meaning: "mục `organ` (cơ quan)".
    Field(String),
    /// Choices, each quoted: "`a`, `b` hoặc `c`".
    Choices(Vec<String>),
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&String> for Value {
    fn from(text: &String) -> Value {
        Value::Text(text.clone())
    }
}

impl From<&Path> for Value {
    fn from(path: &Path) -> Value {
        Value::Text(path.display().to_string())
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Number(n as f64)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

/// A message of the catalogue with its values, not yet worded: what the
/// library hands to whoever prints.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub id: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

impl Text {
    pub fn new(id: &'static str) -> Text {
        Text { id, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<Value>) -> Text {
        self.args.push((name, value.into()));
        self
    }
}

/// The catalogue of one language, loaded.
pub struct Messages {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Messages({})", self.lang.code())
    }
}

impl Messages {
    /// Loads the embedded catalogue of `lang`. The catalogues are checked by
    /// the tests, so a broken one is a bug.
    pub fn new(lang: Lang) -> Messages {
        let (code, source) =
            CATALOGUES.iter().find(|(code, _)| *code == lang.code()).expect("both catalogues");
        let resource = FluentResource::try_new(source.to_string()).expect("the catalogue parses");
        let id = code.parse().expect("vi and en are language tags");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Isolation marks (U+2068/U+2069) around values show as garbage in terminals.
        bundle.set_use_isolating(false);
        match lang {
            Lang::Vi => bundle.set_formatter(Some(|value, _| number(value).map(|n| format_number(n, None)))),
            Lang::En => bundle.set_formatter(Some(|value, _| number(value).map(english_number))),
        }
        bundle.add_resource(resource).expect("message ids are unique");
        Messages { lang, bundle }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` worded with `args`.
    pub fn get(&self, id: &str, args: &[(&str, Value)]) -> String {
        self.format(id, None, args)
    }

    /// A `Text` worded.
    pub fn text(&self, text: &Text) -> String {
        self.get(text.id, &text.args)
    }

    /// The attribute `.name` of message `id` (the short help of a flag, say).
    pub fn attribute(&self, id: &str, name: &str, args: &[(&str, Value)]) -> String {
        self.format(id, Some(name), args)
    }

    /// Whether the catalogue has message `id`.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    fn format(&self, id: &str, attribute: Option<&str>, args: &[(&str, Value)]) -> String {
        let message =
            self.bundle.get_message(id).unwrap_or_else(|| panic!("no message `{id}` in the catalogue"));
        let pattern = match attribute {
            Some(name) => message.get_attribute(name).map(|a| a.value()),
            None => message.value(),
        };
        let pattern = pattern.unwrap_or_else(|| panic!("message `{id}` has no {attribute:?}"));
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, self.fluent_value(value));
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        debug_assert!(errors.is_empty(), "message `{id}`: {errors:?}");
        text.into_owned()
    }

    fn fluent_value(&self, value: &Value) -> FluentValue<'static> {
        match value {
            Value::Text(text) => FluentValue::String(Cow::Owned(text.clone())),
            Value::Number(n) => FluentValue::from(*n),
            Value::Field(field) => {
                // `indicators[0].value` is shown as `value`, with its meaning where
                // the catalogue has one that says more than the name.
                let name = field.rsplit(['.', ']']).next().unwrap_or(field);
                let id = format!("field-{name}");
                let meaning = Some(&id).filter(|id| self.has(id)).map(|id| self.get(id, &[]));
                let text = match meaning.filter(|meaning| meaning != name) {
                    Some(meaning) => {
                        self.get("field-named", &[("field", name.into()), ("meaning", meaning.into())])
                    }
                    None => self.get("field-bare", &[("field", name.into())]),
                };
                FluentValue::String(Cow::Owned(text))
            }
            Value::Choices(items) => {
                let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
                let text = match quoted.as_slice() {
                    [] => String::new(),
                    [one] => one.clone(),
                    [first @ .., last] => {
                        self.get("choices", &[("first", first.join(", ").into()), ("last", last.into())])
                    }
                };
                FluentValue::String(Cow::Owned(text))
            }
        }
    }
}

fn number(value: &FluentValue) -> Option<f64> {
    match value {
        FluentValue::Number(n) => Some(n.value),
        _ => None,
    }
}

/// `1,234.5`: the Vietnamese form with the two separators swapped.
fn english_number(value: f64) -> String {
    format_number(value, None)
        .chars()
        .map(|c| {
            if c == '.' {
                ','
            } else if c == ',' {
                '.'
            } else {
                c
            }
        })
        .collect()
}

/// The words a note starts with in each language of the catalogue
/// (`kiểm tra:`, `to check:`): the text of `import-check` before its value.
pub fn note_prefixes() -> Vec<String> {
    CATALOGUES
        .iter()
        .filter_map(|(_, source)| {
            let line = source.lines().find_map(|l| l.strip_prefix("import-check ="))?;
            Some(line.split('{').next()?.trim().to_string()).filter(|p| !p.is_empty())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_are_written_the_way_of_each_language() {
        let args = [
            ("pages", Value::from(1234usize)),
            ("articles", 31usize.into()),
            ("files", 1300usize.into()),
            ("seconds", 0.6.into()),
        ];
        let vi = Messages::new(Lang::Vi).get("site-built", &args);
        let en = Messages::new(Lang::En).get("site-built", &args);
        assert_eq!(vi, "Đã tạo 1.234 trang từ 31 bài viết, kèm 1.300 tệp ảnh và tài liệu, trong 0,6 giây");
        assert_eq!(en, "Built 1,234 pages from 31 articles, with 1,300 images and documents, in 0.6 s");
        assert!(!vi.contains('\u{2068}'), "no isolation marks: {vi:?}");
    }

    #[test]
    fn a_field_is_named_with_its_meaning() {
        let vi = Messages::new(Lang::Vi);
        let text = vi.get("missing-field", &[("field", Value::Field("organ".into()))]);
        assert!(text.contains("mục `organ` (cơ quan)"), "{text}");
        let nested = vi.get("missing-field", &[("field", Value::Field("indicators[2].value".into()))]);
        assert!(nested.contains("mục `value` (giá trị)"), "{nested}");
    }
}
