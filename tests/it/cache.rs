//! The build cache (`.bantin-cache/`): a build that uses it publishes,
//! byte for byte, what a build into an empty folder without it publishes, after random
//! edits, with a damaged cache, a changed template or site.yaml, a
//! scheduled article that became due, and files deleted from the output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::harness::{Run, TestSite};
use crate::output::{files, generated_site, write_article};
use crate::serve::{Model, Rng, SITE_YAML};

/// The files only one side has or whose bytes differ.
fn differences(a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<PathBuf> {
    let mut paths: Vec<&PathBuf> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths.into_iter().filter(|p| a.get(*p) != b.get(*p)).cloned().collect()
}

/// What a run printed, without the time the build took (the summary's
/// "trong 0,1 giây").
fn printed(run: &Run) -> String {
    let text = run.stderr.clone() + &run.stdout;
    text.lines().map(|line| line.split(" trong ").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// Builds into `public` (with the cache of the builds before) and into a
/// new empty folder (with none), and insists that both publish the same
/// files and print the same, or fail the same.
fn same_as_fresh(root: &Path, fresh: &str, context: &dyn Fn() -> String) -> bool {
    let run = |output: &str| -> Run {
        std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--root"])
            .arg(root)
            .args(["--output", output])
            .output()
            .expect("running bantin")
            .into()
    };
    let cached = run("public");
    // The fresh build has no cache at all; the cached build's is put back
    // for the next one.
    let (cache, aside) = (root.join(".bantin-cache"), root.join(".bantin-cache-aside"));
    if cache.exists() {
        std::fs::rename(&cache, &aside).unwrap();
    }
    let new = run(fresh);
    if aside.exists() {
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::rename(&aside, &cache).unwrap();
    }
    assert_eq!((cached.code, printed(&cached)), (new.code, printed(&new)), "{}", context());
    if new.code == 0 {
        let (cached_files, new_files) = (files(&root.join("public")), files(&root.join(fresh)));
        let differ = differences(&cached_files, &new_files);
        assert!(differ.is_empty(), "{}: the cached build differs in {differ:?}", context());
        std::fs::remove_dir_all(root.join(fresh)).unwrap();
    }
    new.code == 0
}

/// Puts every file and folder of the site that changed in the last
/// seconds ten seconds back, as if the writer had paused before building:
/// the cache trusts the times of files only once they are that old.
fn pause(root: &Path) {
    let recent = SystemTime::now() - Duration::from_secs(5);
    let back = SystemTime::now() - Duration::from_secs(10);
    for entry in walkdir::WalkDir::new(root).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        !(name.starts_with('.') && e.depth() > 0 || name == "public" || name.starts_with("moi-"))
    }) {
        let entry = entry.unwrap();
        if entry.metadata().unwrap().modified().unwrap() > recent {
            std::fs::File::open(entry.path()).unwrap().set_modified(back).unwrap();
        }
    }
}

/// The build's cache files, the search index's parts and the articles' shards.
fn cache_files(root: &Path) -> Vec<PathBuf> {
    let kept = |folder: &str| -> Vec<PathBuf> {
        let files: Vec<PathBuf> = std::fs::read_dir(root.join(".bantin-cache").join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!files.is_empty(), "{folder}: kept");
        files
    };
    let parts = [kept("search"), kept("articles")].concat();
    std::fs::read_dir(root.join(".bantin-cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("build-"))
        .chain(parts)
        .collect()
}

fn run_sequence(seed: u64, steps: usize) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut model = Model::new(root.clone());
    for _ in 0..6 {
        model.add(&mut rng);
    }
    let mut log = Vec::new();
    let (mut built, mut paused) = (0, 0);
    for step in 0..steps {
        model.step(&mut rng, &mut log);
        // Some builds come right after the edit, others after a pause (when
        // the cache may find that nothing changed).
        if rng.chance(50) {
            pause(&root);
            paused += 1;
        }
        let context = || format!("seed {seed}, step {step}; edits:\n{}", log.join("\n"));
        built += usize::from(same_as_fresh(&root, &format!("moi-{step}"), &context));
        if rng.chance(30) {
            // And again with nothing changed.
            same_as_fresh(&root, &format!("moi-{step}-lai"), &context);
        }
    }
    assert!(built > steps / 3 && paused > 0, "seed {seed}: {built} builds of {steps} succeeded");
}

#[test]
fn a_cached_build_equals_a_fresh_build_byte_for_byte_after_random_edits() {
    for seed in 1..=2 {
        run_sequence(seed, 30);
    }
}

/// The sample site built once, its files paused, and built again (the second
/// build finds nothing changed).
fn built_sample() -> TestSite {
    let site = TestSite::sample();
    pause(&site.root);
    site.build(&[]);
    site
}

#[test]
fn a_build_with_nothing_changed_publishes_nothing_again() {
    let site = built_sample();
    let list = site.root.join(".public.files");
    let published = std::fs::metadata(&list).unwrap().modified().unwrap();
    let run = site.build(&[]);
    assert!(printed(&run).contains("Đã tạo"), "{}", printed(&run));
    assert_eq!(
        std::fs::metadata(&list).unwrap().modified().unwrap(),
        published,
        "the output was published again"
    );
    assert!(same_as_fresh(&site.root, "moi", &String::new));
}

/// A cache file's first line (the rest may be binary).
fn head_of(bytes: &[u8]) -> String {
    let newline = bytes.iter().position(|&c| c == b'\n').unwrap();
    String::from_utf8(bytes[..newline].to_vec()).unwrap()
}

#[test]
fn a_build_with_nothing_changed_prints_the_warnings_of_the_last_one() {
    // The warnings come from the cache: one that cannot hold them (as
    // postcard could not) makes every build a full one, printing the same.
    let site = TestSite::from_fixture("valid/figures");
    pause(&site.root);
    let first = site.build(&[]);
    assert!(printed(&first).contains("cảnh báo:"), "{}", printed(&first));
    let list = site.root.join(".public.files");
    let published = std::fs::metadata(&list).unwrap().modified().unwrap();
    let again = site.build(&[]);
    assert_eq!(printed(&again), printed(&first));
    assert_eq!(
        std::fs::metadata(&list).unwrap().modified().unwrap(),
        published,
        "the output was published again"
    );
}

#[test]
fn a_damaged_cache_file_gives_the_same_output_as_no_cache() {
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 6] = [
        ("truncated", |b| b.truncate(b.len() / 2)),
        ("one bit flipped", |b| {
            let last = b.len() - 1;
            b[last] ^= 0x04;
        }),
        ("another version", |b| {
            let head = head_of(b).replacen(env!("CARGO_PKG_VERSION"), "0.0.9", 1);
            *b = [head.as_bytes(), &b[b.iter().position(|&c| c == b'\n').unwrap()..]].concat();
        }),
        ("another format", |b| {
            let mut words: Vec<String> = head_of(b).split(' ').map(String::from).collect();
            words[2] = "999".into();
            *b = [words.join(" ").as_bytes(), &b[b.iter().position(|&c| c == b'\n').unwrap()..]].concat();
        }),
        ("empty", |b| b.clear()),
        ("not ours", |b| *b = "Tệp này không phải bộ nhớ đệm của bantin.\n{}".as_bytes().to_vec()),
    ];
    for (what, damage) in damages {
        let site = built_sample();
        // A title every listing shows, edited: what a stale cache would get wrong.
        let article = site.root.join("content/2023/01/bch-dang-bo-huyen-trien-khai-nhiem-vu-2023.md");
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, text.replacen("title: \"", "title: \"Đã sửa — ", 1)).unwrap();
        for cache in cache_files(&site.root) {
            let mut bytes = std::fs::read(&cache).unwrap();
            damage(&mut bytes);
            std::fs::write(&cache, bytes).unwrap();
        }
        assert!(same_as_fresh(&site.root, "moi", &|| what.to_string()), "{what}");
        assert!(site.page("/2023/01/").contains("Đã sửa — "), "{what}");
    }
}

