//! Drawing a [`Chart`] with plotters, the same code for SVG and PNG.

use super::font::FAMILY;
use super::{Chart, ChartError, Column, HBar, Shape, Tone};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
const MUTED: RGBColor = RGBColor(0x61, 0x6e, 0x7c);
/// The longest category label drawn; the full text is in the table alternative.
const MAX_LABEL_CHARS: usize = 16;

pub(super) fn svg(chart: &Chart) -> Result<String, ChartError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, chart.size()).into_drawing_area();
        render(&root, chart, 1.0)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

pub(super) fn png(chart: &Chart, scale: u32) -> Result<Vec<u8>, ChartError> {
    let (w, h) = chart.size();
    let (w, h) = (w * scale, h * scale);
    let mut pixels = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        render(&root, chart, f64::from(scale))?;
        root.present().map_err(err)?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| ChartError::Draw(e.to_string()))?;
        writer.write_image_data(&pixels).map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    Ok(out)
}

fn err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn color(tone: Tone) -> RGBColor {
    let (r, g, b) = tone.rgb();
    RGBColor(r, g, b)
}

fn px(size: f64, scale: f64) -> u32 {
    (size * scale).round() as u32
}

fn font(size: f64, scale: f64) -> FontDesc<'static> {
    (FAMILY, size * scale).into_font()
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL_CHARS {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// The widest of `labels` in pixels, measured with the registered font.
fn widest(labels: impl Iterator<Item = String>, font: &FontDesc) -> Result<u32, ChartError> {
    let mut max = 0;
    for label in labels {
        let (w, _) = font.box_size(&label).map_err(err)?;
        max = max.max(w);
    }
    Ok(max)
}

/// The category an axis key point stands for: integer positions 0..n are category centres.
fn category(v: f64, n: i32) -> Option<i32> {
    let k = v.round();
    ((v - k).abs() < 1e-6 && k >= 0.0 && k < f64::from(n)).then_some(k as i32)
}

fn render<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart, scale: f64) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(err)?;
    match &chart.shape {
        Shape::HBars { bars, max, axis, reference, legend: items } => {
            hbars(root, &chart.title, bars, *max, axis, reference.as_ref(), items, scale)
        }
        Shape::Columns { columns, max, axis, legend: items } => {
            columns_chart(root, &chart.title, columns, *max, axis, items, scale)
        }
        Shape::Line { points, max, axis } => line(root, &chart.title, points, *max, axis, scale),
    }
}

#[allow(clippy::too_many_arguments)]
fn hbars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    bars: &[HBar],
    max: f64,
    axis: &str,
    reference: Option<&(f64, String)>,
    legend_items: &[(Tone, String)],
    scale: f64,
) -> Result<(), ChartError> {
    let n = bars.len().max(1) as i32;
    let label_font = font(13.0, scale);
    let label_width = widest(bars.iter().map(|b| short(&b.label)), &label_font)? + px(12.0, scale);
    let note_width = widest(bars.iter().map(|b| b.note.clone()), &font(12.0, scale))? + px(16.0, scale);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(20.0, scale))
        .margin_top(px(30.0, scale))
        .margin_left(px(10.0, scale))
        .margin_bottom(px(10.0, scale))
        .margin_right(note_width.max(px(40.0, scale)))
        .x_label_area_size(px(42.0, scale))
        .y_label_area_size(label_width)
        .build_cartesian_2d(0f64..max, -0.5f64..(f64::from(n) - 0.5))
        .map_err(err)?;
    // Top to bottom: category i sits in segment n-1-i.
    let names: Vec<String> = bars.iter().map(|b| short(&b.label)).collect();
    let label_of = |v: &f64| match category(*v, n) {
        Some(k) => names.get((n - 1 - k) as usize).cloned().unwrap_or_default(),
        None => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n as usize + 1)
        .y_label_formatter(&label_of)
        .x_label_formatter(&|v: &f64| format!("{v:.0}"))
        .x_desc(axis)
        .axis_desc_style(font(13.0, scale).color(&MUTED))
        .label_style(label_font.color(&INK))
        .max_light_lines(1)
        .bold_line_style(color(Tone::Light))
        .draw()
        .map_err(err)?;
    for (i, bar) in bars.iter().enumerate() {
        let k = f64::from(n - 1 - i as i32);
        let mut rect = Rectangle::new([(0.0, k - 0.5), (bar.value.clamp(0.0, max), k + 0.5)], color(bar.tone).filled());
        rect.set_margin(px(6.0, scale), px(6.0, scale), 0, 0);
        chart.draw_series(std::iter::once(rect)).map_err(err)?;
        let note_style = font(12.0, scale).color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
        let at = (bar.value.clamp(0.0, max), k);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(bar.note.clone(), (px(6.0, scale) as i32, 0), note_style),
            ))
            .map_err(err)?;
    }
    if let Some((x, _)) = reference {
        let style = INK.stroke_width(px(2.0, scale));
        let line = PathElement::new(vec![(*x, -0.5), (*x, f64::from(n) - 0.5)], style);
        chart.draw_series(std::iter::once(line)).map_err(err)?;
    }
    legend(root, legend_items, reference.map(|(_, l)| l.as_str()), scale)
}

