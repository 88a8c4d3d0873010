//! Fuzzing (issue 13): the value grammar, the published-text importer and the spreadsheet readers
//! fed random and mutated input, each for `JIXIAO_FUZZ_SECONDS` (default 3) — none may panic,
//! hang or run past the reader's limits. Inputs come from proptest strategies built from the
//! product's own vocabulary (comparators, units, Chinese numerals, header aliases) and from the
//! real tables in fixtures/, mutated; a failure is shrunk to a small input and printed, to be
//! kept below as a regression case. The ten-minute run (BENCHMARKS.md FUZZ):
//!
//!     JIXIAO_FUZZ_SECONDS=600 cargo test --release -p sheets --test fuzz -- --nocapture

use domain::value::{compare_targets, parse_actual_with, parse_target, TargetContext};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sheets::Limits;
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

fn budget() -> Duration {
    let secs = std::env::var("JIXIAO_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    Duration::from_secs(secs)
}

/// Runs `test` on inputs of `strategy` until the time budget is spent; panics with the shrunk
/// input when one panics.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let started = Instant::now();
    let mut inputs = 0u64;
    while started.elapsed() < budget() {
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            max_shrink_time: 60_000,
            ..Config::default()
        });
        if let Err(e) = runner.run(&strategy, |v| {
            test(v);
            Ok(())
        }) {
            panic!("fuzz {name}: {e}");
        }
        inputs += 64;
    }
    eprintln!("fuzz {name}: {inputs} inputs in {:.0} s, 0 panics", started.elapsed().as_secs_f64());
}

/// Pieces of 指标值 as tables write them, and arbitrary characters.
fn atom() -> impl Strategy<Value = String> {
    let words: Vec<&'static str> = vec![
        "≥",
        "≤",
        ">",
        "<",
        "=",
        "＞",
        "＜",
        "≧",
        "≦",
        "大于",
        "不低于",
        "不超过",
        "以上",
        "以内",
        "约",
        "左右",
        "%",
        "％",
        "‰",
        "万元",
        "元",
        "元/年",
        "元/人",
        "亿元",
        "个",
        "人次",
        "公里",
        "km",
        "㎡",
        "平方米",
        "台",
        "次/年",
        "年",
        "月",
        "日",
        "前",
        "底",
        "季度",
        "上半年",
        "12月31日",
        "2021年",
        "一",
        "二",
        "三",
        "十",
        "百",
        "千",
        "万",
        "亿",
        "两",
        "半",
        "零",
        "〇",
        ".",
        "．",
        ",",
        "，",
        "-",
        "－",
        "~",
        "～",
        "至",
        "/",
        "*",
        "**",
        "×",
        "e",
        "E",
        "1e400",
        "NaN",
        "inf",
        " ",
        "\u{3000}",
        "\t",
        "\n",
        "（",
        "）",
        "(",
        ")",
        "优",
        "良",
        "中",
        "差",
        "有效",
        "显著",
        "提升",
        "达标",
        "合格",
        "是",
        "否",
        "/",
        "无",
        "—",
        "\u{0}",
        "\u{202e}",
        "𠮷",
    ];
    prop_oneof![
        4 => proptest::sample::select(words).prop_map(str::to_owned),
        3 => "[0-9]{1,6}",
        1 => "[０-９]{1,4}",
        1 => "[0-9]{1,40}",
        1 => "[0-9]{1,3}\\.[0-9]{1,30}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn value_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(atom(), 0..10).prop_map(|parts| parts.concat())
}

fn context() -> impl Strategy<Value = TargetContext> {
    let categories =
        vec!["数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会效益指标", "满意度指标", "其他"];
    let names = vec!["网站正常运行率", "维护成本", "完成时间", "受益群众满意度", "培训人次", "长效机制", "x"];
    (proptest::option::of(proptest::sample::select(categories)), proptest::option::of(proptest::sample::select(names)))
        .prop_map(|(category, name)| TargetContext {
            category: category.map(str::to_owned),
            indicator_name: name.map(str::to_owned),
            ..Default::default()
        })
}

#[test]
fn fuzz_value_grammar() {
    fuzz("value grammar", (value_text(), value_text(), context()), |(target, actual, ctx)| {
        let t = parse_target(&target, &ctx);
        let a = parse_actual_with(&actual, &ctx);
        let _ = compare_targets(&t, &a);
        let _ = serde_json::to_string(&t).unwrap();
        let _ = domain::value::read_date(&actual);
        let _ = domain::value::split_glued_value(&target);
    });
}

/// The published tables in fixtures/.
fn fixture_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    texts.sort();
    assert!(texts.len() >= 20, "fixtures/ holds the published tables");
    texts
}

