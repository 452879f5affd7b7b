//! Areas (SPEC §3): a series per indicator and area, the comparison across
//! areas on the site's own area's page, the area pages, spans in words,
//! unknown areas, and the Excel download read back with a real reader.

use crate::harness::{main_of, TestSite};

fn built() -> TestSite {
    let site = TestSite::from_fixture("valid/areas");
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    site
}

fn json(site: &TestSite, path: &str) -> serde_json::Value {
    serde_json::from_str(&site.page(path)).unwrap()
}

fn periods(series: &serde_json::Value) -> Vec<&str> {
    series.as_array().unwrap().iter().map(|p| p["period"].as_str().unwrap()).collect()
}

#[test]
fn a_commune_and_the_district_reporting_one_indicator_make_two_series_without_warnings() {
    let site = TestSite::from_fixture("valid/areas");
    let run = site.build(&[]);
    assert!(
        !run.stderr.contains("cảnh báo:"),
        "no warning between the district and its communes: {}",
        run.stderr
    );
    let data = json(&site, "/chi-tieu/thu-ngan-sach.json");
    assert_eq!(periods(&data["series"]), ["2022-08", "2022-09"], "the district's own series");
    assert_eq!(data["series"][1]["cumulative"], 446.0);
    let gia_pho = data["areas"].as_array().unwrap().iter().find(|a| a["id"] == "xa-gia-pho").unwrap();
    assert_eq!(periods(&gia_pho["series"]), ["2022-06", "2022-09"]);
    assert_eq!(gia_pho["series"][1]["cumulative"], 12.6);
    assert_eq!(gia_pho["url"], "/chi-tieu/thu-ngan-sach/xa-gia-pho/");
    // The commune's own page: its chart and table, not the district's.
    let commune = main_of(&site.page("/chi-tieu/thu-ngan-sach/xa-gia-pho/")).to_string();
    assert!(commune.contains("xã Gia Phố") && commune.contains("12,6"), "{commune}");
    assert!(!commune.contains("446"), "{commune}");
    // The organ's page shows its own area's figure; the district's headline stays the district's.
    let organ = main_of(&site.page("/co-quan/dang-uy-xa-gia-pho/")).to_string();
    assert!(
        organ.contains("12,6\u{a0}tỷ đồng") && organ.contains("href=\"/chi-tieu/thu-ngan-sach/xa-gia-pho/\""),
        "{organ}"
    );
    let list = main_of(&site.page("/chi-tieu/")).to_string();
    assert!(
        list.contains("tháng 9/2022") && !list.contains("12,6"),
        "headlines are the site's own area: {list}"
    );
}

#[test]
fn a_warning_still_compares_a_communes_figures_with_its_own() {
    let site = TestSite::from_fixture("valid/areas");
    site.write(
        "content/gia-pho-2022-10.md",
        "---\ntitle: Đảng ủy xã Gia Phố họp tháng 10\ndate: 2022-10-30\norgan: Đảng ủy xã Gia Phố\nindicators:\n  - id: thu-ngan-sach\n    cumulative: 11\n---\nSố liệu.\n",
    );
    let run = site.build(&[]);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("cảnh báo:")).collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("từ 12,6 xuống 11"), "{}", run.stderr);
}

