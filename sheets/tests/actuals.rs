//! The actuals import against both databases: template → filled → preview → commit → revert →
//! the same values through the forms score the same; bad values, other departments and locked
//! phases change nothing; a foreign layout matches by names and reports what it cannot match.

use db::cycle::evaluation::{self, ActualInput};
use db::store::{audit, projects};
use db::testing::TestDb;
use domain::upload::MonitoringValues;
use domain::vocab::{DeviationCategory, ImportKind, Likelihood, TemplateKind};
use domain::workflow::{Action, Phase};
use rust_decimal_macros::dec;
use rust_xlsxwriter::Workbook;
use sheets::actuals::{self, Report, Severity};
use sheets::template::{self, Scope, TemplateProject};
use sheets::Limits;

#[path = "../../db/tests/common/mod.rs"]
#[macro_use]
mod common;
use common::{act, setup, Fixture};

async fn approve_targets(t: &TestDb, f: &Fixture) {
    let check = db::cycle::transition::submit_check(&t.db, f.project_id, Phase::Declaration).await.unwrap();
    let actor = db::accounts::actor(&f.alice);
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
}

/// What a department types into the template: each target as achieved, the last one short of
/// it with an explanation, and the funds.
fn fill(mut projects: Vec<TemplateProject>) -> Vec<TemplateProject> {
    for p in &mut projects {
        p.budget_full_year = Some(dec!(10));
        p.executed_full_year = Some(dec!(9.5));
        for ind in p.indicators.iter_mut() {
            ind.actual = Some(ind.target.trim_start_matches(['≥', '≤', '>', '<', '=']).trim().to_owned());
        }
        if let Some(last) = p.indicators.last_mut() {
            last.actual = Some("90%".to_owned());
            last.explanation = Some("宣传不足，明年加强".to_owned());
        }
    }
    projects
}

/// indicator id → (实际完成值, 偏差原因) as [`fill`] types them.
fn typed(projects: &[TemplateProject]) -> std::collections::HashMap<i32, (Option<String>, Option<String>)> {
    projects.iter().flat_map(|p| &p.indicators).map(|i| (i.id, (i.actual.clone(), i.explanation.clone()))).collect()
}

async fn filled_template(t: &TestDb, f: &Fixture) -> Vec<u8> {
    let projects = template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap();
    template::selfeval_workbook(&fill(projects), 2021).unwrap()
}

async fn import(t: &TestDb, user: &db::entities::user::Model, bytes: &[u8], dry_run: bool) -> Report {
    let parsed = actuals::read(bytes, &Limits::default()).expect("the workbook reads");
    actuals::apply(&t.db, user, "自评.xlsx", &parsed, dry_run).await.unwrap()
}

async fn stored_actuals(t: &TestDb, f: &Fixture) -> Vec<Option<String>> {
    let inds = projects::indicators(&t.db, f.project_id).await.unwrap();
    let mut out = Vec::new();
    for ind in inds {
        out.push(db::store::actuals::of_indicator(&t.db, ind.id).await.unwrap().and_then(|a| a.actual_text));
    }
    out
}

fn errors(report: &Report) -> Vec<String> {
    report.problems.iter().filter(|p| p.severity == Severity::Error).map(|p| p.to_string()).collect()
}

