//! The indexes every page needs, built once per build from the published
//! articles: newest first, by month and year, by organ, by tag, and the
//! previous/next meeting of the same organ, and a few related articles;
//! from the articles' placements only.

use std::collections::{BTreeMap, HashMap};

use crate::content::Placement;
use crate::vietnamese::{slugify, Collation};

/// Positions refer to `Site::articles`.
#[derive(Debug, Default)]
pub struct Index {
    /// Every article, newest first.
    pub latest: Vec<usize>,
    /// Months with articles, newest first.
    pub months: Vec<MonthArchive>,
    /// Years with articles, newest first.
    pub years: Vec<YearArchive>,
    /// Organs with articles, in Vietnamese order.
    pub organs: Vec<OrganListing>,
    /// Tags, in Vietnamese order.
    pub tags: Vec<TagListing>,
    /// For each article: the previous (older) and next (newer) meeting of its organ.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
    /// For each article: up to `RELATED` others sharing its tags, indicators
    /// or organ (not its previous and next meeting), most shared first.
    pub related: Vec<Vec<usize>>,
}

/// Related articles shown under an article.
pub const RELATED: usize = 4;

/// Of each group an article is in, only the articles this near it in time
/// are weighed: an indicator every monthly meeting reports would otherwise
/// make every article a candidate of every other (quadratic at 10,000).
const NEARBY: usize = 30;

#[derive(Debug)]
pub struct MonthArchive {
    pub year: i32,
    pub month: u32,
    /// Newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct YearArchive {
    pub year: i32,
    /// Positions in `Index::months`, newest first.
    pub months: Vec<usize>,
    pub count: usize,
}

#[derive(Debug)]
pub struct OrganListing {
    /// Position in the catalogue's organs.
    pub organ: usize,
    /// Newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct TagListing {
    /// The form most articles write (ties: first in Vietnamese order).
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub articles: Vec<usize>,
}

impl Index {
    /// `organ_name` gives an organ's display name, for ordering;
    /// `related_kept`, the related articles of an earlier build of the same
    /// placements (they are made from nothing else).
    pub fn build<'a>(
        articles: &[Placement],
        organ_name: impl Fn(usize) -> &'a str,
        collation: &Collation,
        related_kept: Option<Vec<Vec<usize>>>,
    ) -> Index {
        let mut latest: Vec<usize> = (0..articles.len()).collect();
        latest.sort_by(|&a, &b| Placement::newest_first(&articles[a], &articles[b]));

        let mut months: Vec<MonthArchive> = Vec::new();
        let mut years: Vec<YearArchive> = Vec::new();
        let mut by_organ: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut by_tag: BTreeMap<String, (HashMap<&str, usize>, Vec<usize>)> = BTreeMap::new();
        for &i in &latest {
            let article = &articles[i];
            let (year, month) = article.year_month();
            match months.last_mut() {
                Some(last) if (last.year, last.month) == (year, month) => last.articles.push(i),
                _ => {
                    months.push(MonthArchive { year, month, articles: vec![i] });
                    match years.last_mut() {
                        Some(last) if last.year == year => last.months.push(months.len() - 1),
                        _ => years.push(YearArchive { year, months: vec![months.len() - 1], count: 0 }),
                    }
                }
            }
            if let Some(last) = years.last_mut() {
                last.count += 1;
            }
            by_organ.entry(article.organ).or_default().push(i);
            for tag in article.tags {
                let slug = slugify(tag);
                if slug.is_empty() {
                    continue;
                }
                let (forms, list) = by_tag.entry(slug).or_default();
                *forms.entry(tag.as_str()).or_default() += 1;
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }

        let mut neighbours = vec![(None, None); articles.len()];
        for list in by_organ.values() {
            for (j, &i) in list.iter().enumerate() {
                let newer = j.checked_sub(1).map(|k| list[k]);
                neighbours[i] = (list.get(j + 1).copied(), newer);
            }
        }
        let related =
            related_kept.unwrap_or_else(|| related(articles, &latest, &by_organ, &by_tag, &neighbours));
        let mut organs: Vec<OrganListing> =
            by_organ.into_iter().map(|(organ, articles)| OrganListing { organ, articles }).collect();
        organs.sort_by(|a, b| collation.compare(organ_name(a.organ), organ_name(b.organ)));

        let mut tags: Vec<TagListing> = by_tag
            .into_iter()
            .map(|(slug, (forms, articles))| {
                let mut forms: Vec<(&str, usize)> = forms.into_iter().collect();
                forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| collation.compare(a.0, b.0)));
                TagListing { name: forms[0].0.to_string(), slug, articles }
            })
            .collect();
        tags.sort_by(|a, b| collation.compare(&a.name, &b.name));

        Index { latest, months, years, organs, tags, neighbours, related }
    }
}

