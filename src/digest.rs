//! The content hash of what is kept between builds: the list of files a
//! build wrote (`output`) and the names of resized images in the cache
//! (`images`).

/// FNV-1a, 64 bits: a content hash that stays the same from one build (and
/// one Rust release) to the next, for what is kept between builds: the list
/// of written files and the resized images' cache names. Not for security.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
