//! The periods a text speaks of: "9 tháng đầu năm", "6 tháng cuối năm 2022",
//! "tháng 05 năm 2023", "lũy kế đến tháng 6.2018", "từ đầu năm đến nay",
//! "tính đến ngày 22-2", "năm 2017", "quý I". Reports say the period once,
//! at the start of a sentence or paragraph, and every figure after it is of
//! that period; the meeting's own period is the one it reviews, not the one
//! it plans ("đánh giá … tháng 10 và triển khai nhiệm vụ tháng 11").

use super::text::{sentences, Token};

/// A period, as the text names it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// From January to the end of this month: a running total.
    Running(u32),
    /// One month.
    Month(u32),
    /// From January to now ("từ đầu năm đến nay"): the month is the one reviewed.
    ToDate,
    /// The month reviewed ("Trong tháng, …").
    ThisMonth,
    /// Not the period reported on: one to come ("6 tháng cuối năm", "năm
    /// 2024" planned), or a past one ("năm 2021" in a 2022 report).
    Other,
}

/// A period named at `at` (the index of its first word), with the year when written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spoken {
    pub at: usize,
    pub span: Span,
    pub year: Option<i32>,
    /// Named in months ("9 tháng", "tháng 8"), as a meeting names the
    /// period it reviews; not "đến ngày 10/11" or "quý I".
    pub months: bool,
}

fn month_number(text: &str) -> Option<u32> {
    (text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse::<u32>().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m))
}

fn year_number(text: &str) -> Option<i32> {
    (text.len() == 4).then(|| text.parse::<i32>().ok()).flatten().filter(|y| (1990..=2100).contains(y))
}

/// `6`, `6/2018`, `6.2018`, `6-2018`: a month and the year written with it.
fn month_and_year(text: &str) -> Option<(u32, Option<i32>)> {
    match text.split_once(['/', '.', '-']) {
        Some((m, y)) => Some((month_number(m)?, Some(year_number(y)?))),
        None => Some((month_number(text)?, None)),
    }
}

/// Words before a year that make it no period of the report: "cùng kỳ năm
/// 2017", "đến năm 2030", "tầm nhìn 2030", "giai đoạn 2021", "so với năm 2022".
pub(super) const NOT_THE_PERIOD: &[&str] = &[
    "kỳ", "đến", "nhìn", "đoạn", "với", "từ", "sau", "trước", "khóa", "hoạch", "toán", "giao", "tiêu", "kh",
];

/// The `năm YYYY` written at `i` (the word `năm`), if any.
fn year_after(tokens: &[Token], i: usize) -> Option<i32> {
    (tokens.get(i)?.key == "năm").then(|| year_number(&tokens.get(i + 1)?.text)).flatten()
}

