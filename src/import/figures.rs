//! The figures of a plain-text article proposed as `indicators:` entries:
//! clauses matched to the catalogue by their labels, numbers read the
//! Vietnamese way, and each number's role (value, running total, share of
//! the plan, change on last year) read from the words around it. Whatever
//! is not clear becomes a note for a person; no value is ever made up.

use super::text::{clauses, expanded_keys, month_in, sentences, Token};
use crate::messages::Text;
use crate::site::{Catalog, IndicatorKind};
use crate::vietnamese::name_key;

/// One proposed `indicators:` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Proposal {
    /// Position in the catalogue.
    pub indicator: usize,
    pub value: Option<f64>,
    /// The unit as the text writes it, when it is the catalogue's.
    pub unit: Option<String>,
    /// `tháng 8` said beside the figure.
    pub month: Option<u32>,
    pub estimate: bool,
    pub yoy: Option<f64>,
    pub cumulative: Option<f64>,
    pub plan: Option<f64>,
    /// For a person to confirm (`# kiểm tra: …`).
    pub notes: Vec<Text>,
    /// The words the text used for the indicator, when they are not its
    /// whole label (`thu ngân sách xã` for `Thu ngân sách nhà nước`).
    pub partial: Option<String>,
}

/// A number as Vietnamese text writes it: `351,05` → 351.05, `1.234` → 1234,
/// `1.234,5` → 1234.5, `07` → 7. A `%` at the end is reported. `1.5` is
/// ambiguous (a point is a thousands separator) and gives None.
pub fn parse_number(text: &str) -> Option<(f64, bool)> {
    let (digits, percent) = match text.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    if !digits.starts_with(|c: char| c.is_ascii_digit())
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let (whole, fraction) = match digits.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut groups = whole.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    if first.is_empty() || rest.iter().any(|g| g.len() != 3) {
        return None;
    }
    let mut number: String = std::iter::once(first).chain(rest).collect();
    if let Some(fraction) = fraction {
        number.push('.');
        number.push_str(fraction);
    }
    number.parse::<f64>().ok().map(|n| (n, percent))
}

/// The indicator a clause speaks of: most of its label's words are there,
/// two of them side by side.
fn label_in(words: &[String], labels: &[Vec<String>]) -> Option<(usize, bool)> {
    let mut best: Option<(f64, usize, usize)> = None;
    for (i, label) in labels.iter().enumerate() {
        let present = label.iter().filter(|w| words.contains(w)).count();
        let coverage = present as f64 / label.len().max(1) as f64;
        let adjacent = label.len() == 1 || label.windows(2).any(|pair| words.windows(2).any(|w| w == pair));
        if coverage >= 0.6 && adjacent && best.is_none_or(|(c, n, _)| (coverage, label.len()) > (c, n)) {
            best = Some((coverage, label.len(), i));
        }
    }
    best.map(|(coverage, _, i)| (i, coverage >= 1.0))
}

/// Words that follow a number when it is a quantity in some unit: a figure
/// in one of these that is not the catalogue's unit is pointed out.
const OTHER_UNITS: &[&str] = &[
    "tỷ", "triệu", "nghìn", "ngàn", "đồng", "tấn", "tạ", "ha", "km", "hộ", "người", "doanh", "thôn", "xã",
    "sản", "dự", "công", "lượt", "con", "m2", "m3", "usd",
];

