//! Indicators: sidebars, indicator pages with their SVG charts, CSV, JSON
//! and Excel series, disagreement between reports, warnings on implausible
//! figures, spans in words, and series per area with their comparison.

use crate::harness::{main_of, TestSite};

/// The wide screen's `<svg>` of an indicator page, parsed by a real XML parser.
fn chart_of(page: &str) -> roxmltree::Document<'_> {
    svg_of(page, "<svg class=\"rong\"")
}

fn svg_of<'a>(page: &'a str, opening: &str) -> roxmltree::Document<'a> {
    let start = page.find(opening).expect("the page has a chart");
    let end = page[start..].find("</svg>").unwrap() + start + "</svg>".len();
    roxmltree::Document::parse(&page[start..end]).expect("the chart is well-formed XML")
}

fn elements<'a>(doc: &'a roxmltree::Document<'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name(name)).collect()
}

/// The points drawn of one series of a chart (`thang`: monthly values,
/// `luy-ke`: year-to-date totals), without their wider tap targets.
fn points<'a>(doc: &'a roxmltree::Document<'a>, series: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    let group = doc.descendants().find(|n| n.attribute("data-chuoi") == Some(series));
    let Some(group) = group else { return Vec::new() };
    let is_point = |n: &roxmltree::Node| n.has_tag_name("circle") && n.attribute("class") != Some("vung-bam");
    group.descendants().filter(is_point).collect()
}

#[test]
fn indicator_page_charts_every_reported_month_with_links() {
    let site = TestSite::from_fixture("valid/figures");
    site.build(&[]);
    let page = site.page("/chi-tieu/thu-ngan-sach/");
    let chart = chart_of(&page);
    let circles = points(&chart, "thang");
    assert_eq!(circles.len(), 5, "June, July, August, October 2023 and January 2024");
    let links: Vec<&str> = circles
        .iter()
        .map(|c| c.parent().unwrap().attribute("href").expect("every point is a link"))
        .collect();
    assert_eq!(links[2], "/2023/09/ubnd-2023-08/", "the later published report is the headline");
    assert_eq!(links[4], "/2024/01/2024-01/");
    // Monthly values and year-to-date totals: one line each for June–August.
    assert_eq!(elements(&chart, "polyline").len(), 2, "only June–August are consecutive");
    assert!(elements(&chart, "title")[0].text().unwrap().contains("Thu ngân sách nhà nước"));
    assert!(elements(&chart, "desc")[0].text().unwrap().contains("5 tháng có số liệu"));
    let ticks: Vec<&str> = elements(&chart, "text").iter().filter_map(|t| t.text()).collect();
    assert!(ticks.contains(&"400"), "value ticks are numbers: {ticks:?}");
    assert!(ticks.contains(&"6/2023"), "month ticks: {ticks:?}");
    assert!(
        main_of(&page).contains("<table class=\"bang-so-lieu bang-xep\">"),
        "a data table under the chart"
    );
}

#[test]
fn two_reports_of_one_month_keep_both_and_flag_the_disagreement() {
    let site = TestSite::from_fixture("valid/figures");
    site.build(&[]);
    let main = main_of(&site.page("/chi-tieu/thu-ngan-sach/")).to_string();
    assert!(main.contains("Số liệu khác nhau giữa các bài"), "{main}");
    assert!(main.contains("href=\"/2023/08/2023-08/\""), "the other report is linked");
    assert!(main.contains("66,5"));
    let json: serde_json::Value = serde_json::from_str(&site.page("/chi-tieu/thu-ngan-sach.json")).unwrap();
    let august = &json["series"][2];
    assert_eq!(august["period"], "2023-08");
    assert_eq!(august["value"], 66.5);
}

