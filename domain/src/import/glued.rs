//! Splitting glued cells: flattened text loses the cell borders, so one whitespace token may hold
//! level names, a run of column names, indicator names and their values
//! ("产出指标数量指标免费开放天数=300天质量指标…", "一级指标二级指标三级指标指标目标值…",
//! "監(jiān)測數據必須合格100%100%10"). The pieces are found on the matching key (traditional
//! characters simplified, pinyin annotations dropped) and cut from the text as written.
//!
//! Values are only cut where their shape is clear: a number with a known unit, a range or a date,
//! whose first value carries a unit or a written comparator, after a name of at least three
//! Chinese characters, and followed by the end of the cell, more values or another name (four
//! Chinese characters or more). A bare number only follows such a value in the same run
//! ("100%100%10": target, actual, score), so "取得2018-2022", "5G基站" or "全年完成2次宣传" stay
//! whole.

use super::norm::matching_chars;
use crate::value::clear_value_prefix;

/// Level names as they appear glued inside a cell, longest first.
const GLUED_LEVELS: &[&str] = &[
    "社会公众或服务对象满意度指标",
    "服务对象满意度指标",
    "社会公众满意度指标",
    "生态环境成本指标",
    "可持续影响指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "环境效益指标",
    "经济成本指标",
    "社会成本指标",
    "满意度指标",
    "产出指标",
    "效益指标",
    "成本指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "进度指标",
];

/// 二级 names written without "指标", recognised only when the 三级 name repeats them.
const SHORT_LEVEL2: &[&str] =
    &["服务对象满意度", "社会公众满意度", "经济效益", "社会效益", "生态效益", "可持续影响", "数量", "质量", "时效"];

/// Column names that a flattened header glues together after "一级指标", longest first.
const GLUED_COLUMNS: &[&str] = &[
    "指标目标值及单位",
    "当年预期实现值",
    "年度指标值",
    "年度目标值",
    "年初目标值",
    "预期目标值",
    "指标目标值",
    "指标值及单位",
    "实际完成值",
    "全年实际值",
    "全年完成值",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标名称",
    "指标内容",
    "指标解释",
    "指标性质",
    "指标方向",
    "计量单位",
    "度量单位",
    "绩效标准",
    "指标值",
    "目标值",
    "完成值",
    "分值",
    "权重",
    "得分",
    "备注",
];

/// What a piece of a glued cell is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Level,
    Column,
    Text,
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn starts_with_at(key: &[char], at: usize, word: &str) -> Option<usize> {
    let w: Vec<char> = word.chars().collect();
    (key.get(at..at + w.len()) == Some(&w[..])).then_some(w.len())
}

/// A "(50分)", "(A)", "(万元)" right after a level or column name belongs to it: its length.
fn trailing_paren(key: &[char], at: usize) -> usize {
    if !matches!(key.get(at), Some('(' | '（')) {
        return 0;
    }
    let close = key.iter().skip(at).take(10).position(|c| *c == ')' || *c == '）');
    match close {
        Some(close) => {
            let inner: String = key.iter().skip(at + 1).take(close.saturating_sub(1)).collect();
            let weight = inner.contains('分') && inner.chars().count() <= 8;
            let short = inner.chars().count() <= 3 && !inner.chars().any(|c| c.is_ascii_digit());
            if weight || short {
                close + 1
            } else {
                0
            }
        }
        None => 0,
    }
}

