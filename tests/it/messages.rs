//! The message catalogue (locales/*/bantin.ftl): both languages complete and
//! alike, the help worded from it, no English sentence left in Rust code,
//! and docs/MESSAGES.md generated from it.

use std::collections::BTreeMap;
use std::path::Path;

use bantin::messages::CATALOGUES;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, Resource};
use unicode_normalization::UnicodeNormalization;

use crate::harness::TestSite;

/// Message id → the variables it uses, for the message and each attribute.
fn variables(source: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| panic!("{errors:?}"));
    let mut all = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry {
            let mut parts = BTreeMap::new();
            if let Some(value) = &message.value {
                parts.insert(String::new(), names(value));
            }
            for attribute in &message.attributes {
                parts.insert(format!(".{}", attribute.id.name), names(&attribute.value));
            }
            all.insert(message.id.name.to_string(), parts);
        }
    }
    all
}

fn names(pattern: &Pattern<&str>) -> Vec<String> {
    let mut found = Vec::new();
    collect_pattern(pattern, &mut found);
    found.sort();
    found.dedup();
    found
}

fn collect_pattern(pattern: &Pattern<&str>, found: &mut Vec<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_expression(expression, found);
        }
    }
}

fn collect_expression(expression: &Expression<&str>, found: &mut Vec<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            collect_inline(selector, found);
            variants.iter().for_each(|v| collect_pattern(&v.value, found));
        }
        Expression::Inline(inline) => collect_inline(inline, found),
    }
}

fn collect_inline(inline: &InlineExpression<&str>, found: &mut Vec<String>) {
    match inline {
        InlineExpression::VariableReference { id } => found.push(id.name.to_string()),
        InlineExpression::Placeable { expression } => collect_expression(expression, found),
        InlineExpression::FunctionReference { arguments, .. } => {
            arguments.positional.iter().for_each(|a| collect_inline(a, found));
            arguments.named.iter().for_each(|a| collect_inline(&a.value, found));
        }
        _ => {}
    }
}

#[test]
fn every_message_exists_in_both_languages_with_the_same_variables() {
    let [(_, vi), (_, en)] = CATALOGUES;
    let (vi, en) = (variables(vi), variables(en));
    let only = |a: &BTreeMap<_, _>, b: &BTreeMap<_, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    assert_eq!(only(&vi, &en), Vec::<String>::new(), "only in Vietnamese");
    assert_eq!(only(&en, &vi), Vec::<String>::new(), "only in English");
    for (id, parts) in &vi {
        assert_eq!(parts, &en[id], "message `{id}`: Vietnamese and English use different variables");
    }
    assert!(vi.len() > 150, "{} messages", vi.len());
}

#[test]
fn the_catalogues_load_and_the_vietnamese_one_is_nfc_text() {
    for (code, source) in CATALOGUES {
        let resource = fluent_syntax::parser::parse(source);
        assert!(resource.is_ok(), "{code}: {:?}", resource.err().map(|(_, e)| e));
        let nfc: String = source.nfc().collect();
        assert!(nfc == source, "{code}: the catalogue is not NFC");
        assert!(!source.contains(['\u{2068}', '\u{2069}', '\u{feff}']), "{code}: invisible marks");
    }
    let vi = CATALOGUES[0].1;
    // The words of the templates, and none of the programmer's words.
    for term in ["bài viết", "cơ quan", "chỉ tiêu", "phần thông tin đầu bài (giữa hai dòng ---)"]
    {
        assert!(vi.contains(term), "{term}");
    }
    // What the person types (`slug: …`) may be named; the prose around it may not.
    let words: Vec<String> = vi
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once(" = ").map_or(l, |(_, value)| value))
        .map(|l| l.split('`').step_by(2).collect::<Vec<_>>().join(" "))
        .collect();
    for jargon in ["front matter", "YAML", "slug ", "key "] {
        assert!(!words.iter().any(|l| l.contains(jargon)), "`{jargon}` in the Vietnamese catalogue");
    }
}

/// `bantin --help` and each command's, snapshotted: headings, usage, every
/// flag's help and the names of their values come from the catalogue.
#[test]
fn the_help_of_bantin_and_of_every_command_is_in_vietnamese() {
    let site = TestSite::from_fixture("valid/basic");
    let help = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .current_dir(&site.root)
            .env_remove("BANTIN_LANG")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let mut all = help(&["--help"]);
    for command in ["build", "check", "serve", "init", "new", "import"] {
        let text = help(&[command, "--help"]);
        for english in ["Usage", "Options", "Arguments", "default:", "[OPTIONS]", "Print "] {
            assert!(!text.contains(english), "`{english}` in `{command} --help`:\n{text}");
        }
        all.push_str(&format!("\n$ bantin {command} --help\n{text}"));
    }
    insta::assert_snapshot!(all);
    insta::assert_snapshot!("help_in_english", help(&["new", "--help", "--lang", "en"]));
}

