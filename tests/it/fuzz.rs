//! The whole pipeline on random sites: random front matter (unknown and
//! non-text keys, nesting, NaN and huge numbers, control characters, NFD
//! text, other scripts), random Markdown with raw HTML, random file names.
//! `check` and `build` run in-process on each; neither may panic or fail
//! other than with diagnostics, `build` fails only where `check` does, and
//! what a build writes is valid (feeds and sitemap as XML, the search index
//! and JSON-LD as JSON).
//!
//! 64 cases in `cargo test`; more by hand, e.g.
//! `PROPTEST_CASES=5000 cargo test --release --test it fuzz`.

use std::path::Path;

use bantin::check::{check, CheckSettings};
use bantin::pipeline::{self, BuildOptions};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

// The site the serve tests generate articles for: organs with aliases,
// indicators of each kind, a glossary.
use crate::serve::SITE_YAML;

/// Pieces of text: Vietnamese in NFC and NFD, punctuation, digits, other
/// scripts, markup characters, the control characters pasting brings, and
/// any characters at all.
fn piece() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Hội nghị",
        "Ho\u{302}\u{323}i nghi\u{323}",
        "Huyện uỷ",
        "Đảng ủy",
        "ngân sách",
        " ",
        "  ",
        "\n",
        "\u{b}",
        "\u{c}",
        "\u{0}",
        "\u{1b}",
        "\u{feff}",
        "\u{fffe}",
        "\u{200b}",
        "#",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "\\",
        ":",
        "/",
        "..",
        "-",
        "*",
        "%",
        "1",
        "2023",
        "351,05",
        "日本語",
        "русский",
        "العربية",
        "🎉",
        "</script>",
    ])
    .prop_map(str::to_string);
    prop_oneof![6 => pieces, 1 => prop::collection::vec(any::<char>(), 1..4).prop_map(String::from_iter)]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|pieces| pieces.concat())
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e308, -1e15, -0.0]),
        6 => -1e6..1e6f64,
    ]
}

/// Any YAML value, keys included: text, numbers, null, lists and mappings.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        text().prop_map(Value::from),
        number().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((inner.clone(), inner), 0..4)
                .prop_map(|pairs| Value::Mapping(pairs.into_iter().collect())),
        ]
    })
}

/// Mostly a plausible field, sometimes anything.
fn field(plausible: Vec<&'static str>) -> impl Strategy<Value = Value> {
    prop_oneof![
        20 => prop::sample::select(plausible).prop_map(Value::from),
        1 => value(),
    ]
}

fn reading() -> impl Strategy<Value = Value> {
    let plan = prop_oneof![4 => 0.0..200.0f64, 1 => number()];
    let period = field(vec!["2023-08", "2023-07", "2023-06", "2023-08", "2023-13", "99999-01"]);
    (
        field(vec!["thu-ngan-sach", "ty-le-bhyt", "thu-ngan-sach", "ty-le-bhyt", "khong-co"]),
        number(),
        plan,
        period,
    )
        .prop_map(|(id, value, plan, period)| {
            let mut map = Mapping::new();
            map.insert("id".into(), id);
            map.insert("value".into(), value.into());
            map.insert("plan".into(), plan.into());
            map.insert("period".into(), period);
            Value::Mapping(map)
        })
}

fn front_matter() -> impl Strategy<Value = Mapping> {
    (
        (prop::sample::select(vec!["Hội nghị", "Ho\u{302}\u{323}i nghi\u{323}", "Kỳ họp"]), text())
            .prop_map(|(first, rest)| first.to_string() + &rest),
        field(vec![
            "2023-08-31",
            "31/8/2023 08:30",
            "2023-08-01",
            "1/8/2023",
            "2023-07-15",
            "2023-02-30",
            "9999-12-31",
            "-0001-01-01",
        ]),
        field(vec![
            "Ban Thường vụ Huyện uỷ",
            "HĐND huyện",
            "hdnd-huyen",
            "BTV Huye\u{302}\u{323}n ủy",
            "hdnd-huyen",
            "Sở Tài chính",
        ]),
        prop::option::of(prop::collection::vec(
            prop_oneof![3 => Just("ngân sách".to_string()), 1 => text()],
            0..4,
        )),
        prop::option::of(prop::collection::vec(reading(), 0..3)),
        prop::option::weighted(0.3, value()),
        prop::option::weighted(0.2, text()),
        prop::option::weighted(0.15, (value(), value())),
        prop::option::weighted(0.2, field(vec!["2023-09-01T08:00:00+07:00", "2100-12-31T23:59:59-12:00"])),
    )
        .prop_map(|(title, date, organ, tags, readings, extra, slug, others, published)| {
            let mut map = Mapping::new();
            map.insert("title".into(), title.into());
            map.insert("date".into(), date);
            map.insert("organ".into(), organ);
            let optional = [
                ("tags", tags.map(|t| t.into())),
                ("indicators", readings.map(Value::Sequence)),
                ("extra", extra),
                ("published", published),
                ("slug", slug.map(Value::from)),
            ];
            for (key, value) in optional {
                if let Some(value) = value {
                    map.insert(key.into(), value);
                }
            }
            map.extend(others);
            map
        })
}

