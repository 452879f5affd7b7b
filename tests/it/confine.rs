//! What may be published beside an article (SPEC §7): only regular files
//! inside the site, of the allowed types, and images bantin can read within
//! its limits. `build`, `check` and `serve` make the one decision: each case
//! is refused (or published) by all three alike. And `serve` answers only
//! requests that name it in their `Host`.

use std::path::PathBuf;
use std::time::Duration;

use unicode_normalization::UnicodeNormalization;

use crate::harness::TestSite;
use crate::serve::{next_event, raw_get, raw_get_with_host};

const ARTICLE: &str = "content/2023/08/hoi-nghi-btv-thang-8.md";
const PAGE: &str = "/2023/08/hoi-nghi-btv-thang-8/";
const SECRET: &str = "MAT-KHAU-BI-MAT-42";

/// Adds a paragraph at the end of the article; its line number.
fn add_paragraph(site: &TestSite, paragraph: &str) -> usize {
    let text = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    let text = format!("{}\n\n{paragraph}\n", text.trim_end());
    site.write(ARTICLE, &text);
    text.lines().count()
}

/// A folder beside the site's, outside it, holding a secret.
fn outside(site: &TestSite) -> PathBuf {
    let dir = site.root.parent().unwrap().join("ngoai-site");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mat-khau.txt"), SECRET).unwrap();
    std::fs::write(dir.join("anh.jpg"), SECRET).unwrap();
    dir
}

/// What `build`, `check` and `serve` must all say about a site.
struct Refusal {
    /// Lines (or parts of lines) of the diagnostics, as the command line prints them.
    said: Vec<String>,
    /// The site path the refused file would have been published at.
    not_published: String,
}

/// Builds and serves the good site, applies `edit`, then insists that a
/// build fails and changes nothing, `check` fails with the same words, and
/// the server keeps the last good site, shows the same words to the browser
/// and does not serve the file.
fn refused_by_build_check_and_serve(edit: impl FnOnce(&TestSite) -> Refusal) {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let before = site.snapshot("public");
    let mut server = site.serve();
    let refusal = edit(&site);

    let build = site.run(&["build"]);
    assert_eq!(build.code, 1, "build must fail as a content error:\n{}", build.stderr);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "check must fail as a content error:\n{}", check.stderr);
    for said in &refusal.said {
        assert!(build.stderr.contains(said), "build did not say {said:?}:\n{}", build.stderr);
        assert!(check.stderr.contains(said), "check did not say {said:?}:\n{}", check.stderr);
    }
    assert!(site.snapshot("public") == before, "a failed build changes nothing");
    assert!(!build.stderr.contains(SECRET) && !check.stderr.contains(SECRET));

    server.wait_for_line("vẫn đang hiển thị bản tốt gần nhất", Duration::from_secs(20));
    let errors = next_event(&server.base, "path=/&v=0", "errors", Duration::from_secs(10));
    for said in &refusal.said {
        assert!(errors.contains(said), "the browser was not told {said:?}:\n{errors}");
    }
    let (status, response) = raw_get(&server.base, &refusal.not_published);
    assert!(matches!(status, 403 | 404), "{}: {status}", refusal.not_published);
    assert!(status == 404 || response.contains("không thuộc trang web"), "{response}");
    assert!(!response.contains(SECRET), "{} leaked:\n{response}", refusal.not_published);
}

#[test]
fn a_cover_image_that_climbs_out_of_the_site_is_refused_by_build_check_and_serve() {
    refused_by_build_check_and_serve(|site| {
        outside(site);
        let text = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
        let climbing = "image: ../../../../ngoai-site/mat-khau.txt";
        site.write(ARTICLE, text.replace("image: dai-bieu.png", climbing));
        Refusal {
            said: vec![
                format!(
                    "{ARTICLE}:13:8: lỗi: `../../../../ngoai-site/mat-khau.txt` dẫn ra ngoài thư mục của trang"
                ),
                format!("13 | {climbing}"),
                "gợi ý: chỉ những tệp nằm trong thư mục của trang mới được đăng".into(),
            ],
            not_published: format!("{PAGE}mat-khau.txt"),
        }
    });
}

