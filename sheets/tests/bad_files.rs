//! Bad and hostile files: each is refused with its exact Chinese message before anything is
//! parsed or stored (the database side of "nothing changed" is in actuals.rs).

use rust_xlsxwriter::Workbook;
use sheets::actuals::read;
use sheets::{FileError, Limits};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

fn message(bytes: &[u8], limits: &Limits) -> String {
    match read(bytes, limits) {
        Err(e) => e.to_string(),
        Ok(parsed) => panic!("expected a refusal, read {} sheets", parsed.sheets.len()),
    }
}

fn zip_of(entries: &[(&str, Vec<u8>)], method: CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, SimpleFileOptions::default().compression_method(method)).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("表1").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

const GOOD: &[&[&str]] = &[&["三级指标", "实际完成值"], &["网站正常运行率", "100%"]];

#[test]
fn a_good_file_reads() {
    let parsed = read(&workbook(GOOD), &Limits::default()).unwrap();
    assert_eq!(parsed.sheets.len(), 1);
    assert_eq!(parsed.sheets[0].rows[0].name, "网站正常运行率");
    assert_eq!(parsed.sha256.len(), 64);
}

#[test]
fn empty_file() {
    assert_eq!(message(b"", &Limits::default()), "文件为空");
}

#[test]
fn too_large() {
    let limits = Limits { max_bytes: 1024 * 1024, ..Limits::default() };
    assert_eq!(message(&vec![0u8; 3 * 1024 * 1024], &limits), "文件过大：3072 KB，上限 1 MB");
}

#[test]
fn not_a_spreadsheet() {
    let expected = "不是电子表格文件：请上传 .xlsx、.xls 或 .ods 文件";
    assert_eq!(message(b"%PDF-1.7\n...", &Limits::default()), expected);
    assert_eq!(message("部门,项目\n县政务办,网站".as_bytes(), &Limits::default()), expected, "CSV");
    assert_eq!(message(b"\x89PNG\r\n\x1a\n", &Limits::default()), expected);
    // A Word document is a zip too, but holds no workbook.
    let docx = zip_of(&[("word/document.xml", b"<w:document/>".to_vec())], CompressionMethod::Deflated);
    assert_eq!(message(&docx, &Limits::default()), expected, "docx");
    let odt = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text".to_vec())], CompressionMethod::Stored);
    assert_eq!(message(&odt, &Limits::default()), expected, "odt");
}

#[test]
fn truncated_workbook() {
    let bytes = workbook(GOOD);
    let cut = &bytes[..bytes.len() / 2];
    assert!(message(cut, &Limits::default()).starts_with("文件已损坏或不完整，无法读取（"));
}

#[test]
fn zip_without_a_valid_workbook_xml() {
    let fake = zip_of(&[("xl/workbook.xml", b"not xml at all <<<".to_vec())], CompressionMethod::Deflated);
    assert!(message(&fake, &Limits::default()).starts_with("文件已损坏或不完整，无法读取（"));
}

#[test]
fn encrypted_office_file() {
    // An encrypted xlsx is an OLE compound file with an EncryptionInfo stream.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 512));
    ole.extend("EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(
        message(&ole, &Limits::default()),
        "文件设有密码或已加密，无法读取：请在 Excel/WPS 中取消密码保护，另存为 .xlsx 后再上传"
    );
}

#[test]
fn broken_xls() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 100));
    assert!(message(&ole, &Limits::default()).starts_with("文件已损坏或不完整，无法读取（"));
}

#[test]
fn zip_bomb_by_ratio() {
    let bomb = zip_of(&[("xl/worksheets/sheet1.xml", vec![b'a'; 20 * 1024 * 1024])], CompressionMethod::Deflated);
    assert!(bomb.len() < 200 * 1024, "a small file: {}", bomb.len());
    let m = message(&bomb, &Limits::default());
    assert!(m.starts_with("文件内部条目“xl/worksheets/sheet1.xml”的压缩比异常（"), "{m}");
    assert!(m.ends_with("倍），疑似压缩炸弹，拒绝读取"), "{m}");
}