#[test]
fn the_comparison_lists_each_areas_latest_figure_of_one_period_sorted_and_linked() {
    let site = built();
    let page = site.page("/chi-tieu/thu-ngan-sach/");
    let main = main_of(&page);
    assert!(main.contains("So sánh giữa các địa bàn, 9 tháng đầu năm 2022"), "{main}");
    let start = page.find("<svg class=\"cot-so-sanh\"").unwrap();
    let end = page[start..].find("</svg>").unwrap() + start + 6;
    let bars = roxmltree::Document::parse(&page[start..end]).unwrap();
    let rows: Vec<(String, String, f64)> = bars
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let texts: Vec<&str> =
                a.descendants().filter(|n| n.has_tag_name("text")).filter_map(|t| t.text()).collect();
            let bar = a.descendants().find(|n| n.attribute("class") == Some("cot")).unwrap();
            let width: f64 = bar.attribute("width").unwrap().parse().unwrap();
            (a.attribute("href").unwrap().to_string(), format!("{} {}", texts[0], texts[1]), width)
        })
        .collect();
    let labels: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        labels,
        ["huyện Yên Định 446", "thị trấn Quán Lào 15,25", "xã Gia Phố 12,6", "xã Định Tân 9,5"]
    );
    let links: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        links,
        [
            "/chi-tieu/thu-ngan-sach/",
            "/chi-tieu/thu-ngan-sach/thi-tran-quan-lao/",
            "/chi-tieu/thu-ngan-sach/xa-gia-pho/",
            "/chi-tieu/thu-ngan-sach/xa-dinh-tan/"
        ]
    );
    assert!(rows.windows(2).all(|w| w[0].2 >= w[1].2), "longer bars first: {rows:?}");
    let table = main.split("bang-so-sanh").nth(1).unwrap().split("</table>").next().unwrap();
    for link in links {
        assert!(table.contains(&format!("href=\"{link}\"")), "{table}");
    }
    for (page, exists) in
        [("/chi-tieu/thu-ngan-sach/xa-dinh-tan/", true), ("/chi-tieu/thu-ngan-sach/huyen-yen-dinh/", false)]
    {
        assert_eq!(site.exists(page), exists, "{page}");
    }
}

#[test]
fn a_reading_with_an_area_lands_in_that_areas_series() {
    let site = built();
    let data = json(&site, "/chi-tieu/thu-ngan-sach.json");
    let dinh_tan = data["areas"].as_array().unwrap().iter().find(|a| a["id"] == "xa-dinh-tan").unwrap();
    assert_eq!(periods(&dinh_tan["series"]), ["2022-09"]);
    assert_eq!(dinh_tan["series"][0]["article"]["url"], "/2022/09/ubnd-2022-09/", "reported by the district");
    let article = main_of(&site.page("/2022/09/ubnd-2022-09/")).to_string();
    assert!(article.contains("<span class=\"dia-ban\">xã Định Tân</span>"), "{article}");
    assert!(article.contains("href=\"/chi-tieu/thu-ngan-sach/xa-dinh-tan/\""), "{article}");
}

#[test]
fn an_article_page_names_the_span_of_a_running_total_in_words() {
    let site = built();
    let article = main_of(&site.page("/2022/09/ubnd-2022-09/")).to_string();
    assert!(article.contains("9 tháng đầu năm 2022: 446\u{a0}tỷ đồng"), "{article}");
    let august = main_of(&site.page("/2022/08/ubnd-2022-08/")).to_string();
    assert!(august.contains("8 tháng năm 2022 (lũy kế): 406\u{a0}tỷ đồng"), "{august}");
    let commune = main_of(&site.page("/2022/07/gia-pho-2022-06/")).to_string();
    assert!(commune.contains("(6 tháng đầu năm 2022)"), "a total alone names its span: {commune}");
}

#[test]
fn the_chart_draws_monthly_values_and_totals_as_separate_series_with_the_plan_dashed() {
    let site = built();
    let page = site.page("/chi-tieu/thu-ngan-sach/");
    for opening in ["<svg class=\"rong\"", "<svg class=\"hep\""] {
        let start = page.find(opening).unwrap();
        let end = page[start..].find("</svg>").unwrap() + start + 6;
        let chart = roxmltree::Document::parse(&page[start..end]).unwrap();
        let series: Vec<&str> = chart.descendants().filter_map(|n| n.attribute("data-chuoi")).collect();
        assert_eq!(series, ["thang", "luy-ke"], "{opening}");
        let titles = |key: &str| -> Vec<String> {
            let group = chart.descendants().find(|n| n.attribute("data-chuoi") == Some(key)).unwrap();
            group
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .map(|t| t.text().unwrap().to_string())
                .collect()
        };
        assert_eq!(titles("thang"), ["Tháng 8/2022: 45 tỷ đồng", "Tháng 9/2022: 40 tỷ đồng"]);
        assert_eq!(
            titles("luy-ke"),
            ["8 tháng năm 2022 (lũy kế): 406 tỷ đồng", "9 tháng đầu năm 2022: 446 tỷ đồng"]
        );
        let plan = chart.descendants().find(|n| n.attribute("class") == Some("ke-hoach-nam")).unwrap();
        // 446 is 80% of the plan: 557,5.
        assert_eq!(plan.first_element_child().unwrap().text().unwrap(), "Kế hoạch năm 2022: 557,5 tỷ đồng");
    }
    let legend = main_of(&page).split("<figcaption>").nth(1).unwrap().to_string();
    assert!(
        legend.contains("Số liệu từng tháng")
            && legend.contains("Lũy kế từ đầu năm")
            && legend.contains("Kế hoạch năm")
    );
}

