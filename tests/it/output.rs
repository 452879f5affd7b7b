//! Where `build` may publish and how (SPEC §7): an output folder that would
//! delete what bantin did not write is refused with nothing touched, and the
//! output holds exactly the old site or the new one at every instant, even
//! when the build is killed or fails while publishing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use unicode_normalization::UnicodeNormalization;

use crate::harness::TestSite;

/// What is under a folder: files with their bytes, folders, and links with
/// where they point.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let what = if e.path_is_symlink() {
                format!("link to {}", std::fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "folder".to_string()
            } else {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), what)
        })
        .collect()
}

/// The folder holding the site's folder (the test's own temporary folder).
fn around(site: &TestSite) -> PathBuf {
    site.root.parent().unwrap().to_path_buf()
}

/// Runs `build --output <output>` (and again with `--force` when `forced`
/// is also refused) and insists it exits 2 saying why, with nothing changed
/// anywhere around the site.
fn assert_refused(site: &TestSite, output: &str, with_force_too: bool, why: &str) {
    let before = tree(&around(site));
    let runs: &[&[&str]] = if with_force_too { &[&[], &["--force"]] } else { &[&[]] };
    for extra in runs {
        let run = site.run(&[&["build", "--output", output], *extra].concat());
        assert_eq!(run.code, 2, "--output {output} {extra:?} was not refused:\n{}", run.stderr);
        assert!(run.stderr.contains(why), "--output {output}: {}", run.stderr);
        assert!(run.stderr.contains("gợi ý:"), "{}", run.stderr);
        assert_eq!(tree(&around(site)), before, "--output {output} {extra:?} changed something");
    }
}

/// The basic fixture with a template of its own, a resized photo in the
/// cache (the fixture's is too small to resize) and a first build.
fn built_site() -> TestSite {
    let site = TestSite::from_fixture("valid/basic");
    site.write("templates/404.html", "<p>Không tìm thấy trang này</p>");
    site.write(".bantin-cache/images/0123456789abcdef-800.jpg", "ảnh");
    site.build(&[]);
    site
}

#[test]
fn an_output_in_content_templates_static_or_the_cache_is_refused_even_with_force() {
    let site = built_site();
    for output in ["content", "content/2023/08", "templates", "static", "static/mới", ".bantin-cache/images"]
    {
        assert_refused(&site, output, true, "sẽ xóa mất các tệp trong đó");
    }
    // Through a link, and a folder holding one of them through a link.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.root.join("content/2023"), around(&site).join("bai")).unwrap();
        assert_refused(&site, "../bai", true, "nằm trong thư mục content/ của trang");
    }
}

#[test]
fn the_site_folder_and_every_folder_holding_it_are_refused_even_with_force() {
    let site = built_site();
    assert_refused(&site, ".", true, "chính là thư mục của trang");
    assert_refused(&site, "content/..", true, "chính là thư mục của trang");
    assert_refused(&site, site.root.to_str().unwrap(), true, "chính là thư mục của trang");
    assert_refused(&site, "..", true, "chứa cả thư mục của trang");
    assert_refused(&site, "../..", true, "chứa cả thư mục của trang");
    assert_refused(&site, "/", true, "chứa cả thư mục của trang");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", site.root.join("goc")).unwrap();
        assert_refused(&site, "goc", true, "chứa cả thư mục của trang");
    }
}

