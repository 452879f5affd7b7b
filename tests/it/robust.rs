//! No input makes bantin panic or write an invalid file: values no page can
//! show are diagnostics at their place, odd text (control characters, very
//! long words, deep HTML) is published as valid files, and the preview
//! server lives on through any edit (issue 11).

use std::time::{Duration, Instant};

use crate::harness::TestSite;
use crate::serve::{get, next_event, until};

/// An August article of the basic site with `front` added to its front matter.
fn article(front: &str, body: &str) -> String {
    format!("---\ntitle: Kỳ họp thứ 7\ndate: 2023-08-20\norgan: BTV Huyện ủy\n{front}---\n{body}\n")
}

const NEW: &str = "content/2023/08/ky-hop-thu-7.md";
const NEW_URL: &str = "/2023/08/ky-hop-thu-7/";

/// `build` and `check` both fail with exit 1 and print each of `expected`.
fn both_report(site: &TestSite, expected: &[&str]) {
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{command} exits 1 on content errors:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{command}:\n{}", run.stderr);
        for line in expected {
            assert!(run.stderr.contains(line), "{command} reports {line:?}:\n{}", run.stderr);
        }
    }
}

#[test]
fn extra_keys_that_are_not_text_are_errors_at_their_line() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(NEW, article("extra:\n  image_alt: Đại biểu\n  null: x\n", "Nội dung."));
    site.write("content/2023/08/dau-nga.md", article("extra:\n  ~: x\n", "Nội dung."));
    site.write("content/2023/08/danh-sach.md", article("extra:\n  ? [a, b]\n  : x\n", "Nội dung."));
    both_report(
        &site,
        &[
            "ky-hop-thu-7.md:7:3: lỗi: `null` không dùng được làm tên mục",
            "dau-nga.md:6:3: lỗi: `null` không dùng được làm tên mục",
            "danh-sach.md:5:1: lỗi: `[\"a\",\"b\"]` không dùng được làm tên mục",
        ],
    );
}

#[test]
fn numbers_and_booleans_as_extra_keys_are_read_as_their_text() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(NEW, article("extra:\n  2023: năm\n  true: đúng\n  1.5: rưỡi\n", "Nội dung."));
    site.write("templates/article.html", "{{ article.extra | json_encode | safe }}");
    site.build(&[]);
    assert_eq!(site.page(NEW_URL), r#"{"1.5":"rưỡi","2023":"năm","true":"đúng"}"#);
}

#[test]
fn numbers_no_page_can_show_are_errors_at_their_field() {
    let site = TestSite::from_fixture("valid/basic");
    let front = "indicators:\n  - id: thu-ngan-sach\n    value: .nan\n    yoy: -.inf\n    cumulative: 1e308\n    plan: .nan\nextra:\n  so_lieu: [1, 1e15]\n";
    site.write(NEW, article(front, "Nội dung."));
    both_report(
        &site,
        &[
            "ky-hop-thu-7.md:7:12: lỗi: mục `value` (giá trị): `.nan` không phải là con số",
            "ky-hop-thu-7.md:8:10: lỗi: mục `yoy` (so với cùng kỳ): `-.inf` không phải là con số",
            "ky-hop-thu-7.md:9:17: lỗi: mục `cumulative` (lũy kế từ đầu năm): `1e308` không phải là con số",
            "ky-hop-thu-7.md:10:11: lỗi: mục `plan` (tỷ lệ so với kế hoạch): `.nan` không phải là con số",
            "ky-hop-thu-7.md:12:12: lỗi: mục `so_lieu`: `1e15` không phải là con số",
            "= gợi ý: ghi con số bằng chữ số, nhỏ hơn 1.000.000.000.000.000",
        ],
    );
    let run = site.run(&["check"]);
    assert_eq!(
        run.stderr.matches(": lỗi:").count(),
        5,
        "plan .nan once, not as out of 0–1000 too:\n{}",
        run.stderr
    );
}

#[test]
fn years_no_reader_would_mean_are_errors_not_template_failures() {
    let site = TestSite::from_fixture("valid/basic");
    let front = "meeting:\n  period: 99999-01\npublished: 2100-12-31T23:59:59-12:00\n";
    site.write(NEW, article(front, "Nội dung.").replace("2023-08-20", "-0001-01-01"));
    both_report(
        &site,
        &[
            "ky-hop-thu-7.md:3:7: lỗi: năm -1 không hợp lý",
            "ky-hop-thu-7.md:6:11: lỗi: năm 99999 không hợp lý",
            "ky-hop-thu-7.md:7:12: lỗi: năm 2101 không hợp lý",
            "= gợi ý: năm của ngày tháng phải nằm trong khoảng từ 1900 đến 2100",
        ],
    );
}

#[test]
fn a_tag_of_punctuation_alone_is_an_error_at_the_tag() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(NEW, article("tags:\n  - ngân sách\n  - \"#\"\n", "Nội dung."));
    both_report(&site, &["ky-hop-thu-7.md:7:5: lỗi: thẻ `#` không có chữ cái hay chữ số nào"]);
}