async fn round_trip(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let bytes = filled_template(t, &f).await;
    let audit_before = audit::for_project(&t.db, f.project_id).await.unwrap().len();

    let preview = import(t, &f.alice, &bytes, true).await;
    assert!(errors(&preview).is_empty(), "{:?}", preview.problems);
    assert!(!preview.committed);
    let n = projects::indicators(&t.db, f.project_id).await.unwrap().len();
    assert_eq!(preview.counts.rows_read, n);
    assert_eq!(preview.counts.rows_changed, n + 1, "every indicator and the funds");
    assert_eq!(preview.rows[0].old_actual, None);
    assert!(preview.rows[0].new_actual.is_some());
    assert!(preview.rows[0].place.ends_with("!G8"), "{}", preview.rows[0].place);
    assert!(preview.rows.iter().all(|r| r.score.is_some()));
    assert_eq!(preview.projects.len(), 1);
    assert_eq!(preview.projects[0].old_total, dec!(0));
    let previewed_total = preview.projects[0].new_total;
    assert!(previewed_total > dec!(60), "{previewed_total}");
    assert_eq!(stored_actuals(t, &f).await, vec![None; n], "a dry run stores nothing");
    assert_eq!(audit::for_project(&t.db, f.project_id).await.unwrap().len(), audit_before);

    let committed = import(t, &f.alice, &bytes, false).await;
    assert!(committed.committed);
    let id = committed.import_id.expect("an import record");
    let trail = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert_eq!(trail.len(), audit_before + n + 3, "a row per changed field: each actual, one explanation, two funds");
    let imported: Vec<_> = trail.iter().filter(|r| r.action.0 == domain::vocab::AuditAction::Import).collect();
    assert_eq!(imported.len(), trail.len() - audit_before, "the import's writes are audited as 导入");
    assert_eq!(committed.projects[0].new_total, previewed_total, "the preview is what the commit does");
    let stored = db::cycle::evaluation::self_evaluation(&t.db, f.project_id, false).await.unwrap().unwrap();
    let imported_result = domain::selfeval::evaluate(&stored);
    assert_eq!(imported_result.total.round_dp(2).normalize(), previewed_total);
    assert_eq!(stored.funds.budget, dec!(10));
    assert_eq!(stored.funds.executed, dec!(9.5));
    // The import stored the project's new score in its transaction.
    let kept = db::scores::stored_of(&t.db, &[f.project_id]).await.unwrap().remove(&f.project_id).unwrap();
    assert_eq!((kept.total, kept.has_results), (imported_result.total.normalize(), true));
    assert!(db::scores::mismatches(&t.db).await.unwrap().is_empty());
    let records = actuals::records(&t.db, &f.alice).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].sha256, committed.sha256);
    assert_eq!(records[0].rows_changed as usize, n + 1);
    assert!(actuals::records(&t.db, &f.bob).await.unwrap().is_empty(), "another department sees no record");
    assert!(actuals::record(&t.db, &f.bob, id).await.is_err());

    // Importing the same file again changes nothing.
    let again = import(t, &f.alice, &bytes, true).await;
    assert_eq!(again.counts.rows_changed, 0);

    // Revert: everything back as it was.
    let reverted = actuals::revert(&t.db, &f.alice, id).await.unwrap();
    assert!(reverted.committed, "{:?}", reverted.problems);
    assert_eq!(stored_actuals(t, &f).await, vec![None; n]);
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!(p.executed_full_year, None);
    let kept = db::scores::stored_of(&t.db, &[f.project_id]).await.unwrap().remove(&f.project_id).unwrap();
    assert!(!kept.has_results, "the revert stored the score of nothing entered");
    assert!(db::scores::mismatches(&t.db).await.unwrap().is_empty());
    let twice = actuals::revert(&t.db, &f.alice, id).await.unwrap_err();
    assert_eq!(twice.to_string(), "该次导入已撤销", "a revert is done once");

    // The same values through the forms give the same scores.
    let values = typed(&fill(template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap()));
    for ind in projects::indicators(&t.db, f.project_id).await.unwrap() {
        let existing = db::store::actuals::of_indicator(&t.db, ind.id).await.unwrap();
        let (actual_text, explanation) = values[&ind.id].clone();
        let input = ActualInput { actual_text, explanation, ..Default::default() };
        evaluation::save_actual(&t.db, &f.alice, ind.id, &input, existing.map_or(0, |e| e.version)).await.unwrap();
    }
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    let funds = evaluation::YearEndFunds {
        budget_initial: p.budget_initial.map(|a| a.0),
        budget_full_year: Some(dec!(10)),
        executed_full_year: Some(dec!(9.5)),
        execution_explanation: None,
    };
    evaluation::save_year_end_funds(&t.db, &f.alice, f.project_id, &funds, p.version).await.unwrap();
    let by_forms = db::cycle::evaluation::self_evaluation(&t.db, f.project_id, false).await.unwrap().unwrap();
    assert_eq!(domain::selfeval::evaluate(&by_forms), imported_result);
}

