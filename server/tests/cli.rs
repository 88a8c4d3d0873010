//! The documented command-line interfaces (docs/cli.md), run as a user would run them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn jixiao(args: &[&str], database_url: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jixiao"));
    cmd.args(args).current_dir(root()).env("RUST_LOG", "warn");
    match database_url {
        Some(url) => cmd.env("DATABASE_URL", url),
        // Offline commands must not need a database: point at one that cannot open.
        None => cmd.env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
    };
    cmd.output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn value_parse_prints_the_typed_target() {
    let v = json(&jixiao(&["value", "parse", "≤40000 元/年"], None));
    assert_eq!(v["raw"], "≤40000 元/年");
    assert_eq!(v["kind"]["quantity"]["comparator"], "≤");
    assert_eq!(v["kind"]["quantity"]["quantity"]["value"], "40000");
    assert_eq!(v["kind"]["quantity"]["quantity"]["unit"]["symbol"], "元");
    assert_eq!(v["kind"]["quantity"]["quantity"]["unit"]["period"], "/年");

    let v = json(&jixiao(&["value", "parse", "2 万元/年", "--category", "成本指标"], None));
    assert_eq!(v["kind"]["quantity"]["comparator"], "≤");
    assert_eq!(v["flags"][0], "comparator_assumed");

    let v = json(&jixiao(&["value", "parse", "95", "--comparator", "正向", "--unit", "%"], None));
    assert_eq!(v["kind"]["quantity"]["comparator"], "≥");
    assert_eq!(v["kind"]["quantity"]["quantity"]["unit"]["dimension"], "percent");

    let v = json(&jixiao(&["value", "parse", "≥**%"], None));
    assert_eq!(v["kind"], "placeholder");
}

