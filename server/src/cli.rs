//! The command-line tools behind `jixiao value parse`, `jixiao score` and `jixiao import`.
//! Their JSON output is an interface others script against: see docs/cli.md.

use anyhow::{anyhow, Context};
use clap::Args;
use domain::selfeval::SelfEvaluation;
use domain::value::{self, TargetContext};
use domain::vocab::{ExportDocument, ExportFormat, Role, ValueSet};
use reports::export::Target;
use std::io::Read;
use std::path::Path;

#[derive(Args, Debug, Clone)]
pub struct ValueParseArgs {
    /// The 指标值 as written, e.g. "≤40000 元/年", "≥95%", "有效保障".
    pub text: String,
    /// The indicator's category (二级指标), e.g. 成本指标: decides the assumed comparator.
    #[arg(long)]
    pub category: Option<String>,
    /// A separate 指标性质 / 指标方向 column: ≥ ≤ = 正向 反向.
    #[arg(long)]
    pub comparator: Option<String>,
    /// A separate 计量单位 column.
    #[arg(long)]
    pub unit: Option<String>,
    /// The 三级指标 name (checks rising rates, dates, glued values).
    #[arg(long)]
    pub name: Option<String>,
    /// Read the text as an actual (实际完成值): no comparator is assumed.
    #[arg(long)]
    pub actual: bool,
}

pub fn value_parse(args: &ValueParseArgs) -> anyhow::Result<()> {
    let ctx = TargetContext {
        category: args.category.clone(),
        indicator_name: args.name.clone(),
        comparator_column: args.comparator.clone(),
        unit_column: args.unit.clone(),
    };
    let parsed =
        if args.actual { value::parse_actual_with(&args.text, &ctx) } else { value::parse_target(&args.text, &ctx) };
    print_json(&parsed)
}

/// Reads a self-evaluation; errors name the file, line and column.
pub fn read_self_evaluation(path: &Path) -> anyhow::Result<SelfEvaluation> {
    let text = read_text(path)?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow!("{} 第 {} 行第 {} 列：自评数据格式错误：{}", path.display(), e.line(), e.column(), e))
}

pub fn score(path: &Path) -> anyhow::Result<()> {
    let input = read_self_evaluation(path)?;
    print_json(&domain::selfeval::evaluate(&input))
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("无法读取标准输入")?;
        return Ok(s);
    }
    let bytes = std::fs::read(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow!("{} 不是 UTF-8 文本（第 {} 字节起无法解码）", path.display(), e.utf8_error().valid_up_to())
    })
}

/// The text `jixiao import targets` reads: `--text FILE` as it is, or a workbook (xlsx / xls /
/// ods) as pipe rows (`sheets::targets`).
pub fn targets_text(text: Option<&Path>, workbook: Option<&Path>) -> anyhow::Result<(String, std::path::PathBuf)> {
    match (text, workbook) {
        (Some(path), _) => Ok((read_text(path)?, path.to_owned())),
        (None, Some(path)) => {
            let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
            let text = sheets::targets::document_text(&bytes, &sheets::Limits::default())
                .map_err(|e| anyhow!("{}：{e}", path.display()))?;
            Ok((text, path.to_owned()))
        }
        (None, None) => Err(anyhow!("请给出表格文件，或用 --text 给出文本文件")),
    }
}

pub fn import_dry_run(text: &str) -> anyhow::Result<()> {
    print_json(&domain::import::import_target_tables(text))
}

pub async fn import_store(db: &db::DatabaseConnection, text: &str, path: &Path) -> anyhow::Result<()> {
    let result = domain::import::import_target_tables(text);
    let ids = db::import::store(db, &result)
        .await
        .map_err(|e| anyhow!("导入 {} 失败，未写入任何数据：{e}", path.display()))?;
    for (p, id) in result.projects.iter().zip(&ids) {
        println!("已导入项目（编号 {id}）：{} · {} 项指标", p.name, p.indicators.len());
        for issue in &p.issues {
            println!("  注意 第 {} 行：{}｜{}", issue.line, issue.message, issue.text);
        }
    }
    for issue in &result.issues {
        println!("注意 第 {} 行：{}｜{}", issue.line, issue.message, issue.text);
    }
    Ok(())
}

/// Which template `jixiao export template` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    /// 项目支出绩效自评表: 实际完成值, 偏差原因 and the year-end funds.
    Selfeval,
    /// 项目支出绩效运行监控表: 1–7月执行情况, 完成目标可能性, 偏差原因, 纠偏措施 and the 1–7月 funds.
    Monitoring,
}

