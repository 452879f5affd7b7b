//! The editor at `/_soan/` of `bantin serve` (issue 18), over real HTTP with
//! the real binary: the list, the form, saving into the Markdown file, and
//! what it refuses (foreign origin, no token, paths out of content/, a bind
//! to the network).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::harness::{Served, TestSite};
use crate::serve::{get, until};

/// One request over a socket of its own: `head` holds the request's own
/// header lines (a `Content-Length` is added unless it says how the body
/// is sent); (status, the whole answer). A server refusing a body too
/// large answers before reading it all, so a failed write is not an error.
fn send(base: &str, method: &str, path: &str, head: &str, body: &[u8]) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let length = if head.contains("Transfer-Encoding") || method == "GET" {
        String::new()
    } else {
        format!("Content-Length: {}\r\n", body.len())
    };
    let head =
        format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\n{head}{length}Connection: close\r\n\r\n");
    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    (response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0), response)
}

/// A POST as a browser sends a form: `Host` this server, `Origin` as given.
fn post(base: &str, path: &str, origin: Option<&str>, form: &[(String, String)]) -> (u16, String) {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    let head = format!("{origin}Content-Type: application/x-www-form-urlencoded\r\n");
    send(base, "POST", path, &head, body.as_bytes())
}

/// Text of an HTML attribute or element as Tera escapes it, unescaped.
fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// What a browser would submit for the form in `html`: every named input,
/// the selected option, a checked checkbox, each textarea (its first
/// newline dropped, lines ended with CRLF as browsers send them).
fn submitted(html: &str) -> Vec<(String, String)> {
    let attribute = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).map(|at| {
            let rest = &tag[at + key.len()..];
            unescape(&rest[..rest.find('"').unwrap()])
        })
    };
    let mut pairs = Vec::new();
    for (at, _) in html.match_indices("<input ") {
        let tag = &html[at..at + html[at..].find('>').unwrap()];
        let Some(name) = attribute(tag, "name") else { continue };
        if tag.contains("type=\"checkbox\"") {
            if tag.contains(" checked") {
                pairs.push((name, "on".to_string()));
            }
        } else {
            pairs.push((name, attribute(tag, "value").unwrap_or_default()));
        }
    }
    for (at, _) in html.match_indices("<select ") {
        let select = &html[at..at + html[at..].find("</select>").unwrap()];
        let name = attribute(&select[..select.find('>').unwrap()], "name").unwrap();
        let option = select.split("<option ").find(|o| o.contains(" selected")).expect("an option selected");
        pairs.push((name, attribute(&format!(" {option}"), "value").unwrap()));
    }
    for (at, _) in html.match_indices("<textarea ") {
        let tag_end = at + html[at..].find('>').unwrap() + 1;
        let name = attribute(&html[at..tag_end], "name").unwrap();
        let text = &html[tag_end..tag_end + html[tag_end..].find("</textarea>").unwrap()];
        let text = unescape(text.strip_prefix('\n').unwrap_or(text));
        pairs.push((name, text.replace('\n', "\r\n")));
    }
    pairs
}

fn with(mut pairs: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    pairs.iter_mut().filter(|(k, _)| k == key).for_each(|(_, v)| *v = value.to_string());
    pairs
}

fn without(pairs: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    pairs.into_iter().filter(|(k, _)| k != key).collect()
}

const ARTICLE: &str = "content/2024/03/dang-uy-dinh-tan-chuyen-doi-so-nong-nghiep.md";

fn form_of(served: &Served, article: &str) -> Vec<(String, String)> {
    let path = format!("/_soan/{}", article.strip_prefix("content/").unwrap());
    let answer = get(&served.url(&path));
    assert_eq!(answer.status, 200, "{}", answer.body);
    submitted(&answer.body)
}

fn action(article: &str) -> String {
    format!("/_soan/{}", article.strip_prefix("content/").unwrap())
}

#[test]
fn the_list_shows_every_article_with_broken_ones_and_drafts_first() {
    let site = TestSite::sample();
    site.write(
        "content/2024/05/hop-loi.md",
        "---\ntitle: Họp thường kỳ tháng 5\ndate: 31/2/2024\norgan: Ban Thường vụ Huyện ủy\n---\nNội dung.\n",
    );
    let served = site.serve();
    let answer = get(&served.url("/_soan/"));
    assert_eq!(answer.status, 200);
    let body = unescape(&answer.body);
    let articles: Vec<String> = walkdir::WalkDir::new(site.root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(site.root.join("content")).unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(articles.len() > 30);
    for article in &articles {
        assert!(body.contains(&format!("href=\"/_soan/{article}\"")), "{article} is listed");
    }
    let broken = body.find("hop-loi.md").unwrap();
    let draft = body.find("dang-uy-dinh-tan-chuyen-doi-so-nong-nghiep.md").unwrap();
    let published = body.find("btv-huyen-uy-thang-8-2023.md").unwrap();
    assert!(broken < draft && draft < published, "broken, then drafts, then the others");
    assert!(body.contains("Có lỗi (1)") && body.contains("Nháp") && body.contains("Đã đăng"));
    assert!(body.contains("href=\"/2023/08/"), "rows link to their pages");
    let draft_row = &body[draft..draft + body[draft..].find("</tr>").unwrap()];
    assert!(!draft_row.contains("Xem bài"), "a draft's page is not served without --drafts");
}

#[test]
fn a_save_that_changes_the_title_writes_it_in_place_and_serve_rebuilds_the_page() {
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let before = std::fs::read_to_string(site.root.join(article)).unwrap();
    let served = site.serve();
    let shown = get(&served.url(&action(article))).body;
    let page = unescape(shown.split("<a href=\"").nth(3).unwrap().split('"').next().unwrap());
    assert_eq!(page, "/2023/08/btv-huyen-uy-thang-8-2023/", "the form links to the article's page");
    // Typed in NFD (as some keyboards send it), stored in NFC.
    let title = "Hội nghị Ban Thường vụ Huyện ủy tháng 8/2023: kinh tế tiếp tục tăng trưởng";
    let nfd: String = unicode_normalization::UnicodeNormalization::nfd(title).collect();
    assert_ne!(title, nfd);
    let form = with(submitted(&shown), "title", &nfd);
    let (status, response) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 303, "{response}");
    assert!(response.contains(&format!("location: {}?da-luu", action(article))), "{response}");
    let old_line = before.lines().find(|l| l.starts_with("title:")).unwrap();
    let expected = before.replacen(old_line, &format!("title: \"{title}\""), 1);
    assert_eq!(std::fs::read_to_string(site.root.join(article)).unwrap(), expected);
    until(&served.url(&page), Duration::from_secs(20), "serve rebuilds the page with the new title", |a| {
        a.status == 200 && a.body.contains(title)
    });
    let again = get(&served.url(&format!("{}?da-luu", action(article))));
    assert!(again.body.contains("Đã lưu."), "{}", again.body);
    let leftovers: Vec<_> = std::fs::read_dir(site.root.join("content/2023/08"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");
}

#[test]
fn every_sample_article_opened_and_saved_unchanged_keeps_its_bytes() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let mut saved = 0;
    for path in before.keys().filter(|p| p.extension().is_some_and(|x| x == "md")) {
        let article = format!("content/{}", path.to_string_lossy());
        let (status, response) =
            post(&served.base, &action(&article), Some(&served.base), &form_of(&served, &article));
        assert_eq!(status, 303, "{article}: {response}");
        saved += 1;
    }
    assert!(saved > 30);
    assert_eq!(site.snapshot("content"), before);
}

#[test]
fn a_post_from_another_origin_or_without_the_token_is_refused_and_writes_nothing() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let form = with(form_of(&served, ARTICLE), "title", "Tiêu đề bị giả mạo");
    let cases = [
        (Some("http://tan-cong.example"), form.clone()),
        (None, form.clone()),
        (Some(served.base.as_str()), without(form.clone(), "token")),
        (Some(served.base.as_str()), with(form.clone(), "token", "0123456789abcdef0123456789abcdef")),
    ];
    for (origin, form) in cases {
        let (status, response) = post(&served.base, &action(ARTICLE), origin, &form);
        assert_eq!(status, 403, "{origin:?}: {response}");
        assert!(response.contains("không có gì được ghi"), "{response}");
    }
    assert_eq!(site.snapshot("content"), before);
}