#[test]
fn score_matches_the_documented_example() {
    let out = jixiao(&["score", "docs/examples/self-evaluation.json"], None);
    let got = json(&out);
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("docs/examples/self-evaluation.result.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(got, expected, "docs/examples/self-evaluation.result.json is out of date");
    assert_eq!(got["total"], "97.68");
    assert_eq!(got["grade"], "优");
    assert_eq!(got["execution"]["score"], "9.50");
}

#[test]
fn score_refuses_bad_input_with_the_place() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\n  \"funds\": {\"budget\": \"十万\", \"executed\": \"1\"},\n  \"indicators\": []\n}")
        .unwrap();
    let out = jixiao(&["score", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 2 行"), "{err}");
    assert!(out.stdout.is_empty());

    let out = jixiao(&["score", dir.join("missing.json").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("无法读取文件"));

    std::fs::write(&bad, r#"{"funds":{"budget":"1","executed":"1"},"profile":"省级","indicators":[]}"#).unwrap();
    let out = jixiao(&["score", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("未知的评分方案"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn import_dry_run_prints_the_seed_project() {
    let v = json(&jixiao(&["import", "targets", "--text", "fixtures/000_a24f108f427dffbb.txt", "--dry-run"], None));
    let p = &v["projects"][0];
    assert_eq!(p["name"], "政府网站维护费及业务经费");
    assert_eq!(p["year"], 2021);
    assert_eq!(p["funds_total"], "10");
    assert_eq!(p["indicators"].as_array().unwrap().len(), 17);
    assert_eq!(p["indicators"][10]["target_text"], "≤40000 元/年");
}

#[test]
fn import_stores_all_or_nothing() {
    let db = std::env::temp_dir().join(format!("jixiao-cli-import-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let out = jixiao(
        &["import", "targets", "--text", "fixtures/11_neimenggu_wuhai_gongxiaoshe_2021_mubiaobiao_direction.txt"],
        Some(&url),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("再生资源回收市场管理经费"), "{stdout}");
    assert!(stdout.contains("11 项指标"), "{stdout}");

    // The same table again is refused as a whole.
    let out = jixiao(
        &["import", "targets", "--text", "fixtures/11_neimenggu_wuhai_gongxiaoshe_2021_mubiaobiao_direction.txt"],
        Some(&url),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

    // A template without department or year is refused, and nothing of it is stored.
    let out = jixiao(
        &["import", "targets", "--text", "fixtures/15_template_kunnan_qunzhong_jiuzhu_mubiao_shenbaobiao_star.txt"],
        Some(&url),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("缺少主管部门") && err.contains("未写入任何数据"), "{err}");

    // `demo` leaves a populated database alone.
    let out = jixiao(&["demo"], Some(&url));
    assert!(String::from_utf8_lossy(&out.stdout).contains("未重复载入"));
    let _ = std::fs::remove_file(&db);
}

/// `jixiao backup -o FILE` then `jixiao restore FILE` into an empty database brings back every
/// project, account and audit entry; restoring over data, or a file that is not a backup, is
/// refused and changes nothing.
#[test]
fn backup_and_restore_round_trip() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.join(name).display());
    let out = jixiao(&["demo"], Some(&url("live.db")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let backup = dir.join("backup.db");
    let out = jixiao(&["backup", "-o", backup.to_str().unwrap()], Some(&url("live.db")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已备份到"));
    // A second backup never overwrites the first.
    let out = jixiao(&["backup", "-o", backup.to_str().unwrap()], Some(&url("live.db")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("已存在"));

    let out = jixiao(&["restore", backup.to_str().unwrap()], Some(&url("restored.db")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for table in ["project", "indicator", "app_user", "audit_log"] {
        assert!(stdout.contains(table), "{stdout}");
    }
    // The restored database is the demo: `demo` finds it populated, and the accounts work.
    let out = jixiao(&["demo"], Some(&url("restored.db")));
    assert!(String::from_utf8_lossy(&out.stdout).contains("未重复载入"));

    // Over existing data: refused, nothing changed.
    let out = jixiao(&["restore", backup.to_str().unwrap()], Some(&url("live.db")));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已有数据") && err.contains("未改变"), "{err}");
    // Not a backup.
    let out = jixiao(&["restore", "fixtures/README.md"], Some(&url("empty.db")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是 jixiao 的数据库备份"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `jixiao user reset-password --username U --password-stdin`: the rules for new passwords
/// apply, an unknown account is named, and a good password is set.
#[test]
fn reset_password_from_the_command_line() {
    use std::io::Write;
    let db = std::env::temp_dir().join(format!("jixiao-cli-reset-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    assert!(jixiao(&["demo"], Some(&url)).status.success());
    let reset = |user: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .args(["user", "reset-password", "--username", user, "--password-stdin"])
            .current_dir(root())
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = reset("admin", "onlyletters");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("字母和数字"));
    let out = reset("nobody", "new-admin-pass-1");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("账号不存在"));
    let out = reset("ADMIN", "new-admin-pass-1");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已重置用户 admin"));
    let _ = std::fs::remove_file(&db);
}

/// `jixiao export template` writes the department's workbook; `jixiao import actuals` previews
/// it as JSON and refuses (exit 2, nothing stored) while the targets are not yet approved; a file
/// that is not a spreadsheet and an unknown `--as` user are named.
#[test]
fn export_template_and_import_actuals() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-sheets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("live.db").display());
    assert!(jixiao(&["demo"], Some(&url)).status.success());
    let book = dir.join("自评表.xlsx");
    let out = jixiao(
        &[
            "export",
            "template",
            "--department",
            "阿合奇县电子政务办公室",
            "--year",
            "2021",
            "--as",
            "akqi",
            "-o",
            book.to_str().unwrap(),
        ],
        Some(&url),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 个项目"));
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));

    // The untouched template changes nothing.
    let out = jixiao(&["import", "actuals", book.to_str().unwrap(), "--dry-run", "--as", "akqi"], Some(&url));
    let report = json(&out);
    assert_eq!(report["counts"]["rows_read"], 17);
    assert_eq!(report["counts"]["rows_changed"], 0);
    assert_eq!(report["rows"][0]["place"], "政府网站维护费及业务经费!第8行");

    // The 运行监控表 of the same project, untouched: read as monitoring, nothing to change.
    let monitoring = dir.join("监控表.xlsx");
    let out = jixiao(
        &["export", "template", "--project", "1", "--kind", "monitoring", "-o", monitoring.to_str().unwrap()],
        Some(&url),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = jixiao(&["import", "actuals", monitoring.to_str().unwrap(), "--dry-run", "--as", "akqi"], Some(&url));
    let report = json(&out);
    assert_eq!(report["kind"], "monitoring");
    assert_eq!(report["counts"]["rows_read"], 17);
    assert_eq!(report["counts"]["rows_changed"], 0);
    assert_eq!(report["monitoring"][0]["place"], "政府网站维护费及业务经费!第8行");

    // A sheet of another system, matched by names.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["项目名称", "三级指标", "实际完成值"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["政府网站维护费及业务经费", "维护网站数量", "1个"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    let book = dir.join("汇总.xlsx");
    wb.save(&book).unwrap();
    let out = jixiao(&["import", "actuals", book.to_str().unwrap(), "--dry-run", "--as", "akqi"], Some(&url));
    assert_eq!(out.status.code(), Some(2), "the targets are not approved yet");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["committed"], false);
    assert_eq!(report["format"], "xlsx");
    assert_eq!(report["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(report["rows"][0]["indicator"], "维护网站数量");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Sheet1!C2：绩效自评须在目标申报批复后才能填报"), "{err}");
    assert!(err.contains("未写入任何数据"), "{err}");

    let out = jixiao(&["import", "actuals", "fixtures/README.md", "--as", "akqi"], Some(&url));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("README.md：不是电子表格文件"));
    let out = jixiao(&["import", "actuals", book.to_str().unwrap(), "--as", "nobody"], Some(&url));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有用户“nobody”"));
    // Another department's template is refused before anything is written.
    let out =
        jixiao(&["export", "template", "--project", "999", "-o", dir.join("x.xlsx").to_str().unwrap()], Some(&url));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("项目不存在"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `jixiao export selfeval|targets|summary|report` write the same documents as the downloads,
/// with the same access; a wrong scope or format is named and writes nothing.
#[test]
fn export_documents() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("live.db").display());
    assert!(jixiao(&["demo"], Some(&url)).status.success());
    let out_path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    for (args, file, magic) in [
        (vec!["export", "selfeval", "--project", "1"], "a.xlsx", "PK"),
        (vec!["export", "targets", "--department", "阿合奇县电子政务办公室", "--year", "2021"], "b.xlsx", "PK"),
        (vec!["export", "summary", "--year", "2021"], "c.xlsx", "PK"),
        (
            vec!["export", "summary", "--department", "阿合奇县电子政务办公室", "--year", "2021", "--as", "akqi"],
            "d.xlsx",
            "PK",
        ),
        (vec!["export", "report", "--project", "1", "--format", "docx", "--as", "akqi"], "e.docx", "PK"),
        (vec!["export", "report", "--project", "1", "--format", "pdf", "--as", "akqi"], "f.pdf", "%PDF-"),
    ] {
        let path = out_path(file);
        let mut all = args.clone();
        all.extend(["-o", path.as_str()]);
        let out = jixiao(&all, Some(&url));
        assert!(out.status.success(), "{all:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::read(&path).unwrap().starts_with(magic.as_bytes()), "{all:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("已写入"));
    }
    for (args, message) in [
        (vec!["export", "summary", "--year", "2021", "--as", "akqi"], "只能查看和办理本部门的项目"),
        (vec!["export", "report", "--year", "2021"], "绩效自评报告按项目导出"),
        (vec!["export", "report", "--project", "1", "--format", "xlsx"], "绩效自评报告只能导出为 docx / pdf"),
        (vec!["export", "selfeval", "--project", "999"], "项目不存在"),
        (vec!["export", "selfeval", "--department", "没有的局", "--year", "2021"], "没有部门“没有的局”"),
    ] {
        let path = out_path("refused.bin");
        let mut all = args.clone();
        all.extend(["-o", path.as_str()]);
        let out = jixiao(&all, Some(&url));
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{all:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!std::path::Path::new(&path).exists(), "nothing written for {all:?}");
    }
    // A server without LibreOffice refuses the PDF and says what to take instead.
    let path = out_path("no-soffice.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["export", "report", "--project", "1", "--format", "pdf", "-o", path.as_str()])
        .env("DATABASE_URL", &url)
        .env("JIXIAO_SOFFICE", dir.join("no-such-soffice"))
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("服务器未安装 LibreOffice"), "{out:?}");
    assert!(!std::path::Path::new(&path).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `jixiao import targets FILE.xlsx`: a 绩效目标表 workbook is read like published text —
/// previewed as JSON with `--dry-run`, stored otherwise; a file that is not a workbook is named.
#[test]
fn import_targets_from_a_workbook() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-targets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: [&[&str]; 7] = [
        &["项目支出绩效目标表（2022年度）"],
        &["项目名称", "乡村道路养护经费"],
        &["主管部门", "某县交通运输局", "实施单位", "某县公路养护中心"],
        &["项目资金（万元）", "年度资金总额", "50"],
        &["一级指标", "二级指标", "三级指标", "指标值"],
        &["产出指标", "数量指标", "养护农村公路里程", "≥120公里"],
        &["满意度指标", "服务对象满意度指标", "沿线群众满意度", "≥90%"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let book = dir.join("目标表.xlsx");
    wb.save(&book).unwrap();
    let v = json(&jixiao(&["import", "targets", book.to_str().unwrap(), "--dry-run"], None));
    assert_eq!(v["projects"][0]["name"], "乡村道路养护经费");
    assert_eq!(v["projects"][0]["department"], "某县交通运输局");
    assert_eq!(v["projects"][0]["year"], 2022);
    assert_eq!(v["projects"][0]["indicators"][0]["name"], "养护农村公路里程");
    assert_eq!(v["projects"][0]["indicators"][1]["target_text"], "≥90%");

    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let out = jixiao(&["import", "targets", book.to_str().unwrap()], Some(&url));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("乡村道路养护经费 · 2 项指标"));
    let out = jixiao(&["import", "targets", "fixtures/README.md", "--dry-run"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fixtures/README.md：不是表格或 Word 文件"));
    let _ = std::fs::remove_dir_all(&dir);
}
