//! The workbooks the browser test uploads (end2end/fixtures/): a sheet "exported from another
//! system" with actuals of the demo project, and one with two bad rows. This test keeps them
//! what the browser test expects; `JIXIAO_WRITE_E2E_FIXTURES=1 cargo test -p sheets --test
//! e2e_fixtures` writes them anew.

use rust_xlsxwriter::Workbook;
use sheets::actuals::read;
use sheets::Limits;
use std::path::PathBuf;

const PROJECT: &str = "政府网站维护费及业务经费";
const DEPARTMENT: &str = "阿合奇县电子政务办公室";

/// 三级指标, 实际完成值, 偏差原因.
type Row = (&'static str, &'static str, &'static str);

/// Each file and its rows.
const FIXTURES: &[(&str, &[Row])] = &[
    (
        "demo-actuals.xlsx",
        &[
            ("维护 LED 屏幕数量", "1座", ""),
            ("租赁光纤条数", "1条", ""),
            ("LED 屏幕正常运行率", "96%", "设备老化，明年更换"),
        ],
    ),
    ("demo-actuals-bad.xlsx", &[("维护网站数量", "约九成", ""), ("不存在的指标", "5", "")]),
];

fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures").join(name)
}

fn write(name: &str, rows: &[Row]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("自评数据").unwrap();
    ws.write_string(0, 0, "2021年度项目绩效自评数据（业务系统导出）").unwrap();
    for (c, h) in ["部门", "项目名称", "三级指标", "实际完成值", "偏差原因分析及改进措施"].iter().enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, (name, actual, why)) in rows.iter().enumerate() {
        let r = 2 + i as u32;
        for (c, v) in [DEPARTMENT, PROJECT, name, actual, why].iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path(name)).unwrap();
}

#[test]
fn e2e_fixtures_are_current() {
    for (name, rows) in FIXTURES {
        if std::env::var("JIXIAO_WRITE_E2E_FIXTURES").is_ok_and(|v| v == "1") {
            write(name, rows);
        }
        let bytes =
            std::fs::read(path(name)).unwrap_or_else(|_| panic!("{name}: run with JIXIAO_WRITE_E2E_FIXTURES=1"));
        let parsed = read(&bytes, &Limits::default()).unwrap();
        let found: Vec<(String, String)> = parsed.sheets[0]
            .rows
            .iter()
            .map(|r| (r.name.clone(), r.actual.as_ref().map(|a| a.cell.text()).unwrap_or_default()))
            .collect();
        let expected: Vec<(String, String)> = rows.iter().map(|(n, a, _)| (n.to_string(), a.to_string())).collect();
        assert_eq!(found, expected, "{name}");
        assert_eq!(parsed.sheets[0].rows[0].project.as_deref(), Some(PROJECT));
    }
}