#[test]
fn a_month_with_many_reports_names_ten_others_and_counts_the_rest() {
    let site = TestSite::from_fixture("valid/figures");
    for n in 1..=12 {
        let text = format!(
            "---\ntitle: Xã báo cáo số {n}\ndate: 2023-09-0{}\norgan: Ủy ban nhân dân huyện\nindicators:\n  - id: thu-ngan-sach\n    value: {}.25\n    period: 2023-08\n---\nSố liệu xã.\n",
            1 + n % 4,
            100 + n
        );
        site.write(&format!("content/bao-cao-{n}.md"), text);
    }
    site.build(&[]);
    let main = main_of(&site.page("/chi-tieu/thu-ngan-sach/")).to_string();
    let warning = main.split("Số liệu khác nhau giữa các bài").nth(1).expect("the month is flagged");
    let warning = warning.split("</p>").next().unwrap();
    // 14 reports of August: the headline, 10 others named, 3 counted.
    assert_eq!(warning.matches("<a href=").count(), 10, "{warning}");
    assert!(warning.contains("và 3 bài khác"), "{warning}");
}

#[test]
fn csv_and_json_hold_the_same_series() {
    let site = TestSite::from_fixture("valid/figures");
    site.build(&[]);
    let json: serde_json::Value = serde_json::from_str(&site.page("/chi-tieu/thu-ngan-sach.json")).unwrap();
    let series = json["series"].as_array().unwrap();
    let csv = site.page("/chi-tieu/thu-ngan-sach.csv");
    assert!(
        csv.starts_with("\u{feff}Kỳ,Khoảng thời gian,Giá trị tháng,"),
        "a BOM and Vietnamese headers: {csv}"
    );
    // Every field of these rows is free of commas but the quoted numbers.
    let rows: Vec<Vec<String>> = csv.lines().skip(1).map(csv_fields).collect();
    assert_eq!(rows.len(), series.len());
    for (row, point) in rows.iter().zip(series) {
        assert_eq!(row[0], point["period"].as_str().unwrap());
        assert_eq!(vietnamese_number(&row[2]), point["value"].as_f64());
        assert_eq!(vietnamese_number(&row[5]), point["cumulative"].as_f64());
        assert!(row[9].starts_with("https://so-lieu.example.vn/"), "absolute article URL: {}", row[9]);
    }
    assert_eq!(rows[1][4], "-3,5", "yoy in the CSV is written the Vietnamese way");
    assert_eq!(rows[2][1], "tháng 8/2023", "a month's value");
}

#[test]
fn sidebars_show_figures_the_vietnamese_way() {
    let site = TestSite::from_fixture("valid/figures");
    site.build(&[]);
    let august = main_of(&site.page("/2023/08/2023-08/")).to_string();
    assert!(august.contains("65\u{a0}tỷ đồng <span class=\"uoc\">(ước)</span>"), "{august}");
    assert!(august.contains("38,18% kế hoạch"));
    assert!(august.contains("<meter min=\"0\" max=\"100\" value=\"38.18\">"));
    assert!(august.contains("8 tháng năm 2023 (lũy kế): 253\u{a0}tỷ đồng"), "{august}");
    assert!(august.contains("Tổng số: 42\u{a0}thôn"), "a stock reported as a total");
    assert!(august.contains("<svg class=\"spark\""), "a sparkline of the last months");
    assert!(august.contains("<h3>Ngân sách</h3>"), "grouped by the catalogue's group");
    let july = main_of(&site.page("/2023/07/2023-07/")).to_string();
    assert!(july.contains("▼</span> giảm 3,5% so với cùng kỳ"), "{july}");
    let month = main_of(&site.page("/2023/09/")).to_string();
    assert!(month.contains("66,5\u{a0}tỷ đồng"), "figures reported at the month's meetings: {month}");
    let organ = main_of(&site.page("/co-quan/ubnd-huyen/")).to_string();
    assert!(organ.contains("66,5\u{a0}tỷ đồng"), "{organ}");
    let home = main_of(&site.page("/")).to_string();
    assert!(home.contains("Chỉ tiêu nổi bật") && home.contains("tăng 6,9% so với cùng kỳ"), "{home}");
    let list = main_of(&site.page("/chi-tieu/")).to_string();
    assert!(list.contains("<h2>Ngân sách</h2>") && list.contains("93,4%"), "{list}");
}

