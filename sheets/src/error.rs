//! What is wrong with an uploaded file as a whole, in the user's language. Problems of single
//! cells are not errors of the file: they are listed in the import's report with their place.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FileError {
    #[error("文件为空")]
    Empty,
    #[error("文件过大：{size_kib} KB，上限 {max_mib} MB")]
    TooLarge { size_kib: u64, max_mib: u64 },
    #[error("不是电子表格文件：请上传 .xlsx、.xls 或 .ods 文件")]
    NotSpreadsheet,
    #[error("文件设有密码或已加密，无法读取：请在 Excel/WPS 中取消密码保护，另存为 .xlsx 后再上传")]
    Encrypted,
    #[error("文件已损坏或不完整，无法读取（{detail}）")]
    Corrupt { detail: String },
    #[error("文件解压后超过 {max_mib} MB，拒绝读取")]
    Unzipped { max_mib: u64 },
    #[error("文件内部条目“{entry}”的压缩比异常（{ratio} 倍），疑似压缩炸弹，拒绝读取")]
    Ratio { entry: String, ratio: u64 },
    #[error("文件内部条目过多（{count} 个，上限 {max} 个）")]
    Entries { count: usize, max: usize },
    #[error("工作表“{sheet}”超过 {max} 行，拒绝读取")]
    Rows { sheet: String, max: u32 },
    #[error("工作表“{sheet}”超过 {max} 列，拒绝读取")]
    Columns { sheet: String, max: u32 },
    #[error("单元格总数超过 {max} 个，拒绝读取")]
    Cells { max: u64 },
    #[error("不是表格或 Word 文件：请给出 .xlsx、.xls、.ods 或 .docx 文件")]
    NotTargetFile,
    #[error("没有找到可导入的指标行：请使用本系统下载的模板，或包含“三级指标”和“实际完成值”（运行监控：“1-7月执行情况”）列的表格")]
    NoRows,
    #[error("同一文件中既有绩效自评表（工作表“{selfeval}”）又有运行监控表（工作表“{monitoring}”）：请分开上传")]
    MixedKinds { selfeval: String, monitoring: String },
}
