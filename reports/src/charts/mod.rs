//! Charts against targets, drawn on the server with plotters from the report model — one module
//! for pages (SVG inline, with a `<title>`, a `<desc>` and a table alternative) and documents
//! (PNG). A chart is data first ([`Chart`]: title, shape, accessible table), built from the
//! model in [`build`], drawn in [`draw`].
//!
//! Decimals become `f64` only as pixel positions; every number a reader sees is formatted from
//! the model's `Decimal`.

pub mod build;
mod draw;
pub mod font;

pub use build::{
    department_projects, departments_by_rate, departments_by_score, grade_distribution, project_indicators,
    project_scores, trend,
};

/// Why a chart could not be drawn.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("{0}")]
    Font(String),
    #[error("图表绘制失败：{0}")]
    Draw(String),
}

/// Colours shared with the UI (style/main.css).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Met / 优: --ok.
    Ok,
    /// 良: --accent.
    Accent,
    /// 中, partly met: --warn.
    Warn,
    /// Not met / 差: --bad.
    Bad,
    /// No value yet: --muted.
    Muted,
    /// A bar's frame (分值 behind 得分): --line.
    Light,
}

impl Tone {
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Tone::Ok => (0x1f, 0x7a, 0x4d),
            Tone::Accent => (0x1c, 0x5f, 0xa8),
            Tone::Warn => (0xb7, 0x79, 0x1f),
            Tone::Bad => (0xc5, 0x30, 0x30),
            Tone::Muted => (0x9a, 0xa5, 0xb1),
            Tone::Light => (0xdd, 0xe3, 0xea),
        }
    }
}

/// One horizontal bar: a category (top to bottom) and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct HBar {
    pub label: String,
    pub value: f64,
    pub tone: Tone,
    /// Printed after the bar ("38000 / ≤40000元/年").
    pub note: String,
}

/// One category of a vertical bar chart: an optional frame (the maximum, e.g. 分值) behind the
/// value.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub label: String,
    pub frame: Option<f64>,
    pub value: f64,
    pub tone: Tone,
    pub note: String,
}

/// What a chart draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Categories top to bottom on a value axis from 0 to `max`, with an optional reference line
    /// (the target at 100 %).
    HBars { bars: Vec<HBar>, max: f64, axis: String, reference: Option<(f64, String)>, legend: Vec<(Tone, String)> },
    /// Categories left to right.
    Columns { columns: Vec<Column>, max: f64, axis: String, legend: Vec<(Tone, String)> },
    /// Years left to right.
    Line { points: Vec<(i32, f64)>, max: f64, axis: String },
}

/// The accessible alternative: the chart's numbers as a table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A chart ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Stable name ("indicators", "scores", "department", "grades", "by-score", "by-rate", "trend").
    pub key: &'static str,
    pub title: String,
    /// One sentence saying what the chart shows, for screen readers.
    pub description: String,
    pub shape: Shape,
    pub table: DataTable,
}

impl Chart {
    /// Size in pixels: width fixed, height grows with the categories of a bar chart.
    pub fn size(&self) -> (u32, u32) {
        match &self.shape {
            Shape::HBars { bars, .. } => (860, 110 + 34 * bars.len().max(1) as u32),
            Shape::Columns { .. } | Shape::Line { .. } => (860, 380),
        }
    }

    /// The chart as an SVG document with `<title>` and `<desc>` (role="img").
    pub fn svg(&self) -> Result<String, ChartError> {
        font::ensure()?;
        let svg = draw::svg(self)?;
        Ok(accessible(&svg, &self.title, &self.description))
    }

    /// The chart as a PNG image, `scale` times its size (2 for print).
    pub fn png(&self, scale: u32) -> Result<Vec<u8>, ChartError> {
        font::ensure()?;
        draw::png(self, scale.max(1))
    }
}

/// Adds `role="img"`, `<title>` and `<desc>` right after the opening `<svg …>` tag.
fn accessible(svg: &str, title: &str, description: &str) -> String {
    let Some(start) = svg.find("<svg") else { return svg.to_owned() };
    let Some(end) = svg[start..].find('>').map(|i| start + i) else { return svg.to_owned() };
    let open = &svg[start..end];
    let (open, close) = match open.strip_suffix('/') {
        Some(o) => (o, "/"),
        None => (open, ""),
    };
    format!(
        "{}{} role=\"img\"{}><title>{}</title><desc>{}</desc>{}",
        &svg[..start],
        open,
        close,
        escape(title),
        escape(description),
        &svg[end + 1..]
    )
}

/// XML escaping for text placed in SVG.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
