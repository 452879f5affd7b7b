//! The static search index: words folded without diacritics, exact forms
//! kept (with one tone placement) for ranking, small files per word.

use crate::harness::TestSite;

fn json(site: &TestSite, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.page(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The postings of one folded word, from the file of its bucket.
fn postings(site: &TestSite, folded: &str) -> serde_json::Value {
    let path = format!("/tim-kiem/chi-muc/t/{}.json", bantin::render::search::bucket(folded));
    json(site, &path)[folded].clone()
}

/// Article ids (the oldest is 0) from a delta-encoded list.
fn ids(deltas: &serde_json::Value) -> Vec<u64> {
    let mut id = 0;
    deltas
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            id += d.as_u64().unwrap();
            id
        })
        .collect()
}

#[test]
fn words_are_indexed_folded_with_their_exact_forms() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let vocabulary = json(&site, "/tim-kiem/chi-muc/tu.json");
    let words: Vec<&str> = vocabulary.as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(words.windows(2).all(|w| w[0] < w[1]), "sorted for prefix search");
    for word in ["ngan", "sach", "thuong", "dang", "nghi"] {
        assert!(words.contains(&word), "{word}");
    }
    assert!(words.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
    let ngan = postings(&site, "ngan");
    assert!(ngan["b"]["ngân"].is_array(), "{ngan}");
    // "Huyện uỷ" (July, old placement) and "Huyện ủy" (August) are one exact form.
    let uy = postings(&site, "uy");
    let titles = uy["t"].as_object().unwrap();
    assert_eq!(titles.keys().collect::<Vec<_>>(), ["ủy"], "{uy}");
    assert_eq!(ids(&titles["ủy"]).len(), 3, "July, August and the commune");
}

#[test]
fn article_ids_count_from_the_oldest_so_that_a_new_article_leaves_the_others_ids() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let meta = json(&site, "/tim-kiem/chi-muc/meta.json");
    assert_eq!(meta["count"], 4);
    assert_eq!(meta["years"]["2023"], serde_json::json!([0, 3]));
    let docs = json(&site, "/tim-kiem/chi-muc/d/0.json");
    assert_eq!(docs[3][0], "Đảng ủy xã Định Tân sơ kết quý III", "id 3 is the newest");
    assert_eq!(docs[3][1], "/2023/09/dang-uy-xa/");
    let organs: Vec<&str> = meta["organs"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    let newest = meta["organ_of"][3].as_u64().unwrap() as usize;
    assert_eq!(organs[newest], "dang-uy-xa-dinh-tan");
    let page = site.page("/tim-kiem/");
    assert!(page.contains("<option value=\"btv-huyen-uy\">Ban Thường vụ Huyện ủy</option>"));
    assert!(page.contains("src=\"/tim-kiem/tim-kiem.js\""));
    assert!(site.page("/tim-kiem/tim-kiem.js").contains("normalize(\"NFD\")"));
    // The next meeting's article takes id 4; the others keep their ids and texts.
    let texts: Vec<String> = (0..4).map(|id| site.page(&format!("/tim-kiem/chi-muc/v/{id}.json"))).collect();
    site.write(
        "content/2023/10/hop-thang-10.md",
        "---\ntitle: Ban Thường vụ Huyện ủy họp tháng 10\ndate: 2023-10-02\norgan: Ban Thường vụ Huyện ủy\n---\nHọp tháng 10.\n",
    );
    site.build(&[]);
    let docs = json(&site, "/tim-kiem/chi-muc/d/0.json");
    assert_eq!(docs[4][1], "/2023/10/hop-thang-10/");
    assert_eq!(docs[3][1], "/2023/09/dang-uy-xa/");
    for (id, text) in texts.iter().enumerate() {
        assert_eq!(&site.page(&format!("/tim-kiem/chi-muc/v/{id}.json")), text, "v/{id}.json");
    }
    assert_eq!(site.page("/tim-kiem/chi-muc/v/4.json"), "\"Họp tháng 10.\"");
}

