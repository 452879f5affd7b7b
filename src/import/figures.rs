//! The figures of a plain-text article proposed as `indicators:` entries:
//! clauses matched to the catalogue by their labels, numbers read the
//! Vietnamese way, and each number's role (value, running total, share of
//! the plan, change on last year) read from the words around it. Whatever
//! is not clear becomes a note for a person; no value is ever made up.

use super::period::{marker, spans_in, Marker, Span, Spoken};
use super::text::{expanded_keys, find_words, sentences, Token};
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

/// Words that go on speaking of the indicator before them.
const CONTINUING: &[&str] = &[
    "lũy", "ước", "đạt", "tăng", "giảm", "bằng", "tính", "cả", "trong", "so", "thực", "vượt", "riêng", "gấp",
    "chiếm", "với", "còn", "là", "được", "trên", "gần", "hơn", "khoảng", "và",
];

/// Words of many labels that say little on their own: "Tổng số quà … giá
/// trị" is no "Tổng giá trị sản xuất".
const GENERIC: &[&str] = &["tổng", "giá", "trị", "số", "sản", "lượng", "tỷ", "lệ", "-"];

/// One name an indicator is recognized by, as words.
struct Name {
    indicator: usize,
    words: Vec<String>,
    /// An alias is a name as articles write it: it is there whole or not at all.
    alias: bool,
    /// Its words' keys when it is written with commas (`nông, lâm, thủy sản`):
    /// those commas do not end a clause.
    with_commas: Option<Vec<String>>,
}

/// Every label and alias of the catalogue, as words of their name key, with
/// glossary abbreviations written out.
fn names(catalog: &Catalog, glossary: &[(String, String)]) -> Vec<Name> {
    let mut names = Vec::new();
    for (indicator, entry) in catalog.indicators.iter().enumerate() {
        for (n, name) in entry.names().enumerate() {
            let tokens = super::text::tokens(name);
            let with_commas = name.contains(',').then(|| tokens.iter().map(|t| t.key.clone()).collect());
            let words = expanded_keys(&tokens, glossary);
            names.push(Name { indicator, words, alias: n > 0, with_commas });
        }
    }
    names
}

/// The sector a clause names: the word after `ngành`, `lĩnh vực`, `khu vực`.
fn sector(words: &[String]) -> Option<&String> {
    words.iter().enumerate().find_map(|(i, w)| match w.as_str() {
        "ngành" => words.get(i + 1),
        "lĩnh" | "khu" if words.get(i + 1).is_some_and(|v| v == "vực") => words.get(i + 2),
        _ => None,
    })
}

/// The clauses of a sentence, a name of the catalogue written with commas
/// (`nông, lâm, thủy sản tăng 7,4%`) kept in one.
fn clauses_of<'a>(sentence: &'a [Token], names: &[Name]) -> Vec<&'a [Token]> {
    let keys: Vec<&str> = sentence.iter().map(|t| t.key.as_str()).collect();
    let mut inside = vec![false; sentence.len()];
    for name in names.iter().filter_map(|n| n.with_commas.as_ref()) {
        for start in 0..keys.len().saturating_sub(name.len() - 1) {
            if keys[start..start + name.len()].iter().zip(name).all(|(k, w)| k == w) {
                inside[start..start + name.len() - 1].iter_mut().for_each(|i| *i = true);
            }
        }
    }
    let mut parts = Vec::new();
    let mut from = 0;
    for (i, token) in sentence.iter().enumerate() {
        if token.ends_clause() && !inside[i] {
            parts.push(&sentence[from..=i]);
            from = i + 1;
        }
    }
    if from < sentence.len() {
        parts.push(&sentence[from..]);
    }
    parts
}

