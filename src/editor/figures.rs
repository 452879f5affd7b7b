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
}
