//! 导入绩效目标表 on SQLite and PostgreSQL: a published table becomes a new draft project with
//! all its indicators through the forms' write path (checked, audited), in one piece; a preview
//! or any problem writes nothing; who may import where is checked as for 新建项目.

use db::cycle::target_import::{import_targets, Destination, Source};
use db::store::{self, audit};
use db::testing::TestDb;
use db::Error;
use domain::upload::Severity;
use domain::vocab::{AuditAction, EntityKind};

#[macro_use]
mod common;
use common::setup;

const DEMO: &str = include_str!("../../fixtures/000_a24f108f427dffbb.txt");

fn tables(text: &str) -> domain::import::ImportResult {
    domain::import::import_target_tables(text)
}

fn source<'a>(tables: &'a domain::import::ImportResult) -> Source<'a> {
    Source { file_name: "目标表.txt", sha256: "00", tables }
}

async fn import_published_tables(t: &TestDb) {
    let f = setup(t).await;
    let renamed = DEMO.replace("政府网站维护费及业务经费", "政务新媒体运维经费");
    let read = tables(&renamed);
    let to = Destination { department_id: None, year: 2021 };
    let before = store::projects::count(&t.db).await.unwrap();
    let audit_before = audit::all(&t.db).await.unwrap().len();

    // The preview: one project of 17 rows, no errors, nothing written.
    let preview = import_targets(&t.db, &f.alice, &to, &source(&read), true).await.unwrap();
    assert!(!preview.committed);
    assert_eq!(preview.errors(), 0, "{:?}", preview.problems);
    assert_eq!(preview.projects.len(), 1);
    assert_eq!(preview.projects[0].name, "政务新媒体运维经费");
    assert_eq!(preview.projects[0].rows.len(), 17);
    assert!(preview.projects[0]
        .rows
        .iter()
        .any(|r| r.target_text.contains("40000") && r.reading.starts_with("数值：≤")));
    assert_eq!(preview.projects[0].project_id, None);
    assert_eq!(store::projects::count(&t.db).await.unwrap(), before);
    assert_eq!(audit::all(&t.db).await.unwrap().len(), audit_before);

    // The commit: a draft of alice's department with every indicator, audited as hers.
    let done = import_targets(&t.db, &f.alice, &to, &source(&read), false).await.unwrap();
    assert!(done.committed);
    let id = done.projects[0].project_id.expect("created");
    let row = store::projects::one(&t.db, id).await.unwrap().unwrap();
    assert_eq!(row.project.department_id, f.dept_a);
    assert_eq!(row.project.name, "政务新媒体运维经费");
    let indicators = store::projects::indicators(&t.db, id).await.unwrap();
    assert_eq!(indicators.len(), 17);
    assert!(indicators.iter().any(|i| i.name == "维护网站数量" && i.target_text.contains('1')));
    let log = audit::all(&t.db).await.unwrap();
    let created: Vec<_> = log
        .iter()
        .filter(|l| l.project_id == Some(id) && l.action.0 == AuditAction::Create && l.user_id == Some(f.alice.id))
        .collect();
    assert!(created.iter().any(|l| l.entity.0 == EntityKind::Project));
    assert_eq!(
        created
            .iter()
            .filter(|l| l.entity.0 == EntityKind::Indicator)
            .map(|l| l.entity_id)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        17
    );

    // The same file again: the name is taken; reported at the project, nothing written.
    let count = store::projects::count(&t.db).await.unwrap();
    let again = import_targets(&t.db, &f.alice, &to, &source(&read), false).await.unwrap();
    assert!(!again.committed);
    assert!(
        again.problems.iter().any(|p| p.severity == Severity::Error
            && p.place == "项目“政务新媒体运维经费”"
            && p.message.contains("已存在")),
        "{:?}",
        again.problems
    );
    assert_eq!(store::projects::count(&t.db).await.unwrap(), count);

    // A row that cannot be declared (a 指标值 placeholder) is an error at its line; the whole
    // file is refused, the other rows and the project with it.
    let placeholder = DEMO.replace("政府网站维护费及业务经费", "政务热线运维经费").replacen("1个", "**个", 1);
    let bad = tables(&placeholder);
    let refused_file = import_targets(&t.db, &f.alice, &to, &source(&bad), false).await.unwrap();
    assert!(!refused_file.committed);
    let errors: Vec<_> = refused_file.problems.iter().filter(|p| p.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].place.starts_with('第') && errors[0].message.contains("占位符"), "{errors:?}");
    assert_eq!(store::projects::count(&t.db).await.unwrap(), count);

    // Another department's year not open, a table's department named differently: said.
    let closed =
        import_targets(&t.db, &f.alice, &Destination { department_id: None, year: 2030 }, &source(&read), true)
            .await
            .unwrap();
    assert!(closed.problems.iter().any(|p| p.message.contains("2030 年度尚未设立")), "{:?}", closed.problems);
    let admin_to_b = Destination { department_id: Some(f.dept_b), year: 2021 };
    let moved = import_targets(&t.db, &f.admin, &admin_to_b, &source(&read), true).await.unwrap();
    assert_eq!(moved.errors(), 0, "{:?}", moved.problems);
    assert!(moved
        .problems
        .iter()
        .any(|p| p.severity == Severity::Warning && p.message.contains("将导入到“阿合奇县另一部门”")));

    // Who may: not the 财政局; a department only into its own.
    assert!(matches!(
        import_targets(&t.db, &f.finance, &to, &source(&read), true).await,
        Err(Error::Refused(r)) if r.is_forbidden()
    ));
    assert!(matches!(
        import_targets(&t.db, &f.bob, &Destination { department_id: Some(f.dept_a), year: 2021 }, &source(&read), true).await,
        Err(Error::Refused(r)) if r.is_forbidden()
    ));
    // A file without any table.
    assert!(matches!(
        import_targets(&t.db, &f.alice, &to, &source(&tables("这只是一段说明文字。")), true).await,
        Err(Error::Invalid(_))
    ));
}

on_both_databases!(import_published_tables);