#[test]
fn an_image_replaced_beside_an_article_is_published_with_its_page() {
    // Only the image changes: the article's text, and every article's place,
    // stay as they were (the pages that read no changed article keep their
    // fingerprints).
    let site = built_sample();
    let wide = image::RgbImage::from_fn(1600, 1000, |x, y| image::Rgb([x as u8, y as u8, 90]));
    wide.save(site.root.join("content/2023/08/dai-bieu.jpg")).unwrap();
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "image".into()));
}

#[test]
fn a_file_an_article_links_to_is_published_once_it_is_there() {
    // The article is kept as it was resolved, when the file was missing:
    // it must be resolved again once the file is there.
    let site = built_sample();
    let article = site.root.join("content/2023/08/btv-huyen-uy-thang-8-2023.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text + "\nXem [báo cáo của Ủy ban](bao-cao-ubnd.pdf).\n").unwrap();
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "linked, missing".into()));
    assert!(!site.root.join("public/2023/08/btv-huyen-uy-thang-8-2023/bao-cao-ubnd.pdf").exists());
    std::fs::write(site.root.join("content/2023/08/bao-cao-ubnd.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "linked, there".into()));
    assert!(site.root.join("public/2023/08/btv-huyen-uy-thang-8-2023/bao-cao-ubnd.pdf").exists());
}

#[test]
fn a_changed_template_or_site_yaml_gives_the_fresh_output() {
    let site = built_sample();
    let template = site.root.join("templates/base.html");
    let html = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, html.replacen("</body>", "<p>Chân trang đã sửa</p></body>", 1)).unwrap();
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "template".into()));
    assert!(site.page("/").contains("Chân trang đã sửa"));

    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replacen("title: ", "title: Cổng thông tin mới — ", 1));
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "site.yaml".into()));
    assert!(site.page("/2023/").contains("Cổng thông tin mới — "));
}