#[test]
fn a_folder_with_files_bantin_did_not_write_is_refused_unless_forced() {
    let site = built_site();
    let other = around(&site).join("tai-lieu");
    std::fs::create_dir_all(other.join("năm 2023")).unwrap();
    std::fs::write(other.join("năm 2023/biên bản họp.txt"), "Biên bản hội nghị Ban Thường vụ").unwrap();
    assert_refused(&site, "../tai-lieu", false, "những tệp không phải do bantin tạo ra");
    // A file is not a folder, with or without --force.
    std::fs::write(site.root.join("ghi-chu.txt"), "Ghi chú của phóng viên").unwrap();
    assert_refused(&site, "ghi-chu.txt", true, "không phải là một thư mục");
    // The list of an earlier build beside a folder that was since replaced does not make it bantin's.
    std::fs::rename(site.root.join(".public.files"), around(&site).join(".tai-lieu.files")).unwrap();
    assert_refused(&site, "../tai-lieu", false, "những tệp không phải do bantin tạo ra");

    let run = site.run(&["build", "--output", "../tai-lieu", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(other.join("index.html").is_file());
    assert!(!other.join("năm 2023").exists(), "--force replaces the folder whole");
    // From then on the folder is bantin's.
    site.build(&["--output", "../tai-lieu"]);
}

#[test]
fn an_empty_folder_a_new_one_and_an_output_of_an_earlier_bantin_are_accepted() {
    let site = TestSite::from_fixture("valid/basic");
    std::fs::create_dir(site.root.join("trong")).unwrap();
    site.build(&["--output", "trong"]);
    site.build(&["--output", "../ngoai/moi/trang"]);
    assert!(around(&site).join("ngoai/moi/trang/index.html").is_file());

    // public/ as the bantin before this change left it: its files, and the list
    // of written files beside it (hash, size, time in nanoseconds, path).
    let public = site.root.join("public");
    std::fs::create_dir_all(public.join("2023/08/hoi-nghi-btv-thang-8")).unwrap();
    std::fs::write(public.join("2023/08/hoi-nghi-btv-thang-8/index.html"), "<h1>Bản cũ</h1>").unwrap();
    std::fs::write(public.join("robots.txt"), "User-agent: *\n").unwrap();
    std::fs::write(site.root.join(".public.files"), "8c3f3d0e5e8b1a2f 14 1700000000000000000 robots.txt\n")
        .unwrap();
    site.build(&[]);
    assert!(site.page("/2023/08/hoi-nghi-btv-thang-8/").contains("Ban Thường vụ"));
}

#[cfg(unix)]
#[test]
fn a_linked_output_is_published_into_the_folder_it_points_to() {
    let site = TestSite::from_fixture("valid/basic");
    let www = around(&site).join("www");
    std::fs::create_dir_all(www.join("tin-tuc")).unwrap();
    std::os::unix::fs::symlink("../www/tin-tuc", site.root.join("public")).unwrap();
    site.build(&[]);
    site.write("static/style.css", "body { color: #000; }\n");
    site.build(&[]);
    assert!(std::fs::symlink_metadata(site.root.join("public")).unwrap().is_symlink(), "the link stays");
    assert_eq!(std::fs::read_to_string(www.join("tin-tuc/style.css")).unwrap(), "body { color: #000; }\n");
    assert!(www.join(".tin-tuc.files").is_file(), "the list is beside the real folder");
    let mut beside: Vec<_> =
        std::fs::read_dir(&www).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    beside.sort();
    let expected = [".tin-tuc.files", ".tin-tuc.new", ".tin-tuc.new.files", "tin-tuc"];
    assert_eq!(beside, expected, "only the site and its list, the site before and its list");

    // The rules apply to the folder pointed to: someone else's files there are refused.
    std::fs::create_dir_all(www.join("khac")).unwrap();
    std::fs::write(www.join("khac/trang-chu.html"), "<p>Trang của đơn vị khác</p>").unwrap();
    std::fs::remove_file(site.root.join("public")).unwrap();
    std::os::unix::fs::symlink(www.join("khac"), site.root.join("public")).unwrap();
    assert_refused(&site, "public", false, "những tệp không phải do bantin tạo ra");
    // A link to nothing is refused too.
    std::fs::remove_file(site.root.join("public")).unwrap();
    std::os::unix::fs::symlink("../www/khong-co", site.root.join("public")).unwrap();
    assert_refused(&site, "public", true, "lối tắt tới một thư mục không còn tồn tại");
}

/// A site of `count` generated articles (some titles in NFD) over five years
/// and three organs, twenty to a listing page.
pub(crate) fn generated_site(count: usize) -> TestSite {
    let site = TestSite::from_fixture("valid/basic");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", config.replace("per_page: 2", "per_page: 20"));
    for i in 0..count {
        write_article(&site, i, "");
    }
    site
}

const ORGANS: [&str; 3] = ["Ban Thường vụ Huyện ủy", "Hội đồng nhân dân huyện", "Đảng ủy xã Định Tân"];

pub(crate) fn write_article(site: &TestSite, i: usize, title_prefix: &str) {
    let (year, month, day) = (2019 + i % 5, 1 + i / 5 % 12, 1 + i / 60 % 28);
    let title =
        format!("{title_prefix}Hội nghị lần thứ {i}: đánh giá kết quả thực hiện nhiệm vụ tháng {month}");
    let title: String = if i.is_multiple_of(7) { title.nfd().collect() } else { title };
    let text = format!(
        "---\ntitle: \"{title}\"\ndate: {year}-{month:02}-{day:02}\norgan: {}\ntags: [{}]\n---\n\
         Sáng ngày {day}/{month}, hội nghị thứ {i} đã thảo luận về thu ngân sách và xây dựng nông thôn mới.\n",
        ORGANS[i % 3],
        ["nông thôn mới", "ngân sách", "chuyển đổi số"][i % 3]
    );
    site.write(&format!("content/{year}/{month:02}/hoi-nghi-{i}.md"), text);
}

/// Every file of an output folder and its bytes.
pub(crate) fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// A copy of an output folder and the list beside it, made of hard links so
/// that it is quick and keeps the files' times (the list stays valid).
pub(crate) fn link_copy(site: &TestSite, from: &str, to: &str) {
    let (from_dir, to_dir) = (site.root.join(from), site.root.join(to));
    if to_dir.exists() {
        std::fs::remove_dir_all(&to_dir).unwrap();
    }
    for entry in walkdir::WalkDir::new(&from_dir) {
        let entry = entry.unwrap();
        let target = to_dir.join(entry.path().strip_prefix(&from_dir).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::hard_link(entry.path(), &target).unwrap();
        }
    }
    std::fs::copy(site.root.join(format!(".{from}.files")), site.root.join(format!(".{to}.files"))).unwrap();
}

/// When a rebuild into public/ is killed (SIGKILL).
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(Duration),
    /// At the `nth` file or folder created, removed or renamed at `of`
    /// (a path under the site's folder) or under it.
    AtChange {
        nth: usize,
        of: &'static str,
    },
}

impl Kill {
    /// Runs the rebuild, kills it and says whether it had finished first.
    fn run(self, site: &TestSite, limit: Duration) -> bool {
        use notify::event::{EventKind, ModifyKind};
        use notify::{RecursiveMode, Watcher};
        let (sender, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender).unwrap();
        if let Kill::AtChange { .. } = self {
            watcher.watch(&site.root, RecursiveMode::NonRecursive).unwrap();
            watcher.watch(&site.root.join("public"), RecursiveMode::Recursive).unwrap();
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--root"])
            .arg(&site.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starting bantin");
        match self {
            Kill::After(delay) => std::thread::sleep(delay),
            Kill::AtChange { nth, of } => {
                let (watched, mut seen) = (site.root.join(of), 0);
                let deadline = Instant::now() + limit;
                while let Ok(event) = events.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                {
                    let event: notify::Event = event.unwrap();
                    let changes = matches!(
                        event.kind,
                        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
                    );
                    // The list is written beside it and renamed over it.
                    let at = |p: &Path| p.starts_with(&watched) || p.with_extension("files") == watched;
                    seen += usize::from(changes && event.paths.iter().any(|p| at(p)));
                    if seen == nth {
                        break;
                    }
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap().success()
    }
}

#[test]
fn a_rebuild_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole() {
    let site = generated_site(2000);
    site.build(&[]);
    let old = files(&site.root.join("public"));
    link_copy(&site, "public", "goc");

    // Some titles changed (which changes listings, feeds and the search
    // index too), some articles removed, some added.
    for i in (0..2000).step_by(97) {
        write_article(&site, i, "Đã sửa — ");
    }
    for i in (5..2000).step_by(131) {
        let year_month = format!("{}/{:02}", 2019 + i % 5, 1 + i / 5 % 12);
        std::fs::remove_file(site.root.join(format!("content/{year_month}/hoi-nghi-{i}.md"))).unwrap();
    }
    for i in 2000..2020 {
        write_article(&site, i, "");
    }
    // The new site, and how long a rebuild over the old one takes.
    link_copy(&site, "public", "moi");
    let started = Instant::now();
    let run = site.run(&["build", "--output", "moi"]);
    let duration = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let new = files(&site.root.join("moi"));
    assert_ne!(old, new);

    // Killed at moments spread over the rebuild, then the moment the
    // staging folder appears, the moment the list of written files changes,
    // and the moments the first and the 50th file or folder in the output
    // is created, removed or renamed: publishing, whatever the machine's speed.
    let moments = [0.3, 0.6, 0.9].map(|f| Kill::After(duration.mul_f64(f))).into_iter().chain(
        [(1, ".public.new"), (1, ".public.files"), (1, "public"), (50, "public")]
            .map(|(nth, of)| Kill::AtChange { nth, of }),
    );
    let mut outcomes = Vec::new();
    for moment in moments {
        if files(&site.root.join("public")) != old {
            link_copy(&site, "goc", "public");
        }
        let finished = moment.run(&site, duration * 3);
        let now = files(&site.root.join("public"));
        let what = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let differ = |a: &BTreeMap<PathBuf, Vec<u8>>, b: &BTreeMap<PathBuf, Vec<u8>>| {
                a.keys().chain(b.keys()).filter(|path| a.get(*path) != b.get(*path)).count()
            };
            let (from_old, from_new) = (differ(&now, &old), differ(&now, &new));
            panic!("killed {moment:?}: a mix, {from_old} files differ from the old site, {from_new} from the new")
        };
        outcomes.push(format!("{moment:?}: {what}{}", if finished { " (had finished)" } else { "" }));
    }
    eprintln!("rebuild {duration:.2?}; after each kill: {outcomes:#?}");

    // What a killed build left is cleaned up by the next one, which leaves
    // the site before it beside the output, with its list.
    site.build(&[]);
    assert!(files(&site.root.join("public")) == new, "the rebuild after the kills equals the new site");
    for leftover in [".public.old", ".public.files-new", ".public.new.files-new"] {
        assert!(!site.root.join(leftover).exists(), "{leftover} left");
    }
    assert!(site.root.join(".public.new.files").exists());
}

#[test]
fn an_io_error_while_publishing_leaves_the_old_site_whole() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let old = files(&site.root.join("public"));
    let august = site.root.join("content/2023/08/hoi-nghi-btv-thang-8.md");
    let text = std::fs::read_to_string(&august).unwrap();
    std::fs::write(&august, text.replacen("title: \"", "title: \"Đã sửa — ", 1)).unwrap();
    std::fs::remove_file(site.root.join("content/2023/08/ky-hop-hdnd.md")).unwrap();
    // Tests run as root, where permission bits stop no write; a folder where
    // publishing writes the new list of files (its last step before the
    // swap) makes a real I/O error.
    site.write(".public.files-new/chan.txt", "chặn");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(".public.files-new"), "{}", run.stderr);
    assert!(files(&site.root.join("public")) == old, "the old site changed");
    assert!(!site.root.join(".public.new").exists(), "the staging folder is removed");

    std::fs::remove_dir_all(site.root.join(".public.files-new")).unwrap();
    site.build(&[]);
    assert!(site.page("/2023/08/hoi-nghi-btv-thang-8/").contains("Đã sửa — "));
    assert!(!site.exists("/2023/08/ky-hop-hdnd/"));
}

#[test]
fn a_file_can_take_the_place_of_a_folder_and_the_other_way_round() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("static/tai-lieu", "Tài liệu hội nghị");
    site.build(&[]);
    assert_eq!(site.page("/tai-lieu"), "Tài liệu hội nghị");
    std::fs::remove_file(site.root.join("static/tai-lieu")).unwrap();
    site.write("static/tai-lieu/bao-cao.txt", "Báo cáo tháng 8");
    site.build(&[]);
    assert_eq!(site.page("/tai-lieu/bao-cao.txt"), "Báo cáo tháng 8");
    std::fs::remove_dir_all(site.root.join("static/tai-lieu")).unwrap();
    site.write("static/tai-lieu", "Tài liệu mới");
    site.build(&[]);
    assert_eq!(site.page("/tai-lieu"), "Tài liệu mới");
}
