//! The figures of the form (`indicators:`): each reading as the form edits
//! it, the table's cells typed the Vietnamese way (`351,05`), and the
//! block written back into the file.

use super::form::typed;
use crate::content::front_matter::{RawFrontMatter, RawReading};
use crate::diagnostics::Problem;
use crate::vietnamese::number::format_number;

/// Empty rows of figures a form posts without JavaScript (which adds more).
pub const EMPTY_ROWS: usize = 3;

/// One reported figure (an entry of `indicators:`), as the form edits it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reading {
    pub id: String,
    pub value: Option<f64>,
    /// As written in the file: the form shows the catalogue's unit, never types one.
    pub unit: Option<String>,
    pub period: String,
    pub estimate: bool,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    pub area: String,
}

impl Reading {
    pub(super) fn of(raw: &RawReading) -> Reading {
        Reading {
            id: raw.id.clone().unwrap_or_default(),
            value: raw.value,
            unit: raw.unit.clone(),
            period: raw.period.clone().unwrap_or_default(),
            estimate: raw.estimate.unwrap_or(false),
            yoy: raw.yoy,
            cumulative: raw.cumulative,
            plan: raw.plan,
            area: raw.area.clone().unwrap_or_default(),
        }
    }

    /// As the front matter holds it.
    fn raw(&self) -> RawReading {
        let text = |t: &str| (!t.is_empty()).then(|| t.to_string());
        RawReading {
            id: text(&self.id),
            value: self.value,
            unit: self.unit.clone(),
            period: text(&self.period),
            estimate: self.estimate.then_some(true),
            yoy: self.yoy,
            cumulative: self.cumulative,
            plan: self.plan,
            area: text(&self.area),
        }
    }
}

/// The value of `indicators:` for `figures`, from the one front-matter
/// writer (`scaffold::front_matter`): the lines below the key.
pub(super) fn figures_yaml(figures: &[Reading]) -> String {
    let fields =
        RawFrontMatter { indicators: Some(figures.iter().map(Reading::raw).collect()), ..Default::default() };
    let written = crate::scaffold::front_matter(&fields, |_| Default::default());
    let lines = written.strip_prefix("---\nindicators:").and_then(|w| w.strip_suffix("\n---\n"));
    lines.unwrap_or_default().to_string()
}

/// One row of the figures' table as typed: numbers the Vietnamese way.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Cells {
    pub id: String,
    pub value: String,
    pub unit: String,
    pub period: String,
    pub estimate: bool,
    pub yoy: String,
    pub cumulative: String,
    pub plan: String,
    pub area: String,
}

impl Cells {
    /// The rows a form shows for `figures`, then the empty ones to fill.
    pub fn of(figures: &[Reading]) -> Vec<Cells> {
        let shown = |n: Option<f64>| n.map(typed_number).unwrap_or_default();
        let rows = figures.iter().map(|r| Cells {
            id: r.id.clone(),
            value: shown(r.value),
            unit: r.unit.clone().unwrap_or_default(),
            period: r.period.clone(),
            estimate: r.estimate,
            yoy: shown(r.yoy),
            cumulative: shown(r.cumulative),
            plan: shown(r.plan),
            area: r.area.clone(),
        });
        rows.chain(std::iter::repeat_n(Cells::default(), EMPTY_ROWS)).collect()
    }

    /// The rows as posted: `f0-id`, `f0-value`… up to the first index missing.
    pub fn submitted(pairs: &[(String, String)]) -> Vec<Cells> {
        let mut rows = Vec::new();
        for i in 0.. {
            let key = |name: &str| format!("f{i}-{name}");
            if !pairs.iter().any(|(k, _)| *k == key("id")) {
                break;
            }
            let cell = |name: &str| typed(pairs, &key(name)).trim().to_string();
            rows.push(Cells {
                id: cell("id"),
                value: cell("value"),
                unit: cell("unit"),
                period: cell("period"),
                estimate: pairs.iter().any(|(k, _)| *k == key("estimate")),
                yoy: cell("yoy"),
                cumulative: cell("cumulative"),
                plan: cell("plan"),
                area: cell("area"),
            });
        }
        rows
    }

