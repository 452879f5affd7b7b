//! `bantin serve`: the incremental rebuild compared with full builds after
//! random sequences of edits, and the real server over real HTTP: pages,
//! 404, refused traversals, rebuilds after edits, broken edits and fixes.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bantin::assemble::Site;
use bantin::content::Article;
use bantin::manifest::{Manifest, Source};
use bantin::messages::{Lang, Messages};
use bantin::pipeline::{self, BuildOptions};
use bantin::serve::engine::{Engine, Outcome, Settings};

use crate::harness::TestSite;

// ---------------------------------------------------------------------------
// Incremental rebuilds equal full builds.

pub(crate) const SITE_YAML: &str = "title: Huyện Thử Nghiệm
description: Trang thử của bantin.
base_url: https://thu.example.vn/
timezone: Asia/Ho_Chi_Minh
per_page: 2
organs:
  - id: btv-huyen-uy
    name: Ban Thường vụ Huyện ủy
    aliases: [BTV Huyện ủy]
  - id: hdnd-huyen
    name: Hội đồng nhân dân huyện
    aliases: [HĐND huyện]
  - id: dang-uy-xa-dinh-tan
    name: Đảng ủy xã Định Tân
indicators:
  - id: thu-ngan-sach
    label: Thu ngân sách nhà nước
    unit: tỷ đồng
    kind: flow
    highlight: true
  - id: doanh-nghiep-thanh-lap-moi
    label: Doanh nghiệp thành lập mới
    unit: doanh nghiệp
    kind: flow
  - id: ty-le-bhyt
    label: Tỷ lệ dân số tham gia bảo hiểm y tế
    unit: \"%\"
    kind: ratio
    highlight: true
glossary:
  HĐND: Hội đồng nhân dân
  NTM: nông thôn mới
";

/// The same site without `organs:`: organs come from the articles.
fn open_site_yaml() -> String {
    let start = SITE_YAML.find("organs:").unwrap();
    let end = SITE_YAML.find("indicators:").unwrap();
    format!("{}{}", &SITE_YAML[..start], &SITE_YAML[end..])
}

const ORGANS: [&str; 4] =
    ["Ban Thường vụ Huyện uỷ", "BTV Huyện ủy", "Hội đồng nhân dân huyện", "Đảng ủy xã Định Tân"];
const TAGS: [&str; 5] = ["nông thôn mới", "Nông thôn mới", "ngân sách", "hoà giải", "OCOP"];
const INDICATORS: [&str; 3] = ["thu-ngan-sach", "doanh-nghiep-thanh-lap-moi", "ty-le-bhyt"];
/// What a title or a paragraph gains in an edit: Vietnamese in NFC and NFD,
/// digits the Vietnamese way, punctuation, markup characters, other scripts.
const PIECES: [&str; 14] = [
    " (sửa)",
    " Ho\u{302}\u{323}i nghi\u{323}",
    " 351,05 tỷ đồng",
    " 9/2023",
    " — 100%",
    ": #1 & <b>",
    " “Nông thôn mới”",
    " 北京",
    " Москва",
    " العربية",
    " 🇻🇳",
    " v.v.…",
    " *nhấn* _mạnh_",
    " [liên kết](/khong-co/)",
];

/// A small deterministic generator (xorshift): the same seed, the same edits.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

#[derive(Clone, Debug)]
struct Spec {
    title: String,
    date: (i32, u32, u32),
    organ: usize,
    tags: Vec<usize>,
    readings: Vec<(usize, f64, (i32, u32))>,
    image: bool,
    draft: bool,
    scheduled: bool,
    slug: Option<String>,
    /// What cards show under the title; not where the article is placed.
    summary: Option<String>,
    body: String,
}

impl Spec {
    fn random(rng: &mut Rng, n: usize) -> Spec {
        let mut spec = Spec {
            title: format!("Hội nghị số {n} của huyện"),
            date: (2023, 1, 1),
            organ: rng.below(ORGANS.len()),
            tags: Vec::new(),
            readings: Vec::new(),
            image: rng.chance(30),
            draft: false,
            scheduled: false,
            slug: None,
            summary: None,
            body: format!("Sáng nay, HĐND huyện họp lần {n} về NTM.\n"),
        };
        spec.random_date(rng);
        spec.random_tags(rng);
        spec.random_readings(rng);
        spec
    }

    fn random_date(&mut self, rng: &mut Rng) {
        self.date = (2022 + rng.below(3) as i32, 1 + rng.below(4) as u32, 1 + rng.below(28) as u32);
    }

    fn random_tags(&mut self, rng: &mut Rng) {
        self.tags = (0..rng.below(3)).map(|_| rng.below(TAGS.len())).collect();
    }

    fn random_readings(&mut self, rng: &mut Rng) {
        self.readings = (0..rng.below(3))
            .map(|_| {
                let period = (2022 + rng.below(3) as i32, 1 + rng.below(4) as u32);
                (rng.below(INDICATORS.len()), (rng.below(10_000) as f64) / 100.0, period)
            })
            .collect();
        self.readings.sort_by_key(|r| r.0);
        self.readings.dedup_by_key(|r| r.0);
    }