/// The indicator a clause speaks of, and whether it is named whole: one of
/// its aliases is there, or most of its label's words are, two of them side
/// by side and one that is not generic.
fn label_in(words: &[String], names: &[Name]) -> Option<(usize, bool)> {
    // `thương mại - dịch vụ` is `thương mại-dịch vụ`: dashes do not count.
    let dashless = |w: &[String]| w.iter().filter(|w| *w != "-").cloned().collect::<Vec<_>>();
    let hay = dashless(words);
    // The fullest name wins, then the one whose words end last in the text
    // (`công nghiệp - tiểu thủ công nghiệp và xây dựng` is more than its
    // `công nghiệp - tiểu thủ công nghiệp`), then the longest.
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for (i, name) in names.iter().enumerate() {
        let label = &name.words;
        let wanted = dashless(label);
        let ends = find_words(&hay, &wanted).map_or(0, |at| at + wanted.len());
        let coverage = if name.alias {
            if ends == 0 {
                continue;
            }
            1.0
        } else {
            // Of all the words, or of the telling ones: "hộ nghèo" is "Tỷ lệ hộ nghèo".
            let share = |of: Vec<&String>| {
                of.iter().filter(|w| words.contains(w)).count() as f64 / of.len().max(1) as f64
            };
            let coverage = share(label.iter().collect())
                .max(share(label.iter().filter(|w| !GENERIC.contains(&w.as_str())).collect()));
            let adjacent =
                label.len() == 1 || label.windows(2).any(|pair| words.windows(2).any(|w| w == pair));
            let telling = label.iter().any(|w| !GENERIC.contains(&w.as_str()) && words.contains(w));
            // `giá trị sản xuất ngành dịch vụ` is one sector's, not "Tổng giá trị sản xuất".
            let other_sector = sector(words).is_some_and(|w| !label.contains(w));
            let whole = label.iter().all(|w| w == "-" || words.contains(w));
            // Without its head word, the rest of a label names something else:
            // `vốn ngân sách nhà nước` is no "Thu ngân sách nhà nước".
            let head = label.iter().find(|w| !GENERIC.contains(&w.as_str()));
            let headless = head.is_some_and(|h| !words.contains(h));
            if coverage < 0.6 || !adjacent || !telling || (!whole && (other_sector || headless)) {
                continue;
            }
            coverage
        };
        if best.is_none_or(|(c, e, n, _)| (coverage, ends, label.len()) > (c, e, n)) {
            best = Some((coverage, ends, label.len(), i));
        }
    }
    best.map(|(_, _, _, i)| {
        let name = &names[i];
        (name.indicator, name.alias || name.words.iter().all(|w| w == "-" || words.contains(w)))
    })
}

/// Words that follow a number when it is a quantity in some unit: a figure
/// in one of these that is not the catalogue's unit is pointed out.
const OTHER_UNITS: &[&str] = &[
    "tỷ", "triệu", "nghìn", "ngàn", "đồng", "tấn", "tạ", "ha", "km", "hộ", "người", "doanh", "thôn", "xã",
    "sản", "dự", "công", "lượt", "con", "m2", "m3", "usd",
];

/// The period the meeting reviewed, as the front matter's `meeting.period` has it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reviewed {
    pub year: i32,
    pub month: u32,
    /// A span from January ("9 tháng", "năm 2023"), not one month.
    pub running: bool,
}

/// What the figures of a clause are, by the period they are of.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Of {
    /// One month's (the meeting's, when None).
    Month(Option<u32>),
    /// A running total from January to the month (the meeting's, when None).
    Running(Option<u32>),
    /// Another period's: a target, or an earlier year.
    Other,
}

/// The period a span named in the text gives the figures after it, seen
/// from the period the meeting reviewed.
fn period_of(spoken: Spoken, planned: bool, reviewed: Option<Reviewed>) -> Option<Of> {
    let other_year = spoken.year.zip(reviewed).is_some_and(|(y, r)| y != r.year);
    Some(match spoken.span {
        Span::Other => Of::Other,
        _ if other_year || planned => Of::Other,
        // `năm 2023`: the year reported on, in a report on the whole year only.
        Span::Running(12) if spoken.year.is_some() && reviewed.is_some_and(|r| r.month != 12) => return None,
        Span::Running(month) => Of::Running(Some(month)),
        Span::ToDate => Of::Running(reviewed.map(|r| r.month)),
        Span::ThisMonth => Of::Month(reviewed.filter(|r| !r.running).map(|r| r.month)),
        Span::Month(month) => Of::Month(Some(month)),
    })
}

