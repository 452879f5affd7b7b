//! The live preview: the article's page for the text the form would save,
//! rendered as `build` renders it, nothing written.

use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::form::{self, Fields};
use super::judging::judge;
use super::Editor;
use crate::content::front_matter;
use crate::content::markdown::Markdown;
use crate::diagnostics::{Diagnostics, Problem};
use crate::failure::{Failing, Step};
use crate::pipeline;
use crate::source::SourceFile;

/// POST `/_soan/<path>?xem-truoc`: the article's page for the text the form
/// would save, rendered as `build` renders it: the site as on disk with this
/// article's text replaced, the site's own templates, nothing written. Its
/// problems instead (422, plain text) when it has errors.
pub(super) fn preview(
    editor: &Editor,
    file: &Path,
    submitted: &Fields,
    wrong: &[(String, Problem)],
) -> anyhow::Result<Response> {
    let unprocessable = |text: String| (StatusCode::UNPROCESSABLE_ENTITY, text).into_response();
    if !wrong.is_empty() {
        let shown = Path::new(file.file_name().unwrap_or_default());
        let problems = wrong.iter().map(|(_, p)| crate::diagnostics::Diagnostic::file(shown, p.clone()));
        return Ok(unprocessable(Diagnostics(problems.collect()).render(&editor.messages)));
    }
    let bytes = std::fs::read(file).failed(Step::Reading, file)?;
    let judged = judge(&editor.root, file, bytes, None, editor.drafts);
    let Some(old) = &judged.form else {
        return Ok(unprocessable(judged.problems.render(&editor.messages)));
    };
    let text = form::rewrite(&judged.file.text, old, submitted);
    let options = pipeline::BuildOptions {
        root: editor.root.clone(),
        output: editor.root.join(crate::pipeline::DEFAULT_OUTPUT),
        drafts: editor.drafts,
        base_url: None,
        now: chrono::Local::now().fixed_offset(),
    };
    let site = match pipeline::load(&options)? {
        Ok(site) => site,
        Err(problems) => return Ok(unprocessable(problems.render(&editor.messages))),
    };
    let config = Arc::clone(&site.config);
    let source = judged.file.path.clone();
    let file = SourceFile::decode(source.clone(), text.into_bytes()).expect("the form's text is UTF-8");
    let markdown = Markdown::new(config.glossary.clone(), config.base_path());
    let article = match front_matter::parse(&file) {
        Err(problems) => Err(problems),
        Ok((parsed, problems)) => {
            let folder = editor.root.join(&source);
            let folder = folder.parent().unwrap_or(&editor.root);
            match crate::content::article::resolve(&file, folder, &parsed, &config, &markdown) {
                Ok(article) if problems.is_empty() => Ok(article),
                Ok(_) => Err(problems),
                Err(more) => Err(problems.into_iter().chain(more).collect()),
            }
        }
    };
    let article = match article {
        Ok(article) => Arc::new(article),
        Err(problems) => return Ok(unprocessable(Diagnostics(problems).render(&editor.messages))),
    };
    // In the place of the file on disk, in the order of the files, as a build reads them.
    let mut articles: Vec<_> = site.articles.iter().filter(|a| a.source != source).cloned().collect();
    let at = articles.partition_point(|a| a.source < source);
    articles.insert(at, Arc::clone(&article));
    let site = crate::assemble::Site::assemble(config, articles);
    let templates =
        match crate::render::templates::load(&editor.root.join("templates"), &site.config.base_url)? {
            Ok(templates) => templates,
            Err(problem) => return Ok(unprocessable(problem.render(&editor.messages))),
        };
    let pages = crate::render::plan(&site);
    let page = pages.iter().find(|p| p.url == article.url).expect("every article has its page");
    Ok(match crate::render::Renderer::new(&site, &templates).render(page) {
        Ok(rendered) => Html(rendered.body).into_response(),
        Err(problem) => unprocessable(problem.render(&editor.messages)),
    })
}
