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
    assert!(run.stderr.contains("site.yaml:5:5: error: unknown key `nam`"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `name`?"));
    assert!(run.stderr.contains("site.yaml:10:11: error: `kind`"), "{}", run.stderr);
}

#[test]
fn a_bad_timezone_is_named() {
    let site = TestSite::from_fixture("valid/basic");
    site.write("site.yaml", "title: Huyện\ntimezone: Asia/Ha_Noi\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("site.yaml:2:11: error: unknown timezone `Asia/Ha_Noi`"), "{}", run.stderr);
}

#[test]
fn usage_and_io_errors_exit_with_two() {
    let site = TestSite::from_fixture("valid/basic");
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    std::fs::remove_file(site.root.join("site.yaml")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no site.yaml"), "{}", run.stderr);
}