/// Every figure of the body, by indicator, in the order the text gives them.
/// A period named in a paragraph ("Trong 9 tháng qua, …") holds for the
/// figures after it in that paragraph; elsewhere they are of the period the
/// meeting reviewed. `commune`: the organ is a commune's or a ward's.
pub fn propose(
    paragraphs: &[Vec<Token>],
    catalog: &Catalog,
    glossary: &[(String, String)],
    reviewed: Option<Reviewed>,
    commune: bool,
) -> Vec<Proposal> {
    let whole = match reviewed {
        Some(r) if r.running => Of::Running(Some(r.month)),
        Some(r) => Of::Month(Some(r.month)),
        None => Of::Month(None),
    };
    let names = names(catalog, glossary);
    let mut proposals: Vec<Proposal> = Vec::new();
    for paragraph in paragraphs {
        // Said at the start of a sentence, a period holds to the end of the
        // paragraph; said later, to the end of the sentence.
        let mut said = whole;
        for sentence in sentences(paragraph) {
            let mut of = said;
            // The period an item of an enumeration starts from.
            let mut list = said;
            let before_sentence: Vec<(Option<f64>, Option<f64>)> =
                proposals.iter().map(|p| (p.value, p.plan)).collect();
            // The indicator the sentence is speaking of, carried to clauses
            // that do not name it (`…, tăng 19,2% so với cùng kỳ`).
            let mut current: Option<usize> = None;
            let mut item_ended = false;
            let spans = spans_in(sentence);
            let mut start = 0;
            // `Trong đó nông, lâm, thủy sản ước đạt …; công nghiệp - xây dựng
            // đạt …`: the parts of one total, estimated when one of them is.
            let parts = sentence.len() > 1 && sentence[0].key == "trong" && sentence[1].key == "đó";
            let mut estimated = false;
            for clause in clauses_of(sentence, &names) {
                let end = start + clause.len();
                // `…; thương mại-dịch vụ đạt 69,32%`: an item of an enumeration
                // that starts with another noun does not speak of the one
                // before it, nor of a period said in it; `…; lũy kế 9 tháng
                // ước đạt …` does.
                let goes_on = clause
                    .first()
                    .is_some_and(|t| CONTINUING.contains(&t.key.as_str()) || parse_number(&t.text).is_some());
                let new_item = item_ended && !goes_on;
                // `…, tỷ lệ tăng đàn gia súc 19,53%`: after a comma too, a
                // clause that starts with another noun is another item.
                item_ended = clause.last().is_some_and(|t| t.trail.contains([';', ',']));
                if new_item {
                    of = list;
                }
                let here = spans.iter().filter(|s| (start..end).contains(&s.at));
                let planned = |s: &Spoken| marker(sentence, s.at) == Some(Marker::Plans);
                if let Some(named) = here.filter_map(|s| period_of(*s, planned(s), reviewed)).next_back() {
                    of = named;
                    if start == 0 {
                        said = named;
                        list = named;
                    }
                }
                start = end;
                // `… 6 tháng cuối năm 2025 với 20 chỉ tiêu chủ yếu là: …`: the
                // period said before a colon holds for every item after it.
                if clause.last().is_some_and(|t| t.trail.contains(':')) {
                    list = of;
                }
                estimated |= parts && clause.iter().any(|t| t.key == "ước");
                let words = expanded_keys(clause, glossary);
                let found = label_in(&words, &names);
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
                // A clause naming a sector of its own speaks of no indicator before it.
                if named.is_none() && (new_item || sector(&words).is_some()) {
                    current = None;
                }
                let Some(at) = current else {
                    continue;
                };
                let proposal = &mut proposals[at];
                let before = proposal.clone();
                // `…, đạt 67,44% kế hoạch, … đạt 70,25%`: shares of the plan.
                let plan_said = sentence[..start - clause.len()].windows(2).any(|w| {
                    matches!((w[0].key.as_str(), w[1].key.as_str()), ("kế", "hoạch") | ("dự", "toán"))
                });
                read_clause(clause, catalog, proposal, named.is_some(), of, plan_said, commune);
                if *proposal == before {
                    continue; // the clause names the indicator but gives no figure
                }
                proposal.estimate |= estimated;
                if let Some((_, false)) = found {
                    let shown: Vec<&str> = clause.iter().map(|t| t.text.as_str()).collect();
                    proposal.partial.get_or_insert_with(|| shown.join(" "));
                }
            }
            // `Trong tháng 7, … Tổng sản lượng lương thực ước đạt 7.834 tấn,
            // đạt 97,4% kế hoạch`: a figure measured against the year's plan,
            // in a sentence that names no month of its own, is the total so far.
            let month_named =
                spans.iter().any(|s| matches!(period_of(*s, false, reviewed), Some(Of::Month(Some(_)))));
            for (i, proposal) in proposals.iter_mut().enumerate() {
                let (value, plan) = before_sentence.get(i).copied().unwrap_or_default();
                let flow = catalog.indicators[proposal.indicator].kind == IndicatorKind::Flow;
                let new_value = value.is_none() && proposal.value.is_some();
                let new_plan = plan.is_none() && proposal.plan.is_some();
                if flow && new_value && new_plan && proposal.cumulative.is_none() && !month_named {
                    proposal.cumulative = proposal.value.take();
                }
            }
        }
    }
    proposals.retain(|p| {
        p.value.is_some()
            || p.cumulative.is_some()
            || p.plan.is_some()
            || p.yoy.is_some()
            || !p.notes.is_empty()
    });
    for proposal in &mut proposals {
        if let Some(words) = proposal.partial.take() {
            let label = &catalog.indicators[proposal.indicator].label;
            proposal.notes.insert(0, Text::new("note-indicator").with("words", words).with("label", label));
        }
    }
    proposals
}