/// A mistyped command or flag is refused in Vietnamese, with the nearest
/// choice, and exits with 2.
#[test]
fn a_mistyped_command_or_flag_is_refused_in_vietnamese_with_the_nearest_choice() {
    let site = TestSite::from_fixture("valid/basic");
    let run = site.run(&["buid"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("lỗi: không có lệnh `buid`\n  = gợi ý: có phải ý bạn là `build`?"),
        "{}",
        run.stderr
    );
    let run = site.run(&["build", "--draft"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("có phải ý bạn là `--drafts`?"), "{}", run.stderr);
    let run = site.run(&["serve", "--port", "tám"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--port <CỔNG> không nhận giá trị `tám`"), "{}", run.stderr);
}

/// Where Rust code hands a sentence to a person (printing, errors, help),
/// it must come from the catalogue. A literal with an English word (three
/// letters or more, outside `{…}`) on those paths fails, except the listed ones.
#[test]
fn no_english_sentence_is_left_in_rust_code_outside_the_catalogue() {
    // (file, literal, why it may stay)
    let allowed: &[(&str, &str, &str)] = &[];
    let triggers = [
        "println!(",
        "eprintln!(",
        "print!(",
        "eprint!(",
        "bail!(",
        "anyhow!(",
        ".context(",
        "with_context(",
        ".help(",
        ".about(",
    ];
    let mut found = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("//") || !triggers.iter().any(|t| line.contains(t)) {
                continue;
            }
            // The call and its continuation lines, up to the end of the statement.
            let end = (i..lines.len().min(i + 6))
                .find(|&j| lines[j].trim_end().ends_with([';', '{', ',']))
                .unwrap_or(i);
            for literal in lines[i..=end].iter().flat_map(|l| literals(l)) {
                // A literal with no space is an id or a key (`"serve-fixed"`, `"count"`).
                let english = literal.contains(' ')
                    && without_placeholders(&literal)
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .any(|w| w.len() >= 3);
                match allowed.iter().position(|(f, l, _)| *f == file && *l == literal) {
                    Some(exception) => {
                        used.insert(exception);
                    }
                    None if english => found.push(format!("{file}:{}: \"{literal}\"", i + 1)),
                    None => {}
                }
            }
        }
    }
    assert!(found.is_empty(), "English sentences outside the catalogue:\n{}", found.join("\n"));
    let stale: Vec<_> =
        allowed.iter().enumerate().filter(|(i, _)| !used.contains(i)).map(|(_, a)| a).collect();
    assert!(stale.is_empty(), "exceptions that no longer occur, to remove: {stale:?}");
    // clap takes a doc comment on an argument or command as its help.
    let cli = std::fs::read_to_string(root.join("src/cli.rs")).unwrap();
    let lines: Vec<&str> = cli.lines().map(str::trim).collect();
    for (i, _) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("///")) {
        let item = lines[i..].iter().find(|l| !l.starts_with("///")).unwrap();
        assert!(item.contains("fn "), "src/cli.rs:{}: a doc comment would become help text", i + 1);
    }
}

/// `moving {} aside` → `moving  aside`.
fn without_placeholders(literal: &str) -> String {
    let mut depth = 0;
    literal
        .chars()
        .filter(|&c| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// The string literals of one line of Rust (no raw strings on these paths).
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A char literal such as '"' must not open a string.
            let rest: String = chars.clone().take(3).collect();
            if rest.starts_with("\"'") || rest.starts_with("\\\"'") {
                chars.nth(if rest.starts_with('\\') { 2 } else { 1 });
            }
            continue;
        }
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => literal.extend(chars.next()),
                '"' => break,
                c => literal.push(c),
            }
        }
        out.push(literal);
    }
    out
}