#[test]
fn zip_bomb_by_total_size() {
    let limits = Limits { max_unzipped: 1024 * 1024, ..Limits::default() };
    let big =
        zip_of(&[("a.xml", vec![b'x'; 600 * 1024]), ("b.xml", vec![b'y'; 600 * 1024])], CompressionMethod::Stored);
    assert_eq!(message(&big, &limits), "文件解压后超过 1 MB，拒绝读取");
}

#[test]
fn too_many_entries() {
    let entries: Vec<(String, Vec<u8>)> = (0..30).map(|i| (format!("f{i}.xml"), vec![b'a'])).collect();
    let refs: Vec<(&str, Vec<u8>)> = entries.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    let limits = Limits { max_entries: 20, ..Limits::default() };
    assert_eq!(message(&zip_of(&refs, CompressionMethod::Stored), &limits), "文件内部条目过多（30 个，上限 20 个）");
}

#[test]
fn too_many_rows_columns_and_cells() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("大表").unwrap();
    ws.write_string(0, 0, "三级指标").unwrap();
    ws.write_string(0, 1, "实际完成值").unwrap();
    for r in 1..50 {
        ws.write_string(r, 0, "指标").unwrap();
        ws.write_number(r, 1, r as f64).unwrap();
    }
    ws.write_string(10, 30, "远处").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(message(&bytes, &Limits { max_rows: 20, ..Limits::default() }), "工作表“大表”超过 20 行，拒绝读取");
    assert_eq!(message(&bytes, &Limits { max_columns: 20, ..Limits::default() }), "工作表“大表”超过 20 列，拒绝读取");
    assert_eq!(message(&bytes, &Limits { max_cells: 50, ..Limits::default() }), "单元格总数超过 50 个，拒绝读取");
}

#[test]
fn huge_declared_dimensions_are_not_allocated() {
    // One cell far away: streaming reads two cells, not a grid of a billion.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "三级指标").unwrap();
    ws.write_string(0, 1, "实际完成值").unwrap();
    ws.write_string(1_048_575, 16_383, "角落").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    assert_eq!(message(&bytes, &Limits::default()), "工作表“Sheet1”超过 300000 行，拒绝读取");
}

#[test]
fn no_indicator_rows() {
    let expected = "没有找到可导入的指标行：请使用本系统下载的模板，或包含“三级指标”和“实际完成值”（运行监控：“1-7月执行情况”）列的表格";
    assert_eq!(message(&workbook(&[&["姓名", "电话"], &["张三", "123"]]), &Limits::default()), expected);
    assert_eq!(message(&workbook(&[&["三级指标", "实际完成值"]]), &Limits::default()), expected, "header only");
    // Headers below the first 60 rows are not looked for.
    let mut rows: Vec<&[&str]> = vec![&["说明"]; 70];
    rows.extend_from_slice(GOOD);
    assert_eq!(message(&workbook(&rows), &Limits::default()), expected);
}

#[test]
fn file_errors_are_data() {
    let e = FileError::Rows { sheet: "表".into(), max: 3 };
    assert_eq!(serde_json::to_value(&e).unwrap()["code"], "rows");
}

/// An ods whose rows are `rows` (each: its `number-rows-repeated` and its cells as
/// (`number-columns-repeated`, text or empty)).
/// A row of [`ods`]: its repeat count and its cells.
type OdsRow<'a> = (u64, Vec<(u64, Option<&'a str>)>);

