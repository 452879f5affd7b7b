//! Reading a plain-text article as words: tokens with their punctuation,
//! sentences and clauses, and the phrases `import` looks for — the meeting's
//! day, people's names after "đồng chí", organs, the byline and captions.

use crate::vietnamese::name_key;

/// One word as written, without the punctuation around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The word (NFC, as written): `Huyện`, `351,05`, `19,2%`, `31/8`.
    pub text: String,
    /// Its matching key: lower case, modern tone placement.
    pub key: String,
    /// Punctuation before the word: `(`, `"`.
    pub lead: String,
    /// Punctuation after it: `,`, `;`, `.`, `)`.
    pub trail: String,
}

const LEADING: &[char] = &['(', '[', '"', '“', '‘', '\'', '«'];
/// `-` too: `Kiều Thị Hồng Hoa- Phó Chủ tịch` ends the name at `Hoa`.
const TRAILING: &[char] = &[',', ';', ':', '.', '!', '?', '…', ')', ']', '"', '”', '’', '\'', '»', '-', '–'];

impl Token {
    fn new(word: &str) -> Option<Token> {
        let body = word.trim_start_matches(LEADING);
        let lead = &word[..word.len() - body.len()];
        let mut text = body.trim_end_matches(TRAILING);
        // A decimal number keeps its digits: `1.234.` is `1.234` and a full stop.
        if text.is_empty() {
            text = body;
        }
        let trail = &body[text.len()..];
        (!text.is_empty() || !trail.is_empty()).then(|| Token {
            key: name_key(text),
            text: text.to_string(),
            lead: lead.to_string(),
            trail: trail.to_string(),
        })
    }

    /// The word ends a sentence.
    pub fn ends_sentence(&self) -> bool {
        self.trail.contains(['.', '!', '?', '…'])
    }

    /// The word ends a clause (a sentence's part between commas or semicolons).
    pub fn ends_clause(&self) -> bool {
        self.ends_sentence() || self.trail.contains([',', ';', ':'])
    }

    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase) && self.text.chars().all(char::is_alphabetic)
    }
}

/// The words of a paragraph.
pub fn tokens(paragraph: &str) -> Vec<Token> {
    paragraph.split_whitespace().flat_map(with_unit_apart).filter_map(Token::new).collect()
}

/// `8.375ha` is `8.375` and `ha`.
fn with_unit_apart(word: &str) -> Vec<&str> {
    let digits = word.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(word.len());
    let rest = &word[digits..];
    let unit = rest.trim_end_matches(TRAILING);
    match digits > 0 && !unit.is_empty() && unit.chars().all(char::is_alphabetic) && unit != "%" {
        true => vec![&word[..digits], rest],
        false => vec![word],
    }
}

/// Splits after every word for which `ends` holds.
pub fn split_after(tokens: &[Token], ends: impl Fn(&Token) -> bool) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if ends(token) {
            parts.push(&tokens[start..=i]);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        parts.push(&tokens[start..]);
    }
    parts
}

pub fn sentences(tokens: &[Token]) -> Vec<&[Token]> {
    split_after(tokens, Token::ends_sentence)
}

/// The keys of `tokens` with glossary abbreviations written out
/// (`NSNN` → `ngân sách nhà nước`), for matching labels and names.
pub fn expanded_keys(tokens: &[Token], glossary: &[(String, String)]) -> Vec<String> {
    let mut keys = Vec::with_capacity(tokens.len());
    for token in tokens {
        match glossary.iter().find(|(abbr, _)| *abbr == token.text) {
            Some((_, long)) => keys.extend(name_key(long).split(' ').map(str::to_string)),
            // `thương mại-dịch vụ` is `thương mại - dịch vụ`.
            None if token.key.contains('-') && !token.key.starts_with('-') && !token.key.ends_with('-') => {
                for part in token.key.split('-') {
                    keys.push(part.to_string());
                }
            }
            None => keys.push(token.key.clone()),
        }
    }
    keys
}

