//! Opening an upload: the format is chosen by the file's bytes (never its name), hostile files
//! are refused before calamine parses them (size, zip entries, decompressed size, compression
//! ratio, encryption), and rows are streamed: xlsx cell by cell (calamine's cell reader, no dense
//! grid), xls and ods (which calamine parses whole) row by row from their range.

use crate::cell::{is_percent_format, Cell};
use crate::error::FileError;
use calamine::{Data, Ods, OdsError, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsx, XlsxError};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Caps on what an upload may be and hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The file itself (checked before the body is read, and again here).
    pub max_bytes: u64,
    /// All zip entries together, decompressed.
    pub max_unzipped: u64,
    /// Zip entries.
    pub max_entries: usize,
    /// Decompressed ÷ compressed size of one entry larger than 1 MB.
    pub max_ratio: u64,
    /// Rows per sheet.
    pub max_rows: u32,
    /// Columns per row.
    pub max_columns: u32,
    /// Non-empty cells in the whole workbook.
    pub max_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 20 * MIB,
            max_unzipped: 300 * MIB,
            max_entries: 2000,
            max_ratio: 400,
            max_rows: 300_000,
            max_columns: 200,
            max_cells: 6_000_000,
        }
    }
}

const MIB: u64 = 1024 * 1024;
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

pub use domain::upload::Format;

/// Which format the bytes are, after the zip checks; refuses everything else.
pub fn detect(bytes: &[u8], limits: &Limits) -> Result<Format, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(FileError::TooLarge { size_kib: bytes.len() as u64 / 1024, max_mib: limits.max_bytes / MIB });
    }
    if bytes.starts_with(&OLE_MAGIC) {
        // An encrypted xlsx is an OLE container holding an "EncryptionInfo" stream.
        return if contains_utf16(bytes, "EncryptionInfo") { Err(FileError::Encrypted) } else { Ok(Format::Xls) };
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError::NotSpreadsheet);
    }
    let (mut zip, names) = checked_zip(bytes, limits)?;
    if names.iter().any(|n| n == "xl/workbook.xml") {
        return Ok(Format::Xlsx);
    }
    if names.iter().any(|n| n == "mimetype") {
        let mut mime = String::new();
        let entry = zip.by_name("mimetype").map_err(|e| corrupt(&e))?;
        entry.take(200).read_to_string(&mut mime).map_err(|e| corrupt(&e))?;
        if mime.trim() == ODS_MIME {
            return Ok(Format::Ods);
        }
    }
    Err(FileError::NotSpreadsheet)
}

/// An archive read from memory.
pub(crate) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// A zip archive that passed the checks (entries, decompressed size, ratio, encryption), with
/// its entry names.
pub(crate) fn checked_zip<'a>(bytes: &'a [u8], limits: &Limits) -> Result<(Archive<'a>, Vec<String>), FileError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(FileError::TooLarge { size_kib: bytes.len() as u64 / 1024, max_mib: limits.max_bytes / MIB });
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    if zip.len() > limits.max_entries {
        return Err(FileError::Entries { count: zip.len(), max: limits.max_entries });
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| corrupt(&e))?;
        if entry.encrypted() {
            return Err(FileError::Encrypted);
        }
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let size = entry.size();
        total = total.saturating_add(size);
        if total > limits.max_unzipped {
            return Err(FileError::Unzipped { max_mib: limits.max_unzipped / MIB });
        }
        if size > MIB {
            let ratio = size / entry.compressed_size().max(1);
            if ratio > limits.max_ratio {
                return Err(FileError::Ratio { entry: name, ratio });
            }
        }
        names.push(name);
    }
    Ok((zip, names))
}

