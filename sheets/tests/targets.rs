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
    let result = import_target_tables(&text);
    assert_eq!(result.projects.len(), 1, "{text}\n{:?}", result.issues);
    let got = &result.projects[0];
    assert_eq!((&got.name, &got.department, got.year), (&expected.name, &expected.department, expected.year));
    assert_eq!(got.funds_total, expected.funds_total);
    let rows = |p: &ImportedProject| -> Vec<(String, String, String, String)> {
        p.indicators
            .iter()
            .map(|i| (i.level1.clone(), i.level2.clone(), i.name.clone(), i.target_text.clone()))
            .collect()
    };
    assert_eq!(rows(got), rows(&expected), "{text}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_named() {
    assert_eq!(
        workbook_text(b"%PDF-1.4", &Limits::default()).unwrap_err().to_string(),
        "不是电子表格文件：请上传 .xlsx、.xls 或 .ods 文件"
    );
}
