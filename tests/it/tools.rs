//! The writers' tools with the real binary: `init` makes a site that builds,
//! `new` writes a valid article, `import` reads plain-text articles (the
//! seed field by field, three more against expected files), and `check`
//! reports what a writer should fix.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;
use unicode_normalization::UnicodeNormalization;

use crate::harness::{Run, TestSite};

fn bantin(args: &[&str]) -> Run {
    Run::from(Command::new(env!("CARGO_BIN_EXE_bantin")).args(args).output().expect("running bantin"))
}

fn repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The front matter of a Markdown file, parsed.
fn front_matter(text: &str) -> Value {
    let yaml =
        text.strip_prefix("---\n").and_then(|rest| rest.split_once("\n---\n")).expect("front matter").0;
    serde_yaml::from_str(yaml).expect("valid YAML")
}

/// A site with the repository's own site.yaml and no articles.
fn site_with_repository_catalogue() -> TestSite {
    let site = TestSite::from_fixture("tools/check");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    std::fs::copy(repository("site.yaml"), site.root.join("site.yaml")).unwrap();
    site
}

/// The file import wrote first, from its "source -> written" line.
fn imported(run: &Run) -> PathBuf {
    run.stdout.lines().next().unwrap().split(" -> ").nth(1).unwrap().into()
}

/// The file `bantin import` writes for a text pasted into a file, and its front matter.
fn import_text(site: &TestSite, text: &str) -> (PathBuf, Value) {
    site.write("bai-viet.txt", text);
    let run = site.run(&["import", site.root.join("bai-viet.txt").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = imported(&run);
    let front = front_matter(&std::fs::read_to_string(&written).unwrap());
    (written, front)
}

fn indicator<'a>(front: &'a Value, id: &str) -> &'a Value {
    let list = front["indicators"].as_sequence().expect("indicators");
    list.iter().find(|i| i["id"].as_str() == Some(id)).unwrap_or_else(|| panic!("no indicator {id}"))
}

// ---- init

