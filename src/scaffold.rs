//! `bantin init` (a new site that builds at once) and `bantin new` (an
//! article with complete front matter), and writing YAML values safely.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

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
    files.push((".gitignore".into(), b"/public/\n/.public.new/\n/.public.old/\n/.public.files\n"));
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
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", yaml_quoted(&nfc(options.title.trim()))));
    out.push_str(&format!("date: {}            # ngày họp; có thể thêm giờ: {} 08:30\n", date, date));
    out.push_str(&format!("organ: {}\n", yaml_scalar(organ)));
    out.push_str("meeting:\n");
    out.push_str("  kind: định kỳ              # định kỳ | chuyên đề | bất thường\n");
    out.push_str("  extended: false            # true: hội nghị mở rộng\n");
    out.push_str(&format!("  period: {:04}-{:02}            # tháng được đánh giá\n", period.0, period.1));
    out.push_str("  # location: Hội trường …\n");
    out.push_str("chair: []                    # người chủ trì: [Họ Tên]\n");
    out.push_str("attendees: []                # đại biểu dự\n");
    out.push_str("authors: []                  # người viết\n");
    out.push_str("# source: …                  # đơn vị đưa tin\n");
    out.push_str("# summary: \"…\"               # tóm tắt; mặc định là đoạn đầu\n");
    out.push_str(&format!("tags: {}\n", yaml_list(&tags)));
    out.push_str("# image: anh-dai-dien.jpg    # ảnh đại diện, đặt cạnh bài viết\n");
    out.push_str("draft: true                  # đổi thành false để đăng\n");
    out.push_str("indicators: []\n");
    let indicators = &config.catalog.indicators;
    if !indicators.is_empty() {
        out.push_str(
            "# Số liệu báo cáo tại hội nghị (thay `indicators: []` ở trên). Mã chỉ tiêu trong site.yaml:\n",
        );
        let width = indicators.iter().map(|i| i.id.chars().count()).max().unwrap_or(0);
        for indicator in indicators {
            out.push_str(&format!("#   {:width$}  {} ({})\n", indicator.id, indicator.label, indicator.unit));
        }
        let first = &indicators[0].id;
        out.push_str(&format!(
            "# Ví dụ:\n# indicators:\n#   - id: {first}\n#     value: 351.05       # số thập phân viết bằng dấu chấm\n#     estimate: true      # \"ước đạt\"\n#     yoy: 19.2           # % tăng so với cùng kỳ (giảm: số âm)\n#     cumulative: 2530    # lũy kế từ đầu năm\n#     plan: 38.18         # % kế hoạch năm\n"
        ));
    }
    out.push_str("---\n");
    out.push_str("<!-- Viết nội dung bài ở đây. Đoạn đầu tiên là tóm tắt nếu không có `summary`. -->\n");
    out
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
    fn the_site_yaml_of_init_is_valid_and_lists_organs_and_indicators() {
        let file = crate::source::SourceFile::decode("site.yaml".into(), SITE_YAML.as_bytes().to_vec())
            .ok()
            .unwrap();
        let config = Config::parse(&file).unwrap_or_else(|e| panic!("{:?}", Diagnostics(e)));
        assert!(config.catalog.find_organ("BTV Huyện uỷ").is_some());
        assert!(!config.catalog.indicators.is_empty());
    }
}
