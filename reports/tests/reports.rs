//! The report model, the charts and the workbooks for the demo project on both databases:
//! numbers computed once and shown the same everywhere, access refused across departments,
//! every chart valid SVG / PNG with its series and labels, every workbook read back with calamine.

use calamine::{Data, Reader, Xlsx};
use db::cycle::evaluation::{self, ActualInput, YearEndFunds};
use db::store::projects;
use db::testing::TestDb;
use domain::workflow::{Action, Phase};
use reports::charts::{self, Chart};
use reports::model::{self, Scope};
use reports::xlsx;
use rust_decimal::Decimal;
use std::io::Cursor;

#[path = "../../db/tests/common/mod.rs"]
#[macro_use]
mod common;
use common::{act, setup, Fixture};

/// Targets approved, every actual entered (the cost 3.8万元 against ≤40000 元/年, 受益群众满意度
/// 90% against ≥95% with an explanation), funds 10 / 9.5 万元.
async fn year_end(t: &TestDb, f: &Fixture) {
    let actor = db::accounts::actor(&f.alice);
    let check = db::cycle::transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    db::cycle::transition::apply(
        &t.db,
        &actor,
        &f.alice,
        f.project_id,
        Phase::Declaration,
        &Action::Submit,
        Some(&check),
        None,
    )
    .await
    .unwrap();
    act(t, f, &f.finance, Phase::Declaration, Action::Approve, None).await.unwrap();
    for ind in projects::indicators(&t.db, f.project_id).await.unwrap() {
        let actual = match ind.name.as_str() {
            "维护、测评网站成本" => "3.8万元".to_owned(),
            "受益群众满意度" => "90%".to_owned(),
            _ => ind.target_text.trim_start_matches(['≥', '≤', '>', '<', '=']).trim().to_owned(),
        };
        let explanation = (ind.name == "受益群众满意度").then(|| "宣传不足，明年加强入户走访".to_owned());
        let input = ActualInput { actual_text: Some(actual), explanation, ..Default::default() };
        evaluation::save_actual(&t.db, &f.alice, ind.id, &input, 0).await.unwrap();
    }
    let version = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project.version;
    let funds = YearEndFunds {
        budget_full_year: Some(Decimal::new(10, 0)),
        executed_full_year: Some(Decimal::new(95, 1)),
        ..Default::default()
    };
    evaluation::save_year_end_funds(&t.db, &f.alice, f.project_id, &funds, version).await.unwrap();
}

fn svg_of(chart: &Chart) -> String {
    let svg = chart.svg().expect("chart draws");
    if let Some(dir) = std::env::var_os("JIXIAO_CHART_DUMP") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join(format!("{}.svg", chart.key)), &svg).unwrap();
        std::fs::write(dir.join(format!("{}.png", chart.key)), chart.png(1).unwrap()).unwrap();
    }
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{}", &svg[..80.min(svg.len())]);
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains(&format!("<title>{}</title>", charts::escape(&chart.title))));
    svg
}

/// The texts an SVG draws, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim().to_owned()))
        .collect()
}

/// Decodes a PNG and returns (width, height, RGB pixels).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let decoder = png::Decoder::new(Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn count_color(pixels: &[u8], rgb: (u8, u8, u8)) -> usize {
    pixels.chunks(3).filter(|p| (p[0], p[1], p[2]) == rgb).count()
}