impl From<TemplateKind> for domain::vocab::TemplateKind {
    fn from(k: TemplateKind) -> Self {
        match k {
            TemplateKind::Selfeval => domain::vocab::TemplateKind::Selfeval,
            TemplateKind::Monitoring => domain::vocab::TemplateKind::Monitoring,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct TemplateArgs {
    /// One project, by its id.
    #[arg(long, conflicts_with = "department", required_unless_present = "department")]
    pub project: Option<i32>,
    /// Every project of a department (by name) in --year.
    #[arg(long, requires = "year")]
    pub department: Option<String>,
    /// The fiscal year (with --department).
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, value_enum, default_value = "selfeval")]
    pub kind: TemplateKind,
    /// Whose access applies (default: the first administrator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// The .xlsx file to write.
    #[arg(short = 'o', long = "output")]
    pub output: std::path::PathBuf,
}

/// The account a command acts as: `--as USER`, else the first administrator.
async fn acting_user(db: &db::DatabaseConnection, name: Option<&str>) -> anyhow::Result<db::entities::user::Model> {
    match name {
        Some(name) => db::store::users::by_username(db, &domain::input::username_key(name))
            .await?
            .ok_or_else(|| anyhow!("没有用户“{name}”")),
        None => db::store::users::all(db)
            .await?
            .into_iter()
            .filter(|u| u.role.0 == Role::Admin)
            .min_by_key(|u| u.id)
            .ok_or_else(|| anyhow!("没有系统管理员账号：请用 --as 指定用户")),
    }
}

pub async fn export_template(db: &db::DatabaseConnection, args: &TemplateArgs) -> anyhow::Result<()> {
    let user = acting_user(db, args.as_user.as_deref()).await?;
    let (scope, year) = match (&args.project, &args.department, args.year) {
        (Some(id), _, _) => (sheets::template::Scope::Project(*id), None),
        (None, Some(name), Some(year)) => {
            let d =
                db::store::directory::department_by_name(db, name).await?.ok_or_else(|| anyhow!("没有部门“{name}”"))?;
            (sheets::template::Scope::Department { department_id: d.id, year }, Some(year))
        }
        _ => return Err(anyhow!("请用 --project 指定项目，或用 --department 和 --year 指定部门和年度")),
    };
    let projects = sheets::template::load(db, &user, scope).await?;
    let year = year.or(projects.first().map(|p| p.year)).unwrap_or_default();
    let bytes = sheets::template::workbook(args.kind.into(), &projects, year)?;
    std::fs::write(&args.output, bytes).with_context(|| format!("无法写入 {}", args.output.display()))?;
    let indicators: usize = projects.iter().map(|p| p.indicators.len()).sum();
    eprintln!("已写入 {}：{} 个项目，{indicators} 项指标", args.output.display(), projects.len());
    Ok(())
}

/// The file format of `jixiao export selfeval|targets|summary|report`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Xlsx,
    Docx,
    /// The report as PDF (needs LibreOffice on this machine).
    Pdf,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> ExportFormat {
        match f {
            FormatArg::Xlsx => ExportFormat::Xlsx,
            FormatArg::Docx => ExportFormat::Docx,
            FormatArg::Pdf => ExportFormat::Pdf,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct ExportArgs {
    /// One project, by its id.
    #[arg(long, conflicts_with = "department")]
    pub project: Option<i32>,
    /// A department (by name), with --year.
    #[arg(long, requires = "year")]
    pub department: Option<String>,
    /// The fiscal year: with --department that department's projects, alone the whole county's.
    #[arg(long)]
    pub year: Option<i32>,
    /// The file format (default: xlsx for the workbooks, docx for the report; the report also as pdf).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Whose access applies (default: the first administrator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
    /// The file to write.
    #[arg(short = 'o', long = "output")]
    pub output: std::path::PathBuf,
}

/// `jixiao export selfeval|targets|summary|report`: the same documents as the download links, with
/// the same access (`--as USER`).
pub async fn export_document(
    db: &db::DatabaseConnection,
    document: ExportDocument,
    args: &ExportArgs,
) -> anyhow::Result<()> {
    let user = acting_user(db, args.as_user.as_deref()).await?;
    let target = match (&args.project, &args.department, args.year) {
        (Some(id), _, _) => Target::Project(*id),
        (None, Some(name), Some(year)) => {
            let d =
                db::store::directory::department_by_name(db, name).await?.ok_or_else(|| anyhow!("没有部门“{name}”"))?;
            Target::Department { department_id: d.id, year }
        }
        (None, None, Some(year)) => Target::County { year },
        _ => {
            return Err(anyhow!(
                "请用 --project 指定项目，或用 --department 和 --year 指定部门和年度，或只用 --year 导出全县"
            ))
        }
    };
    let loaded = reports::export::load(db, &db::accounts::actor(&user), document, target).await?;
    let file = loaded.render(args.format.map(ExportFormat::from))?;
    std::fs::write(&args.output, &file.bytes).with_context(|| format!("无法写入 {}", args.output.display()))?;
    eprintln!("已写入 {}（{}，{} 字节）", args.output.display(), file.file_name, file.bytes.len());
    Ok(())
}

#[derive(Args, Debug, Clone)]
pub struct ImportActualsArgs {
    /// The workbook (.xlsx, .xls or .ods).
    pub file: std::path::PathBuf,
    /// Print the preview as JSON; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Whose access applies (default: the first administrator).
    #[arg(long = "as")]
    pub as_user: Option<String>,
}

/// `jixiao import actuals`: prints the report (docs/cli.md); refused (exit 2) when any row has
/// an error, in which case nothing was stored.
pub async fn import_actuals(db: &db::DatabaseConnection, args: &ImportActualsArgs) -> anyhow::Result<()> {
    let user = acting_user(db, args.as_user.as_deref()).await?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("无法读取 {}", args.file.display()))?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parsed = sheets::actuals::read(&bytes, &sheets::Limits::default()).map_err(|e| anyhow!("{name}：{e}"))?;
    let report = sheets::actuals::apply(db, &user, &name, &parsed, args.dry_run).await?;
    print_json(&report)?;
    if report.counts.errors > 0 {
        for p in report.problems.iter().filter(|p| p.severity == sheets::actuals::Severity::Error) {
            eprintln!("{p}");
        }
        return Err(anyhow!("{} 个错误，未写入任何数据", report.counts.errors));
    }
    Ok(())
}

/// `jixiao import revert ID`: undoes a committed import.
pub async fn import_revert(db: &db::DatabaseConnection, id: i32, as_user: Option<&str>) -> anyhow::Result<()> {
    let user = acting_user(db, as_user).await?;
    let report = sheets::actuals::revert(db, &user, id).await?;
    print_json(&report)?;
    if !report.committed {
        for p in &report.problems {
            eprintln!("{p}");
        }
        return Err(anyhow!("撤销未执行，数据未改动"));
    }
    Ok(())
}

fn print_copied(copied: &db::transfer::Copied) {
    for (table, rows) in &copied.tables {
        println!("  {table:<20} {rows} 行");
    }
    println!("共 {} 行（会话不复制）", copied.total());
}

pub async fn backup(db: &db::DatabaseConnection, output: &Path) -> anyhow::Result<()> {
    db::transfer::backup(db, output).await.map_err(|e| anyhow!("备份失败：{e}"))?;
    let size = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    println!("已备份到 {}（{} KB）", output.display(), size / 1024);
    Ok(())
}

pub async fn restore(db: &db::DatabaseConnection, file: &Path) -> anyhow::Result<()> {
    let copied = db::transfer::restore(file, db).await.map_err(|e| anyhow!("恢复失败，数据库未改变：{e}"))?;
    println!("已从 {} 恢复：", file.display());
    print_copied(&copied);
    Ok(())
}

pub async fn migrate_data(from: &str, to: &str) -> anyhow::Result<()> {
    let source = db::connect(from).await.with_context(|| format!("无法连接源数据库 {}", redact(from)))?;
    db::migrate(&source).await.context("源数据库迁移失败")?;
    let target = db::connect(to).await.with_context(|| format!("无法连接目标数据库 {}", redact(to)))?;
    let copied =
        db::transfer::copy_all(&source, &target).await.map_err(|e| anyhow!("复制失败，目标数据库未改变：{e}"))?;
    println!("已从 {} 复制到 {}：", redact(from), redact(to));
    print_copied(&copied);
    Ok(())
}

pub async fn load_demo(db: &db::DatabaseConnection) -> anyhow::Result<()> {
    match db::demo::load(db).await.map_err(|e| anyhow!("载入示例数据失败：{e}"))? {
        db::demo::DemoOutcome::Loaded { project_id } => {
            println!("已载入示例项目（编号 {project_id}）：阿合奇县电子政务办公室 · 政府网站维护费及业务经费");
            println!("示例账号（用户名 / 密码）：");
            for (username, name, password, role) in db::demo::DEMO_USERS {
                println!("  {:<10} {:<20} {}（{}）", username, password, name, role.label());
            }
        }
        db::demo::DemoOutcome::AlreadyPopulated => println!("数据库中已有项目，未重复载入示例数据"),
    }
    Ok(())
}

#[derive(Args, Debug, Clone)]
pub struct UserAddArgs {
    /// 用户名 (login name).
    #[arg(long)]
    pub username: String,
    /// 姓名 shown in the app (defaults to the username).
    #[arg(long, default_value = "")]
    pub name: String,
    /// admin (系统管理员), finance (财政局审核人员) or department (部门填报人员).
    #[arg(long, value_parser = value_set::<Role>)]
    pub role: Role,
    /// The department of a department user, by name.
    #[arg(long)]
    pub department: Option<String>,
    /// Read the password from standard input (one line) instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `jixiao user add`: creates an account; the password is prompted for (or read from stdin).
pub async fn user_add(db: &db::DatabaseConnection, args: &UserAddArgs) -> anyhow::Result<()> {
    let role = args.role;
    let department_id = match args.department.as_deref() {
        Some(name) => Some(
            db::store::directory::department_by_name(db, name).await?.ok_or_else(|| anyhow!("部门“{name}”不存在"))?.id,
        ),
        None => None,
    };
    let password = read_password(&args.username, args.password_stdin)?;
    let new = db::accounts::NewUser {
        username: args.username.clone(),
        display_name: args.name.clone(),
        password,
        role,
        department_id,
    };
    let user = db::accounts::create_user(db, new).await.map_err(|e| anyhow!(e.to_string()))?;
    println!("已创建用户 {}（编号 {}，{}）", user.username, user.id, role.label());
    Ok(())
}

fn read_password(username: &str, from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("无法读取标准输入中的密码")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        rpassword::prompt_password(format!("请输入 {username} 的密码：")).context("无法读取密码")
    }
}

#[derive(Args, Debug, Clone)]
pub struct ResetPasswordArgs {
    /// 用户名 of the account.
    #[arg(long)]
    pub username: String,
    /// Read the new password from standard input (one line) instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn reset_password(db: &db::DatabaseConnection, args: &ResetPasswordArgs) -> anyhow::Result<()> {
    let password = read_password(&args.username, args.password_stdin)?;
    let user =
        db::accounts::reset_password(db, &args.username, &password).await.map_err(|e| anyhow!("未重置密码：{e}"))?;
    println!("已重置用户 {}（编号 {}）的密码；该账号已登录的会话全部失效", user.username, user.id);
    Ok(())
}

/// Reads a value of a value set from the command line by key (or label), naming the choices.
pub fn value_set<T: ValueSet>(text: &str) -> Result<T, String> {
    T::parse(text).ok_or_else(|| {
        let keys: Vec<&str> = T::ALL.iter().map(|v| v.key()).collect();
        format!("应为 {} 之一，而不是“{}”", keys.join("、"), text.trim())
    })
}

fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/jixiao.db?mode=rwc"), "sqlite://data/jixiao.db?mode=rwc");
    }
}