    fn text(&self) -> String {
        let (y, m, d) = self.date;
        let mut text = format!(
            "---\ntitle: \"{}\"\ndate: {y:04}-{m:02}-{d:02}\norgan: {}\n",
            self.title, ORGANS[self.organ]
        );
        let tags: Vec<&str> = self.tags.iter().map(|&t| TAGS[t]).collect();
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        if self.image {
            text.push_str("image: anh-hoi-nghi.jpg\n");
        }
        if self.draft {
            text.push_str("draft: true\n");
        }
        if self.scheduled {
            text.push_str("published: 2030-01-01T08:00:00+07:00\n");
        }
        if let Some(slug) = &self.slug {
            text.push_str(&format!("slug: {slug}\n"));
        }
        if let Some(summary) = &self.summary {
            text.push_str(&format!("summary: \"{summary}\"\n"));
        }
        if !self.readings.is_empty() {
            text.push_str("indicators:\n");
            for (i, value, (y, m)) in &self.readings {
                text.push_str(&format!(
                    "  - id: {}\n    value: {value}\n    period: {y:04}-{m:02}\n",
                    INDICATORS[*i]
                ));
            }
        }
        text.push_str("---\n");
        text.push_str(&self.body);
        if self.image {
            text.push_str("\n![Đại biểu.](anh-hoi-nghi.jpg)\n");
        }
        text
    }
}

/// The site on disk and what the test wrote there (also `cache.rs`'s edits).
pub(crate) struct Model {
    root: PathBuf,
    articles: BTreeMap<PathBuf, Spec>,
    /// Files whose front matter is broken on disk.
    broken: Vec<PathBuf>,
    made: usize,
}

impl Model {
    pub(crate) fn new(root: PathBuf) -> Model {
        Model { root, articles: BTreeMap::new(), broken: Vec::new(), made: 0 }
    }

