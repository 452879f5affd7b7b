//! site.yaml: settings, catalogues and glossary, read raw and then resolved.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::Deserialize;
use serde_yaml::Value;

use super::catalog::{Area, Catalog, Indicator, IndicatorKind, Organ};
use crate::diagnostics::{did_you_mean, Diagnostic, Problem};
use crate::source::SourceFile;
use crate::vietnamese::slugify;
use crate::yaml::{self, check_mapping, check_sequence, Checked, Issue, Places};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    per_page: Option<usize>,
    area: Option<String>,
    areas: Option<Vec<RawArea>>,
    organs: Option<Vec<RawOrgan>>,
    indicators: Option<Vec<RawIndicator>>,
    glossary: Option<BTreeMap<String, String>>,
    logo: Option<String>,
    publisher: Option<RawPublisher>,
    extra: Option<Value>,
}

/// The footer a government portal must show (Nghị định 42/2022/NĐ-CP).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    owner: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    responsible: Option<String>,
    licence: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrgan {
    id: Option<String>,
    name: Option<String>,
    aliases: Option<Vec<String>>,
    description: Option<String>,
    area: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArea {
    id: Option<String>,
    name: Option<String>,
    level: Option<String>,
    parent: Option<String>,
    aliases: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Option<String>,
    label: Option<String>,
    unit: Option<String>,
    kind: Option<RawKind>,
    group: Option<String>,
    highlight: Option<bool>,
    description: Option<String>,
    aliases: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RawKind {
    Flow,
    Level,
    Ratio,
}

impl Checked for RawConfig {
    fn check_nested(key: &str, value: &Value, path: &str, issues: &mut Vec<Issue>) -> bool {
        match key {
            "organs" => check_sequence::<RawOrgan>(value, path, issues),
            "areas" => check_sequence::<RawArea>(value, path, issues),
            "indicators" => check_sequence::<RawIndicator>(value, path, issues),
            "publisher" => match value {
                Value::Mapping(map) => {
                    check_mapping::<RawPublisher>(map, path, issues);
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
}

impl Checked for RawOrgan {}

impl Checked for RawArea {}

impl Checked for RawIndicator {}

impl Checked for RawPublisher {}

/// The site's settings, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Without a trailing slash; empty for a site with relative URLs only.
    pub base_url: String,
    pub language: String,
    pub timezone: Tz,
    pub per_page: usize,
    pub catalog: Catalog,
    /// Abbreviation and its expansion, longest abbreviation first.
    pub glossary: Vec<(String, String)>,
    /// The site path of the emblem shown in the header and as the favicon.
    pub logo: String,
    pub publisher: Publisher,
    pub extra: Value,
}

/// Who publishes the site, for the footer; every field optional.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Publisher {
    pub owner: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub responsible: Option<String>,
    pub licence: Option<String>,
}

impl Config {
    /// The path of `base_url`: what every URL the site makes starts with.
    pub fn base_path(&self) -> &str {
        base_path(&self.base_url)
    }

    /// Reads site.yaml from its decoded text; every problem is reported.
    pub fn parse(file: &SourceFile) -> Result<Config, Vec<Diagnostic>> {
        let places = Places::scan(&file.text);
        let at = |path: &str, at_key: bool, problem| places.diagnostic(file, 1, (path, at_key), problem);
        let raw: RawConfig = match serde_yaml::from_str(&file.text) {
            Ok(raw) => raw,
            Err(error) => return Err(all_problems(file, &error, &at)),
        };
        let mut errors = Vec::new();
        let title = raw.title.unwrap_or_else(|| {
            errors.push(at("title", true, Problem::MissingField { field: "title" }));
            String::new()
        });
        let timezone_name = raw.timezone.unwrap_or_else(|| "Asia/Ho_Chi_Minh".into());
        let timezone = timezone_name.parse::<Tz>().unwrap_or_else(|_| {
            errors.push(at("timezone", false, Problem::BadTimezone { value: timezone_name }));
            chrono_tz::Asia::Ho_Chi_Minh
        });
        let mut areas = Vec::new();
        let raw_areas = raw.areas.unwrap_or_default();
        for (i, raw) in raw_areas.iter().enumerate() {
            let path = format!("areas[{i}]");
            let Some(name) = raw.name.clone() else {
                errors.push(at(&path, true, Problem::MissingField { field: "name" }));
                continue;
            };
            let id = slugify(raw.id.as_deref().unwrap_or(&name));
            if id.is_empty() {
                errors.push(at(&format!("{path}.id"), false, Problem::EmptyId));
            }
            let aliases = raw.aliases.clone().unwrap_or_default();
            areas.push(Area { id, name, level: raw.level.clone(), parent: None, aliases });
        }
        // Areas are looked up by name from here on: parents, organs, the site's own.
        let mut lookup = Catalog::default();
        // Its clashes are the catalogue's, reported below.
        lookup.set_areas(areas.clone());
        let find_area = |name: &str, path: &str, errors: &mut Vec<Diagnostic>| {
            let found = lookup.find_area(name);
            if found.is_none() {
                let suggestions = did_you_mean(name, lookup.area_names(), 3);
                errors.push(at(path, false, Problem::UnknownArea { name: name.to_string(), suggestions }));
            }
            found
        };
        let named = raw_areas.iter().enumerate().filter(|(_, raw)| raw.name.is_some());
        for ((i, raw), area) in named.zip(areas.iter_mut()) {
            if let Some(parent) = raw.parent.as_deref() {
                area.parent = find_area(parent, &format!("areas[{i}].parent"), &mut errors);
            }
        }
        let home = match raw.area.as_deref() {
            Some(name) => find_area(name, "area", &mut errors),
            None => (!areas.is_empty()).then_some(0),
        };
        let mut organs = Vec::new();
        for (i, raw) in raw.organs.unwrap_or_default().into_iter().enumerate() {
            let path = format!("organs[{i}]");
            let (Some(name), id) = (raw.name, raw.id) else {
                errors.push(at(&path, true, Problem::MissingField { field: "name" }));
                continue;
            };
            let id = slugify(id.as_deref().unwrap_or(&name));
            // Its page is `/co-quan/<id>/`: an empty id would be the list of organs.
            if id.is_empty() {
                errors.push(at(&format!("{path}.id"), false, Problem::EmptyId));
            }
            let aliases = raw.aliases.unwrap_or_default();
            let area = raw.area.and_then(|a| find_area(&a, &format!("{path}.area"), &mut errors));
            let area = area.filter(|a| Some(*a) != home);
            organs.push(Organ { id, name, aliases, description: raw.description, area });
        }
        let mut indicators: Vec<Indicator> = Vec::new();
        for (i, raw) in raw.indicators.unwrap_or_default().into_iter().enumerate() {
            let path = format!("indicators[{i}]");
            let missing =
                [("id", raw.id.is_none()), ("label", raw.label.is_none()), ("unit", raw.unit.is_none())];
            if let Some((field, _)) = missing.into_iter().find(|(_, absent)| *absent) {
                errors.push(at(&path, true, Problem::MissingField { field }));
                continue;
            }
            if raw.id.as_deref().is_some_and(|id| slugify(id).is_empty()) {
                errors.push(at(&format!("{path}.id"), false, Problem::EmptyId));
            }
            if let Some(id) = raw.id.as_ref().filter(|id| indicators.iter().any(|known| &known.id == *id)) {
                errors.push(at(&format!("{path}.id"), false, Problem::DuplicateIndicator { id: id.clone() }));
            }
            indicators.push(Indicator {
                id: raw.id.unwrap_or_default(),
                label: raw.label.unwrap_or_default(),
                unit: raw.unit.unwrap_or_default(),
                kind: match raw.kind.unwrap_or(RawKind::Flow) {
                    RawKind::Flow => IndicatorKind::Flow,
                    RawKind::Level => IndicatorKind::Level,
                    RawKind::Ratio => IndicatorKind::Ratio,
                },
                group: raw.group,
                highlight: raw.highlight.unwrap_or(false),
                description: raw.description,
                aliases: raw.aliases.unwrap_or_default(),
            });
        }
        let (mut catalog, clashes) = Catalog::new(organs, indicators);
        for key in clashes {
            errors.push(Diagnostic::file(&file.path, Problem::DuplicateOrgan { key }));
        }
        for (name, first, second) in catalog.shared_indicator_names() {
            errors.push(Diagnostic::file(&file.path, Problem::SharedIndicatorName { name, first, second }));
        }
        for key in catalog.set_areas(areas) {
            errors.push(Diagnostic::file(&file.path, Problem::DuplicateArea { key }));
        }
        catalog.home = home;
        let mut glossary: Vec<(String, String)> = raw.glossary.unwrap_or_default().into_iter().collect();
        glossary.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            title,
            description: raw.description.unwrap_or_default(),
            base_url: raw.base_url.unwrap_or_default().trim_end_matches('/').to_string(),
            language: raw.language.unwrap_or_else(|| "vi".into()),
            timezone,
            per_page: raw.per_page.unwrap_or(20).max(1),
            catalog,
            glossary,
            logo: raw.logo.unwrap_or_else(|| "/logo.svg".into()),
            publisher: raw.publisher.map_or_else(Publisher::default, |raw| {
                let RawPublisher { owner, address, phone, email, responsible, licence } = raw;
                Publisher { owner, address, phone, email, responsible, licence }
            }),
            extra: raw.extra.unwrap_or(Value::Null),
        })
    }
}

/// serde stopped at its first problem: look at every key to report them all.
fn all_problems(
    file: &SourceFile,
    error: &serde_yaml::Error,
    at: &dyn Fn(&str, bool, Problem) -> Diagnostic,
) -> Vec<Diagnostic> {
    let first = || vec![yaml::syntax_error(file, 1, error)];
    let Ok(Value::Mapping(map)) = serde_yaml::from_str::<Value>(&file.text) else {
        return first();
    };
    let mut issues = Vec::new();
    check_mapping::<RawConfig>(&map, "", &mut issues);
    if issues.is_empty() {
        return first();
    }
    issues.into_iter().map(|i| at(&i.path, i.at_key, i.problem)).collect()
}

/// The path part of a base URL, without its trailing slash: `/yen-dinh` for
/// `https://example.gov.vn/yen-dinh/`, empty for a site at a domain's root.
pub fn base_path(base_url: &str) -> &str {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None if base_url.starts_with('/') => base_url,
        None => "",
    };
    path.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_checked_are_the_serde_fields() {
        assert_eq!(crate::yaml::keys::<RawOrgan>(), ["id", "name", "aliases", "description", "area"]);
        assert_eq!(crate::yaml::keys::<RawArea>(), ["id", "name", "level", "parent", "aliases"]);
        assert!(crate::yaml::keys::<RawConfig>().contains(&"base_url"));
        assert!(crate::yaml::keys::<RawIndicator>().contains(&"highlight"));
    }

    #[test]
    fn the_base_path_is_the_folder_of_the_base_url() {
        assert_eq!(base_path("https://example.gov.vn/yen-dinh/"), "/yen-dinh");
        assert_eq!(base_path("https://example.gov.vn/so/yen-dinh"), "/so/yen-dinh");
        assert_eq!(base_path("https://example.gov.vn"), "");
        assert_eq!(base_path("https://example.gov.vn/"), "");
        assert_eq!(base_path("/yen-dinh/"), "/yen-dinh");
        assert_eq!(base_path(""), "");
    }
}