#[test]
fn the_names_of_the_indicators_an_article_reports_are_searched_with_its_text() {
    let site = TestSite::from_fixture("valid/basic");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    // The label, and an alias in decomposed (NFD) form.
    let label = "label: Thu ngân sách nhà nước trên địa bàn huyện Thạch Thành\n    aliases: [\"tho\u{302}\u{301}ng thu Quảng Tiến\"]";
    site.write("site.yaml", yaml.replace("label: Thu ngân sách nhà nước", label));
    site.build(&[]);
    let content = site.root.join("content");
    let mut reporting: Vec<String> = walkdir::WalkDir::new(&content)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("- id: thu-ngan-sach"))
        .map(|p| format!("/{}/", p.strip_prefix(&content).unwrap().with_extension("").to_string_lossy()))
        .collect();
    reporting.sort();
    assert!(!reporting.is_empty());
    let docs = json(&site, "/tim-kiem/chi-muc/d/0.json");
    let found = postings(&site, "thach");
    let mut urls: Vec<String> = ids(&found["b"]["thạch"])
        .iter()
        .map(|&id| docs[id as usize][1].as_str().unwrap().to_string())
        .collect();
    urls.sort();
    assert_eq!(urls, reporting, "{found}");
    let by_alias = postings(&site, "quang");
    let mut urls: Vec<String> = ids(&by_alias["b"]["quảng"])
        .iter()
        .map(|&id| docs[id as usize][1].as_str().unwrap().to_string())
        .collect();
    urls.sort();
    assert_eq!(urls, reporting, "{by_alias}");
}

#[test]
fn pairs_of_words_tell_the_title_from_the_text_and_the_text_of_each_article_is_published() {
    let site = TestSite::from_fixture("valid/basic");
    site.build(&[]);
    let meta = json(&site, "/tim-kiem/chi-muc/meta.json");
    let buckets = meta["pair_buckets"].as_u64().unwrap() as usize;
    assert!(
        meta["glossary"].as_array().unwrap().iter().any(|g| g[0] == "NTM" && g[1] == "nông thôn mới"),
        "{meta}"
    );
    let docs = json(&site, "/tim-kiem/chi-muc/d/0.json");
    let august = (0..4).find(|&i| docs[i][1] == "/2023/08/hoi-nghi-btv-thang-8/").unwrap() as u64;
    let pair = |words: &str| {
        let path =
            format!("/tim-kiem/chi-muc/g/{}.json", bantin::render::search::pair_bucket(words, buckets));
        let lists = json(&site, &path)[words].clone();
        (ids(&lists[0]), ids(&lists[1]))
    };
    // "Kinh tế & ngân sách <tháng 8>: …" then "Sáng ngày 31/8, Ban Thường vụ …".
    let (title, _) = pair("te ngan");
    assert!(title.contains(&august), "{title:?}");
    let (title, text) = pair("sang ngay");
    assert!(text.contains(&august) && !title.contains(&august), "{title:?} {text:?}");
    // No pair across the title and the text, nor from one name to the next.
    assert!(json(
        &site,
        &format!("/tim-kiem/chi-muc/g/{}.json", bantin::render::search::pair_bucket("uy sang", buckets))
    )
    .get("uy sang")
    .is_none());
    let text: String =
        json(&site, &format!("/tim-kiem/chi-muc/v/{august}.json")).as_str().unwrap().to_string();
    assert!(
        text.starts_with("Sáng ngày 31/8, Ban Thường vụ Huyện ủy họp đánh giá kết quả tháng 8"),
        "{text}"
    );
    assert!(!text.contains("  "), "whitespace collapsed: {text}");
}

/// Searching in a real headless Chromium over real HTTP (the sample site
/// served by a plain static file server): the address, more results,
/// snippets, ranking, the glossary, layout shift and the checkers.
mod in_the_browser {
    use std::time::Duration;

    use serde_json::{json, Value};

    use crate::harness::{test_tool, SETUP};
    use crate::reader::Served;
    use crate::webdriver::Browser;

