//! One list of what a site publishes (`manifest`), shared by `build`,
//! `serve` and `check`: every file a build writes is served with the same
//! bytes and is a link `check` accepts; what is not published (a symlink in
//! static/, a path that climbs out) is in none of them.

use std::io::Read;
use std::time::{Duration, Instant};

use crate::harness::TestSite;
use crate::serve::{agent, built_with_photo};

/// What the preview adds to every page, and only that.
const LIVE_SCRIPT: &str = "<script src=\"/__bantin/live.js\"></script>";

/// The basic site with what a build publishes of every kind: a photo beside
/// an article (and its resized copies), files in static/ (one in a
/// folder, one a folder's index page), a symlink in static/ that is not
/// published, the theme's files and fingerprinted names, the search index,
/// compressed copies.
fn site_of_every_kind() -> TestSite {
    let site = built_with_photo();
    site.write("static/tai-lieu/huong-dan.txt", "Hướng dẫn tra cứu: “nghị quyết” số 12/NQ-HĐND.\n");
    site.write(
        "static/gioi-thieu/index.html",
        "<!doctype html><title>Giới thiệu</title><p>Huyện ủy Yên Định</p>",
    );
    site.write("bi-mat.txt", "MAT-KHAU-42");
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root.join("bi-mat.txt"), site.root.join("static/lien-ket.txt")).unwrap();
    site
}

/// Every file under a folder, by site path (`/a/index.html`).
fn files_under(folder: &std::path::Path) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| format!("/{}", e.path().strip_prefix(folder).unwrap().to_string_lossy()))
        .collect();
    paths.sort();
    paths
}

/// Status and body of a GET, redirects not followed.
fn fetch(url: &str) -> (u16, Vec<u8>) {
    let mut response = agent().get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    (status, response.body_mut().with_config().limit(u64::MAX).read_to_vec().unwrap())
}

/// The bytes a compressed copy holds.
fn decompressed(path: &str, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    } else {
        brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out).unwrap();
    }
    out
}

#[test]
fn every_file_a_build_writes_is_served_with_the_same_bytes_and_nothing_else_of_static_is() {
    let site = site_of_every_kind();
    let build = site.build(&[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let public = site.root.join("public");
    let written = files_under(&public);
    for kind in ["/hoi-truong-480w.jpg", "/hoi-truong-960w.jpg", ".html.gz", ".html.br", "/tim-kiem/chi-muc/"]
    {
        assert!(written.iter().any(|p| p.contains(kind)), "the build writes no {kind}:\n{written:#?}");
    }
    assert!(!written.iter().any(|p| p.contains("hoi-truong-1440w")), "no copy wider than the photo");
    assert!(!written.contains(&"/lien-ket.txt".to_string()), "a symlink in static/ is not published");

    let server = site.serve();
    // The search index is made on a thread of its own, after the first build.
    let search =
        written.iter().find(|p| p.starts_with("/tim-kiem/chi-muc/") && p.ends_with(".json")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while fetch(&server.url(search)).0 != 200 {
        assert!(Instant::now() < deadline, "the search index was never served");
        std::thread::sleep(Duration::from_millis(100));
    }
    let served_page = |path: &str| -> Vec<u8> {
        let (status, body) = fetch(&server.url(path));
        assert_eq!(status, 200, "{path} is written by build but serve answers {status}");
        body
    };
    for path in &written {
        let built = std::fs::read(public.join(&path[1..])).unwrap();
        let plain = path.strip_suffix(".gz").or_else(|| path.strip_suffix(".br"));
        let served = served_page(path);
        match plain {
            // A page's copy is made from the page as served, with its live reload script.
            Some(plain) if plain.ends_with(".html") => {
                assert_eq!(decompressed(path, &served), served_page(plain), "{path}");
                assert_eq!(decompressed(path, &built), std::fs::read(public.join(&plain[1..])).unwrap());
            }
            // A page of static/ is served as it is.
            _ if path.ends_with(".html") && !path.starts_with("/gioi-thieu/") => {
                let served = String::from_utf8(served).unwrap();
                assert_eq!(served.matches(LIVE_SCRIPT).count(), 1, "{path}");
                assert_eq!(served.replace(LIVE_SCRIPT, "").as_bytes(), built, "{path}");
            }
            _ => assert!(
                served == built,
                "{path}: serve's {} bytes differ from build's {}",
                served.len(),
                built.len()
            ),
        }
    }
    for path in [
        "/lien-ket.txt",
        "/../bi-mat.txt",
        "/hoi-truong-1440w.jpg",
        "/2023/08/hoi-nghi-btv-thang-8/hoi-truong-1440w.jpg",
    ] {
        let (status, body) = fetch(&server.url(path));
        assert!(matches!(status, 400 | 403 | 404), "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("MAT-KHAU-42"), "{path} leaked");
    }
}

#[test]
fn check_accepts_a_link_to_every_file_a_build_writes_and_refuses_the_symlink_and_the_climb() {
    let site = site_of_every_kind();
    // The links are in the site from the first build, so the paths listed are the ones checked.
    let links = |paths: &[String]| -> String { paths.iter().map(|p| format!("- [tệp]({p})\n")).collect() };
    let text = std::fs::read_to_string(site.root.join("content/2023/08/ky-hop-hdnd.md")).unwrap();
    site.write("content/2023/08/ky-hop-hdnd.md", format!("{text}\n{}", links(&["/".to_string()])));
    let build = site.build(&[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let written: Vec<String> = files_under(&site.root.join("public"))
        .into_iter()
        .filter(|p| !p.ends_with(".gz") && !p.ends_with(".br"))
        .collect();
    site.write("content/2023/08/ky-hop-hdnd.md", format!("{text}\n{}", links(&written)));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "check refuses a file the build writes:\n{}", check.stderr);
    assert!(!check.stderr.contains("lỗi:"), "{}", check.stderr);

    let refused = ["/lien-ket.txt", "/../bi-mat.txt"].map(String::from);
    site.write("content/2023/08/ky-hop-hdnd.md", format!("{text}\n{}", links(&refused)));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    for path in refused {
        assert!(
            check.stderr.lines().any(|l| l.contains("lỗi:") && l.contains(&path)),
            "check takes {path} for published:\n{}",
            check.stderr
        );
    }
}