fn float(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

async fn project_report_and_charts(t: &TestDb) {
    let f = setup(t).await;
    year_end(t, &f).await;
    let alice = db::accounts::actor(&f.alice);
    let report = model::project_report(&t.db, &alice, f.project_id).await.unwrap();

    // Computed once, the same as the self-evaluation the pages score.
    let input = evaluation::self_evaluation(&t.db, f.project_id, true).await.unwrap().unwrap();
    let expected = domain::selfeval::evaluate(&input);
    assert_eq!(report.result.total, expected.total);
    assert_eq!(report.header.total, expected.total);
    assert_eq!(report.header.execution_rate, Some(Decimal::new(9500, 2)));
    assert!(report.indicators.len() >= 17);
    assert_eq!(report.history, vec![(2021, expected.total)]);

    // Another department's user is refused, whatever id they ask for.
    let bob = db::accounts::actor(&f.bob);
    assert!(matches!(model::project_report(&t.db, &bob, f.project_id).await, Err(db::Error::Refused(_))));

    // (a) indicators against targets.
    let chart = charts::project_indicators(&report).expect("quantitative indicators");
    let svg = svg_of(&chart);
    for text in ["38000元 / ≤40000元", "90% / ≥95%", "年度指标值", "达成", "未达成", "受益群众满意度（≥）"]
    {
        assert!(svg.contains(text), "indicator chart lacks {text}");
    }
    assert!(svg.to_uppercase().contains("#C53030"), "a missed target is red");
    assert!(svg.to_uppercase().contains("#1F7A4D"), "a met target is green");
    let missed: Vec<_> = chart.table.rows.iter().filter(|r| r[4] == "未达成").map(|r| r[0].clone()).collect();
    assert_eq!(missed, vec!["受益群众满意度".to_owned()]);
    let (w, h, pixels) = decode_png(&chart.png(1).unwrap());
    assert_eq!((w, h), chart.size());
    assert!(count_color(&pixels, (0xc5, 0x30, 0x30)) > 200, "the red bar is drawn");
    assert!(count_color(&pixels, (0x1f, 0x7a, 0x4d)) > 2000, "green bars are drawn");
    let dark = pixels.chunks(3).filter(|p| p[0] < 0x60 && p[1] < 0x60 && p[2] < 0x60).count();
    assert!(dark > 3000, "labels are drawn ({dark} dark pixels)");
    assert!(charts::font::path().is_some());

    // (b) scores per 一级指标 and 预算执行率.
    let chart = charts::project_scores(&report);
    let svg = svg_of(&chart);
    for text in ["产出指标", "效益指标", "满意度指标", "预算执行率", "（95%）"] {
        assert!(svg.contains(text), "score chart lacks {text}");
    }
    assert_eq!(chart.table.rows.last().unwrap()[2], charts::build::num(expected.total));
    let (w, h, _) = decode_png(&chart.png(2).unwrap());
    assert_eq!((w, h), (chart.size().0 * 2, chart.size().1 * 2));

    // (e) one year only: no trend yet.
    assert!(charts::trend(&report.header.name, &report.history).is_none());
}

async fn summaries_and_access(t: &TestDb) {
    let f = setup(t).await;
    year_end(t, &f).await;
    let finance = db::accounts::actor(&f.finance);
    let alice = db::accounts::actor(&f.alice);
    let county = model::summary(&t.db, &finance, Scope::County { year: 2021 }).await.unwrap();
    assert_eq!(county.title, "全县");
    assert_eq!(county.projects().count(), 1, "departments without projects are left out of the county");
    let report = model::project_report(&t.db, &alice, f.project_id).await.unwrap();
    let line = county.projects().next().unwrap();
    assert_eq!(line, &report.header, "the 汇总表 row is the report's header");

    // A department user: their own department, never another's, never the county.
    let own = model::summary(&t.db, &alice, Scope::Department { department_id: f.dept_a, year: 2021 }).await.unwrap();
    assert_eq!(own.departments.len(), 1);
    for scope in [Scope::Department { department_id: f.dept_b, year: 2021 }, Scope::County { year: 2021 }] {
        assert!(matches!(model::summary(&t.db, &alice, scope).await, Err(db::Error::Refused(_))), "{scope:?}");
    }
    assert!(matches!(model::summary(&t.db, &finance, Scope::County { year: 1999 }).await, Err(db::Error::NotFound(_))));

    // (c) and (d).
    let block = &own.departments[0];
    let chart = charts::department_projects(block, own.year).unwrap();
    let svg = svg_of(&chart);
    assert!(svg.contains(&line.name) || svg.contains(&line.name.chars().take(15).collect::<String>()));
    let grade = line.grade.map(|g| g.label()).unwrap();
    assert!(svg.contains(&format!("{} {grade}", charts::build::num(line.total))));
    let grades = charts::grade_distribution(&county);
    let labels = texts(&svg_of(&grades));
    for g in ["优", "良", "中", "差", "未评定"] {
        assert!(labels.iter().any(|l| l == g), "grade axis lacks {g}: {labels:?}");
    }
    assert_eq!(grades.table.rows.iter().find(|r| r[0] == grade).unwrap()[1], "1");
    let svg = svg_of(&charts::departments_by_score(&county));
    assert!(svg.contains(&block.name));
    let by_rate = charts::departments_by_rate(&county);
    let svg = svg_of(&by_rate);
    assert!(svg.contains("95%（9.5 / 10 万元）"), "{svg}");
    assert!(svg.contains("全额执行"));
}

on_both_databases!(project_report_and_charts, summaries_and_access);

#[test]
fn trend_over_years() {
    let history = [(2019, Decimal::new(8250, 2)), (2020, Decimal::new(9100, 2)), (2021, Decimal::new(8875, 2))];
    let chart = charts::trend("某项目", &history).unwrap();
    let svg = svg_of(&chart);
    for text in ["2019年", "2020年", "2021年", "82.50", "91.00", "88.75", "历年绩效得分"] {
        assert!(svg.contains(text), "trend lacks {text}");
    }
    assert_eq!(chart.table.rows.len(), 3);
    let (_, _, pixels) = decode_png(&chart.png(1).unwrap());
    assert!(count_color(&pixels, (0x1c, 0x5f, 0xa8)) > 300, "the line is drawn");
}

#[test]
fn titles_are_escaped() {
    let chart = charts::trend("<script>&", &[(2020, Decimal::ONE), (2021, Decimal::TWO)]).unwrap();
    let svg = chart.svg().unwrap();
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;&amp;"));
}

async fn workbooks(t: &TestDb) {
    let f = setup(t).await;
    year_end(t, &f).await;
    let alice = db::accounts::actor(&f.alice);
    let report = model::project_report(&t.db, &alice, f.project_id).await.unwrap();

    // 自评表.
    let bytes = xlsx::selfeval_workbook(std::slice::from_ref(&report)).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    assert_eq!(cell(&range, 0, 0), "项目支出绩效自评表");
    assert_eq!(cell(&range, 2, 1), report.header.name);
    assert_eq!(cell(&range, 4, 3), "全年预算数（A）");
    assert_eq!(range.get_value((5, 3)), Some(&Data::Float(10.0)));
    assert_eq!(range.get_value((5, 4)), Some(&Data::Float(9.5)));
    assert_eq!(range.get_value((5, 6)), Some(&Data::Float(0.95)));
    let head = xlsx::SELFEVAL_INDICATOR_HEADER;
    assert_eq!(cell(&range, head, 8), "偏差原因分析及改进措施");
    let n = report.indicators.len() as u32;
    let names: Vec<String> = (0..n).map(|i| cell(&range, head + 1 + i, 3)).collect();
    let expected: Vec<String> = report.indicators.iter().map(|i| i.name.clone()).collect();
    assert_eq!(names, expected);
    let satisfied = report.indicators.iter().position(|i| i.name == "受益群众满意度").unwrap() as u32;
    assert_eq!(cell(&range, head + 1 + satisfied, 5), "90%");
    assert!(cell(&range, head + 1 + satisfied, 8).contains("宣传不足"));
    let total_row = head + 1 + n;
    assert_eq!(cell(&range, total_row, 0), "总分");
    assert_eq!(range.get_value((total_row, 7)), Some(&Data::Float(float(report.result.total))));
    let outputs = report.indicators.iter().filter(|i| i.level1 == report.indicators[0].level1).count() as u32;
    let merged: Vec<_> = book
        .merge_cells_by_sheet_name(&name)
        .unwrap()
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    for region in [(0, 0, 0, 8), (4, 0, 8, 0), (head, 0, head + n, 0), (head + 1, 1, head + outputs, 1)] {
        assert!(merged.contains(&region), "自评表 lacks merged {region:?}: {merged:?}");
    }

    // 目标表: merged levels, and the target importer reads it back as the same indicators.
    let bytes = xlsx::targets_workbook(std::slice::from_ref(&report)).unwrap();
    let text = sheets::targets::document_text(&bytes, &sheets::Limits::default()).unwrap();
    let imported = domain::import::import_target_tables(&text);
    assert_eq!(imported.projects.len(), 1, "{text}");
    let p = &imported.projects[0];
    assert_eq!(p.name, report.header.name);
    assert_eq!(p.funds_total, Some(report.header.funds_total));
    let read: Vec<(String, String)> = p.indicators.iter().map(|i| (i.name.clone(), i.target.raw.clone())).collect();
    let written: Vec<(String, String)> = report.indicators.iter().map(|i| (i.name.clone(), i.target.clone())).collect();
    assert_eq!(read, written);

    // 汇总表: 汇总 + one sheet per department.
    let finance = db::accounts::actor(&f.finance);
    let county = model::summary(&t.db, &finance, Scope::County { year: 2021 }).await.unwrap();
    let bytes = xlsx::summary_workbook(&county).unwrap();
    let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "汇总");
    assert_eq!(sheets.len(), 1 + county.departments.len());
    let summary = book.worksheet_range("汇总").unwrap();
    assert_eq!(cell(&summary, 0, 0), "全县2021年度项目支出绩效汇总表");
    assert_eq!(cell(&summary, 2, 0), county.departments[0].name);
    assert_eq!(summary.get_value((2, 4)), Some(&Data::Float(0.95)));
    assert_eq!(cell(&summary, 3, 0), "合计");
    let dept = book.worksheet_range(&sheets[1]).unwrap();
    assert_eq!(cell(&dept, 2, 0), report.header.name);
    assert_eq!(dept.get_value((2, 5)), Some(&Data::Float(float(report.result.total))));
    assert_eq!(cell(&dept, 2, 7), report.header.statuses[0].1.label());
    assert_eq!(cell(&dept, 2, 9), report.header.statuses[2].1.label());
}

