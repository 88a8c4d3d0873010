//! `jixiao`: the server binary and command-line tools. See docs/cli.md for the JSON shapes.

#![recursion_limit = "512"]

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use domain::vocab::ExportDocument;
use jixiao::{cli, web};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "jixiao", version, about = "jixiao 预算绩效目标管理：服务器与命令行工具")]
struct Cli {
    /// Database URL: sqlite://FILE?mode=rwc (embedded) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = db::DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Apply migrations, then serve the web app (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Apply migrations and load the demo project into an empty database.
    Demo,
    /// 指标值 tools.
    #[command(subcommand)]
    Value(ValueCommand),
    /// Score a self-evaluation (绩效自评) given as JSON; prints the result as JSON.
    Score {
        /// The self-evaluation JSON file (docs/cli.md), or - for standard input.
        file: PathBuf,
    },
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export spreadsheets.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent snapshot of the database into a new SQLite file (while serving).
    Backup {
        /// The backup file to create (must not exist).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Copy a backup file into the database, which must hold no data yet.
    Restore {
        /// A file written by `jixiao backup`.
        file: PathBuf,
    },
    /// Copy everything (audit trail included, sessions excluded) from one database into another
    /// that holds no data, e.g. from SQLite to PostgreSQL.
    MigrateData {
        /// Source database URL, e.g. sqlite://data/jixiao.db
        #[arg(long)]
        from: String,
        /// Target database URL, e.g. postgres://user@host:5432/jixiao
        #[arg(long)]
        to: String,
    },
    /// Run the year-end load (signed-in users saving, submitting, reading and downloading at once)
    /// on loopback against throwaway databases; prints throughput and p50 / p99, and fails when a
    /// response is 5xx or what was stored disagrees with the accepted requests.
    LoadTest(cli::LoadTestArgs),
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create an account (administrators).
    Add(cli::UserAddArgs),
    /// Set a new password for an account (e.g. the only administrator forgot theirs).
    ResetPassword(cli::ResetPasswordArgs),
}

#[derive(Subcommand, Debug)]
enum ValueCommand {
    /// Parse a 指标值 such as "≤40000 元/年" and print the typed value as JSON.
    Parse(cli::ValueParseArgs),
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Import projects and indicators from a 绩效目标表 / 申报表: a Word document (.docx), a
    /// workbook (xlsx, xls, ods) or, with --text, published text.
    Targets {
        /// The .docx or workbook to read.
        #[arg(required_unless_present = "text", conflicts_with = "text")]
        file: Option<PathBuf>,
        /// The text file to read.
        #[arg(long)]
        text: Option<PathBuf>,
        /// Print what would be imported as JSON; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import year-end actuals (实际完成值, 偏差原因, funds) from a workbook; prints the report as JSON.
    Actuals(cli::ImportActualsArgs),
    /// Undo a committed actuals import (while 绩效自评 is still open); prints the report as JSON.
    Revert {
        /// The import's id (`import_id` in the report).
        id: i32,
        /// Whose access applies (default: the first administrator).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// The workbook a department fills in (xlsx), for one project or a department and year.
    Template(cli::TemplateArgs),
    /// 项目支出绩效自评表 (xlsx): one project, a department's projects of a year, or the county's.
    Selfeval(cli::ExportArgs),
    /// 项目支出绩效目标表 (xlsx), for the same choices.
    Targets(cli::ExportArgs),
    /// 汇总表 (xlsx) of a department (--department, --year) or the county (--year).
    Summary(cli::ExportArgs),
    /// 绩效自评报告 (docx) of one project, with its charts.
    Report(cli::ExportArgs),
}

#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "JIXIAO_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Folder with the built site (pkg/ with the WASM, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    site_root: String,
    /// Load the demo project first if the database is empty.
    #[arg(long)]
    demo: bool,
}

/// `jixiao` without a subcommand serves, reading the same flags' environment variables.
#[derive(Parser)]
struct ServeDefaults {
    #[command(flatten)]
    args: ServeArgs,
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeDefaults::parse_from(["jixiao"]).args
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        // Offline tools: no database.
        Command::Value(ValueCommand::Parse(args)) => cli::value_parse(&args),
        Command::Score { file } => cli::score(&file),
        Command::Import(ImportCommand::Targets { text, file, dry_run: true }) => {
            cli::targets_text(text.as_deref(), file.as_deref()).and_then(|(t, _)| cli::import_dry_run(&t))
        }
        Command::MigrateData { from, to } => runtime().and_then(|rt| rt.block_on(cli::migrate_data(&from, &to))),
        Command::LoadTest(args) => runtime().and_then(|rt| rt.block_on(cli::load_test(&args))),
        command => runtime().and_then(|rt| rt.block_on(with_database(&cli.database_url, command))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

async fn with_database(url: &str, command: Command) -> anyhow::Result<()> {
    let db = db::connect(url).await.with_context(|| format!("无法连接数据库 {}", cli::redact(url)))?;
    db::migrate(&db).await.context("数据库迁移失败")?;
    match command {
        Command::Migrate => println!("数据库迁移已完成：{}", cli::redact(url)),
        Command::Demo => cli::load_demo(&db).await?,
        Command::Import(ImportCommand::Targets { text, file, .. }) => {
            let (t, path) = cli::targets_text(text.as_deref(), file.as_deref())?;
            cli::import_store(&db, &t, &path).await?
        }
        Command::Import(ImportCommand::Actuals(args)) => cli::import_actuals(&db, &args).await?,
        Command::Import(ImportCommand::Revert { id, as_user }) => {
            cli::import_revert(&db, id, as_user.as_deref()).await?
        }
        Command::Export(ExportCommand::Template(args)) => cli::export_template(&db, &args).await?,
        Command::Export(ExportCommand::Selfeval(args)) => {
            cli::export_document(&db, ExportDocument::Selfeval, &args).await?
        }
        Command::Export(ExportCommand::Targets(args)) => {
            cli::export_document(&db, ExportDocument::Targets, &args).await?
        }
        Command::Export(ExportCommand::Summary(args)) => {
            cli::export_document(&db, ExportDocument::Summary, &args).await?
        }
        Command::Export(ExportCommand::Report(args)) => {
            cli::export_document(&db, ExportDocument::Report, &args).await?
        }
        Command::User(UserCommand::Add(args)) => cli::user_add(&db, &args).await?,
        Command::User(UserCommand::ResetPassword(args)) => cli::reset_password(&db, &args).await?,
        Command::Backup { output } => cli::backup(&db, &output).await?,
        Command::Restore { file } => cli::restore(&db, &file).await?,
        Command::Serve(args) => {
            if args.demo {
                cli::load_demo(&db).await?;
            }
            web::serve(db, args.addr, &args.site_root).await?;
        }
        Command::Value(_) | Command::Score { .. } | Command::MigrateData { .. } | Command::LoadTest(_) => {
            unreachable!("handled before")
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_is_the_default_with_documented_defaults() {
        let cli = Cli::try_parse_from(["jixiao"]).unwrap();
        assert!(cli.command.is_none());
        let args = ServeArgs::default();
        assert_eq!(args.addr.to_string(), "127.0.0.1:3000");
        let cli = Cli::try_parse_from(["jixiao", "serve", "--addr", "127.0.0.1:3100", "--demo"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Serve(ServeArgs { demo: true, .. }))));
        assert!(Cli::try_parse_from(["jixiao", "serve", "--addr", "not-an-address"]).is_err());
    }

    #[test]
    fn documented_subcommands_parse() {
        let cli = Cli::try_parse_from([
            "jixiao",
            "value",
            "parse",
            "≤40000 元/年",
            "--category",
            "成本指标",
            "--comparator",
            "≥",
        ])
        .unwrap();
        assert!(matches!(cli.command, Some(Command::Value(ValueCommand::Parse(_)))));
        let cli = Cli::try_parse_from(["jixiao", "score", "eval.json"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Score { .. })));
        let cli = Cli::try_parse_from(["jixiao", "import", "targets", "--text", "t.txt", "--dry-run"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Import(ImportCommand::Targets { dry_run: true, .. }))));
        assert!(Cli::try_parse_from(["jixiao", "import", "targets"]).is_err());
        let cli = Cli::try_parse_from(["jixiao", "import", "targets", "目标表.xlsx", "--dry-run"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Import(ImportCommand::Targets { file: Some(_), text: None, .. }))));
        assert!(Cli::try_parse_from(["jixiao", "import", "targets", "a.xlsx", "--text", "a.txt"]).is_err());
        let cli = Cli::try_parse_from(["jixiao", "import", "actuals", "a.xlsx", "--dry-run", "--as", "dept"]).unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Import(ImportCommand::Actuals(cli::ImportActualsArgs { dry_run: true, .. })))
        ));
        let cli = Cli::try_parse_from([
            "jixiao",
            "export",
            "template",
            "--department",
            "县电子政务办",
            "--year",
            "2021",
            "--kind",
            "selfeval",
            "-o",
            "t.xlsx",
        ])
        .unwrap();
        assert!(matches!(cli.command, Some(Command::Export(ExportCommand::Template(_)))));
        assert!(Cli::try_parse_from(["jixiao", "export", "template", "--department", "X", "-o", "t.xlsx"]).is_err());
        assert!(Cli::try_parse_from(["jixiao", "export", "template", "-o", "t.xlsx"]).is_err());
    }
}
