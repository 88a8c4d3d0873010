//! 绩效自评报告 as PDF: the report's DOCX converted by LibreOffice (`soffice --headless
//! --convert-to pdf`), so the printed document and the one offices edit have one layout, the
//! charts included. LibreOffice is a server package (Debian `libreoffice-writer-nogui`, installed
//! by `scripts/setup.sh`); `JIXIAO_SOFFICE` names another binary. Without it, the PDF is refused
//! with a message that points to the DOCX; nothing else depends on it.
//!
//! One conversion at a time per process: LibreOffice locks its user profile, and the profile is
//! kept (per process, under the temp dir) so only the first conversion pays its creation.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// LibreOffice is not installed on the server.
    #[error("服务器未安装 LibreOffice（soffice），无法生成 PDF：请下载 Word 版本（DOCX）后自行另存为 PDF")]
    Missing,
    #[error("PDF 生成超时（{0} 秒）：请稍后重试，或下载 Word 版本（DOCX）")]
    Timeout(u64),
    #[error("PDF 生成失败：{0}")]
    Failed(String),
}

/// Longest a conversion may take (the first one also creates LibreOffice's profile).
const TIMEOUT: Duration = Duration::from_secs(120);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The LibreOffice binary: `JIXIAO_SOFFICE`, else `soffice` on `PATH`.
fn soffice() -> Result<PathBuf, PdfError> {
    if let Some(path) = std::env::var_os("JIXIAO_SOFFICE") {
        return Ok(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").ok_or(PdfError::Missing)?;
    std::env::split_paths(&path).map(|dir| dir.join("soffice")).find(|p| p.is_file()).ok_or(PdfError::Missing)
}

/// Whether PDFs can be written here (LibreOffice found).
pub fn available() -> bool {
    soffice().is_ok()
}

/// A directory removed when dropped.
struct WorkDir(PathBuf);

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> PdfError {
    PdfError::Failed(format!("{what}：{e}"))
}

/// Converts a DOCX to PDF.
pub fn docx_to_pdf(docx: &[u8]) -> Result<Vec<u8>, PdfError> {
    let soffice = soffice()?;
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let temp = std::env::temp_dir();
    let profile = temp.join(format!("jixiao-soffice-{}", std::process::id()));
    let work = WorkDir(temp.join(format!(
        "jixiao-pdf-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    )));
    std::fs::create_dir_all(&work.0).map_err(|e| failed("临时目录", e))?;
    let input = work.0.join("report.docx");
    std::fs::write(&input, docx).map_err(|e| failed("临时文件", e))?;
    convert(&soffice, &profile, &work.0, &input)?;
    std::fs::read(work.0.join("report.pdf")).map_err(|e| failed("读取 PDF", e))
}

fn convert(soffice: &Path, profile: &Path, out_dir: &Path, input: &Path) -> Result<(), PdfError> {
    let log = out_dir.join("soffice.log");
    let log_file = std::fs::File::create(&log).map_err(|e| failed("临时文件", e))?;
    let mut child = Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck"])
        .args(["--convert-to", "pdf:writer_pdf_Export", "--outdir"])
        .arg(out_dir)
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PdfError::Missing,
            _ => failed("启动 LibreOffice", e),
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| failed("等待 LibreOffice", e))? {
            Some(status) => break status,
            None if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Timeout(TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    if status.success() && out_dir.join("report.pdf").is_file() {
        return Ok(());
    }
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
    Err(PdfError::Failed(format!("LibreOffice 退出（{status}）{tail}")))
}