async fn bad_values_change_nothing(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let mut projects = fill(template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap());
    projects[0].indicators[1].actual = Some("约九成".to_owned());
    projects[0].indicators[2].actual = Some("x".repeat(201));
    let sheet = projects[0].name.chars().take(24).collect::<String>();
    let bytes = template::selfeval_workbook(&projects, 2021).unwrap();
    let audit_before = audit::for_project(&t.db, f.project_id).await.unwrap().len();
    let report = import(t, &f.alice, &bytes, false).await;
    assert!(!report.committed);
    let errs = errors(&report);
    assert_eq!(errs.len(), 2, "all problems at once: {errs:?}");
    assert!(errs[0].starts_with(&format!("{sheet}!G9：")), "{errs:?}");
    assert!(errs[0].contains("无法识别的数值“约九成”（指标值“"), "{errs:?}");
    assert!(errs[1].starts_with(&format!("{sheet}!G10：")) && errs[1].contains("不能超过200字"), "{errs:?}");
    assert_eq!(stored_actuals(t, &f).await, vec![None; projects[0].indicators.len()]);
    assert_eq!(audit::for_project(&t.db, f.project_id).await.unwrap().len(), audit_before, "nothing written");
    assert!(actuals::records(&t.db, &f.alice).await.unwrap().is_empty());
}

async fn other_department_and_locked_phases(t: &TestDb) {
    let f = setup(t).await;
    // Before the targets are approved, 绩效自评 cannot be filled in.
    let bytes = filled_template(t, &f).await;
    let report = import(t, &f.alice, &bytes, false).await;
    assert!(!report.committed);
    assert!(errors(&report)[0].contains("须在目标申报批复后才能填报"), "{:?}", errors(&report));
    approve_targets(t, &f).await;
    // Bob (another department) may neither download nor upload it.
    assert!(template::load(&t.db, &f.bob, Scope::Project(f.project_id)).await.is_err());
    assert!(template::load(&t.db, &f.bob, Scope::Department { department_id: f.dept_a, year: 2021 }).await.is_err());
    let report = import(t, &f.bob, &bytes, false).await;
    assert!(!report.committed);
    let errs = errors(&report);
    assert_eq!(errs.len(), projects::indicators(&t.db, f.project_id).await.unwrap().len());
    assert!(errs.iter().all(|e| e.ends_with("该行属于其他部门的项目，无权导入")), "{errs:?}");
    assert!(report.rows.is_empty(), "nothing about the other department's project is shown");
    // Finance reviewers never edit department content.
    let report = import(t, &f.finance, &bytes, false).await;
    assert!(!report.committed && !errors(&report).is_empty());
    assert_eq!(stored_actuals(t, &f).await.iter().filter(|a| a.is_some()).count(), 0);
}

/// A sheet exported from another system: title rows, its own column order, full-width and
/// spaced names, no keys.
async fn foreign_layout(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap();
    let inds = projects::indicators(&t.db, f.project_id).await.unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("汇总").unwrap();
    ws.write_string(0, 0, "2021年度绩效自评汇总").unwrap();
    for (c, h) in ["实际完成值", "部门", "项目名称", "一级指标", "二级指标", "三级指标", "指标值"].iter().enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let spaced: String = inds[0].name.chars().flat_map(|c| [c, ' ']).collect();
    let rows = [
        ("1个", p.department.as_str(), p.project.name.as_str(), spaced.as_str()),
        ("１００％", p.department.as_str(), p.project.name.as_str(), inds[1].name.as_str()),
        ("5", p.department.as_str(), p.project.name.as_str(), "不存在的指标"),
        ("5", p.department.as_str(), "不存在的项目", inds[0].name.as_str()),
    ];
    for (i, (actual, dept, project, name)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *actual).unwrap();
        ws.write_string(r, 1, *dept).unwrap();
        ws.write_string(r, 2, *project).unwrap();
        ws.write_string(r, 5, *name).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let report = import(t, &f.alice, &bytes, true).await;
    let errs = errors(&report);
    assert_eq!(
        errs,
        vec![
            format!("汇总!第6行：项目“{}”中没有指标“不存在的指标”", p.project.name),
            "汇总!第7行：找不到项目“不存在的项目”".to_owned(),
        ]
    );
    assert_eq!(report.rows.len(), 2);
    assert_eq!(report.rows[0].indicator_id, inds[0].id);
    assert_eq!(report.rows[1].indicator_id, inds[1].id);
    assert_eq!(report.rows[1].new_actual.as_deref(), Some("１００％"));
    assert!(report.rows[1].score.is_some());
}

