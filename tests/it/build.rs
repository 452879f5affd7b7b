//! `bantin build` on a valid site: the pages a reader gets.

use unicode_normalization::UnicodeNormalization;

use crate::harness::{main_of, TestSite};

/// The basic fixture plus a September BTV meeting written entirely in NFD
/// (file name, organ given by its alias) — as some editors on macOS save it.
fn basic_site() -> TestSite {
    let site = TestSite::from_fixture("valid/basic");
    let text = "---\ntitle: Hội nghị Ban Thường vụ tháng 9\ndate: 2023-09-29 08:30\norgan: BTV Huyện ủy\ntags: [nông thôn mới]\n---\nNội dung hội nghị tháng 9.\n";
    let name: String = "content/2023/09/Hội nghị tháng 9.md".nfd().collect();
    site.write(&name, text.nfd().collect::<String>());
    site
}

#[test]
fn article_page_shows_title_organ_date_and_escapes_markup() {
    let site = basic_site();
    site.build(&[]);
    let page = site.page("/2023/08/hoi-nghi-btv-thang-8/");
    let main = main_of(&page);
    assert!(main.contains("Kinh tế &amp; ngân sách &lt;tháng 8&gt;"), "{main}");
    assert!(!main.contains("<tháng 8>"));
    assert!(
        main.contains("<time datetime=\"2023-08-31\">Thứ Năm, 31/8/2023</time>"),
        "weekday and date: {main}"
    );
    assert!(main.contains("href=\"/co-quan/btv-huyen-uy/\""));
    assert!(main.contains("Ban Thường vụ Huyện ủy"));
    assert!(main.contains("<abbr title=\"nông thôn mới\">NTM</abbr>"));
    assert!(main.contains("<table>"));
    assert!(!page.contains("alert("), "raw scripts are removed");
    // The figures of the front matter, apart from the same number in the body's table.
    // A space that never breaks keeps each figure with its unit.
    assert!(
        main.contains("65\u{a0}tỷ đồng <span class=\"uoc\">(ước)</span>"),
        "an estimate is marked: {main}"
    );
    assert!(main.contains("8 tháng năm 2023 (lũy kế): 253\u{a0}tỷ đồng"), "the span in words: {main}");
    assert!(main.contains(">38,18%</meter> 38,18% kế hoạch"), "plan shown the Vietnamese way: {main}");
    assert!(page.contains("<html lang=\"vi\""));
}

#[test]
fn previous_and_next_meetings_of_the_same_organ_are_linked() {
    let site = basic_site();
    site.build(&[]);
    let page = site.page("/2023/08/hoi-nghi-btv-thang-8/");
    let nav = page.split("<nav class=\"cuoc-hop-khac\"").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(nav.contains("href=\"/2023/07/hoi-nghi-btv-thang-7/\""), "previous: {nav}");
    assert!(nav.contains("href=\"/2023/09/hoi-nghi-thang-9/\""), "next: {nav}");
    assert!(!nav.contains("href=\"/2023/08/ky-hop-hdnd/\""), "another organ is not a neighbour");
}

/// Related articles are scored 3 per shared tag (any spelling of it), 2 per
/// indicator both report and 1 for the same organ; the best four are shown,
/// the nearer in time first among equals, never the previous or next meeting.
#[test]
fn related_articles_are_the_best_four_by_shared_tags_indicators_and_organ() {
    let site = TestSite::from_fixture("valid/basic");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    let article = |name: &str, date: &str, organ: &str, tags: &str, figure: bool| {
        let figure = if figure { "indicators:\n  - id: thu-ngan-sach\n    value: 12.5\n" } else { "" };
        let text = format!(
            "---\ntitle: Hội nghị {name}\ndate: {date}\norgan: {organ}\ntags: [{tags}]\n{figure}---\nNội dung.\n"
        );
        site.write(&format!("content/2023/{}/{name}.md", &date[5..7]), text);
    };
    article("dich", "2023-06-15", "HĐND huyện", "Nông thôn mới", true);
    article("truoc", "2023-06-10", "HĐND huyện", "", false);
    article("sau", "2023-06-20", "HĐND huyện", "", false);
    article("sau-diem", "2023-05-02", "HĐND huyện", "nông thôn mới", true);
    article("ba-diem", "2023-06-14", "BTV Huyện ủy", "NÔNG THÔN MỚI", false);
    article("hai-diem", "2023-06-16", "BTV Huyện ủy", "", true);
    article("mot-diem-gan", "2023-04-03", "HĐND huyện", "", false);
    article("mot-diem-xa", "2023-03-04", "HĐND huyện", "", false);
    article("khong-diem", "2023-06-15", "BTV Huyện ủy", "chuyển đổi số", false);
    site.build(&[]);
    let page = site.page("/2023/06/dich/");
    let related = page.split("id=\"bai-lien-quan\"").nth(1).unwrap().split("</section>").next().unwrap();
    let shown: Vec<&str> = related
        .split("href=\"/2023/")
        .skip(1)
        .map(|link| link.split('"').next().unwrap())
        .fold(Vec::new(), |mut shown, link| {
            if shown.last() != Some(&link) {
                shown.push(link);
            }
            shown
        });
    assert_eq!(shown, ["05/sau-diem/", "06/ba-diem/", "06/hai-diem/", "04/mot-diem-gan/"], "{related}");
}