#[test]
fn links_in_the_body_that_climb_out_of_the_site_are_refused_by_build_check_and_serve() {
    refused_by_build_check_and_serve(|site| {
        outside(site);
        let paragraph = "Xem [danh sách](../../../../ngoai-site/mat-khau.txt) và [máy chủ](../../../../../../../../../../etc/passwd).";
        let line = add_paragraph(site, paragraph);
        Refusal {
            said: vec![
                format!("{ARTICLE}:{line}:5: lỗi: `../../../../ngoai-site/mat-khau.txt` dẫn ra ngoài thư mục của trang"),
                format!("{ARTICLE}:{line}:57: lỗi: `../../../../../../../../../../etc/passwd` dẫn ra ngoài"),
                format!("{line} | {paragraph}"),
            ],
            not_published: format!("{PAGE}mat-khau.txt"),
        }
    });
}

#[cfg(unix)]
#[test]
fn a_symlink_beside_the_article_to_a_file_outside_the_site_is_refused_by_build_check_and_serve() {
    refused_by_build_check_and_serve(|site| {
        let outside = outside(site);
        std::os::unix::fs::symlink(outside.join("anh.jpg"), site.root.join("content/2023/08/anh.jpg"))
            .unwrap();
        let line = add_paragraph(site, "![Ảnh hội nghị](anh.jpg)");
        Refusal {
            said: vec![format!("{ARTICLE}:{line}:1: lỗi: `anh.jpg` dẫn ra ngoài thư mục của trang")],
            not_published: format!("{PAGE}anh.jpg"),
        }
    });
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_leading_out_of_the_site_is_refused_by_build_check_and_serve() {
    refused_by_build_check_and_serve(|site| {
        let outside = outside(site);
        std::os::unix::fs::symlink(&outside, site.root.join("content/2023/08/thu-muc")).unwrap();
        let line = add_paragraph(site, "Toàn văn: [tài liệu](thu-muc/mat-khau.txt).");
        Refusal {
            said: vec![format!(
                "{ARTICLE}:{line}:11: lỗi: `thu-muc/mat-khau.txt` dẫn ra ngoài thư mục của trang"
            )],
            not_published: format!("{PAGE}thu-muc/mat-khau.txt"),
        }
    });
}

#[cfg(unix)]
#[test]
fn a_symlink_that_stays_inside_the_site_is_published_as_its_file() {
    let site = TestSite::from_fixture("valid/basic");
    let logo = tiny_png(40, 30);
    site.write("content/chung/logo.png", &logo);
    std::os::unix::fs::symlink("../../chung/logo.png", site.root.join("content/2023/08/logo.png")).unwrap();
    add_paragraph(&site, "![Biểu trưng](logo.png)");
    site.build(&[]);
    let published = std::fs::read(site.root.join("public/2023/08/hoi-nghi-btv-thang-8/logo.png")).unwrap();
    assert!(published == logo);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let server = site.serve();
    let (status, _) = raw_get(&server.base, &format!("{PAGE}logo.png"));
    assert_eq!(status, 200);
}

#[test]
fn web_pages_and_svg_drawings_beside_an_article_are_refused_with_a_way_out() {
    refused_by_build_check_and_serve(|site| {
        site.write("content/2023/08/bao-cao.html", "<h1>Báo cáo</h1><script>alert(document.cookie)</script>");
        site.write(
            "content/2023/08/so-do.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        );
        site.write("content/2023/08/cai-dat.exe", "MZ");
        let line = add_paragraph(
            site,
            "Đọc [báo cáo](bao-cao.html), xem ![sơ đồ](so-do.svg), tải [bộ cài](cai-dat.exe).",
        );
        Refusal {
            said: vec![
                format!("{ARTICLE}:{line}:5: lỗi: `bao-cao.html`: tệp .html không được đăng kèm bài viết"),
                "gợi ý: trang web có thể chạy mã lệnh trên trang của mình: chép nội dung vào bài viết, hoặc lưu thành tệp PDF".into(),
                "lỗi: `so-do.svg`: tệp .svg không được đăng kèm bài viết".into(),
                "gợi ý: hình vẽ SVG có thể chạy mã lệnh trên trang của mình: xuất hình ra tệp PNG".into(),
                "lỗi: `cai-dat.exe`: tệp .exe không được đăng kèm bài viết".into(),
                "gợi ý: chỉ đăng kèm được các loại tệp: jpg, jpeg, png".into(),
            ],
            not_published: format!("{PAGE}bao-cao.html"),
        }
    });
}

#[test]
fn documents_spreadsheets_and_archives_are_published_beside_the_article() {
    let site = TestSite::from_fixture("valid/basic");
    let files =
        ["nghi-quyet.pdf", "so-lieu.xlsx", "bien-ban.docx", "thu-chi.csv", "ghi-chu.txt", "ho-so.zip"];
    for name in files {
        site.write(&format!("content/2023/08/{name}"), format!("nội dung {name}"));
    }
    let links: Vec<String> = files.iter().map(|name| format!("[{name}]({name})")).collect();
    add_paragraph(&site, &format!("Tài liệu: {}.", links.join(", ")));
    site.build(&[]);
    for name in files {
        assert_eq!(site.page(&format!("{PAGE}{name}")), format!("nội dung {name}"));
    }
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn encoded_references_and_decomposed_file_names_are_published_under_their_nfc_names() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("content/2023/08/anh co dau cach.png", tiny_png(40, 30));
    let nfd: String = "hội-trường.png".nfd().collect();
    site.write(&format!("content/2023/08/{nfd}"), tiny_png(30, 20));
    add_paragraph(&site, "![Toàn cảnh](anh%20co%20dau%20cach.png)\n\n![Hội trường](hội-trường.png)");
    site.build(&[]);
    assert!(site.exists(&format!("{PAGE}anh co dau cach.png")));
    assert!(site.exists(&format!("{PAGE}hội-trường.png")), "published under the NFC name");
    let page = site.page(PAGE);
    assert!(page.contains("src=\"hội-trường.png\" alt=\"Hội trường\" width=\"30\" height=\"20\""), "{page}");
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    for unwanted in ["không có tệp ảnh", "chưa bài viết nào dẫn tới", "anh co dau cach", "trường.png"]
    {
        assert!(!check.stderr.contains(unwanted), "{unwanted}:\n{}", check.stderr);
    }
    let server = site.serve();
    for path in ["anh%20co%20dau%20cach.png", "h%E1%BB%99i-tr%C6%B0%E1%BB%9Dng.png"] {
        let (status, _) = raw_get(&server.base, &format!("{PAGE}{path}"));
        assert_eq!(status, 200, "{path}");
    }
}

#[test]
fn a_missing_file_is_still_what_check_reports_and_build_leaves_out() {
    let site = TestSite::from_fixture("valid/basic");
    let line = add_paragraph(&site, "![Ảnh](khong-co.jpg)");
    site.build(&[]);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains(&format!("{ARTICLE}:{line}:1: lỗi: không có tệp ảnh `khong-co.jpg`")),
        "{}",
        check.stderr
    );
}

#[test]
fn a_damaged_photo_is_a_content_error_of_build_and_check_naming_it() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let before = site.snapshot("public");
    site.write("content/2023/08/hong.png", damaged_png());
    add_paragraph(&site, "![Ảnh hỏng](hong.png)");
    let said = format!("{ARTICLE}: lỗi: không đọc được ảnh `hong.png`");
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, 1, "{command} must fail as a content error:\n{}", run.stderr);
        assert!(run.stderr.contains(&said), "{command}:\n{}", run.stderr);
        assert!(run.stderr.contains("gợi ý: tệp ảnh bị hỏng"), "{command}:\n{}", run.stderr);
    }
    assert!(site.snapshot("public") == before, "a failed build changes nothing");
}