/// The first place where `needle` stands as consecutive words of `hay`.
pub fn find_words(hay: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// True when the keys of `tokens`, joined by spaces, contain `phrase`.
pub fn contains_phrase(tokens: &[Token], phrase: &str) -> bool {
    let keys: Vec<String> = tokens.iter().map(|t| t.key.clone()).collect();
    let wanted: Vec<String> = phrase.split(' ').map(str::to_string).collect();
    find_words(&keys, &wanted).is_some()
}

/// Common Vietnamese family names: a capitalized run starting with one of
/// them after "đồng chí" is a person's name.
const SURNAMES: &[&str] = &[
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "trịnh", "đinh", "lương", "mai", "tạ", "lại", "đào", "cao", "hà", "tô", "chu", "lưu",
    "kiều", "văn", "thái", "lâm", "tống", "quách", "khổng", "triệu", "đoàn", "đồng", "trương", "lò", "cầm",
    "hứa", "la", "mạc", "âu", "châu", "diệp", "đàm", "giang", "hàn", "kim", "lục", "nông", "phí", "phùng",
    "quan", "tăng", "thân", "thạch", "tiêu", "từ", "vương", "vi", "lã", "khúc", "khương", "ninh", "nghiêm",
    "doãn", "lăng", "mẫn", "bạch", "ông", "tôn", "viên", "hầu", "cù", "chế", "trà", "lữ", "mông", "hoàng",
    "lưu", "ngọ", "đoàn", "vương", "trình", "lường", "hạ", "phó", "nhữ", "mạnh", "thiều",
];

/// Words of office titles, which are capitalized in official writing but are
/// not names (`đồng chí Bí thư Huyện ủy`).
const TITLE_WORDS: &[&str] = &[
    "bí",
    "thư",
    "chủ",
    "tịch",
    "ủy",
    "viên",
    "trưởng",
    "ban",
    "huyện",
    "tỉnh",
    "xã",
    "đảng",
    "hội",
    "giám",
    "đốc",
    "trực",
    "vụ",
    "chánh",
    "phòng",
    "biểu",
    "ubnd",
    "hđnd",
    "bch",
    "btv",
    "mặt",
    "trận",
    "quân",
    "sự",
    "bộ",
    "đoàn",
    "thể",
];

/// Words that start an office title: one of them inside a capitalized run
/// ends the name before it (`Trịnh Xuân Thúy Bí thư`). Common given names
/// (`Thị`, `An`, `Thường`, `Đại`) are not among them.
const TITLE_STARTS: &[&str] = &[
    "bí",
    "phó",
    "chủ",
    "ủy",
    "trưởng",
    "giám",
    "chánh",
    "tổng",
    "ban",
    "huyện",
    "tỉnh",
    "đảng",
    "ubnd",
    "hđnd",
];

/// A person's name found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    /// It starts with a known family name.
    pub sure: bool,
    /// How many words it has.
    pub words: usize,
}

/// The name that starts at `tokens[i]`, if one does: 2–5 capitalized words.
pub fn name_at(tokens: &[Token], i: usize) -> Option<Name> {
    let mut words: Vec<&Token> = Vec::new();
    for token in &tokens[i..] {
        // `UVBTV`, `HĐND`: an abbreviation after a name is a title.
        let abbreviation = token.text.chars().count() > 1 && !token.text.chars().any(char::is_lowercase);
        if !token.is_capitalized()
            || abbreviation
            || (!words.is_empty() && !token.lead.is_empty())
            || words.len() == 5
        {
            break;
        }
        words.push(token);
        if !token.trail.is_empty() {
            break;
        }
    }
    let first = words.first()?;
    let sure = SURNAMES.contains(&first.key.as_str());
    // A title run into the name (`Trịnh Xuân Thúy Bí thư`) ends it.
    let end = words
        .iter()
        .skip(1)
        .position(|t| TITLE_STARTS.contains(&t.key.as_str()))
        .map_or(words.len(), |p| p + 1);
    words.truncate(end);
    let plausible = sure || words.iter().all(|t| !TITLE_WORDS.contains(&t.key.as_str()));
    if !(2..=5).contains(&words.len()) || !plausible {
        return None;
    }
    let text = words.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
    Some(Name { text, sure, words: words.len() })
}