#[test]
fn a_new_article_changes_every_page_that_shows_the_sites_counts_and_only_those() {
    let site = built_sample();
    let article = site.page("/2023/08/btv-huyen-uy-thang-8-2023/");
    let new = "---\ntitle: Hội nghị mới\ndate: 2023-09-20\norgan: HĐND huyện\n---\nNội dung.\n";
    site.write("content/2023/09/hoi-nghi-moi.md", new);
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "a new article".into()));
    assert_eq!(site.page("/2023/08/btv-huyen-uy-thang-8-2023/"), article, "the counts are not on it");
    // A base template that shows them: every page shows the new count.
    let template = site.root.join("templates/base.html");
    let html = std::fs::read_to_string(&template).unwrap();
    let nav = "{% for o in site.organs %}<p class=\"dem-co-quan\">{{ o.name }}: {{ o.count }}</p>{% endfor %}</body>";
    std::fs::write(&template, html.replacen("</body>", nav, 1)).unwrap();
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "the counts in the base template".into()));
    site.write("content/2023/09/hoi-nghi-moi-nua.md", new.replace("Hội nghị mới", "Hội nghị mới nữa"));
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "another new article".into()));
    let count = |page: &str| {
        site.page(page).split("Hội đồng nhân dân huyện: ").nth(1).map(|rest| rest[..2].to_string())
    };
    assert_eq!(count("/2023/08/btv-huyen-uy-thang-8-2023/"), count("/co-quan/"));
}