#[test]
fn both_tone_placements_and_nfd_land_on_one_organ_page_and_one_tag_page() {
    let site = basic_site();
    site.build(&[]);
    let organ = site.page("/co-quan/btv-huyen-uy/");
    let more = site.page("/co-quan/btv-huyen-uy/trang/2/");
    let both = format!("{}{}", main_of(&organ), main_of(&more));
    for url in
        ["/2023/07/hoi-nghi-btv-thang-7/", "/2023/08/hoi-nghi-btv-thang-8/", "/2023/09/hoi-nghi-thang-9/"]
    {
        assert!(both.contains(url), "{url} on the organ's pages");
    }
    // Newest first, two per page.
    let main = main_of(&organ);
    assert!(main.find("/2023/09/").unwrap() < main.find("/2023/08/").unwrap());
    assert!(main.contains("href=\"/co-quan/btv-huyen-uy/trang/2/\""));
    let tags = site.page("/the/nong-thon-moi/") + &site.page("/the/nong-thon-moi/trang/2/");
    assert!(tags.contains("/2023/07/hoi-nghi-btv-thang-7/"));
    assert!(tags.contains("/2023/09/hoi-nghi-thang-9/"));
    assert!(tags.contains("/2023/08/hoi-nghi-btv-thang-8/"));
    assert!(!site.exists("/co-quan/ban-thuong-vu-huyen-uy/"));
}

#[test]
fn month_year_and_archive_pages_list_their_articles() {
    let site = basic_site();
    site.build(&[]);
    let august = main_of(&site.page("/2023/08/")).to_string();
    assert!(august.contains("/2023/08/hoi-nghi-btv-thang-8/") && august.contains("/2023/08/ky-hop-hdnd/"));
    assert!(!august.contains("/2023/07/hoi-nghi-btv-thang-7/\""), "{august}");
    let year = main_of(&site.page("/2023/")).to_string();
    assert!(year.contains("/2023/07/") && year.contains("/2023/09/"));
    insta::assert_snapshot!("archive_main", main_of(&site.page("/luu-tru/")));
    let organs = main_of(&site.page("/co-quan/")).to_string();
    let (btv, xa, hdnd) = (
        organs.find("Ban Thường vụ").unwrap(),
        organs.find("Đảng ủy xã").unwrap(),
        organs.find("Hội đồng nhân dân").unwrap(),
    );
    assert!(btv < xa && xa < hdnd, "Vietnamese order: B < Đ < H");
    site.page("/404.html");
    site.page("/the/");
}

#[test]
fn drafts_and_scheduled_articles_appear_only_with_drafts() {
    let site = basic_site();
    site.build(&[]);
    assert!(!site.exists("/2023/08/ban-nhap/"));
    assert!(!site.exists("/2023/08/hen-gio/"));
    assert!(!site.page("/2023/08/").contains("ban-nhap"));
    site.build(&["--drafts"]);
    assert!(site.exists("/2023/08/ban-nhap/index.html"));
    assert!(site.exists("/2023/08/hen-gio/index.html"));
}

#[test]
fn files_beside_an_article_and_static_files_are_published() {
    let site = basic_site();
    site.build(&[]);
    assert!(site.exists("/2023/08/hoi-nghi-btv-thang-8/dai-bieu.png"));
    assert!(site.page("/2023/08/hoi-nghi-btv-thang-8/").contains("src=\"dai-bieu.png\""));
    assert_eq!(site.page("/style.css"), "body { color: #222; }\n");
}

