//! The workbooks the browser test uploads (end2end/fixtures/): a sheet "exported from another
//! system" with actuals of the demo project, one with two bad rows, and a 运行监控 sheet of
//! another system with its 1–7月 funds. This test keeps them
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

const MONITORING: &str = "demo-monitoring.xlsx";
/// 三级指标, 1-7月执行情况, 完成目标可能性, 偏差原因分析, 纠偏措施.
const MONITORING_ROWS: &[[&str; 5]] = &[
    ["维护 LED 屏幕数量", "已完成维护1座", "确定能", "", ""],
    ["LED 屏幕正常运行率", "上半年运行率95%", "有可能", "设备老化", "申请更换老旧屏幕"],
];

fn write_monitoring() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("监控数据").unwrap();
    ws.write_string(0, 0, "2021年度项目绩效运行监控（业务系统导出）").unwrap();
    ws.write_string(1, 0, "项目名称").unwrap();
    ws.write_string(1, 1, PROJECT).unwrap();
    ws.write_string(2, 1, "1-7月执行数").unwrap();
    ws.write_string(2, 2, "全年预计执行数").unwrap();
    ws.write_number(3, 1, 3.2).unwrap();
    ws.write_number(3, 2, 8).unwrap();
    for (c, h) in ["三级指标", "1-7月执行情况", "完成目标可能性", "偏差原因分析", "纠偏措施"].iter().enumerate()
    {
        ws.write_string(5, c as u16, *h).unwrap();
    }
    for (i, row) in MONITORING_ROWS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(6 + i as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path(MONITORING)).unwrap();
}

#[test]
fn the_monitoring_fixture_is_current() {
    if std::env::var("JIXIAO_WRITE_E2E_FIXTURES").is_ok_and(|v| v == "1") {
        write_monitoring();
    }
    let bytes = std::fs::read(path(MONITORING)).expect("run with JIXIAO_WRITE_E2E_FIXTURES=1");
    let parsed = read(&bytes, &Limits::default()).unwrap();
    assert_eq!(parsed.kind, domain::vocab::ImportKind::Monitoring);
    let sheet = &parsed.sheets[0];
    assert_eq!(sheet.project.as_deref(), Some(PROJECT));
    let text = |c: &Option<sheets::layout::Placed>| c.as_ref().map(|p| p.cell.text()).unwrap_or_default();
    let found: Vec<[String; 5]> = sheet
        .rows
        .iter()
        .map(|r| {
            [r.name.clone(), text(&r.progress), text(&r.likelihood), text(&r.explanation), text(&r.corrective_action)]
        })
        .collect();
    let expected: Vec<[String; 5]> = MONITORING_ROWS.iter().map(|r| r.map(str::to_owned)).collect();
    assert_eq!(found, expected);
    assert_eq!(text(&sheet.funds.executed_jan_jul), "3.2");
    assert_eq!(text(&sheet.funds.expected_execution), "8");
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
