//! The quick way for edits that leave every edited article where it was:
//! their pages rendered from the last site with them put in, before (or
//! instead of) the rebuild.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use super::{Engine, Outcome};
use crate::render::{self, Renderer};
use crate::serve::published::publish_changed;

/// What `Engine::edits_in_place` did.
pub(super) enum InPlace {
    /// It does not apply; nothing has changed.
    No,
    /// Only bodies changed: their pages are all the rebuild there is.
    Bodies(Outcome),
    /// The edited articles' pages are published; the rest is to be rebuilt.
    Placed,
}

impl Engine {
    /// The quick way for the commonest edits, of articles that stay where
    /// they were: if every changed file is a published article of the last
    /// good site placed as it was (`Article::placement`), the site with the
    /// new articles put in is the one the rebuild will assemble (the same
    /// indexes and figures), so their own pages are rendered from it and
    /// published at once. If nothing but their bodies changed
    /// (`same_but_body`), every other page is as it was (listings show cards,
    /// `Views::article` without content) and that is all (`Bodies`); else
    /// the rebuild is to follow, from the sources as they now are (`Placed`).
    pub(super) fn edits_in_place(
        &mut self,
        paths: &[PathBuf],
        now: DateTime<FixedOffset>,
        early: &mut dyn FnMut(&[String]),
    ) -> anyhow::Result<InPlace> {
        let (Some((site, positions)), true, false) =
            (&self.site, self.sources.templates.is_some(), self.failing)
        else {
            return Ok(InPlace::No);
        };
        let mut edits = Vec::with_capacity(paths.len());
        for path in paths {
            match self.sources.edited_article(site, positions, path, now) {
                Some(edit) if edit.article.placement() == site.articles[edit.position].placement() => {
                    edits.push(edit)
                }
                _ => return Ok(InPlace::No),
            }
        }
        let bodies = edits.iter().all(|edit| edit.body_only);
        // The last site is kept as it was for the rebuild to compare with,
        // unless that is all (then changed in place: a copy holds the warnings).
        let mut copy = (!bodies).then(|| site.clone());
        let (last, _) = self.site.as_mut().expect("matched above");
        let site = copy.as_mut().unwrap_or(last);
        let mut due = Vec::with_capacity(edits.len());
        for edit in edits {
            due.push(render::Page {
                url: edit.article.url.clone(),
                kind: render::PageKind::Article(edit.position),
            });
            site.articles[edit.position] = Arc::clone(&edit.article);
            self.sources.touched.push(self.sources.files[edit.entry].path.clone());
            self.sources.apply(edit);
        }
        // Not what a fingerprint would say: rendered again at the next full rebuild.
        due.iter().for_each(|page| {
            self.fingerprints.remove(&page.url);
        });
        let templates = self.sources.templates.as_ref().expect("checked above");
        let rendered = match Renderer::new(site, templates).remembering(&self.memo).render_all(&due) {
            Ok(rendered) => rendered,
            Err(errors) => return Ok(InPlace::Bodies(self.fail(errors))),
        };
        self.generation += 1;
        let mut outcome = Outcome { rendered: rendered.len(), rebuilt: true, ..Outcome::default() };
        let mut published = self.published.write().expect("the engine never panics holding the lock");
        publish_changed(
            &mut published,
            rendered,
            (self.generation, self.settings.live_reload),
            &mut outcome.changed,
        );
        drop(published);
        if bodies {
            return Ok(InPlace::Bodies(outcome));
        }
        if !outcome.changed.is_empty() {
            early(&outcome.changed);
        }
        Ok(InPlace::Placed)
    }
}