#[test]
fn paths_out_of_content_are_refused_for_reading_and_writing() {
    let site = TestSite::sample();
    let served = site.serve();
    let form = with(form_of(&served, ARTICLE), "title", "Không được ghi");
    let site_yaml = std::fs::read(site.root.join("site.yaml")).unwrap();
    for path in [
        "/_soan/../site.yaml",
        "/_soan/%2e%2e/site.yaml",
        "/_soan/2024/../../site.yaml",
        "/_soan/2024%2F..%2F..%2Fsite.yaml",
        "/_soan/..%5Csite.yaml",
    ] {
        let (status, response) = crate::serve::raw_get(&served.base, path);
        assert_eq!(status, 403, "GET {path}: {response}");
        let (status, response) = post(&served.base, path, Some(&served.base), &form);
        assert_eq!(status, 403, "POST {path}: {response}");
    }
    assert_eq!(std::fs::read(site.root.join("site.yaml")).unwrap(), site_yaml);
}

#[cfg(unix)]
#[test]
fn an_article_reached_through_a_symlink_is_refused() {
    let site = TestSite::sample();
    let outside = site.root.parent().unwrap().join("ngoai.md");
    std::fs::copy(site.root.join(ARTICLE), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("content/lien-ket.md")).unwrap();
    let before = std::fs::read(&outside).unwrap();
    let served = site.serve();
    let form = with(form_of(&served, ARTICLE), "title", "Không được ghi");
    let (status, response) = post(&served.base, "/_soan/lien-ket.md", Some(&served.base), &form);
    assert_eq!(status, 403, "{response}");
    assert_eq!(get(&served.url("/_soan/lien-ket.md")).status, 403);
    assert_eq!(std::fs::read(&outside).unwrap(), before);
}

#[test]
fn the_editor_is_not_served_when_serve_is_bound_to_the_network() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let mut served = site.serve_with(&["--bind", "0.0.0.0"]);
    served.base = served.base.replace("0.0.0.0", "127.0.0.1");
    let list = get(&served.url("/_soan/"));
    assert_eq!(list.status, 404, "{}", list.body);
    assert!(!list.body.contains("Các bài viết"));
    let form = get(&served.url(&action(ARTICLE)));
    assert_eq!(form.status, 404);
    let (status, _) = post(
        &served.base,
        &action(ARTICLE),
        Some(&served.base),
        &[("title".into(), "Không được ghi".into())],
    );
    assert!(status == 404 || status == 405, "{status}");
    assert_eq!(site.snapshot("content"), before);
}

/// The form filled in headless Chromium (WebDriver, see `webdriver.rs`) as a
/// person would: the file gets exactly the changed keys, the body as it was
/// (the browser sends it back with CRLF and without the textarea's first newline).
#[test]
fn a_form_filled_in_chromium_saves_exactly_the_changed_keys() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let before = std::fs::read_to_string(site.root.join(article)).unwrap();
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url(&action(article)));
    browser.wait_for("return document.querySelector('form textarea#body') !== null", Duration::from_secs(20));
    browser.eval("document.getElementById('title').value = ''", serde_json::json!([]));
    browser.type_into("#title", "Ban Thường vụ Huyện ủy họp phiên thường kỳ tháng 8/2023");
    browser.eval("document.getElementById('organ').value = 'Thường trực Huyện ủy'", serde_json::json!([]));
    browser.type_into("#tags", ", chuyển đổi số");
    browser.eval("document.querySelector('button[type=submit]').click()", serde_json::json!([]));
    browser.wait_for("return document.body.textContent.includes('Đã lưu.')", Duration::from_secs(20));
    let expected = before
        .replacen(
            before.lines().find(|l| l.starts_with("title:")).unwrap(),
            "title: Ban Thường vụ Huyện ủy họp phiên thường kỳ tháng 8/2023",
            1,
        )
        .replacen("organ: Ban Thường vụ Huyện ủy\n", "organ: Thường trực Huyện ủy\n", 1)
        .replacen(
            "tags: [nông thôn mới, OCOP, ngân sách]\n",
            "tags: [nông thôn mới, OCOP, ngân sách, chuyển đổi số]\n",
            1,
        );
    assert_ne!(expected, before);
    assert_eq!(std::fs::read_to_string(site.root.join(article)).unwrap(), expected);
}

#[test]
fn a_save_with_a_wrong_date_writes_nothing_and_shows_the_diagnostic_beside_the_date() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let form = with(form_of(&served, ARTICLE), "date", "31/2/2024");
    let form = with(form, "title", "Đảng ủy xã Định Tân họp chuyên đề");
    let (status, response) = post(&served.base, &action(ARTICLE), Some(&served.base), &form);
    assert_eq!(status, 422, "{response}");
    let response = unescape(&response);
    let beside = response.split("id=\"date-problem\">").nth(1).expect("a problem beside the date field");
    let beside = &beside[..beside.find("</pre>").unwrap()];
    assert!(beside.contains("lỗi: `31/2/2024` không phải là một ngày có thật"), "{beside}");
    assert!(beside.contains("gợi ý: ghi ngày theo dạng ngày/tháng/năm"), "{beside}");
    assert!(response.contains("Chưa lưu vì bài còn lỗi"), "{response}");
    assert!(response.contains("value=\"Đảng ủy xã Định Tân họp chuyên đề\""), "what was typed is kept");
    assert!(response.contains("aria-describedby=\"date-hint date-problem\""));
    assert_eq!(site.snapshot("content"), before);
}

/// The list and the form at a phone's and a desktop's width: no horizontal
/// scrolling, no serious or critical axe-core violations; screenshots kept
/// under target/screenshots (soan-*.png).
#[test]
fn the_list_and_the_form_pass_axe_and_fit_a_phone_and_a_desktop() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let served = site.serve();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for width in [360, 1280] {
        let browser = Browser::start(width, 900);
        let form = action("content/2023/08/btv-huyen-uy-thang-8-2023.md");
        for (name, path) in [("danh-sach", "/_soan/"), ("bieu-mau", form.as_str())] {
            browser.open(&served.url(path));
            browser.wait_for("return document.readyState === 'complete'", Duration::from_secs(20));
            std::fs::write(dir.join(format!("soan-{name}-{width}.png")), browser.screenshot()).unwrap();
            let wide = browser.eval(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
                serde_json::json!([]),
            );
            assert_eq!(wide, serde_json::json!(0), "{path} at {width}px scrolls sideways");
            let violations = browser.serious_violations();
            assert!(violations.is_empty(), "{path} at {width}px: {violations:#?}");
        }
    }
}

#[test]
fn a_post_larger_than_the_limit_is_refused_cleanly_and_writes_nothing() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let body = "Đoạn văn rất dài. ".repeat(200_000);
    let form = with(form_of(&served, ARTICLE), "body", &body);
    let (status, response) = post(&served.base, &action(ARTICLE), Some(&served.base), &form);
    assert_eq!(status, 413, "{}", &response[..response.len().min(300)]);
    assert!(response.contains("text/html"), "{response}");
    assert!(
        response.contains("Nội dung gửi lên quá lớn nên không được nhận; không có gì được ghi."),
        "{response}"
    );
    assert!(response.contains("mỗi lần lưu bài tối đa 2 MB"), "{response}");
    assert!(!response.contains("length limit"), "not axum's English: {response}");
    assert_eq!(site.snapshot("content"), before);
    assert_eq!(get(&served.url("/_soan/")).status, 200, "the server goes on");
}

