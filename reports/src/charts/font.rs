//! The font charts are measured and drawn with. plotters (without fontconfig) knows only the
//! fonts registered here, so labels are laid out with the widths of the glyphs actually drawn:
//! one CJK font with Latin and digits, registered once per process for regular and bold text.

use super::ChartError;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The family name the charts ask for; SVG output names it too, so browsers use their own
/// sans-serif font for it.
pub const FAMILY: &str = "sans-serif";

/// Where the font is looked for, first match wins: `JIXIAO_CHART_FONT`, then the files of
/// Debian's fonts-wqy-microhei and fonts-droid-fallback (and the same fonts elsewhere).
const CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
];

static REGISTERED: OnceLock<Result<PathBuf, String>> = OnceLock::new();

/// Registers the chart font once; every chart calls this before drawing.
pub fn ensure() -> Result<(), ChartError> {
    REGISTERED.get_or_init(register).as_ref().map(|_| ()).map_err(|message| ChartError::Font(message.clone()))
}

/// The font file in use (after [`ensure`] succeeded).
pub fn path() -> Option<PathBuf> {
    REGISTERED.get().and_then(|r| r.as_ref().ok().cloned())
}

fn register() -> Result<PathBuf, String> {
    let configured = std::env::var_os("JIXIAO_CHART_FONT").map(PathBuf::from);
    let path = match configured {
        Some(path) => path,
        None => CANDIDATES.iter().map(PathBuf::from).find(|p| p.is_file()).ok_or_else(|| {
            "未找到图表所需的中文字体：请安装 fonts-wqy-microhei，或用环境变量 JIXIAO_CHART_FONT 指定字体文件"
                .to_owned()
        })?,
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("无法读取图表字体 {}：{e}", path.display()))?;
    // plotters keeps fonts for the life of the process; this runs once.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    for style in [plotters::style::FontStyle::Normal, plotters::style::FontStyle::Bold] {
        plotters::style::register_font(FAMILY, style, bytes)
            .map_err(|_| format!("图表字体 {} 无法解析", path.display()))?;
    }
    Ok(path)
}