#[test]
fn pages_link_the_stylesheet_and_emblem_under_names_holding_a_hash_of_the_bytes_published() {
    let site = basic_site();
    site.build(&[]);
    let (style, logo) = crate::harness::theme_links(&site.page("/"));
    assert_eq!(style, format!("/style.{:08x}.css", crc32fast::hash(b"body { color: #222; }\n")));
    assert_eq!(site.page(&style), "body { color: #222; }\n", "the site's static/style.css");
    let emblem = std::fs::read(site.root.join("public/logo.svg")).unwrap();
    assert_eq!(logo, format!("/logo.{:08x}.svg", crc32fast::hash(&emblem)));
    assert_eq!(std::fs::read(site.root.join("public").join(&logo[1..])).unwrap(), emblem);
    assert_eq!(site.page("/style.css"), "body { color: #222; }\n", "the plain name stays");

    // NFD in a comment of the changed stylesheet: its bytes are hashed as written.
    let changed: String = "/* Kiểu chữ của Ủy ban nhân dân */\nbody { color: #111; }\n".nfd().collect();
    site.write("static/style.css", &changed);
    site.build(&[]);
    let (restyled, same_logo) = crate::harness::theme_links(&site.page("/2023/09/hoi-nghi-thang-9/"));
    assert_eq!(restyled, format!("/style.{:08x}.css", crc32fast::hash(changed.as_bytes())));
    assert_ne!(restyled, style);
    assert_eq!(site.page(&restyled), changed);
    assert!(!site.exists(&style), "the old name is not published again");
    assert_eq!(same_logo, logo);
}

#[test]
fn a_failed_build_leaves_the_output_byte_for_byte_unchanged() {
    let site = basic_site();
    site.build(&[]);
    let before = site.snapshot("public");
    site.write("content/2023/08/hong.md", "---\ntitle: Hỏng\ndate: 2023-08-02\norgan: Không có\n---\n");
    site.write("content/2023/08/hoi-nghi-btv-thang-8.md", "thay đổi nhưng hỏng");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(site.snapshot("public"), before);
    let entries: Vec<_> = std::fs::read_dir(&site.root).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!entries.iter().any(|n| n.to_string_lossy().contains(".new")), "no staging left: {entries:?}");
}

#[cfg(unix)]
#[test]
fn a_rebuild_rewrites_only_what_changed_and_equals_a_fresh_build() {
    use std::os::unix::fs::MetadataExt;
    let site = basic_site();
    site.build(&[]);
    let inode = |path: &str| std::fs::metadata(site.root.join("public").join(path)).unwrap().ino();
    // The compressed copies of an unchanged page are linked, not made again.
    let untouched = [
        "robots.txt",
        "2023/09/dang-uy-xa/index.html",
        "2023/09/dang-uy-xa/index.html.gz",
        "2023/09/dang-uy-xa/index.html.br",
    ]
    .map(|p| (p, inode(p)));
    let changed = ["2023/08/hoi-nghi-btv-thang-8/index.html", "2023/08/hoi-nghi-btv-thang-8/index.html.gz"]
        .map(|p| (p, inode(p)));
    assert!(site.exists("/2023/08/ky-hop-hdnd/index.html"));

    // A template error while rendering leaves the output as it was.
    let before = site.snapshot("public");
    site.write("templates/404.html", "{{ khong_co.gi }}");
    assert_eq!(site.run(&["build"]).code, 1);
    assert_eq!(site.snapshot("public"), before);
    std::fs::remove_file(site.root.join("templates/404.html")).unwrap();

    // A neighbour's new title, an article removed, static files changed and added.
    let august = site.root.join("content/2023/08/hoi-nghi-btv-thang-8.md");
    let text = std::fs::read_to_string(&august).unwrap();
    std::fs::write(&august, text.replacen("title: \"", "title: \"Đã sửa — ", 1)).unwrap();
    std::fs::remove_file(site.root.join("content/2023/08/ky-hop-hdnd.md")).unwrap();
    site.write("static/in/an.css", "@media print {}\n");
    // A published file changed by hand is put back.
    site.write("public/404.html", "sửa tay");
    site.build(&[]);

    site.build(&["--output", "fresh"]);
    assert_eq!(site.snapshot("public"), site.snapshot("fresh"));
    assert!(!site.root.join("public/2023/08/ky-hop-hdnd").exists(), "the removed article's folder is gone");
    for (path, before) in untouched {
        assert_eq!(inode(path), before, "{path} was written again");
    }
    for (path, before) in changed {
        assert_ne!(inode(path), before, "{path} was not updated");
    }
    // A changed stylesheet has a new name, which every page links to.
    let published = site.snapshot("public");
    let page = inode("2023/09/dang-uy-xa/index.html");
    site.write("static/style.css", "body { color: #111; }\n");
    site.build(&[]);
    assert_ne!(inode("2023/09/dang-uy-xa/index.html"), page);
    assert_eq!(inode("robots.txt"), untouched[0].1);
    // The site before is left beside, with its list, for the next build to
    // change where they differ; nothing else is.
    let mut entries: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    entries.retain(|name| name.starts_with(".public"));
    entries.sort();
    assert_eq!(entries, [".public.files", ".public.new", ".public.new.files"]);
    assert_eq!(site.snapshot(".public.new"), published, "the site before the last build is kept whole");
}