/// Names introduced in a run of words: after `đồng chí`, `ông`, `bà`, or at the
/// start of a part after `:` or `;` (`các đồng chí: A, Bí thư; B, …`).
pub fn names_in(tokens: &[Token]) -> Vec<Name> {
    let mut names: Vec<Name> = Vec::new();
    // Where the last name ended: a list (`: A, B; C`) goes on after a comma.
    let mut last_end = None;
    for i in 1..tokens.len() {
        let before = &tokens[i - 1];
        let dong_chi = before.key == "chí" && i >= 2 && tokens[i - 2].key == "đồng";
        // `đ/c` is how many portals write "đồng chí".
        let addressed = (dong_chi || matches!(before.key.as_str(), "ông" | "bà" | "đ/c"))
            && (before.trail.is_empty() || before.trail == ":");
        // After a bare `:` or `;` only a run starting with a family name counts.
        let listed = last_end == Some(i) && before.trail == ",";
        if !addressed && !listed && !before.trail.contains([':', ';']) {
            continue;
        }
        // `tại các xã như: Hà Mãn, Xuân Lâm`: examples, here places, not people.
        if !addressed && before.key == "như" {
            continue;
        }
        if let Some(name) = name_at(tokens, i).filter(|n| n.sure || addressed) {
            last_end = Some(i + name.words);
            if !names.iter().any(|n| n.text == name.text) {
                names.push(name);
            }
        }
    }
    names
}

/// The name written just before `tokens[i]`, after a title and not after
/// "đồng chí" (`Phó Chủ tịch HĐND huyện Mai Thị Hạnh chủ trì`): only one
/// that starts with a family name and runs up to that word.
pub fn name_before(tokens: &[Token], i: usize) -> Option<Name> {
    // `… Trần Văn Hải đã chủ trì`
    let i = if i > 0 && tokens[i - 1].key == "đã" { i - 1 } else { i };
    (i.saturating_sub(4)..i.saturating_sub(1))
        .filter(|&start| SURNAMES.contains(&tokens[start].key.as_str()))
        .find_map(|start| name_at(tokens, start).filter(|n| n.sure && start + n.words == i))
}

/// Words that start a meeting place after `tại`.
pub const PLACES: &[&str] = &["hội trường", "trụ sở", "phòng họp", "nhà văn hóa"];

/// The words without the meeting's place (`tại trụ sở HĐND và UBND thị xã,`),
/// which names organs that did not meet.
pub fn without_places(tokens: &[Token]) -> Vec<Token> {
    let mut kept = Vec::with_capacity(tokens.len());
    let mut in_place = false;
    for (i, token) in tokens.iter().enumerate() {
        let next = &tokens[i + 1..tokens.len().min(i + 4)];
        if token.key == "tại" && token.trail.is_empty() && PLACES.iter().any(|p| contains_phrase(next, p)) {
            in_place = true;
        }
        if !in_place {
            kept.push(token.clone());
        }
        in_place &= !token.ends_clause();
    }
    kept
}