/// What axum would answer in English: a method an address does not take
/// (405) and a body cut off in the middle (400) get the editor's
/// Vietnamese page, and nothing is written.
#[test]
fn a_wrong_method_or_a_broken_body_is_answered_in_vietnamese_and_writes_nothing() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let photos = "/_soan-anh/2023/08/btv-huyen-uy-thang-8-2023.md?ten=anh.jpg";
    for (method, path) in [("GET", photos), ("PUT", "/_soan/"), ("DELETE", action(ARTICLE).as_str())] {
        let (status, response) = send(&served.base, method, path, "", b"");
        assert_eq!(status, 405, "{method} {path}: {response}");
        assert!(response.contains("text/html"), "{response}");
        assert!(response.contains("không nhận kiểu yêu cầu này; không có gì được ghi"), "{response}");
    }
    // A chunk whose size is not a number: the body cannot be read.
    let head = format!("Origin: {}\r\nTransfer-Encoding: chunked\r\n", served.base);
    let (status, response) = send(
        &served.base,
        "POST",
        &action(ARTICLE),
        &head,
        "zz\r\ntitle=Tie\u{0302}\u{0300}u đề\r\n".as_bytes(),
    );
    assert_eq!(status, 400, "{response}");
    assert!(response.contains("bị đứt giữa chừng nên không đọc được; không có gì được ghi"), "{response}");
    assert_eq!(site.snapshot("content"), before);
}

#[test]
fn a_file_edited_by_hand_after_the_form_was_opened_is_not_overwritten() {
    let site = TestSite::sample();
    let served = site.serve();
    let form = with(form_of(&served, ARTICLE), "title", "Tiêu đề từ biểu mẫu cũ");
    let by_hand = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap() + "\nĐoạn thêm bằng tay.\n";
    site.write(ARTICLE, &by_hand);
    let (status, response) = post(&served.base, &action(ARTICLE), Some(&served.base), &form);
    assert_eq!(status, 409, "{response}");
    assert!(response.contains("Tệp đã được sửa ở nơi khác"), "{response}");
    assert_eq!(std::fs::read_to_string(site.root.join(ARTICLE)).unwrap(), by_hand);
}

#[test]
fn the_form_shows_the_articles_figures_the_vietnamese_way() {
    let site = TestSite::sample();
    let served = site.serve();
    let form = get(&served.url(&action("content/2023/08/btv-huyen-uy-thang-8-2023.md")));
    let table = &form.body[form.body.find("id=\"bang-so-lieu\"").expect("a figures table")..];
    let row = &table[..table.find("</tr>\n").unwrap()];
    let row = &row[row.rfind("<tr>").unwrap()..];
    assert!(row.contains("value=\"gia-tri-san-xuat-cong-nghiep\" data-unit=\"tỷ đồng\" selected"), "{row}");
    assert!(row.contains("name=\"f0-value\" value=\"351,05\""), "{row}");
    assert!(row.contains("<td class=\"don-vi\">tỷ đồng</td>"), "the unit is shown, not typed: {row}");
    assert!(!table[..table.find("</table>").unwrap()].contains("351.05"), "no decimal point");
}

/// A figure typed wrong: nothing written, the form comes back with what was
/// typed and the Vietnamese diagnostic in the cell's row.
#[test]
fn a_figure_that_is_not_a_number_writes_nothing_and_is_named_beside_its_cell() {
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let before = site.snapshot("content");
    let served = site.serve();
    let form = with(form_of(&served, article), "f0-value", "35,1,2");
    let (status, response) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 422, "{response}");
    let cell = &response[response.find("name=\"f0-value\" value=\"35,1,2\"").expect("the cell as typed")..];
    let cell = &cell[..cell.find("</td>").unwrap()];
    assert!(cell.contains("lỗi: `35,1,2` không phải là con số"), "{cell}");
    assert!(cell.contains("gợi ý: gõ số theo cách viết tiếng Việt"), "{cell}");
    assert_eq!(site.snapshot("content"), before);
}