#[test]
fn more_than_a_hundred_tags_on_one_article_is_an_error_found_at_once() {
    let site = TestSite::from_fixture("valid/basic");
    let tags: Vec<String> = (0..10_000).map(|i| format!("thẻ {i}")).collect();
    site.write(NEW, article(&format!("tags: [{}]\n", tags.join(", ")), "Nội dung."));
    let started = Instant::now();
    both_report(&site, &["ky-hop-thu-7.md:5:7: lỗi: bài viết có 10.000 thẻ, nhiều hơn mức tối đa 100"]);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn an_organ_id_with_no_letter_is_an_error_in_site_yaml() {
    let site = TestSite::from_fixture("valid/basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replacen("- id: hdnd-huyen", "- id: \"\"", 1));
    both_report(&site, &["site.yaml:10:9: lỗi: mã (`id`) trống"]);
}

#[test]
fn a_word_longer_than_a_file_name_can_be_is_indexed_and_found() {
    let site = TestSite::from_fixture("valid/basic");
    let word = "Nghịquyết".repeat(40);
    site.write(NEW, article("", &format!("Đoạn có một từ rất dài: {word}.")));
    site.build(&[]);
    let folded = "nghiquyet".repeat(40);
    let bucket = bantin::render::search::bucket(&folded);
    assert_eq!(bucket.len(), 8);
    let file: serde_json::Value =
        serde_json::from_str(&site.page(&format!("/tim-kiem/chi-muc/t/{bucket}.json"))).unwrap();
    assert!(file[&folded]["b"].as_object().unwrap().contains_key(&word.to_lowercase()), "{file}");
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn control_characters_pasted_from_word_leave_feeds_and_pages_valid() {
    let site = TestSite::from_fixture("valid/basic");
    // U+000B is Word's Shift+Enter; the title has it written raw and as a YAML escape.
    let text = "---\ntitle: \"Kỳ họp\\vthứ 7\u{b}của HĐND\"\ndate: 2023-09-30\norgan: HĐND huyện\n---\nĐoạn đầu\u{b}có ngắt dòng\u{c} và \u{1}ký tự lạ.\n";
    site.write(NEW.replace("08", "09").as_str(), text);
    site.build(&[]);
    let raw = site.page("/feed.xml");
    roxmltree::Document::parse(&raw).unwrap_or_else(|e| panic!("feed.xml: {e}\n{raw}"));
    let feed = feed_rs::parser::parse(raw.as_bytes()).expect("a valid Atom feed");
    let entry = &feed.entries[0];
    assert_eq!(entry.title.as_ref().unwrap().content, "Kỳ họp thứ 7 của HĐND");
    assert_eq!(entry.summary.as_ref().unwrap().content, "Đoạn đầu có ngắt dòng  và  ký tự lạ.");
    roxmltree::Document::parse(&site.page("/sitemap.xml")).expect("sitemap.xml");
    roxmltree::Document::parse(&site.page("/co-quan/hdnd-huyen/feed.xml")).expect("organ feed");
    let page = site.page("/2023/09/ky-hop-thu-7/");
    assert!(!page.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')), "{page}");
}

#[test]
fn json_ld_holds_backslashes_and_script_ends_as_json() {
    let site = TestSite::from_fixture("valid/basic");
    let front = "image: 'anh\\bia.png'\nsummary: 'Tóm tắt </script><script>alert(1)</script> & \"trích\"'\n";
    site.write(NEW, article(front, "Nội dung."));
    site.build(&[]);
    let page = site.page(NEW_URL);
    let start = page.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(data["image"][0], "https://thu.example.vn/2023/08/ky-hop-thu-7/anh\\bia.png");
    assert_eq!(data["description"], "Tóm tắt </script><script>alert(1)</script> & \"trích\"");
    assert!(!page.contains("<script>alert(1)"));
}

#[test]
fn fifty_thousand_nested_divs_build_in_bounded_time() {
    let site = TestSite::from_fixture("valid/basic");
    let n = 50_000;
    site.write(NEW, article("", &format!("Mở đầu.\n\n{}chữ sâu{}", "<div>".repeat(n), "</div>".repeat(n))));
    let started = Instant::now();
    site.build(&[]);
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    let page = site.page(NEW_URL);
    assert!(page.contains("chữ sâu"));
    assert_eq!(page.matches("<div>").count(), bantin::html::DEEPEST, "deeper ones lose their tags");
}

#[test]
fn a_previously_panicking_edit_shows_in_the_overlay_and_a_later_good_edit_appears() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(NEW, article("", "Bản đầu."));
    let mut server = site.serve();
    until(&server.url(NEW_URL), Duration::from_secs(10), "the first page", |a| a.body.contains("Bản đầu."));

    // `null:` under `extra:` stopped the rebuild thread for good.
    site.write(NEW, article("extra:\n  null: x\n", "Bản hỏng."));
    server.wait_for_line("vẫn đang hiển thị bản tốt gần nhất", Duration::from_secs(10));
    let errors = next_event(&server.base, "path=/&v=0", "errors", Duration::from_secs(10));
    assert!(errors.contains("ky-hop-thu-7.md:6:3: lỗi: `null` không dùng được làm tên mục"), "{errors}");

    site.write(NEW, article("extra:\n  ghi_chu: x\n", "Bản đã sửa."));
    until(&server.url(NEW_URL), Duration::from_secs(10), "the fixed page", |a| {
        a.body.contains("Bản đã sửa.")
    });
    server.wait_for_line("đã sửa xong lỗi", Duration::from_secs(5));
    site.write(NEW, article("", "Bản sau nữa."));
    until(&server.url(NEW_URL), Duration::from_secs(10), "a later edit", |a| a.body.contains("Bản sau nữa."));
    assert!(!server.seen.iter().any(|l| l.contains("panicked")), "{}", server.seen.join("\n"));
    assert_eq!(get(&server.url("/")).status, 200);
}