/// The day of the meeting: `ngày 31/8`, `sáng 31/8/2023`, `(31/8)`,
/// `ngày 31 tháng 8 năm 2023`. Returns (day, month, year if written).
pub fn meeting_day(tokens: &[Token]) -> Option<(u32, u32, Option<i32>)> {
    for (i, token) in tokens.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| tokens[j].key.as_str());
        let introduced = matches!(before, Some("ngày" | "sáng" | "chiều" | "tối" | "trưa" | "nay" | "hôm"))
            || token.lead.contains('(');
        if !introduced {
            continue;
        }
        if let Some(found) = day_month(&token.text) {
            return Some(found);
        }
        // `Trong 2 ngày 10 và 11.7`: the first day, with the month of the last.
        if let (Ok(day), Some(next)) = (token.text.parse::<u32>(), tokens.get(i + 1)) {
            if matches!(next.key.as_str(), "và" | "đến" | "-") || token.trail == "," {
                let last = if token.trail == "," { i + 1 } else { i + 2 };
                if let Some((_, month, year)) = tokens.get(last).and_then(|t| day_month(&t.text)) {
                    if (1..=31).contains(&day) {
                        return Some((day, month, year));
                    }
                }
            }
        }
        // ngày 31 tháng 8 (năm 2023)
        let word = |k: usize| tokens.get(i + k).map(|t| t.text.as_str());
        let (Some(day), Some("tháng"), Some(month)) = (
            token.text.parse::<u32>().ok(),
            tokens.get(i + 1).map(|t| t.key.as_str()),
            word(2).and_then(|m| m.parse::<u32>().ok()),
        ) else {
            continue;
        };
        let year = (tokens.get(i + 3).map(|t| t.key.as_str()) == Some("năm"))
            .then(|| word(4).and_then(|y| y.parse::<i32>().ok()))
            .flatten();
        if (1..=31).contains(&day) && (1..=12).contains(&month) {
            return Some((day, month, year));
        }
    }
    None
}

/// `31/8`, `31-8` or `31/8/2023`.
fn day_month(text: &str) -> Option<(u32, u32, Option<i32>)> {
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (day, month, year) = match parts[..] {
        [d, m] => (number(d)?, number(m)?, None),
        [d, m, y] if y.len() == 4 => (number(d)?, number(m)?, Some(number(y)?)),
        _ => return None,
    };
    ((1..=31).contains(&day) && (1..=12).contains(&month)).then_some((day as u32, month as u32, year))
}

/// Years the text speaks of, with the month when written as `tháng 9/2023`
/// (or a full date): what the meeting's year is guessed from.
pub fn years_mentioned(tokens: &[Token]) -> Vec<(Option<u32>, i32)> {
    let mut years = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| tokens[j].key.as_str());
        let plausible = |y: i32| (1990..=2100).contains(&y);
        // `đến năm 2045`, `tầm nhìn đến năm 2030`, `cùng kỳ năm 2022`: not the year of the meeting.
        let far =
            i.checked_sub(2).is_some_and(|j| super::period::NOT_THE_PERIOD.contains(&tokens[j].key.as_str()));
        match before {
            Some("năm") if !far => {
                if let Some(year) = token.text.parse::<i32>().ok().filter(|y| plausible(*y)) {
                    years.push((None, year));
                }
            }
            Some("tháng") => {
                if let Some((m, y)) = token.text.split_once(['/', '-', '.']) {
                    if let (Ok(m), Ok(y)) = (m.parse::<u32>(), y.parse::<i32>()) {
                        if (1..=12).contains(&m) && plausible(y) {
                            years.push((Some(m), y));
                        }
                    }
                }
            }
            _ => {
                if let Some((_, m, Some(y))) = day_month(&token.text).filter(|d| d.2.is_some_and(plausible)) {
                    years.push((Some(m), y));
                }
            }
        }
    }
    years
}