/// calamine expands an ods sheet's repeated rows and columns into one dense grid when it opens
/// the file, so a few bytes of `table:number-rows-repeated="1048576"` on a row with content would
/// ask for gigabytes. The extent the grid would have is worked out from content.xml first (rows
/// down to the last one with content, columns out to the last cell with content, repeats
/// included; empty repeats at the ends cost nothing) and held to the row, column and cell caps.
fn check_ods_extent(bytes: &[u8], limits: &Limits) -> Result<(), FileError> {
    use quick_xml::events::{BytesStart, Event};
    let (mut zip, _) = checked_zip(bytes, limits)?;
    let entry = zip.by_name("content.xml").map_err(|e| corrupt(&e))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(entry));
    let repeats = |e: &BytesStart, name: &str| -> u64 {
        e.try_get_attribute(name).ok().flatten().and_then(|a| a.value.trim().parse::<u64>().ok()).unwrap_or(1)
    };
    let has = |e: &BytesStart, name: &str| e.try_get_attribute(name).ok().flatten().is_some();
    let mut buf = Vec::new();
    let mut sheet = String::new();
    // Per sheet: rows so far, the end of the last row with content, the widest content.
    let (mut row, mut rows_used, mut width) = (0u64, 0u64, 0u64);
    // Per row: its repeats, columns so far, the end of its last cell with content.
    let (mut row_repeats, mut col, mut row_width) = (1u64, 0u64, 0u64);
    let mut cells: u64 = 0;
    let too_big = |sheet: &str, rows_used: u64, width: u64, cells: u64| -> Result<(), FileError> {
        if rows_used > u64::from(limits.max_rows) {
            return Err(FileError::Rows { sheet: sheet.to_owned(), max: limits.max_rows });
        }
        if width > u64::from(limits.max_columns) {
            return Err(FileError::Columns { sheet: sheet.to_owned(), max: limits.max_columns });
        }
        if cells.saturating_add(rows_used.saturating_mul(width)) > limits.max_cells {
            return Err(FileError::Cells { max: limits.max_cells });
        }
        Ok(())
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| corrupt(&e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    sheet = e
                        .try_get_attribute("table:name")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                        .unwrap_or_default();
                    (row, rows_used, width) = (0, 0, 0);
                }
                "table:table-row" => {
                    (row_repeats, col, row_width) = (repeats(e, "table:number-rows-repeated"), 0, 0);
                    if matches!(event, Event::Empty(_)) {
                        row = row.saturating_add(row_repeats);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(e, "table:number-columns-repeated");
                    col = col.saturating_add(n);
                    let content =
                        matches!(event, Event::Start(_)) || has(e, "office:value-type") || has(e, "table:formula");
                    if content {
                        row_width = col;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => {
                    row = row.saturating_add(row_repeats);
                    if row_width > 0 {
                        rows_used = row;
                        width = width.max(row_width);
                        too_big(&sheet, rows_used, width, cells)?;
                    }
                }
                "table:table" => {
                    too_big(&sheet, rows_used, width, cells)?;
                    cells = cells.saturating_add(rows_used.saturating_mul(width));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Runs a reader of an uploaded file so that a panic inside the parsing libraries (a hostile
/// file tripping an arithmetic overflow in calamine's cell references, found by fuzzing) is a
/// refusal of the file, never a crashed request.
pub(crate) fn guarded<T>(read: impl FnOnce() -> Result<T, FileError>) -> Result<T, FileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(FileError::Corrupt { detail: "文件内容无法解析".to_owned() }))
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(pattern.len()).any(|w| w == pattern.as_slice())
}

pub(crate) fn corrupt(e: &dyn std::fmt::Display) -> FileError {
    let mut detail = e.to_string();
    detail.truncate(200);
    FileError::Corrupt { detail }
}

enum Inner<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
}

/// An opened workbook.
pub struct Book<'a> {
    inner: Inner<'a>,
    pub format: Format,
    limits: Limits,
    cells: u64,
}

impl<'a> Book<'a> {
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Book<'a>, FileError> {
        let format = detect(bytes, limits)?;
        let inner = match format {
            Format::Xlsx => Inner::Xlsx(Box::new(Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?)),
            Format::Xls => Inner::Xls(Box::new(Xls::new(Cursor::new(bytes)).map_err(xls_error)?)),
            Format::Ods => {
                check_ods_extent(bytes, limits)?;
                Inner::Ods(Box::new(Ods::new(Cursor::new(bytes)).map_err(ods_error)?))
            }
        };
        Ok(Book { inner, format, limits: limits.clone(), cells: 0 })
    }

    /// The worksheets users can see or unhide (very hidden sheets are the program's own).
    pub fn sheet_names(&self) -> Vec<String> {
        let sheets = match &self.inner {
            Inner::Xlsx(b) => b.sheets_metadata(),
            Inner::Xls(b) => b.sheets_metadata(),
            Inner::Ods(b) => b.sheets_metadata(),
        };
        sheets
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet && s.visible != SheetVisible::VeryHidden)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The workbook's custom document properties (xlsx), where templates carry their kind.
    pub fn custom_properties(&mut self) -> HashMap<String, String> {
        match &mut self.inner {
            Inner::Xlsx(b) => b.workbook_properties().map(|p| p.custom_properties).unwrap_or_default(),
            _ => HashMap::new(),
        }
    }

    /// Calls `f` with each non-empty row of `sheet` in order: its 0-based index and its
    /// non-empty cells as (0-based column, cell), columns ascending.
    pub fn rows(
        &mut self,
        sheet: &str,
        mut f: impl FnMut(u32, &[(u32, Cell)]) -> Result<(), FileError>,
    ) -> Result<(), FileError> {
        let limits = self.limits.clone();
        let mut cells = self.cells;
        let mut guard = |row: u32, col: u32| -> Result<(), FileError> {
            cells += 1;
            if cells > limits.max_cells {
                return Err(FileError::Cells { max: limits.max_cells });
            }
            if row >= limits.max_rows {
                return Err(FileError::Rows { sheet: sheet.to_owned(), max: limits.max_rows });
            }
            if col >= limits.max_columns {
                return Err(FileError::Columns { sheet: sheet.to_owned(), max: limits.max_columns });
            }
            Ok(())
        };
        let result = match &mut self.inner {
            Inner::Xlsx(book) => {
                let mut reader = book.worksheet_cells_reader(sheet).map_err(xlsx_error)?;
                let percent: Vec<bool> = reader
                    .styles()
                    .iter()
                    .map(|s| s.number_format.as_ref().is_some_and(|n| is_percent_format(&n.format_code)))
                    .collect();
                let mut current: Option<u32> = None;
                let mut row_cells: Vec<(u32, Cell)> = Vec::new();
                while let Some((c, style)) = reader.next_cell_with_style_id().map_err(xlsx_error)? {
                    let (row, col) = c.get_position();
                    let Some(cell) =
                        cell_of(c.get_value().clone().into(), percent.get(style).copied().unwrap_or(false))
                    else {
                        continue;
                    };
                    guard(row, col)?;
                    if current != Some(row) {
                        if let Some(r) = current {
                            row_cells.sort_by_key(|(c, _)| *c);
                            f(r, &row_cells)?;
                        }
                        row_cells.clear();
                        current = Some(row);
                    }
                    row_cells.push((col, cell));
                }
                if let Some(r) = current {
                    row_cells.sort_by_key(|(c, _)| *c);
                    f(r, &row_cells)?;
                }
                Ok(())
            }
            Inner::Xls(book) => {
                let range = book.worksheet_range(sheet).map_err(xls_error)?;
                each_row(&range, sheet, &limits, &mut guard, &mut f)
            }
            Inner::Ods(book) => {
                let range = book.worksheet_range(sheet).map_err(ods_error)?;
                each_row(&range, sheet, &limits, &mut guard, &mut f)
            }
        };
        self.cells = cells;
        result
    }
}

fn each_row(
    range: &calamine::Range<Data>,
    sheet: &str,
    limits: &Limits,
    guard: &mut impl FnMut(u32, u32) -> Result<(), FileError>,
    f: &mut impl FnMut(u32, &[(u32, Cell)]) -> Result<(), FileError>,
) -> Result<(), FileError> {
    let Some((start_row, start_col)) = range.start() else {
        return Ok(());
    };
    if range.height() as u64 > u64::from(limits.max_rows) {
        return Err(FileError::Rows { sheet: sheet.to_owned(), max: limits.max_rows });
    }
    let mut row_cells = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let r = start_row + i as u32;
        row_cells.clear();
        for (j, value) in row.iter().enumerate() {
            if let Some(cell) = cell_of(value.clone(), false) {
                let c = start_col + j as u32;
                guard(r, c)?;
                row_cells.push((c, cell));
            }
        }
        if !row_cells.is_empty() {
            f(r, &row_cells)?;
        }
    }
    Ok(())
}