/// An edit of a text: at a fraction of its length, delete a span, insert a piece, or duplicate
/// or drop a line.
#[derive(Clone, Debug)]
enum Edit {
    Delete(f64, usize),
    Insert(f64, String),
    DuplicateLine(f64),
    DropLine(f64),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let table_bits = prop_oneof![
        value_text(),
        proptest::sample::select(vec![
            "|",
            "\t",
            "\n",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "项目名称",
            "年度绩效目标",
            "产出指标",
            "效益指标",
            "满意度指标",
            "数量指标",
            "分值",
            "实际完成值",
            "主管部门",
            "资金总额",
            "---|---",
        ])
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        (0.0..1.0f64, 1usize..200).prop_map(|(at, n)| Edit::Delete(at, n)),
        (0.0..1.0f64, table_bits).prop_map(|(at, s)| Edit::Insert(at, s)),
        (0.0..1.0f64).prop_map(Edit::DuplicateLine),
        (0.0..1.0f64).prop_map(Edit::DropLine),
        (0.0..1.0f64).prop_map(Edit::Truncate),
    ]
}

fn apply_edit(text: &str, edit: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |f: f64| ((chars.len() as f64 * f) as usize).min(chars.len());
    match edit {
        Edit::Delete(f, n) => {
            let i = at(*f);
            chars[..i].iter().chain(chars[(i + n).min(chars.len())..].iter()).collect()
        }
        Edit::Insert(f, s) => {
            let i = at(*f);
            chars[..i].iter().collect::<String>() + s + &chars[i..].iter().collect::<String>()
        }
        Edit::DuplicateLine(f) | Edit::DropLine(f) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return text.to_owned();
            }
            let i = ((lines.len() as f64 * f) as usize).min(lines.len() - 1);
            if matches!(edit, Edit::DuplicateLine(_)) {
                lines.insert(i, lines[i]);
            } else {
                lines.remove(i);
            }
            lines.join("\n")
        }
        Edit::Truncate(f) => chars[..at(*f)].iter().collect(),
    }
}

#[test]
fn fuzz_text_importer() {
    let texts = fixture_texts();
    let n = texts.len();
    let strategy = prop_oneof![
        4 => (0..n, proptest::collection::vec(edit(), 1..12)).prop_map(move |(i, edits)| (Some(i), edits)),
        1 => proptest::collection::vec(edit(), 1..30).prop_map(|edits| (None, edits)),
    ];
    fuzz("text importer", strategy, |(fixture, edits)| {
        let mut text = fixture.map(|i| texts[i].clone()).unwrap_or_default();
        for e in &edits {
            text = apply_edit(&text, e);
        }
        let result = domain::import::import_target_tables(&text);
        let _ = serde_json::to_string(&result).unwrap();
    });
}

/// One cell of a generated sheet.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Number(f64),
    Formula(String),
    Percent(f64),
    Blank,
}

fn cell() -> impl Strategy<Value = Cell> {
    let headers = vec![
        "一级指标",
        "二级指标",
        "三级指标",
        "指标名称",
        "年度指标值",
        "指标值",
        "计量单位",
        "分值",
        "权重",
        "实际完成值",
        "完成值",
        "偏差原因分析及改进措施",
        "偏差原因",
        "项目名称",
        "主管部门",
        "部门",
        "全年预算数",
        "全年执行数",
        "得分",
        "1-7月执行情况",
        "完成目标可能性",
        "年度",
        "指标性质",
        "指标方向",
    ];
    prop_oneof![
        3 => proptest::sample::select(headers).prop_map(|h| Cell::Text(h.to_owned())),
        4 => value_text().prop_map(Cell::Text),
        2 => any::<f64>().prop_map(Cell::Number),
        1 => (-1.0e6..1.0e6f64).prop_map(Cell::Percent),
        1 => proptest::sample::select(vec!["=1/0", "=#REF!", "=NA()", "=\"95%\"", "=A1", "=SUM(A1:B2)", "=1e400"])
            .prop_map(|f| Cell::Formula(f.to_owned())),
        2 => Just(Cell::Blank),
    ]
}

type Grid = Vec<Vec<Cell>>;
/// A generated sheet: its name, its cells, and merged ranges (row, column, rows and columns more).
type Sheet = (String, Grid, Vec<(u32, u16, u32, u16)>);

fn grid() -> impl Strategy<Value = Vec<Sheet>> {
    let sheet = (
        "[\\PC]{0,12}",
        proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..14),
        proptest::collection::vec((0u32..14, 0u16..9, 0u32..3, 0u16..3), 0..3),
    );
    proptest::collection::vec(sheet, 1..4)
}

fn xlsx_of(sheets: &[Sheet]) -> Option<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
    for (name, rows, merges) in sheets {
        let ws = wb.add_worksheet();
        let _ = ws.set_name(name);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let _ = match cell {
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                    Cell::Percent(n) => ws.write_number_with_format(r, c, *n, &percent).map(|_| ()),
                    Cell::Formula(f) => ws.write_formula(r, c, f.as_str()).map(|_| ()),
                    Cell::Blank => Ok(()),
                };
            }
        }
        for (r, c, dr, dc) in merges {
            if *dr > 0 || *dc > 0 {
                let _ = ws.merge_range(*r, *c, r + dr, c + dc, "合并", &rust_xlsxwriter::Format::new());
            }
        }
    }
    wb.save_to_buffer().ok()
}