    /// The reading of row `i`; None for a row left empty. A cell that is not
    /// a number is pushed on `wrong` under its input's name.
    pub(super) fn reading(&self, i: usize, wrong: &mut Vec<(String, Problem)>) -> Option<Reading> {
        let cells = [
            ("value", &self.value),
            ("yoy", &self.yoy),
            ("cumulative", &self.cumulative),
            ("plan", &self.plan),
        ];
        if self.id.is_empty() && self.period.is_empty() && cells.iter().all(|(_, text)| text.is_empty()) {
            return None;
        }
        let [value, yoy, cumulative, plan] = cells.map(|(name, text)| {
            parse_typed(text).unwrap_or_else(|problem| {
                wrong.push((format!("f{i}-{name}"), problem));
                None
            })
        });
        Some(Reading {
            id: self.id.clone(),
            value,
            unit: (!self.unit.is_empty()).then(|| self.unit.clone()),
            period: self.period.clone(),
            estimate: self.estimate,
            yoy,
            cumulative,
            plan,
            area: self.area.clone(),
        })
    }
}

/// A number shown for typing, with every decimal it has: `351,05`, `1.234,5`.
fn typed_number(value: f64) -> String {
    let decimals = value.to_string().split_once('.').map_or(0, |(_, fraction)| fraction.len());
    format_number(value, Some(decimals))
}

/// A number typed the Vietnamese way (`351,05`, `1.234,5`, `-3,2`, `19,2%`);
/// None for an empty cell.
pub fn parse_typed(text: &str) -> Result<Option<f64>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (sign, digits) = match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (-1.0, rest.trim_start()),
        None => (1.0, text),
    };
    match crate::import::figures::parse_number(digits.trim_end_matches('%').trim_end()) {
        Some((number, _)) => Ok(Some(sign * number)),
        None => Err(Problem::TypedNumber { text: text.to_string() }),
    }
}

/// The value of `indicators:` for `new`, written over the front matter's
/// `lines` whose block holds `old` one entry a reading (a `  - ` line, then
/// `    ` lines): the key's own line and every entry that did not change keep
/// their text; in one that did, a key keeps the comment ending its line and
/// the comment lines below it (those of a key gone move to the entry's
/// end); readings added go at the end. None when the block is laid out
/// otherwise: then it is written whole.
pub(super) fn keeping_comments(lines: &[String], old: &[Reading], new: &[Reading]) -> Option<String> {
    let at = lines.iter().position(|l| l.starts_with("indicators:"))?;
    // Its value on lines below it: the key's own line holds a comment at most.
    let own = &lines[at]["indicators:".len()..];
    if !own.trim_start().is_empty() && !own.trim_start().starts_with('#') {
        return None;
    }
    // Where `set_key` ends a block value.
    let end = (at + 1..lines.len())
        .find(|&i| !(lines[i].starts_with([' ', '\t']) || lines[i].starts_with("- ")))
        .unwrap_or(lines.len());
    let block = &lines[at + 1..end];
    let starts: Vec<usize> = (0..block.len()).filter(|&i| block[i].starts_with("  - ")).collect();
    let laid_out = block.iter().all(|l| l.starts_with("  - ") || l.starts_with("    "));
    if !laid_out || starts.len() != old.len() || starts.first().is_some_and(|&first| first != 0) {
        return None;
    }
    let entry = |i: usize| &block[starts[i]..starts.get(i + 1).copied().unwrap_or(block.len())];
    let mut out = lines[at]["indicators:".len()..].to_string();
    for (i, reading) in new.iter().enumerate() {
        let written = figures_yaml(std::slice::from_ref(reading));
        let written: Vec<&str> = written.lines().filter(|l| !l.is_empty()).collect();
        let kept: Vec<String> = match old.get(i) {
            Some(before) if before == reading => entry(i).to_vec(),
            Some(_) => merged(entry(i), &written),
            None => written.iter().map(|l| l.to_string()).collect(),
        };
        for line in kept {
            out.push('\n');
            out.push_str(&line);
        }
    }
    Some(out)
}

/// The key of an entry's line (`  - id: …`, `    value: …`); None for a comment.
fn key_of(line: &str) -> Option<&str> {
    let rest = line.trim_start().trim_start_matches("- ");
    (!rest.starts_with('#')).then(|| rest.split(':').next().unwrap_or_default())
}