/// The whole path a person takes in Chromium: "Bài mới" with an organ
/// chosen, two figures typed with decimal commas, a photo chosen, saved;
/// the file is what `bantin new` writes with exactly those figures and the
/// photo's line, byte for byte, and the photo is beside it.
#[test]
fn an_article_created_in_chromium_with_two_figures_typed_with_commas_and_a_photo_is_the_expected_markdown() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    let none = serde_json::json!([]);
    browser.open(&served.url("/_soan/"));
    browser.wait_for("return document.getElementById('new-title') !== null", Duration::from_secs(20));
    browser.eval("document.querySelector('details').open = true", none.clone());
    let title = "Hội nghị Ban Thường vụ Huyện ủy tháng 9 năm 2023";
    browser.type_into("#new-title", title);
    browser.eval("document.getElementById('new-organ').value = 'Ban Thường vụ Huyện ủy'", none.clone());
    browser.type_into("#new-date", "28/9/2023");
    browser.eval("document.querySelector('details form button[type=submit]').click()", none.clone());
    browser.wait_for("return document.getElementById('bang-so-lieu') !== null", Duration::from_secs(20));
    let choose =
        "var s = document.querySelector('select[name=' + arguments[0] + ']'); s.value = arguments[1]; \
                  s.dispatchEvent(new Event('change', {bubbles: true}));";
    browser.eval(choose, serde_json::json!(["f0-id", "gia-tri-san-xuat-cong-nghiep"]));
    browser.type_into("input[name=f0-value]", "351,05");
    browser.eval("document.querySelector('input[name=f0-estimate]').click()", none.clone());
    browser.eval(choose, serde_json::json!(["f1-id", "tong-von-dau-tu"]));
    browser.type_into("input[name=f1-value]", "1.234,5");
    browser.type_into("input[name=f1-yoy]", "-3,2");
    let unit = browser.eval("return document.querySelectorAll('.don-vi')[1].textContent", none.clone());
    assert_eq!(unit, "tỷ đồng", "the chosen indicator's unit is shown");
    // A photo chosen with its caption, put at the end of the body.
    let photo = site.root.join("Đại biểu dự hội nghị.JPG");
    std::fs::copy(site.root.join("content/2023/08/dai-bieu.jpg"), &photo).unwrap();
    browser.eval(
        "var b = document.getElementById('body'); b.selectionStart = b.selectionEnd = b.value.length;",
        none.clone(),
    );
    browser.type_into("#chu-thich-anh", "Đại biểu dự hội nghị");
    browser.type_into("#anh", photo.to_str().unwrap());
    browser.wait_for(
        "return document.getElementById('body').value.includes('](dai-bieu-du-hoi-nghi.jpg)')",
        Duration::from_secs(20),
    );
    browser.eval("document.querySelector('form[action^=\"/_soan/2023\"] button[type=submit]').click()", none);
    browser.wait_for("return document.body.textContent.includes('Đã lưu.')", Duration::from_secs(20));
    let path = browser.eval("return location.pathname", serde_json::json!([]));
    let relative = path.as_str().unwrap().strip_prefix("/_soan/").unwrap().to_string();
    // The same article made by the command line, in a copy of the site.
    let other = TestSite::sample();
    let run = other.run(&["new", title, "--organ", "Ban Thường vụ Huyện ủy", "--date", "28/9/2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let by_command = std::fs::read_to_string(other.root.join("content").join(&relative)).unwrap();
    let expected = by_command.replacen(
        "\nindicators: []\n",
        "\nindicators:\n  - id: gia-tri-san-xuat-cong-nghiep\n    value: 351.05\n    estimate: true\n  - id: tong-von-dau-tu\n    value: 1234.5\n    yoy: -3.2\n",
        1,
    );
    let expected =
        expected.replacen("-->\n", "-->\n\n![Đại biểu dự hội nghị](dai-bieu-du-hoi-nghi.jpg)\n", 1);
    assert_ne!(expected, by_command);
    assert_eq!(std::fs::read_to_string(site.root.join("content").join(&relative)).unwrap(), expected);
    let beside = site.root.join("content").join(&relative).with_file_name("dai-bieu-du-hoi-nghi.jpg");
    assert_eq!(std::fs::read(beside).unwrap(), std::fs::read(&photo).unwrap(), "the photo saved beside it");
}

#[test]
fn bai_moi_writes_what_bantin_new_writes_and_opens_its_form() {
    let site = TestSite::sample();
    let served = site.serve();
    let list = get(&served.url("/_soan/")).body;
    let token = list.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let title = "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 12";
    let organ = "Ban Chấp hành Đảng bộ huyện";
    let form: Vec<(String, String)> =
        [("token", token.as_str()), ("title", title), ("organ", organ), ("date", "15/9/2023")]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
    let (status, response) = post(&served.base, "/_soan/", Some(&served.base), &form);
    assert_eq!(status, 303, "{response}");
    let location = response.lines().find_map(|l| l.strip_prefix("location: ")).unwrap().trim().to_string();
    assert!(location.starts_with("/_soan/2023/09/") && location.ends_with(".md"), "{location}");
    let made =
        std::fs::read(site.root.join("content").join(location.strip_prefix("/_soan/").unwrap())).unwrap();
    // The same article made by the command line, in a copy of the site.
    let other = TestSite::sample();
    let run = other.run(&["new", title, "--organ", organ, "--date", "15/9/2023"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let by_command =
        std::fs::read(other.root.join("content").join(location.strip_prefix("/_soan/").unwrap())).unwrap();
    assert_eq!(made, by_command);
    assert_eq!(get(&served.url(&location)).status, 200, "its form opens");
    // The same title again: the file exists, nothing is replaced.
    let (status, response) = post(&served.base, "/_soan/", Some(&served.base), &form);
    assert_eq!(status, 422, "{response}");
    assert!(response.contains("Chưa tạo được bài mới"), "{response}");
    let (status, _) = post(&served.base, "/_soan/", Some("http://tan-cong.example"), &form);
    assert_eq!(status, 403);
}

#[test]
fn dang_bai_is_refused_while_a_note_to_check_remains_and_publishes_once_it_is_gone() {
    let site = TestSite::sample();
    let article = "content/2023/10/ubnd-xa-dinh-hoa-thang-10.md";
    let with_note = "---\ntitle: UBND xã Định Hòa họp phiên thường kỳ tháng 10\n# kiểm tra: ngày họp lấy từ dòng đầu của văn bản\ndate: 2023-10-30\norgan: Ủy ban nhân dân xã Định Hòa\ndraft: true\n---\nUBND xã Định Hòa họp đánh giá kết quả tháng 10.\n";
    site.write(article, with_note);
    let served = site.serve();
    let mut form = form_of(&served, article);
    form.push(("publish".into(), "1".into()));
    let (status, response) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 422, "{response}");
    assert!(response.contains("Chưa đăng: bài còn ghi chú cần kiểm tra"), "{response}");
    assert!(response.contains("Cần kiểm tra (dòng 3): ngày họp lấy từ dòng đầu của văn bản"), "{response}");
    assert_eq!(std::fs::read_to_string(site.root.join(article)).unwrap(), with_note);
    // The person checked it and took the note out: now it publishes.
    let checked = with_note.replace("# kiểm tra: ngày họp lấy từ dòng đầu của văn bản\n", "");
    site.write(article, &checked);
    let mut form = form_of(&served, article);
    form.push(("publish".into(), "1".into()));
    let (status, response) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 303, "{response}");
    assert_eq!(
        std::fs::read_to_string(site.root.join(article)).unwrap(),
        checked.replace("draft: true\n", "draft: false\n")
    );
}

/// The seed article (SPEC's example) as a person pastes it from the
/// portal into "Dán bài" in Chromium.
/// The seed article's text pasted in "Dán bài" on the page at `url`, sent.
fn paste_seed(browser: &crate::webdriver::Browser, url: &str) {
    browser.open(url);
    browser.wait_for("return document.getElementById('pasted') !== null", Duration::from_secs(20));
    browser.eval("document.querySelectorAll('details').forEach(d => d.open = true)", serde_json::json!([]));
    browser.eval("document.getElementById('pasted').value = arguments[0]", serde_json::json!([seed_text()]));
    browser.eval(
        "document.getElementById('pasted').form.querySelector('button').click()",
        serde_json::json!([]),
    );
}

/// The value of the form's input named `name`.
fn seed_cell(browser: &crate::webdriver::Browser, name: &str) -> serde_json::Value {
    browser
        .eval("return document.querySelector('[name=' + arguments[0] + ']').value", serde_json::json!([name]))
}

fn seed_text() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import/seed-article.txt"),
    )
    .unwrap()
}

/// "Dán bài": the pasted text goes through `import` (the file is what
/// `bantin import` writes, but for where the text came from), the form
/// shows its figures and each note beside the field it is about, and
/// "Đăng bài" is refused while a note is left.
#[test]
fn a_pasted_article_fills_the_form_with_its_figures_and_notes_and_is_not_published_while_notes_remain() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    let none = serde_json::json!([]);
    paste_seed(&browser, &served.url("/_soan/"));
    browser.wait_for("return document.getElementById('bang-so-lieu') !== null", Duration::from_secs(20));
    let path = browser.eval("return location.pathname", none.clone());
    let article = format!("content/{}", path.as_str().unwrap().strip_prefix("/_soan/").unwrap());
    // What `bantin import` writes for the same text, in a copy of the site.
    let other = TestSite::sample();
    other.write("seed-article.txt", seed_text());
    let seed = other.root.join("seed-article.txt");
    let run = other.run(&["import", seed.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let by_command = std::fs::read_to_string(other.root.join(&article)).unwrap();
    let pasted = std::fs::read_to_string(site.root.join(&article)).unwrap();
    assert_eq!(pasted, by_command.replacen("từ seed-article.txt.", "từ văn bản dán vào trang soạn bài.", 1));
    // The form: the figures as typed the Vietnamese way, in the table.
    let cell = |name: &str| seed_cell(&browser, name);
    assert_eq!(cell("f1-id"), "gia-tri-san-xuat-cong-nghiep");
    assert_eq!(cell("f1-value"), "351,05");
    assert_eq!(cell("f3-plan"), "56,25");
    assert_eq!(cell("f4-cumulative"), "253");
    // Each note beside its field: between that field and the next one.
    let placed = "var n = document.getElementById('ghi-chu-' + arguments[0]); \
                  var a = document.querySelector(arguments[1]), b = document.querySelector(arguments[2]); \
                  var F = Node.DOCUMENT_POSITION_FOLLOWING; \
                  return n !== null && !!(a.compareDocumentPosition(n) & F) && !!(n.compareDocumentPosition(b) & F) \
                  && n.textContent.includes(arguments[3]);";
    let notes = by_command.lines().enumerate().filter(|(_, l)| l.trim_start().starts_with("# kiểm tra:"));
    let lines: Vec<usize> = notes.map(|(i, _)| i + 1).collect();
    assert_eq!(lines.len(), 6, "{by_command}");
    for line in &lines {
        let text = by_command.lines().nth(line - 1).unwrap().trim_start().trim_start_matches("# kiểm tra: ");
        // A figure's, the photo's, then the summary's (written above `tags:`, where `summary:` goes).
        let (after, before) = match by_command.lines().nth(line - 1).unwrap().starts_with(' ') {
            true => ("#so-lieu", "#bang-so-lieu"),
            false if text.contains("ảnh") => ("#image", "input[name=draft]"),
            false => ("#tags", "#summary"),
        };
        let shown = browser.eval(placed, serde_json::json!([line, after, before, text]));
        assert_eq!(shown, true, "note on line {line} ({text}) shown between {after} and {before}");
    }
    browser.eval("document.querySelector('button[name=publish]').click()", none);
    browser.wait_for(
        "return document.body.textContent.includes('Chưa đăng: bài còn ghi chú cần kiểm tra')",
        Duration::from_secs(20),
    );
    assert_eq!(std::fs::read_to_string(site.root.join(&article)).unwrap(), pasted, "nothing written");
}

/// A note marked "Đã kiểm tra" goes out of the file with the save; the
/// others stay, and so does every other byte.
#[test]
fn a_note_marked_as_checked_is_taken_out_of_the_file_on_save() {
    let site = TestSite::sample();
    let article = "content/2023/10/ubnd-xa-dinh-hoa-thang-10.md";
    let with_notes = "---\ntitle: UBND xã Định Hòa họp phiên thường kỳ tháng 10\n# kiểm tra: ngày họp lấy từ dòng đầu của văn bản\ndate: 2023-10-30\norgan: Ủy ban nhân dân xã Định Hòa\ndraft: true\nindicators:\n  - id: thu-ngan-sach\n    value: 4.2\n    # kiểm tra: \"4,2 tỷ đồng\" là của xã, không phải của huyện?\n---\nUBND xã Định Hòa họp đánh giá kết quả tháng 10.\n";
    site.write(article, with_notes);
    let served = site.serve();
    let page = get(&served.url(&action(article))).body;
    assert!(page.contains("id=\"ghi-chu-3\""), "{page}");
    let mut form = form_of(&served, article);
    form.push(("checked".into(), "3".into()));
    let (status, response) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 303, "{response}");
    assert_eq!(
        std::fs::read_to_string(site.root.join(article)).unwrap(),
        with_notes.replace("# kiểm tra: ngày họp lấy từ dòng đầu của văn bản\n", "")
    );
}