/// A minimal OpenDocument spreadsheet of the same cells, with row and column repeats.
fn ods_of(sheets: &[Sheet], repeat: u32) -> Vec<u8> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut content = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>",
    );
    for (name, rows, _) in sheets {
        content.push_str(&format!("<table:table table:name=\"{}\">", escape(name)));
        for (r, row) in rows.iter().enumerate() {
            let rep = if r == 0 { repeat } else { 1 };
            content.push_str(&format!("<table:table-row table:number-rows-repeated=\"{rep}\">"));
            for cell in row {
                let c = match cell {
                    Cell::Text(t) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        escape(&t.chars().filter(|c| !c.is_control()).collect::<String>())
                    ),
                    Cell::Number(n) | Cell::Percent(n) => format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    Cell::Formula(f) => format!(
                        "<table:table-cell table:formula=\"of:{}\" office:value-type=\"string\" office:string-value=\"#DIV/0!\"/>",
                        escape(f)
                    ),
                    Cell::Blank => format!("<table:table-cell table:number-columns-repeated=\"{repeat}\"/>"),
                };
                content.push_str(&c);
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", content.as_str()),
        ("META-INF/manifest.xml", manifest),
    ] {
        w.start_file(name, stored).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Reads `bytes` as every reader of uploads does; whatever it is, the answer is a value or an
/// error, never a panic.
fn read_all(bytes: &[u8]) {
    let limits = Limits::default();
    let _ = sheets::actuals::read(bytes, &limits);
    if let Ok(text) = sheets::targets::workbook_text(bytes, &limits) {
        let _ = domain::import::import_target_tables(&text);
    }
    let _ = sheets::targets::document_text(bytes, &limits);
}

#[test]
fn fuzz_generated_workbooks() {
    let strategy =
        (grid(), prop_oneof![3 => Just(1u32), 1 => 1u32..100_000, 1 => Just(1_048_576u32), 1 => Just(u32::MAX)]);
    fuzz("workbooks (xlsx, ods)", strategy, |(sheets, repeat)| {
        if let Some(xlsx) = xlsx_of(&sheets) {
            read_all(&xlsx);
        }
        read_all(&ods_of(&sheets, repeat));
    });
}

/// A byte edit of a file: flip, overwrite, insert, cut.
#[derive(Clone, Debug)]
enum ByteEdit {
    Flip(f64, u8),
    Overwrite(f64, Vec<u8>),
    Insert(f64, Vec<u8>),
    Cut(f64, usize),
}

#[test]
fn fuzz_mutated_files() {
    let base = xlsx_of(&[(
        "自评表".to_owned(),
        vec![
            vec![Cell::Text("三级指标".into()), Cell::Text("年度指标值".into()), Cell::Text("实际完成值".into())],
            vec![Cell::Text("网站正常运行率".into()), Cell::Text("100%".into()), Cell::Percent(0.98)],
            vec![Cell::Text("维护成本".into()), Cell::Text("≤40000元/年".into()), Cell::Number(38000.0)],
        ],
        vec![],
    )])
    .unwrap();
    let ods = ods_of(
        &[("表1".to_owned(), vec![vec![Cell::Text("三级指标".into()), Cell::Text("实际完成值".into())]], vec![])],
        1,
    );
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.extend(std::iter::repeat_n(0u8, 504));
    let bases = [base, ods, cfb];
    let byte_edit = prop_oneof![
        (0.0..1.0f64, any::<u8>()).prop_map(|(at, b)| ByteEdit::Flip(at, b)),
        (0.0..1.0f64, proptest::collection::vec(any::<u8>(), 1..64)).prop_map(|(at, b)| ByteEdit::Overwrite(at, b)),
        (0.0..1.0f64, proptest::collection::vec(any::<u8>(), 1..64)).prop_map(|(at, b)| ByteEdit::Insert(at, b)),
        (0.0..1.0f64, 1usize..4096).prop_map(|(at, n)| ByteEdit::Cut(at, n)),
    ];
    let strategy = (0..bases.len(), proptest::collection::vec(byte_edit, 1..8));
    fuzz("mutated files", strategy, |(b, edits)| {
        let mut bytes = bases[b].clone();
        for e in &edits {
            let at = |f: f64| ((bytes.len() as f64 * f) as usize).min(bytes.len());
            match e {
                ByteEdit::Flip(f, x) => {
                    let i = at(*f).min(bytes.len().saturating_sub(1));
                    if let Some(b) = bytes.get_mut(i) {
                        *b ^= x | 1;
                    }
                }
                ByteEdit::Overwrite(f, data) => {
                    let i = at(*f);
                    for (k, d) in data.iter().enumerate() {
                        if let Some(b) = bytes.get_mut(i + k) {
                            *b = *d;
                        }
                    }
                }
                ByteEdit::Insert(f, data) => {
                    let i = at(*f);
                    bytes.splice(i..i, data.iter().copied());
                }
                ByteEdit::Cut(f, n) => {
                    let i = at(*f);
                    bytes.drain(i..(i + n).min(bytes.len()));
                }
            }
        }
        read_all(&bytes);
    });
}
