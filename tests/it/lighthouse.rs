//! Lighthouse (npm `lighthouse` of tests/tools, with Debian's chromium) on
//! the sample site served by the root nginx block of docs/HOSTING.md: the
//! home, an article, an indicator and the search page, each once at phone
//! and once at desktop settings. Every category scores at least 95 and the
//! layout shift stays under 0.1. The scores are written to
//! target/lighthouse/scores.md (docs/PERFORMANCE.md quotes them).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::{test_tool, SETUP};
use crate::hosting::{built_into, Nginx};

const PAGES: [(&str, &str); 4] = [
    ("trang chủ", "/"),
    ("bài viết", "/2023/08/btv-huyen-uy-thang-8-2023/"),
    ("chỉ tiêu", "/chi-tieu/thu-ngan-sach/"),
    ("tìm kiếm", "/tim-kiem/"),
];
const CATEGORIES: [&str; 4] = ["performance", "accessibility", "best-practices", "seo"];
const LOWEST_SCORE: f64 = 0.95;
const MOST_LAYOUT_SHIFT: f64 = 0.1;

/// One Lighthouse run: the JSON report.
fn lighthouse(url: &str, desktop: bool, out: &Path) -> Value {
    let cli = test_tool("lighthouse/cli/index.js");
    let chromium = if Path::new("/usr/bin/chromium").is_file() { "/usr/bin/chromium" } else { "chromium" };
    let mut command = Command::new("node");
    command
        .arg(cli)
        .arg(url)
        .args(["--output=json", "--quiet", "--only-categories=performance,accessibility,best-practices,seo"])
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage")
        .arg(format!("--output-path={}", out.display()))
        .env("CHROME_PATH", chromium);
    if desktop {
        command.arg("--preset=desktop");
    }
    let status = command.status().unwrap_or_else(|e| panic!("node runs lighthouse ({e}): {SETUP}"));
    assert!(status.success(), "lighthouse {url} failed ({status})");
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

#[test]
fn lighthouse_scores_every_category_at_least_95_with_no_layout_shift_on_phones_and_desktops() {
    let (_www, root) = built_into("https://example.gov.vn/", "");
    let nginx = Nginx::start("at the domain's root", &root);
    let reports = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/lighthouse");
    std::fs::create_dir_all(&reports).unwrap();

    let mut table = String::from(
        "| page | form factor | performance | accessibility | best practices | SEO | layout shift |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let mut below = Vec::new();
    for (name, path) in PAGES {
        for desktop in [false, true] {
            let form = if desktop { "desktop" } else { "mobile" };
            let file = reports.join(format!("{}-{form}.json", path.trim_matches('/').replace('/', "_")));
            let report = lighthouse(&nginx.url(path), desktop, &file);
            let scores: Vec<f64> = CATEGORIES
                .iter()
                .map(|c| {
                    report["categories"][c]["score"]
                        .as_f64()
                        .unwrap_or_else(|| panic!("{path}: no {c} score"))
                })
                .collect();
            let shift = report["audits"]["cumulative-layout-shift"]["numericValue"].as_f64().unwrap();
            table.push_str(&format!(
                "| {name} | {form} | {} | {shift:.3} |\n",
                scores.iter().map(|s| format!("{:.0}", s * 100.0)).collect::<Vec<_>>().join(" | ")
            ));
            for (category, score) in CATEGORIES.iter().zip(&scores) {
                if *score < LOWEST_SCORE {
                    let failed: Vec<String> = failed_audits(&report, category);
                    below.push(format!(
                        "{path} {form}: {category} {:.0} ({})",
                        score * 100.0,
                        failed.join(", ")
                    ));
                }
            }
            if shift >= MOST_LAYOUT_SHIFT {
                below.push(format!("{path} {form}: layout shift {shift:.3}"));
            }
        }
    }
    std::fs::write(reports.join("scores.md"), &table).unwrap();
    assert!(below.is_empty(), "below the bar:\n{}\n\n{table}", below.join("\n"));
}

/// The audits of a category that did not pass, by id, with their scores.
fn failed_audits(report: &Value, category: &str) -> Vec<String> {
    let refs = report["categories"][category]["auditRefs"].as_array().cloned().unwrap_or_default();
    refs.iter()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|r| {
            let id = r["id"].as_str()?;
            let score = report["audits"][id]["score"].as_f64()?;
            (score < 0.9).then(|| format!("{id} {score:.2}"))
        })
        .collect()
}