/// The live preview in Chromium: text typed in the body (with an
/// abbreviation of the glossary and NFD text) shows, a moment later, the
/// article's page whose `<main>` is the one `build` writes for the saved text.
#[test]
fn the_live_preview_shows_the_article_page_as_build_renders_it() {
    use crate::harness::main_of;
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url(&action(article)));
    browser.wait_for(
        "return document.getElementById('xem-truoc').srcdoc.includes('<main')",
        Duration::from_secs(30),
    );
    // "Hội đồng nhân dân" typed decomposed (NFD), as some keyboards send it.
    let added = "\n\nHĐND huyện thống nhất chỉ đạo; Ho\u{302}\u{323}i đồng nhân dân giám sát.\n";
    browser.eval(
        "var b = document.getElementById('body'); b.value += arguments[0]; \
         b.dispatchEvent(new Event('input', {bubbles: true}));",
        serde_json::json!([added]),
    );
    browser.wait_for(
        "return document.getElementById('xem-truoc').srcdoc.includes('giám sát')",
        Duration::from_secs(30),
    );
    let preview = browser.eval("return document.getElementById('xem-truoc').srcdoc", serde_json::json!([]));
    let preview = preview.as_str().unwrap().to_string();
    assert!(preview.contains("<abbr title=\"Hội đồng nhân dân\">HĐND</abbr>"), "{}", main_of(&preview));
    browser.eval("document.querySelector('button[type=submit]').click()", serde_json::json!([]));
    browser.wait_for("return document.body.textContent.includes('Đã lưu.')", Duration::from_secs(20));
    site.build(&[]);
    let url = preview.split("rel=\"canonical\" href=\"").nth(1).map(|r| r.split('"').next().unwrap());
    let url = url.expect("a canonical link").trim_start_matches("https://").split_once('/').unwrap().1;
    let built = site.page(&format!("/{url}"));
    assert!(main_of(&built).contains("giám sát"));
    assert_eq!(main_of(&preview), main_of(&built));
}

/// A photo posted over real HTTP: 50 MB refused (413) before it is read,
/// a file that is not a JPEG or PNG refused (415), a foreign origin
/// refused (403), the token in the address instead of its header refused
/// (403), nothing written; a real JPEG saved under a slug of its
/// name, a second one beside it under another name.
#[test]
fn photos_are_checked_for_size_type_and_origin_and_never_replace_a_file() {
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let served = site.serve();
    let page = get(&served.url(&action(article))).body;
    let token = page.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let upload = |origin: &str, name: &str, body: &[u8]| {
        let path =
            format!("/_soan-anh/2023/08/btv-huyen-uy-thang-8-2023.md?ten={}", name.replace(' ', "%20"));
        let head = format!("Origin: {origin}\r\nX-Bantin-Token: {token}\r\nContent-Type: image/jpeg\r\n");
        let (status, response) = send(&served.base, "POST", &path, &head, body);
        (status, response.split("\r\n\r\n").nth(1).unwrap_or("").to_string())
    };
    let before = site.snapshot("content");
    let mut huge = std::fs::read(site.root.join("content/2023/08/dai-bieu.jpg")).unwrap();
    huge.resize(50 * 1024 * 1024, 0);
    let (status, answer) = upload(&served.base, "Ảnh lớn.jpg", &huge);
    assert_eq!(status, 413, "{answer}");
    assert!(answer.contains("quá lớn nên không được nhận") && answer.contains("tối đa 20 MB"), "{answer}");
    let (status, answer) = upload(&served.base, "bao-cao.jpg", "Báo cáo tháng 8, không phải ảnh".as_bytes());
    assert_eq!(status, 415, "{answer}");
    assert!(answer.contains("không phải ảnh JPEG hay PNG"), "{answer}");
    let jpeg = std::fs::read(site.root.join("content/2023/08/dai-bieu.jpg")).unwrap();
    assert_eq!(upload("http://tan-cong.example", "anh.jpg", &jpeg).0, 403);
    // The token in the address (logs, history) instead of the header: refused.
    let (status, answer) = send(
        &served.base,
        "POST",
        &format!("/_soan-anh/2023/08/btv-huyen-uy-thang-8-2023.md?ten=anh.jpg&token={token}"),
        &format!("Origin: {}\r\nContent-Type: image/jpeg\r\n", served.base),
        &jpeg,
    );
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains("Yêu cầu không đến từ trang soạn bài của máy chủ này"), "{answer}");
    assert_eq!(upload(&served.base, "../../../thoat.jpg", &jpeg).0, 200, "the name is only a slug's words");
    assert_eq!(site.snapshot("content").len(), before.len() + 1);
    assert!(site.root.join("content/2023/08/thoat.jpg").is_file(), "beside the article, nowhere else");
    assert_eq!(
        upload(&served.base, "Hội nghị Ban Thường vụ.jpg", &jpeg),
        (200, "hoi-nghi-ban-thuong-vu.jpg".into())
    );
    assert_eq!(
        upload(&served.base, "Hội nghị Ban Thường vụ.jpg", &jpeg),
        (200, "hoi-nghi-ban-thuong-vu-2.jpg".into())
    );
    assert_eq!(std::fs::read(site.root.join("content/2023/08/hoi-nghi-ban-thuong-vu-2.jpg")).unwrap(), jpeg);
}

/// Validation as you type, in Chromium: a date that does not exist, typed
/// in the date field, shows the Vietnamese diagnostic beside that field a
/// moment later, before any save; corrected, it goes away. Nothing written.
#[test]
fn a_wrong_date_typed_in_chromium_shows_the_vietnamese_diagnostic_beside_the_date_field() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url(&action(ARTICLE)));
    browser.wait_for("return document.getElementById('date') !== null", Duration::from_secs(20));
    browser.eval("document.getElementById('date').value = ''", serde_json::json!([]));
    browser.type_into("#date", "31/2/2024");
    let shown = browser.wait_for(
        "var p = document.getElementById('date-problem'); return p && p.textContent",
        Duration::from_secs(20),
    );
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("lỗi: `31/2/2024` không phải là một ngày có thật"), "{shown}");
    assert!(shown.contains("gợi ý: ghi ngày theo dạng ngày/tháng/năm"), "{shown}");
    let beside = "var p = document.getElementById('date-problem'); \
                  return p.previousElementSibling.id === 'date-hint' \
                  && document.getElementById('date').getAttribute('aria-describedby') === 'date-hint date-problem';";
    assert_eq!(browser.eval(beside, serde_json::json!([])), true, "beside the date field and named by it");
    browser.eval("document.getElementById('date').value = ''", serde_json::json!([]));
    browser.type_into("#date", "29/2/2024");
    browser.wait_for("return document.getElementById('date-problem') === null", Duration::from_secs(20));
    assert_eq!(site.snapshot("content"), before);
}

