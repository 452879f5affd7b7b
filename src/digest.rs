//! The content hash of what is kept between builds: the list of files a
//! build wrote (`output`) and the names of resized images in the cache
//! (`images`).

/// XXH3, 64 bits: a content hash that stays the same from one build (and
/// one Rust release) to the next, for what is kept between builds: the list
/// of written files, the pages' hashes, the resized images' cache names.
/// Fast enough to hash every page a build writes or the preview takes
/// (hundreds of megabytes at 10,000 articles). Not for security.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