/// Markdown with raw HTML, links, images, tables and odd characters.
fn body() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        text(),
        Just("\n\n".to_string()),
        Just("# Tiêu đề\n".to_string()),
        Just("- mục\n- mục hai\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("[liên kết](../07/khac.md)".to_string()),
        Just("![ảnh](anh.png)".to_string()),
        Just("<div class=\"x\">".to_string()),
        Just("</div>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("<!-- ghi chú".to_string()),
        Just("**đậm** _nghiêng_ `mã`".to_string()),
        Just("HĐND".to_string()),
        Just("Nghịquyết".repeat(40)),
        Just("<div>".repeat(300)),
    ];
    prop::collection::vec(block, 0..12).prop_map(|blocks| blocks.concat())
}

/// File names: letters (NFD too), digits, spaces and punctuation.
fn file_name() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "hoi-nghi",
        "Họp",
        "Ho\u{323}p",
        " ",
        "#",
        "%",
        "&",
        "'",
        "(",
        ")",
        ".",
        "..",
        "_",
        "1",
        "日本",
    ]);
    let first = prop_oneof![
        6 => prop::sample::select(vec!["hoi-nghi", "Họp", "Ho\u{323}p", "1"]),
        1 => prop::sample::select(vec!["#", ".", "'"]),
    ];
    (first, prop::collection::vec(part, 0..5)).prop_map(|(first, parts)| first.to_string() + &parts.concat())
}

/// An article: the front matter as YAML (or, now and then, as broken text), and a body.
fn article() -> impl Strategy<Value = (String, String)> {
    let front = prop_oneof![
        12 => front_matter().prop_map(|map| serde_yaml::to_string(&map).unwrap_or_default()),
        1 => text(),
    ];
    (file_name(), front, body()).prop_map(|(name, front, body)| (name, format!("---\n{front}---\n{body}\n")))
}

/// Every file under `folder` whose name ends with `ending`.
fn files(folder: &Path, ending: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().ends_with(ending))
        .map(|e| e.into_path())
        .collect()
}

fn run_site(articles: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    let folder = root.join("content/2023/08");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, text) in articles {
        std::fs::write(folder.join(format!("{name}.md")), text).unwrap();
    }
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: "public".into(),
        drafts: false,
        base_url: None,
        now: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00+07:00").unwrap(),
    };
    let checked = check(&options, &CheckSettings { summary_max: bantin::import::SUMMARY_MAX })
        .expect("content problems are diagnostics");
    let built = pipeline::build(&options, false).expect("content problems are diagnostics");
    assert!(checked.is_err() || built.is_ok(), "check passed where build failed: {:?}", built.err());
    if built.is_err() {
        return;
    }
    let public = root.join("public");
    for xml in files(&public, ".xml") {
        let text = std::fs::read_to_string(&xml).unwrap();
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", xml.display()));
    }
    for json in files(&public, ".json") {
        let text = std::fs::read_to_string(&json).unwrap();
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    }
    for page in files(&public, ".html") {
        let html = std::fs::read_to_string(&page).unwrap();
        if let Some(start) = html.find("<script type=\"application/ld+json\">") {
            let start = start + 35;
            let end = start + html[start..].find("</script>").unwrap();
            serde_json::from_str::<serde_json::Value>(&html[start..end])
                .unwrap_or_else(|e| panic!("JSON-LD of {}: {e}", page.display()));
        }
    }
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_sites_end_in_pages_or_diagnostics_never_a_panic(
        articles in prop::collection::vec(article(), 1..3)
    ) {
        run_site(&articles);
    }
}
