//! `bantin init` (a new site that builds at once) and `bantin new` (an
//! article with complete front matter), and writing YAML safely:
//! `front_matter` is the one writer of new front matter (`new`, `import`,
//! the editor's new articles).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::content::front_matter::{RawFrontMatter, RawMeeting};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Problem};
use crate::failure::{Failing, Failure, Step};
use crate::indicator::add_months;
use crate::pipeline::{read_config, Checked};
use crate::render::templates::{DEFAULT_STATIC, DEFAULT_TEMPLATES};
use crate::site::Config;
use crate::vietnamese::date::{parse_date, parse_month};
use crate::vietnamese::nfc;
use crate::vietnamese::slug::short_slug;

/// The commented site.yaml `init` writes.
const SITE_YAML: &str = include_str!("scaffold/site.yaml");

/// The example article `init` writes; it builds as it is.
const EXAMPLE_ARTICLE: (&str, &str) =
    ("content/2023/08/hoi-nghi-ban-thuong-vu-thang-8.md", include_str!("scaffold/example.md"));

/// Creates a new site in `dir`, which must be empty or not exist yet.
/// Returns the files written, relative to `dir`.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).failed(Step::Reading, dir)?;
        if entries.next().is_some() {
            bail!(Failure::FolderNotEmpty { dir: dir.to_path_buf() });
        }
    }
    let mut files: Vec<(String, &[u8])> =
        DEFAULT_TEMPLATES.iter().map(|(name, text)| (format!("templates/{name}"), text.as_bytes())).collect();
    files.extend(DEFAULT_STATIC.iter().map(|(name, bytes)| (format!("static/{name}"), *bytes)));
    files.push(("site.yaml".into(), SITE_YAML.as_bytes()));
    files.push((EXAMPLE_ARTICLE.0.into(), EXAMPLE_ARTICLE.1.as_bytes()));
    files.push((
        ".gitignore".into(),
        b"/public/\n/.public.new/\n/.public.new.files\n/.public.old/\n/.public.files\n/.bantin-cache/\n",
    ));
    let mut written = Vec::with_capacity(files.len());
    for (path, text) in files {
        let target = dir.join(&path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).failed(Step::Creating, parent)?;
        }
        fs::write(&target, text).failed(Step::Writing, &target)?;
        written.push(PathBuf::from(path));
    }
    Ok(written)
}

/// What `bantin new` is asked for.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub root: PathBuf,
    pub title: String,
    /// A name, alias or id from the catalogue.
    pub organ: String,
    /// `31/8/2023` or `2023-08-31`; default today in the site's timezone.
    pub date: Option<String>,
    /// `2023-08`; default the month before the date.
    pub period: Option<String>,
    pub tags: Vec<String>,
    pub now: DateTime<Utc>,
}

/// Writes `content/YYYY/MM/<slug>.md` and returns its path. An unknown organ
/// is a content error; a bad date or an existing file is a usage error.
pub fn new_article(options: &NewArticle) -> anyhow::Result<Checked<PathBuf>> {
    let config = match read_config(&options.root)? {
        Ok(config) => config,
        Err(errors) => return Ok(Err(errors)),
    };
    let catalog = &config.catalog;
    let organ = match catalog.find_organ(&options.organ) {
        Some(i) => catalog.organs[i].name.clone(),
        None if catalog.open_organs => options.organ.trim().to_string(),
        None => {
            let suggestions = did_you_mean(&options.organ, catalog.organ_names(), 3);
            let problem = Problem::UnknownOrgan { name: options.organ.clone(), suggestions };
            return Ok(Err(Diagnostics(vec![Diagnostic::file("--organ", problem)])));
        }
    };
    let date = match &options.date {
        Some(text) => match parse_date(text) {
            Some((date, _)) => date,
            None => bail!(Failure::BadDateArgument { text: text.clone() }),
        },
        None => options.now.with_timezone(&config.timezone).date_naive(),
    };
    let period = match &options.period {
        Some(text) => parse_month(text).ok_or_else(|| Failure::BadPeriodArgument { text: text.clone() })?,
        None => add_months((date.year(), date.month()), -1),
    };
    let slug = short_slug(&options.title);
    if slug.is_empty() {
        bail!(Failure::EmptyFileName);
    }
    let relative = article_path(Some(date), &slug);
    let target = options.root.join(&relative);
    let text = new_front_matter(options, &organ, date, period, &config);
    write_new(&target, &text)?;
    Ok(Ok(shown(&options.root, &relative)))
}

