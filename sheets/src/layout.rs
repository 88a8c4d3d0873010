//! Finding what a sheet holds, row by row as it streams: header cells by name (the aliases of
//! domain-rules.md §6, in any column order, below any number of title rows), the header block
//! above them (项目名称, 主管部门, the template's keys), the funds block (全年预算数 / 全年执行数),
//! and the indicator rows under the header. Pure: cells in, [`SheetData`] out.

use crate::address::place;
use crate::cell::Cell;
use domain::import::name_key;

/// A column the importer knows, found by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Key,
    Department,
    Project,
    Level1,
    Level2,
    Level3,
    Target,
    Actual,
    /// 偏差原因分析及改进措施 (自评), 偏差原因分析 (运行监控).
    Explanation,
    /// 1–7月执行情况 (运行监控).
    Progress,
    /// 全年预计完成情况.
    Forecast,
    /// 完成目标可能性.
    Likelihood,
    /// 偏差原因类别 (经费保障 / 制度保障 / …).
    DeviationCategory,
    /// 偏差纠正措施.
    CorrectiveAction,
}

impl Column {
    /// A column only a 运行监控表 has.
    fn is_monitoring(self) -> bool {
        matches!(
            self,
            Column::Progress
                | Column::Forecast
                | Column::Likelihood
                | Column::DeviationCategory
                | Column::CorrectiveAction
        )
    }
}

/// What a sheet's indicator rows give: 实际完成值 (自评表) or 运行监控 entries (监控表).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SheetKind {
    #[default]
    Actuals,
    Monitoring,
}

/// Header texts per column, compared after [`header_key`].
const HEADERS: &[(Column, &[&str])] = &[
    (Column::Key, &["编号", "编号勿改", "jixiao编号"]),
    (Column::Department, &["部门", "主管部门", "部门名称", "预算部门", "单位名称", "预算单位"]),
    (Column::Project, &["项目", "项目名称"]),
    (Column::Level1, &["一级指标"]),
    (Column::Level2, &["二级指标"]),
    (Column::Level3, &["三级指标", "指标名称", "指标内容"]),
    (Column::Target, &["年度指标值", "指标值", "目标值", "年度目标值", "绩效标准", "当年预期实现值", "预期目标"]),
    (Column::Actual, &["实际完成值", "实际值", "全年实际完成值", "年度实际完成值", "实际完成情况", "完成值"]),
    (
        Column::Explanation,
        &[
            "偏差原因分析及改进措施",
            "偏差原因分析",
            "偏差原因",
            "偏差原因及改进措施",
            "未完成原因分析及改进措施",
            "偏差原因说明",
        ],
    ),
    (Column::Forecast, &["全年预计完成情况", "全年预计完成值", "预计全年完成情况", "全年预计完成"]),
    (Column::Likelihood, &["完成目标可能性", "目标完成可能性", "完成可能性", "全年目标完成可能性"]),
    (Column::DeviationCategory, &["偏差原因类别", "偏差原因类型", "偏差类型", "偏差原因分类"]),
    (
        Column::CorrectiveAction,
        &["偏差纠正措施", "纠偏措施", "纠正措施", "相关建议或举措", "拟采取的纠偏措施", "完善措施"],
    ),
];

/// A header text as compared: [`name_key`] without bracketed suffixes ("实际完成值（B）",
/// "全年预算数(A)", "计量单位(%)") and without marks such as "*".
pub fn header_key(text: &str) -> String {
    let key = name_key(text);
    let mut out = String::new();
    let mut depth = 0;
    for c in key.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = i32::max(depth - 1, 0),
            '*' | '★' | ':' => {}
            '–' | '—' | '~' | '～' | '－' if depth == 0 => out.push('-'),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn column_of(text: &str) -> Option<Column> {
    let key = header_key(text);
    HEADERS
        .iter()
        .find(|(_, names)| names.iter().any(|n| *n == key))
        .map(|(c, _)| *c)
        .or_else(|| is_progress(&key).then_some(Column::Progress))
}

/// "1-7月执行情况", "1至6月完成情况", "截至7月底执行情况": the months so far, whichever.
fn is_progress(key: &str) -> bool {
    (key.ends_with("月执行情况") || key.ends_with("月底执行情况") || key.ends_with("月完成情况"))
        && !key.contains("全年")
}

/// "1-7月执行数", "1至6月执行数": the budget executed so far.
fn is_executed_so_far(key: &str) -> bool {
    (key.ends_with("月执行数") || key.ends_with("月底执行数")) && !key.contains("全年")
}

/// The template's key of a project ("jx:P12").
pub fn project_key(id: i32) -> String {
    format!("jx:P{id}")
}

/// The template's key of an indicator and the target version it was written from
/// ("jx:I345@2"; version 0 = targets never approved).
pub fn indicator_key(id: i32, version: i32) -> String {
    format!("jx:I{id}@{version}")
}

fn parse_project_key(text: &str) -> Option<i32> {
    text.trim().strip_prefix("jx:P")?.parse().ok()
}

fn parse_indicator_key(text: &str) -> Option<(i32, i32)> {
    let (id, version) = text.trim().strip_prefix("jx:I")?.split_once('@')?;
    Some((id.parse().ok()?, version.parse().ok()?))
}

/// A cell with its place, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub place: String,
    pub cell: Cell,
}

