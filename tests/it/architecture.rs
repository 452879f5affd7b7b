//! The layout docs/ARCHITECTURE.md draws is the one the sources have: every
//! module of src/ is in its list, and imports only modules below it.

use std::collections::BTreeSet;
use std::path::Path;

/// The modules as docs/ARCHITECTURE.md lists them, top to bottom.
fn listed() -> Vec<String> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md")).unwrap();
    let section = doc.split("## The modules, top to bottom").nth(1).expect("the section of modules");
    let block = section.split("```").nth(1).expect("the list of modules");
    block
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with(' '))
        .map(|line| line.split_whitespace().next().unwrap().trim_end_matches('/').to_string())
        .collect()
}

/// The modules a piece of Rust names through `crate::` (`crate::a::b`,
/// `crate::{a, b::c}`): their first segment.
fn named(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident =
        |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let (mut depth, mut start) = (0, 0);
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            names.insert(ident(group[start..i].trim()));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            names.insert(ident(group[start..i].trim()));
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
            }
            None => {
                names.insert(ident(rest));
            }
        }
    }
    names.remove("");
    names
}

#[test]
fn no_module_imports_one_above_it() {
    let order = listed();
    assert!(order.len() > 20, "the list reads as {order:?}");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    let mut unlisted = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = entry.path().strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let module = relative.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if module == "main" || module == "lib" {
            continue;
        }
        let Some(position) = order.iter().position(|m| *m == module) else {
            unlisted.insert(module);
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Unit tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for name in named(code) {
            match order.iter().position(|m| *m == name) {
                Some(above) if above <= position && name != module => {
                    upward.push(format!("{relative} imports {name}, listed above {module}"))
                }
                _ => {}
            }
        }
    }
    assert!(unlisted.is_empty(), "modules docs/ARCHITECTURE.md does not list: {unlisted:?}");
    assert!(upward.is_empty(), "imports of a module above:\n{}", upward.join("\n"));
}

#[test]
fn the_names_of_an_import_are_read_from_paths_and_groups() {
    let code = "use crate::content::{self, Article};\nuse crate::{images, output::safe_join};\nlet x = crate::vietnamese::nfc(t);";
    let names: Vec<String> = named(code).into_iter().collect();
    assert_eq!(names, ["content", "images", "output", "vietnamese"]);
}