fn ods(rows: &[OdsRow<'_>]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>\
         <table:table table:name=\"表1\">",
    );
    for (repeat, cells) in rows {
        xml.push_str(&format!("<table:table-row table:number-rows-repeated=\"{repeat}\">"));
        for (n, text) in cells {
            match text {
                Some(t) => xml.push_str(&format!(
                    "<table:table-cell table:number-columns-repeated=\"{n}\" office:value-type=\"string\">\
                     <text:p>{t}</text:p></table:table-cell>"
                )),
                None => xml.push_str(&format!("<table:table-cell table:number-columns-repeated=\"{n}\"/>")),
            }
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    zip_of(
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
            ("content.xml", xml.into_bytes()),
            (
                "META-INF/manifest.xml",
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
                  xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>"
                    .to_vec(),
            ),
        ],
        CompressionMethod::Stored,
    )
}

/// A few bytes of ods repeat counts would make calamine build a grid of gigabytes: the extent is
/// checked from content.xml before calamine opens the file. Empty repeats at the ends, as
/// LibreOffice writes them, are fine.
#[test]
fn ods_repeats_are_capped_before_reading() {
    let header = (1, vec![(1, Some("三级指标")), (1, Some("实际完成值"))]);
    let row = |repeat: u64, cols: u64| (repeat, vec![(1, Some("网站正常运行率")), (cols, Some("100%"))]);
    // As LibreOffice saves: trailing empty columns and rows repeated to the sheet's end.
    let libreoffice = ods(&[
        header.clone(),
        (1, vec![(1, Some("网站正常运行率")), (1, Some("100%")), (16382, None)]),
        (1_048_574, vec![(16384, None)]),
    ]);
    let parsed = read(&libreoffice, &Limits::default()).unwrap();
    assert_eq!(parsed.sheets[0].rows.len(), 1);
    // A row with content repeated a million times.
    assert_eq!(
        message(&ods(&[header.clone(), row(1_048_576, 1)]), &Limits::default()),
        "工作表“表1”超过 300000 行，拒绝读取"
    );
    // A cell with content repeated across every column.
    assert_eq!(
        message(&ods(&[header.clone(), row(1, 16_383)]), &Limits::default()),
        "工作表“表1”超过 200 列，拒绝读取"
    );
    // Within the row and column caps, but a dense grid beyond the cell cap.
    assert_eq!(
        message(&ods(&[header.clone(), row(250_000, 100)]), &Limits::default()),
        "单元格总数超过 6000000 个，拒绝读取"
    );
    // Content far below a long run of empty rows spans them all.
    assert_eq!(
        message(&ods(&[header, (900_000, vec![(2, None)]), row(1, 1)]), &Limits::default()),
        "工作表“表1”超过 300000 行，拒绝读取"
    );
}

/// Found by fuzzing (tests/fuzz.rs, `fuzz_mutated_files`): a cell reference with more column
/// letters than a number can hold made calamine multiply past `u32::MAX` (a panic where overflow
/// is checked). Every reader refuses such a file as damaged instead.
#[test]
fn a_cell_reference_too_long_for_its_number() {
    let good = workbook(GOOD);
    let mut archive = zip::ZipArchive::new(Cursor::new(good.as_slice())).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().map(|n| n.into_owned()).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains("r=\"A2\""), "{xml}");
            data = xml.replace("r=\"A2\"", "r=\"AAAAAAAAAAAAAAAAAAAA2\"").into_bytes();
        }
        w.start_file(name, SimpleFileOptions::default()).unwrap();
        w.write_all(&data).unwrap();
    }
    let hostile = w.finish().unwrap().into_inner();
    let refused = |r: Result<String, sheets::FileError>| match r {
        Err(e) => e.to_string(),
        Ok(text) => format!("read: {text}"),
    };
    let actuals = match read(&hostile, &Limits::default()) {
        Err(e) => e.to_string(),
        Ok(parsed) => format!("read {} sheets", parsed.sheets.len()),
    };
    // Without overflow checks the reference wraps to a far column, beyond the column cap.
    for answer in [
        actuals,
        refused(sheets::targets::workbook_text(&hostile, &Limits::default())),
        refused(sheets::targets::document_text(&hostile, &Limits::default())),
    ] {
        assert!(answer.contains("文件已损坏") || answer.contains("超过"), "{answer}");
    }
}