/// More bad values, each named at its cell with its exact message, all reported at once, and
/// nothing stored: a formula error, a negative count, an edited key, a row given twice, funds
/// that are not an amount.
async fn more_bad_values(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let projects = fill(template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap());
    let sheet: String = projects[0].name.chars().take(24).collect();
    let inds = &projects[0].indicators;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&sheet).unwrap();
    ws.write_string(0, 8, format!("jx:P{}", f.project_id)).unwrap();
    for (c, h) in ["全年预算数", "全年执行数"].iter().enumerate() {
        ws.write_string(1, 2 + c as u16, *h).unwrap();
    }
    ws.write_string(2, 2, "约十万").unwrap();
    ws.write_number(2, 3, 9.5).unwrap();
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "计量单位",
        "分值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "编号（勿改）",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(4, c as u16, *h).unwrap();
    }
    let key = |i: usize| format!("jx:I{}@1", inds[i].id);
    let rows: [(String, &str, &str); 5] = [
        (key(0), inds[0].name.as_str(), "#DIV/0!"),
        (key(1), inds[1].name.as_str(), "-1条"),
        ("jx:I抄错了".to_owned(), inds[2].name.as_str(), "1个"),
        (key(3), inds[3].name.as_str(), "1个"),
        (key(3), inds[3].name.as_str(), "2个"),
    ];
    for (i, (k, name, actual)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        ws.write_string(r, 2, *name).unwrap();
        ws.write_string(r, 6, *actual).unwrap();
        ws.write_string(r, 8, k.as_str()).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let audit_before = audit::for_project(&t.db, f.project_id).await.unwrap().len();
    let report = import(t, &f.alice, &bytes, false).await;
    assert!(!report.committed);
    let errs = errors(&report);
    let expected = [
        format!("{sheet}!I8：编号“jx:I抄错了”已被改动，无法识别；请勿修改编号列"),
        format!("{sheet}!第10行：与{sheet}!第9行是同一指标“{}”，重复填报", inds[3].name),
        format!("{sheet}!G6：公式错误 #DIV/0!，请改为实际数值"),
    ];
    for e in &expected {
        assert!(errs.contains(e), "{e} not in {errs:?}");
    }
    assert!(errs.iter().any(|e| e.starts_with(&format!("{sheet}!G7：")) && e.contains("“-1条”无法识别")), "{errs:?}");
    assert!(errs.iter().any(|e| e.starts_with(&format!("{sheet}!C3：")) && e.contains("约十万")), "{errs:?}");
    assert_eq!(errs.len(), 5, "{errs:?}");
    assert_eq!(stored_actuals(t, &f).await, vec![None; inds.len()]);
    assert_eq!(audit::for_project(&t.db, f.project_id).await.unwrap().len(), audit_before);
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!((p.budget_full_year, p.executed_full_year), (None, None), "funds unchanged");
}

/// What a department types into the 运行监控表: every indicator on track, the last one only
/// possibly, with its reason and corrective action; and the 1–7月 funds.
fn fill_monitoring(mut projects: Vec<TemplateProject>) -> Vec<TemplateProject> {
    for p in &mut projects {
        p.executed_jan_jul = Some(dec!(4));
        p.expected_execution = Some(dec!(9.5));
        for ind in p.indicators.iter_mut() {
            ind.monitoring = MonitoringValues {
                progress: Some(format!("已完成{}的一半", ind.name)),
                forecast: Some("全年可完成".to_owned()),
                likelihood: Some(Likelihood::Certain),
                ..MonitoringValues::default()
            };
        }
        if let Some(last) = p.indicators.last_mut() {
            last.monitoring.likelihood = Some(Likelihood::Possible);
            last.monitoring.deviation_category = Some(DeviationCategory::Funding);
            last.monitoring.deviation_reason = Some("资金下达较晚".to_owned());
            last.monitoring.corrective_action = Some("加快支付进度".to_owned());
        }
    }
    projects
}