#[test]
fn two_articles_claiming_one_url_fail_naming_both_files() {
    let site = basic_site();
    site.write(
        "content/khac/hoi-nghi-btv-thang-8.md",
        "---\ntitle: Trùng địa chỉ\ndate: 2023-08-30\norgan: BTV Huyện ủy\n---\nTrùng.\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("/2023/08/hoi-nghi-btv-thang-8/"), "{}", run.stderr);
    assert!(run.stderr.contains("content/2023/08/hoi-nghi-btv-thang-8.md"));
    assert!(run.stderr.contains("content/khac/hoi-nghi-btv-thang-8.md"));
    assert!(!site.exists(""), "nothing was written");
}

#[test]
fn a_site_without_templates_or_static_folders_still_builds() {
    let site = TestSite::from_fixture("valid/basic");
    std::fs::remove_dir_all(site.root.join("static")).unwrap();
    let run = site.build(&[]);
    assert!(run.stdout.starts_with("Đã tạo "), "{}", run.stdout);
    assert!(site.page("/").contains("Kinh tế &amp; ngân sách"));
    assert!(site.page("/style.css").contains("prefers-color-scheme"), "the default theme's stylesheet");
}

#[test]
fn a_site_template_overrides_the_default_of_the_same_name() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("templates/404.html", "<p>Không thấy trang {{ site.title }}</p>");
    site.build(&[]);
    assert_eq!(site.page("/404.html"), "<p>Không thấy trang Huyện Thử Nghiệm</p>");
}

#[test]
fn a_site_card_template_is_what_every_listing_shows_and_its_error_is_reported_as_a_template_error() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("templates/partials/card.html", "<li class=\"rieng\">{{ a.title }} (cấp {{ level }})</li>");
    site.build(&[]);
    let title = "Kinh tế &amp; ngân sách &lt;tháng 8&gt;: Ban Thường vụ Huyện ủy họp định kỳ";
    for (listing, level) in [("/", 2), ("/2023/08/", 2), ("/2023/", 3), ("/co-quan/btv-huyen-uy/", 2)] {
        let page = site.page(listing);
        assert!(
            page.contains(&format!("<li class=\"rieng\">{title} (cấp {level})</li>")),
            "{listing}: {page}"
        );
        assert!(!page.contains("class=\"the-bai\""), "{listing} still shows the default card");
    }

    site.write("templates/partials/card.html", "{{ a.khong_co.gi }}");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("templates/partials/card.html: lỗi:"), "{}", run.stderr);
    assert!(run.stderr.contains("gợi ý:"), "{}", run.stderr);
}

/// The JSON-LD of a page, parsed.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = page[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&page[start..end]).expect("valid JSON-LD")
}

#[test]
fn article_pages_carry_sharing_metadata_and_a_news_article_json_ld() {
    let site = basic_site();
    site.build(&[]);
    let page = site.page("/2023/08/hoi-nghi-btv-thang-8/");
    let data = json_ld(&page);
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], "Kinh tế & ngân sách <tháng 8>: Ban Thường vụ Huyện ủy họp định kỳ");
    assert_eq!(data["datePublished"], "2023-08-31T00:00:00+07:00");
    assert_eq!(data["author"][1]["name"], "Hiệp Thương");
    assert_eq!(data["publisher"]["name"], "Huyện Thử Nghiệm");
    assert!(!page.contains("<tháng 8>"), "no raw markup from the title anywhere");
    for tag in [
        "<link rel=\"canonical\" href=\"https://thu.example.vn/2023/08/hoi-nghi-btv-thang-8/\">",
        "<meta property=\"og:image\" content=\"https://thu.example.vn/2023/08/hoi-nghi-btv-thang-8/dai-bieu.png\">",
        "<meta name=\"twitter:card\" content=\"summary_large_image\">",
        "<meta name=\"description\" content=\"Sáng ngày 31/8, Ban Thường vụ Huyện ủy họp",
    ] {
        assert!(page.contains(tag), "{tag}");
    }
    let july = json_ld(&site.page("/2023/07/hoi-nghi-btv-thang-7/"));
    assert_eq!(july["author"][0]["@type"], "Organization", "no authors: the publisher stands in");
}
