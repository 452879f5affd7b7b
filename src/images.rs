//! Images beside articles: their size (so pages reserve the space) and
//! resized copies for `srcset`, cached between builds by content hash so an
//! unchanged image is not encoded again. Images are read within limits, so a
//! damaged file or one whose header claims a huge size is a content problem,
//! not a crash or gigabytes of memory.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::diagnostics::Fault;
use crate::digest::content_hash;
use crate::failure::{Failing, Step};
use crate::limits::{MAX_DECODED, MAX_SIDE};

/// Widths of the resized copies; only those narrower than the original are made.
pub const WIDTHS: [u32; 3] = [480, 960, 1440];
/// JPEG quality of the copies: small files, no visible loss on a phone.
const JPEG_QUALITY: u8 = 80;

fn unreadable(error: impl std::fmt::Display) -> Fault {
    Fault::Unreadable { message: error.to_string() }
}

/// Raster images bantin resizes; others (SVG, GIF, PDF…) are published as they are.
pub fn is_resizable(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|ext| lower.ends_with(ext))
}

/// Width and height from the file's header, without decoding it, checked
/// against the limits: what decoding will take is known from the header.
pub fn inspect(path: &Path) -> Result<(u32, u32), Fault> {
    header(image::ImageReader::open(path).map_err(unreadable)?)
}

fn header<R: std::io::BufRead + std::io::Seek>(reader: image::ImageReader<R>) -> Result<(u32, u32), Fault> {
    let decoder = reader.with_guessed_format().map_err(unreadable)?.into_decoder().map_err(unreadable)?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    if width.max(height) > MAX_SIDE || image::ImageDecoder::total_bytes(&decoder) > MAX_DECODED {
        return Err(Fault::TooLarge { width, height });
    }
    Ok((width, height))
}

/// Width and height from the file's header, when it can be read.
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    inspect(path).ok()
}

/// The whole image decoded, within the limits.
fn decode(bytes: &[u8]) -> Result<image::DynamicImage, Fault> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(unreadable)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED);
    reader.limits(limits);
    reader.decode().map_err(unreadable)
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

/// `/x/anh-480w.jpg` → (`/x/anh.jpg`, 480): a resized copy a build writes for `srcset`.
pub fn resized_copy(path: &str) -> Option<(String, u32)> {
    let (stem, extension) = path.rsplit_once('.')?;
    let (base, width) = stem.rsplit_once('-')?;
    let width: u32 = width.strip_suffix('w')?.parse().ok()?;
    let original = format!("{base}.{extension}");
    let known = WIDTHS.contains(&width) && is_resizable(&original);
    (known && variant_path(&original, width) == path).then_some((original, width))
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

    /// The copies of `from` (as (width, bytes)), from the cache or made now;
    /// the fault when it has to be decoded and cannot be.
    pub fn variants(&self, from: &Path) -> anyhow::Result<Result<Copies, Fault>> {
        let Some(original) = self.original(from)? else { return Ok(Ok(Vec::new())) };
        let mut decoded = None;
        let mut copies = Vec::new();
        for target in variant_widths(original.width) {
            let cached = self.copy_path(&original, target);
            if let Some(bytes) = whole(&cached) {
                copies.push((target, bytes));
                continue;
            }
            let image = match &decoded {
                Some(image) => image,
                None => match decode(&original.bytes) {
                    Ok(image) => decoded.insert(image),
                    Err(fault) => return Ok(Err(fault)),
                },
            };
            let resized = image.resize(target, u32::MAX, image::imageops::FilterType::Triangle);
            let mut out = Cursor::new(Vec::new());
            if matches!(original.extension.as_str(), "jpg" | "jpeg") {
                let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
                resized.to_rgb8().write_with_encoder(encoder)?;
            } else {
                resized.write_to(&mut out, image::ImageFormat::Png)?;
            }
            let out = out.into_inner();
            std::fs::create_dir_all(&self.dir).failed(Step::Creating, &self.dir)?;
            // Written aside and renamed, with its hash last (`whole`): a torn
            // write must never become a cache hit.
            let fresh = cached.with_extension(format!("{}.part", std::process::id()));
            let sealed = [out.as_slice(), &content_hash(&out).to_le_bytes()].concat();
            std::fs::write(&fresh, sealed).failed(Step::Writing, &fresh)?;
            std::fs::rename(&fresh, &cached).failed(Step::Writing, &cached)?;
            copies.push((target, out));
        }
        Ok(Ok(copies))
    }

    /// What `variants` would find wrong with `from`, without writing
    /// anything: copies in the cache were made from these very bytes, so
    /// only an image without them is decoded.
    pub fn fault(&self, from: &Path) -> anyhow::Result<Option<Fault>> {
        let Some(original) = self.original(from)? else { return Ok(None) };
        let cached = variant_widths(original.width).all(|w| whole(&self.copy_path(&original, w)).is_some());
        Ok(if cached { None } else { decode(&original.bytes).err() })
    }

    /// The image's bytes and what names its copies; None when it has no
    /// header bantin reads (its reference was refused then).
    fn original(&self, from: &Path) -> anyhow::Result<Option<Original>> {
        let bytes = std::fs::read(from).failed(Step::Reading, from)?;
        let Ok((width, _)) = header(image::ImageReader::new(Cursor::new(&bytes))) else { return Ok(None) };
        let extension = from.extension().map_or("img".into(), |e| e.to_string_lossy().to_ascii_lowercase());
        Ok(Some(Original { hash: content_hash(&bytes), bytes, width, extension }))
    }

    fn copy_path(&self, original: &Original, width: u32) -> PathBuf {
        self.dir.join(format!("{:016x}-{width}.{}", original.hash, original.extension))
    }
}

/// A copy in the cache, if it is whole: its last eight bytes are the
/// content hash of the others, so a file cut short (a crash, a full disk,
/// another program) is made again, never published.
fn whole(cached: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(cached).ok()?;
    let end = bytes.len().checked_sub(8)?;
    let sum = u64::from_le_bytes(bytes[end..].try_into().ok()?);
    bytes.truncate(end);
    (content_hash(&bytes) == sum).then_some(bytes)
}

/// An image read to make its copies.
struct Original {
    bytes: Vec<u8>,
    hash: u64,
    width: u32,
    extension: String,
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
