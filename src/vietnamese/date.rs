//! Dates as staff write them (`2023-08-31`, `31/8/2023`, with an optional
//! time) and as readers read them (`31/8/2023`).

use chrono::{Datelike, NaiveDate, NaiveTime};

/// A meeting's calendar day and, when given, its time.
pub fn parse_date(text: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let text = text.trim();
    let (day, time) = match text.split_once([' ', 'T']) {
        Some((day, time)) => (day, Some(parse_time(time.trim())?)),
        None => (text, None),
    };
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%d/%m/%Y"))
        .ok()?;
    Some((date, time))
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S")).ok()
}

/// A month as `2023-08` or `8/2023`, returned as (year, month).
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let text = text.trim();
    let (year, month) = if let Some((y, m)) = text.split_once('-') {
        (y, m)
    } else {
        let (m, y) = text.split_once('/')?;
        (y, m)
    };
    let (year, month) = (year.parse().ok()?, month.parse().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

/// `31/8/2023`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{}/{}/{}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_date_forms_and_optional_times_parse() {
        let day = NaiveDate::from_ymd_opt(2023, 8, 31).unwrap();
        assert_eq!(parse_date("2023-08-31"), Some((day, None)));
        assert_eq!(parse_date("31/8/2023"), Some((day, None)));
        let (_, time) = parse_date("2023-08-31 08:30").unwrap();
        assert_eq!(time, NaiveTime::from_hms_opt(8, 30, 0));
        assert_eq!(parse_date("31/13/2023"), None);
        assert_eq!(format_date(day), "31/8/2023");
    }

    #[test]
    fn months_parse_in_both_forms() {
        assert_eq!(parse_month("2023-08"), Some((2023, 8)));
        assert_eq!(parse_month("8/2023"), Some((2023, 8)));
        assert_eq!(parse_month("2023-13"), None);
    }
}