/// The rows of the list page `/_soan/?<query>`: each listed article's path.
fn listed(served: &Served, query: &str) -> Vec<String> {
    let page = get(&served.url(&format!("/_soan/?{query}")));
    assert_eq!(page.status, 200, "{}", page.body);
    let table = &page.body[page.body.find("<tbody>").unwrap()..];
    table.split("<br><small>").skip(1).map(|r| unescape(&r[..r.find("</small>").unwrap()])).collect()
}

/// The list filtered by organ, month and status (nháp, đã đăng, hẹn giờ,
/// có lỗi), and searched by title without diacritics, on a GET that works
/// without JavaScript.
#[test]
fn the_list_is_filtered_by_organ_month_and_status_and_searched_without_diacritics() {
    let site = TestSite::sample();
    site.write(
        "content/2030/01/hop-sau.md",
        "---\ntitle: Ban Thường vụ Huyện ủy họp đầu năm 2030\ndate: 2030-01-02\norgan: Ban Thường vụ Huyện ủy\n---\nNội dung.\n",
    );
    site.write(
        "content/2024/05/hop-loi.md",
        "---\ntitle: Họp thường kỳ tháng 5\ndate: 31/2/2024\norgan: Ban Thường vụ Huyện ủy\n---\nNội dung.\n",
    );
    let served = site.serve();
    let all = listed(&served, "");
    assert!(all.len() > 30);
    let found = listed(&served, "tim=dinh+tan+ban+giai+phap+chuyen+doi+so");
    assert_eq!(found, ["2024/03/dang-uy-dinh-tan-chuyen-doi-so-nong-nghiep.md"], "found without diacritics");
    // "uỷ" and "ủy" are one word: both tone placements are found by either.
    let uy = listed(&served, "tim=Huy%E1%BB%87n+u%E1%BB%B7");
    assert!(uy.contains(&"2023/08/btv-huyen-uy-thang-8-2023.md".to_string()), "{uy:?}");
    let month = listed(&served, "thang=2023-08");
    assert!(!month.is_empty() && month.iter().all(|p| p.starts_with("2023/08/")), "{month:?}");
    let drafts = listed(&served, "trang-thai=nhap");
    assert!(drafts.contains(&"2024/03/dang-uy-dinh-tan-chuyen-doi-so-nong-nghiep.md".to_string()));
    assert!(!drafts.contains(&"2023/08/btv-huyen-uy-thang-8-2023.md".to_string()));
    let later = listed(&served, "trang-thai=hen-gio");
    // The sample's own scheduled article (`published: 2099-…`) and the one written here.
    assert_eq!(later, ["2030/01/hop-sau.md", "2024/03/ubnd-huyen-phien-hop-thang-3-2024.md"]);
    assert_eq!(listed(&served, "trang-thai=co-loi"), ["2024/05/hop-loi.md"]);
    let published = listed(&served, "trang-thai=da-dang");
    assert_eq!(published.len() + drafts.len() + later.len() + 1, all.len());
    let organ =
        listed(&served, "co-quan=Ban+Th%C6%B0%E1%BB%9Dng+v%E1%BB%A5+Huy%E1%BB%87n+%E1%BB%A7y&thang=2023-08");
    assert!(organ.contains(&"2023/08/btv-huyen-uy-thang-8-2023.md".to_string()), "{organ:?}");
    assert!(organ.len() < month.len() || month.len() == 1, "{organ:?} {month:?}");
    let none = get(&served.url("/_soan/?tim=khong+co+bai+nao")).body;
    assert!(none.contains("Không có bài nào khớp với điều kiện lọc."));
}

/// The rest of the front matter in Chromium, on what `bantin new` wrote:
/// the organ found by typing its name without diacritics, the meeting's
/// keys, people, source, a tag chosen among the site's. Each key is
/// written in place with the comment `new` put beside it; a key that was
/// only a comment is added (`location:` in the meeting, `source:` at the end).
#[test]
fn the_meeting_people_source_and_a_suggested_tag_are_written_in_place_with_their_comments() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let run = site.run(&[
        "new",
        "Hội nghị chuyên đề chuyển đổi số",
        "--organ",
        "Ban Thường vụ Huyện ủy",
        "--date",
        "12/10/2023",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let article = "content/2023/10/hoi-nghi-chuyen-de-chuyen-doi-so.md";
    let before = std::fs::read_to_string(site.root.join(article)).unwrap();
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url(&action(article)));
    browser.wait_for("return document.getElementById('tim-co-quan') !== null", Duration::from_secs(20));
    browser.type_into("#tim-co-quan", "thuong truc huyen uy");
    assert_eq!(
        browser.eval("return document.getElementById('organ').value", serde_json::json!([])),
        "Thường trực Huyện ủy"
    );
    let set = "var e = document.getElementById(arguments[0]); e.value = '';";
    for (field, text) in [
        ("kind", "chuyên đề"),
        ("location", "Hội trường Huyện ủy"),
        ("chair", "Trịnh Xuân Thúy"),
        ("attendees", "Vũ Ngọc Thưởng, Lê Văn Định"),
        ("authors", "Đức Nguyên"),
        ("source", "TTVHTTTTDL"),
    ] {
        browser.eval(set, serde_json::json!([field]));
        browser.type_into(&format!("#{field}"), text);
    }
    browser.eval("document.querySelector('input[name=extended]').click()", serde_json::json!([]));
    let suggested = browser.eval(
        "return Array.from(document.querySelectorAll('#the-co-san option')).map(o => o.value)",
        serde_json::json!([]),
    );
    assert!(suggested.as_array().unwrap().contains(&serde_json::json!("nông thôn mới")), "{suggested}");
    browser.type_into("#them-the", "nông thôn mới");
    browser.eval("document.getElementById('nut-them-the').click()", serde_json::json!([]));
    browser.eval("document.querySelector('button[type=submit]').click()", serde_json::json!([]));
    browser.wait_for("return document.body.textContent.includes('Đã lưu.')", Duration::from_secs(20));
    let expected = before
        .replacen("organ: Ban Thường vụ Huyện ủy\n", "organ: Thường trực Huyện ủy\n", 1)
        .replacen("  kind: định kỳ              #", "  kind: chuyên đề #", 1)
        .replacen("  extended: false            #", "  extended: true #", 1)
        .replacen(
            "  # location: Hội trường …\n",
            "  # location: Hội trường …\n  location: Hội trường Huyện ủy\n",
            1,
        )
        .replacen("chair: []                    #", "chair: [Trịnh Xuân Thúy] #", 1)
        .replacen("attendees: []                #", "attendees: [Vũ Ngọc Thưởng, Lê Văn Định] #", 1)
        .replacen("authors: []                  #", "authors: [Đức Nguyên] #", 1)
        .replacen("tags: []\n", "tags: [nông thôn mới]\n", 1)
        .replacen("\n---\n", "\nsource: TTVHTTTTDL\n---\n", 1);
    assert_eq!(std::fs::read_to_string(site.root.join(article)).unwrap(), expected);
}

