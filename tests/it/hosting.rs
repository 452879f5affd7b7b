//! The nginx configuration of docs/HOSTING.md, run with a real nginx
//! (Debian's `nginx`, a child process on a free port with its files in a
//! temp dir): the sample site built with a sub-folder base URL and served in
//! that sub-folder, checked over HTTP and in headless Chromium, and the
//! block for a domain's root. The blocks are read from the doc, so the doc
//! cannot drift from what is tested. Fails (never skips) when nginx is
//! missing: `tests/run` installs it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::SETUP;
use crate::webdriver::{free_port, Browser};

const FOLDER: &str = "/yen-dinh";
const ARTICLE: &str = "/2023/08/btv-huyen-uy-thang-8-2023/";
const ARTICLE_TITLE: &str =
    "Ban Thường vụ Huyện ủy tổ chức hội nghị đánh giá kết quả thực hiện nhiệm vụ tháng 8";
const WAIT: Duration = Duration::from_secs(20);

/// An nginx serving `www` with one `server` block of docs/HOSTING.md.
pub(crate) struct Nginx {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx with the block whose first line is `# bantin: {case}`,
    /// its `listen` and `root` pointed at a free port and `www`.
    pub(crate) fn start(case: &str, www: &Path) -> Nginx {
        let block = doc_block(case);
        let port = free_port();
        let server = replaced(&block, "listen 80;", &format!("listen 127.0.0.1:{port};"));
        let server = replaced(&server, "root /var/www/example.gov.vn;", &format!("root {};", www.display()));
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        // What Debian's nginx.conf gives the blocks (mime.types), and every
        // file nginx writes kept in the temp dir.
        let conf = format!(
            "pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n\
             include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\naccess_log off;\n\
             client_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\nfastcgi_temp_path {d}/fastcgi;\n\
             uwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n{server}\n}}\n"
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let program = if Path::new("/usr/sbin/nginx").is_file() { "/usr/sbin/nginx" } else { "nginx" };
        let mut child = Command::new(program)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf_path)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("nginx (Debian's nginx) does not start ({e}): {SETUP}"));
        let deadline = Instant::now() + WAIT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
                panic!("nginx stopped ({status}) with the config of docs/HOSTING.md:\n{log}");
            }
            assert!(Instant::now() < deadline, "nginx did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx { child, base: format!("http://127.0.0.1:{port}"), _dir: dir }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Status, `Content-Type`, `Cache-Control` and body of `path`.
    fn get(&self, path: &str) -> Answer {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut response = agent.get(&self.url(path)).call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
        };
        let (kind, cache) = (header("content-type"), header("cache-control"));
        Answer {
            status: response.status().as_u16(),
            kind,
            cache,
            body: String::from_utf8_lossy(&response.body_mut().read_to_vec().unwrap()).into_owned(),
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    kind: String,
    cache: String,
    body: String,
}

/// The ```nginx block of docs/HOSTING.md whose first line is `# bantin: {case}`.
fn doc_block(case: &str) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/HOSTING.md")).unwrap();
    let first = format!("# bantin: {case}\n");
    let blocks: Vec<&str> = doc
        .split("```nginx\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.starts_with(&first))
        .collect();
    assert_eq!(blocks.len(), 1, "docs/HOSTING.md has one nginx block starting `{first}`");
    blocks[0].to_string()
}

/// `text` with its only `from` replaced: the doc still has the line the test changes.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "the block of docs/HOSTING.md has `{from}` once:\n{text}");
    text.replace(from, to)
}

