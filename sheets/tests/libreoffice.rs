//! The templates (自评表, 运行监控表) re-saved by LibreOffice (as xlsx, ods and xls — what
//! offices using WPS or LibreOffice send back) read exactly as the originals: the same kind,
//! sheets, keys, funds, rows, values and places. Needs `soffice` (Debian's libreoffice-calc-nogui, installed by
//! scripts/setup.sh).

use domain::upload::MonitoringValues;
use domain::vocab::{DeviationCategory, Likelihood, TemplateKind};
use rust_decimal_macros::dec;
use sheets::actuals::{read, Parsed};
use sheets::template::{workbook, TemplateIndicator, TemplateProject};
use sheets::Limits;
use std::path::Path;
use std::process::Command;

fn project() -> TemplateProject {
    let ind =
        |id: i32, level1: &str, level2: &str, name: &str, target: &str, actual: Option<&str>, why: Option<&str>| {
            TemplateIndicator {
                id,
                level1: level1.into(),
                level2: level2.into(),
                name: name.into(),
                target: target.into(),
                unit: String::new(),
                weight: Some(dec!(10)),
                actual: actual.map(Into::into),
                explanation: why.map(Into::into),
                monitoring: MonitoringValues {
                    progress: actual.map(|a| format!("1-7月：{a}")),
                    forecast: actual.map(Into::into),
                    likelihood: Some(if why.is_some() { Likelihood::Possible } else { Likelihood::Certain }),
                    deviation_category: why.map(|_| DeviationCategory::Hardware),
                    deviation_reason: why.map(Into::into),
                    corrective_action: why.map(|_| "更换设备".into()),
                },
            }
        };
    TemplateProject {
        id: 7,
        name: "政府网站维护费及业务经费".into(),
        department: "阿合奇县电子政务办公室".into(),
        implementing_unit: "阿合奇县电子政务办公室".into(),
        year: 2021,
        budget_initial: Some(dec!(10)),
        budget_full_year: Some(dec!(12.5)),
        executed_full_year: Some(dec!(11.75)),
        executed_jan_jul: Some(dec!(4.5)),
        expected_execution: Some(dec!(12)),
        target_version: 2,
        indicators: vec![
            ind(41, "产出指标", "数量指标", "维护网站数量", "1个", Some("1个"), None),
            ind(42, "产出指标", "质量指标", "网站正常运行率", "≥98%", Some("96%"), Some("线路故障两次，已更换设备")),
            ind(43, "产出指标", "时效指标", "完成时间", "2021年12月31日前", Some("2021-12-20"), None),
            ind(44, "产出指标", "成本指标", "维护、测评网站成本", "≤40000 元/年", Some("38,000元/年"), None),
            ind(45, "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥95%", None, None),
        ],
    }
}

/// What matters of a read workbook: sheets, keys, funds, rows and their places.
fn essence(p: &Parsed) -> String {
    let mut out = format!("{:?}\n", p.kind);
    for s in &p.sheets {
        out.push_str(&format!(
            "sheet {} project {:?} name {:?} dept {:?}\n",
            s.name, s.project_key, s.project, s.department
        ));
        let f = &s.funds;
        for cell in [&f.budget, &f.executed, &f.executed_jan_jul, &f.expected_execution].into_iter().flatten() {
            out.push_str(&format!("  funds {} {}\n", cell.place, cell.cell.text()));
        }
        for r in &s.rows {
            let text = |c: &Option<sheets::layout::Placed>| c.as_ref().map(|a| (a.place.clone(), a.cell.text()));
            out.push_str(&format!(
                "  monitoring {:?} {:?} {:?} {:?} {:?}\n",
                text(&r.progress),
                text(&r.forecast),
                text(&r.likelihood),
                text(&r.deviation_category),
                text(&r.corrective_action)
            ));
            out.push_str(&format!(
                "  {} {:?} {}/{}/{} actual={:?} why={:?}\n",
                r.place,
                r.key,
                r.level1,
                r.level2,
                r.name,
                r.actual.as_ref().map(|a| (a.place.clone(), a.cell.text())),
                r.explanation.as_ref().map(|a| (a.place.clone(), a.cell.text())),
            ));
        }
    }
    out
}

fn convert(input: &Path, to: &str, out_dir: &Path) -> std::path::PathBuf {
    let profile = out_dir.join("profile");
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", to, "--outdir"])
        .arg(out_dir)
        .arg(input)
        .output()
        .expect("soffice (libreoffice-calc-nogui) is installed by scripts/setup.sh");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let out = out_dir.join(format!("{}.{to}", input.file_stem().unwrap().to_string_lossy()));
    assert!(out.exists(), "soffice wrote {}: {}", out.display(), String::from_utf8_lossy(&status.stdout));
    out
}

#[test]
fn libreoffice_resaved_templates_read_identically() {
    let dir = std::env::temp_dir().join(format!("jixiao-lo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    for kind in [TemplateKind::Selfeval, TemplateKind::Monitoring] {
        let original = dir.join(format!("{}.xlsx", kind.key()));
        std::fs::write(&original, workbook(kind, &[project()], 2021).unwrap()).unwrap();
        let expected = essence(&read(&std::fs::read(&original).unwrap(), &Limits::default()).unwrap());
        match kind {
            TemplateKind::Selfeval => {
                assert!(expected.contains("actual=Some((\"政府网站维护费及业务经费!G9\", \"96%\"))"), "{expected}");
                assert!(expected.contains("funds 政府网站维护费及业务经费!D5 11.75"), "{expected}");
            }
            TemplateKind::Monitoring => {
                assert!(expected.starts_with("Monitoring"), "{expected}");
                assert!(expected.contains("Some((\"政府网站维护费及业务经费!G9\", \"有可能\"))"), "{expected}");
                assert!(expected.contains("Some((\"政府网站维护费及业务经费!H9\", \"硬件条件保障\"))"), "{expected}");
                assert!(expected.contains("funds 政府网站维护费及业务经费!C5 4.5"), "{expected}");
                assert!(expected.contains("funds 政府网站维护费及业务经费!E5 12"), "{expected}");
            }
        }
        for to in ["xlsx", "ods", "xls"] {
            let resaved = convert(&original, to, &dir.join("out"));
            let parsed = read(&std::fs::read(&resaved).unwrap(), &Limits::default()).unwrap();
            assert_eq!(essence(&parsed), expected, "{} re-saved as {to}", kind.key());
            assert_eq!(format!("{:?}", parsed.format).to_lowercase(), to);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