/// Which databases `jixiao load-test` runs on.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadDb {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Args, Debug, Clone)]
pub struct LoadTestArgs {
    /// Concurrent signed-in users (every 16th a finance reviewer, the others department pairs).
    #[arg(long, default_value_t = 64)]
    pub users: usize,
    /// How long the load runs, in seconds.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// sqlite: a new temporary file; postgres: a new schema in JIXIAO_TEST_PG_URL
    /// (default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
    #[arg(long, value_enum, default_value_t = LoadDb::Both)]
    pub db: LoadDb,
    /// Print the reports as JSON (docs/cli.md) instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// `jixiao load-test`: the year-end load on loopback against throwaway databases (never the
/// configured one); fails (exit 2) when any response was 5xx or a stored row disagrees with the
/// accepted requests.
pub async fn load_test(args: &LoadTestArgs) -> anyhow::Result<()> {
    let opts = crate::loadtest::Options { users: args.users, seconds: args.seconds };
    let mut reports = Vec::new();
    if matches!(args.db, LoadDb::Sqlite | LoadDb::Both) {
        let t = db::testing::TestDb::sqlite().await?;
        let r = crate::loadtest::run("SQLite", &t.db, &opts).await;
        t.cleanup().await?;
        reports.push(r?);
    }
    if matches!(args.db, LoadDb::Postgres | LoadDb::Both) {
        // The production pool size (sqlx's default, 10).
        let t =
            db::testing::TestDb::postgres_with_pool(10).await.context("无法连接 PostgreSQL（JIXIAO_TEST_PG_URL）")?;
        let r = crate::loadtest::run("PostgreSQL", &t.db, &opts).await;
        t.cleanup().await?;
        reports.push(r?);
    }
    if args.json {
        print_json(&reports)?;
    } else {
        for r in &reports {
            println!("{}", r.table());
        }
    }
    let failed: Vec<&str> = reports.iter().filter(|r| !r.passed()).map(|r| r.database.as_str()).collect();
    anyhow::ensure!(failed.is_empty(), "负载测试未通过：{}", failed.join("、"));
    Ok(())
}
