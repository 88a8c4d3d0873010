//! 绩效目标表 / 申报表 files for the published-table importer (`domain::import`): a workbook's
//! rows and a Word document's tables become pipe rows ("项目名称 | 政府网站维护费及业务经费 |"),
//! its other paragraphs lines of text, so every file gets the same header logic, layouts, issues
//! and preview as a pasted table. In a .docx the cells are known, so this is the reliable path.

use crate::error::FileError;
use crate::read::{checked_zip, corrupt, Archive, Book, Limits};
use quick_xml::events::Event;
use std::io::Read;

/// The text of a 绩效目标表 file: a Word document (.docx) or a workbook (xlsx, xls, ods), told
/// apart by the bytes.
pub fn document_text(bytes: &[u8], limits: &Limits) -> Result<String, FileError> {
    crate::read::guarded(|| document_text_unguarded(bytes, limits))
}

fn document_text_unguarded(bytes: &[u8], limits: &Limits) -> Result<String, FileError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let (zip, names) = checked_zip(bytes, limits)?;
        if names.iter().any(|n| n == "word/document.xml") {
            return docx_text(zip, limits);
        }
    }
    workbook_text(bytes, limits).map_err(|e| if e == FileError::NotSpreadsheet { FileError::NotTargetFile } else { e })
}

/// An uploaded 绩效目标表 (the upload page): a Word document or a workbook as
/// [`document_text`] reads them, or plain UTF-8 text (a table copied from a web page or a PDF and
/// saved as .txt); with the file's SHA-256, which a commit must match.
pub fn upload_text(bytes: &[u8], limits: &Limits) -> Result<(String, String), FileError> {
    use sha2::{Digest, Sha256};
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(FileError::TooLarge { size_kib: bytes.len() as u64 / 1024, max_mib: limits.max_bytes >> 20 });
    }
    let sha256 = crate::actuals::hex(&Sha256::digest(bytes));
    match document_text(bytes, limits) {
        Err(FileError::NotTargetFile) => {
            let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes))
                .ok()
                .filter(|t| !t.contains('\0'))
                .ok_or(FileError::NotTargetFile)?;
            Ok((text.to_owned(), sha256))
        }
        other => other.map(|text| (text, sha256)),
    }
}

/// A cell's or paragraph's text on one line: line breaks as spaces, pipes as slashes.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '|' | '｜' => '/',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The body of a .docx: each table row as a pipe row of its cells (a cell's paragraphs joined by
/// spaces; nested tables flattened into their cell), each other paragraph as a line.
fn docx_text(mut zip: Archive<'_>, limits: &Limits) -> Result<String, FileError> {
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| corrupt(&e))?
        .take(limits.max_unzipped)
        .read_to_string(&mut xml)
        .map_err(|e| corrupt(&e))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut depth = 0usize; // tables open
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut paragraph = String::new();
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| corrupt(&e))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "tbl" => depth += 1,
                "tr" if depth == 1 => row.clear(),
                "tc" if depth == 1 => cell.clear(),
                "t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => {
                if matches!(e.local_name().as_ref(), "tab" | "br" | "cr") {
                    paragraph.push(' ');
                }
            }
            Event::Text(t) if in_text => paragraph.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => paragraph.push(c),
                _ => paragraph.push_str(match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => {
                    let text = one_line(&paragraph);
                    paragraph.clear();
                    if depth == 0 {
                        if !text.is_empty() {
                            out.push_str(&text);
                            out.push('\n');
                        }
                    } else if !text.is_empty() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&text);
                    }
                }
                "tc" if depth == 1 => row.push(std::mem::take(&mut cell)),
                "tr" if depth == 1 => {
                    let cells: Vec<&str> = row.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
                    if !cells.is_empty() {
                        out.push_str(&cells.join(" | "));
                        out.push_str(" |\n");
                    }
                }
                "tbl" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        out.push('\n');
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The workbook's rows as pipe-separated lines, sheet after sheet. A cell's own line breaks
/// become spaces and its pipes slashes, so a row stays one line of cells.
pub fn workbook_text(bytes: &[u8], limits: &Limits) -> Result<String, FileError> {
    crate::read::guarded(|| workbook_text_unguarded(bytes, limits))
}

fn workbook_text_unguarded(bytes: &[u8], limits: &Limits) -> Result<String, FileError> {
    let mut book = Book::open(bytes, limits)?;
    let mut text = String::new();
    for name in book.sheet_names() {
        book.rows(&name, |_, cells| {
            for (_, cell) in cells {
                text.push_str(&one_line(&cell.text()));
                text.push_str(" | ");
            }
            text.push('\n');
            Ok(())
        })?;
        text.push('\n');
    }
    Ok(text)
}