#[test]
fn the_excel_file_read_back_equals_the_json_export() {
    use calamine::{Data, Reader, Xlsx};
    let site = built();
    let data = json(&site, "/chi-tieu/thu-ngan-sach.json");
    let bytes = std::fs::read(site.root.join("public/chi-tieu/thu-ngan-sach.xlsx")).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["huyện Yên Định", "xã Gia Phố", "xã Định Tân", "thị trấn Quán Lào"]);
    let mut expected = vec![("huyện Yên Định".to_string(), data["series"].clone())];
    for area in data["areas"].as_array().unwrap() {
        expected.push((area["name"].as_str().unwrap().to_string(), area["series"].clone()));
    }
    for (name, series) in expected {
        let range = book.worksheet_range(&name).unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
        assert_eq!(header[..3], ["Kỳ", "Khoảng thời gian", "Giá trị tháng"]);
        let column = |title: &str| header.iter().position(|h| h == title).unwrap();
        let rows: Vec<&[Data]> = rows.collect();
        let series = series.as_array().unwrap();
        assert_eq!(rows.len(), series.len(), "{name}");
        for (row, point) in rows.iter().zip(series) {
            let number = |cell: &Data| match cell {
                Data::Float(v) => Some(*v),
                Data::Int(v) => Some(*v as f64),
                Data::Empty => None,
                other => panic!("a number cell in {name}, found {other:?}"),
            };
            assert_eq!(row[column("Kỳ")].to_string(), point["period"].as_str().unwrap());
            assert_eq!(number(&row[column("Giá trị tháng")]), point["value"].as_f64());
            assert_eq!(number(&row[column("Lũy kế từ đầu năm")]), point["cumulative"].as_f64());
            assert_eq!(number(&row[column("% kế hoạch")]), point["plan"].as_f64());
            assert_eq!(row[column("Đơn vị")].to_string(), "tỷ đồng");
            let url = row[column("Bài báo cáo")].to_string();
            assert_eq!(
                url,
                format!("https://dia-ban.example.vn{}", point["article"]["url"].as_str().unwrap())
            );
        }
    }
    let range = book.worksheet_range("xã Gia Phố").unwrap();
    assert_eq!(range.rows().nth(2).unwrap()[1].to_string(), "9 tháng đầu năm 2022", "the span in words");
}

#[test]
fn an_unknown_area_is_reported_with_the_nearest_names() {
    let site = TestSite::from_fixture("valid/areas");
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("area: xa-gia-pho", "area: xã Gia Phúc"));
    site.write(
        "content/dinh-tan.md",
        "---\ntitle: Định Tân\ndate: 2022-09-30\norgan: Ủy ban nhân dân huyện\nindicators:\n  - id: thu-ngan-sach\n    area: Đinh Tân\n    cumulative: 9\n---\nSố liệu.\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("in_site_yaml", run.stderr);
    site.write("site.yaml", yaml);
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("in_an_article", run.stderr);
}

