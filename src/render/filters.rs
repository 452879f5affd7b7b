//! Tera filters for Vietnamese dates and numbers and for URLs. They produce
//! digits and paths only: words (weekday and month names) live in templates.
//! `url` puts a site path under the base URL's folder (a fingerprinted
//! theme file under its hashed name); `abs_url` makes it a
//! full URL (feeds, sitemap, sharing tags); `query_value` makes a value safe
//! inside a query string (share links).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate};
use tera::{Result, Tera, Value};

use crate::vietnamese::date::format_date;
use crate::vietnamese::number::format_number;

pub fn register(tera: &mut Tera, base_url: &str, hashed: HashMap<String, String>) {
    tera.register_filter("date_vi", |value: &Value, _: &HashMap<String, Value>| {
        Ok(Value::from(format_date(day(value, "date_vi")?)))
    });
    tera.register_filter("weekday", |value: &Value, _: &HashMap<String, Value>| {
        Ok(Value::from(day(value, "weekday")?.weekday().number_from_monday()))
    });
    tera.register_filter("month_url", |value: &Value, _: &HashMap<String, Value>| {
        let day = day(value, "month_url")?;
        Ok(Value::from(format!("/{:04}/{:02}/", day.year(), day.month())))
    });
    tera.register_filter("number_vi", |value: &Value, args: &HashMap<String, Value>| {
        let number =
            value.as_f64().ok_or_else(|| tera::Error::msg(format!("number_vi: {value} is not a number")))?;
        let decimals = args.get("decimals").and_then(Value::as_u64).map(|d| d.min(6) as usize);
        let formatted = format_number(number, decimals);
        Ok(Value::from(match args.get("unit").and_then(Value::as_str) {
            Some(unit) => with_unit(&formatted, unit),
            None => formatted,
        }))
    });
    tera.register_filter("json_ld", JsonLd);
    tera.register_filter("query_value", |value: &Value, _: &HashMap<String, Value>| {
        Ok(Value::from(query_value(value.as_str().unwrap_or_default())))
    });
    let folder = crate::site::config::base_path(base_url).to_string();
    tera.register_filter("url", move |value: &Value, _: &HashMap<String, Value>| {
        let path = value.as_str().ok_or_else(|| tera::Error::msg(format!("url: {value} is not a path")))?;
        Ok(Value::from(crate::html::under(&folder, hashed.get(path).map_or(path, String::as_str))))
    });
    let base = base_url.to_string();
    tera.register_filter("abs_url", move |value: &Value, _: &HashMap<String, Value>| {
        let path = value.as_str().unwrap_or_default();
        Ok(Value::from(format!("{base}/{}", path.trim_start_matches('/'))))
    });
}

/// A number with its unit: `19,2%` (a percent sign is written close, as
/// with the yearly changes), `93,8\u{a0}tỷ đồng` (a space that never breaks
/// the figure from its unit at the end of a line).
fn with_unit(number: &str, unit: &str) -> String {
    match unit {
        "" => number.to_string(),
        "%" => format!("{number}%"),
        _ => format!("{number}\u{a0}{unit}"),
    }
}

/// Percent-encodes every byte but the unreserved ones of RFC 3986, so that
/// a URL can be one value of another URL's query.
fn query_value(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A value as JSON inside `<script type="application/ld+json">`: JSON-escaped
/// (not HTML-escaped, which would be read as written) with `<`, `>` and `&`
/// as `\u003c`… so that no `</script>` or comment can end the block.
struct JsonLd;

impl tera::Filter for JsonLd {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> Result<Value> {
        let json = serde_json::to_string(value).map_err(tera::Error::json)?;
        Ok(Value::from(json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A calendar day from `2023-08-31` or an RFC 3339 time (its own local day).
fn day(value: &Value, filter: &str) -> Result<NaiveDate> {
    let text = value.as_str().unwrap_or_default();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|t| t.date_naive()))
        .ok_or_else(|| tera::Error::msg(format!("{filter}: `{text}` is not a date")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_percent_is_written_close_and_other_units_after_a_space_that_never_breaks() {
        assert_eq!(super::with_unit("19,2", "%"), "19,2%");
        assert_eq!(super::with_unit("93,8", "tỷ đồng"), "93,8\u{a0}tỷ đồng");
        assert_eq!(super::with_unit("12", ""), "12");
    }

    #[test]
    fn a_url_as_a_query_value_keeps_only_unreserved_characters() {
        assert_eq!(
            super::query_value("https://example.gov.vn/yen-dinh/2023/08/hội-nghị/?a=1&b"),
            "https%3A%2F%2Fexample.gov.vn%2Fyen-dinh%2F2023%2F08%2Fh%E1%BB%99i-ngh%E1%BB%8B%2F%3Fa%3D1%26b"
        );
    }
}