on_both_databases!(workbooks);

/// word/document.xml of a .docx, and how many images it carries.
fn docx_parts(bytes: &[u8]) -> (String, usize) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let images = zip.file_names().flatten().filter(|n| n.starts_with("word/media/") && n.ends_with(".png")).count();
    (xml, images)
}

/// The text of document.xml: every <w:t> run joined.
fn docx_text(xml: &str) -> String {
    xml.split("<w:t").skip(1).filter_map(|t| Some(t.split_once('>')?.1.split_once("</w:t>")?.0)).collect()
}

async fn report_document(t: &TestDb) {
    let f = setup(t).await;
    year_end(t, &f).await;
    let first = projects::indicators(&t.db, f.project_id).await.unwrap().remove(0);
    db::cycle::comments::add(&t.db, &f.finance, first.id, "请补充佐证材料").await.unwrap();
    let alice = db::accounts::actor(&f.alice);
    let report = model::project_report(&t.db, &alice, f.project_id).await.unwrap();
    let bytes = reports::docx::report_docx(&report).unwrap();
    let (xml, images) = docx_parts(&bytes);
    assert_eq!(images, 2, "the indicator and score charts");
    assert!(xml.contains("w:vMerge"), "一级 / 二级 merged down");
    let text = docx_text(&xml);
    let total = charts::build::num(report.result.total);
    for needle in [
        format!("{}绩效自评报告", report.header.name),
        "一、项目基本情况".to_owned(),
        "预算执行率 95%".to_owned(),
        "受益群众满意度（年度指标值 ≥95%，实际完成值 90%）：宣传不足，明年加强入户走访".to_owned(),
        format!("本项目自评总分 {total} 分"),
        format!("{}，{}，", first.name, report.comments[0].author),
        "请补充佐证材料".to_owned(),
        "图1".to_owned(),
        "图2".to_owned(),
    ] {
        assert!(text.contains(&needle), "report lacks {needle}");
    }

    // The same report as PDF (LibreOffice): the text carries the numbers (pdftotext), both charts
    // are embedded (pdfimages), and the first page is drawn, not blank (pdftoppm).
    let pdf = reports::pdf::docx_to_pdf(&bytes).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let (pdf_text, images, page) = pdf_parts(&pdf);
    let flat: String = pdf_text.split_whitespace().collect();
    for needle in [
        format!("{}绩效自评报告", report.header.name),
        "预算执行率95%".to_owned(),
        "实际完成值90%）：宣传不足，明年加强入户走访".to_owned(),
        format!("本项目自评总分{total}分"),
        "请补充佐证材料".to_owned(),
    ] {
        assert!(flat.contains(&needle), "PDF lacks {needle}: {flat}");
    }
    assert_eq!(images, 2, "the indicator and score charts in the PDF");
    let (w, h, pixels) = decode_png(&page);
    assert!(w > 200 && h > w, "an A4 portrait page: {w}×{h}");
    let inked = pixels.chunks(3).filter(|p| p.iter().any(|&c| c < 160)).count();
    let share = inked as f64 / (w * h) as f64;
    assert!((0.005..0.5).contains(&share), "first page inked {share:.4}: blank or black");
}

/// A PDF's text (pdftotext), its number of images (pdfimages -list) and its first page as PNG
/// (pdftoppm), with Debian's poppler-utils.
fn pdf_parts(pdf: &[u8]) -> (String, usize, Vec<u8>) {
    let dir =
        std::env::temp_dir().join(format!("jixiao-pdf-test-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.pdf");
    std::fs::write(&file, pdf).unwrap();
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("pdftotext", &[file.as_os_str(), "-".as_ref()]);
    let images = run("pdfimages", &["-list".as_ref(), file.as_os_str()]).lines().skip(2).count();
    let stem = dir.join("page");
    run(
        "pdftoppm",
        &["-png".as_ref(), "-r".as_ref(), "40".as_ref(), "-singlefile".as_ref(), file.as_os_str(), stem.as_os_str()],
    );
    let page = std::fs::read(dir.join("page.png")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (text, images, page)
}

on_both_databases!(report_document);