/// Every period named in `tokens`, in order.
pub fn spans_in(tokens: &[Token]) -> Vec<Spoken> {
    let key = |i: usize| tokens.get(i).map_or("", |t| t.key.as_str());
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        // `9 tháng đầu năm (2023)`, `6 tháng cuối năm`, `lũy kế 2 tháng` (not `ngày 7 tháng 8`).
        if let (Some(n), "tháng") = (month_number(&token.text), key(i + 1)) {
            let is_date = month_number(tokens.get(i + 2).map_or("", |t| t.text.as_str())).is_some()
                || matches!(key(i.wrapping_sub(1)), "ngày" | "sáng" | "chiều" | "tối" | "trưa")
                // `Sau hơn 5 tháng vận hành`: a length of time.
                || key(i.wrapping_sub(1)) == "sau"
                || key(i.wrapping_sub(2)) == "sau";
            if !is_date {
                let ahead = matches!(key(i + 2), "cuối" | "còn" | "tới" | "sau");
                let mut end = i + 2;
                if matches!(key(end), "đầu" | "cuối") && key(end + 1) == "năm" {
                    end += 1;
                }
                let year = year_after(tokens, end);
                let span = if ahead { Span::Other } else { Span::Running(n) };
                found.push(Spoken { at: i, span, year, months: true });
                i = end + if year.is_some() { 2 } else { 1 };
                continue;
            }
        }
        // `tháng 8`, `tháng 05 năm 2023`, `tháng 2-2018`, `lũy kế đến tháng 6.2018`.
        if token.key == "tháng"
            && month_number(tokens.get(i.wrapping_sub(1)).map_or("", |t| &t.text)).is_none()
        {
            if let Some((m, written)) = tokens.get(i + 1).and_then(|t| month_and_year(&t.text)) {
                let year = written.or_else(|| year_after(tokens, i + 2));
                let span = if key(i.wrapping_sub(1)) == "đến" { Span::Running(m) } else { Span::Month(m) };
                found.push(Spoken { at: i, span, year, months: true });
                i += if written.is_none() && year.is_some() { 4 } else { 2 };
                continue;
            }
        }
        // `Trong tháng có 8 doanh nghiệp`.
        if token.key == "tháng"
            && key(i.wrapping_sub(1)) == "trong"
            && tokens.get(i + 1).is_some_and(|t| month_and_year(&t.text).is_none())
        {
            found.push(Spoken { at: i, span: Span::ThisMonth, year: None, months: false });
            i += 1;
            continue;
        }
        // `tính đến ngày 22-2`, `đến ngày 13/10`.
        if token.key == "đến" && key(i + 1) == "ngày" {
            if let Some(m) = tokens
                .get(i + 2)
                .and_then(|t| t.text.split_once(['/', '-', '.']))
                .and_then(|(_, m)| month_and_year(m).map(|(m, _)| m))
            {
                found.push(Spoken { at: i, span: Span::Running(m), year: None, months: false });
                i += 3;
                continue;
            }
        }
        // `từ đầu năm đến nay`, `từ đầu năm`.
        if token.key == "từ"
            && key(i + 1) == "đầu"
            && key(i + 2) == "năm"
            && year_number(tokens.get(i + 3).map_or("", |t| &t.text)).is_none()
        {
            found.push(Spoken { at: i, span: Span::ToDate, year: None, months: false });
            i += 3;
            continue;
        }
        // `năm 2017` (not `cùng kỳ năm 2017`, `đến năm 2030`, `2021-2025`).
        if let Some(year) = year_after(tokens, i) {
            let range = tokens.get(i + 1).is_some_and(|t| t.trail.starts_with('-'))
                || matches!(key(i + 2), "-" | "–");
            if !range && !NOT_THE_PERIOD.contains(&key(i.wrapping_sub(1))) {
                found.push(Spoken { at: i, span: Span::Running(12), year: Some(year), months: false });
            }
            i += 2;
            continue;
        }
        // `quý I`: the first three months.
        if token.key == "quý" && tokens.get(i + 1).is_some_and(|t| t.text == "I" || t.text == "1") {
            found.push(Spoken {
                at: i,
                span: Span::Running(3),
                year: year_after(tokens, i + 2),
                months: false,
            });
        }
        i += 1;
    }
    found
}

/// Words that say the period after them is the one reviewed …
const REVIEWING: &[&str] =
    &["đánh giá", "sơ kết", "tổng kết", "kiểm điểm", "trực báo", "báo cáo", "kết quả", "tình hình"];
/// … only a month after them: "phiên họp thường kỳ tháng 10" (not "các kỳ
/// họp thường lệ của năm 2021").
const REGULAR: &[&str] = &["thường kỳ", "lệ kỳ", "thường lệ", "định kỳ"];
/// … and those that say it is the one planned.
/// (`Nghị quyết về phát triển kinh tế - xã hội năm 2024 với các chỉ tiêu …`:
/// a resolution on a year sets its targets.)
const PLANNING: &[&str] =
    &["triển khai", "phương hướng", "đề ra", "quyết định", "chương trình", "nghị quyết về", "phấn đấu"];

/// What the nearest of those words before `at` in `sentence` says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Marker {
    Reviews,
    /// A regular meeting's: reviews a month.
    Regular,
    Plans,
}

pub fn marker(sentence: &[Token], at: usize) -> Option<Marker> {
    for end in (0..at).rev() {
        for (phrases, answer) in
            [(PLANNING, Marker::Plans), (REVIEWING, Marker::Reviews), (REGULAR, Marker::Regular)]
        {
            for phrase in phrases {
                let words: Vec<&str> = phrase.split(' ').collect();
                if end + 1 >= words.len()
                    && sentence[end + 1 - words.len()..=end]
                        .iter()
                        .map(|t| t.key.as_str())
                        .eq(words.iter().copied())
                {
                    return Some(answer);
                }
            }
        }
    }
    None
}