/// One indicator row under the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowFound {
    /// 0-based row.
    pub row: u32,
    /// "Sheet!第12行".
    pub place: String,
    /// The template's key: indicator id and target version.
    pub key: Option<(i32, i32)>,
    /// A key cell that is not a valid key (edited by hand).
    pub bad_key: Option<Placed>,
    pub department: Option<String>,
    pub project: Option<String>,
    pub level1: String,
    pub level2: String,
    pub name: String,
    pub actual: Option<Placed>,
    pub explanation: Option<Placed>,
    pub progress: Option<Placed>,
    pub forecast: Option<Placed>,
    pub likelihood: Option<Placed>,
    pub deviation_category: Option<Placed>,
    pub corrective_action: Option<Placed>,
}

/// The cells of a sheet's funds block: 全年预算数 / 全年执行数 (自评表), 1–7月执行数 /
/// 全年预计执行数 (监控表).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FundsFound {
    pub budget: Option<Placed>,
    pub executed: Option<Placed>,
    pub executed_jan_jul: Option<Placed>,
    pub expected_execution: Option<Placed>,
}

impl FundsFound {
    pub fn is_empty(&self) -> bool {
        self.budget.is_none()
            && self.executed.is_none()
            && self.executed_jan_jul.is_none()
            && self.expected_execution.is_none()
    }
}

/// Where the funds block's values are: the header's row and the column of each amount.
#[derive(Clone, Copy, Debug, Default)]
struct FundsColumns {
    row: u32,
    budget: Option<u32>,
    executed: Option<u32>,
    executed_jan_jul: Option<u32>,
    expected_execution: Option<u32>,
}

/// What one sheet holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SheetData {
    pub name: String,
    pub project_key: Option<i32>,
    /// 项目名称 from the header block.
    pub project: Option<String>,
    /// 主管部门 from the header block.
    pub department: Option<String>,
    pub funds: FundsFound,
    pub header_found: bool,
    pub kind: SheetKind,
    pub rows: Vec<RowFound>,
}

/// Reads a sheet row by row: feed every non-empty row to [`Scanner::row`], then take
/// [`Scanner::finish`].
pub struct Scanner {
    data: SheetData,
    columns: Vec<(u32, Column)>,
    /// The funds header's row and its 全年预算数 / 全年执行数 columns.
    funds_columns: Option<FundsColumns>,
    level1: String,
    level2: String,
}

/// How many rows may stand above the header (titles, header block, funds block).
const MAX_ROWS_ABOVE_HEADER: u32 = 60;

impl Scanner {
    pub fn new(sheet: &str) -> Scanner {
        Scanner {
            data: SheetData { name: sheet.to_owned(), ..SheetData::default() },
            columns: Vec::new(),
            funds_columns: None,
            level1: String::new(),
            level2: String::new(),
        }
    }

    /// Whether the scanner still wants rows (a sheet without a header near its top is not an
    /// indicator sheet; its remaining rows need not be read).
    pub fn wants(&self, row: u32) -> bool {
        self.data.header_found || row < MAX_ROWS_ABOVE_HEADER
    }

    pub fn row(&mut self, row: u32, cells: &[(u32, Cell)]) {
        if self.data.header_found {
            self.indicator_row(row, cells);
        } else {
            self.above_header(row, cells);
        }
    }

    pub fn finish(self) -> SheetData {
        self.data
    }