fn columns_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    columns: &[Column],
    max: f64,
    axis: &str,
    legend_items: &[(Tone, String)],
    scale: f64,
) -> Result<(), ChartError> {
    let n = columns.len().max(1) as i32;
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(20.0, scale))
        .margin(px(12.0, scale))
        .margin_top(px(30.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(-0.5f64..(f64::from(n) - 0.5), 0f64..max)
        .map_err(err)?;
    let names: Vec<String> = columns.iter().map(|c| short(&c.label)).collect();
    let label_of = |v: &f64| match category(*v, n) {
        Some(k) => names.get(k as usize).cloned().unwrap_or_default(),
        None => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize + 1)
        .x_label_formatter(&label_of)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .y_desc(axis)
        .axis_desc_style(font(13.0, scale).color(&MUTED))
        .label_style(font(13.0, scale).color(&INK))
        .max_light_lines(1)
        .bold_line_style(color(Tone::Light))
        .draw()
        .map_err(err)?;
    let gap = px(18.0, scale);
    for (k, c) in columns.iter().enumerate() {
        let k = k as f64;
        if let Some(frame) = c.frame {
            let mut back =
                Rectangle::new([(k - 0.5, 0.0), (k + 0.5, frame.clamp(0.0, max))], color(Tone::Light).filled());
            back.set_margin(0, 0, gap, gap);
            chart.draw_series(std::iter::once(back)).map_err(err)?;
        }
        let mut bar = Rectangle::new([(k - 0.5, 0.0), (k + 0.5, c.value.clamp(0.0, max))], color(c.tone).filled());
        let inner = if c.frame.is_some() { gap + px(10.0, scale) } else { gap };
        bar.set_margin(0, 0, inner, inner);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        let style = font(12.0, scale).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        let top = c.frame.unwrap_or(c.value).max(c.value).clamp(0.0, max);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((k, top)) + Text::new(c.note.clone(), (0, -(px(4.0, scale) as i32)), style),
            ))
            .map_err(err)?;
    }
    legend(root, legend_items, None, scale)
}

fn line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    points: &[(i32, f64)],
    max: f64,
    axis: &str,
    scale: f64,
) -> Result<(), ChartError> {
    let first = points.first().map_or(0, |p| p.0);
    let last = points.last().map_or(1, |p| p.0).max(first + 1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(20.0, scale))
        .margin(px(16.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d((first..last).into_segmented(), 0f64..max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels((last - first + 1) as usize)
        .x_label_formatter(&|v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(y) => format!("{y}年"),
            _ => String::new(),
        })
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .y_desc(axis)
        .axis_desc_style(font(13.0, scale).color(&MUTED))
        .label_style(font(13.0, scale).color(&INK))
        .max_light_lines(1)
        .bold_line_style(color(Tone::Light))
        .draw()
        .map_err(err)?;
    let stroke = color(Tone::Accent).stroke_width(px(3.0, scale));
    chart
        .draw_series(LineSeries::new(points.iter().map(|&(y, v)| (SegmentValue::CenterOf(y), v)), stroke))
        .map_err(err)?;
    let style = font(12.0, scale).color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series(points.iter().map(|&(y, v)| {
            EmptyElement::at((SegmentValue::CenterOf(y), v))
                + Circle::new((0, 0), px(5.0, scale), color(Tone::Accent).filled())
                + Text::new(format!("{v:.2}"), (0, -(px(9.0, scale) as i32)), style.clone())
        }))
        .map_err(err)?;
    Ok(())
}

/// A legend row in the top right corner: a swatch (or a line) and a label per entry.
fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[(Tone, String)],
    line: Option<&str>,
    scale: f64,
) -> Result<(), ChartError> {
    let style = font(12.0, scale).color(&MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    let (width, _) = root.dim_in_pixel();
    let y = px(14.0, scale) as i32;
    let swatch = px(12.0, scale) as i32;
    let gap = px(14.0, scale) as i32;
    let mut items: Vec<(Option<Tone>, &str)> = entries.iter().map(|(t, l)| (Some(*t), l.as_str())).collect();
    if let Some(l) = line {
        items.push((None, l));
    }
    let mut x = width as i32 - px(12.0, scale) as i32;
    for (tone, label) in items.iter().rev() {
        let (w, _) = font(12.0, scale).box_size(label).map_err(err)?;
        x -= w as i32;
        root.draw(&Text::new(label.to_string(), (x, y), style.clone())).map_err(err)?;
        x -= swatch + px(4.0, scale) as i32;
        match tone {
            Some(t) => root
                .draw(&Rectangle::new([(x, y - swatch / 2), (x + swatch, y + swatch / 2)], color(*t).filled()))
                .map_err(err)?,
            None => root
                .draw(&PathElement::new(vec![(x, y), (x + swatch, y)], INK.stroke_width(px(2.0, scale))))
                .map_err(err)?,
        }
        x -= gap;
    }
    Ok(())
}