/// `content/2023/08/<slug>.md`, or `content/<slug>.md` without a date.
pub fn article_path(date: Option<NaiveDate>, slug: &str) -> PathBuf {
    match date {
        Some(date) => PathBuf::from(format!("content/{:04}/{:02}/{slug}.md", date.year(), date.month())),
        None => PathBuf::from(format!("content/{slug}.md")),
    }
}

/// The path as a person typed the root: `content/…` for the current folder.
pub fn shown(root: &Path, relative: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_path_buf()
    } else {
        root.join(relative)
    }
}

/// Writes a new file, never replacing one.
pub fn write_new(target: &Path, text: impl AsRef<[u8]>) -> anyhow::Result<()> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).failed(Step::Creating, parent)?;
    }
    let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(target) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(Failure::AlreadyExists { path: target.to_path_buf() })
        }
        Err(error) => return Err(error).failed(Step::Creating, target),
    };
    file.write_all(text.as_ref()).failed(Step::Writing, target)
}

fn new_front_matter(
    options: &NewArticle,
    organ: &str,
    date: NaiveDate,
    period: (i32, u32),
    config: &Config,
) -> String {
    let tags: Vec<String> =
        options.tags.iter().map(|t| nfc(t.trim()).into_owned()).filter(|t| !t.is_empty()).collect();
    let fields = RawFrontMatter {
        title: Some(nfc(options.title.trim()).into_owned()),
        date: Some(date.to_string()),
        organ: Some(organ.to_string()),
        meeting: Some(RawMeeting {
            kind: Some("định kỳ".into()),
            extended: Some(false),
            period: Some(format!("{:04}-{:02}", period.0, period.1)),
            location: None,
        }),
        chair: Some(Vec::new()),
        attendees: Some(Vec::new()),
        authors: Some(Vec::new()),
        tags: Some(tags),
        draft: Some(true),
        indicators: Some(Vec::new()),
        ..RawFrontMatter::default()
    };
    let after = |text: &str| Around { after: text.to_string(), ..Around::default() };
    let absent = |line: &str| Around { absent: Some(line.to_string()), ..Around::default() };
    let mut out = front_matter(&fields, |key| match key {
        "date" => after(&format!("            # ngày họp; có thể thêm giờ: {date} 08:30")),
        "meeting.kind" => after("              # định kỳ | chuyên đề | bất thường"),
        "meeting.extended" => after("            # true: hội nghị mở rộng"),
        "meeting.period" => after("            # tháng được đánh giá"),
        "meeting.location" => absent("# location: Hội trường …"),
        "chair" => after("                    # người chủ trì: [Họ Tên]"),
        "attendees" => after("                # đại biểu dự"),
        "authors" => after("                  # người viết"),
        "source" => absent("# source: …                  # đơn vị đưa tin"),
        "summary" => absent("# summary: \"…\"               # tóm tắt; mặc định là đoạn đầu"),
        "image" => absent("# image: anh-dai-dien.jpg    # ảnh đại diện, đặt cạnh bài viết"),
        "draft" => after("                  # đổi thành false để đăng"),
        "indicators" => Around { below: indicator_hint(config), ..Around::default() },
        _ => Around::default(),
    });
    out.push_str("<!-- Viết nội dung bài ở đây. Đoạn đầu tiên là tóm tắt nếu không có `summary`. -->\n");
    out
}

/// The site's indicators and an example reading, as comments below `indicators: []`.
fn indicator_hint(config: &Config) -> Vec<String> {
    let indicators = &config.catalog.indicators;
    let Some(first) = indicators.first() else { return Vec::new() };
    let mut lines =
        vec!["# Số liệu báo cáo tại hội nghị (thay `indicators: []` ở trên). Mã chỉ tiêu trong site.yaml:"
            .to_string()];
    let width = indicators.iter().map(|i| i.id.chars().count()).max().unwrap_or(0);
    for indicator in indicators {
        lines.push(format!("#   {:width$}  {} ({})", indicator.id, indicator.label, indicator.unit));
    }
    let example = format!(
        "# Ví dụ:\n# indicators:\n#   - id: {}\n#     value: 351.05       # số thập phân viết bằng dấu chấm\n#     estimate: true      # \"ước đạt\"\n#     yoy: 19.2           # % tăng so với cùng kỳ (giảm: số âm)\n#     cumulative: 2530    # lũy kế từ đầu năm\n#     plan: 38.18         # % kế hoạch năm",
        first.id
    );
    lines.extend(example.lines().map(String::from));
    lines
}