/// docs/MESSAGES.md lists every problem bantin reports and every reason a
/// run stops, in Vietnamese and English, as the catalogue has them. It is
/// written from the catalogue; `BANTIN_WRITE_DOCS=1` writes it anew.
#[test]
fn the_list_of_messages_in_the_docs_is_the_catalogue() {
    let [(_, vi), (_, en)] = CATALOGUES;
    let (vi, en) = (parse(vi), parse(en));
    let english: BTreeMap<&str, String> = patterns(&en).into_iter().map(|(_, id, text)| (id, text)).collect();
    let mut page = String::from(
        "# Lời nhắn của bantin\n\n\
         Trang này được tạo từ danh mục lời nhắn (`locales/vi/bantin.ftl`, `locales/en/bantin.ftl`) \
         bằng phép thử `the_list_of_messages_in_the_docs_is_the_catalogue`; đừng sửa tay. \
         `{ $tên }` là chỗ bantin điền giá trị (tên tệp, tên mục, con số). \
         Dòng có mã kết thúc bằng `-hint` là gợi ý cách sửa, in sau lời báo lỗi.\n\n\
         Every message bantin prints about content and about a stopped run, in Vietnamese \
         (the default) and in English (`--lang en`).\n",
    );
    for (group, id, text) in patterns(&vi) {
        let Some(group) = group.filter(|g| g.starts_with("Lỗi") || g.starts_with("Khi không")) else {
            continue;
        };
        if !page.contains(&format!("## {group}\n")) {
            page.push_str(&format!("\n## {group}\n\n| mã | tiếng Việt | English |\n| --- | --- | --- |\n"));
        }
        let cell = |t: &str| t.replace('|', "\\|").replace('\n', "<br>");
        page.push_str(&format!("| `{id}` | {} | {} |\n", cell(&text), cell(&english[id])));
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/MESSAGES.md");
    if std::env::var_os("BANTIN_WRITE_DOCS").is_some() {
        std::fs::write(&file, &page).unwrap();
    }
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(written == page, "docs/MESSAGES.md is not the catalogue's: run with BANTIN_WRITE_DOCS=1");
}

fn parse(source: &str) -> Resource<&str> {
    fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| panic!("{errors:?}"))
}

/// (group heading, id, the message as written in the catalogue), in order.
fn patterns<'s>(resource: &Resource<&'s str>) -> Vec<(Option<String>, &'s str, String)> {
    let mut group = None;
    let mut out = Vec::new();
    for entry in &resource.body {
        match entry {
            Entry::GroupComment(comment) => group = comment.content.first().map(|l| l.to_string()),
            Entry::Message(message) if message.value.is_some() => {
                let one = Resource { body: vec![Entry::Message(message.clone())] };
                let text = fluent_syntax::serializer::serialize(&one);
                let text = text.split_once(" =").map_or("", |(_, t)| t).trim().to_string();
                out.push((group.clone(), message.id.name, text));
            }
            _ => {}
        }
    }
    out
}

/// An I/O failure is typed data worded by `main`: what bantin was doing, the
/// file, and the system's reason, in the chosen language; exit code 2 in both.
#[test]
fn an_io_failure_names_what_was_being_done_and_the_file_in_each_language() {
    let site = TestSite::from_fixture("valid/basic");
    let missing = site.root.join("bài-chưa-có.txt");
    let missing = missing.to_str().unwrap();
    let vi = site.run(&["import", missing]);
    assert_eq!(vi.code, 2);
    assert_eq!(vi.stderr, format!("lỗi: không đọc được {missing}: không tìm thấy tệp hoặc thư mục\n"));
    let en = site.run(&["import", missing, "--lang", "en"]);
    assert_eq!(en.code, 2);
    assert_eq!(en.stderr, format!("error: cannot read {missing}: no such file or folder\n"));
}

/// Every message id the Rust code names (`Text::new("…")`, `t("…")`,
/// `messages.get("…")`…) is in both catalogues: a typo would otherwise panic
/// only when that message is first printed.
#[test]
fn every_message_id_named_in_rust_code_is_in_both_catalogues() {
    use bantin::messages::{Lang, Messages};
    let catalogues = [Messages::new(Lang::Vi), Messages::new(Lang::En)];
    let calls = [
        "Text::new(\"",
        " t(\"",
        "(t(\"",
        "messages.get(\"",
        "m.get(\"",
        "self.get(\"",
        "text(\"",
        "words.get(\"",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = 0;
    for entry in walkdir::WalkDir::new(root.join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for call in calls {
            for (at, _) in text.match_indices(call) {
                let rest = &text[at + call.len()..];
                let id = &rest[..rest.find('"').unwrap()];
                if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                    continue;
                }
                named += 1;
                for messages in &catalogues {
                    assert!(
                        messages.has(id),
                        "{}: `{id}` is not in the {:?} catalogue",
                        entry.path().display(),
                        messages.lang()
                    );
                }
            }
        }
    }
    assert!(named > 100, "{named} ids found");
}