#[test]
fn a_scheduled_article_that_became_due_appears() {
    let site = TestSite::sample();
    let due = chrono::Local::now().fixed_offset() + chrono::Duration::seconds(4);
    site.write(
        "content/2024/05/hoi-nghi-hen-gio.md",
        format!(
            "---\ntitle: Hội nghị hẹn giờ đăng\ndate: 2024-05-20\norgan: HĐND huyện\npublished: {}\n---\nNội dung đăng sau.\n",
            due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    );
    pause(&site.root);
    site.build(&[]);
    assert!(!site.exists("/2024/05/hoi-nghi-hen-gio/"), "published before its time");
    std::thread::sleep(Duration::from_secs(5));
    assert!(same_as_fresh(&site.root, "moi", &|| "due".into()));
    assert!(site.page("/2024/05/hoi-nghi-hen-gio/").contains("Nội dung đăng sau."));
}

#[test]
fn a_published_file_deleted_or_edited_by_hand_is_put_back_by_the_next_build() {
    let site = built_sample();
    let public = site.root.join("public");
    std::fs::remove_file(public.join("index.html")).unwrap();
    std::fs::remove_file(public.join("luu-tru/index.html.br")).unwrap();
    std::fs::write(public.join("co-quan/index.html"), "sửa tay").unwrap();
    std::fs::write(public.join("them-tay.html"), "thêm tay").unwrap();
    assert!(same_as_fresh(&site.root, "moi", &|| "by hand".into()));
    assert!(site.page("/").contains("<main"));
}

/// An output put back from an older copy, its list of files included (a
/// backup of the site's folder restored): every file is as that list says,
/// but it is not the site the cache describes, so the next build makes it
/// again instead of finding that nothing changed.
#[test]
fn an_output_put_back_from_an_older_copy_with_its_list_is_built_again() {
    let site = built_sample();
    // Hidden, so that `pause` leaves the times of its files (the output's) alone.
    crate::output::link_copy(&site, "public", ".sao-luu");
    let article = site.root.join("content/2023/08/btv-huyen-uy-thang-8-2023.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let title = text.lines().find(|line| line.starts_with("title:")).unwrap();
    std::fs::write(&article, text.replacen(title, "title: Hội nghị Ban Thường vụ đã sửa tên", 1)).unwrap();
    pause(&site.root);
    site.build(&[]);
    assert!(site.page("/2023/08/btv-huyen-uy-thang-8-2023/").contains("đã sửa tên"));
    crate::output::link_copy(&site, ".sao-luu", "public");
    assert!(!site.page("/2023/08/btv-huyen-uy-thang-8-2023/").contains("đã sửa tên"), "the old site is back");
    assert!(same_as_fresh(&site.root, "moi", &|| "put back".into()));
    assert!(site.page("/2023/08/btv-huyen-uy-thang-8-2023/").contains("đã sửa tên"));
}

/// The search index's parts in the cache, by name, with their times.
fn search_parts(root: &Path) -> BTreeMap<String, SystemTime> {
    std::fs::read_dir(root.join(".bantin-cache/search"))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().into_string().unwrap(), e.metadata().unwrap().modified().unwrap()))
        .collect()
}

#[test]
fn after_one_edit_the_search_index_gathers_only_that_articles_part_again() {
    // Three parts of 256 articles.
    let site = generated_site(600);
    pause(&site.root);
    site.build(&[]);
    let before = search_parts(&site.root);
    assert_eq!(before.len(), 3, "{before:?}");
    write_article(&site, 17, "Đã sửa — ");
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "one title".into()));
    let after = search_parts(&site.root);
    let kept: Vec<_> = after.iter().filter(|(name, time)| before.get(*name) == Some(*time)).collect();
    assert_eq!((after.len(), kept.len()), (3, 2), "one part made again, two kept as they were");

    // A new article, the newest: only the first part changes.
    site.write(
        "content/2024/06/hoi-nghi-moi-nhat.md",
        "---\ntitle: \"Hội nghị mới nhất\"\ndate: 2024-06-03\norgan: Ban Thường vụ Huyện ủy\n---\nNội dung mới.\n",
    );
    pause(&site.root);
    assert!(same_as_fresh(&site.root, "moi", &|| "a new article".into()));
    let newest = search_parts(&site.root);
    let kept = newest.iter().filter(|(name, time)| after.get(*name) == Some(*time)).count();
    assert_eq!((newest.len(), kept), (3, 2), "the first part made again, two kept");

    // Damaged parts are gathered again, not used: with no build cache the
    // next build makes the index, reading the parts.
    for part in cache_files(&site.root) {
        let mut bytes = std::fs::read(&part).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 0x01;
        std::fs::write(&part, bytes).unwrap();
    }
    assert!(same_as_fresh(&site.root, "moi", &|| "damaged parts".into()));
}