    fn write(&self, relative: &Path, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn folder(rng: &mut Rng) -> PathBuf {
        PathBuf::from(
            ["content/2023/08", "content/2023/09", "content/khac", "content/khac/sau"][rng.below(4)],
        )
    }

    fn pick(&self, rng: &mut Rng) -> Option<PathBuf> {
        let keys: Vec<&PathBuf> = self.articles.keys().collect();
        (!keys.is_empty()).then(|| keys[rng.below(keys.len())].clone())
    }

    pub(crate) fn add(&mut self, rng: &mut Rng) -> Vec<PathBuf> {
        self.made += 1;
        let relative = Self::folder(rng).join(format!("hoi-nghi-{}.md", self.made));
        let spec = Spec::random(rng, self.made);
        let path = self.write(&relative, &spec.text());
        self.articles.insert(relative, spec);
        vec![path]
    }

    /// A change that leaves every article where it was: a longer title or body.
    fn rewrite(&mut self, rng: &mut Rng, log: &mut Vec<String>) -> Vec<PathBuf> {
        let relative = self.pick(rng).expect("articles were added");
        log.push(format!("rewrite {}", relative.display()));
        let spec = self.articles.get_mut(&relative).unwrap();
        match rng.chance(50) {
            true => spec.title.push_str(PIECES[rng.below(PIECES.len())]),
            false => spec.body.push_str(&format!("\nVề OCOP{}.\n", PIECES[rng.below(PIECES.len())])),
        }
        let text = spec.text();
        vec![self.write(&relative, &text)]
    }

    /// One random change; returns the paths a watcher would report.
    pub(crate) fn step(&mut self, rng: &mut Rng, log: &mut Vec<String>) -> Vec<PathBuf> {
        let Some(relative) = self.pick(rng) else { return self.add(rng) };
        // Broken files get fixed soon, as people do.
        let choice = if !self.broken.is_empty() && rng.chance(25) { 17 } else { rng.below(18) };
        log.push(format!("{choice} {}", relative.display()));
        let edit = |model: &mut Model, change: &dyn Fn(&mut Spec, &mut Rng), rng: &mut Rng| {
            let spec = model.articles.get_mut(&relative).unwrap();
            change(spec, rng);
            let text = spec.text();
            model.broken.retain(|b| b != &relative);
            vec![model.write(&relative, &text)]
        };
        match choice {
            0 => edit(self, &|s, rng| s.title.push_str(PIECES[rng.below(PIECES.len())]), rng),
            1 => edit(
                self,
                &|s, rng| s.body.push_str(&format!("\nVề OCOP{}.\n", PIECES[rng.below(PIECES.len())])),
                rng,
            ),
            2 => edit(self, &|s, rng| s.random_date(rng), rng),
            3 => edit(self, &|s, rng| s.organ = rng.below(ORGANS.len()), rng),
            4 => edit(self, &|s, rng| s.random_tags(rng), rng),
            5 => edit(self, &|s, rng| s.random_readings(rng), rng),
            6 => edit(self, &|s, _| s.draft = !s.draft, rng),
            7 => edit(self, &|s, _| s.scheduled = !s.scheduled, rng),
            8 => edit(self, &|s, rng| s.slug = rng.chance(50).then(|| "trung-ten".to_string()), rng),
            9 => {
                // Rename, possibly into another folder.
                self.made += 1;
                let to = Self::folder(rng).join(format!("doi-ten-{}.md", self.made));
                let from_path = self.root.join(&relative);
                let to_path = self.root.join(&to);
                std::fs::create_dir_all(to_path.parent().unwrap()).unwrap();
                std::fs::rename(&from_path, &to_path).unwrap();
                let spec = self.articles.remove(&relative).unwrap();
                self.articles.insert(to.clone(), spec);
                if let Some(b) = self.broken.iter_mut().find(|b| **b == relative) {
                    *b = to;
                }
                vec![from_path, to_path]
            }
            10 => {
                std::fs::remove_file(self.root.join(&relative)).unwrap();
                self.articles.remove(&relative);
                self.broken.retain(|b| b != &relative);
                vec![self.root.join(&relative)]
            }
            11 => self.add(rng),
            12 => {
                // A broken edit: a misspelt key or a date that is not one.
                let spec = &self.articles[&relative];
                let text = if rng.chance(50) {
                    spec.text().replacen("organ:", "orgen:", 1)
                } else {
                    spec.text().replacen("date: ", "date: 31/02/", 1)
                };
                self.broken.push(relative.clone());
                vec![self.write(&relative, &text)]
            }
            13 => {
                // The image beside the article comes or goes.
                let image = self.root.join(relative.parent().unwrap()).join("anh-hoi-nghi.jpg");
                if image.exists() {
                    std::fs::remove_file(&image).unwrap();
                } else {
                    std::fs::write(&image, b"\xff\xd8\xff not really a jpeg").unwrap();
                }
                vec![image]
            }
            14 => {
                // A whole folder moves.
                let folder = relative.parent().unwrap().to_path_buf();
                self.made += 1;
                let to = PathBuf::from(format!("content/chuyen-{}", self.made));
                std::fs::rename(self.root.join(&folder), self.root.join(&to)).unwrap();
                let moved: Vec<PathBuf> =
                    self.articles.keys().filter(|k| k.starts_with(&folder)).cloned().collect();
                for old in moved {
                    let new = to.join(old.strip_prefix(&folder).unwrap());
                    let spec = self.articles.remove(&old).unwrap();
                    self.articles.insert(new.clone(), spec);
                    for b in self.broken.iter_mut().filter(|b| **b == old) {
                        *b = new.clone();
                    }
                }
                vec![self.root.join(&folder), self.root.join(&to)]
            }
            15 => {
                // A file that is not an article.
                let note = self.root.join(relative.parent().unwrap()).join("ghi-chu.txt");
                std::fs::write(&note, "ghi chú").unwrap();
                vec![note]
            }
            16 => edit(
                self,
                // Shown in every listing of the article, as its title is, but no reading moves.
                &|s, rng| {
                    let summary = s.summary.get_or_insert_with(|| "Tóm tắt".to_string());
                    summary.push_str(PIECES[rng.below(PIECES.len())]);
                },
                rng,
            ),
            _ => {
                // Fix a broken file, or edit the site's settings.
                match self.broken.pop() {
                    Some(broken) => {
                        let text = self.articles[&broken].text();
                        vec![self.write(&broken, &text)]
                    }
                    None => {
                        let yaml = std::fs::read_to_string(self.root.join("site.yaml")).unwrap();
                        let yaml = match yaml.contains("per_page: 2") {
                            true => yaml.replacen("per_page: 2", "per_page: 3", 1),
                            false => yaml.replacen("per_page: 3", "per_page: 2", 1),
                        };
                        vec![self.write(Path::new("site.yaml"), &yaml)]
                    }
                }
            }
        }
    }
}

fn fixed_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2024-06-01T00:00:00+07:00").unwrap()
}

/// Everything a fresh full build makes: URL → bytes, or the diagnostics.
/// A build of the site into public/, as of `fixed_now`.
fn build_options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: PathBuf::from("public"),
        drafts: false,
        base_url: None,
        now: fixed_now(),
    }
}

fn full_build(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let options = build_options(root);
    // Worded as the engine words its overlay.
    let messages = Messages::new(Lang::Vi);
    let shown = |e: bantin::diagnostics::Diagnostics| bantin::serve::overlay(&messages, &e.render(&messages));
    let site = pipeline::load(&options).unwrap().map_err(shown)?;
    let pages = pipeline::render(&site, root).unwrap().map_err(shown)?;
    let mut all: BTreeMap<String, Vec<u8>> = pages.into_iter().map(|p| (p.url, p.body)).collect();
    let manifest = Manifest::of(&site, root, all.keys().map(String::as_str)).unwrap();
    all.extend(files_of(&manifest));
    Ok(all)
}

/// The published files that are not rendered, by path: where each comes from.
fn files_of(manifest: &Manifest) -> impl Iterator<Item = (String, Vec<u8>)> {
    manifest.entries().into_iter().filter_map(|(path, source)| match source {
        Source::Rendered(_) => None,
        Source::Theme(bytes) => Some((path, bytes.to_vec())),
        other => Some((path, format!("{other:?}").into_bytes())),
    })
}