/// The related articles of every article: candidates are the nearest in
/// time of each group it is in (same tag, same indicator reported, same
/// organ), scored 3 per shared tag, 2 per shared indicator and 1 for the
/// organ; ties go to the nearer in time, then the newer.
fn related(
    articles: &[Placement],
    latest: &[usize],
    by_organ: &HashMap<usize, Vec<usize>>,
    by_tag: &BTreeMap<String, (HashMap<&str, usize>, Vec<usize>)>,
    neighbours: &[(Option<usize>, Option<usize>)],
) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let mut by_indicator: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in latest {
        let mut reported: Vec<usize> = articles[i].readings.iter().map(|r| r.indicator).collect();
        reported.sort_unstable();
        reported.dedup();
        for indicator in reported {
            by_indicator.entry(indicator).or_default().push(i);
        }
    }
    let mut rank = vec![0; articles.len()];
    for (r, &i) in latest.iter().enumerate() {
        rank[i] = r;
    }
    (0..articles.len())
        .into_par_iter()
        .map(|i| {
            let article = &articles[i];
            // (candidate, weight) pairs, summed per candidate below: a sort
            // of a few hundred pairs costs less than hashing them.
            let mut weights: Vec<(usize, u32)> = Vec::new();
            let mut weigh = |group: &[usize], weight: u32| {
                let at = group.partition_point(|&j| rank[j] < rank[i]);
                let nearby = &group[at.saturating_sub(NEARBY)..(at + NEARBY + 1).min(group.len())];
                weights.extend(nearby.iter().map(|&j| (j, weight)));
            };
            let mut tags: Vec<String> = article.tags.iter().map(|t| slugify(t)).collect();
            tags.sort_unstable();
            tags.dedup();
            for tag in &tags {
                if let Some((_, group)) = by_tag.get(tag) {
                    weigh(group, 3);
                }
            }
            let mut reported: Vec<usize> = article.readings.iter().map(|r| r.indicator).collect();
            reported.sort_unstable();
            reported.dedup();
            for indicator in reported {
                weigh(&by_indicator[&indicator], 2);
            }
            weigh(&by_organ[&article.organ], 1);
            let (prev, next) = neighbours[i];
            weights.sort_unstable_by_key(|&(j, _)| j);
            let mut found: Vec<(usize, u32)> = Vec::new();
            for (j, weight) in weights {
                match found.last_mut() {
                    Some((last, score)) if *last == j => *score += weight,
                    _ => found.push((j, weight)),
                }
            }
            found.retain(|&(j, _)| j != i && Some(j) != prev && Some(j) != next);
            // Every key differs (one rank per article): the first few are
            // picked, then ordered, with the same result as a full sort.
            let key =
                |&(j, score): &(usize, u32)| (std::cmp::Reverse(score), rank[j].abs_diff(rank[i]), rank[j]);
            if found.len() > RELATED {
                found.select_nth_unstable_by_key(RELATED, key);
                found.truncate(RELATED);
            }
            found.sort_unstable_by_key(key);
            found.into_iter().map(|(j, _)| j).collect()
        })
        .collect()
}