async fn stored_monitoring(t: &TestDb, f: &Fixture) -> Vec<MonitoringValues> {
    let mut out = Vec::new();
    for ind in projects::indicators(&t.db, f.project_id).await.unwrap() {
        let e = db::store::monitoring::of_indicator(&t.db, ind.id).await.unwrap();
        out.push(e.as_ref().map(template::monitoring_values).unwrap_or_default());
    }
    out
}

/// The 运行监控表 template → filled → preview → commit → revert; the same values through the
/// form store the same entries.
async fn monitoring_round_trip(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let filled = fill_monitoring(template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap());
    let typed: Vec<MonitoringValues> = filled[0].indicators.iter().map(|i| i.monitoring.clone()).collect();
    let n = typed.len();
    let bytes = template::workbook(TemplateKind::Monitoring, &filled, 2021).unwrap();
    let audit_before = audit::for_project(&t.db, f.project_id).await.unwrap().len();

    let preview = import(t, &f.alice, &bytes, true).await;
    assert_eq!(preview.kind, ImportKind::Monitoring);
    assert!(errors(&preview).is_empty(), "{:?}", preview.problems);
    assert_eq!(preview.counts.rows_read, n);
    assert_eq!(preview.counts.rows_changed, n + 1, "every indicator and the funds");
    assert!(preview.rows.is_empty() && preview.projects.is_empty(), "no actuals, no scores");
    assert!(preview.monitoring[0].place.ends_with("!第8行"), "{}", preview.monitoring[0].place);
    let new: Vec<MonitoringValues> = preview.monitoring.iter().map(|r| r.new.clone()).collect();
    assert_eq!(new, typed);
    let funds = &preview.monitoring_funds[0];
    assert!(funds.place.ends_with("!C5"), "{}", funds.place);
    assert_eq!((funds.new_executed_jan_jul, funds.new_expected_execution), (Some(dec!(4)), Some(dec!(9.5))));
    assert_eq!(stored_monitoring(t, &f).await, vec![MonitoringValues::default(); n], "a dry run stores nothing");
    assert_eq!(audit::for_project(&t.db, f.project_id).await.unwrap().len(), audit_before);

    let committed = import(t, &f.alice, &bytes, false).await;
    assert!(committed.committed, "{:?}", committed.problems);
    let id = committed.import_id.unwrap();
    assert_eq!(stored_monitoring(t, &f).await, typed);
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!(p.executed_jan_jul.map(|a| a.0), Some(dec!(4)));
    assert_eq!(p.expected_execution.map(|a| a.0), Some(dec!(9.5)));
    let trail = audit::for_project(&t.db, f.project_id).await.unwrap();
    assert!(trail.len() > audit_before + n);
    let imported = trail.iter().filter(|r| r.action.0 == domain::vocab::AuditAction::Import).count();
    assert_eq!(imported, trail.len() - audit_before, "the import's writes are audited as 导入");
    let records = actuals::records(&t.db, &f.alice).await.unwrap();
    assert_eq!(records[0].kind.0, ImportKind::Monitoring);
    // The submit check is satisfied by what was imported.
    let check = db::cycle::monitoring::submit_check(&t.db, f.project_id).await.unwrap();
    assert!(check.problems().is_empty(), "{:?}", check.problems());
    assert_eq!(import(t, &f.alice, &bytes, true).await.counts.rows_changed, 0, "the same file again changes nothing");

    let reverted = actuals::revert(&t.db, &f.alice, id).await.unwrap();
    assert!(reverted.committed, "{:?}", reverted.problems);
    assert_eq!(stored_monitoring(t, &f).await, vec![MonitoringValues::default(); n]);
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!((p.executed_jan_jul, p.expected_execution), (None, None));

    // The form path stores the same entries.
    for (ind, v) in projects::indicators(&t.db, f.project_id).await.unwrap().iter().zip(&typed) {
        let version = db::store::monitoring::of_indicator(&t.db, ind.id).await.unwrap().map_or(0, |e| e.version);
        db::cycle::monitoring::save_entry(&t.db, &f.alice, ind.id, v, version).await.unwrap();
    }
    assert_eq!(stored_monitoring(t, &f).await, typed);
}