    fn above_header(&mut self, row: u32, cells: &[(u32, Cell)]) {
        let sheet = self.data.name.clone();
        // The funds row: the row right under the funds header.
        if let Some(f) = self.funds_columns.take().filter(|f| f.row + 1 == row) {
            let at = |col: Option<u32>| {
                let col = col?;
                cells
                    .iter()
                    .find(|(c, _)| *c == col)
                    .map(|(c, cell)| Placed { place: place(&sheet, row, *c), cell: cell.clone() })
            };
            self.data.funds = FundsFound {
                budget: at(f.budget),
                executed: at(f.executed),
                executed_jan_jul: at(f.executed_jan_jul),
                expected_execution: at(f.expected_execution),
            };
            return;
        }
        let found: Vec<(u32, Column)> = cells
            .iter()
            .filter_map(|(c, cell)| match cell {
                Cell::Text(t) => column_of(t).map(|col| (*c, col)),
                _ => None,
            })
            .collect();
        let has = |column: Column| found.iter().any(|(_, c)| *c == column);
        let monitoring = found.iter().any(|(_, c)| c.is_monitoring());
        if has(Column::Level3) && (has(Column::Actual) || monitoring) {
            // A sheet with 实际完成值 is a 自评表 even if it also has a column such as 纠偏措施.
            self.data.kind = if has(Column::Actual) { SheetKind::Actuals } else { SheetKind::Monitoring };
            self.columns = found;
            self.data.header_found = true;
            return;
        }
        let mut funds = FundsColumns { row, ..FundsColumns::default() };
        for (i, (col, cell)) in cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            if let Some(id) = parse_project_key(text) {
                self.data.project_key = Some(id);
                continue;
            }
            let key = header_key(text);
            let next_text = || cells.get(i + 1).map(|(_, c)| c.text()).filter(|t| !t.is_empty());
            match key.as_str() {
                "项目名称" => self.data.project = next_text().or(self.data.project.take()),
                "主管部门" | "部门名称" | "预算部门" => {
                    self.data.department = next_text().or(self.data.department.take())
                }
                "全年预算数" => funds.budget = Some(*col),
                "全年执行数" => funds.executed = Some(*col),
                "全年预计执行数" | "预计全年执行数" => funds.expected_execution = Some(*col),
                k if is_executed_so_far(k) => funds.executed_jan_jul = Some(*col),
                _ => {}
            }
        }
        if funds.budget.is_some()
            || funds.executed.is_some()
            || funds.executed_jan_jul.is_some()
            || funds.expected_execution.is_some()
        {
            self.funds_columns = Some(funds);
        }
    }

    fn indicator_row(&mut self, row: u32, cells: &[(u32, Cell)]) {
        let sheet = self.data.name.clone();
        let get = |column: Column| -> Option<(u32, &Cell)> {
            let col = self.columns.iter().find(|(_, c)| *c == column)?.0;
            cells.iter().find(|(c, _)| *c == col).map(|(c, cell)| (*c, cell))
        };
        let text = |column: Column| get(column).map(|(_, c)| c.text()).unwrap_or_default();
        let placed =
            |column: Column| get(column).map(|(c, cell)| Placed { place: place(&sheet, row, c), cell: cell.clone() });
        let mut key = None;
        let mut bad_key = None;
        // A 编号 column of another system (1, 2, 3 …) is no key; an edited key of ours is refused.
        if let Some((c, cell)) = get(Column::Key) {
            let text = cell.text();
            match parse_indicator_key(&text) {
                Some(k) => key = Some(k),
                None if text.starts_with("jx:") => {
                    bad_key = Some(Placed { place: place(&sheet, row, c), cell: cell.clone() })
                }
                None => {}
            }
        }
        // Merged 一级 / 二级 cells are empty below their first row: carry them down.
        let level1 = text(Column::Level1);
        if !level1.is_empty() {
            self.level1 = level1;
            self.level2.clear();
        }
        let level2 = text(Column::Level2);
        if !level2.is_empty() {
            self.level2 = level2;
        }
        let name = text(Column::Level3);
        let first = cells.first().map(|(_, c)| header_key(&c.text())).unwrap_or_default();
        if name.is_empty() && key.is_none() && bad_key.is_none() {
            return;
        }
        if ["总分", "合计", "总计", "分值合计"].contains(&first.as_str()) {
            return;
        }
        self.data.rows.push(RowFound {
            row,
            place: crate::address::row_place(&sheet, row),
            key,
            bad_key,
            department: Some(text(Column::Department)).filter(|t| !t.is_empty()),
            project: Some(text(Column::Project)).filter(|t| !t.is_empty()),
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            name,
            actual: placed(Column::Actual).filter(|p| !p.cell.is_blank()),
            explanation: placed(Column::Explanation).filter(|p| !p.cell.is_blank()),
            progress: placed(Column::Progress).filter(|p| !p.cell.is_blank()),
            forecast: placed(Column::Forecast).filter(|p| !p.cell.is_blank()),
            likelihood: placed(Column::Likelihood).filter(|p| !p.cell.is_blank()),
            deviation_category: placed(Column::DeviationCategory).filter(|p| !p.cell.is_blank()),
            corrective_action: placed(Column::CorrectiveAction).filter(|p| !p.cell.is_blank()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn headers_by_name_in_any_order_below_titles() {
        assert_eq!(header_key("实际完成值（B）"), "实际完成值");
        assert_eq!(header_key(" 年度指标值(A) "), "年度指标值");
        assert_eq!(header_key("*三級指標"), "三级指标");
        let mut s = Scanner::new("表1");
        s.row(0, &[(0, t("2021年度项目支出绩效自评表"))]);
        s.row(1, &[(0, t("项目名称")), (1, t("政府网站维护"))]);
        s.row(2, &[(0, t("项目资金（万元）")), (2, t("全年预算数（A）")), (3, t("全年执行数（B）"))]);
        s.row(3, &[(0, t("年度资金总额")), (2, Cell::Number { value: dec!(10), percent: false })]);
        s.row(5, &[(1, t("实际完成值")), (3, t("三级指标")), (4, t("一级指标")), (5, t("偏差原因"))]);
        s.row(6, &[(1, t("95%")), (3, t("满意度")), (4, t("满意度指标"))]);
        s.row(7, &[(3, t("及时率"))]);
        s.row(8, &[(0, t("总分")), (3, t("100"))]);
        let data = s.finish();
        assert!(data.header_found);
        assert_eq!(data.project.as_deref(), Some("政府网站维护"));
        assert_eq!(data.funds.budget.as_ref().map(|p| p.place.as_str()), Some("表1!C4"));
        assert!(data.funds.executed.is_none());
        assert_eq!(data.rows.len(), 2);
        assert_eq!(data.rows[0].actual.as_ref().map(|p| p.place.as_str()), Some("表1!B7"));
        assert_eq!(data.rows[1].level1, "满意度指标");
        assert!(data.rows[1].actual.is_none());
    }

    #[test]
    fn a_monitoring_sheet_by_its_headers() {
        assert_eq!(header_key("1–7月执行情况"), "1-7月执行情况");
        let mut s = Scanner::new("监控");
        s.row(0, &[(0, t("2021年度项目支出绩效运行监控表"))]);
        s.row(2, &[(1, t("年初预算数")), (2, t("1—7月执行数")), (3, t("1-7月执行率")), (4, t("全年预计执行数"))]);
        s.row(3, &[(0, t("年度资金总额")), (2, Cell::Number { value: dec!(4), percent: false }), (4, t("9"))]);
        s.row(
            5,
            &[
                (0, t("三级指标")),
                (1, t("1至6月完成情况")),
                (2, t("完成目标可能性")),
                (3, t("偏差原因分析")),
                (4, t("纠偏措施")),
                (5, t("全年预计完成情况")),
            ],
        );
        s.row(6, &[(0, t("网站数量")), (1, t("1个")), (2, t("有可能")), (3, t("经费未到位")), (5, t("1个"))]);
        let data = s.finish();
        assert_eq!(data.kind, SheetKind::Monitoring);
        assert_eq!(data.funds.executed_jan_jul.as_ref().map(|p| p.place.as_str()), Some("监控!C4"));
        assert_eq!(data.funds.expected_execution.as_ref().map(|p| p.cell.text()), Some("9".to_owned()));
        assert!(data.funds.budget.is_none());
        let row = &data.rows[0];
        assert_eq!(row.progress.as_ref().map(|p| p.place.as_str()), Some("监控!B7"));
        assert_eq!(row.likelihood.as_ref().map(|p| p.cell.text()), Some("有可能".to_owned()));
        assert_eq!(row.explanation.as_ref().map(|p| p.cell.text()), Some("经费未到位".to_owned()));
        assert_eq!(row.forecast.as_ref().map(|p| p.place.as_str()), Some("监控!F7"));
        assert!(row.corrective_action.is_none());
    }

    #[test]
    fn keys_round_trip() {
        assert_eq!(parse_indicator_key(&indicator_key(345, 2)), Some((345, 2)));
        assert_eq!(parse_project_key(&project_key(12)), Some(12));
        assert_eq!(parse_indicator_key("jx:I12"), None);
        assert_eq!(parse_indicator_key("345"), None);
    }
}