/// Multipliers that stand before a unit: `4,6 nghìn tỷ`, `232.105 triệu đồng`.
fn multiplier(word: &str) -> Option<f64> {
    match word {
        "nghìn" | "ngàn" => Some(1e3),
        "triệu" => Some(1e6),
        "tỷ" => Some(1e9),
        _ => None,
    }
}

/// How many of the catalogue's unit one unit written after a number is
/// (`triệu đồng` for `tỷ đồng`: 0.001), when both count the same thing,
/// with the number of words the written unit takes.
fn scale(after: &[&str], unit: &[String]) -> Option<(f64, usize)> {
    let split = |words: &[&str]| {
        let n = words.iter().take(2).take_while(|w| multiplier(w).is_some()).count();
        (words[..n].iter().filter_map(|w| multiplier(w)).product::<f64>(), n)
    };
    let unit: Vec<&str> = unit.iter().map(String::as_str).collect();
    let (wanted, n) = split(&unit);
    let base = &unit[n..];
    let (written, m) = split(after);
    let rest = &after[m..];
    if base.is_empty() || (m == 0 && wanted == 1.0 && !rest.starts_with(base)) {
        return None;
    }
    if rest.starts_with(base) {
        return Some((written / wanted, m + base.len()));
    }
    // `4,6 nghìn tỷ,`: the base word left out after a multiplier.
    // Not `4 tỷ 500 triệu đồng`, a number in two parts.
    let left_out =
        rest.first().is_none_or(|w| !OTHER_UNITS.contains(w) && !w.starts_with(|c: char| c.is_ascii_digit()));
    (m > 0 && base == ["đồng"] && left_out).then_some((written / wanted, m))
}

/// Where a note's quote of the figure at `j` starts: at the start of its
/// clause, so that no compound is cut ("kinh tế", not "tế"), unless the
/// clause is long; then after the last punctuation or at the start of a
/// compound-free verb ("đạt", "ước", "tăng", "giảm", "bằng") before the figure.
fn quote_from(clause: &[Token], j: usize) -> usize {
    if j <= 8 {
        return 0;
    }
    (0..j)
        .rev()
        .take(8)
        .find(|&i| matches!(clause[i].key.as_str(), "đạt" | "ước" | "tăng" | "giảm" | "bằng" | "còn"))
        .unwrap_or(j - 3)
}

