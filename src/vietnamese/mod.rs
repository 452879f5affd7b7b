//! Vietnamese text: normalization, tone-mark placement, slugs, collation,
//! and the Vietnamese way of writing numbers and dates.

pub mod collate;
pub mod date;
pub mod normalize;
pub mod number;
#[cfg(test)]
mod properties;
pub mod slug;

pub use collate::Collation;
pub use normalize::{name_key, nfc};
pub use slug::slugify;
