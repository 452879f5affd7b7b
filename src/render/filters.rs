//! Tera filters for Vietnamese dates and numbers and for URLs. They produce
//! digits and paths only: words (weekday and month names) live in templates.
//! `url` puts a site path under the base URL's folder; `abs_url` makes it a
//! full URL (feeds, sitemap, sharing tags).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate};
use tera::{Result, Tera, Value};

use crate::vietnamese::date::format_date;
use crate::vietnamese::number::format_number;

pub fn register(tera: &mut Tera, base_url: &str) {
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
        Ok(Value::from(format_number(number, decimals)))
    });
    tera.register_filter("json_ld", JsonLd);
    let folder = crate::site::config::base_path(base_url).to_string();
    tera.register_filter("url", move |value: &Value, _: &HashMap<String, Value>| {
        let path = value.as_str().ok_or_else(|| tera::Error::msg(format!("url: {value} is not a path")))?;
        Ok(Value::from(crate::html::under(&folder, path)))
    });
    let base = base_url.to_string();
    tera.register_filter("abs_url", move |value: &Value, _: &HashMap<String, Value>| {
        let path = value.as_str().unwrap_or_default();
        Ok(Value::from(format!("{base}/{}", path.trim_start_matches('/'))))
    });
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
