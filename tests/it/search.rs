//! The static search index: words folded without diacritics, exact forms
//! kept (with one tone placement) for ranking, small files per word.

use crate::harness::TestSite;

fn json(site: &TestSite, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.page(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The postings of one folded word, from the file of its bucket.
fn postings(site: &TestSite, folded: &str) -> serde_json::Value {
    let path = format!("/tim-kiem/chi-muc/t/{}.json", bantin::render::search::bucket(folded));
    json(site, &path)[folded].clone()
}

/// Article ids (newest first) from a delta-encoded list.
fn ids(deltas: &serde_json::Value) -> Vec<u64> {
    let mut id = 0;
    deltas
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            id += d.as_u64().unwrap();
            id
        })
        .collect()
}

#[test]
fn words_are_indexed_folded_with_their_exact_forms() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let vocabulary = json(&site, "/tim-kiem/chi-muc/tu.json");
    let words: Vec<&str> = vocabulary.as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(words.windows(2).all(|w| w[0] < w[1]), "sorted for prefix search");
    for word in ["ngan", "sach", "thuong", "dang", "nghi"] {
        assert!(words.contains(&word), "{word}");
    }
    assert!(words.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
    let ngan = postings(&site, "ngan");
    assert!(ngan["b"]["ngân"].is_array(), "{ngan}");
    // "Huyện uỷ" (July, old placement) and "Huyện ủy" (August) are one exact form.
    let uy = postings(&site, "uy");
    let titles = uy["t"].as_object().unwrap();
    assert_eq!(titles.keys().collect::<Vec<_>>(), ["ủy"], "{uy}");
    assert_eq!(ids(&titles["ủy"]).len(), 3, "July, August and the commune");
}

#[test]
fn article_metadata_and_filters_follow_the_newest_first_order() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let meta = json(&site, "/tim-kiem/chi-muc/meta.json");
    assert_eq!(meta["count"], 4);
    assert_eq!(meta["years"]["2023"], serde_json::json!([0, 3]));
    let docs = json(&site, "/tim-kiem/chi-muc/d/0.json");
    assert_eq!(docs[0][0], "Đảng ủy xã Định Tân sơ kết quý III", "id 0 is the newest");
    assert_eq!(docs[0][1], "/2023/09/dang-uy-xa/");
    let organs: Vec<&str> = meta["organs"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    let first = meta["organ_of"][0].as_u64().unwrap() as usize;
    assert_eq!(organs[first], "dang-uy-xa-dinh-tan");
    let page = site.page("/tim-kiem/");
    assert!(page.contains("<option value=\"btv-huyen-uy\">Ban Thường vụ Huyện ủy</option>"));
    assert!(page.contains("src=\"/tim-kiem/tim-kiem.js\""));
    assert!(site.page("/tim-kiem/tim-kiem.js").contains("normalize(\"NFD\")"));
}