/// The `written` lines of a changed entry with the comments of its `old`
/// lines kept beside and below the keys they were at.
fn merged(old: &[String], written: &[&str]) -> Vec<String> {
    let mut below: Vec<(Option<&str>, &String)> = Vec::new();
    let mut key = None;
    for line in old {
        match key_of(line) {
            Some(k) => key = Some(k),
            None => below.push((key, line)),
        }
    }
    let mut out = Vec::new();
    for line in written {
        let k = key_of(line);
        let before = old.iter().find(|l| key_of(l) == k);
        let comment = before.and_then(|l| super::form::comment_of(l.trim_start().trim_start_matches("- ")));
        out.push(match (before, comment) {
            // The same value: the line as it was, its spacing too.
            (Some(before), Some(comment))
                if before.trim_end().strip_suffix(&comment).map(str::trim_end) == Some(line) =>
            {
                before.clone()
            }
            (_, Some(comment)) => format!("{line} {comment}"),
            _ => line.to_string(),
        });
        out.extend(below.iter().filter(|(at, _)| *at == k).map(|(_, l)| l.to_string()));
    }
    let gone = below.iter().filter(|(at, _)| !written.iter().any(|l| key_of(l) == *at));
    out.extend(gone.map(|(_, l)| l.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_typed_the_vietnamese_way_and_shown_back_with_every_decimal() {
        assert_eq!(parse_typed("351,05"), Ok(Some(351.05)));
        assert_eq!(parse_typed(" 1.234,5 "), Ok(Some(1234.5)));
        assert_eq!(parse_typed("-3,2"), Ok(Some(-3.2)));
        assert_eq!(parse_typed("19,2%"), Ok(Some(19.2)));
        assert_eq!(parse_typed(""), Ok(None));
        assert_eq!(parse_typed("1.5"), Err(Problem::TypedNumber { text: "1.5".into() }), "ambiguous");
        assert_eq!(parse_typed("ba"), Err(Problem::TypedNumber { text: "ba".into() }));
        for value in [351.05, 1234.5, 56.125, -3.2, 7.0] {
            assert_eq!(parse_typed(&typed_number(value)), Ok(Some(value)), "{value}");
        }
    }

    fn fields(text: &str) -> super::super::form::Fields {
        let file = crate::source::SourceFile::decode("a.md".into(), text.as_bytes().to_vec()).unwrap();
        super::super::form::Fields::of(&crate::content::front_matter::parse(&file).unwrap().0)
    }

    #[test]
    fn a_changed_figure_keeps_the_comments_of_the_indicators_block() {
        let text = "---\ntitle: Họp Ban Thường vụ\nindicators:        # các con số; mã trong site.yaml\n  - id: gia-tri-san-xuat-cong-nghiep\n    value: 351.05      # số thập phân viết bằng dấu chấm\n    # kiểm tra: \"351,05 tỷ\" có đúng không?\n    estimate: true     # \"ước đạt\"\n  - id: thu-ngan-sach\n    value: 65          # tỷ đồng\n    cumulative: 253    # lũy kế từ đầu năm\n---\nThân bài.\n";
        let old = fields(text);
        let mut new = old.clone();
        new.figures[1].value = Some(65.5);
        new.figures[1].cumulative = None;
        new.figures.push(Reading {
            id: "thon-kieu-mau".into(),
            cumulative: Some(42.0),
            ..new.figures[1].clone()
        });
        new.figures[2].value = None;
        let written = super::super::form::rewrite(text, &old, &new);
        assert_eq!(
            written,
            "---\ntitle: Họp Ban Thường vụ\nindicators:        # các con số; mã trong site.yaml\n  - id: gia-tri-san-xuat-cong-nghiep\n    value: 351.05      # số thập phân viết bằng dấu chấm\n    # kiểm tra: \"351,05 tỷ\" có đúng không?\n    estimate: true     # \"ước đạt\"\n  - id: thu-ngan-sach\n    value: 65.5 # tỷ đồng\n  - id: thon-kieu-mau\n    cumulative: 42\n---\nThân bài.\n"
        );
    }

    #[test]
    fn figures_added_below_an_empty_list_are_written_as_a_block() {
        let text = "---\ntitle: Họp\nindicators: []   # chưa có số liệu\n---\n";
        let old = fields(text);
        let mut new = old.clone();
        let reading =
            Reading { id: "thu-ngan-sach".into(), value: Some(65.0), ..Reading::of(&Default::default()) };
        new.figures.push(reading);
        let written = super::super::form::rewrite(text, &old, &new);
        assert_eq!(written, "---\ntitle: Họp\nindicators:\n  - id: thu-ngan-sach\n    value: 65\n---\n");
    }
}
