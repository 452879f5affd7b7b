//! Live reload in a real browser (headless Chromium through WebDriver, see
//! `webdriver.rs`): a page open on `bantin serve` follows edits of its file,
//! shows the errors of a broken edit over the page, and drops them when the
//! file is fixed, with no navigation by the test. Fails (never skips) when
//! Chromium is missing: `tests/run` installs it.

use std::time::Duration;

use serde_json::json;

use crate::harness::TestSite;
use crate::webdriver::Browser;

const ARTICLE: &str = "content/2023/08/hoi-nghi-btv-thang-8.md";
const ARTICLE_URL: &str = "/2023/08/hoi-nghi-btv-thang-8/";
const WAIT: Duration = Duration::from_secs(20);
const CONNECTED: &str = "return document.documentElement.getAttribute('data-bantin-live') === 'connected'";

#[test]
fn an_open_page_follows_edits_shows_errors_over_the_page_and_drops_them_when_fixed() {
    let site = TestSite::from_fixture("valid/basic");
    let server = site.serve();
    let browser = Browser::start(1024, 768);
    browser.open(&server.url(ARTICLE_URL));
    browser.wait_for(CONNECTED, WAIT);
    let good = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();

    // An edit: the page reloads itself and shows the new title.
    site.write(ARTICLE, good.replace("Kinh tế & ngân sách", "Tiêu đề mới trong trình duyệt"));
    let title = "var h = document.querySelector('h1'); return h && h.textContent";
    let shown = browser.wait_for(&format!("{title}.includes('Tiêu đề mới trong trình duyệt')"), WAIT);
    assert_eq!(shown, json!(true));
    browser.wait_for(CONNECTED, WAIT);

    // A broken edit: the last good page stays, the errors show over it.
    site.write(ARTICLE, good.replacen("organ:", "orgen:", 1));
    let overlay = "var o = document.getElementById('bantin-overlay'); return o && o.textContent";
    let text = browser.wait_for(overlay, WAIT);
    let text = text.as_str().unwrap();
    assert!(
        text.contains("content/2023/08/hoi-nghi-btv-thang-8.md:4:1: lỗi: không có mục nào tên là `orgen`"),
        "{text}"
    );
    assert!(text.contains("có phải ý bạn là mục `organ` (cơ quan)?"), "{text}");
    let heading = browser.eval("return document.querySelector('#bantin-overlay p').textContent", json!([]));
    assert_eq!(heading, json!("bantin: lần sửa vừa rồi có lỗi; trang đang hiển thị bản tốt gần nhất."));
    let hide = browser.eval(
        "return document.querySelector('#bantin-overlay button').getAttribute('aria-label')",
        json!([]),
    );
    assert_eq!(hide, json!("Ẩn thông báo lỗi"));
    let still = browser.eval(title, json!([]));
    assert!(still.as_str().unwrap().contains("Tiêu đề mới trong trình duyệt"), "the last good page: {still}");

    // The fix: the overlay goes and the page shows the fixed text.
    site.write(ARTICLE, good.replace("Kinh tế & ngân sách", "Đã sửa xong"));
    let fixed = "return !document.getElementById('bantin-overlay') && document.querySelector('h1').textContent.includes('Đã sửa xong')";
    browser.wait_for(fixed, WAIT);
    browser.wait_for(CONNECTED, WAIT);

    // A stylesheet change is swapped in place: no reload (the marker stays).
    browser.eval("window.bantinMarker = 'same page'; return true", json!([]));
    let css = std::fs::read_to_string(site.root.join("static/style.css")).unwrap();
    site.write("static/style.css", format!("{css}\nbody {{ outline: 3px solid rgb(1, 2, 3); }}\n"));
    browser.wait_for("return getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", WAIT);
    assert_eq!(browser.eval("return window.bantinMarker", json!([])), json!("same page"));
}
