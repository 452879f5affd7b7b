//! Atom feeds, the sitemap and robots.txt, read back with real parsers.

use crate::harness::TestSite;

fn feed(site: &TestSite, path: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(site.page(path).as_bytes()).expect("a valid Atom feed")
}

#[test]
fn the_site_feed_lists_articles_newest_first_with_absolute_links_and_local_times() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let feed = feed(&site, "/feed.xml");
    assert_eq!(feed.title.unwrap().content, "Huyện Thử Nghiệm");
    let titles: Vec<String> = feed.entries.iter().map(|e| e.title.clone().unwrap().content).collect();
    assert_eq!(titles.len(), 4, "drafts and scheduled articles are not in the feed: {titles:?}");
    assert_eq!(titles[0], "Đảng ủy xã Định Tân sơ kết quý III");
    assert!(titles.contains(&"Kinh tế & ngân sách <tháng 8>: Ban Thường vụ Huyện ủy họp định kỳ".to_string()));
    let august =
        feed.entries.iter().find(|e| e.links[0].href.ends_with("/2023/08/hoi-nghi-btv-thang-8/")).unwrap();
    assert_eq!(august.links[0].href, "https://thu.example.vn/2023/08/hoi-nghi-btv-thang-8/");
    assert_eq!(august.published.unwrap().to_rfc3339(), "2023-08-30T17:00:00+00:00", "midnight in Hanoi");
    assert!(site.page("/2023/08/hoi-nghi-btv-thang-8/").contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Huyện Thử Nghiệm\" href=\"/feed.xml\">"
    ));
    let raw = site.page("/feed.xml");
    assert!(raw.contains("<updated>2023-09-05T00:00:00+07:00</updated>"), "updated in the site's timezone");
    assert_eq!(august.authors.len(), 2);
    assert_eq!(
        august.summary.as_ref().unwrap().content,
        "Sáng ngày 31/8, Ban Thường vụ Huyện ủy họp đánh giá kết quả tháng 8 và bàn việc xây dựng NTM."
    );
}

#[test]
fn each_organ_has_a_feed_of_its_own_meetings() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let feed = feed(&site, "/co-quan/btv-huyen-uy/feed.xml");
    assert_eq!(feed.entries.len(), 2);
    assert!(feed.entries.iter().all(|e| e.categories.iter().any(|c| c.term == "btv-huyen-uy")));
    assert!(site.page("/co-quan/btv-huyen-uy/").contains("href=\"/co-quan/btv-huyen-uy/feed.xml\""));
}

#[test]
fn the_sitemap_lists_every_page_with_lastmod_and_robots_points_at_it() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let xml = site.page("/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed sitemap");
    let urls: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    let locs: Vec<&str> =
        urls.iter().map(|u| u.children().find(|c| c.has_tag_name("loc")).unwrap().text().unwrap()).collect();
    for page in [
        "/",
        "/2023/08/hoi-nghi-btv-thang-8/",
        "/2023/08/",
        "/2023/",
        "/co-quan/hdnd-huyen/",
        "/the/ngan-sach/",
        "/chi-tieu/thu-ngan-sach/",
        "/luu-tru/",
    ] {
        assert!(locs.contains(&format!("https://thu.example.vn{page}").as_str()), "{page} in {locs:?}");
    }
    assert!(!locs.iter().any(|l| l.contains("ban-nhap") || l.ends_with(".csv") || l.ends_with("404.html")));
    for url in &urls {
        let lastmod = url.children().find(|c| c.has_tag_name("lastmod")).unwrap().text().unwrap();
        chrono::DateTime::parse_from_rfc3339(lastmod).expect("lastmod is a W3C datetime");
    }
    assert!(site.page("/robots.txt").contains("Sitemap: https://thu.example.vn/sitemap.xml"));
}