/// The last line names the writers and their unit: `Đức Nguyên-Hiệp Thương,
/// TTVHTTTTDL`, `Tin, ảnh: Minh Hằng (Đài TT huyện)`. Returns the authors and
/// the source, or None when the line does not look like a byline.
pub fn byline(line: &str) -> Option<(Vec<String>, Option<String>)> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 100 || line.ends_with(['.', '!', '?', ':', ';']) {
        return None;
    }
    // `(CTV: Khánh Nguyễn)`: the whole line in brackets.
    let line = match line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
        Some(inner) if !inner.contains(['(', ')']) => inner.trim(),
        _ => line,
    };
    let line = match line.split_once(':') {
        Some((prefix, rest)) if prefix.chars().count() <= 12 => rest.trim(),
        _ => line,
    };
    // `CTV Phương Liên`, `PV Minh Hằng`: the writer's role before the name.
    let line = match line.split_once(' ') {
        Some((role, rest)) if ROLES.contains(&role) => rest.trim(),
        _ => line,
    };
    // `TRÚC GIANG`, `HIỀN THÚY - ĐÌNH HIỆP`: names in capitals, of two words or more.
    let recased;
    let line = if line.chars().any(char::is_uppercase) && !line.chars().any(char::is_lowercase) {
        let names = line.split(['-', '–', ',', '&']).map(str::trim);
        if !names.clone().all(|n| (2..=5).contains(&n.split_whitespace().count())) {
            return None;
        }
        recased = line.split(' ').map(capitalized).collect::<Vec<_>>().join(" ");
        recased.as_str()
    } else {
        line
    };
    let (names, source) = if let Some(open) = line.rfind('(').filter(|_| line.ends_with(')')) {
        (&line[..open], Some(line[open + 1..line.len() - 1].trim()))
    } else if let Some((names, last)) = line.rsplit_once(',') {
        if looks_like_person(last.trim()) {
            (line, None)
        } else {
            (names, Some(last.trim()))
        }
    } else if let Some((names, unit)) = line.split_once(" - ").or_else(|| line.split_once(" – ")) {
        // `Quang Vinh - Văn phòng HĐND - UBND huyện`: a unit after a spaced dash.
        if looks_like_person(unit.trim()) {
            (line, None)
        } else {
            (names, Some(unit.trim()))
        }
    } else {
        (line, None)
    };
    let authors: Vec<String> = names
        .split(['-', '–', ',', '&'])
        .flat_map(|part| part.split(" và "))
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect();
    if authors.is_empty() || !authors.iter().all(|name| looks_like_person(name)) {
        return None;
    }
    Some((authors, source.filter(|s| !s.is_empty()).map(str::to_string)))
}

/// How bylines name the writer's role before the name.
const ROLES: &[&str] = &["CTV", "PV", "BTV", "TTV"];

/// `GIANG` → `Giang`.
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

/// One to five capitalized words, not an all-capitals abbreviation.
fn looks_like_person(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && w.chars().all(char::is_alphabetic)
                && chars.any(char::is_lowercase)
        })
}

