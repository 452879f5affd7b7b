//! `/chi-tieu/<id>.xlsx`: the indicator's CSV of each area as one sheet of
//! an Excel workbook, numbers as numeric cells and article addresses as
//! links. The words (headers, spans) are the CSV template's, so the two
//! downloads cannot disagree.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, Worksheet};

/// Characters Excel does not allow in a sheet's name, and its longest name.
const NOT_IN_NAMES: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];
const NAME_CHARS: usize = 31;

/// A workbook of one sheet per (name, CSV text), in order, dated `made`
/// (year, month, day) so that the same figures make the same file.
pub fn workbook(sheets: &[(&str, String)], made: (i32, u32, u32)) -> Vec<u8> {
    let mut book = Workbook::new();
    let (year, month, day) = made;
    if let Ok(date) = ExcelDateTime::from_ymd(year as u16, month as u8, day as u8) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&date));
    }
    for (name, csv) in sheets {
        let sheet = book.add_worksheet();
        let name: String = name.chars().filter(|c| !NOT_IN_NAMES.contains(c)).take(NAME_CHARS).collect();
        sheet.set_name(name.trim()).expect("a name without the characters Excel refuses");
        fill(sheet, csv);
        sheet.autofit();
    }
    book.save_to_buffer().expect("a workbook in memory is always written")
}

fn fill(sheet: &mut Worksheet, csv: &str) {
    let csv = csv.trim_start_matches('\u{feff}');
    for (row, line) in csv.lines().filter(|l| !l.is_empty()).enumerate() {
        for (col, (text, quoted)) in fields(line).into_iter().enumerate() {
            let (row, col) = (row as u32, col as u16);
            let written = match number(&text, quoted) {
                Some(value) if row > 0 => sheet.write_number(row, col, value).map(|_| ()),
                _ if text.starts_with("https://") || text.starts_with("http://") => {
                    sheet.write_url(row, col, text.as_str()).map(|_| ())
                }
                _ => sheet.write_string(row, col, &text).map(|_| ()),
            };
            written.expect("cells within Excel's limits");
        }
    }
}

/// The fields of one CSV line: (text, whether it was quoted).
fn fields(line: &str) -> Vec<(String, bool)> {
    let mut out = vec![(String::new(), false)];
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = out.last_mut().expect("never empty");
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                chars.next();
                field.0.push('"');
            }
            '"' if in_quotes => in_quotes = false,
            '"' if field.0.is_empty() => (in_quotes, field.1) = (true, true),
            ',' if !in_quotes => out.push((String::new(), false)),
            c => field.0.push(c),
        }
    }
    out
}

/// A number as the CSV writes it: quoted the Vietnamese way (`1.234,5`),
/// or a bare `0`/`1` flag.
fn number(text: &str, quoted: bool) -> Option<f64> {
    if !quoted {
        return matches!(text, "0" | "1").then(|| if text == "1" { 1.0 } else { 0.0 });
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once(',').unwrap_or((digits, ""));
    let groups: Vec<&str> = int.split('.').collect();
    let well_grouped = !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !well_grouped || (groups.len() == 1 && groups[0].len() > 1 && groups[0].starts_with('0')) {
        return None;
    }
    format!(
        "{}{}.{}",
        if digits.len() < text.len() { "-" } else { "" },
        groups.concat(),
        if frac.is_empty() { "0" } else { frac }
    )
    .parse()
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_commas_and_quotes_inside_quotes() {
        let line = r#"2023-09,"9 tháng đầu năm 2023","1.234,5",0,,"Ủy ban ""nhân dân""",https://a.vn/x/"#;
        let got = fields(line);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            ["2023-09", "9 tháng đầu năm 2023", "1.234,5", "0", "", "Ủy ban \"nhân dân\"", "https://a.vn/x/"]
        );
        assert_eq!(fields("a,"), [("a".to_string(), false), (String::new(), false)]);
    }

    #[test]
    fn numbers_are_read_the_vietnamese_way_and_text_is_left_alone() {
        assert_eq!(number("1.234,5", true), Some(1234.5));
        assert_eq!(number("-3,5", true), Some(-3.5));
        assert_eq!(number("351,05", true), Some(351.05));
        assert_eq!(number("28", true), Some(28.0));
        assert_eq!(number("1", false), Some(1.0));
        for text in ["tỷ đồng", "năm 2023", "2023-08", "1.23", "12.3456"] {
            assert_eq!(number(text, true), None, "{text}");
        }
        assert_eq!(number("2023-08", false), None);
    }
}
