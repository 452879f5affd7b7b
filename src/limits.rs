//! The limits content must keep, in one place that both the stages that
//! enforce them (`content`, `images`, `yaml`) and the messages that state
//! them (`diagnostics`) read.

/// Years a meeting, its publication or a figure's period may fall in: outside them a date is a
/// typo (0203, 20233), and years of other than four digits make URLs and
/// feed times that readers and feed readers do not understand.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// File types that may be published beside an article (docs/DECISIONS.md,
/// "Attachments"): pictures, documents, spreadsheets, archives, sound and
/// video. Not web pages or SVG drawings, which could run scripts on the site.
pub const ATTACHMENTS: [&str; 27] = [
    "jpg", "jpeg", "png", "gif", "webp", "avif", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt",
    "ods", "odp", "rtf", "txt", "csv", "zip", "rar", "7z", "mp3", "m4a", "wav", "mp4", "webm",
];

/// The widest and tallest image bantin reads: more than any camera makes
/// (a 100-megapixel photo is 11648 pixels wide).
pub const MAX_SIDE: u32 = 12_000;
/// The most memory decoding one image may take, the decoded pixels included:
/// a 12000×11000 RGB photo fits.
pub const MAX_DECODED: u64 = 512 * 1024 * 1024;

/// Numbers this large are typing mistakes (no figure of a local budget is a
/// thousand trillion) and lose their units digits as `f64`.
pub const LARGEST_NUMBER: f64 = 1e15;
