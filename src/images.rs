//! Images beside articles: their size (so pages reserve the space) and
//! resized copies for `srcset`, cached between builds by content hash so an
//! unchanged image is not encoded again.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::output::content_hash;

/// Widths of the resized copies; only those narrower than the original are made.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
/// JPEG quality of the copies: small files, no visible loss on a phone.
const JPEG_QUALITY: u8 = 80;

/// Raster images bantin resizes; others (SVG, GIF, PDF…) are published as they are.
pub fn is_resizable(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|ext| lower.ends_with(ext))
}

/// Width and height from the file's header, without decoding it.
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    image::ImageReader::open(path).ok()?.with_guessed_format().ok()?.into_dimensions().ok()
}

/// The widths of the copies of an image `width` pixels wide.
pub fn variant_widths(width: u32) -> impl Iterator<Item = u32> {
    WIDTHS.into_iter().filter(move |w| *w < width)
}

/// `anh/dai-bieu.jpg`, 480 → `anh/dai-bieu-480w.jpg`.
pub fn variant_path(published: &str, width: u32) -> String {
    match published.rfind('.') {
        Some(dot) if !published[dot..].contains('/') => {
            format!("{}-{width}w{}", &published[..dot], &published[dot..])
        }
        _ => format!("{published}-{width}w"),
    }
}

/// The resized copies of one image: (width, encoded bytes).
pub type Copies = Vec<(u32, Vec<u8>)>;

/// Resized copies kept in a folder, named by the original's content hash.
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The copies of `from` (as (width, bytes)), from the cache or made now.
    pub fn variants(&self, from: &Path) -> anyhow::Result<Copies> {
        let bytes = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
        let hash = content_hash(&bytes);
        let extension = from.extension().map_or("img".into(), |e| e.to_string_lossy().to_ascii_lowercase());
        let mut decoded = None;
        let mut copies = Vec::new();
        let Some((width, _)) = dimensions(from) else { return Ok(copies) };
        for target in variant_widths(width) {
            let cached = self.dir.join(format!("{hash:016x}-{target}.{extension}"));
            if let Ok(bytes) = std::fs::read(&cached) {
                copies.push((target, bytes));
                continue;
            }
            let original = match &decoded {
                Some(image) => image,
                None => decoded.insert(
                    image::load_from_memory(&bytes)
                        .with_context(|| format!("decoding {}", from.display()))?,
                ),
            };
            let resized = original.resize(target, u32::MAX, image::imageops::FilterType::Triangle);
            let mut out = Cursor::new(Vec::new());
            if matches!(extension.as_str(), "jpg" | "jpeg") {
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
                resized.to_rgb8().write_with_encoder(encoder)?;
            } else {
                resized.write_to(&mut out, image::ImageFormat::Png)?;
            }
            let out = out.into_inner();
            std::fs::create_dir_all(&self.dir).with_context(|| format!("creating {}", self.dir.display()))?;
            std::fs::write(&cached, &out).with_context(|| format!("writing {}", cached.display()))?;
            copies.push((target, out));
        }
        Ok(copies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_keep_the_extension_and_folder() {
        assert_eq!(variant_path("dai-bieu.jpg", 480), "dai-bieu-480w.jpg");
        assert_eq!(variant_path("anh/hoi.nghi/x.png", 960), "anh/hoi.nghi/x-960w.png");
        assert_eq!(variant_widths(1000).collect::<Vec<_>>(), [480, 960]);
        assert!(is_resizable("A.JPG") && !is_resizable("bao-cao.pdf"));
    }
}
