//! Images beside articles: sized, resized for srcset, captioned, cached.

use crate::harness::TestSite;

/// A site whose August article shows a real 1600×900 JPEG beside it.
fn site_with_photo() -> TestSite {
    let site = TestSite::from_fixture("valid/basic");
    let photo =
        image::RgbImage::from_fn(1600, 900, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    photo.save(site.root.join("content/2023/08/hoi-truong.jpg")).unwrap();
    let article = site.root.join("content/2023/08/hoi-nghi-btv-thang-8.md");
    let text = std::fs::read_to_string(&article).unwrap();
    site.write(
        "content/2023/08/hoi-nghi-btv-thang-8.md",
        text + "\n![Quang cảnh hội trường Huyện ủy.](hoi-truong.jpg)\n",
    );
    site
}

#[test]
fn photos_get_resized_copies_a_srcset_their_size_and_a_caption() {
    let site = site_with_photo();
    site.build(&[]);
    let page = site.page("/2023/08/hoi-nghi-btv-thang-8/");
    assert!(page.contains("<figure><img src=\"hoi-truong.jpg\" alt=\"Quang cảnh hội trường Huyện ủy.\" width=\"1600\" height=\"900\" srcset=\"hoi-truong-480w.jpg 480w, hoi-truong-960w.jpg 960w, hoi-truong-1440w.jpg 1440w, hoi-truong.jpg 1600w\""), "{page}");
    assert!(page.contains("loading=\"lazy\""), "below the first image, images load lazily");
    assert!(page.contains("<figcaption>Quang cảnh hội trường Huyện ủy.</figcaption>"));
    for width in [480, 960, 1440] {
        let copy = site.root.join(format!("public/2023/08/hoi-nghi-btv-thang-8/hoi-truong-{width}w.jpg"));
        let (w, h) = image::image_dimensions(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        assert_eq!((w, h), (width, width * 9 / 16));
    }
}

#[test]
fn a_cached_copy_cut_short_is_made_again_not_published() {
    let site = site_with_photo();
    site.build(&[]);
    let cache = site.root.join(".bantin-cache/images");
    let entries: Vec<std::path::PathBuf> =
        std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 3, "one cached copy per width");
    let whole: Vec<u64> = entries.iter().map(|p| std::fs::metadata(p).unwrap().len()).collect();
    for entry in &entries {
        let bytes = std::fs::read(entry).unwrap();
        std::fs::write(entry, &bytes[..bytes.len() / 2]).unwrap();
    }
    let build = site.build(&[]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    for width in [480, 960, 1440] {
        let copy = site.root.join(format!("public/2023/08/hoi-nghi-btv-thang-8/hoi-truong-{width}w.jpg"));
        let decoded = image::open(&copy).unwrap_or_else(|e| panic!("{}: {e}", copy.display()));
        assert_eq!((decoded.width(), decoded.height()), (width, width * 9 / 16));
    }
    let now: Vec<u64> = entries.iter().map(|p| std::fs::metadata(p).unwrap().len()).collect();
    assert_eq!(now, whole, "the cut entries were written again whole");
}

#[test]
fn an_unchanged_photo_is_not_encoded_again() {
    let site = site_with_photo();
    site.build(&[]);
    let cache = site.root.join(".bantin-cache/images");
    let stamps = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut all: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.path(), e.metadata().unwrap().modified().unwrap()))
            .collect();
        all.sort();
        all
    };
    let before = stamps(&cache);
    assert_eq!(before.len(), 3, "one cached copy per width");
    site.build(&[]);
    assert_eq!(stamps(&cache), before, "the cache was used, not rewritten");
    assert!(site.exists("/2023/08/hoi-nghi-btv-thang-8/hoi-truong-960w.jpg"));
}