/// The period the meeting reviewed: the first one named after a word of
/// review ("đánh giá", "sơ kết", "thường kỳ", "báo cáo"), in the title, then
/// the paragraphs in order. Spans to come and planned months never count.
pub fn reviewed(title: &[Token], paragraphs: &[Vec<Token>]) -> Option<Spoken> {
    std::iter::once(title).chain(paragraphs.iter().map(Vec::as_slice)).find_map(|paragraph| {
        sentences(paragraph).into_iter().find_map(|sentence| {
            // A whole year is reviewed at the turn of the year only (`year_reviewed`).
            spans_in(sentence).into_iter().filter(|s| s.months).find(|s| {
                match (s.span, marker(sentence, s.at)) {
                    (Span::Month(_), Some(Marker::Reviews | Marker::Regular)) => true,
                    (Span::Running(month), Some(Marker::Reviews)) => month < 12,
                    _ => false,
                }
            })
        })
    })
}

/// The year a text reviews as a whole ("tổng kết năm 2023", "báo cáo tình
/// hình … năm 2022"), not one it plans ("nhiệm vụ năm 2023").
pub fn whole_year(title: &[Token], paragraphs: &[Vec<Token>]) -> Option<i32> {
    std::iter::once(title).chain(paragraphs.iter().map(Vec::as_slice)).find_map(|paragraph| {
        sentences(paragraph).into_iter().find_map(|sentence| {
            spans_in(sentence)
                .into_iter()
                .find(|s| s.span == Span::Running(12) && marker(sentence, s.at) == Some(Marker::Reviews))
                .and_then(|s| s.year)
        })
    })
}

/// A meeting at the turn of the year (December or January) that names no
/// period after a word of review reviews the year it speaks of: "năm 2023"
/// at a session of 20/12/2023 or of 5/1/2024, unless planned ("nhiệm vụ năm 2024").
pub fn year_reviewed(title: &[Token], paragraphs: &[Vec<Token>], month: u32, year: i32) -> Option<Spoken> {
    let wanted = match month {
        12 => year,
        1 => year - 1,
        _ => return None,
    };
    std::iter::once(title).chain(paragraphs.iter().map(Vec::as_slice)).find_map(|paragraph| {
        sentences(paragraph).into_iter().find_map(|sentence| {
            spans_in(sentence).into_iter().find(|s| {
                s.span == Span::Running(12)
                    && s.year == Some(wanted)
                    && marker(sentence, s.at) != Some(Marker::Plans)
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::text::tokens;
    use super::*;

    fn spans(text: &str) -> Vec<(Span, Option<i32>)> {
        spans_in(&tokens(text)).into_iter().map(|s| (s.span, s.year)).collect()
    }

    #[test]
    fn periods_are_read_in_the_forms_reports_write_them() {
        assert_eq!(spans("Trong 9 tháng đầu năm 2023, thu ngân sách"), [(Span::Running(9), Some(2023))]);
        assert_eq!(spans("nhiệm vụ 6 tháng cuối năm 2022"), [(Span::Other, Some(2022))]);
        assert_eq!(spans("nhiệm vụ tháng 05 năm 2023"), [(Span::Month(5), Some(2023))]);
        assert_eq!(spans("ước thực hiện lũy kế đến tháng 6.2018 gần"), [(Span::Running(6), Some(2018))]);
        assert_eq!(spans("tính đến ngày 22-2, thu"), [(Span::Running(2), None)]);
        assert_eq!(spans("từ đầu năm đến nay"), [(Span::ToDate, None)]);
        assert_eq!(spans("Năm 2017, tổng diện tích"), [(Span::Running(12), Some(2017))]);
        assert_eq!(spans("tăng 11,44% so với cùng kỳ năm 2017"), []);
        assert_eq!(spans("tầm nhìn đến năm 2030; nhiệm kỳ 2021 - 2026"), []);
        assert_eq!(spans("Chiều ngày 24 tháng 12 năm 2018"), [(Span::Month(12), Some(2018))]);
    }

    #[test]
    fn the_period_reviewed_is_not_the_one_planned() {
        let lead = tokens(
            "Chiều 31/10/2025, Ban Thường vụ tổ chức Hội nghị nhằm đánh giá kết quả thực hiện \
             nhiệm vụ tháng 10 và triển khai nhiệm vụ trọng tâm tháng 11 năm 2025.",
        );
        let title = tokens("Hội nghị giao ban tháng 11/2025");
        assert_eq!(reviewed(&title, &[lead]).map(|s| s.span), Some(Span::Month(10)));
        let lead = tokens("Ngày 5/7, hội nghị đánh giá nhiệm vụ 6 tháng đầu năm và triển khai nhiệm vụ 6 tháng cuối năm 2022.");
        assert_eq!(reviewed(&[], &[lead]).map(|s| s.span), Some(Span::Running(6)));
        let title = tokens("Triển khai nhiệm vụ tháng 8/2018");
        assert_eq!(reviewed(&title, &[]), None);
    }
}
