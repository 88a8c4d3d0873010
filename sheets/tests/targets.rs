//! A 绩效目标表 workbook reads as the published table it was made from: the demo project's table
//! (fixtures/000…) written as a workbook in the standard layout — title, header block, funds,
//! goals, the indicator table with merged 一级 / 二级 cells — imports the same project.

use domain::import::{import_target_tables, ImportedProject};
use rust_xlsxwriter::{Format, Workbook};
use sheets::targets::workbook_text;
use sheets::Limits;

fn seed() -> ImportedProject {
    import_target_tables(db::demo::SEED_TEXT).projects.remove(0)
}

fn workbook(p: &ImportedProject) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("绩效目标表").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 3, "项目支出绩效目标表", &f).unwrap();
    ws.merge_range(1, 0, 1, 3, &format!("（{}年度）", p.year.unwrap()), &f).unwrap();
    ws.write_string(2, 0, "项目名称").unwrap();
    ws.merge_range(2, 1, 2, 3, &p.name, &f).unwrap();
    ws.write_string(3, 0, "主管部门").unwrap();
    ws.write_string(3, 1, p.department.as_deref().unwrap()).unwrap();
    ws.write_string(3, 2, "实施单位").unwrap();
    ws.write_string(3, 3, p.implementing_unit.as_deref().unwrap()).unwrap();
    ws.write_string(4, 0, "项目资金（万元）").unwrap();
    ws.write_string(4, 1, "年度资金总额").unwrap();
    ws.write_number(4, 2, 10.0).unwrap();
    ws.write_string(5, 1, "其中：财政拨款").unwrap();
    ws.write_number(5, 2, 10.0).unwrap();
    ws.write_string(6, 1, "其他资金").unwrap();
    ws.write_number(6, 2, 0.0).unwrap();
    ws.write_string(7, 0, "年度目标").unwrap();
    ws.merge_range(7, 1, 7, 3, &p.annual_goals.join("\n"), &f).unwrap();
    for (c, h) in ["一级指标", "二级指标", "三级指标", "指标值"].iter().enumerate() {
        ws.write_string(8, c as u16, *h).unwrap();
    }
    let mut row = 9;
    let mut i = 0;
    while i < p.indicators.len() {
        // A run of one 二级指标, merged in column B (and its 一级 in column A).
        let (l1, l2) = (&p.indicators[i].level1, &p.indicators[i].level2);
        let n = p.indicators[i..].iter().take_while(|x| &x.level2 == l2 && &x.level1 == l1).count() as u32;
        if n > 1 {
            ws.merge_range(row, 0, row + n - 1, 0, l1, &f).unwrap();
            ws.merge_range(row, 1, row + n - 1, 1, l2, &f).unwrap();
        } else {
            ws.write_string(row, 0, l1).unwrap();
            ws.write_string(row, 1, l2).unwrap();
        }
        for k in 0..n as usize {
            let ind = &p.indicators[i + k];
            ws.write_string(row + k as u32, 2, &ind.name).unwrap();
            ws.write_string(row + k as u32, 3, &ind.target_text).unwrap();
        }
        row += n;
        i += n as usize;
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_target_table_workbook_imports_like_the_published_table() {
    let expected = seed();
    let text = workbook_text(&workbook(&expected), &Limits::default()).unwrap();
    let got = imports_as(&text, &expected);
    assert_eq!(got.funds_total, expected.funds_total);
}

/// The one project `text` imports, after checking its name, department, year and indicator rows
/// against `expected`.
fn imports_as(text: &str, expected: &ImportedProject) -> ImportedProject {
    let mut result = import_target_tables(text);
    assert_eq!(result.projects.len(), 1, "{text}\n{:?}", result.issues);
    let got = result.projects.remove(0);
    assert_eq!((&got.name, &got.department, got.year), (&expected.name, &expected.department, expected.year));
    let rows = |p: &ImportedProject| -> Vec<(String, String, String, String)> {
        p.indicators
            .iter()
            .map(|i| (i.level1.clone(), i.level2.clone(), i.name.clone(), i.target_text.clone()))
            .collect()
    };
    assert_eq!(rows(&got), rows(expected), "{text}");
    got
}

#[test]
fn a_file_that_is_not_a_workbook_is_named() {
    assert_eq!(
        workbook_text(b"%PDF-1.4", &Limits::default()).unwrap_err().to_string(),
        "不是电子表格文件：请上传 .xlsx、.xls 或 .ods 文件"
    );
}

/// The same table as a Word document: title paragraphs, then one table whose 一级 / 二级 cells
/// are merged downwards (`w:vMerge`), with an entity and a line break inside cells.
fn docx(p: &ImportedProject) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let cell = |text: &str, merge: Option<&str>| {
        let merge = merge.map(|m| format!("<w:tcPr><w:vMerge{m}/></w:tcPr>")).unwrap_or_default();
        format!("<w:tc>{merge}<w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>", esc(text))
    };
    let row = |cells: Vec<String>| format!("<w:tr>{}</w:tr>", cells.concat());
    let para = |text: &str| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(text));
    let mut rows = vec![
        row(vec![cell("项目名称", None), cell(&p.name, None)]),
        row(vec![
            cell("主管部门", None),
            cell(p.department.as_deref().unwrap(), None),
            cell("实施单位", None),
            cell(p.implementing_unit.as_deref().unwrap(), None),
        ]),
        row(vec![cell("项目资金（万元）", None), cell("年度资金总额", None), cell("10", None)]),
        row(vec![cell("其中：财政拨款", None), cell("10", None)]),
        row(vec![cell("其他资金", None), cell("0", None)]),
        format!(
            "<w:tr>{}<w:tc><w:p><w:r><w:t>{}</w:t><w:br/><w:t>{}</w:t></w:r></w:p></w:tc></w:tr>",
            cell("年度目标", None),
            esc(p.annual_goals.first().map_or("", String::as_str)),
            esc(&p.annual_goals[1..].join(" ")),
        ),
        row(vec![cell("一级指标", None), cell("二级指标", None), cell("三级指标", None), cell("指标值", None)]),
    ];
    let mut previous: Option<(&str, &str)> = None;
    for ind in &p.indicators {
        let same = previous == Some((ind.level1.as_str(), ind.level2.as_str()));
        let (l1, l2) = if same {
            (cell("", Some("")), cell("", Some("")))
        } else {
            (cell(&ind.level1, Some(" w:val=\"restart\"")), cell(&ind.level2, Some(" w:val=\"restart\"")))
        };
        rows.push(row(vec![l1, l2, cell(&ind.name, None), cell(&ind.target_text, None)]));
        previous = Some((&ind.level1, &ind.level2));
    }
    let body = format!(
        "{}{}<w:tbl>{}</w:tbl>{}",
        para("项目支出绩效目标表"),
        para(&format!("（{}年度）", p.year.unwrap())),
        rows.concat(),
        para("填表人：张三 & 李四")
    );
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", options).unwrap();
    w.write_all(
        b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    )
    .unwrap();
    w.start_file("word/document.xml", options).unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn a_word_table_imports_like_the_published_table() {
    let expected = seed();
    let text = sheets::targets::document_text(&docx(&expected), &Limits::default()).unwrap();
    assert!(text.starts_with("项目支出绩效目标表\n（2021年度）\n项目名称 | 政府网站维护费及业务经费 |\n"), "{text}");
    assert!(text.contains("填表人：张三 & 李四"), "{text}");
    imports_as(&text, &expected);
    // The workbook path answers the same for the same file kinds, and names the others.
    assert_eq!(
        sheets::targets::document_text(b"%PDF-1.4", &Limits::default()).unwrap_err().to_string(),
        "不是表格或 Word 文件：请给出 .xlsx、.xls、.ods 或 .docx 文件"
    );
}
