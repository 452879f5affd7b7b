//! The area, organ and indicator catalogues, and matching names against them.

use std::collections::HashMap;

use crate::vietnamese::{name_key, slugify};

#[derive(Debug, Clone)]
pub struct Organ {
    /// URL segment: `/co-quan/<id>/`.
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// The area whose figures it reports; None: the site's own.
    pub area: Option<usize>,
}

/// An administrative unit whose figures are reported (`areas:`).
#[derive(Debug, Clone)]
pub struct Area {
    /// URL segment: `/chi-tieu/<indicator>/<id>/`.
    pub id: String,
    pub name: String,
    /// `huyện`, `xã`…: free text, shown as written.
    pub level: Option<String>,
    /// Position of the parent area in the catalogue.
    pub parent: Option<usize>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorKind {
    /// Per period, summed over a year.
    Flow,
    /// A stock at a moment.
    Level,
    /// A percentage.
    Ratio,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub kind: IndicatorKind,
    pub group: Option<String>,
    pub highlight: bool,
    pub description: Option<String>,
    /// Other ways articles name it (`thu NSNN`), matched like the label.
    pub aliases: Vec<String>,
}

impl Indicator {
    /// The label, then the aliases: every name the indicator is recognized by.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.label.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// Areas, organs and indicators, with lookups by normalized name and by id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub areas: Vec<Area>,
    /// The site's own area (`area:`, else the first of `areas:`); None
    /// without `areas:`, when the whole site is one area.
    pub home: Option<usize>,
    area_keys: HashMap<String, usize>,
    pub organs: Vec<Organ>,
    pub indicators: Vec<Indicator>,
    organ_keys: HashMap<String, usize>,
    indicator_ids: HashMap<String, usize>,
    /// No `organs:` in site.yaml: organs come from the names articles use.
    pub open_organs: bool,
}

impl Catalog {
    /// Builds the lookups; returns the keys that name two different organs.
    pub fn new(organs: Vec<Organ>, indicators: Vec<Indicator>) -> (Self, Vec<String>) {
        let open_organs = organs.is_empty();
        let mut catalog = Catalog { organs, indicators, open_organs, ..Catalog::default() };
        let mut clashes = Vec::new();
        for (i, organ) in catalog.organs.iter().enumerate() {
            let names = std::iter::once(&organ.id).chain([&organ.name]).chain(&organ.aliases);
            for name in names {
                if let Some(other) = catalog.organ_keys.insert(name_key(name), i) {
                    if other != i {
                        clashes.push(name.clone());
                    }
                }
            }
        }
        // Two indicators with one id are reported where they are read (config.rs).
        for (i, indicator) in catalog.indicators.iter().enumerate() {
            catalog.indicator_ids.entry(indicator.id.clone()).or_insert(i);
        }
        (catalog, clashes)
    }