#[test]
fn init_creates_a_site_that_builds_and_checks_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("huyen-moi");
    let run = bantin(&["init", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["site.yaml", "static/style.css", "templates/base.html", "templates/partials/indicators.html"]
    {
        assert!(root.join(file).is_file(), "{file}");
    }
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(
        yaml.lines().filter(|l| l.trim_start().starts_with('#')).count() >= 10,
        "site.yaml explains itself"
    );

    let run = bantin(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(root.join("public/2023/08/hoi-nghi-ban-thuong-vu-thang-8/index.html"))
        .unwrap();
    assert!(page.contains("Ban Thường vụ Huyện ủy họp định kỳ tháng 8/2023"));
    assert!(root.join("public/style.css").is_file());
    let run = bantin(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ghi-chu.txt"), "của tôi").unwrap();
    let run = bantin(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("không trống"), "{}", run.stderr);
    assert!(!dir.path().join("site.yaml").exists());
    assert_eq!(std::fs::read_to_string(dir.path().join("ghi-chu.txt")).unwrap(), "của tôi");
}

// ---- new

#[test]
fn new_resolves_an_alias_and_writes_an_article_that_builds() {
    let site = TestSite::from_fixture("valid/basic");
    // Typed on a keyboard that sends decomposed text, with the old tone placement.
    let title: String = "Hội nghị BTV Huyện ủy tháng 10: kinh tế & ngân sách".nfd().collect();
    let organ: String = "BTV Huyện uỷ".nfd().collect();
    let run = site.run(&[
        "new",
        &title,
        "--organ",
        &organ,
        "--date",
        "31/10/2023",
        "--tag",
        "nông thôn mới",
        "--tag",
        "ngân sách",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run.stdout.trim();
    assert!(path.ends_with("content/2023/10/hoi-nghi-btv-huyen-uy-thang-10-kinh-te-ngan-sach.md"), "{path}");
    let text = std::fs::read_to_string(path).unwrap();
    let front = front_matter(&text);
    assert_eq!(front["title"].as_str(), Some("Hội nghị BTV Huyện ủy tháng 10: kinh tế & ngân sách"));
    assert_eq!(front["organ"].as_str(), Some("Ban Thường vụ Huyện ủy"));
    assert_eq!(front["date"].as_str(), Some("2023-10-31"));
    assert_eq!(front["meeting"]["period"].as_str(), Some("2023-09"));
    assert_eq!(front["tags"][1].as_str(), Some("ngân sách"));
    assert_eq!(front["draft"].as_bool(), Some(true));
    // The catalogue's indicator ids, as a reminder.
    assert!(text.contains("#   thu-ngan-sach") && text.contains("#   doanh-nghiep-thanh-lap-moi"), "{text}");

    site.build(&["--drafts"]);
    assert!(site.exists("/2023/10/hoi-nghi-btv-huyen-uy-thang-10-kinh-te-ngan-sach/index.html"));
}

#[test]
fn new_defaults_to_today_in_the_site_timezone_and_the_month_before() {
    let site = TestSite::from_fixture("valid/basic");
    let today = || chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive();
    let before = today();
    let run =
        site.run(&["new", "Đảng ủy xã Định Tân họp", "--organ", "dang-uy-xa-dinh-tan", "--period", "8/2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let front = front_matter(&std::fs::read_to_string(run.stdout.trim()).unwrap());
    let date = front["date"].as_str().unwrap().to_string();
    assert!([before.to_string(), today().to_string()].contains(&date), "{date}");
    assert_eq!(front["organ"].as_str(), Some("Đảng ủy xã Định Tân"));
    assert_eq!(front["meeting"]["period"].as_str(), Some("2023-08"));

    let run = site.run(&["new", "Kỳ họp", "--organ", "hdnd-huyen", "--date", "2024-01-05"]);
    let front = front_matter(&std::fs::read_to_string(run.stdout.trim()).unwrap());
    assert_eq!(front["meeting"]["period"].as_str(), Some("2023-12"));
}

#[test]
fn new_refuses_to_overwrite_an_existing_article() {
    let site = TestSite::from_fixture("valid/basic");
    let args = ["new", "Hội nghị tháng 10", "--organ", "btv-huyen-uy", "--date", "2023-10-31"];
    let first = site.run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let path = first.stdout.trim().to_string();
    std::fs::write(&path, "---\ntitle: Bài đã viết\ndate: 2023-10-31\norgan: btv-huyen-uy\n---\nNội dung.\n")
        .unwrap();
    let second = site.run(&args);
    assert_eq!(second.code, 2);
    assert!(second.stderr.contains("đã có; bantin không ghi đè"), "{}", second.stderr);
    assert!(std::fs::read_to_string(&path).unwrap().contains("Bài đã viết"));
}

#[test]
fn new_with_an_unknown_organ_suggests_the_nearest_and_writes_nothing() {
    let site = TestSite::from_fixture("valid/basic");
    let before = site.snapshot("content");
    let run = site.run(&["new", "Hội nghị", "--organ", "Ban Thường vụ Huyện", "--date", "2023-10-31"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("không có cơ quan `Ban Thường vụ Huyện`"), "{}", run.stderr);
    assert!(run.stderr.contains("có phải ý bạn là `Ban Thường vụ Huyện ủy`"), "{}", run.stderr);
    assert_eq!(site.snapshot("content"), before);
    let run = site.run(&["new", "Hội nghị", "--organ", "btv-huyen-uy", "--date", "31/13/2023"]);
    assert_eq!(run.code, 2, "a date that is not one is a usage error");
}

// ---- import

#[test]
fn importing_the_seed_article_finds_every_field_and_the_result_builds() {
    let site = site_with_repository_catalogue();
    let seed = repository("../shared/seed-article.txt");
    let seed = if seed.is_file() { seed } else { repository("tests/import/seed-article.txt") };
    let run = site.run(&["import", seed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n  chỉ tiêu: "), "a summary is printed: {}", run.stdout);
    let written = site.root.join("content/2023/08");
    let file = std::fs::read_dir(&written).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    let front = front_matter(&text);

    assert!(front["title"].as_str().unwrap().starts_with(
        "Ban Thường vụ Huyện ủy tổ chức hội nghị đánh giá tình hình, kết quả thực hiện các nhiệm vụ tháng 8"
    ));
    assert_eq!(front["date"].as_str(), Some("2023-08-31"));
    assert_eq!(front["organ"].as_str(), Some("Ban Thường vụ Huyện ủy"));
    assert_eq!(front["chair"], serde_yaml::from_str::<Value>("[Trịnh Xuân Thúy]").unwrap());
    assert_eq!(front["attendees"], serde_yaml::from_str::<Value>("[Vũ Ngọc Thưởng]").unwrap());
    assert_eq!(front["authors"], serde_yaml::from_str::<Value>("[Đức Nguyên, Hiệp Thương]").unwrap());
    assert_eq!(front["source"].as_str(), Some("TTVHTTTTDL"));
    assert_eq!(front["meeting"]["period"].as_str(), Some("2023-08"));
    assert_eq!(front["meeting"]["extended"].as_bool(), Some(true));
    assert!(text.contains("\n![Đại biểu tham dự hội nghị.]("), "the caption is an image placeholder");

    let number = |v: &Value| v.as_f64();
    let industry = indicator(&front, "gia-tri-san-xuat-cong-nghiep");
    assert_eq!((number(&industry["value"]), industry["estimate"].as_bool()), (Some(351.05), Some(true)));
    let investment = indicator(&front, "tong-von-dau-tu");
    assert_eq!(number(&investment["value"]), Some(334.05));
    assert_eq!((investment["estimate"].as_bool(), number(&investment["yoy"])), (Some(true), Some(19.2)));
    let firms = indicator(&front, "doanh-nghiep-thanh-lap-moi");
    assert_eq!(
        (number(&firms["value"]), number(&firms["cumulative"]), number(&firms["plan"])),
        (Some(7.0), Some(54.0), Some(56.25))
    );
    assert_eq!(firms["estimate"].as_bool(), None, "\"thành lập mới 07\" is not an estimate");
    let budget = indicator(&front, "thu-ngan-sach");
    assert_eq!(
        (number(&budget["value"]), number(&budget["cumulative"]), number(&budget["plan"])),
        (Some(65.0), Some(253.0), Some(38.18))
    );
    assert_eq!(budget["estimate"].as_bool(), Some(true));
    let villages = indicator(&front, "thon-kieu-mau");
    assert_eq!((number(&villages["cumulative"]), number(&villages["value"])), (Some(42.0), None));
    // What is not sure is left for a person: the 37,2% and the province's plan.
    assert!(text.contains("# kiểm tra: \"đạt 37,2%\""), "{text}");
    assert!(text.lines().any(|l| l.contains("# kiểm tra:") && l.contains("64,3%")), "{text}");

    let run = site.build(&[]);
    assert!(!run.stderr.contains("lỗi"), "{}", run.stderr);
}

/// The three plain-text articles of tests/import and the files they must
/// give; `BANTIN_BLESS=1` rewrites the expected files.
#[test]
fn imported_articles_match_their_expected_files_and_build() {
    let inputs = repository("tests/import");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&inputs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.ends_with("seed-article.txt"))
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let site = site_with_repository_catalogue();
        let run = site.run(&["import", case.to_str().unwrap(), "--out", "content/nhap"]);
        assert_eq!(run.code, 0, "{}: {}", case.display(), run.stderr);
        let written = imported(&run);
        assert!(written.starts_with(site.root.join("content/nhap")), "{}", written.display());
        let got = std::fs::read_to_string(&written).unwrap();
        let expected_file = case.with_extension("md");
        if std::env::var_os("BANTIN_BLESS").is_some() {
            std::fs::write(&expected_file, &got).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        assert_eq!(got, expected, "{} differs from {}", written.display(), expected_file.display());
        let run = site.build(&[]);
        assert!(!run.stderr.contains("lỗi"), "{}", run.stderr);
    }
}

/// Publishing means reviewing: an imported article is a draft, and once it is
/// no longer one, a `# kiểm tra` note left in it fails `build` and `check` at
/// the note's line. A draft keeps its notes and builds, `--drafts` or not.
#[test]
fn an_imported_article_published_with_a_note_left_fails_the_build_at_the_note() {
    let site = site_with_repository_catalogue();
    let input = repository("tests/import/dang-uy-xa-thuong-ky.txt");
    let run = site.run(&["import", input.to_str().unwrap(), "--out", "content/nhap"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = imported(&run);
    let relative = written.strip_prefix(&site.root).unwrap().to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(text.contains("\ndraft: true\n"), "{text}");
    let (line, note) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.trim_start().strip_prefix("# kiểm tra: ").map(|note| (i + 1, note.to_string())))
        .expect("the import leaves at least one note");
    for args in [&[][..], &["--drafts"][..]] {
        let run = site.build(args);
        assert_eq!(run.code, 0, "a draft builds with its notes ({args:?}): {}", run.stderr);
    }

    site.write(&relative, text.replace("\ndraft: true\n", "\ndraft: false\n"));
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        let at = format!("{relative}:{line}:");
        assert!(run.stderr.contains(&at), "{command} names {at}: {}", run.stderr);
        assert!(run.stderr.contains("vẫn còn dòng \"# kiểm tra\" của bantin import"), "{}", run.stderr);
        assert!(run.stderr.contains(&note), "the note's text is quoted: {}", run.stderr);
        assert!(run.stderr.contains("hoặc giữ `draft: true`"), "{}", run.stderr);
    }

    let reviewed: String = text
        .replace("\ndraft: true\n", "\ndraft: false\n")
        .lines()
        .filter(|l| !l.trim_start().starts_with("# kiểm tra:"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write(&relative, reviewed);
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "reviewed, it is published: {}", run.stderr);
}

/// A Word document as staff have it: bold, a table, a picture; made here
/// with the zip and the XML Word writes.
fn word_document(paragraphs: &[&str], picture: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let mut body = String::new();
    for p in paragraphs {
        body.push_str(p);
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"{w}\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
         xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\">\
         <w:body>{body}</w:body></w:document>"
    );
    let relations = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId7\" \
        Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" \
        Target=\"media/image1.png\"/></Relationships>";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", relations.as_bytes()),
        ("word/media/image1.png", picture),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_word_document_is_imported_with_its_bold_its_table_and_its_picture_beside_it() {
    let site = site_with_repository_catalogue();
    let text = |t: &str| format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>");
    let bold = |t: &str| format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{t}</w:t></w:r>");
    let paragraph = |runs: String| format!("<w:p>{runs}</w:p>");
    let cell = |t: &str| format!("<w:tc><w:p>{}</w:p></w:tc>", text(t));
    // The lead in decomposed Unicode, as some Word files keep it.
    let lead = "Sáng ngày 3/10, đồng chí ".nfd().collect::<String>();
    let paragraphs = [
        paragraph(text("UBND huyện họp phiên thường kỳ tháng 9/2023")),
        paragraph(
            text(&lead)
                + &bold("Nguyễn Văn Đức")
                + &text(", Chủ tịch UBND huyện chủ trì phiên họp thường kỳ tháng 9 của UBND huyện."),
        ),
        "<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><a:blip r:embed=\"rId7\"/>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            .to_string(),
        format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("Chỉ tiêu"),
            cell("Kết quả 9 tháng"),
            cell("Thu ngân sách"),
            cell("281,5 tỷ đồng")
        ),
        paragraph(text("Quang Vinh (Văn phòng HĐND - UBND huyện)")),
    ];
    let picture: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    site.write("bai-viet.docx", word_document(&refs, picture));

    let run = site.run(&["import", site.root.join("bai-viet.docx").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = imported(&run);
    let text = std::fs::read_to_string(&written).unwrap();
    let front = front_matter(&text);
    assert_eq!(front["date"].as_str(), Some("2023-10-03"));
    assert_eq!(front["organ"].as_str(), Some("Ủy ban nhân dân huyện"));
    assert_eq!(front["chair"], serde_yaml::from_str::<Value>("[Nguyễn Văn Đức]").unwrap());
    assert_eq!(front["authors"], serde_yaml::from_str::<Value>("[Quang Vinh]").unwrap());
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert!(
        text.contains("\nSáng ngày 3/10, đồng chí **Nguyễn Văn Đức**, Chủ tịch UBND huyện chủ trì"),
        "{text}"
    );
    assert!(
        text.contains("\n| Chỉ tiêu | Kết quả 9 tháng |\n| --- | --- |\n| Thu ngân sách | 281,5 tỷ đồng |\n"),
        "{text}"
    );
    assert!(!text.contains("Quang Vinh (Văn"), "the byline is not left in the body: {text}");
    let name =
        text.split("](").nth(1).and_then(|rest| rest.split(')').next()).expect("a picture in the body");
    assert!(name.ends_with("-anh-1.png"), "{name}");
    assert_eq!(
        std::fs::read(written.parent().unwrap().join(name)).unwrap(),
        picture,
        "saved beside the article"
    );
    assert!(!text.contains("kiểm tra: ảnh"), "no photo to look for: {text}");
    site.build(&["--drafts"]);

    site.write("hong.docx", "không phải tệp Word");
    let run = site.run(&["import", site.root.join("hong.docx").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("không phải là văn bản Word (.docx)"), "{}", run.stderr);
}

/// A page saved from the old portal: its menu, header, side column and
/// footer are left out; the title, the article's paragraphs and its byline
/// are what is imported.
#[test]
fn an_html_page_is_imported_as_just_its_article() {
    let site = site_with_repository_catalogue();
    let page = r#"<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>UBND huyện họp phiên thường kỳ tháng 9/2023 - Cổng thông tin điện tử huyện</title>
<script>var menu = "Trang chủ";</script></head>
<body>
<header><div class="logo">Cổng thông tin điện tử huyện Hậu Lộc</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li></ul></nav>
<div class="main"><div class="detail">
<h1>UBND huyện họp phiên thường kỳ tháng 9/2023</h1>
<p>Sáng ngày 3/10, đồng chí Nguyễn Văn Đức, Chủ tịch UBND huyện chủ trì phiên họp thường kỳ tháng 9 để đánh giá tình hình kinh tế - xã hội 9 tháng.</p>
<p>Theo báo cáo, thu ngân sách nhà nước tháng 9 ước đạt 28,5 tỷ đồng, tăng 4,2% so với cùng kỳ.</p>
<p>Kết luận phiên họp, đồng chí Chủ tịch UBND huyện yêu cầu các phòng, ban tập trung hoàn thành các chỉ tiêu năm 2023.</p>
<div class="author">Quang Vinh (Văn phòng HĐND - UBND huyện)</div>
</div>
<aside><h3>Tin cùng chuyên mục</h3><p>Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 14 bàn nhiều nội dung quan trọng.</p></aside>
</div>
<footer><p>Bản quyền thuộc UBND huyện Hậu Lộc. Địa chỉ: thị trấn Hậu Lộc, tỉnh Thanh Hóa.</p></footer>
</body></html>"#;
    site.write("bai-viet.html", page);
    let run = site.run(&["import", site.root.join("bai-viet.html").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = imported(&run);
    let text = std::fs::read_to_string(&written).unwrap();
    let front = front_matter(&text);
    assert_eq!(front["title"].as_str(), Some("UBND huyện họp phiên thường kỳ tháng 9/2023"));
    assert_eq!(front["date"].as_str(), Some("2023-10-03"));
    assert_eq!(front["chair"], serde_yaml::from_str::<Value>("[Nguyễn Văn Đức]").unwrap());
    assert_eq!(front["authors"], serde_yaml::from_str::<Value>("[Quang Vinh]").unwrap());
    assert_eq!(front["source"].as_str(), Some("Văn phòng HĐND - UBND huyện"));
    assert_eq!(indicator(&front, "thu-ngan-sach")["value"].as_f64(), Some(28.5));
    let body = text.split("\n---\n").nth(1).unwrap();
    assert!(body.starts_with("Sáng ngày 3/10, đồng chí Nguyễn Văn Đức"), "{body}");
    assert!(body.trim_end().ends_with("hoàn thành các chỉ tiêu năm 2023."), "{body}");
    for dropped in
        ["Trang chủ", "Tin tức", "Cổng thông tin", "Tin cùng chuyên mục", "lần thứ 14", "Bản quyền"]
    {
        assert!(!text.contains(dropped), "{dropped} is not the article's: {text}");
    }
    site.build(&["--drafts"]);
}

/// A catalogue whose indicators have aliases, some written with another
/// tone placement, dash spacing or commas than the article's (NFD) text.
const CATALOGUE_WITH_ALIASES: &str = "title: Huyện Tương Dương\norgans:\n  - id: hdnd-huyen\n    \
    name: Hội đồng nhân dân huyện\n    aliases: [HĐND huyện]\nindicators:\n  - id: gia-tri-san-xuat\n    \
    label: Tổng giá trị sản xuất\n    unit: tỷ đồng\n    aliases: [tổng giá trị nền kinh tế]\n  \
    - id: nong-nghiep\n    label: Giá trị sản xuất nông nghiệp\n    unit: tỷ đồng\n    \
    aliases: [\"nông, lâm, thuỷ sản\"]\n  - id: cong-nghiep-xay-dung\n    \
    label: Giá trị sản xuất công nghiệp - xây dựng\n    unit: tỷ đồng\n    \
    aliases: [Công nghiệp – Xây dựng]\n";

#[test]
fn import_recognizes_indicators_by_their_aliases_and_check_refuses_a_name_of_two_indicators() {
    let site = TestSite::from_fixture("tools/check");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    site.write("site.yaml", CATALOGUE_WITH_ALIASES);
    let article: String = "Kỳ họp thứ 6 HĐND huyện Tương Dương\n\n\
        Ngày 12/7/2018, HĐND huyện Tương Dương tổ chức kỳ họp thứ 6 đánh giá tình hình 6 tháng đầu năm 2018.\n\n\
        Trong 6 tháng đầu năm, tổng giá trị nền kinh tế ước đạt 1.996 tỷ đồng, tăng 10,2% so với cùng kỳ. \
        Trong đó nông, lâm, thủy sản ước đạt 232.105 triệu đồng; công nghiệp-xây dựng đạt 1.366 tỷ đồng.\n\n\
        ĐÌNH TUÂN\n"
        .nfd()
        .collect();
    let (written, front) = import_text(&site, &article);
    let total = indicator(&front, "gia-tri-san-xuat");
    assert_eq!((total["cumulative"].as_f64(), total["yoy"].as_f64()), (Some(1996.0), Some(10.2)));
    // The parts of an estimated total are estimates, each in the catalogue's unit.
    let farming = indicator(&front, "nong-nghiep");
    assert_eq!((farming["cumulative"].as_f64(), farming["estimate"].as_bool()), (Some(232.105), Some(true)));
    let industry = indicator(&front, "cong-nghiep-xay-dung");
    assert_eq!((industry["cumulative"].as_f64(), industry["estimate"].as_bool()), (Some(1366.0), Some(true)));
    assert_eq!(front["indicators"].as_sequence().unwrap().len(), 3, "{front:?}");

    // An article that names an indicator by an alias instead of its id is
    // told the id.
    let text = std::fs::read_to_string(&written).unwrap();
    std::fs::write(&written, text.replace("id: gia-tri-san-xuat\n", "id: Tổng giá trị nền KINH TẾ\n"))
        .unwrap();
    let run = site.run(&["check", "--drafts"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("không có chỉ tiêu `Tổng giá trị nền KINH TẾ`"), "{}", run.stderr);
    assert!(run.stderr.contains("có phải ý bạn là `gia-tri-san-xuat`?"), "{}", run.stderr);
    std::fs::write(&written, text).unwrap();

    let shared = CATALOGUE_WITH_ALIASES
        .replace("[tổng giá trị nền kinh tế]", "[tổng giá trị nền kinh tế, Công nghiệp - xây dựng]");
    site.write("site.yaml", shared);
    for command in ["check", "build"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "lỗi: `Công nghiệp – Xây dựng` là tên của hai chỉ tiêu: `gia-tri-san-xuat` và `cong-nghiep-xay-dung`"
            ),
            "{}",
            run.stderr
        );
        assert!(run
            .stderr
            .contains("gợi ý: mỗi tên và tên gọi khác (`aliases`) chỉ được dùng cho một chỉ tiêu"));
    }
}

#[test]
fn import_refuses_to_overwrite_and_reports_files_that_are_not_text() {
    let site = site_with_repository_catalogue();
    let input = repository("tests/import/ubnd-phien-hop-thang-9.txt");
    assert_eq!(site.run(&["import", input.to_str().unwrap()]).code, 0);
    let again = site.run(&["import", input.to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("đã có; bantin không ghi đè"), "{}", again.stderr);

    site.write("cu.txt", b"Ti\xeau \xf0\xe8 h\xf4i ngh\xfb\n");
    let run = site.run(&["import", site.root.join("cu.txt").to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("tệp không được lưu theo bảng mã UTF-8"), "{}", run.stderr);
}

/// An organ found only in the lead is the body that met, as for one in the
/// title: "Thường trực HĐND huyện" over the chair's "HĐND huyện"; the chair
/// is named between the title and "chủ trì".
#[test]
fn the_organ_of_the_lead_is_the_most_specific_one_and_the_chair_follows_its_title() {
    let site = TestSite::from_fixture("tools/check");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    std::fs::copy(repository("tests/import/real/site.yaml"), site.root.join("site.yaml")).unwrap();
    let article: String = "Rà soát nội dung chương trình kỳ họp cuối năm\n\n\
        Ngày 5/11/2023, Chủ tịch HĐND huyện Trần Văn Hiện chủ trì phiên họp Thường trực HĐND huyện tháng 11. \
        Tham dự có Phó Chủ tịch UBND huyện Lê Hồng Quân.\n"
        .nfd()
        .collect();
    let (_, front) = import_text(&site, &article);
    assert_eq!(front["organ"].as_str(), Some("Thường trực HĐND huyện"));
    assert_eq!(front["chair"], serde_yaml::from_str::<Value>("[Trần Văn Hiện]").unwrap());
    assert_eq!(front["date"].as_str(), Some("2023-11-05"));
}

/// `bantin import … | head`: once the reader has gone, what is left to print
/// is dropped without a panic, and every file is still imported.
#[test]
fn import_into_a_closed_pipe_imports_every_file_quietly() {
    let site = site_with_repository_catalogue();
    let inputs = ["ubnd-phien-hop-thang-9.txt", "dang-uy-xa-thuong-ky.txt"]
        .map(|f| repository("tests/import").join(f));
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .current_dir(&site.root)
        .args(["import", "--out", "content/nhap"])
        .args(&inputs)
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let mut written = Vec::new();
    let mut folders = vec![site.root.join("content/nhap")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            match path.is_dir() {
                true => folders.push(path),
                false => written.push(path),
            }
        }
    }
    assert_eq!(written.len(), 2, "{written:?}");
}

// ---- check

#[test]
fn check_reports_links_and_images_that_point_nowhere_and_writes_nothing() {
    let site = TestSite::from_fixture("tools/check");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let file = "content/2023/08/btv-thang-8.md";
    for expected in [
        format!("{file}:5:8: lỗi: không có tệp ảnh `anh-bia.jpg`"),
        format!("{file}:14:1: lỗi: không có tệp ảnh `quang-canh.jpg`"),
        format!("{file}:16:10: lỗi: liên kết `ky-hop-hdnd.md` trỏ tới tệp bài viết (.md), không phải tới trang của bài"),
        "gợi ý: liên kết tới trang của bài: `/2023/08/ky-hop-hdnd/`".to_string(),
        format!("{file}:16:73: lỗi: liên kết `/2023/07/khong-co/` không dẫn tới trang nào"),
        "Có 4 lỗi; chưa ghi tệp nào".to_string(),
    ] {
        assert!(run.stderr.contains(&expected), "missing `{expected}` in:\n{}", run.stderr);
    }
    let findings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": lỗi: ") || l.contains(": cảnh báo: ")).collect();
    for fine in ["../ky-hop-hdnd/", "dai-bieu.png", "baothanhhoa", "chi-tieu/thu-ngan-sach", "`/`"] {
        assert!(!findings.iter().any(|l| l.contains(fine)), "`{fine}` is fine:\n{}", run.stderr);
    }
    assert!(!site.root.join("public").exists(), "check writes nothing");
}

#[test]
fn check_warns_about_long_summaries_unused_catalogue_entries_and_unreferenced_files() {
    let site = TestSite::from_fixture("tools/check");
    let file = site.root.join("content/2023/08/btv-thang-8.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let fixed = text
        .replace("image: anh-bia.jpg\n", "")
        .replace("![Quang cảnh hội nghị.](quang-canh.jpg)", "")
        .replace("(ky-hop-hdnd.md)", "(/2023/08/ky-hop-hdnd/)")
        .replace("/2023/07/khong-co/", "/2023/08/");
    std::fs::write(&file, fixed).unwrap();
    site.write(
        "content/2023/08/chua-viet.md",
        "---\ntitle: Bài chưa viết\ndate: 2023-08-20\norgan: HĐND huyện\n---\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "content/2023/08/btv-thang-8.md: cảnh báo: phần tóm tắt dài 3",
        "content/2023/08/bao-cao-thua.pdf: cảnh báo: chưa bài viết nào dẫn tới tệp này",
        "content/2023/08/chua-viet.md: cảnh báo: bài viết không có phần tóm tắt",
        "site.yaml:11:9: cảnh báo: cơ quan `ubnd-xa-dinh-hoa` chưa có bài viết nào",
        "site.yaml:18:9: cảnh báo: chỉ tiêu `ty-le-ho-ngheo` chưa có bài viết nào dùng",
    ] {
        assert!(run.stderr.contains(expected), "missing `{expected}` in:\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("organ `btv-huyen-uy`") && !run.stderr.contains("dai-bieu.png"));
    assert!(!run.stderr.contains("style.css"), "the default theme's stylesheet is always published");
    // Links made by templates are checked on the rendered pages.
    site.write("static/favicon.ico", "");
    site.write("templates/404.html", "<p><a href=\"/khong-co.html\">Không có</a></p>");
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains("/404.html: cảnh báo: liên kết `/khong-co.html` không dẫn tới trang nào"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("style.css"), "{}", run.stderr);
    let run = site.run(&["check", "--summary-max", "2000"]);
    assert!(!run.stderr.contains("ký tự (quá"), "{}", run.stderr);
    assert!(!site.root.join("public").exists(), "check writes nothing");
}