    const WAIT: Duration = Duration::from_secs(20);
    /// The status line once a search is done (it is emptied before each search the test starts).
    const DONE: &str = "var s = document.getElementById('trang-thai').textContent; return /Tìm thấy|Hiện|Không tìm thấy/.test(s) && s;";
    const SHOWN: &str = "return Array.from(document.querySelectorAll('#ket-qua > li')).map(li => ({
        href: li.querySelector('h2 a').getAttribute('href'),
        title: li.querySelector('h2').textContent,
        meta: li.querySelector('.meta').textContent,
        date: li.querySelector('time').getAttribute('datetime'),
        snippet: li.querySelector('.tom-tat').textContent,
        html: li.querySelector('.tom-tat').innerHTML,
        marked: Array.from(li.querySelectorAll('.tom-tat mark')).map(m => m.textContent)
    }));";

    fn quiet(browser: &Browser) {
        browser.eval("document.getElementById('trang-thai').textContent = ''; return true;", json!([]));
    }

    /// The results shown once the search is done and the snippets on the
    /// screen are in (the others come as they are scrolled to), and the status line.
    fn shown(browser: &Browser) -> (Vec<Value>, String) {
        let status = browser.wait_for(DONE, WAIT).as_str().unwrap().to_string();
        browser.wait_for(
            "return Array.from(document.querySelectorAll('#ket-qua .tom-tat')).filter(p => { var r = p.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).every(p => p.firstChild)",
            WAIT,
        );
        (browser.eval(SHOWN, json!([])).as_array().unwrap().clone(), status)
    }

    fn typed(browser: &Browser, served: &Served, query: &str) -> (Vec<Value>, String) {
        browser.open(&served.url("/tim-kiem/"));
        browser.wait_for(DONE.replace("Tìm thấy", "Nhập từ khóa").as_str(), WAIT);
        quiet(browser);
        browser.type_into("#q", query);
        shown(browser)
    }

    fn hrefs(results: &[Value]) -> Vec<String> {
        results.iter().map(|r| r["href"].as_str().unwrap().to_string()).collect()
    }

    fn field(browser: &Browser, id: &str) -> String {
        let value = browser.eval(&format!("return document.getElementById('{id}').value"), json!([]));
        value.as_str().unwrap().to_string()
    }

    /// Words without diacritics, lower case, as the index folds them.
    fn folded(text: &str) -> String {
        bantin::vietnamese::slugify(text).replace('-', " ")
    }

    #[test]
    fn a_search_typed_then_reloaded_shows_the_same_results() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let (before, _) = typed(&browser, &served, "kỳ họp hội đồng");
        assert!(!before.is_empty());
        let q = browser.eval("return new URLSearchParams(location.search).get('q')", json!([]));
        assert_eq!(q, json!("kỳ họp hội đồng"), "the address holds the query");
        browser.eval("window.beforeReload = true; location.reload(); return true;", json!([]));
        browser.wait_for(&format!("return !window.beforeReload && (function () {{ {DONE} }})()"), WAIT);
        let (after, _) = shown(&browser);
        assert_eq!(hrefs(&after), hrefs(&before), "the same results in the same order");
        assert_eq!(field(&browser, "q"), "kỳ họp hội đồng");
    }

    #[test]
    fn a_shared_address_with_a_query_and_filters_restores_them_and_back_returns_to_it() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        browser.open(&served.url("/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B&co-quan=btv-huyen-uy&nam=2024"));
        let (shared, _) = shown(&browser);
        assert_eq!(field(&browser, "q"), "hội nghị");
        assert_eq!(field(&browser, "co-quan"), "btv-huyen-uy");
        assert_eq!(field(&browser, "nam"), "2024");
        assert!(!shared.is_empty(), "the Standing Committee met in 2024");
        for result in &shared {
            assert!(result["date"].as_str().unwrap().starts_with("2024-"), "{result}");
            let meta = result["meta"].as_str().unwrap();
            assert!(
                meta.starts_with("Ban Thường vụ Huyện ủy · "),
                "the organ and the date are shown: {meta}"
            );
        }

        // Another year: a new entry in the history, with the year in the address.
        quiet(&browser);
        browser.eval(
            "var y = document.getElementById('nam'); y.value = '2023'; y.dispatchEvent(new Event('change')); return true;",
            json!([]),
        );
        let (other, _) = shown(&browser);
        assert!(!other.is_empty());
        assert!(other.iter().all(|r| r["date"].as_str().unwrap().starts_with("2023-")), "{other:?}");
        let nam = browser.eval("return new URLSearchParams(location.search).get('nam')", json!([]));
        assert_eq!(nam, json!("2023"));

        // Back: the shared search again.
        quiet(&browser);
        browser.eval("history.back(); return true;", json!([]));
        let (back, _) = shown(&browser);
        assert_eq!(field(&browser, "nam"), "2024");
        assert_eq!(hrefs(&back), hrefs(&shared));
    }

    #[test]
    fn of_two_articles_that_match_alike_the_newer_comes_first() {
        let site = crate::harness::TestSite::from_fixture("valid/basic");
        for (month, day) in [(3, 2), (5, 4), (4, 6)] {
            site.write(
                &format!("content/2022/{month:02}/giao-ban-{month}.md"),
                format!("---\ntitle: Giao ban tháng {month}\ndate: 2022-{month:02}-{day:02}\norgan: Ban Thường vụ Huyện ủy\n---\nNội dung giao ban.\n"),
            );
        }
        site.build(&[]);
        let served = Served::of(None, site.root.join("public"));
        let browser = Browser::start(1280, 900);
        let (results, _) = typed(&browser, &served, "giao ban ");
        assert_eq!(hrefs(&results), ["/2022/05/giao-ban-5/", "/2022/04/giao-ban-4/", "/2022/03/giao-ban-3/"]);
    }

    #[test]
    fn more_shows_the_rest_of_the_results_with_a_count() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let (first, status) = typed(&browser, &served, "huyện ");
        assert_eq!(first.len(), 20);
        let total: usize = status
            .strip_prefix("Hiện 20 trong ")
            .and_then(|rest| rest.strip_suffix(" bài viết."))
            .unwrap_or_else(|| panic!("{status}"))
            .parse()
            .unwrap();
        assert!(total > 20, "{status}");
        // The texts of the snippets are fetched for the results near the screen only.
        let texts = "return performance.getEntriesByType('resource').filter(e => e.name.includes('/chi-muc/v/')).length";
        let fetched = browser.eval(texts, json!([])).as_u64().unwrap();
        assert!((1..20).contains(&fetched), "{fetched} texts fetched for 20 results");
        let hidden = "return document.getElementById('xem-them').hidden";
        assert_eq!(browser.eval(hidden, json!([])), json!(false));
        quiet(&browser);
        browser.eval("document.getElementById('xem-them').click(); return true;", json!([]));
        let (all, status) = shown(&browser);
        assert_eq!(status, format!("Tìm thấy {total} bài viết."));
        assert_eq!(all.len(), total);
        let mut unique = hrefs(&all);
        assert_eq!(unique[..20], hrefs(&first)[..], "the first 20 stay first");
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), total, "no result twice");
        assert_eq!(browser.eval(hidden, json!([])), json!(true), "nothing more to show");
        let focused = browser.eval("return document.activeElement.getAttribute('href')", json!([]));
        assert_eq!(
            focused.as_str().unwrap(),
            all[20]["href"].as_str().unwrap(),
            "the first new result has the focus"
        );
    }

    #[test]
    fn the_snippet_is_the_passage_that_matches_cut_at_words_with_the_words_marked() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let (results, _) = typed(&browser, &served, "trinh xuan thuy");
        let first = &results[0];
        let html = first["html"].as_str().unwrap();
        assert!(html.contains("<mark>Trịnh</mark> <mark>Xuân</mark> <mark>Thúy</mark>"), "{html}");
        let filled: Vec<&Value> = results.iter().filter(|r| r["snippet"] != "").collect();
        assert!(filled.len() >= 3, "the snippets on the screen: {filled:?}");
        for result in filled {
            let marked: Vec<String> =
                result["marked"].as_array().unwrap().iter().map(|m| folded(m.as_str().unwrap())).collect();
            assert!(!marked.is_empty(), "{result}");
            assert!(
                marked.iter().all(|m| ["trinh", "xuan"].contains(&m.as_str()) || m.starts_with("thuy")),
                "{marked:?}"
            );
        }
        // The snippet is a run of whole words of the article's text.
        let check = "var done = arguments[arguments.length - 1]; var r = arguments[0];
            fetch(r.href).then(x => x.text()).then(function (html) {
              var text = new DOMParser().parseFromString(html, 'text/html').querySelector('.noi-dung').textContent.replace(/\\s+/g, ' ');
              var core = r.snippet.replace(/^… /, '').replace(/ …$/, '').replace(/\\s+/g, ' ');
              var at = text.indexOf(core);
              var letter = /[\\p{L}\\p{N}]/u;
              done([core, at >= 0, at > 0 && letter.test(text.charAt(at - 1)), letter.test(text.charAt(at + core.length))]);
            });";
        for result in results.iter().take(5) {
            let answer = browser.eval_async(check, json!([result]));
            assert_eq!(answer[1], json!(true), "the snippet is from the text: {answer}");
            assert_eq!(answer[2], json!(false), "it starts at a word: {answer}");
            assert_eq!(answer[3], json!(false), "it ends at a word: {answer}");
        }
    }

    #[test]
    fn uy_ban_ranks_an_article_with_uy_ban_in_its_title_first_and_trinh_xuan_thuy_the_one_naming_him() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let (plain, _) = typed(&browser, &served, "uy ban");
        let title = plain[0]["title"].as_str().unwrap();
        assert!(folded(title).contains("uy ban"), "{title}");
        // Typed with diacritics in decomposed form (NFD), the same first result.
        let (nfd, _) = typed(&browser, &served, "U\u{301}y ban");
        assert_eq!(nfd[0]["href"], plain[0]["href"]);
        let (named, _) = typed(&browser, &served, "trinh xuan thuy");
        let snippet = named[0]["snippet"].as_str().unwrap();
        assert!(folded(snippet).contains("trinh xuan thuy"), "{snippet}");
    }

    #[test]
    fn an_abbreviation_of_the_glossary_and_what_it_stands_for_give_the_same_articles() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let (short, _) = typed(&browser, &served, "BHYT");
        let (long, _) = typed(&browser, &served, "bảo hiểm y tế");
        assert!(!short.is_empty());
        let (mut short, mut long) = (hrefs(&short), hrefs(&long));
        short.sort();
        long.sort();
        assert_eq!(short, long);
    }

    #[test]
    fn a_word_followed_by_a_space_is_a_whole_word_and_without_it_a_prefix() {
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        let marks = |results: &[Value]| -> Vec<String> {
            results
                .iter()
                .flat_map(|r| r["marked"].as_array().unwrap().iter().map(|m| folded(m.as_str().unwrap())))
                .collect()
        };
        let (whole, _) = typed(&browser, &served, "hoà ");
        assert!(!whole.is_empty());
        assert!(marks(&whole).iter().all(|m| m == "hoa"), "{:?}", marks(&whole));
        let (prefix, _) = typed(&browser, &served, "hoà");
        assert!(marks(&prefix).iter().any(|m| m != "hoa"), "hoạch, hoàn…: {:?}", marks(&prefix));
        assert_eq!(hrefs(&whole)[0], hrefs(&prefix)[0], "the whole word ranks over the prefixes");
    }

    #[test]
    fn results_arriving_after_the_page_is_painted_shift_nothing() {
        let served = Served::sample();
        for (width, height) in [(360, 800), (1280, 900)] {
            let browser = Browser::start(width, height);
            browser.open(&served.url("/tim-kiem/?q=thu+ngan+sach"));
            let (results, _) = shown(&browser);
            assert!(!results.is_empty());
            let shift = browser.eval_async(
                "var done = arguments[arguments.length - 1]; var sum = 0;
                 var o = new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { if (!e.hadRecentInput) sum += e.value; }); });
                 o.observe({type: 'layout-shift', buffered: true});
                 setTimeout(function () { o.disconnect(); done(sum); }, 500);",
                json!([]),
            );
            let shift = shift.as_f64().unwrap();
            assert!(shift < 0.1, "layout shift {shift} at {width}×{height}");
        }
    }

    #[test]
    fn the_search_page_with_results_passes_axe_and_the_nu_html_checker() {
        let axe = std::fs::read_to_string(test_tool("axe-core/axe.min.js")).unwrap();
        let jar = test_tool("vnu-jar/build/dist/vnu.jar");
        let served = Served::sample();
        let browser = Browser::start(1280, 900);
        browser.open(&served.url("/tim-kiem/?q=thu+ngan+sach+BHYT&nam=2023"));
        shown(&browser);
        browser.eval(&axe, json!([]));
        let violations = browser.eval_async(
            "var done = arguments[arguments.length - 1]; axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))).catch(e => done(['axe failed: ' + e]));",
            json!([]),
        );
        assert_eq!(violations, json!([]));
        let html =
            browser.eval("return '<!DOCTYPE html>\\n' + document.documentElement.outerHTML", json!([]));
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("tim-kiem.html");
        std::fs::write(&page, html.as_str().unwrap()).unwrap();
        let result = std::process::Command::new("java")
            .arg("-jar")
            .arg(&jar)
            .args(["--errors-only", "--format", "text"])
            .arg(&page)
            .output()
            .unwrap_or_else(|e| panic!("java runs the Nu HTML Checker ({e}): {SETUP}"));
        let report =
            String::from_utf8_lossy(&result.stderr).into_owned() + &String::from_utf8_lossy(&result.stdout);
        assert!(result.status.success(), "the checker found errors:\n{report}");
    }
}