/// Bad monitoring values, each at its cell, all at once, nothing stored; another department's
/// rows refused; a file mixing a 自评表 and a 运行监控表 refused as a whole; a submitted
/// 运行监控 takes no import.
async fn monitoring_bad_values(t: &TestDb) {
    let f = setup(t).await;
    approve_targets(t, &f).await;
    let filled = fill_monitoring(template::load(&t.db, &f.alice, Scope::Project(f.project_id)).await.unwrap());
    let sheet: String = filled[0].name.chars().take(24).collect();
    let inds = &filled[0].indicators;
    // The template's layout, typed past its drop-downs: a formula error, a likelihood nobody
    // offered, 完全不可能 without its reason, a negative amount.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(&sheet).unwrap();
    ws.write_string(1, 10, format!("jx:P{}", f.project_id)).unwrap();
    ws.write_string(3, 2, "1-7月执行数").unwrap();
    ws.write_string(3, 4, "全年预计执行数").unwrap();
    ws.write_string(4, 2, "-3").unwrap();
    let headers =
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况", "完成目标可能性"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(6, c as u16, *h).unwrap();
    }
    ws.write_string(6, 8, "偏差原因分析").unwrap();
    ws.write_string(6, 10, "编号（勿改）").unwrap();
    let rows = [("#REF!", "确定能"), ("过半", "完全不可能"), ("过半", "大概吧")];
    for (i, (progress, likelihood)) in rows.iter().enumerate() {
        let r = 7 + i as u32;
        ws.write_string(r, 2, &inds[i].name).unwrap();
        ws.write_string(r, 4, *progress).unwrap();
        ws.write_string(r, 6, *likelihood).unwrap();
        ws.write_string(r, 10, format!("jx:I{}@1", inds[i].id)).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let report = import(t, &f.alice, &bytes, false).await;
    assert!(!report.committed);
    let errs = errors(&report);
    assert_eq!(
        errs,
        vec![
            format!("{sheet}!E8：公式错误 #REF!，请改为实际数值"),
            format!("{sheet}!G10：无法识别的完成目标可能性“大概吧”：请填写确定能、有可能、完全不可能之一"),
            format!("{sheet}!C5：“1–7月执行数”不能为负数"),
        ]
    );
    let warnings: Vec<String> =
        report.problems.iter().filter(|p| p.severity == Severity::Warning).map(|p| p.to_string()).collect();
    assert_eq!(
        warnings,
        vec![format!("{sheet}!第9行：完成目标可能性为“完全不可能”：提交运行监控前须填写偏差原因分析和偏差纠正措施")]
    );
    assert_eq!(stored_monitoring(t, &f).await, vec![MonitoringValues::default(); inds.len()]);
    let p = projects::one(&t.db, f.project_id).await.unwrap().unwrap().project;
    assert_eq!(p.executed_jan_jul, None);

    // Bob, of another department.
    let good = template::workbook(TemplateKind::Monitoring, &filled, 2021).unwrap();
    let report = import(t, &f.bob, &good, false).await;
    assert!(!report.committed);
    assert!(errors(&report).iter().all(|e| e.ends_with("该行属于其他部门的项目，无权导入")));

    // One file, both kinds.
    let mut wb = Workbook::new();
    for (name, second) in [("自评", "实际完成值"), ("监控", "1-7月执行情况")] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, "三级指标").unwrap();
        ws.write_string(0, 1, second).unwrap();
        ws.write_string(1, 0, &inds[0].name).unwrap();
        ws.write_string(1, 1, "1个").unwrap();
    }
    let mixed = wb.save_to_buffer().unwrap();
    let err = actuals::read(&mixed, &Limits::default()).unwrap_err();
    assert!(matches!(err, sheets::FileError::MixedKinds { .. }), "{err:?}");
    assert!(err.to_string().starts_with("同一文件中既有绩效自评表"), "{err}");

    // After 运行监控 is submitted, its values are locked.
    act(t, &f, &f.alice, Phase::Monitoring, Action::Submit, None).await.unwrap();
    let report = import(t, &f.alice, &good, false).await;
    assert!(!report.committed && !errors(&report).is_empty());
    assert_eq!(stored_monitoring(t, &f).await, vec![MonitoringValues::default(); inds.len()]);
}

on_both_databases!(
    monitoring_round_trip,
    monitoring_bad_values,
    round_trip,
    bad_values_change_nothing,
    more_bad_values,
    other_department_and_locked_phases,
    foreign_layout
);
