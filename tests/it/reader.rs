//! What readers see, in a real headless Chromium: search without diacritics,
//! pages at phone and desktop widths (screenshots under target/screenshots),
//! no horizontal scrolling, a chart that is drawn, and axe-core's checks.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::validate::sample_site;
use crate::webdriver::{free_port, Browser};

/// The built sample site served by a plain static file server.
pub(crate) struct Served {
    /// The folder the output is in, when it is the server's to remove.
    _dir: Option<tempfile::TempDir>,
    pub(crate) output: PathBuf,
    server: Child,
    base: String,
}

impl Served {
    pub(crate) fn sample() -> Served {
        let (dir, output) = sample_site();
        Served::of(Some(dir), output)
    }

    /// A built site's `output` served (from `dir`, removed with the server, if given).
    pub(crate) fn of(dir: Option<tempfile::TempDir>, output: PathBuf) -> Served {
        let port = free_port();
        let server = Command::new("python3")
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
            .arg(&output)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 serves the built site");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "static server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Served { _dir: dir, output, server, base: format!("http://127.0.0.1:{port}") }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Article links in the `<main>` of a built page.
    fn articles_on(&self, path: &str) -> Vec<String> {
        let html = std::fs::read_to_string(self.output.join(path.trim_start_matches('/')).join("index.html"))
            .unwrap();
        let main = crate::harness::main_of(&html);
        let mut links: Vec<String> = main
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.starts_with("/20") && href.matches('/').count() == 4)
            .map(str::to_string)
            .collect();
        links.dedup();
        links
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The result links of a search, once the status line says it is done.
fn search(browser: &Browser, served: &Served, query: &str, filters: &str) -> Vec<String> {
    browser.open(&served.url(&format!("/tim-kiem/{filters}")));
    browser.type_into("#q", query);
    browser.wait_for(
        "var s = document.getElementById('trang-thai').textContent; return /Tìm thấy|Hiện|Không tìm thấy/.test(s) && s;",
        Duration::from_secs(10),
    );
    // Every result, not only the first screenful: "Xem thêm" until it is gone.
    browser.wait_for(
        "var more = document.getElementById('xem-them'); if (more.hidden) return true; more.click(); return false;",
        Duration::from_secs(10),
    );
    let links = browser.eval(
        "return Array.from(document.querySelectorAll('#ket-qua a')).map(a => a.getAttribute('href'));",
        json!([]),
    );
    links.as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
}

/// URLs of the sample articles whose text contains `phrase` (NFC, any case).
fn articles_containing(phrase: &str) -> Vec<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut urls = Vec::new();
    for entry in walkdir::WalkDir::new(content) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap().to_lowercase();
        if text.contains("draft: true") || text.contains("published: 2099") || !text.contains(phrase) {
            continue;
        }
        let date = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap().trim().to_string();
        let (year, month) = match date.split_once('/') {
            Some((_, rest)) => {
                let parts: Vec<&str> = rest.split(['/', ' ']).collect();
                (parts[1].to_string(), format!("{:02}", parts[0].parse::<u32>().unwrap()))
            }
            None => (date[..4].to_string(), date[5..7].to_string()),
        };
        let stem = entry.path().file_stem().unwrap().to_string_lossy().into_owned();
        urls.push(format!("/{year}/{month}/{stem}/"));
    }
    urls.sort();
    urls
}

#[test]
fn searching_without_diacritics_finds_the_articles_that_have_them() {
    let served = Served::sample();
    let browser = Browser::start(1280, 900);
    let expected = articles_containing("thu ngân sách");
    assert!(expected.len() >= 3, "the sample site talks about budget revenue: {expected:?}");
    let mut plain = search(&browser, &served, "thu ngan sach", "");
    for url in &expected {
        assert!(plain.contains(url), "{url} missing from {plain:?}");
    }
    let mut exact = search(&browser, &served, "Thu Ngân Sách", "");
    plain.sort();
    exact.sort();
    assert_eq!(plain, exact, "with or without diacritics, the same articles");
}