/// What the engine serves, every page and search file reachable through
/// its list of published files (the HTTP side answers from that list).
fn served(engine: &Engine) -> BTreeMap<String, Vec<u8>> {
    let published = engine.published();
    let published = published.read().unwrap();
    for url in published.pages.keys().chain(published.search.keys()) {
        let listed = published.manifest.source(url);
        assert!(
            matches!(&listed, Some(Source::Rendered(u)) if u == url),
            "{url} is served but listed as {listed:?}"
        );
    }
    for (path, source) in published.manifest.entries() {
        if let Source::Rendered(url) = source {
            let there = published.pages.contains_key(&url) || published.search.contains_key(&url);
            assert!(there, "{path} is listed but not served");
        }
    }
    let mut all: BTreeMap<String, Vec<u8>> =
        published.pages.iter().map(|(url, page)| (url.clone(), page.bytes.to_vec())).collect();
    for (url, bytes) in &published.search {
        all.insert(url.clone(), bytes.to_vec());
    }
    all.extend(files_of(&published.manifest));
    all
}

/// What the preview adds to every page, and only that.
const LIVE_SCRIPT: &str = "<script src=\"/__bantin/live.js\"></script>";

/// Served pages as a build writes them: each HTML page must have the live
/// reload script once, and loses it.
fn without_live_script(served: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let page = |url: &str, bytes: Vec<u8>| {
        if !(url.ends_with('/') || url.ends_with(".html")) {
            return bytes;
        }
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.matches(LIVE_SCRIPT).count(), 1, "{url} has the live reload script once");
        assert!(text.contains(&format!("{LIVE_SCRIPT}</body>")), "{url}: before </body>");
        text.replace(LIVE_SCRIPT, "").into_bytes()
    };
    served.into_iter().map(|(url, bytes)| (url.clone(), page(&url, bytes))).collect()
}

fn first_difference(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    for (url, bytes) in a {
        match b.get(url) {
            None => return format!("{url} only in the incremental site"),
            Some(other) if other != bytes => {
                let (x, y) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(other));
                let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                let around = |s: &str| s.chars().skip(at.saturating_sub(80)).take(200).collect::<String>();
                return format!(
                    "{url} differs:\nincremental: …{}…\nfull build:  …{}…",
                    around(&x),
                    around(&y)
                );
            }
            Some(_) => {}
        }
    }
    b.keys()
        .find(|url| !a.contains_key(*url))
        .map_or(String::new(), |url| format!("{url} only in the full build"))
}

/// How a sequence's preview starts.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// From the sources alone.
    Sources,
    /// After a `bantin build` into public/, whose pages it takes: with
    /// nothing changed since, a title or body rewritten, or a random change.
    AfterBuild,
}

fn run_sequence(seed: u64, steps: usize, open_organs: bool, live_reload: bool, start: Start) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        if open_organs { open_site_yaml() } else { SITE_YAML.to_string() },
    )
    .unwrap();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut model = Model::new(root.clone());
    for _ in 0..6 {
        model.add(&mut rng);
    }
    let mut log = Vec::new();
    if start == Start::AfterBuild {
        pipeline::build(&build_options(&root), false).unwrap().unwrap();
        match seed % 3 {
            0 => {}
            1 => drop(model.rewrite(&mut rng, &mut log)),
            _ => drop(model.step(&mut rng, &mut log)),
        }
    }
    let messages = std::sync::Arc::new(Messages::new(Lang::Vi));
    let settings = Settings { root: root.clone(), drafts: false, live_reload, messages };
    let (mut engine, outcome) = Engine::start(settings, fixed_now()).unwrap();
    let search = engine.refresh_search();
    if start == Start::AfterBuild && seed.is_multiple_of(3) {
        assert!(search.is_none(), "seed {seed}: the build's search index is not taken");
    }
    if let Some(search) = search {
        search.join().unwrap();
    }
    match full_build(&root) {
        Ok(full) => {
            assert!(outcome.errors.is_none(), "seed {seed}, start: {:?}", outcome.errors);
            let mut started = served(&engine);
            if live_reload {
                started = without_live_script(started);
            }
            let context = format!("seed {seed}, start; edits:\n{}", log.join("\n"));
            assert!(started == full, "{context}\n{}", first_difference(&started, &full));
            // The pages of a build are taken as it published them, but
            // those showing what changed since.
            match (start, seed % 3) {
                (Start::AfterBuild, 0) => {
                    assert_eq!(outcome.rendered, 0, "seed {seed}: rendered at the start")
                }
                (Start::AfterBuild, 1) => assert!(
                    (1..full.len() / 2).contains(&outcome.rendered),
                    "seed {seed}: {} of {} rendered after a rewrite",
                    outcome.rendered,
                    full.len()
                ),
                _ => {}
            }
        }
        Err(errors) => {
            let shown = engine.published().read().unwrap().errors.clone();
            assert_eq!(shown.as_deref(), Some(errors.as_str()), "seed {seed}, start");
        }
    }
    let (mut broken, mut partial, mut announced) = (0, 0, 0);
    for step in 0..steps {
        let mut paths = model.step(&mut rng, &mut log);
        if rng.chance(15) {
            // Two saves in one batch, as a `git checkout` makes.
            paths.extend(model.step(&mut rng, &mut log));
        }
        // Pages announced before the rest of the rebuild must already be final.
        let shown = engine.published();
        let mut early = Vec::new();
        let outcome = engine
            .refresh(&paths, fixed_now(), &mut |urls| {
                let shown = shown.read().unwrap();
                early.extend(urls.iter().map(|url| (url.clone(), shown.pages[url].bytes.to_vec())));
            })
            .unwrap();
        if let Some(search) = engine.refresh_search() {
            search.join().unwrap();
        }
        let context = || format!("seed {seed}, step {step}; edits:\n{}", log.join("\n"));
        match full_build(&root) {
            Ok(full) => {
                assert!(outcome.errors.is_none(), "{}: incremental failed:\n{:?}", context(), outcome.errors);
                let mut incremental = served(&engine);
                if live_reload {
                    incremental = without_live_script(incremental);
                    early = without_live_script(early.into_iter().collect()).into_iter().collect();
                }
                assert!(incremental == full, "{}\n{}", context(), first_difference(&incremental, &full));
                for (url, bytes) in &early {
                    assert!(
                        full.get(url) == Some(bytes),
                        "{}: {url} was announced early as it is not",
                        context()
                    );
                }
                announced += early.len();
                partial += usize::from(outcome.rendered < full.len() / 2);
            }
            Err(errors) => {
                let shown = engine.published().read().unwrap().errors.clone();
                assert_eq!(shown.as_deref(), Some(errors.as_str()), "{}", context());
                broken += 1;
            }
        }
    }
    // The sequence went through broken states, and most rebuilds were partial.
    assert!(broken > 0 && partial > (steps - broken) / 3, "seed {seed}: {broken} broken, {partial} partial");
    assert!(announced > 0, "seed {seed}: no page was announced before its rebuild ended");
}