/// A site's own `templates/editor/list.html` replaces the editor's (it may
/// extend the editor's base), read as each page is asked for; the site's
/// build does not take it for one of its pages.
#[test]
fn a_sites_own_editor_template_replaces_the_editors_by_name_and_the_build_ignores_it() {
    let site = TestSite::sample();
    let served = site.serve();
    assert!(!get(&served.url("/_soan/")).body.contains("Trang soạn bài của Huyện ủy Yên Định"));
    site.write(
        "templates/editor/list.html",
        "{% extends \"editor/base.html\" %}{% block main %}<h1>Trang soạn bài của Huyện ủy Yên Định</h1>\
         {% for row in rows %}<p>{{ row.title }}</p>{% endfor %}{% endblock %}",
    );
    let list = get(&served.url("/_soan/")).body;
    assert!(list.contains("<h1>Trang soạn bài của Huyện ủy Yên Định</h1>"), "{list}");
    assert!(list.contains("Ban Thường vụ Huyện ủy tổ chức hội nghị"), "with the rows");
    assert!(list.contains("<title>Soạn bài · bantin</title>"), "the editor's base kept");
    let form = get(&served.url(&action(ARTICLE)));
    assert_eq!(form.status, 200, "the other templates are the editor's");
    assert!(form.body.contains("<h1>Sửa bài</h1>"));
    site.build(&[]);
    assert!(!site.root.join("public/editor").exists());
}

/// A GET with extra request headers; (status, headers and body).
fn get_with(base: &str, path: &str, headers: &str) -> (u16, String) {
    send(base, "GET", path, headers, b"")
}

/// `--editor-on-network` with `--bind 0.0.0.0`: the editor is there, but
/// only for whoever opens the address with the code printed at start (it
/// becomes a cookie); without it every page and POST is refused, nothing
/// written; with it a save works as on loopback.
#[test]
fn on_the_network_the_editor_needs_the_option_and_the_code_printed_in_the_terminal() {
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let mut served = site.serve_with(&["--bind", "0.0.0.0", "--editor-on-network"]);
    let line = served.wait_for_line("/_soan/?ma=", Duration::from_secs(20));
    assert!(line.contains("Trang soạn bài mở cho máy khác"), "{line}");
    let code = line.split("?ma=").nth(1).unwrap().trim().to_string();
    assert_eq!(code.len(), 32, "{line}");
    served.base = served.base.replace("0.0.0.0", "127.0.0.1");
    let (status, page) = get_with(&served.base, "/_soan/", "");
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("chỉ mở cho người có địa chỉ kèm mã"), "{page}");
    assert_eq!(get_with(&served.base, "/_soan/?ma=sai-ma", "").0, 403);
    let (status, answer) = post(
        &served.base,
        &action(ARTICLE),
        Some(&served.base),
        &[("title".into(), "Không được ghi".into())],
    );
    assert_eq!(status, 403, "{answer}");
    assert_eq!(site.snapshot("content"), before);
    // The printed address: a cookie, then the list.
    let (status, answer) = get_with(&served.base, &format!("/_soan/?ma={code}"), "");
    assert_eq!(status, 303, "{answer}");
    let cookie = answer.lines().find_map(|l| l.strip_prefix("set-cookie: ")).expect("a cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let cookie = format!("Cookie: {}\r\n", cookie.split(';').next().unwrap());
    let (status, list) = get_with(&served.base, "/_soan/", &cookie);
    assert_eq!(status, 200);
    assert!(list.contains("Các bài viết"));
    let (_, form) = get_with(&served.base, &action(ARTICLE), &cookie);
    let pairs = with(
        submitted(&form[form.find("\r\n\r\n").unwrap()..]),
        "title",
        "Đảng ủy xã Định Tân họp bàn chuyển đổi số",
    );
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    let address = served.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        action(ARTICLE),
        served.base,
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    let text = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    assert!(text.contains("title: Đảng ủy xã Định Tân họp bàn chuyển đổi số\n"), "{text}");
}

/// "Xóa bài": a POST asks first (nothing moved); confirmed, the file goes
/// to `.bantin-thung-rac/<time>/content/<path>` with its bytes, and serve
/// no longer has its page; a foreign origin moves nothing.
#[test]
fn a_deleted_article_is_asked_about_first_then_moved_to_the_trash_folder() {
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let bytes = std::fs::read(site.root.join(article)).unwrap();
    let before = site.snapshot("content");
    let mut served = site.serve();
    assert_eq!(get(&served.url("/2023/08/btv-huyen-uy-thang-8-2023/")).status, 200);
    let mut form = form_of(&served, article);
    form.push(("xoa".into(), "1".into()));
    let (status, asked) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 200, "{asked}");
    assert!(asked.contains("<h1>Xóa bài?</h1>") && asked.contains("Chuyển vào thùng rác"), "{asked}");
    assert_eq!(site.snapshot("content"), before, "nothing moved before it is confirmed");
    form.push(("xac-nhan".into(), "1".into()));
    let (status, _) = post(&served.base, &action(article), Some("http://tan-cong.example"), &form);
    assert_eq!(status, 403);
    assert_eq!(site.snapshot("content"), before);
    let mark = served.mark();
    let (status, answer) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 303, "{answer}");
    let location = answer.lines().find_map(|l| l.strip_prefix("location: ")).unwrap().trim().to_string();
    assert!(location.starts_with("/_soan/?da-xoa=.bantin-thung-rac%2F"), "{location}");
    assert!(!site.root.join(article).exists());
    let trash: Vec<_> = walkdir::WalkDir::new(site.root.join(".bantin-thung-rac"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert_eq!(trash.len(), 1);
    assert!(trash[0].path().ends_with(article), "{}", trash[0].path().display());
    assert_eq!(std::fs::read(trash[0].path()).unwrap(), bytes);
    let list = unescape(&get(&served.url(&location)).body);
    assert!(list.contains("Đã chuyển bài vào thùng rác: <code>.bantin-thung-rac/"), "{list}");
    served.wait_for_line_after(mark, "đã tạo lại", Duration::from_secs(30));
    let page = served.url("/2023/08/btv-huyen-uy-thang-8-2023/");
    until(&page, Duration::from_secs(20), "serve drops the deleted article's page", |a| a.status == 404);
}

/// The small aids of the form in Chromium: the toolbar wraps the selection
/// in bold and makes a line a heading, the glossary's abbreviations in the
/// body are listed with their meaning, a day picked on the calendar is
/// written `12/10/2023` (the time kept), the summary's length is counted.
#[test]
fn the_toolbar_the_glossary_list_the_calendar_and_the_summary_counter_help_as_a_person_types() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url(&action(ARTICLE)));
    browser.wait_for("return document.querySelector('.cong-cu') !== null", Duration::from_secs(20));
    let none = serde_json::json!([]);
    browser.eval(
        "var b = document.getElementById('body'); b.value = 'Kết luận hội nghị\\nĐồng chí Bí thư nhấn mạnh'; \
         b.selectionStart = 18; b.selectionEnd = 45;",
        none.clone(),
    );
    browser.eval("document.querySelector('.cong-cu [data-truoc=\"**\"]').click()", none.clone());
    browser.eval(
        "var b = document.getElementById('body'); b.selectionStart = b.selectionEnd = 3;",
        none.clone(),
    );
    browser.eval("document.querySelector('.cong-cu [data-dong=\"## \"]').click()", none.clone());
    let body = browser.eval("return document.getElementById('body').value", none.clone());
    assert_eq!(body, "## Kết luận hội nghị\n**Đồng chí Bí thư nhấn mạnh**");
    // The glossary's abbreviations the body uses are listed with their meaning.
    let listed = "return Array.from(document.querySelectorAll('#viet-tat li')).filter(l => !l.hidden).map(l => l.textContent)";
    assert_eq!(browser.eval(listed, none.clone()), serde_json::json!([]));
    browser.eval(
        "var b = document.getElementById('body'); b.value += '\\nHĐND huyện giám sát.'; \
         b.dispatchEvent(new Event('input', {bubbles: true}));",
        none.clone(),
    );
    assert_eq!(browser.eval(listed, none.clone()), serde_json::json!(["HĐND: Hội đồng nhân dân"]));
    browser.eval(
        "var b = document.getElementById('body'); b.value = b.value.replace('\\nHĐND huyện giám sát.', ''); \
         b.dispatchEvent(new Event('input', {bubbles: true}));",
        none.clone(),
    );
    browser.eval("document.getElementById('date').value = '2023-10-12 08:30'", none.clone());
    browser.eval(
        "var p = document.getElementById('chon-ngay'); p.value = '2023-10-13'; \
         p.dispatchEvent(new Event('change', {bubbles: true}));",
        none.clone(),
    );
    assert_eq!(
        browser.eval("return document.getElementById('date').value", none.clone()),
        "13/10/2023 08:30"
    );
    browser.eval(
        "var s = document.getElementById('summary'); s.value = 'Thu ngân sách '.repeat(30); \
         s.dispatchEvent(new Event('input', {bubbles: true}));",
        none.clone(),
    );
    let count = browser.eval("return document.getElementById('summary-count').textContent", none);
    assert_eq!(count, "Hiện có 419 ký tự, dài quá.");
}