/// The sample site built with `base_url` into `folder` of a new web root,
/// readable by nginx's workers (which drop root's rights).
pub(crate) fn built_into(base_url: &str, folder: &str) -> (tempfile::TempDir, PathBuf) {
    let www = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(www.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // A web root inside the temporary folder, so that the build's list of
    // written files, kept beside its output, is removed with it.
    let root = www.path().join("www");
    let output = root.join(folder.trim_start_matches('/'));
    let status = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--base-url", base_url, "--output"])
        .arg(&output)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the sample site builds with --base-url {base_url}");
    (www, root)
}

/// Every root-relative `href`/`src`/`action` value of a page.
fn site_links(html: &str) -> Vec<String> {
    ["href=\"/", "src=\"/", "action=\"/"]
        .iter()
        .flat_map(|start| {
            html.split(start).skip(1).map(|rest| format!("/{}", rest.split('"').next().unwrap()))
        })
        .collect()
}

#[test]
fn the_sub_folder_config_of_the_hosting_doc_serves_the_site_in_its_folder_with_404_types_and_caching() {
    let (_www, root) = built_into("https://example.gov.vn/yen-dinh/", FOLDER);
    let nginx = Nginx::start("in a sub-folder", &root);

    let home = nginx.get(&format!("{FOLDER}/"));
    assert_eq!((home.status, home.kind.as_str()), (200, "text/html; charset=utf-8"), "{home:?}");
    assert_eq!(home.cache, "public, max-age=300");
    let links = site_links(&home.body);
    assert!(links.len() > 20, "{links:?}");
    let outside: Vec<&String> = links.iter().filter(|l| !l.starts_with("/yen-dinh/")).collect();
    assert!(outside.is_empty(), "links of the home page outside the folder: {outside:?}");
    let (style, logo) = crate::harness::theme_links(&home.body);
    let hashed =
        style.strip_prefix("/yen-dinh/style.").and_then(|s| s.strip_suffix(".css")).unwrap_or_default();
    assert!(hashed.len() == 8 && hashed.bytes().all(|b| b.is_ascii_hexdigit()), "{style}");
    assert!(logo.starts_with("/yen-dinh/logo.") && logo.ends_with(".svg"), "{logo}");

    // Fingerprinted names are kept a year; the plain name a day.
    let css = nginx.get(&style);
    assert_eq!((css.status, css.kind.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(css.cache, "public, max-age=31536000, immutable");
    assert_eq!(
        css.body,
        std::fs::read_to_string(root.join(FOLDER.trim_start_matches('/')).join("style.css")).unwrap()
    );
    let emblem = nginx.get(&logo);
    assert_eq!((emblem.status, emblem.cache.as_str()), (200, "public, max-age=31536000, immutable"));
    let plain = nginx.get(&format!("{FOLDER}/style.css"));
    assert_eq!((plain.status, plain.cache.as_str()), (200, "public, max-age=86400"));

    let article = nginx.get(&format!("{FOLDER}{ARTICLE}"));
    assert_eq!(article.status, 200);
    assert!(article.body.contains(ARTICLE_TITLE));
    assert!(article.body.contains("<link rel=\"canonical\" href=\"https://example.gov.vn/yen-dinh/2023/08/btv-huyen-uy-thang-8-2023/\">"));
    let image = nginx.get(&format!("{FOLDER}/2023/08/btv-huyen-uy-thang-8-2023/dai-bieu.jpg"));
    assert_eq!(
        (image.status, image.kind.as_str(), image.cache.as_str()),
        (200, "image/jpeg", "public, max-age=2592000")
    );

    let missing = nginx.get(&format!("{FOLDER}/2023/08/khong-co-bai-nay/"));
    assert_eq!((missing.status, missing.kind.as_str()), (404, "text/html; charset=utf-8"));
    assert!(missing.body.contains("<a href=\"/yen-dinh/\">Về trang chủ</a>"), "{}", missing.body);
    assert_eq!(crate::harness::theme_links(&missing.body).0, style);

    for (path, kind) in [
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/chi-tieu/doanh-nghiep-thanh-lap-moi.csv", "text/csv; charset=utf-8"),
        ("/chi-tieu/doanh-nghiep-thanh-lap-moi.json", "application/json; charset=utf-8"),
        ("/tim-kiem/chi-muc/meta.json", "application/json; charset=utf-8"),
        ("/tim-kiem/tim-kiem.js", "application/javascript; charset=utf-8"),
    ] {
        let answer = nginx.get(&format!("{FOLDER}{path}"));
        assert_eq!((answer.status, answer.kind.as_str()), (200, kind), "{path}");
    }
    let feed = nginx.get(&format!("{FOLDER}/feed.xml"));
    assert!(feed
        .body
        .contains("href=\"https://example.gov.vn/yen-dinh/2023/08/btv-huyen-uy-thang-8-2023/\""));
    // Nothing of the site is at the domain's root.
    assert_eq!(nginx.get("/style.css").status, 404);
}

#[test]
fn in_chromium_the_site_in_a_sub_folder_has_its_styles_links_that_work_and_search_that_finds() {
    let (_www, root) = built_into("https://example.gov.vn/yen-dinh/", FOLDER);
    let nginx = Nginx::start("in a sub-folder", &root);
    let browser = Browser::start(1024, 768);

    // Styles: the skip link is moved off screen by style.css (the browser's
    // own style leaves it `static`).
    browser.open(&nginx.url(&format!("{FOLDER}/")));
    let position =
        browser.eval("return getComputedStyle(document.querySelector('.bo-qua')).position", json!([]));
    assert_eq!(position, json!("absolute"));

    // A link followed: the first article of the home page, styled, in the folder.
    let clicked = browser.eval(
        "var a = document.querySelector('main .the-bai a'); var seen = [a.getAttribute('href'), a.textContent]; a.click(); return seen;",
        json!([]),
    );
    let (href, title) = (clicked[0].as_str().unwrap(), clicked[1].as_str().unwrap());
    assert!(href.starts_with("/yen-dinh/20"), "{href}");
    let arrived = format!(
        "return location.pathname === '{href}' && document.readyState === 'complete' && document.querySelector('h1').textContent"
    );
    let heading = browser.wait_for(&arrived, WAIT);
    assert_eq!(heading.as_str().unwrap().trim(), title.trim());
    let position =
        browser.eval("return getComputedStyle(document.querySelector('.bo-qua')).position", json!([]));
    assert_eq!(position, json!("absolute"));

    // Search: the index is fetched from the folder and results link into it.
    browser.open(&nginx.url(&format!("{FOLDER}/tim-kiem/")));
    browser.type_into("#q", "danh gia ket qua thang 8 huyen uy");
    browser.wait_for(
        "var s = document.getElementById('trang-thai').textContent; return /Tìm thấy|Hiện/.test(s) && s;",
        WAIT,
    );
    let links = browser.eval(
        "return Array.from(document.querySelectorAll('#ket-qua a')).map(a => a.getAttribute('href'));",
        json!([]),
    );
    let links: Vec<&str> = links.as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(links.contains(&format!("{FOLDER}{ARTICLE}").as_str()), "{links:?}");
    assert!(links.iter().all(|l| l.starts_with("/yen-dinh/20")), "{links:?}");
}

#[test]
fn the_root_config_of_the_hosting_doc_serves_the_site_with_its_404_page() {
    let (_www, root) = built_into("https://example.gov.vn/", "");
    let nginx = Nginx::start("at the domain's root", &root);
    let home = nginx.get("/");
    assert_eq!(
        (home.status, home.kind.as_str(), home.cache.as_str()),
        (200, "text/html; charset=utf-8", "public, max-age=300")
    );
    let (style, _) = crate::harness::theme_links(&home.body);
    let article = nginx.get(ARTICLE);
    assert!(article.status == 200 && article.body.contains(ARTICLE_TITLE));
    let missing = nginx.get("/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<a href=\"/\">Về trang chủ</a>"), "{}", missing.body);
    let css = nginx.get(&style);
    assert_eq!(
        (css.kind.as_str(), css.cache.as_str()),
        ("text/css; charset=utf-8", "public, max-age=31536000, immutable")
    );
    let plain = nginx.get("/style.css");
    assert_eq!(
        (plain.kind.as_str(), plain.cache.as_str()),
        ("text/css; charset=utf-8", "public, max-age=86400")
    );
}

#[test]
fn an_authors_site_paths_go_into_the_folder_check_finds_them_and_serve_previews_at_its_root() {
    let site = crate::harness::TestSite::from_fixture("valid/basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", replaced(&yaml, "https://thu.example.vn/", "https://thu.example.vn/yen-dinh/"));
    let article = "content/2023/08/hoi-nghi-btv-thang-8.md";
    let text = std::fs::read_to_string(site.root.join(article)).unwrap();
    // NFD link text, a Markdown link and a raw HTML one, both written as site paths.
    let links = "\nXem [ky\u{300} ho\u{323}p tháng 7](/2023/07/hoi-nghi-btv-thang-7/) và <a href=\"/2023/07/\">lưu trữ tháng 7</a>.\n";
    site.write(article, format!("{text}{links}"));

    site.build(&[]);
    let page = site.page("/2023/08/hoi-nghi-btv-thang-8/");
    assert!(page.contains("href=\"/yen-dinh/2023/07/hoi-nghi-btv-thang-7/\">kỳ họp tháng 7</a>"), "{page}");
    assert!(page.contains("<a href=\"/yen-dinh/2023/07/\">lưu trữ tháng 7</a>"), "{page}");
    assert!(page.contains("src=\"dai-bieu.png\""), "a file beside the article stays relative");
    let (style, _) = crate::harness::theme_links(&page);
    assert!(style.starts_with("/yen-dinh/style.") && style.ends_with(".css"), "{style}");

    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("yen-dinh"), "no link in the folder is reported:\n{}", check.stderr);

    let server = site.serve();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent.get(&server.url("/2023/08/hoi-nghi-btv-thang-8/")).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let served = response.body_mut().read_to_string().unwrap();
    assert!(served.contains("href=\"/2023/07/hoi-nghi-btv-thang-7/\">kỳ họp tháng 7</a>"), "{served}");
    // The same hashed name as the build, at the preview's root.
    assert_eq!(crate::harness::theme_links(&served).0, style.replacen("/yen-dinh", "", 1));
    assert!(!served.contains("href=\"/yen-dinh/"), "{served}");
}

#[test]
fn nginx_sends_the_gzip_copy_the_build_wrote_beside_a_page_to_browsers_that_accept_it() {
    let (_www, root) = built_into("https://example.gov.vn/yen-dinh/", FOLDER);
    let page = root.join(format!("{}{ARTICLE}index.html", FOLDER.trim_start_matches('/')));
    let gz = std::fs::read(page.with_extension("html.gz")).expect("a .gz copy beside the page");
    assert!(page.with_extension("html.br").is_file(), "a .br copy beside the page");
    let nginx = Nginx::start("in a sub-folder", &root);

    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut response = agent
        .get(&nginx.url(&format!("{FOLDER}{ARTICLE}")))
        .header("Accept-Encoding", "gzip")
        .call()
        .unwrap();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(header("cache-control").as_deref(), Some("public, max-age=300"));
    // The very bytes of the copy: gzip_static, not compression on the fly.
    assert_eq!(header("content-length"), Some(gz.len().to_string()));
    let body = response.body_mut().read_to_vec().unwrap();
    assert!(body == gz, "nginx sent other bytes than the .gz copy");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text).unwrap();
    assert_eq!(text, std::fs::read_to_string(&page).unwrap());
    assert!(text.contains(ARTICLE_TITLE));
}