/// Every page of the built sample site with a chart: the indicators' pages in every area.
fn chart_pages(output: &std::path::Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(output.join("chi-tieu"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.ends_with("index.html") && std::fs::read_to_string(p).unwrap().contains("<svg class=\"rong\"")
        })
        .map(|p| format!("/{}", p.parent().unwrap().strip_prefix(output).unwrap().display()) + "/")
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_chart_text_of_the_sample_site_lies_inside_its_svg_and_every_point_is_24_px_to_tap_at_phone_and_desktop_widths(
) {
    let served = crate::reader::Served::sample();
    let pages = chart_pages(&served.output);
    assert!(
        pages.len() > 10 && pages.contains(&"/chi-tieu/thu-ngan-sach/xa-yen-phu/".to_string()),
        "{pages:?}"
    );
    // For each shown SVG (the other chart of the pair is display:none): its
    // texts outside the viewBox, and the smallest label as drawn, in CSS px.
    let script = "
        var out = [];
        document.querySelectorAll('main svg').forEach(function (svg) {
            if (!svg.getClientRects().length) return;
            var box = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / box.width;
            var outside = [], smallest = 1e9;
            svg.querySelectorAll('text').forEach(function (t) {
                var b = t.getBBox();
                if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5
                    || b.y + b.height > box.y + box.height + 0.5) outside.push(t.textContent + ' ' + [b.x, b.y, b.width, b.height]);
                smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
            });
            var tap = 1e9;
            svg.querySelectorAll('.vung-bam').forEach(function (c) {
                var r = c.getBoundingClientRect();
                tap = Math.min(tap, r.width, r.height);
            });
            out.push({cls: svg.getAttribute('class'), texts: svg.querySelectorAll('text').length, outside: outside,
                smallest: smallest, points: svg.querySelectorAll('.vung-bam').length, tap: tap});
        });
        return out;";
    for width in [360, 1280] {
        let browser = crate::webdriver::Browser::start(width, 900);
        for page in &pages {
            browser.open(&served.url(page));
            let charts = browser.eval(script, serde_json::json!([]));
            let charts = charts.as_array().unwrap();
            assert!(!charts.is_empty(), "{page} at {width}px shows a chart");
            for chart in charts {
                assert!(chart["texts"].as_u64().unwrap() > 0, "{page}: {chart}");
                assert_eq!(chart["outside"], serde_json::json!([]), "{page} at {width}px: {chart}");
                if chart["points"].as_u64().unwrap() > 0 {
                    let tap = chart["tap"].as_f64().unwrap();
                    assert!(tap >= 24.0, "points to tap of 24 px at least: {page} at {width}px {chart}");
                }
                if width == 360 {
                    assert!(
                        chart["smallest"].as_f64().unwrap() >= 11.0,
                        "labels of 11 px at least: {page} {chart}"
                    );
                }
            }
            let shown: Vec<&str> = charts.iter().filter_map(|c| c["cls"].as_str()).collect();
            let expected = if width == 360 { "hep" } else { "rong" };
            assert!(shown.contains(&expected), "{page} at {width}px shows the {expected} chart: {shown:?}");
        }
        browser.open(&served.url("/chi-tieu/thu-ngan-sach/"));
        crate::reader::shoot(&browser, &format!("chi-tieu-so-sanh-{width}"));
    }
}

#[test]
fn sparklines_with_fewer_than_three_points_are_dots_with_their_values() {
    let site = built();
    let september = main_of(&site.page("/2022/10/gia-pho-2022-09/")).to_string();
    let spark = september.split("<dd class=\"xu-huong\">").nth(1).unwrap().split("</dd>").next().unwrap();
    assert_eq!(spark.matches("<circle").count(), 2, "a dot for each of the two months: {spark}");
    assert!(spark.contains("r=\"3\""), "{spark}");
    assert!(spark.contains("<span class=\"spark-so\">6/2022: 7,1; 9/2022: 12,6</span>"), "{spark}");
    let district = main_of(&site.page("/2022/09/ubnd-2022-09/")).to_string();
    assert!(district.contains("<span class=\"spark-so\">8/2022: 45; 9/2022: 40</span>"), "{district}");
}

#[test]
fn two_reports_of_one_month_each_get_the_sparkline_of_what_they_reported() {
    let site = TestSite::from_fixture("valid/areas");
    // An earlier report of the same month of Gia Phố's series, with a monthly
    // value where the month's headline (gia-pho-2022-09) has only a total.
    site.write(
        "content/gia-pho-2022-09-som.md",
        "---\ntitle: Đảng ủy xã Gia Phố giao ban tháng 9/2022\ndate: 2022-09-20\norgan: Đảng ủy xã Gia Phố\nmeeting:\n  period: 2022-09\nindicators:\n  - id: thu-ngan-sach\n    value: 1.2\n---\nThu ngân sách xã tháng 9 ước đa\u{323}t 1,2 tỷ đồng.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let total = main_of(&site.page("/2022/10/gia-pho-2022-09/")).to_string();
    assert!(total.contains("<span class=\"spark-so\">6/2022: 7,1; 9/2022: 12,6</span>"), "{total}");
    // No month of the series has a monthly value as its headline: no sparkline.
    let value = main_of(&site.page("/2022/09/gia-pho-2022-09-som/")).to_string();
    assert!(value.contains("1,2\u{a0}tỷ đồng") && !value.contains("xu-huong"), "{value}");
}