/// What is written around one key of new front matter: whole lines (a
/// comment's `#` included), indented as the key is.
#[derive(Debug, Default)]
pub struct Around {
    /// Lines above the key, whether or not it has a value (notes for a person).
    pub above: Vec<String>,
    /// After the value on the key's line: spaces and a comment.
    pub after: String,
    /// The line in place of a key without a value (`date:`, `# image: …`);
    /// none: nothing is written.
    pub absent: Option<String>,
    /// Lines below the key and its value.
    pub below: Vec<String>,
}

/// The front matter of a new article (`new`, `import`, the editor's new
/// articles), `---` lines included: the keys of `fields` that have a value,
/// in the order `RawFrontMatter` declares them, nested ones (`meeting`, each
/// reading of `indicators`) indented, with what `around` puts around each,
/// asked by key: `date`, `meeting.location`, `indicators.0` (a reading).
pub fn front_matter(fields: &RawFrontMatter, around: impl Fn(&str) -> Around) -> String {
    let mut out = String::from("---\n");
    if let Ok(serde_yaml::Value::Mapping(keys)) = serde_yaml::to_value(fields) {
        write_keys(&mut out, &keys, "", "", &around);
    }
    out.push_str("---\n");
    out
}

fn write_keys(
    out: &mut String,
    keys: &serde_yaml::Mapping,
    at: &str,
    indent: &str,
    around: &dyn Fn(&str) -> Around,
) {
    use serde_yaml::Value;
    let lines = |out: &mut String, lines: &[String], indent: &str| {
        lines.iter().for_each(|line| out.push_str(&format!("{indent}{line}\n")));
    };
    for (key, value) in keys {
        let Some(key) = key.as_str() else { continue };
        let path = if at.is_empty() { key.to_string() } else { format!("{at}.{key}") };
        let Around { above, after, absent, below } = around(&path);
        lines(out, &above, indent);
        match value {
            Value::Null => lines(out, absent.as_slice(), indent),
            Value::Mapping(inner) => {
                out.push_str(&format!("{indent}{key}:{after}\n"));
                write_keys(out, inner, &path, &format!("{indent}  "), around);
            }
            Value::Sequence(items) if items.iter().any(Value::is_mapping) => {
                out.push_str(&format!("{indent}{key}:{after}\n"));
                let inner = format!("{indent}    ");
                for (i, item) in items.iter().enumerate() {
                    let Value::Mapping(item) = item else { continue };
                    let mut written = String::new();
                    write_keys(&mut written, item, &format!("{path}.{i}"), &inner, around);
                    out.push_str(&format!("{indent}  - {}", &written[inner.len()..]));
                    lines(out, &around(&format!("{path}.{i}")).below, &inner);
                }
            }
            Value::Sequence(items) => {
                let items: Vec<String> = items.iter().filter_map(|i| i.as_str().map(String::from)).collect();
                out.push_str(&format!("{indent}{key}: {}{after}\n", yaml_list(&items)));
            }
            Value::String(text) if key == "title" || key == "summary" => {
                out.push_str(&format!("{indent}{key}: {}{after}\n", yaml_quoted(text)));
            }
            Value::String(text) => out.push_str(&format!("{indent}{key}: {}{after}\n", yaml_value(text))),
            Value::Number(n) => {
                let n = n.as_f64().map_or_else(|| n.to_string(), |f| f.to_string());
                out.push_str(&format!("{indent}{key}: {n}{after}\n"));
            }
            Value::Bool(b) => out.push_str(&format!("{indent}{key}: {b}{after}\n")),
            Value::Tagged(_) => {}
        }
        lines(out, &below, indent);
    }
}

/// A date or a month (`2023-08-31 08:30`, `2023-08`) as it is, YAML reads
/// it back as the same string; other text as `yaml_scalar`.
fn yaml_value(text: &str) -> String {
    let date = text.starts_with(|c: char| c.is_ascii_digit())
        && text.contains('-')
        && text.chars().all(|c| c.is_ascii_digit() || "-: ".contains(c));
    if date {
        text.to_string()
    } else {
        yaml_scalar(text)
    }
}

