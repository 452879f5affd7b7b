//! Criterion micro-benchmarks of the build's stages on a generated corpus:
//! front-matter parse, Markdown render, index build, search index, template
//! render, write, and the whole build. `cargo bench` (or `cargo bench -- markdown`).
//!
//! The corpus comes from ../shared/bench/gen_corpus.py (seed 1), generated
//! once into target/bench/; BANTIN_BENCH_ARTICLES sets its size (default 300).
//! The full comparison with Hugo is `bench/run`.

use std::path::{Path, PathBuf};
use std::process::Command;

use bantin::assemble::Site;
use bantin::content::front_matter;
use bantin::content::markdown::Markdown;
use bantin::index::Index;
use bantin::output::{page_file, Stage, Target};
use bantin::pipeline::{self, BuildOptions};
use bantin::render::{self, templates, Renderer};
use bantin::source::SourceFile;
use bantin::vietnamese::Collation;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

/// The generated site, made once per size.
fn corpus() -> PathBuf {
    let articles: usize =
        std::env::var("BANTIN_BENCH_ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join(format!("target/bench/criterion-{articles}-s1"));
    if !root.join(".complete").exists() {
        let script = manifest.join("../shared/bench/gen_corpus.py");
        let _ = std::fs::remove_dir_all(&root);
        let status = Command::new("python3")
            .arg(&script)
            .arg(&root)
            .args(["-n", &articles.to_string(), "--seed", "1"])
            .status()
            .unwrap_or_else(|e| panic!("running {}: {e}", script.display()));
        assert!(status.success(), "{} failed", script.display());
        std::fs::write(root.join(".complete"), "").unwrap();
    }
    root
}

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join("../criterion-out"),
        drafts: false,
        base_url: None,
        now: chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00+07:00").unwrap(),
    }
}

fn loaded(root: &Path) -> Site {
    pipeline::load(&options(root)).unwrap().unwrap_or_else(|errors| panic!("corpus has errors: {errors:?}"))
}

fn sources(root: &Path) -> Vec<SourceFile> {
    let paths = bantin::content::discover(&root.join("content")).unwrap();
    paths.iter().map(|path| SourceFile::read(root, path).unwrap().unwrap()).collect()
}

fn stages(c: &mut Criterion) {
    let root = corpus();
    let files = sources(&root);
    let site = loaded(&root);
    let n = files.len() as u64;

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n));

    group.bench_function("front_matter_parse", |b| {
        b.iter(|| files.iter().map(|f| front_matter::parse(f).is_ok() as usize).sum::<usize>())
    });

    let bodies: Vec<String> = files.iter().map(|f| front_matter::parse(f).ok().unwrap().0.body).collect();
    let markdown = Markdown::new(site.config.glossary.clone(), site.config.base_path());
    group.bench_function("markdown_render", |b| {
        b.iter(|| bodies.iter().map(|body| markdown.render(body, &|_| None).html.len()).sum::<usize>())
    });

    group.bench_function("load", |b| b.iter(|| loaded(&root).articles.len()));

    let collation = Collation::vietnamese();
    let organs = &site.config.catalog.organs;
    let places: Vec<_> = site.articles.iter().map(|a| a.placement()).collect();
    group.bench_function("index_build", |b| {
        b.iter(|| Index::build(&places, |i| organs[i].name.as_str(), &collation, None).latest.len())
    });

    group.bench_function("search_index", |b| b.iter(|| render::search::files(&site, &|| {}, None).len()));

    let templates = templates::load(&root.join("templates"), &site.config.base_url).unwrap().unwrap();
    let pages = render::plan(&site);
    group.throughput(Throughput::Elements(pages.len() as u64));
    // A renderer per build, as `build` makes: it renders each listing card once.
    group.bench_function("template_render", |b| {
        b.iter(|| Renderer::new(&site, &templates).render_all(&pages).ok().unwrap().len())
    });

    let rendered = Renderer::new(&site, &templates).render_all(&pages).ok().unwrap();
    let target = Target::claim(&root, Path::new("../criterion-out"), &[], true).unwrap();
    group.bench_function("write", |b| {
        b.iter_batched(
            || rendered.iter().map(|p| (page_file(&p.url), p.body.as_slice())).collect::<Vec<_>>(),
            |files| {
                let stage = Stage::new(&target).unwrap();
                stage.write_all(&files).unwrap();
                stage.publish().unwrap();
            },
            BatchSize::PerIteration,
        )
    });

    group.throughput(Throughput::Elements(n));
    group.bench_function("build", |b| {
        b.iter(|| pipeline::build(&options(&root), false).unwrap().ok().unwrap().pages)
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
