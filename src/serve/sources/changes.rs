//! What a change under content/ touches in the preview's cache: the
//! entries to read again, and the articles that published a file from a
//! changed place or name it in their text.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Entry, Sources, State};
use crate::content::{self, Article};
use crate::source::lexical;

impl Sources {
    /// Applies changes under content/; true when a file beside articles changed.
    pub(in crate::serve) fn refresh_content(&mut self, paths: &[PathBuf]) -> anyhow::Result<bool> {
        let mut dirty: HashSet<PathBuf> = HashSet::new();
        let mut assets_changed = false;
        for path in paths {
            let meta = std::fs::symlink_metadata(path);
            let is_article = |p: &Path| {
                p.extension().is_some_and(|e| e == "md")
                    && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
            };
            match meta {
                Err(_) => {
                    // Gone: the file, or a folder and everything under it.
                    self.files.retain(|e| !e.path.starts_with(path));
                    // Articles that published a file from there lose it; those
                    // that named it (broken by it, say) are resolved again.
                    let mut losing = self.publishing_from(path);
                    losing.extend(self.referencing(path));
                    assets_changed |= !losing.is_empty();
                    dirty.extend(losing);
                }
                Ok(meta) if meta.is_dir() => {
                    let found = content::discover(path)?;
                    let keep: HashSet<&PathBuf> = found.iter().collect();
                    self.files.retain(|e| !e.path.starts_with(path) || keep.contains(&e.path));
                    dirty.extend(found.iter().cloned());
                    // Files beside articles may have moved in or out with the folder.
                    for entry in walkdir::WalkDir::new(path).into_iter().flatten() {
                        if entry.file_type().is_file() && !is_article(entry.path()) {
                            let named = self.referencing(entry.path());
                            assets_changed |= !named.is_empty();
                            dirty.extend(named);
                        }
                    }
                }
                Ok(meta) if meta.is_file() && is_article(path) => {
                    dirty.insert(path.clone());
                }
                Ok(_) => {
                    // A symlink, or a file beside articles: re-resolve the
                    // articles that may reference it.
                    self.files.retain(|e| &e.path != path);
                    let mut named = self.referencing(path);
                    named.extend(self.publishing_from(path));
                    assets_changed |= !named.is_empty();
                    dirty.extend(named);
                }
            }
        }
        let mut touched = Vec::new();
        for path in dirty {
            match self.files.binary_search_by(|e| e.path.as_path().cmp(&path)) {
                Ok(i) => touched.push(i),
                Err(i) => {
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                        self.files.insert(i, Entry::new(path));
                        touched.iter_mut().filter(|t| **t >= i).for_each(|t| *t += 1);
                        touched.push(i);
                    }
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        self.update_entries(&touched)?;
        Ok(assets_changed)
    }

    /// Entries whose article publishes a file from under `path`.
    fn publishing_from(&self, path: &Path) -> Vec<PathBuf> {
        let from_there =
            |article: &Article| article.assets.iter().any(|a| lexical(&a.from).starts_with(path));
        self.files
            .iter()
            .filter(|e| matches!(&e.state, State::Good { article, .. } if from_there(article)))
            .map(|e| e.path.clone())
            .collect()
    }

    /// Entries whose text names the file (a superset of those referencing it).
    fn referencing(&self, path: &Path) -> Vec<PathBuf> {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return Vec::new();
        };
        self.files.iter().filter(|e| e.text.contains(&name)).map(|e| e.path.clone()).collect()
    }
}