#[test]
fn incremental_rebuilds_equal_full_builds_after_random_edits_moves_renames_and_deletions() {
    for seed in 1..=3 {
        run_sequence(seed, 90, false, false, Start::Sources);
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds_with_live_reload_and_organs_from_the_articles() {
    for seed in [7, 8] {
        run_sequence(seed, 70, true, true, Start::Sources);
    }
}

#[test]
fn a_preview_started_after_a_build_takes_its_pages_and_equals_full_builds_after_random_edits() {
    for (seed, open_organs) in [(4, false), (5, false), (6, true), (9, false), (10, true)] {
        run_sequence(seed, 40, open_organs, true, Start::AfterBuild);
    }
}

/// A site of `articles` random articles in a folder of its own.
fn random_site(seed: u64, articles: usize) -> (tempfile::TempDir, PathBuf, Model, Rng) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    let mut rng = Rng(seed);
    let mut model = Model::new(root.clone());
    for _ in 0..articles {
        model.add(&mut rng);
    }
    (dir, root, model, rng)
}

/// The preview of the site at `root`, started.
fn preview(root: &Path) -> (Engine, Outcome) {
    let messages = std::sync::Arc::new(Messages::new(Lang::Vi));
    let settings = Settings { root: root.to_path_buf(), drafts: false, live_reload: false, messages };
    Engine::start(settings, fixed_now()).unwrap()
}

#[test]
fn a_page_changed_in_the_output_after_the_build_is_not_served_but_rendered_again() {
    let (_dir, root, _, _) = random_site(11, 4);
    pipeline::build(&build_options(&root), false).unwrap().unwrap();
    let home = root.join("public/index.html");
    let changed = std::fs::read_to_string(&home).unwrap().replace("Huyện Thử Nghiệm", "Trang giả");
    std::fs::write(&home, changed).unwrap();
    let (mut engine, outcome) = preview(&root);
    assert_eq!(outcome.rendered, 1, "only the changed page is rendered, the others are taken");
    if let Some(search) = engine.refresh_search() {
        search.join().unwrap();
    }
    let (served, full) = (served(&engine), full_build(&root).unwrap());
    assert!(served == full, "{}", first_difference(&served, &full));
}

/// A year's page with ~80 cards: rendered again after each edit, it takes
/// back the copies of the cards that did not change from its last render
/// (`render::Memo`'s listings); a copy of the wrong card would show.
#[test]
fn listings_of_many_cards_rendered_again_equal_full_builds() {
    let (_dir, root, mut model, mut rng) = random_site(12, 240);
    let (mut engine, _) = preview(&root);
    let mut log = Vec::new();
    for step in 0..10 {
        // Mostly titles and bodies, the edits that keep each listing's cards where they were.
        let paths =
            if step % 3 == 2 { model.step(&mut rng, &mut log) } else { model.rewrite(&mut rng, &mut log) };
        engine.refresh(&paths, fixed_now(), &mut |_| {}).unwrap();
        if let Some(search) = engine.refresh_search() {
            search.join().unwrap();
        }
        let context = format!("step {step}; edits:\n{}", log.join("\n"));
        match full_build(&root) {
            Ok(full) => {
                let served = served(&engine);
                assert!(served == full, "{context}\n{}", first_difference(&served, &full));
            }
            Err(errors) => {
                let shown = engine.published().read().unwrap().errors.clone();
                assert_eq!(shown.as_deref(), Some(errors.as_str()), "{context}");
            }
        }
    }
}

#[test]
fn a_new_title_or_summary_keeps_the_last_index_and_a_new_date_or_figure_makes_it_again() {
    let sample = TestSite::sample();
    let options = BuildOptions {
        root: sample.root.clone(),
        output: PathBuf::from("public"),
        drafts: false,
        base_url: None,
        now: chrono::Utc::now().fixed_offset(),
    };
    let site = pipeline::load(&options).unwrap().unwrap();
    let config = Arc::clone(&site.config);
    let position =
        site.articles.iter().position(|a| !a.readings.is_empty()).expect("an article with figures");
    let edited = |change: &dyn Fn(&mut Article)| {
        let mut articles = site.articles.clone();
        let mut article = (*articles[position]).clone();
        change(&mut article);
        articles[position] = Arc::new(article);
        site.reassemble(Arc::clone(&config), articles)
    };
    let kept =
        |again: &Site| Arc::ptr_eq(&again.index, &site.index) && Arc::ptr_eq(&again.figures, &site.figures);

    let retitled = edited(&|a| {
        a.title = "Ho\u{302}\u{323}i nghi\u{323} tổng kết năm — đã sửa".into();
        a.summary.push_str(" Thêm một câu tóm tắt.");
    });
    assert!(kept(&retitled), "a title and a summary do not move the article");
    assert_eq!(retitled.articles[position].title, "Ho\u{302}\u{323}i nghi\u{323} tổng kết năm — đã sửa");
    assert_eq!(retitled.warnings.0, site.warnings.0);

    assert!(!kept(&edited(&|a| a.date = a.date.pred_opt().unwrap())), "a new date moves it");
    assert!(!kept(&edited(&|a| a.tags.push("Cải cách hành chính".into()))), "a new tag lists it elsewhere");
    assert!(!kept(&edited(&|a| a.readings[0].value = Some(351.05))), "a new figure changes the table");
    assert!(!kept(&edited(&|a| a.readings[0].line += 1)), "a warning about it would point elsewhere");
    let other = Arc::new((*site.config).clone());
    assert!(!kept(&site.reassemble(other, site.articles.clone())), "other settings, another site");
}

// ---------------------------------------------------------------------------
// The real server over HTTP.

/// A request written by hand, so no client tidies the path first.
pub fn raw_get(base: &str, path: &str) -> (u16, String) {
    raw_get_with_host(base, path, base.trim_start_matches("http://"))
}

/// The status and the whole answer (head and body) to a GET naming `host`.
pub fn raw_get_with_host(base: &str, path: &str, host: &str) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    // Long enough for the first request of an image, which makes its copies.
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response)
}

