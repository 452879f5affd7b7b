//! Bad input: every problem of a run reported at its place, exit codes per SPEC §5.

use crate::harness::TestSite;

#[test]
fn every_invalid_file_is_reported_with_its_line_column_and_hint() {
    let site = TestSite::from_fixture("invalid/every-error");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn in_english_the_same_problems_have_the_same_places_and_exit_code() {
    let site = TestSite::from_fixture("invalid/every-error");
    let vi = site.run(&["check"]);
    let en = site.run(&["check", "--lang", "en"]);
    assert_eq!(en.code, vi.code);
    insta::assert_snapshot!(en.stderr);
    assert_eq!(places(&en.stderr), places(&vi.stderr));
    assert!(en.stderr.contains(": error: ") && vi.stderr.contains(": lỗi: "));
    // BANTIN_LANG chooses the same; --lang wins over it.
    let env = |lang: &str, args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .arg("--root")
            .arg(&site.root)
            .env("BANTIN_LANG", lang)
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8(output.stderr).unwrap())
    };
    assert_eq!(env("en", &["check"]), (Some(1), en.stderr.clone()));
    assert_eq!(env("en", &["check", "--lang", "vi"]), (Some(1), vi.stderr.clone()));
    let (code, refused) = env("fr", &["check"]);
    assert_eq!(code, Some(2), "{refused}");
    assert!(refused.contains("BANTIN_LANG=`fr`"), "{refused}");
}

/// Each report's place (`path:line:col`) and the quoted lines with their
/// markers: what must not change with the language.
fn places(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| match line {
            l if l.starts_with("content/") || l.starts_with("site.yaml") => l.split(": ").next(),
            l if l.contains(" |") => Some(l),
            _ => None,
        })
        .collect()
}

#[test]
fn a_build_of_an_invalid_site_reports_the_same_and_writes_nothing() {
    let site = TestSite::from_fixture("invalid/every-error");
    let check = site.run(&["check"]);
    let build = site.run(&["build"]);
    assert_eq!(build.code, 1);
    assert_eq!(build.stderr, check.stderr);
    assert!(!site.root.join("public").exists());
}

#[test]
fn errors_in_site_yaml_are_reported_at_their_keys() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(
        "site.yaml",
        "title: Huyện\ntimezone: Asia/Ha_Noi\norgans:\n  - id: a\n    nam: A\nindicators:\n  - id: x\n    label: X\n    unit: tỷ\n    kind: stock\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.yaml:5:5: lỗi: không có mục nào tên là `nam`"), "{}", run.stderr);
    assert!(run.stderr.contains("có phải ý bạn là mục `name` (tên)?"), "{}", run.stderr);
    assert!(run.stderr.contains("site.yaml:10:11: lỗi: mục `kind`"), "{}", run.stderr);
}

#[test]
fn two_indicators_with_one_id_are_named_at_the_second() {
    let site = TestSite::from_fixture("valid/basic");
    site.write(
        "site.yaml",
        "title: Huyện\nindicators:\n  - id: thu-ngan-sach\n    label: Thu ngân sách\n    unit: tỷ đồng\n  - id: thu-ngan-sach\n    label: Thu nội địa\n    unit: tỷ đồng\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("site.yaml:6:9: lỗi: hai chỉ tiêu cùng có mã `thu-ngan-sach`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gợi ý: mỗi chỉ tiêu cần một mã riêng"), "{}", run.stderr);
    assert!(!run.stderr.contains("cơ quan"), "{}", run.stderr);
}

#[test]
fn a_bad_timezone_is_named() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("site.yaml", "title: Huyện\ntimezone: Asia/Ha_Noi\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.yaml:2:11: lỗi: không có múi giờ `Asia/Ha_Noi`"), "{}", run.stderr);
}

#[test]
fn usage_and_io_errors_exit_with_two() {
    let site = TestSite::from_fixture("valid/basic");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    std::fs::remove_file(site.root.join("site.yaml")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("không có tệp site.yaml"), "{}", run.stderr);
}

#[test]
fn words_typed_after_a_closing_quote_are_named_with_the_fix() {
    let site = TestSite::from_fixture("valid/basic");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", config.replacen("title: ", "title: 'Cổng thông tin' huyện\n_was: ", 1));
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    let line = "site.yaml:1:25: lỗi: sau dấu ngoặc kép đóng còn có chữ `huyện`";
    assert!(run.stderr.contains(line), "{}", run.stderr);
    // The line is shown with the words underlined, as every report is.
    assert!(run.stderr.contains(&format!("{}^^^^^\n", " ".repeat(24))), "{}", run.stderr);

    site.write("site.yaml", &config);
    site.write(
        "content/2023/08/ky-hop-hdnd.md",
        "---\ntitle: \"Kỳ họp thứ 12 HĐND huyện\" (bổ sung)\ndate: 2023-08-15 08:00\norgan: HĐND huyện\n---\nNội dung.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    let line = "content/2023/08/ky-hop-hdnd.md:2:35: lỗi: sau dấu ngoặc kép đóng còn có chữ `(bổ sung)`";
    assert!(run.stderr.contains(line), "{}", run.stderr);
    assert!(run.stderr.contains("gợi ý: đưa phần chữ này vào trong ngoặc kép"), "{}", run.stderr);
}