    /// Adds an organ for each name not yet known (sites without `organs:`).
    pub fn add_open_organs<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let key = name_key(name);
            if self.organ_keys.contains_key(&key) {
                continue;
            }
            self.organ_keys.insert(key, self.organs.len());
            self.organs.push(Organ {
                id: slugify(name),
                name: name.trim().to_string(),
                aliases: Vec::new(),
                description: None,
                area: None,
            });
        }
    }

    /// Sets the areas; returns the names that name two different areas.
    pub fn set_areas(&mut self, areas: Vec<Area>) -> Vec<String> {
        let mut clashes = Vec::new();
        for (i, area) in areas.iter().enumerate() {
            for name in std::iter::once(&area.id).chain([&area.name]).chain(&area.aliases) {
                if self.area_keys.insert(name_key(name), i).is_some_and(|other| other != i) {
                    clashes.push(name.clone());
                }
            }
        }
        self.areas = areas;
        clashes
    }

    /// The area named by `name`: its id, name or an alias, after normalization.
    pub fn find_area(&self, name: &str) -> Option<usize> {
        self.area_keys.get(&name_key(name)).copied()
    }

    /// Names and ids an unknown area name may have meant.
    pub fn area_names(&self) -> impl Iterator<Item = &str> {
        self.areas.iter().flat_map(|a| {
            [a.id.as_str(), a.name.as_str()].into_iter().chain(a.aliases.iter().map(String::as_str))
        })
    }

    /// An area as a series key: None for the site's own area.
    pub fn away(&self, area: usize) -> Option<usize> {
        (Some(area) != self.home).then_some(area)
    }

    /// The organ named by `name`: its id, name or an alias, after normalization.
    pub fn find_organ(&self, name: &str) -> Option<usize> {
        self.organ_keys.get(&name_key(name)).copied()
    }

    pub fn find_indicator(&self, id: &str) -> Option<usize> {
        self.indicator_ids.get(id.trim()).copied()
    }

    /// The indicator whose label or alias is `name`, after normalization.
    pub fn find_indicator_by_name(&self, name: &str) -> Option<usize> {
        let key = name_key(name);
        self.indicators.iter().position(|i| i.names().any(|n| name_key(n) == key))
    }

    /// Names (labels or aliases) given to two indicators, after normalization:
    /// the name as the second one writes it, and the two ids.
    pub fn shared_indicator_names(&self) -> Vec<(String, String, String)> {
        let mut owners: HashMap<String, usize> = HashMap::new();
        let mut shared = Vec::new();
        for (i, indicator) in self.indicators.iter().enumerate() {
            for name in indicator.names() {
                match owners.insert(name_key(name), i) {
                    Some(other) if other != i => {
                        let first = self.indicators[other].id.clone();
                        shared.push((name.to_string(), first, indicator.id.clone()));
                    }
                    _ => {}
                }
            }
        }
        shared
    }

    /// Names and ids an unknown organ name may have meant.
    pub fn organ_names(&self) -> impl Iterator<Item = &str> {
        self.organs
            .iter()
            .flat_map(|o| std::iter::once(o.name.as_str()).chain(o.aliases.iter().map(String::as_str)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organ(id: &str, name: &str, aliases: &[&str]) -> Organ {
        let aliases = aliases.iter().map(|a| a.to_string()).collect();
        Organ { id: id.into(), name: name.into(), aliases, description: None, area: None }
    }

    #[test]
    fn organs_match_by_id_name_or_alias_in_either_tone_placement() {
        let organs = vec![organ("btv-huyen-uy", "Ban Thường vụ Huyện ủy", &["BTV Huyện ủy"])];
        let (catalog, clashes) = Catalog::new(organs, Vec::new());
        assert!(clashes.is_empty());
        for name in ["btv-huyen-uy", "Ban Thường vụ Huyện uỷ", "ban thường vụ  huyện ủy", "BTV Huyện uỷ"]
        {
            assert_eq!(catalog.find_organ(name), Some(0), "{name}");
        }
        assert_eq!(catalog.find_organ("Huyện ủy"), None);
    }

    #[test]
    fn a_name_given_to_two_indicators_is_found_whatever_its_spelling() {
        let indicator = |id: &str, label: &str, aliases: &[&str]| Indicator {
            id: id.into(),
            label: label.into(),
            unit: "tỷ đồng".into(),
            kind: IndicatorKind::Flow,
            group: None,
            highlight: false,
            description: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let indicators = vec![
            indicator("thu-ngan-sach", "Thu ngân sách nhà nước", &["thu NSNN", "Thương mại - dịch vụ"]),
            indicator("gia-tri-thuong-mai", "Giá trị thương mại - dịch vụ", &["thương mại-dịch vụ"]),
            indicator("chi-ngan-sach", "Chi ngân sách nhà nước", &["Thu NSNN"]),
        ];
        let (catalog, _) = Catalog::new(Vec::new(), indicators);
        assert_eq!(catalog.find_indicator_by_name("THU  NSNN"), Some(0));
        assert_eq!(catalog.find_indicator_by_name("Giá trị thương mại–dịch vụ"), Some(1));
        assert_eq!(
            catalog.shared_indicator_names(),
            [
                (
                    "thương mại-dịch vụ".to_string(),
                    "thu-ngan-sach".to_string(),
                    "gia-tri-thuong-mai".to_string()
                ),
                ("Thu NSNN".to_string(), "thu-ngan-sach".to_string(), "chi-ngan-sach".to_string()),
            ]
        );
    }

    #[test]
    fn areas_match_by_id_name_or_alias_and_the_home_area_is_no_away_area() {
        let area = |id: &str, name: &str, aliases: &[&str]| Area {
            id: id.into(),
            name: name.into(),
            level: None,
            parent: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let (mut catalog, _) = Catalog::new(Vec::new(), Vec::new());
        let clashes = catalog.set_areas(vec![
            area("huyen-yen-dinh", "huyện Yên Định", &[]),
            area("xa-dinh-hoa", "xã Định Hòa", &["Định Hoà"]),
        ]);
        assert!(clashes.is_empty());
        catalog.home = Some(0);
        // NFD input and the other tone placement.
        for name in ["xa-dinh-hoa", "Xã Định Hoà", "xa\u{303} \u{110}i\u{323}nh Ho\u{300}a", "định hòa"]
        {
            assert_eq!(catalog.find_area(name), Some(1), "{name}");
        }
        assert_eq!(catalog.away(0), None);
        assert_eq!(catalog.away(1), Some(1));
    }
}