/// A YAML scalar for `text`: plain when that reads back as the same string,
/// else double-quoted.
pub fn yaml_scalar(text: &str) -> String {
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"];
    let plain = text.chars().next().is_some_and(char::is_alphabetic)
        && !text.ends_with(' ')
        && text.chars().all(|c| c.is_alphanumeric() || " .-/()&".contains(c))
        && !text.contains("  ")
        && !reserved.contains(&text.to_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        yaml_quoted(text)
    }
}

/// A double-quoted YAML string.
pub fn yaml_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow sequence: `[Trịnh Xuân Thúy, "A, B"]`.
pub fn yaml_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| yaml_scalar(i)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_values_read_back_as_written() {
        for text in
            ["Ban Thường vụ Huyện ủy", "nông thôn mới", "A: B", "\"x\" \\ y", "true", "2023", "a, b", "#1"]
        {
            let yaml = format!("v: {}\nl: {}\n", yaml_scalar(text), yaml_list(&[text.to_string()]));
            let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(value["v"].as_str(), Some(text), "{yaml}");
            assert_eq!(value["l"][0].as_str(), Some(text), "{yaml}");
        }
        assert_eq!(yaml_scalar("Trịnh Xuân Thúy"), "Trịnh Xuân Thúy");
    }

    #[test]
    fn front_matter_follows_the_order_of_the_struct_and_reads_back_as_written() {
        use crate::content::front_matter::RawReading;
        let list = |items: &[&str]| Some(items.iter().map(|i| i.to_string()).collect::<Vec<_>>());
        let fields = RawFrontMatter {
            // NFD, as some editors save it: written as it is given.
            title: Some("Ho\u{0302}\u{0323}i nghị: \"tổng kết\" #1".into()),
            date: Some("2023-08-31 08:30".into()),
            organ: Some("Ban Thường vụ Huyện ủy".into()),
            meeting: Some(RawMeeting {
                kind: Some("chuyên đề".into()),
                extended: Some(true),
                period: Some("2023-08".into()),
                location: Some("Hội trường UBND xã Định Tân".into()),
            }),
            chair: list(&["Trịnh Xuân Thúy"]),
            attendees: list(&[]),
            authors: list(&["Đức Nguyên", "Lê Văn A, Lê Thị B"]),
            source: Some("TTVHTTTTDL".into()),
            published: Some("2023-09-01T07:00:00+07:00".into()),
            summary: Some("Tổng kết 6 tháng đầu năm: đạt 51,2% kế hoạch.".into()),
            tags: list(&["nông thôn mới", "true"]),
            image: Some("anh đại diện.jpg".into()),
            draft: Some(false),
            slug: Some("hoi-nghi-tong-ket".into()),
            indicators: Some(vec![RawReading {
                id: Some("thu-ngan-sach".into()),
                value: Some(351.05),
                unit: Some("tỷ đồng".into()),
                period: Some("2023-06".into()),
                estimate: Some(true),
                yoy: Some(-2.5),
                cumulative: Some(2530.0),
                plan: Some(38.18),
                area: Some("xa-dinh-tan".into()),
            }]),
            extra: None,
        };
        let text = front_matter(&fields, |_| Around::default());
        let yaml = text.strip_prefix("---\n").and_then(|t| t.strip_suffix("---\n")).unwrap();
        let read: RawFrontMatter = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(format!("{read:?}"), format!("{fields:?}"), "{text}");
        let written: Vec<&str> =
            yaml.lines().filter(|l| !l.starts_with(' ')).filter_map(|l| l.split(':').next()).collect();
        let order: Vec<&str> =
            crate::yaml::keys::<RawFrontMatter>().iter().copied().filter(|k| written.contains(k)).collect();
        assert_eq!(written, order, "{text}");
        assert_eq!(written.len(), 15, "every key with a value: {text}");
    }

    #[test]
    fn the_site_yaml_of_init_is_valid_and_lists_organs_and_indicators() {
        let file = crate::source::SourceFile::decode("site.yaml".into(), SITE_YAML.as_bytes().to_vec())
            .ok()
            .unwrap();
        let config = Config::parse(&file).unwrap_or_else(|e| panic!("{:?}", Diagnostics(e)));
        assert!(config.catalog.find_organ("BTV Huyện uỷ").is_some());
        assert!(!config.catalog.indicators.is_empty());
    }
}
