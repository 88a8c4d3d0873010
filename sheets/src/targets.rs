//! 绩效目标表 / 申报表 workbooks: every row of every sheet becomes a pipe row ("项目名称 |
//! 政府网站维护费及业务经费 |") and the published-table importer (`domain::import`) reads the text,
//! so a workbook gets the same header logic, layouts, issues and preview as a pasted table.

use crate::error::FileError;
use crate::read::{Book, Limits};

/// The workbook's rows as pipe-separated lines, sheet after sheet. A cell's own line breaks
/// become spaces and its pipes slashes, so a row stays one line of cells.
pub fn workbook_text(bytes: &[u8], limits: &Limits) -> Result<String, FileError> {
    let mut book = Book::open(bytes, limits)?;
    let mut text = String::new();
    for name in book.sheet_names() {
        book.rows(&name, |_, cells| {
            for (_, cell) in cells {
                let value: String = cell
                    .text()
                    .chars()
                    .map(|c| match c {
                        '\n' | '\r' | '\t' => ' ',
                        '|' | '｜' => '/',
                        c => c,
                    })
                    .collect();
                text.push_str(value.trim());
                text.push_str(" | ");
            }
            text.push('\n');
            Ok(())
        })?;
        text.push('\n');
    }
    Ok(text)
}