pub(crate) fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

pub(crate) struct Answer {
    pub status: u16,
    content_type: String,
    location: String,
    pub body: String,
}

pub(crate) fn get(url: &str) -> Answer {
    let mut response = agent().get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let header = |name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
    };
    let (content_type, location) = (header("content-type"), header("location"));
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Answer { status: response.status().as_u16(), content_type, location, body }
}

/// Polls until `check` holds for the page, or fails after `limit`.
pub(crate) fn until(url: &str, limit: Duration, what: &str, check: impl Fn(&Answer) -> bool) -> Answer {
    let deadline = Instant::now() + limit;
    loop {
        let answer = get(url);
        if check(&answer) {
            return answer;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: not within {limit:?}; last answer {}:\n{}",
            answer.status,
            answer.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first event named `name` on the live reload stream, with its data.
pub fn next_event(base: &str, query: &str, name: &str, limit: Duration) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(limit)).unwrap();
    write!(stream, "GET /__bantin/events?{query} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let deadline = Instant::now() + limit;
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while Instant::now() < deadline {
        let Ok(n) = stream.read(&mut buffer) else { break };
        if n == 0 {
            break;
        }
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        if let Some(at) = seen.find(&format!("event: {name}\n")) {
            if let Some(end) = seen[at..].find("\n\n") {
                return seen[at..at + end].to_string();
            }
        }
    }
    panic!("no `{name}` event within {limit:?}; the stream said:\n{seen}");
}

const ARTICLE: &str = "content/2023/08/hoi-nghi-btv-thang-8.md";
const ARTICLE_URL: &str = "/2023/08/hoi-nghi-btv-thang-8/";

#[test]
fn a_scheduled_article_appears_when_its_time_comes_without_a_save() {
    let site = TestSite::from_fixture("valid/basic");
    let mut server = site.serve();
    // Written once the server runs, so a slow start costs nothing; the time
    // leaves a loaded machine seconds to read the file before it is due.
    let at = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now() + chrono::Duration::seconds(8), 0);
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let published = at.with_timezone(&vietnam).to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mark = server.mark();
    site.write(
        "content/2023/08/hen-gio-moi.md",
        format!("---\ntitle: Bài hẹn giờ\ndate: 2023-08-30\norgan: BTV Huyện ủy\npublished: {published}\n---\nNội dung.\n"),
    );
    server.wait_for_line_after(mark, "đã tạo lại", Duration::from_secs(30));
    let page = server.url("/2023/08/hen-gio-moi/");
    assert_eq!(get(&page).status, 404, "not before its time");
    assert!(chrono::Utc::now() < at, "the save was read only after the article was due: nothing was shown");
    until(&page, Duration::from_secs(30), "the scheduled article", |a| a.status == 200);
    assert!(chrono::Utc::now() >= at, "not before its time");
    until(&server.url("/2023/08/"), Duration::from_secs(10), "listed in its month", |a| {
        a.body.contains("Bài hẹn giờ")
    });
}

#[test]
fn serve_answers_pages_static_files_redirects_and_the_sites_own_404() {
    let site = TestSite::from_fixture("valid/basic");
    let server = site.serve();
    assert!(server.base.starts_with("http://127.0.0.1:"), "binds 127.0.0.1 by default: {}", server.base);

    let home = get(&server.url("/"));
    assert_eq!((home.status, home.content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(home.body.contains("<script src=\"/__bantin/live.js\"></script>"));

    let article = get(&server.url(ARTICLE_URL));
    assert_eq!(article.status, 200);
    assert!(article.body.contains("Kinh tế &amp; ngân sách"), "{}", article.body);
    assert_eq!(get(&server.url(&format!("{ARTICLE_URL}index.html"))).body, article.body);

    let folder = get(&server.url("/2023/08"));
    assert_eq!((folder.status, folder.location.as_str()), (301, "/2023/08/"));

    let style = get(&server.url("/style.css"));
    assert_eq!((style.status, style.content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(style.body, std::fs::read_to_string(site.root.join("static/style.css")).unwrap());
    let image = get(&server.url(&format!("{ARTICLE_URL}dai-bieu.png")));
    assert_eq!((image.status, image.content_type.as_str()), (200, "image/png"));
    assert_eq!(get(&server.url("/feed.xml")).content_type, "application/xml; charset=utf-8");
    assert_eq!(get(&server.url("/chi-tieu/thu-ngan-sach.csv")).content_type, "text/csv; charset=utf-8");
    let script = get(&server.url("/__bantin/live.js"));
    assert_eq!((script.status, script.content_type.as_str()), (200, "text/javascript; charset=utf-8"));

    let missing = get(&server.url("/khong-co/trang-nay/"));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, get(&server.url("/404.html")).body, "the site's own 404 page");
    assert!(missing.body.contains("<main"));

    // Nothing of the server reaches a production build.
    site.build(&[]);
    assert!(!site.page(ARTICLE_URL).contains("live.js"));
    assert!(!site.exists("/__bantin/live.js"));
}

#[test]
fn without_static_the_default_themes_stylesheet_is_served_as_a_build_publishes_it() {
    let site = TestSite::from_fixture("valid/basic");
    std::fs::remove_dir_all(site.root.join("static")).unwrap();
    site.build(&[]);
    let built = std::fs::read_to_string(site.root.join("public/style.css")).unwrap();
    let server = site.serve();
    let style = get(&server.url("/style.css"));
    assert_eq!((style.status, style.content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(style.body, built);
}

#[test]
fn requests_that_climb_out_of_the_site_are_refused() {
    let site = TestSite::from_fixture("valid/basic");
    let outside = site.root.parent().unwrap().join("bi-mat");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("mat-khau.txt"), "SECRET-42").unwrap();
    // Links out of the site (Windows' need rights writers rarely have).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("mat-khau.txt"), site.root.join("static/lo.txt")).unwrap();
        std::os::unix::fs::symlink(&outside, site.root.join("static/thu-muc")).unwrap();
    }
    let server = site.serve();
    for path in [
        "/../site.yaml",
        "/../../bi-mat/mat-khau.txt",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/bi-mat/mat-khau.txt",
        "/2023/..%2f..%2fsite.yaml",
        "/..%5c..%5csite.yaml",
        "/static/..\\site.yaml",
        "/./site.yaml",
        "/lo.txt",
        "/thu-muc/mat-khau.txt",
        "/site.yaml",
        "/content/2023/08/hoi-nghi-btv-thang-8.md",
    ] {
        let (status, response) = raw_get(&server.base, path);
        assert!(matches!(status, 400 | 403 | 404), "{path}: {status}");
        assert!(
            !response.contains("SECRET-42") && !response.contains("base_url"),
            "{path} leaked:\n{response}"
        );
    }
}

#[test]
fn an_edit_is_served_within_a_bounded_wait() {
    let site = TestSite::from_fixture("valid/basic");
    let mut server = site.serve();
    let text = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    site.write(ARTICLE, text.replace("Kinh tế & ngân sách", "Kinh tế và đầu tư công"));
    until(&server.url(ARTICLE_URL), Duration::from_secs(10), "the new title", |a| {
        a.body.contains("Kinh tế và đầu tư công")
    });
    // The edited page goes out first; the listings follow in the same rebuild.
    until(&server.url("/2023/08/"), Duration::from_secs(10), "the month's listing too", |a| {
        a.body.contains("Kinh tế và đầu tư công")
    });
    server.wait_for_line("đã tạo lại", Duration::from_secs(5));

    // A new article in a new folder, and a moved one.
    let mark = server.mark();
    site.write(
        "content/2024/01/moi.md",
        "---\ntitle: Bài mới tháng 1\ndate: 2024-01-05\norgan: HĐND huyện\n---\nNội dung.\n",
    );
    let new =
        until(&server.url("/2024/01/moi/"), Duration::from_secs(10), "a new article", |a| a.status == 200);
    server.wait_for_line_after(mark, "đã tạo lại", Duration::from_secs(10));
    let mark = server.mark();
    std::fs::rename(site.root.join("content/2024"), site.root.join("content/nam-2024")).unwrap();
    server.wait_for_line_after(mark, "đã tạo lại", Duration::from_secs(10));
    let moved = get(&server.url("/2024/01/moi/"));
    assert_eq!(moved.status, 200, "moving the folder keeps the article");
    assert_eq!(moved.body, new.body, "and its page");
    std::fs::remove_dir_all(site.root.join("content/nam-2024")).unwrap();
    until(&server.url("/2024/01/moi/"), Duration::from_secs(10), "a deleted article", |a| a.status == 404);
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_until_it_is_fixed() {
    let site = TestSite::from_fixture("valid/basic");
    let mut server = site.serve();
    let good = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    let before = get(&server.url(ARTICLE_URL)).body;

    site.write(ARTICLE, good.replacen("organ:", "orgen:", 1).replace("Kinh tế & ngân sách", "Tiêu đề hỏng"));
    server.wait_for_line("vẫn đang hiển thị bản tốt gần nhất", Duration::from_secs(10));
    assert!(server
        .seen
        .iter()
        .any(|l| l.contains("hoi-nghi-btv-thang-8.md:4:1: lỗi: không có mục nào tên là `orgen`")));
    assert_eq!(get(&server.url(ARTICLE_URL)).body, before, "the last good page");
    // Any page that connects is told, with the command line's text.
    let errors = next_event(&server.base, "path=/&v=0", "errors", Duration::from_secs(10));
    assert!(errors.contains("hoi-nghi-btv-thang-8.md:4:1: lỗi: không có mục nào tên là `orgen`"), "{errors}");
    assert!(errors.contains("có phải ý bạn là mục `organ` (cơ quan)?"), "{errors}");

    // A broken file is never fatal, however broken.
    let mark = server.mark();
    site.write(ARTICLE, b"\xff\xfe not text at all".as_slice());
    server.wait_for_line_after(mark, "vẫn đang hiển thị bản tốt gần nhất", Duration::from_secs(10));
    assert_eq!(get(&server.url(ARTICLE_URL)).body, before, "still the last good page");

    site.write(ARTICLE, good.replace("Kinh tế & ngân sách", "Đã sửa xong"));
    until(&server.url(ARTICLE_URL), Duration::from_secs(10), "the fixed page", |a| {
        a.body.contains("Đã sửa xong")
    });
    server.wait_for_line("đã sửa xong lỗi", Duration::from_secs(5));
}

/// The basic site with a 1000×600 photo shown by the August article, built.
pub(crate) fn built_with_photo() -> TestSite {
    let site = TestSite::from_fixture("valid/basic");
    let photo =
        image::RgbImage::from_fn(1000, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    photo.save(site.root.join("content/2023/08/hoi-truong.jpg")).unwrap();
    let text = std::fs::read_to_string(site.root.join(ARTICLE)).unwrap();
    site.write(ARTICLE, format!("{text}\n![Hội trường.](hoi-truong.jpg)\n"));
    site.build(&[]);
    site
}

#[test]
fn resized_copies_of_images_are_served_as_a_build_writes_them() {
    let site = built_with_photo();
    let built =
        std::fs::read(site.root.join("public").join(&ARTICLE_URL[1..]).join("hoi-truong-480w.jpg")).unwrap();
    let server = site.serve();
    let mut response = agent().get(&server.url(&format!("{ARTICLE_URL}hoi-truong-480w.jpg"))).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").unwrap(), "image/jpeg");
    assert_eq!(response.body_mut().read_to_vec().unwrap(), built);
    assert_eq!(
        get(&server.url(&format!("{ARTICLE_URL}hoi-truong-1440w.jpg"))).status,
        404,
        "no copy wider than the photo"
    );
}

#[test]
fn every_file_a_build_writes_is_served_with_the_same_bytes() {
    let site = built_with_photo();
    let built = site.snapshot("public");
    let server = site.serve();
    // The search index is made once the sources are quiet.
    until(&server.url("/tim-kiem/chi-muc/meta.json"), Duration::from_secs(20), "the search index", |a| {
        a.status == 200
    });
    for (file, bytes) in &built {
        // The compressed copies beside text files are for a web server's
        // gzip_static; the preview answers the files they are copies of.
        let copy_of = file
            .to_string_lossy()
            .strip_suffix(".gz")
            .or(file.to_string_lossy().strip_suffix(".br"))
            .map(std::path::PathBuf::from);
        if copy_of.is_some_and(|original| built.contains_key(&original)) {
            continue;
        }
        let path = format!("/{}", file.to_string_lossy().replace('\\', "/"));
        let url = path.strip_suffix("index.html").unwrap_or(&path);
        let mut response = agent().get(&server.url(url)).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{url}");
        let served = response.body_mut().with_config().limit(u64::MAX).read_to_vec().unwrap();
        let served = match String::from_utf8(served) {
            Ok(text) => text.replace(LIVE_SCRIPT, "").into_bytes(),
            Err(error) => error.into_bytes(),
        };
        assert!(&served == bytes, "{url} differs from the build's {}", file.display());
    }
}