#[test]
fn an_organ_name_without_diacritics_finds_its_meetings_and_filters_narrow_them() {
    let served = Served::sample();
    let browser = Browser::start(1280, 900);
    let found = search(&browser, &served, "uy ban mat tran to quoc", "");
    let meetings = served.articles_on("/co-quan/ubmttq-huyen/");
    assert!(!meetings.is_empty());
    for url in &meetings {
        assert!(found.contains(url), "{url} missing from {found:?}");
    }
    let filtered = search(&browser, &served, "hoi nghi", "?co-quan=ubmttq-huyen&nam=2023");
    assert!(!filtered.is_empty(), "the organ met in 2023");
    assert!(filtered.iter().all(|url| url.starts_with("/2023/") && meetings.contains(url)), "{filtered:?}");
}

/// A screenshot saved under target/screenshots, returned decoded.
pub(crate) fn shoot(browser: &Browser, name: &str) -> image::RgbaImage {
    let png = browser.screenshot();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), &png).unwrap();
    image::load_from_memory(&png).unwrap().to_rgba8()
}

const PAGES: [(&str, &str); 7] = [
    ("trang-chu", "/"),
    ("bai-viet", "/2023/08/btv-huyen-uy-thang-8-2023/"),
    ("co-quan", "/co-quan/btv-huyen-uy/"),
    ("chi-tieu", "/chi-tieu/thu-ngan-sach/"),
    ("chi-tieu-xa", "/chi-tieu/thu-ngan-sach/xa-dinh-tan/"),
    ("co-quan-xa", "/co-quan/dang-uy-xa-dinh-tan/"),
    ("bai-viet-so-lieu-xa", "/2023/06/ubnd-huyen-phien-hop-thang-6-2023/"),
];

#[test]
fn pages_fit_a_phone_and_a_desktop_without_horizontal_scrolling() {
    let served = Served::sample();
    for width in [360, 1280] {
        let browser = Browser::start(width, 900);
        for (name, path) in PAGES {
            browser.open(&served.url(path));
            shoot(&browser, &format!("{name}-{width}"));
            let overflow = browser.eval(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                json!([]),
            );
            assert!(overflow.as_i64().unwrap() <= 0, "{path} scrolls sideways at {width}px by {overflow}px");
        }
    }
}

#[test]
fn the_indicator_chart_is_drawn() {
    let served = Served::sample();
    let browser = Browser::start(1280, 900);
    browser.open(&served.url("/chi-tieu/thu-ngan-sach/"));
    let rect = browser.eval(
        "var r = document.querySelector('.bieu-do svg').getBoundingClientRect(); window.scrollTo(0, r.top + window.scrollY - 10); r = document.querySelector('.bieu-do svg').getBoundingClientRect(); return [r.left, r.top, r.width, r.height, window.devicePixelRatio];",
        json!([]),
    );
    let r: Vec<f64> = rect.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    let shot = shoot(&browser, "chi-tieu-bieu-do");
    let (x0, y0) = ((r[0] * r[4]) as u32, (r[1] * r[4]) as u32);
    let (w, h) = ((r[2] * r[4]) as u32, ((r[3] * r[4]) as u32).min(shot.height() - y0));
    assert!(w > 300 && h > 150, "the chart has a size: {r:?}");
    let luma: Vec<f64> = (y0..y0 + h)
        .flat_map(|y| (x0..x0 + w).map(move |x| (x, y)))
        .map(|(x, y)| {
            let p = shot.get_pixel(x, y);
            0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64
        })
        .collect();
    let mean = luma.iter().sum::<f64>() / luma.len() as f64;
    let variance = luma.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / luma.len() as f64;
    let inked = luma.iter().filter(|l| (**l - mean).abs() > 60.0).count();
    assert!(
        variance > 100.0 && inked > 2000,
        "the chart's box is not blank (variance {variance}, {inked} inked pixels)"
    );
}

#[test]
fn axe_finds_no_serious_or_critical_violations() {
    let served = Served::sample();
    let browser = Browser::start(1280, 900);
    let mut pages: Vec<&str> = PAGES.iter().map(|(_, p)| *p).collect();
    pages.extend(["/2023/08/", "/luu-tru/", "/co-quan/", "/the/", "/chi-tieu/", "/tim-kiem/", "/2023/"]);
    for path in pages {
        browser.open(&served.url(path));
        let violations = browser.serious_violations();
        assert!(violations.is_empty(), "{path}: {violations:#?}");
    }
}
