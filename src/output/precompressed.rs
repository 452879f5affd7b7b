//! Compressed copies of the site's text files, written beside them
//! (`index.html.gz`, `index.html.br`) so that a web server sends them as
//! they are (nginx `gzip_static` and `brotli_static`) instead of
//! compressing every answer again.

use std::io::Write;

/// Files worth compressing: text, by extension.
const TEXT: [&str; 7] = ["html", "css", "js", "json", "xml", "csv", "svg"];

/// Below this size a compressed copy saves less than a network packet.
const SMALLEST: usize = 1024;

/// Brotli's window, as a power of two: 1 KiB (the format's least) to 256 KiB.
const MIN_WINDOW: u32 = 10;
const MAX_WINDOW: u32 = 18;

/// Whether a file of the site gets compressed copies.
pub fn wanted(relative: &str, bytes: &[u8]) -> bool {
    let name = relative.rsplit('/').next().unwrap_or_default();
    let extension = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()).map_or("", |(_, e)| e);
    bytes.len() >= SMALLEST && TEXT.iter().any(|text| extension.eq_ignore_ascii_case(text))
}

#[derive(Debug, Clone, Copy)]
pub enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The copy's path: the file's with `.gz` or `.br` added.
    pub fn path_of(self, relative: &str) -> String {
        format!("{relative}{}", self.suffix())
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    /// The compressed bytes, at levels a first build can afford (gzip 6,
    /// Brotli 4 with a window of the file's size, at most 256 KiB): a first build of 10,000 articles
    /// compresses ~24,500 files (pages and search index). Brotli 5 was a
    /// quarter of that build's CPU time (zeroing a 1 MiB match table per
    /// file, then searching it) for copies 7 % smaller than Brotli 4's;
    /// gzip 9 with Brotli 9 made it 33 s → 188 s (docs/PERFORMANCE.md).
    pub fn compress(self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                encoder
                    .write_all(bytes)
                    .and_then(|()| encoder.finish().map(drop))
                    .expect("writing to memory");
            }
            Encoding::Brotli => {
                // A window no larger than the file: the encoder zeroes a ring buffer of
                // the window's size for every file, and most pages are 16–64 KiB.
                let fits = usize::BITS - bytes.len().saturating_sub(1).leading_zeros();
                let lgwin = fits.clamp(MIN_WINDOW, MAX_WINDOW) as i32;
                let params = brotli::enc::BrotliEncoderParams { quality: 4, lgwin, ..Default::default() };
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_files_are_compressed_both_ways_and_decompress_to_the_same_bytes() {
        let page = "<p>Hội nghị Ban Thường vụ Huyện ủy tháng 8/2023.</p>\n".repeat(100);
        let path = "2023/08/hoi-nghi/index.html";
        assert!(wanted(path, page.as_bytes()));
        assert_eq!(Encoding::Gzip.path_of(path), "2023/08/hoi-nghi/index.html.gz");
        assert_eq!(Encoding::Brotli.path_of(path), "2023/08/hoi-nghi/index.html.br");

        let mut unzipped = String::new();
        let gz = Encoding::Gzip.compress(page.as_bytes());
        flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut unzipped).unwrap();
        assert_eq!(unzipped, page);
        let br = Encoding::Brotli.compress(page.as_bytes());
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, page.as_bytes());
        assert!(br.len() < page.len() / 10 && gz.len() < page.len() / 10);
    }

    #[test]
    fn brotli_copies_of_every_size_decompress_to_the_same_bytes() {
        // Around the window's limits: the least window, a page, one past 256 KiB.
        let line = "Thu ngân sách 9 tháng đầu năm đạt 351,05 tỷ đồng, tăng 12,4% so với cùng kỳ.\n";
        for repeats in [12, 400, 3_400] {
            let text = line.repeat(repeats);
            let br = Encoding::Brotli.compress(text.as_bytes());
            let mut back = Vec::new();
            brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
            assert_eq!(back, text.as_bytes(), "{} bytes", text.len());
        }
    }

    #[test]
    fn images_and_small_files_get_no_copies() {
        let big = vec![b'a'; 4096];
        assert!(!wanted("2023/08/x/anh.png", &big));
        assert!(!wanted("robots.txt", &big));
        assert!(!wanted("tim-kiem/chi-muc/a.json", b"{}"));
        assert!(wanted("STYLE.CSS", &big));
        // As `Path::extension`: a name that only starts with a dot has none.
        assert!(!wanted("2023/.html", &big) && !wanted("html.d/x", &big));
    }
}