/// A short line between paragraphs that reads like a photo caption
/// (`Đại biểu tham dự hội nghị.`): one sentence of at most 15 words, no figures.
pub fn is_caption(paragraph: &str) -> bool {
    let text = paragraph.trim();
    // `Quang cảnh Kỳ họp thứ 17, HĐND huyện Nông Sơn khóa XII. Ảnh: T.P`:
    // a photo's credit at the end makes a caption, figures or not.
    let lower = text.to_lowercase();
    let credit = lower.rfind("ảnh:").is_some_and(|at| {
        let opens = lower[..at].trim_end().chars().next_back().is_none_or(|c| matches!(c, '.' | '('));
        opens && lower[at + "ảnh:".len()..].split_whitespace().count() <= 4
    });
    if credit && text.chars().count() <= 200 {
        return true;
    }
    let words = text.split_whitespace().count();
    let body = text.trim_end_matches(['.', '…']);
    (2..=15).contains(&words)
        && text.chars().count() <= 120
        && !body.contains(['.', ';', ':', '?', '!'])
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_ascii_digit())
        && text.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn keys(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_lose_their_punctuation_but_numbers_keep_their_digits() {
        assert_eq!(
            keys("hội nghị định kỳ (mở rộng), 351,05 tỷ đồng; 19,2%."),
            ["hội", "nghị", "định", "kỳ", "mở", "rộng", "351,05", "tỷ", "đồng", "19,2%"]
        );
        let t = &tokens("lên 1.234.")[1];
        assert_eq!((t.text.as_str(), t.trail.as_str()), ("1.234", "."));
    }

    #[test]
    fn names_follow_dong_chi_and_stop_at_the_title() {
        let words = tokens("Đồng chí Trịnh Xuân Thúy, Ủy viên BCH Đảng bộ tỉnh, Bí thư Huyện ủy khai mạc và chủ trì hội nghị.");
        assert_eq!(names_in(&words), [Name { text: "Trịnh Xuân Thúy".into(), sure: true, words: 3 }]);
        let words = tokens("đồng chí Bí thư Huyện ủy ghi nhận; các đồng chí Ủy viên BTV Huyện ủy");
        assert!(names_in(&words).is_empty());
        let words = tokens(
            "Tham dự họp có đ/c Nguyễn Kim Diện, Tỉnh ủy viên; đ/c Nguyễn Văn Hán, Phó Chủ tịch HĐND huyện",
        );
        let found: Vec<String> = names_in(&words).into_iter().map(|n| n.text).collect();
        assert_eq!(found, ["Nguyễn Kim Diện", "Nguyễn Văn Hán"]);
        let words = tokens("tình hình ô nhiễm nguồn nước tại các xã như: Hà Mãn, Xuân Lâm và Song Liễu");
        assert!(names_in(&words).is_empty(), "places given as examples are no people");
        let words = tokens("Chủ tọa kỳ họp gồm các đồng chí: Vũ Ngọc Thưởng, Chủ tịch HĐND huyện; Lê Văn Hùng, Phó Chủ tịch.");
        let found: Vec<String> = names_in(&words).into_iter().map(|n| n.text).collect();
        assert_eq!(found, ["Vũ Ngọc Thưởng", "Lê Văn Hùng"]);
        let words = tokens("Cùng dự có các đồng chí Phó Chủ tịch UBND huyện: Hoàng Minh Tuấn, Đỗ Thị Ngọc Lan; lãnh đạo các phòng.");
        let found: Vec<String> = names_in(&words).into_iter().map(|n| n.text).collect();
        assert_eq!(found, ["Hoàng Minh Tuấn", "Đỗ Thị Ngọc Lan"]);
    }

    #[test]
    fn a_name_right_after_a_title_is_found_before_its_verb() {
        let words = tokens("Phó Chủ tịch HĐND huyện Mai Thị Hạnh chủ trì Hội nghị.");
        let verb = words.iter().position(|t| t.key == "trì").unwrap() - 1;
        assert_eq!(name_before(&words, verb).map(|n| n.text), Some("Mai Thị Hạnh".into()));
        let words = tokens("UBND huyện Tây Giang chủ trì kỳ họp.");
        let verb = words.iter().position(|t| t.key == "trì").unwrap() - 1;
        assert_eq!(name_before(&words, verb), None, "a place is no person");
        let words = tokens("Phó Chủ tịch HĐND thị xã - Trần Văn Hải đã chủ trì cuộc họp.");
        let verb = words.iter().position(|t| t.key == "trì").unwrap() - 1;
        assert_eq!(name_before(&words, verb).map(|n| n.text), Some("Trần Văn Hải".into()));
    }

    #[test]
    fn a_meeting_place_is_left_out_up_to_its_comma() {
        let words =
            tokens("Chiều ngày 27/11/2015 tại trụ sở HĐND và UBND thị xã, Phó Chủ tịch HĐND thị xã chủ trì.");
        let kept: Vec<String> = without_places(&words).into_iter().map(|t| t.text).collect();
        assert_eq!(kept.join(" "), "Chiều ngày 27/11/2015 Phó Chủ tịch HĐND thị xã chủ trì");
    }

    #[test]
    fn a_dash_stuck_to_a_name_ends_it() {
        let words = tokens(
            "Dự kỳ họp có bà Kiều Thị Hồng Hoa- Phó Chủ tịch HĐND huyện; ông Đào Hải Nam- trưởng ban; \
             đồng chí Đặng Văn Toàn UVBTV- Trưởng Ban Dân vận.",
        );
        let names: Vec<String> = names_in(&words).into_iter().map(|n| n.text).collect();
        assert_eq!(names, ["Kiều Thị Hồng Hoa", "Đào Hải Nam", "Đặng Văn Toàn"]);
    }

    #[test]
    fn decomposed_text_gives_the_same_names() {
        let nfd: String = "Dự hội nghị có đồng chí Vũ Ngọc Thưởng, Phó Bí thư".nfd().collect();
        let nfc = crate::vietnamese::nfc(&nfd).into_owned();
        assert_eq!(names_in(&tokens(&nfc))[0].text, "Vũ Ngọc Thưởng");
    }

    #[test]
    fn the_meeting_day_is_found_in_its_usual_phrases() {
        assert_eq!(meeting_day(&tokens("Thực hiện chương trình, sáng ngày 31/8, Ban")), Some((31, 8, None)));
        assert_eq!(meeting_day(&tokens("Chiều 5/9/2023, UBND huyện")), Some((5, 9, Some(2023))));
        assert_eq!(meeting_day(&tokens("Ngày 12 tháng 7 năm 2023, HĐND")), Some((12, 7, Some(2023))));
        assert_eq!(meeting_day(&tokens("nhiệm vụ tháng 9/2023")), None);
    }

    #[test]
    fn years_come_from_month_phrases_and_nam() {
        let found = years_mentioned(&tokens("chương trình công tác năm 2023, nhiệm vụ tháng 9/2023"));
        assert_eq!(found, [(None, 2023), (Some(9), 2023)]);
    }

    #[test]
    fn the_byline_splits_into_authors_and_source() {
        let (authors, source) = byline("Đức Nguyên-Hiệp Thương, TTVHTTTTDL").unwrap();
        assert_eq!(authors, ["Đức Nguyên", "Hiệp Thương"]);
        assert_eq!(source.as_deref(), Some("TTVHTTTTDL"));
        let (authors, source) = byline("Tin, ảnh: Minh Hằng (Đài Truyền thanh huyện)").unwrap();
        assert_eq!(
            (authors, source.as_deref()),
            (vec!["Minh Hằng".to_string()], Some("Đài Truyền thanh huyện"))
        );
        assert_eq!(byline("Lê Hà, Quang Vinh").unwrap().0, ["Lê Hà", "Quang Vinh"]);
        let (authors, source) = byline("Quang Vinh - Văn phòng HĐND - UBND huyện").unwrap();
        assert_eq!(
            (authors, source.as_deref()),
            (vec!["Quang Vinh".to_string()], Some("Văn phòng HĐND - UBND huyện"))
        );
        assert_eq!(
            byline("Minh Hằng - Thanh Tâm").unwrap(),
            (vec!["Minh Hằng".into(), "Thanh Tâm".into()], None)
        );
        assert!(byline("Tình hình chính trị xã hội ổn định.").is_none());
        let names = |line: &str| byline(line).map(|(authors, _)| authors);
        assert_eq!(names("HIỀN THÚY - ĐÌNH HIỆP").unwrap(), ["Hiền Thúy", "Đình Hiệp"]);
        assert_eq!(names("TRÚC GIANG").unwrap(), ["Trúc Giang"]);
        assert_eq!(names("(CTV: Khánh Nguyễn)").unwrap(), ["Khánh Nguyễn"]);
        assert_eq!(names("CTV Phương Liên").unwrap(), ["Phương Liên"]);
        assert_eq!(names("UBND"), None, "an abbreviation in capitals is no name");
    }

    #[test]
    fn short_lines_without_figures_are_captions() {
        assert!(is_caption("Đại biểu tham dự hội nghị."));
        assert!(is_caption("Đồng chí Trịnh Xuân Thúy phát biểu kết luận hội nghị."));
        assert!(!is_caption("Giá trị sản xuất công nghiệp tháng 8 ước đạt 351,05 tỷ đồng."));
        assert!(!is_caption("Trong tháng 8/2023, BTV Huyện ủy đã tập trung lãnh đạo. Tình hình ổn định."));
        assert!(is_caption("Quang cảnh Kỳ họp thứ 17, HĐND huyện Nông Sơn khóa XII. Ảnh: T.P"));
        assert!(is_caption("Quang cảnh cuộc họp (ảnh: Thanh Khoa)"));
        assert!(!is_caption(
            "Hội nghị thông qua 12 nội dung. Trong ảnh: các đại biểu biểu quyết thông qua nghị quyết."
        ));
    }
}
