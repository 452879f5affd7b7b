//! Lighthouse (npm `lighthouse` of tests/tools, with Debian's chromium) on
//! the sample site served by the root nginx block of docs/HOSTING.md: the
//! home, an article, an indicator and the search page, each once at phone
//! and once at desktop settings. Every category scores at least 95 and the
//! layout shift stays under 0.1. The scores are written to
//! target/lighthouse/scores.md (docs/PERFORMANCE.md quotes them).
//!
//! Lighthouse's phone settings slow the CPU 4× to turn a fast desktop into
//! a low-end phone (benchmark index ~264, the Moto G Power that Lighthouse
//! and DevTools' calibration take as the low tier). The CI machine is
//! shared and often slower than that phone already: slowing it 4× more
//! would measure a phone no one has. So the desktop runs go first, their
//! benchmark index (in every report) calibrates the phone runs' slowdown
//! as DevTools does, and the factor used is written beside the scores.

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
/// Lighthouse's benchmark index of the low-end phone its mobile settings emulate.
const LOW_END_PHONE_INDEX: f64 = 264.0;

/// One Lighthouse run: the JSON report.
/// `slowdown`: the CPU slowdown of a phone run; None for a desktop run.
fn lighthouse(url: &str, slowdown: Option<f64>, out: &Path) -> Value {
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
    match slowdown {
        None => command.arg("--preset=desktop"),
        Some(factor) => command.arg(format!("--throttling.cpuSlowdownMultiplier={factor:.2}")),
    };
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
    let mut note = String::new();
    let mut indexes = Vec::new();
    let mut slowdown = None;
    for desktop in [true, false] {
        if !desktop {
            indexes.sort_by(f64::total_cmp);
            let index = indexes[indexes.len() / 2];
            // As DevTools' calibration: the factor that brings this machine down to the phone.
            let factor = (index / LOW_END_PHONE_INDEX).clamp(1.0, 4.0);
            note =
                format!("Benchmark index {index:.0}; phone runs with the CPU slowed {factor:.2}×.\n{note}");
            slowdown = Some(factor);
        }
        for (name, path) in PAGES {
            let form = if desktop { "desktop" } else { "mobile" };
            let file = reports.join(format!("{}-{form}.json", path.trim_matches('/').replace('/', "_")));
            let mut report = lighthouse(&nginx.url(path), slowdown, &file);
            if performance(&report) < LOWEST_SCORE {
                // Lighthouse's own advice on variance: judge the median of
                // several runs, not one run on a busy machine.
                let mut runs = vec![report];
                runs.extend((0..2).map(|_| lighthouse(&nginx.url(path), slowdown, &file)));
                runs.sort_by(|a, b| performance(a).total_cmp(&performance(b)));
                report = runs.swap_remove(1);
                note.push_str(&format!("{path} ({}): the median of three runs.\n", form));
            }
            indexes.push(report["environment"]["benchmarkIndex"].as_f64().unwrap());
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
    table.push_str(&format!("\n{note}"));
    std::fs::write(reports.join("scores.md"), &table).unwrap();
    assert!(below.is_empty(), "below the bar:\n{}\n\n{table}", below.join("\n"));
}

fn performance(report: &Value) -> f64 {
    report["categories"]["performance"]["score"].as_f64().unwrap_or(0.0)
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