#[test]
fn an_image_whose_header_claims_a_huge_size_is_refused_by_build_check_and_serve() {
    refused_by_build_check_and_serve(|site| {
        site.write("content/2023/08/bom.png", png_claiming(50_000, 50_000));
        let line = add_paragraph(site, "![Bom](bom.png)");
        Refusal {
            said: vec![
                format!(
                    "{ARTICLE}:{line}:1: lỗi: ảnh `bom.png` quá lớn, không đọc được (50.000×50.000 điểm ảnh)"
                ),
                "gợi ý: bantin chỉ đọc ảnh có mỗi chiều không quá 12.000 điểm ảnh".into(),
            ],
            not_published: format!("{PAGE}bom.png"),
        }
    });
}

/// The peak memory of a process (Linux).
#[cfg(target_os = "linux")]
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn serve_decodes_a_photo_once_however_many_requests_ask_for_its_copies() {
    let site = TestSite::from_fixture("valid/basic");
    // Two different 6-megapixel photos: noise, so that they are large.
    for (name, seed) in [("mot.png", 7u32), ("hai.png", 11)] {
        let photo = image::RgbImage::from_fn(3000, 2000, |x, y| {
            let v = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(seed.wrapping_mul(40_503))) >> 8;
            image::Rgb([v as u8, (v >> 8) as u8, (v >> 16) as u8])
        });
        photo.save(site.root.join("content/2023/08").join(name)).unwrap();
    }
    add_paragraph(&site, "![Một](mot.png)\n\n![Hai](hai.png)");
    let server = site.serve();
    let pid = server.pid();
    let start = peak_memory_kib(pid);
    let address = server.base.trim_start_matches("http://").to_string();
    assert_eq!(status_with_host(&server.base, &format!("{PAGE}mot-480w.png"), &address), 200);
    let one = peak_memory_kib(pid) - start;
    let requests: Vec<_> = [480, 960, 1440, 480, 960, 1440, 480, 960]
        .into_iter()
        .map(|width| {
            let (base, path, host) =
                (server.base.clone(), format!("{PAGE}hai-{width}w.png"), address.clone());
            std::thread::spawn(move || status_with_host(&base, &path, &host))
        })
        .collect();
    for request in requests {
        assert_eq!(request.join().unwrap(), 200);
    }
    let eight = peak_memory_kib(pid) - start;
    assert!(
        eight < one * 2,
        "8 concurrent requests raised the peak by {eight} KiB, one request by {one} KiB"
    );
}