/// Reads the numbers of one clause into the proposal of its indicator; `of`
/// is the period the clause's figures are of.
fn read_clause(
    clause: &[Token],
    catalog: &Catalog,
    proposal: &mut Proposal,
    named: bool,
    of: Of,
    plan_said: bool,
    commune: bool,
) {
    let indicator = &catalog.indicators[proposal.indicator];
    let unit: Vec<String> = name_key(&indicator.unit).split(' ').map(str::to_string).collect();
    let is_ratio = indicator.unit.trim() == "%";
    let phrase = |from: usize, to: usize| {
        let to = to.min(clause.len());
        clause[from.min(to)..to].iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
    };
    for (j, token) in clause.iter().enumerate() {
        let before = &clause[..j];
        // `tháng 10`, `năm 2023`, `ngày 13`: a date, not a figure; but in
        // `lũy kế 10 tháng 3.798,254 tỷ đồng` the figure follows the span.
        let small = token.text.parse::<u32>().is_ok_and(|n| n <= 31);
        let date_word = match before.last().map(|t| t.key.as_str()) {
            Some("tháng" | "ngày") => small,
            Some("năm" | "thứ" | "khóa" | "quý") => true,
            _ => false,
        };
        if date_word {
            continue;
        }
        // `9 tháng`, `6 tháng đầu năm`: a span, not a figure.
        if clause.get(j + 1).is_some_and(|t| t.key == "tháng") {
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
                let shown = phrase(quote_from(clause, j), j + 1 + unit.len());
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
        let shown = phrase(quote_from(clause, j), after_from + 4);
        if of == Of::Other {
            if named || percent {
                proposal.notes.push(Text::new("note-other-period").with("shown", shown));
            }
            continue;
        }
        // `chiếm 38,2%`: a part's share of a whole, no reading of the indicator.
        if percent && !is_ratio && before.last().is_some_and(|t| t.key == "chiếm") {
            continue;
        }
        if percent && !is_ratio {
            // What follows this figure, up to the next one: `đạt 42% và bằng
            // 96% so với cùng kỳ` compares the 96% with last year, not the 42%.
            let own = after.iter().position(|w| parse_number(w).is_some()).unwrap_or(after.len());
            let after = &after[..own];
            let same_period = after.windows(2).any(|w| w == ["cùng", "kỳ"]);
            // `so với tháng trước`: a comparison with something else.
            let compared = after.contains(&"so") && !same_period;
            let plan = after.iter().take(3).any(|w| matches!(*w, "kế" | "kh" | "dự" | "chỉ"));
            let verb =
                before.iter().rev().find(|t| matches!(t.key.as_str(), "tăng" | "giảm" | "bằng" | "đạt"));
            // `đạt 74,65%` in an enumeration of shares of the plan, or after
            // the plan named in its clause (`so dự toán giao đạt 42%`).
            let plan_before = before
                .windows(2)
                .any(|w| matches!((w[0].key.as_str(), w[1].key.as_str()), ("kế", "hoạch") | ("dự", "toán")));
            let achieved = (plan_said || plan_before)
                && verb.is_some_and(|t| t.key == "đạt")
                && !compared
                && !same_period;
            if plan || achieved {
                proposal.estimate |= has_before("ước");
                match proposal.plan {
                    None => proposal.plan = Some(number),
                    Some(_) => proposal.notes.push(Text::new("note-percent").with("shown", shown)),
                }
                continue;
            }
            // `tăng 10%` after a sector's figure is its change on the same
            // period, said or not; `bằng 103,8% so cùng kỳ` is a rise of 3,8.
            let yoy = match verb.map(|t| t.key.as_str()) {
                Some("tăng") if !compared => Some(number),
                Some("giảm") if !compared => Some(-number),
                Some("bằng") if same_period => Some(((number - 100.0) * 1e6).round() / 1e6),
                _ => None,
            };
            match (yoy, proposal.yoy) {
                (Some(yoy), None) => proposal.yoy = Some(yoy),
                (Some(_), Some(_)) => proposal.notes.push(Text::new("note-yoy").with("shown", shown)),
                (None, _) if same_period => proposal.notes.push(Text::new("note-yoy").with("shown", shown)),
                (None, _) => proposal.notes.push(Text::new("note-percent").with("shown", shown)),
            }
            continue;
        }
        let written: Vec<&str> = clause[j + 1..].iter().map(|t| t.key.as_str()).collect();
        // `9.751 tỷ đồng` of a commune: thousands of billions are beyond any
        // commune, so the point may be a decimal one written the English way.
        let one_point = token.text.matches('.').count() == 1 && !token.text.contains(',');
        if commune && !percent && one_point && written.first() == Some(&"tỷ") {
            proposal.estimate |= has_before("ước");
            proposal.notes.push(Text::new("note-dot").with("number", &token.text));
            continue;
        }
        // `Tỷ lệ hộ nghèo giảm 1,76%`: the change of a rate, not the rate
        // (`giảm còn 1,42%` is the rate).
        let change =
            before.iter().rev().find(|t| !matches!(t.key.as_str(), "hơn" | "gần" | "trên" | "khoảng"));
        if is_ratio && percent && change.is_some_and(|t| matches!(t.key.as_str(), "tăng" | "giảm")) {
            proposal.notes.push(Text::new("note-another-figure").with("shown", shown));
            continue;
        }
        let found = if is_ratio { percent.then_some((1.0, 0)) } else { scale(&written, &unit) };
        let Some((factor, unit_words)) = found else {
            if named && next.is_some_and(|t| OTHER_UNITS.contains(&t.key.as_str())) {
                let unit_written = &indicator.unit;
                proposal.notes.push(Text::new("note-unit").with("shown", shown).with("unit", unit_written));
            }
            continue;
        };
        let number = if factor == 1.0 {
            number
        } else {
            let converted = (number * factor * 1e6).round() / 1e6;
            proposal.notes.push(
                Text::new("note-converted")
                    .with("shown", phrase(j, j + 1 + unit_words))
                    .with("value", converted)
                    .with("unit", &indicator.unit),
            );
            converted
        };
        if !is_ratio && factor == 1.0 && unit_words == unit.len() && proposal.unit.is_none() {
            proposal.unit = Some(phrase(j + 1, j + 1 + unit.len()));
        }
        let keys: Vec<&str> = before.iter().map(|t| t.key.as_str()).collect();
        let running_words =
            [["lũy", "kế"], ["tổng", "số"], ["đến", "nay"], ["đến", "ngày"], ["tính", "đến"], ["từ", "đầu"]];
        let running =
            keys.windows(2).any(|w| running_words.iter().any(|r| w == r)) || keys.last() == Some(&"lên");
        let of = match of {
            Of::Month(month) if running => Of::Running(month),
            // A rate or a stock at the end of a span is no running total.
            Of::Running(month) if indicator.kind != IndicatorKind::Flow && !running => Of::Month(month),
            of => of,
        };
        let added = has_before("thêm") && indicator.kind == IndicatorKind::Level;
        if has_before("ước") {
            proposal.estimate = true;
        }
        let (slot, month) = match of {
            _ if added => (None, None),
            Of::Running(month) => (Some(&mut proposal.cumulative), month),
            Of::Month(month) => (Some(&mut proposal.value), month),
            Of::Other => (None, None),
        };
        let same_month = month.is_none() || proposal.month.is_none() || proposal.month == month;
        match slot {
            Some(slot) if slot.is_none() && same_month => {
                *slot = Some(number);
                proposal.month = proposal.month.or(month);
            }
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
            aliases: Vec::new(),
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
    fn a_figure_in_another_multiple_of_the_unit_is_converted_with_a_note() {
        let text = tokens("Thu ngân sách nhà nước tháng 8 đạt 650 triệu đồng, giảm 3% so với cùng kỳ.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].value, found[0].yoy), (Some(0.65), Some(-3.0)));
        let note = crate::messages::Messages::new(crate::messages::Lang::Vi).text(&found[0].notes[0]);
        assert_eq!(note, "\"650 triệu đồng\": đã đổi sang đơn vị của danh mục: 0,65 tỷ đồng");
        let text = tokens("Thu ngân sách nhà nước đạt 4,6 nghìn tỷ, tăng 7%.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!((found[0].value, found[0].yoy), (Some(4600.0), Some(7.0)));
        let text = tokens("Thu ngân sách nhà nước đạt 65 ha.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!(found[0].value, None, "hectares are no money");
    }

    #[test]
    fn a_period_said_once_holds_for_every_figure_after_it_in_the_paragraph() {
        let text = tokens(
            "Trong 6 tháng đầu năm, thu ngân sách nhà nước đạt 324,3 tỷ đồng (tăng 13,18%). \
             Tỷ lệ hộ nghèo còn 2,1%. Nhiệm vụ 6 tháng cuối năm: thu ngân sách nhà nước 400 tỷ đồng.",
        );
        let reviewed = Reviewed { year: 2022, month: 6, running: true };
        let found = propose(&[text], &catalog(), &[], Some(reviewed), false);
        assert_eq!(
            (found[0].cumulative, found[0].value, found[0].month, found[0].yoy),
            (Some(324.3), None, Some(6), Some(13.18))
        );
        assert_eq!(found[0].notes.len(), 1, "the target is left out with a note: {:?}", found[0].notes);
    }

    #[test]
    fn a_figure_against_the_plan_in_a_sentence_naming_no_month_is_the_total_so_far() {
        let reviewed = Some(Reviewed { year: 2018, month: 7, running: false });
        let opening = "Trong tháng 7, UBND huyện đã chủ động thực hiện các nhiệm vụ.";
        let text =
            tokens(&format!("{opening} Thu ngân sách nhà nước ước đạt 29 tỷ đồng, đạt 102,35% kế hoạch."));
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert_eq!((found[0].value, found[0].cumulative, found[0].month), (None, Some(29.0), Some(7)));
        let text =
            tokens(&format!("{opening} Thu ngân sách nhà nước tháng 7 đạt 3 tỷ đồng, đạt 10% kế hoạch."));
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert_eq!((found[0].value, found[0].cumulative, found[0].plan), (Some(3.0), None, Some(10.0)));
    }

    #[test]
    fn thousands_of_billions_with_one_point_are_left_to_a_person_in_a_commune() {
        let text = "Thu ngân sách nhà nước 6 tháng đầu năm ước đạt 9.751 tỷ đồng, đạt 73,59% kế hoạch.";
        let found = propose(&[tokens(text)], &catalog(), &[], None, true);
        assert_eq!((found[0].value, found[0].cumulative, found[0].plan), (None, None, Some(73.59)));
        let note = crate::messages::Messages::new(crate::messages::Lang::Vi).text(&found[0].notes[0]);
        assert_eq!(note, "số `9.751` không rõ: dấu chấm ở đây là hàng nghìn hay thập phân?");
        let found = propose(&[tokens(text)], &catalog(), &[], None, false);
        assert_eq!(found[0].cumulative, Some(9751.0), "a district's is read as thousands");
    }

    #[test]
    fn a_share_of_the_plan_said_before_the_figure_and_a_sector_of_its_own_are_read_as_such() {
        let text = tokens(
            "Ước thu ngân sách nhà nước trên địa bàn là 404 tỷ đồng, so dự toán giao đạt 42% \
             và bằng 96% so với cùng kỳ.",
        );
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!((found[0].cumulative, found[0].plan, found[0].yoy), (Some(404.0), Some(42.0), Some(-4.0)));
        assert!(found[0].notes.is_empty(), "{:?}", found[0].notes);
        let mut catalog = catalog();
        catalog.indicators[0].label = "Tổng giá trị sản xuất".into();
        let text = tokens(
            "Tổng giá trị sản xuất đạt 900 tỷ đồng; giá trị sản xuất ngành dịch vụ ước đạt hơn 367 tỷ đồng, \
             tăng 14,33% so với cùng kỳ.",
        );
        let found = propose(&[text], &catalog, &[], None, false);
        assert_eq!((found[0].value, found[0].yoy, found.len()), (Some(900.0), None, 1), "{found:?}");
    }

    #[test]
    fn a_label_without_its_head_word_and_a_part_of_a_whole_are_left_alone() {
        let text = tokens(
            "Tổng vốn đầu tư đạt 1.946 tỷ đồng. Trong đó: Vốn ngân sách nhà nước đạt 744 tỷ đồng, chiếm 38,2%.",
        );
        assert_eq!(propose(&[text], &catalog(), &[], None, false), []);
        let text = tokens("Thu ngân sách nhà nước đạt 30 tỷ đồng, chiếm 12% tổng thu của tỉnh.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!((found[0].value, found[0].plan), (Some(30.0), None));
        assert!(
            found[0].notes.is_empty(),
            "a share of a whole is no share of the plan: {:?}",
            found[0].notes
        );
    }

    #[test]
    fn a_figure_right_after_its_span_is_read_and_a_month_is_not() {
        let reviewed = Some(Reviewed { year: 2023, month: 10, running: false });
        let text = tokens(
            "Thu ngân sách nhà nước ước thực hiện tháng 10 đạt 108,987 tỷ đồng, lũy kế 10 tháng 3.798,254 tỷ đồng.",
        );
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert_eq!((found[0].value, found[0].cumulative), (Some(108.987), Some(3798.254)));
        assert!(found[0].notes.is_empty(), "{:?}", found[0].notes);
    }

    #[test]
    fn items_after_a_comma_targets_of_a_list_or_a_resolution_and_a_rates_change_are_not_figures() {
        let reviewed = Some(Reviewed { year: 2020, month: 12, running: true });
        // Another noun after a comma speaks of no indicator before it.
        let text = tokens(
            "Năm 2020, thu ngân sách nhà nước đạt 7,2 tỷ đồng, tỷ lệ tăng đàn gia súc 19,53%. \
             Tỷ lệ hộ nghèo giảm 1,76%, hộ cận nghèo giảm 1,51% so với đầu năm.",
        );
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert_eq!((found[0].cumulative, found[0].yoy), (Some(7.2), None), "{found:?}");
        assert_eq!(found[1].value, None, "a rate's change is not the rate: {found:?}");
        assert_eq!(found[1].notes.len(), 1, "{:?}", found[1].notes);
        // A period to come said before a colon holds for every item of the list.
        let text = tokens(
            "Kỳ họp thông qua Nghị quyết về nhiệm vụ 6 tháng cuối năm 2020 với các chỉ tiêu chủ yếu là: \
             thu nhập bình quân đạt 72 triệu; thu ngân sách nhà nước đạt 9 tỷ đồng; tỷ lệ hộ nghèo còn 1,4%.",
        );
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert!(found.iter().all(|p| p.value.is_none() && p.cumulative.is_none()), "{found:?}");
        // A resolution on a year sets its targets; the year's result is a figure.
        let text = tokens(
            "Kỳ họp thông qua Nghị quyết về phát triển kinh tế - xã hội năm 2021 với các chỉ tiêu chủ yếu như: \
             giảm tỷ lệ hộ nghèo còn 1,4%. Năm 2020, tỷ lệ hộ nghèo giảm còn 1,42%.",
        );
        let found = propose(&[text], &catalog(), &[], reviewed, false);
        assert_eq!((found[0].value, found[0].notes.len()), (Some(1.42), 1), "{found:?}");
        // "sản lượng" is as generic as "giá trị": fish are no rice.
        let mut catalog = catalog();
        (catalog.indicators[0].label, catalog.indicators[0].unit) = ("Sản lượng lúa".into(), "tấn".into());
        let text = tokens("Năm 2020, sản lượng nuôi trồng, khai thác thủy hải sản đạt 907 tấn.");
        assert_eq!(propose(&[text], &catalog, &[], reviewed, false), []);
    }

    #[test]
    fn a_note_quotes_whole_words_from_the_start_of_the_clause_or_its_verb() {
        let messages = crate::messages::Messages::new(crate::messages::Lang::Vi);
        let text = tokens("Thu ngân sách nhà nước đạt 37,2%.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert_eq!(
            messages.text(&found[0].notes[0]),
            "\"Thu ngân sách nhà nước đạt 37,2%\": tỷ lệ chưa ghi (`plan` là % kế hoạch năm)"
        );
        let text =
            tokens("Thu ngân sách nhà nước trên địa bàn phục vụ phát triển kinh tế đạt hơn 37,2% cả năm.");
        let found = propose(&[text], &catalog(), &[], None, false);
        assert!(
            messages.text(&found[0].notes[0]).starts_with("\"đạt hơn 37,2% cả năm\""),
            "{:?}",
            found[0].notes
        );
    }

    #[test]
    fn ratios_take_their_value_in_percent() {
        let glossary = [("NSNN".to_string(), "ngân sách nhà nước".to_string())];
        let text = tokens("Tỷ lệ hộ nghèo còn 2,1%. Lũy kế thu NSNN ước đạt 253 tỷ đồng.");
        let found = propose(&[text], &catalog(), &glossary, None, false);
        assert_eq!(found[0].value, Some(2.1));
        assert_eq!((found[1].cumulative, found[1].estimate), (Some(253.0), true));
    }
}