/// Every figure of the body, by indicator, in the order the text gives them.
pub fn propose(paragraphs: &[Vec<Token>], catalog: &Catalog, glossary: &[(String, String)]) -> Vec<Proposal> {
    let labels: Vec<Vec<String>> =
        catalog.indicators.iter().map(|i| expanded_keys(&super::text::tokens(&i.label), glossary)).collect();
    let mut proposals: Vec<Proposal> = Vec::new();
    for paragraph in paragraphs {
        for sentence in sentences(paragraph) {
            // The indicator the sentence is speaking of, carried to clauses
            // that do not name it (`…, tăng 19,2% so với cùng kỳ`).
            let mut current: Option<usize> = None;
            for clause in clauses(sentence) {
                let words = expanded_keys(clause, glossary);
                let found = label_in(&words, &labels);
                let named = found.map(|(indicator, _)| indicator);
                if let Some(indicator) = named {
                    current = Some(match proposals.iter().position(|p| p.indicator == indicator) {
                        Some(at) => at,
                        None => {
                            proposals.push(Proposal { indicator, ..Proposal::default() });
                            proposals.len() - 1
                        }
                    });
                }
                let Some(at) = current else {
                    continue;
                };
                let proposal = &mut proposals[at];
                let before = proposal.clone();
                read_clause(clause, catalog, proposal, named.is_some());
                if *proposal == before {
                    continue; // the clause names the indicator but gives no figure
                }
                if let Some((_, false)) = found {
                    let shown: Vec<&str> = clause.iter().map(|t| t.text.as_str()).collect();
                    proposal.partial.get_or_insert_with(|| shown.join(" "));
                }
                if named.is_some() && proposal.month.is_none() {
                    proposal.month = month_in(clause).filter(|(_, y)| y.is_none()).map(|(m, _)| m);
                }
            }
        }
    }
    proposals.retain(|p| p.value.is_some() || p.cumulative.is_some() || !p.notes.is_empty());
    for proposal in &mut proposals {
        if let Some(words) = proposal.partial.take() {
            let label = &catalog.indicators[proposal.indicator].label;
            proposal.notes.insert(0, Text::new("note-indicator").with("words", words).with("label", label));
        }
    }
    proposals
}