/// A request for `path` with `host` as its Host header; the status. Patient:
/// the machines running tests are shared, and decoding photos takes a while.
fn status_with_host(base: &str, path: &str, host: &str) -> u16 {
    raw_get_with_host(base, path, host).0
}

#[test]
fn serve_answers_only_requests_that_name_it_in_their_host() {
    let site = TestSite::from_fixture("valid/basic");
    let server = site.serve();
    let port = server.base.rsplit(':').next().unwrap().to_string();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(status_with_host(&server.base, PAGE, &host), 200, "{host}");
    }
    for host in [
        format!("tan-cong.example:{port}"),
        "tan-cong.example".to_string(),
        format!("127.0.0.1.tan-cong.example:{port}"),
        format!("localhost:{}", port.parse::<u16>().unwrap().wrapping_add(1)),
    ] {
        for path in
            [PAGE, "/__bantin/live.js", "/__bantin/events", "/style.css", &format!("{PAGE}dai-bieu.png")]
        {
            let (status, answer) = raw_get_with_host(&server.base, path, &host);
            assert_eq!(status, 403, "{host} {path}");
            // Said in Vietnamese, with what to do.
            assert!(answer.contains("địa chỉ in ra lúc chạy bantin serve"), "{answer}");
        }
    }
}

/// A small real PNG.
fn tiny_png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An 800×600 PNG whose compressed pixels are garbage halfway through.
fn damaged_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(800, 600, |x, y| {
        let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
        image::Rgb([v as u8, (v >> 8) as u8, (v >> 16) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    let mut bytes = out.into_inner();
    let middle = bytes.len() / 2;
    for (i, byte) in bytes[middle..middle + 4096].iter_mut().enumerate() {
        *byte = (i * 37 % 251) as u8;
    }
    bytes
}

/// A PNG whose header claims `width`×`height` pixels, with almost no data.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend((data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend(kind);
    png.extend(data);
    let crc = crc32(&png[start..]);
    png.extend(crc.to_be_bytes());
}

/// CRC-32 as PNG chunks carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