/// Splits a cell into its level names, glued column-name runs and the rest (key ranges).
fn split_structure(key: &[char]) -> Vec<(Piece, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < key.len() {
        // A run of at least two column names from "一级指标" on: a flattened header.
        if starts_with_at(key, i, "一级指标").is_some() {
            let mut j = i;
            let mut names = Vec::new();
            while let Some(n) = GLUED_COLUMNS.iter().find_map(|c| starts_with_at(key, j, c)) {
                let end = j + n + trailing_paren(key, j + n);
                names.push((j, end));
                j = end;
            }
            if names.len() >= 2 {
                if i > start {
                    out.push((Piece::Text, start, i));
                }
                out.extend(names.into_iter().map(|(a, b)| (Piece::Column, a, b)));
                start = j;
                i = j;
                continue;
            }
        }
        // "满意度指标服务对象满意度服务对象满意度%=99": a 二级 written without "指标" right after a
        // level name, followed by a 三级 of the same words.
        let after_level = i == start && out.last().is_some_and(|(p, _, _)| *p == Piece::Level);
        let repeated = SHORT_LEVEL2.iter().find_map(|l| {
            let n = starts_with_at(key, i, l)?;
            starts_with_at(key, i + n, l).map(|_| n)
        });
        if let (true, Some(n)) = (after_level, repeated) {
            out.push((Piece::Level, i, i + n));
            start = i + n;
            i += n;
            continue;
        }
        if let Some(n) = GLUED_LEVELS.iter().find_map(|l| starts_with_at(key, i, l)) {
            let end = i + n + trailing_paren(key, i + n);
            if i > start {
                out.push((Piece::Text, start, i));
            }
            out.push((Piece::Level, i, end));
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    if start < key.len() {
        out.push((Piece::Text, start, key.len()));
    }
    out
}

/// Can a value start at `key[i]`: a digit, a comparator sign, or an OCR "二" before a digit.
fn value_start(key: &[char], i: usize) -> bool {
    let digit = |j: usize| key.get(j).is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(c));
    match key.get(i) {
        Some(c) if c.is_ascii_digit() || ('０'..='９').contains(c) => true,
        Some('≥' | '≤' | '>' | '<' | '=' | '＞' | '＜' | '＝' | '≧' | '≦') => true,
        Some('二') => digit(i + 1),
        _ => false,
    }
}

/// Splits a text piece (key range `from..to`) into names and value runs.
fn split_values(key: &[char], from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let mut name_start = from;
    let mut i = from;
    while i < to {
        let prev = i.checked_sub(1).and_then(|p| key.get(p)).copied();
        let after_name = prev.is_some_and(|c| is_han(c) || matches!(c, ')' | '）' | '%'));
        let name_chars = key.get(name_start..i).unwrap_or(&[]).iter().filter(|c| is_han(**c)).count();
        if !(after_name && name_chars >= 3 && value_start(key, i)) {
            i += 1;
            continue;
        }
        let rest: String = key.get(i..to).unwrap_or(&[]).iter().collect();
        let Some((n, true)) = clear_value_prefix(&rest) else {
            i += 1;
            continue;
        };
        // What follows must be the end, more values, or another name ("…2次宣传" is one text).
        let after: Vec<char> = key.get(i + n..to).unwrap_or(&[]).to_vec();
        let follows_name = after.iter().filter(|c| is_han(**c)).count() >= 4;
        if !(after.is_empty() || value_start(&after, 0) || follows_name) {
            i += 1;
            continue;
        }
        // A stray "%" before a comparator ("及时率%=99百分比") is an OCR artefact: dropped.
        let name_end = if prev == Some('%') && !key.get(i).is_some_and(|c| c.is_ascii_digit()) { i - 1 } else { i };
        out.push((name_start, name_end));
        let mut j = i + n;
        out.push((i, j));
        // Further values of the same run: actual, score ("100%100%10").
        while j < to && value_start(key, j) {
            let more: String = key.get(j..to).unwrap_or(&[]).iter().collect();
            let Some((m, _)) = clear_value_prefix(&more) else { break };
            out.push((j, j + m));
            j += m;
        }
        name_start = j;
        i = j;
    }
    if name_start < to {
        out.push((name_start, to));
    }
}

/// Splits a glued cell into level names, column names, names and values, as written. A cell
/// with nothing glued comes back whole.
pub(super) fn split_glued_cell(cell: &str) -> Vec<String> {
    let keyed = matching_chars(cell);
    let key: Vec<char> = keyed.iter().map(|(c, _)| *c).collect();
    let chars: Vec<char> = cell.chars().collect();
    // Key index → index in the text as written (the end maps to the end of the text).
    let orig = |k: usize| keyed.get(k).map_or(chars.len(), |(_, o)| *o);
    let mut ranges = Vec::new();
    for (piece, a, b) in split_structure(&key) {
        match piece {
            Piece::Level | Piece::Column => ranges.push((a, b)),
            // A sentence ("已完工,剩余3%尾款未付。") is an explanation, never names and values.
            Piece::Text if key.get(a..b).is_some_and(|t| t.contains(&'。')) => ranges.push((a, b)),
            Piece::Text => split_values(&key, a, b, &mut ranges),
        }
    }
    ranges
        .into_iter()
        .map(|(a, b)| chars.get(orig(a)..orig(b)).unwrap_or(&[]).iter().collect::<String>())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_glued_cell(s)
    }

    #[test]
    fn levels_columns_names_and_values() {
        assert_eq!(split("产出指标(50分)数量指标基建项目"), ["产出指标(50分)", "数量指标", "基建项目"]);
        assert_eq!(
            split("一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天"),
            ["一级指标", "二级指标", "三级指标", "指标目标值", "产出指标", "数量指标", "免费开放天数", "=300天"]
        );
        assert_eq!(split("各项工作完成及时率%=99百分比"), ["各项工作完成及时率", "=99百分比"]);
        assert_eq!(split("资金使用效率二100百分比"), ["资金使用效率", "二100百分比"]);
        assert_eq!(
            split("满意度指标服务对象满意度服务对象满意度%=99百分比"),
            ["满意度指标", "服务对象满意度", "服务对象满意度", "=99百分比"]
        );
        assert_eq!(split("服务对象满意度服务对象满意度95%"), ["服务对象满意度服务对象满意度", "95%"]);
        assert_eq!(
            split("監(jiān)測數(shù)據(jù)必須合格100%100%10"),
            ["監(jiān)測數(shù)據(jù)必須合格", "100%", "100%", "10"]
        );
        assert_eq!(split("产出指標(biāo)質量指標"), ["产出指標(biāo)", "質量指標"]);
        assert_eq!(
            split("维护次数反映维护情况2280次大楼安检巡察次数反映巡检情况200次"),
            ["维护次数反映维护情况", "2280次", "大楼安检巡察次数反映巡检情况", "200次"]
        );
    }

    #[test]
    fn names_with_numbers_stay_whole() {
        assert_eq!(split("取得2018-2022"), ["取得2018-2022"]);
        assert_eq!(split("5G基站建设数量"), ["5G基站建设数量"]);
        assert_eq!(split("全年完成2次宣传"), ["全年完成2次宣传"]);
        assert_eq!(split("受益人数10"), ["受益人数10"]);
        assert_eq!(split("[2022]78号其他依据"), ["[2022]78号其他依据"]);
        assert_eq!(
            split("已完工,剩余3%尾款未付,且最高限价低于预算金额。"),
            ["已完工,剩余3%尾款未付,且最高限价低于预算金额。"]
        );
    }
}