/// A cell as the importer sees it (`None` when empty); `percent` when its number format shows a
/// percentage.
fn cell_of(value: Data, percent: bool) -> Option<Cell> {
    Some(match value {
        Data::Empty => return None,
        Data::String(s) => text(&s)?,
        Data::Int(i) => Cell::number(i as f64, percent),
        Data::Float(v) => Cell::number(v, percent),
        Data::Bool(b) => Cell::Bool(b),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if !d.is_duration() => Cell::Date(dt.date()),
            _ => Cell::number(d.as_f64(), false),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => iso(&s),
        Data::Error(e) => Cell::Error(e.to_string()),
    })
}

fn text(s: &str) -> Option<Cell> {
    let t = s.trim();
    (!t.is_empty()).then(|| Cell::Text(t.to_owned()))
}

fn iso(s: &str) -> Cell {
    match chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
        Ok(d) => Cell::Date(d),
        Err(_) => Cell::Text(s.to_owned()),
    }
}

fn xlsx_error(e: XlsxError) -> FileError {
    match e {
        XlsxError::Password => FileError::Encrypted,
        e => corrupt(&e),
    }
}

fn xls_error(e: XlsError) -> FileError {
    match e {
        XlsError::Password => FileError::Encrypted,
        e => corrupt(&e),
    }
}

fn ods_error(e: OdsError) -> FileError {
    match e {
        OdsError::Password => FileError::Encrypted,
        e => corrupt(&e),
    }
}