#[test]
fn implausible_figures_are_warned_about_naming_the_article() {
    let site = TestSite::from_fixture("valid/figures");
    let run = site.build(&[]);
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("cảnh báo:")).collect();
    assert_eq!(warnings.len(), 3, "{}", run.stderr);
    assert!(warnings.iter().all(|w| w.starts_with("content/2023-10.md:6:")), "{warnings:?}");
    assert!(run.stderr.contains("số lũy kế của chỉ tiêu `thu-ngan-sach` giảm trong năm, từ 254,5 xuống 240"));
    assert!(run.stderr.contains("tỷ lệ so với kế hoạch của chỉ tiêu `thu-ngan-sach` giảm trong năm"));
    assert!(run.stderr.contains("số của tháng (500) lớn hơn số lũy kế từ đầu năm (240)"));
    assert!(run.stderr.contains("đối chiếu với bài content/ubnd-2023-08.md"));
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0);
    assert_eq!(check.stderr.matches("cảnh báo:").count(), 3);
}

/// A site with one article a month for `months` months reporting `thu-ngan-sach`.
fn monthly_site(months: usize) -> TestSite {
    let site = TestSite::from_fixture("valid/figures");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    for m in 0..months {
        let (year, month) = (2015 + m / 12, m % 12 + 1);
        let estimate = if m % 3 == 0 { "\n    estimate: true" } else { "" };
        site.write(
            &format!("content/{year}-{month:02}.md"),
            format!(
                "---\ntitle: Tháng {month}/{year}\ndate: {year}-{month:02}-28\norgan: Ban Thường vụ Huyện ủy\nindicators:\n  - id: thu-ngan-sach\n    value: {}{estimate}\n---\nSố liệu.\n",
                20.5 + (m as f64 * 7.3) % 40.0
            ),
        );
    }
    site
}

#[test]
fn charts_with_one_two_and_sixty_points_place_and_link_every_point() {
    for (months, lines) in [(1, 0), (2, 1), (60, 1)] {
        let site = monthly_site(months);
        site.build(&[]);
        let page = site.page("/chi-tieu/thu-ngan-sach/");
        let chart = chart_of(&page);
        let circles = points(&chart, "thang");
        assert_eq!(circles.len(), months);
        assert_eq!(elements(&chart, "polyline").len(), lines, "{months} months");
        let svg = chart.root_element();
        let width: Vec<f64> =
            svg.attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        for circle in &circles {
            let x: f64 = circle.attribute("cx").unwrap().parse().unwrap();
            let y: f64 = circle.attribute("cy").unwrap().parse().unwrap();
            assert!(x > 0.0 && x < width[2] && y > 0.0 && y < width[3], "({x}, {y}) inside the chart");
            assert!(circle.parent().unwrap().attribute("href").unwrap().starts_with("/20"));
        }
        let hollow = circles.iter().filter(|c| c.attribute("class") == Some("diem uoc")).count();
        assert!(elements(&chart, "circle").iter().all(|c| c.parent().unwrap().has_tag_name("a")));
        assert_eq!(hollow, months.div_ceil(3), "estimates are drawn differently");
        let month_ticks =
            elements(&chart, "text").iter().filter(|t| t.attribute("class") == Some("truc-x")).count();
        assert!((1..=12).contains(&month_ticks), "{month_ticks} month ticks for {months} months");
    }
}

/// The fields of a CSV line the site writes (quoted fields hold no quotes here).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// `1.234,5` → 1234.5; an empty field → None.
fn vietnamese_number(text: &str) -> Option<f64> {
    (!text.is_empty()).then(|| text.replace('.', "").replace(',', ".").parse().unwrap())
}