/// Reads the numbers of one clause into the proposal of its indicator.
fn read_clause(clause: &[Token], catalog: &Catalog, proposal: &mut Proposal, named: bool) {
    let indicator = &catalog.indicators[proposal.indicator];
    let unit: Vec<String> = name_key(&indicator.unit).split(' ').map(str::to_string).collect();
    let is_ratio = indicator.unit.trim() == "%";
    let phrase = |from: usize, to: usize| {
        let to = to.min(clause.len());
        clause[from.min(to)..to].iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
    };
    for (j, token) in clause.iter().enumerate() {
        let before = &clause[..j];
        if j > 0 && matches!(before[j - 1].key.as_str(), "tháng" | "năm" | "ngày" | "thứ" | "khóa" | "quý")
        {
            continue;
        }
        let next = clause.get(j + 1);
        let separate_percent = next.is_some_and(|t| t.text == "%");
        let Some((number, percent)) = parse_number(&token.text) else {
            let fraction = token.text.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            });
            let unit_follows = clause.get(j + 1).is_some_and(|t| unit.first() == Some(&t.key));
            if fraction && unit_follows && named {
                let shown = phrase(j.saturating_sub(3), j + 1 + unit.len());
                proposal.notes.push(Text::new("note-fraction").with("shown", shown));
            } else if token.text.starts_with(|c: char| c.is_ascii_digit())
                && token.text.contains('.')
                && !token.text.contains('/')
                && named
            {
                proposal.notes.push(Text::new("note-dot").with("number", &token.text));
            }
            continue;
        };
        let percent = percent || separate_percent;
        let after_from = j + 1 + usize::from(separate_percent);
        let after: Vec<&str> =
            clause[after_from.min(clause.len())..].iter().map(|t| t.key.as_str()).collect();
        let has_before = |word: &str| before.iter().any(|t| t.key == word);
        let shown = phrase(j.saturating_sub(3), after_from + 4);
        if percent && !is_ratio {
            let yoy = after.windows(2).any(|w| w == ["cùng", "kỳ"]);
            let plan = after.iter().take(3).any(|w| matches!(*w, "kế" | "kh" | "dự" | "chỉ"));
            let rising = before.iter().rev().find(|t| matches!(t.key.as_str(), "tăng" | "giảm"));
            if yoy {
                match (rising.map(|t| t.key.as_str()), proposal.yoy) {
                    (Some("tăng"), None) => proposal.yoy = Some(number),
                    (Some("giảm"), None) => proposal.yoy = Some(-number),
                    _ => proposal.notes.push(Text::new("note-yoy").with("shown", shown)),
                }
            } else if plan && proposal.plan.is_none() {
                proposal.plan = Some(number);
            } else {
                proposal.notes.push(Text::new("note-percent").with("shown", shown));
            }
            continue;
        }
        let unit_here = if is_ratio {
            percent
        } else {
            let words: Vec<&str> = clause[j + 1..].iter().take(unit.len()).map(|t| t.key.as_str()).collect();
            words.len() == unit.len() && words.iter().zip(&unit).all(|(a, b)| a == b)
        };
        if !unit_here {
            if named && next.is_some_and(|t| OTHER_UNITS.contains(&t.key.as_str())) {
                let unit_written = &indicator.unit;
                proposal.notes.push(Text::new("note-unit").with("shown", shown).with("unit", unit_written));
            }
            continue;
        }
        if !is_ratio && proposal.unit.is_none() {
            proposal.unit = Some(phrase(j + 1, j + 1 + unit.len()));
        }
        let keys: Vec<&str> = before.iter().map(|t| t.key.as_str()).collect();
        let running_words =
            [["lũy", "kế"], ["tổng", "số"], ["đến", "nay"], ["đến", "ngày"], ["tính", "đến"], ["từ", "đầu"]];
        // `10 tháng`, `8 tháng đầu năm`: the months of the year so far.
        let months_so_far =
            before.windows(2).any(|w| w[1].key == "tháng" && parse_number(&w[0].text).is_some());
        let running = keys.windows(2).any(|w| running_words.iter().any(|r| w == r))
            || keys.last() == Some(&"lên")
            || months_so_far;
        let added = has_before("thêm") && indicator.kind == IndicatorKind::Level;
        if has_before("ước") {
            proposal.estimate = true;
        }
        let slot = if added {
            None
        } else if running {
            Some(&mut proposal.cumulative)
        } else {
            Some(&mut proposal.value)
        };
        match slot {
            Some(slot) if slot.is_none() => *slot = Some(number),
            Some(_) => proposal.notes.push(Text::new("note-another-figure").with("shown", shown)),
            None => proposal.notes.push(Text::new("note-added").with("shown", shown)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;
    use crate::site::Indicator;

    #[test]
    fn numbers_are_read_the_vietnamese_way() {
        assert_eq!(parse_number("351,05"), Some((351.05, false)));
        assert_eq!(parse_number("1.234"), Some((1234.0, false)));
        assert_eq!(parse_number("1.234,5"), Some((1234.5, false)));
        assert_eq!(parse_number("07"), Some((7.0, false)));
        assert_eq!(parse_number("19,2%"), Some((19.2, true)));
        assert_eq!(parse_number("1.5"), None);
        assert_eq!(parse_number("31/8"), None);
        assert_eq!(parse_number("VH-TT"), None);
    }

    fn catalog() -> Catalog {
        let indicator = |id: &str, label: &str, unit: &str, kind| Indicator {
            id: id.into(),
            label: label.into(),
            unit: unit.into(),
            kind,
            group: None,
            highlight: false,
            description: None,
        };
        Catalog::new(
            Vec::new(),
            vec![
                indicator("thu-ngan-sach", "Thu ngân sách nhà nước", "tỷ đồng", IndicatorKind::Flow),
                indicator("ty-le-ho-ngheo", "Tỷ lệ hộ nghèo", "%", IndicatorKind::Ratio),
            ],
        )
        .0
    }

    #[test]
    fn a_figure_in_another_unit_is_pointed_out_not_converted() {
        let text = tokens("Thu ngân sách nhà nước tháng 8 đạt 650 triệu đồng, giảm 3% so với cùng kỳ.");
        let found = propose(&[text], &catalog(), &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, None);
        assert_eq!(found[0].yoy, Some(-3.0));
        let note = crate::messages::Messages::new(crate::messages::Lang::Vi).text(&found[0].notes[0]);
        assert_eq!(note, "\"tháng 8 đạt 650 triệu đồng\": đơn vị khác với danh mục (tỷ đồng), chưa ghi");
    }

    #[test]
    fn ratios_take_their_value_in_percent() {
        let glossary = [("NSNN".to_string(), "ngân sách nhà nước".to_string())];
        let text = tokens("Tỷ lệ hộ nghèo còn 2,1%. Lũy kế thu NSNN ước đạt 253 tỷ đồng.");
        let found = propose(&[text], &catalog(), &glossary);
        assert_eq!(found[0].value, Some(2.1));
        assert_eq!((found[1].cumulative, found[1].estimate), (Some(253.0), true));
    }
}