/// A saved web page chosen in "Dán bài" in Chromium: imported as `bantin
/// import` imports the same file (same bytes), its form opened; a file
/// `import` does not read is refused (415), nothing written.
#[test]
fn a_saved_web_page_dropped_in_the_list_is_imported_as_bantin_import_does() {
    use crate::webdriver::Browser;
    let seed = seed_text();
    let mut lines = seed.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap();
    let paragraphs: String = lines.map(|l| format!("<p>{l}</p>\n")).collect();
    let page = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><nav>Trang chủ · Tin tức</nav><article><h1>{title}</h1>\n{paragraphs}</article></body></html>\n"
    );
    let site = TestSite::sample();
    site.write("ban-thuong-vu-thang-8.html", &page);
    let before = site.snapshot("content");
    let served = site.serve();
    let token = get(&served.url("/_soan/")).body;
    let token = token.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let form = [("token".to_string(), token)];
    let (status, answer) = post(&served.base, "/_soan-nhap/?ten=so-lieu.xlsx", Some(&served.base), &form);
    assert_eq!(status, 403, "the token goes in a header: {answer}");
    let (status, answer) = post(
        &served.base,
        &format!("/_soan-nhap/?ten=so-lieu.txt&token={}", form[0].1),
        Some(&served.base),
        &[],
    );
    assert_eq!(status, 403, "not in the address either: {answer}");
    assert_eq!(site.snapshot("content"), before);
    let browser = Browser::start(1280, 900);
    browser.open(&served.url("/_soan/"));
    browser.wait_for("return document.getElementById('tep-nhap') !== null", Duration::from_secs(20));
    browser.eval("document.querySelectorAll('details').forEach(d => d.open = true)", serde_json::json!([]));
    browser.type_into("#tep-nhap", site.root.join("ban-thuong-vu-thang-8.html").to_str().unwrap());
    browser.wait_for("return document.getElementById('bang-so-lieu') !== null", Duration::from_secs(20));
    let path = browser.eval("return location.pathname", serde_json::json!([]));
    let article = format!("content/{}", path.as_str().unwrap().strip_prefix("/_soan/").unwrap());
    let other = TestSite::sample();
    other.write("ban-thuong-vu-thang-8.html", &page);
    let run = other.run(&["import", other.root.join("ban-thuong-vu-thang-8.html").to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let by_command = std::fs::read_to_string(other.root.join(&article)).unwrap();
    assert_eq!(std::fs::read_to_string(site.root.join(&article)).unwrap(), by_command);
    assert!(by_command.contains("value: 351.05"), "its figures: {by_command}");
    let value = browser.eval("return document.querySelector('[name=f1-value]').value", serde_json::json!([]));
    assert_eq!(value, "351,05");
    let refused = browser.eval_async(
        "var done = arguments[0]; var t = document.querySelector('[name=token]').value; \
         fetch('/_soan-nhap/?ten=so-lieu.xlsx', {method: 'POST', body: 'PK', headers: {'X-Bantin-Token': t}}).then(a => done(a.status));",
        serde_json::json!([]),
    );
    assert_eq!(refused, 415);
}

/// A figure changed through the form over real HTTP: the comments a person
/// wrote inside `indicators:` stay where they were (beside the key they
/// end, on the lines below it), the other readings keep their text.
#[test]
fn a_changed_figure_keeps_the_comments_written_inside_the_indicators_block() {
    let site = TestSite::sample();
    let article = "content/2023/08/btv-huyen-uy-thang-8-2023.md";
    let text = std::fs::read_to_string(site.root.join(article)).unwrap();
    let commented = text
        .replace("indicators:\n", "indicators:      # số liệu báo cáo tại hội nghị\n")
        .replace(
            "    value: 351.05\n",
            "    value: 351.05    # tỷ đồng, giá so sánh 2010\n    # kiểm tra lại với Chi cục Thống kê\n",
        )
        .replace("    value: 334.05\n", "    value: 334.05    # tỷ đồng\n");
    assert_ne!(commented, text);
    site.write(article, &commented);
    let served = site.serve();
    let form = with(form_of(&served, article), "f1-value", "335,5");
    let (status, answer) = post(&served.base, &action(article), Some(&served.base), &form);
    assert_eq!(status, 303, "{answer}");
    let expected = commented.replace("    value: 334.05    # tỷ đồng\n", "    value: 335.5 # tỷ đồng\n");
    assert_eq!(std::fs::read_to_string(site.root.join(article)).unwrap(), expected);
}

/// "Dán bài" on an article's form, in Chromium: the seed text fills the
/// form as `import` reads it (its figures typed the Vietnamese way), each
/// note beside its field with no box to tick, nothing written; "Lưu" then
/// writes the filled form into the article, without the notes, and with
/// the article's own tags and meeting place, of which the text says nothing.
#[test]
fn a_text_pasted_into_an_articles_form_fills_it_with_its_notes_and_writes_nothing_until_saved() {
    use crate::webdriver::Browser;
    let site = TestSite::sample();
    let before = site.snapshot("content");
    let served = site.serve();
    let browser = Browser::start(1280, 900);
    let none = serde_json::json!([]);
    paste_seed(&browser, &served.url(&action(ARTICLE)));
    browser.wait_for("return document.querySelector('.ghi-chu') !== null", Duration::from_secs(20));
    assert_eq!(browser.eval("return location.pathname", none.clone()), action(ARTICLE).as_str());
    let cell = |name: &str| seed_cell(&browser, name);
    assert_eq!(cell("f1-id"), "gia-tri-san-xuat-cong-nghiep");
    assert_eq!(cell("f1-value"), "351,05");
    assert_eq!(cell("f3-plan"), "56,25");
    let shown = browser.eval("return document.querySelector('main').textContent", none.clone());
    assert!(shown.as_str().unwrap().contains("Đã điền các ô theo nội dung vừa dán (ô nào"), "{shown}");
    assert_eq!(browser.eval("return document.querySelectorAll('.ghi-chu').length", none.clone()), 6);
    assert_eq!(browser.eval("return document.querySelectorAll('[name=checked]').length", none.clone()), 0);
    assert_eq!(site.snapshot("content"), before, "nothing written by the paste");
    browser.eval(
        "Array.from(document.querySelectorAll('button')).find(b => b.textContent === 'Lưu').click()",
        none.clone(),
    );
    browser.wait_for("return location.search.includes('da-luu')", Duration::from_secs(20));
    let saved = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    assert!(
        saved.contains("    value: 351.05\n") && saved.contains("gia-tri-san-xuat-cong-nghiep"),
        "{saved}"
    );
    assert!(!saved.contains("# kiểm tra"), "{saved}");
    // What the pasted text has no word of is kept as the article had it.
    assert!(saved.contains("tags: [chuyển đổi số, nông nghiệp]\n"), "{saved}");
    assert!(saved.contains("  location: Hội trường UBND xã Định Tân\n"), "{saved}");
}
