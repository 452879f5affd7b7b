//! A Word document (`.docx`) read for import: its paragraphs (bold kept),
//! tables and pictures, in order, from `word/document.xml`, the pictures'
//! files found through `word/_rels/document.xml.rels`.

use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

/// One part of the document, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A paragraph: its plain text (what the importer reads) and its
    /// Markdown (bold as `**…**`).
    Text { plain: String, markdown: String },
    /// A table, as a Markdown table.
    Table(String),
    /// A picture: the file's bytes and its extension (`png`, `jpeg`).
    Picture { bytes: Vec<u8>, extension: String },
}

/// Why a file is no Word document we can read.
#[derive(Debug)]
pub struct NotADocument;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";

/// The parts of a `.docx` file's bytes.
pub fn parts(bytes: &[u8]) -> Result<Vec<Part>, NotADocument> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NotADocument)?;
    let mut entry = |name: &str| -> Option<Vec<u8>> {
        let mut file = archive.by_name(name).ok()?;
        let mut out = Vec::new();
        file.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let document = entry("word/document.xml").ok_or(NotADocument)?;
    let document = String::from_utf8(document).map_err(|_| NotADocument)?;
    let relations = entry("word/_rels/document.xml.rels").and_then(|b| String::from_utf8(b).ok());
    let targets: Vec<(String, String)> = relations
        .as_deref()
        .and_then(|text| Document::parse(text).ok().map(|doc| relationships(&doc)))
        .unwrap_or_default();
    let xml = Document::parse(&document).map_err(|_| NotADocument)?;
    let body = xml.descendants().find(|n| n.has_tag_name((W, "body"))).ok_or(NotADocument)?;
    let mut parts = Vec::new();
    for node in body.children().filter(Node::is_element) {
        if node.has_tag_name((W, "p")) {
            for id in node
                .descendants()
                .filter(|n| n.has_tag_name((A, "blip")))
                .filter_map(|n| n.attribute((R, "embed")))
            {
                let Some((_, target)) = targets.iter().find(|(rid, _)| rid == id) else {
                    continue;
                };
                let name = format!("word/{}", target.trim_start_matches('/').trim_start_matches("word/"));
                if let Some(bytes) = entry(&name) {
                    let extension = name.rsplit_once('.').map_or("png", |(_, e)| e).to_ascii_lowercase();
                    parts.push(Part::Picture { bytes, extension });
                }
            }
            let (plain, markdown) = paragraph(node);
            if !plain.trim().is_empty() {
                parts.push(Part::Text {
                    plain: plain.trim().to_string(),
                    markdown: markdown.trim().to_string(),
                });
            }
        } else if node.has_tag_name((W, "tbl")) {
            parts.push(Part::Table(table(node)));
        }
    }
    Ok(parts)
}

/// The relationship ids of the document and their targets.
fn relationships(doc: &Document) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
        .filter_map(|n| Some((n.attribute("Id")?.to_string(), n.attribute("Target")?.to_string())))
        .collect()
}

/// A paragraph's text, plain and as Markdown with its bold runs.
fn paragraph(node: Node) -> (String, String) {
    let mut plain = String::new();
    let mut markdown = String::new();
    for run in node.descendants().filter(|n| n.has_tag_name((W, "r"))) {
        let text: String = run
            .children()
            .filter_map(|n| match n.tag_name().name() {
                "t" => n.text().map(str::to_string),
                "tab" => Some(" ".to_string()),
                "br" => Some(" ".to_string()),
                _ => None,
            })
            .collect();
        if text.is_empty() {
            continue;
        }
        let bold = run
            .children()
            .find(|n| n.has_tag_name((W, "rPr")))
            .and_then(|p| p.children().find(|n| n.has_tag_name((W, "b"))))
            .is_some_and(|b| !matches!(b.attribute((W, "val")), Some("0" | "false")));
        let escaped = super::escape_markdown(&text);
        if bold && !text.trim().is_empty() {
            // `**` must touch the words: spaces go outside.
            let inner = escaped.trim();
            let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
            let trail = &escaped[escaped.trim_end().len()..];
            markdown.push_str(&format!("{lead}**{inner}**{trail}"));
        } else {
            markdown.push_str(&escaped);
        }
        plain.push_str(&text);
    }
    (plain, markdown)
}

/// A table as Markdown, its first row the header.
fn table(node: Node) -> String {
    let rows: Vec<Vec<String>> = node
        .children()
        .filter(|n| n.has_tag_name((W, "tr")))
        .map(|row| {
            row.children()
                .filter(|n| n.has_tag_name((W, "tc")))
                .map(|cell| {
                    let texts: Vec<String> = cell
                        .children()
                        .filter(|n| n.has_tag_name((W, "p")))
                        .map(|p| paragraph(p).1.trim().replace('|', "\\|"))
                        .filter(|t| !t.is_empty())
                        .collect();
                    texts.join(" ")
                })
                .collect()
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = (0..width).map(|c| row.get(c).map_or("", String::as_str)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(width)));
        }
    }
    out.trim_end().to_string()
}
