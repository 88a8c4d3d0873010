//! 指标库 and the indicator tree a new project is built in: the standard 一级 / 二级 names a
//! department picks from, the common indicators per 二级 (with a suggested unit, 指标性质 and an
//! example 指标值) gathered from real published tables, and what the value grammar reads in a
//! 指标值 as it is typed.

use crate::import::ImportedProject;
use crate::input::Invalid;
use crate::value::{Comparator, Target, TargetContext, ValueKind};
use crate::vocab::{Field, IndicatorNature};
use serde::{Deserialize, Serialize};

/// The 一级 names a new indicator may be filed under, each with its 二级 names, in table order.
/// Both layouts are offered: 成本指标 as a 二级 of 产出指标 (2020) and as a 一级 of its own (2021).
pub const LEVELS: &[(&str, &[&str])] = &[
    ("产出指标", &["数量指标", "质量指标", "时效指标", "成本指标"]),
    ("成本指标", &["经济成本指标", "社会成本指标", "生态环境成本指标"]),
    ("效益指标", &["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
    ("满意度指标", &["服务对象满意度指标"]),
];

/// The 二级 names under a 一级 (empty for an unknown 一级).
pub fn level2_of(level1: &str) -> &'static [&'static str] {
    LEVELS.iter().find(|(l1, _)| *l1 == level1).map_or(&[], |(_, l2)| l2)
}

/// Checks that a 一级 / 二级 pair is one of [`LEVELS`].
pub fn check_levels(level1: &str, level2: &str) -> Result<(), Invalid> {
    if level2_of(level1).contains(&level2) {
        Ok(())
    } else {
        Err(Invalid::UnknownLevel { level1: level1.to_owned(), level2: level2.to_owned() })
    }
}

/// The standard 二级 a published table means by `level2` under `level1`: itself when standard;
/// the 一级's only 二级 when the table leaves it empty or repeats the 一级 ("满意度指标 |
/// 满意度指标"), or writes a part of it ("服务对象满意度"); the name with "指标" added ("数量" →
/// "数量指标"). `None` when nothing standard is meant for sure.
pub fn standard_level2(level1: &str, level2: &str) -> Option<&'static str> {
    let options = level2_of(level1);
    let level2 = level2.trim();
    if let Some(found) = options.iter().find(|o| **o == level2) {
        return Some(found);
    }
    if let Some(found) = options.iter().find(|o| o.strip_suffix("指标") == Some(level2)) {
        return Some(found);
    }
    match options {
        [only] if level2.is_empty() || level2 == level1 || only.contains(level2) => Some(only),
        _ => None,
    }
}

/// Where a pair sits in [`LEVELS`] (unknown pairs last), for ordering.
pub fn level_rank(level1: &str, level2: &str) -> (usize, usize) {
    let i1 = LEVELS.iter().position(|(l1, _)| *l1 == level1).unwrap_or(LEVELS.len());
    let i2 = level2_of(level1).iter().position(|l2| *l2 == level2).unwrap_or(usize::MAX);
    (i1, i2)
}

/// One common indicator of the library.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    pub level1: String,
    pub level2: String,
    /// 三级指标 name, e.g. "受益群众满意度".
    pub name: String,
    /// Suggested 计量单位 ("%", "个", "万元/年"); empty when the indicator is qualitative.
    pub unit: String,
    /// Suggested 指标性质.
    pub direction: Option<IndicatorNature>,
    /// An example 指标值 as a real table wrote it ("≥95%").
    pub example: String,
}

/// 共性指标 of the common project types (购置类, 培训类, 会议类, 调研报告类) with a typical 指标值,
/// offered beside what the real tables hold.
pub const COMMON: &[(&str, &str, &str, &str)] = &[
    ("产出指标", "数量指标", "购置设备数量", "≥2台"),
    ("产出指标", "质量指标", "设备验收通过率", "100%"),
    ("产出指标", "质量指标", "政府采购执行率", "100%"),
    ("产出指标", "成本指标", "单位购置成本", "≤5000元/台"),
    ("满意度指标", "服务对象满意度指标", "使用人员满意度", "≥90%"),
    ("产出指标", "数量指标", "培训班次", "≥4期"),
    ("产出指标", "数量指标", "参训人数", "≥200人次"),
    ("产出指标", "质量指标", "参训人员出勤率", "≥95%"),
    ("产出指标", "质量指标", "培训考核合格率", "≥90%"),
    ("产出指标", "成本指标", "人均培训成本", "≤300元/人"),
    ("满意度指标", "服务对象满意度指标", "参训学员满意度", "≥90%"),
    ("产出指标", "数量指标", "召开会议次数", "2次"),
    ("产出指标", "数量指标", "参会人数", "≥100人次"),
    ("产出指标", "时效指标", "会议按时召开率", "100%"),
    ("产出指标", "成本指标", "会议总成本", "≤2万元"),
    ("产出指标", "数量指标", "调研报告数量", "≥3篇"),
    ("产出指标", "时效指标", "调研报告按时完成率", "100%"),
    ("效益指标", "社会效益指标", "调研成果采纳率", "≥80%"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥95%"),
];

/// The library's first content: [`COMMON`], then what the real tables in `projects` hold
/// ([`from_imported`]); one entry per 二级 and name (the first wins), in tree order, then by name.
pub fn seed(projects: &[ImportedProject]) -> Vec<LibraryEntry> {
    let common = COMMON.iter().filter_map(|(l1, l2, name, example)| {
        let target = crate::value::parse_target(example, &declared_context(l2, name, None));
        entry(l1, l2, name, &target, example)
    });
    merge(common.chain(imported(projects)))
}

/// The library entries found in imported target tables: one per 二级 and name (the first
/// readable occurrence wins), only under the standard [`LEVELS`], never a placeholder, an
/// unreadable or a repaired value, nor a noisy name; in tree order, then by name.
pub fn from_imported(projects: &[ImportedProject]) -> Vec<LibraryEntry> {
    merge(imported(projects))
}

fn imported(projects: &[ImportedProject]) -> impl Iterator<Item = LibraryEntry> + '_ {
    projects.iter().flat_map(|p| &p.indicators).filter_map(|ind| {
        let name = ind.name.trim();
        if !clean_name(name) || !clean_target(&ind.target) {
            return None;
        }
        entry(&ind.level1, &ind.level2, name, &ind.target, &ind.target_text)
    })
}

/// An entry for a readable value under standard levels, with the unit and 指标性质 it was read with.
fn entry(level1: &str, level2: &str, name: &str, target: &Target, text: &str) -> Option<LibraryEntry> {
    check_levels(level1, level2).ok()?;
    let (unit, direction) = match &target.kind {
        ValueKind::Quantity { comparator, quantity } => {
            (quantity.unit.as_ref().map(unit_text).unwrap_or_default(), Some(nature_of(*comparator)))
        }
        ValueKind::Range { low, .. } => (low.unit.as_ref().map(unit_text).unwrap_or_default(), None),
        ValueKind::Date { comparator, .. } => (String::new(), Some(nature_of(*comparator))),
        ValueKind::Qualitative { .. } => (String::new(), None),
        _ => return None,
    };
    Some(LibraryEntry {
        level1: level1.to_owned(),
        level2: level2.to_owned(),
        name: name.to_owned(),
        unit,
        direction,
        example: text.trim().to_owned(),
    })
}

fn merge(all: impl Iterator<Item = LibraryEntry>) -> Vec<LibraryEntry> {
    let mut entries: Vec<LibraryEntry> = Vec::new();
    for e in all {
        if !entries.iter().any(|x| x.level2 == e.level2 && x.name == e.name) {
            entries.push(e);
        }
    }
    entries.sort_by(|a, b| {
        level_rank(&a.level1, &a.level2).cmp(&level_rank(&b.level1, &b.level2)).then_with(|| a.name.cmp(&b.name))
    });
    entries
}

/// A name fit to offer: at least three Chinese characters, at most 40 characters, simplified
/// (no traditional characters or pinyin annotations of mirror sites), no digits (a value glued
/// to the name: "村组干部230人", "10万元"), no lower-case Latin letters or full stops (OCR noise).
fn clean_name(name: &str) -> bool {
    let han = name.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).count();
    han >= 3
        && name.chars().count() <= 40
        && !name.chars().any(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || c == '.')
        && crate::import::norm::for_matching(name) == name
}

/// A value fit to offer as an example: read without repair (no OCR comparator, Excel date
/// serial, thousands separator, glued or ambiguous number).
fn clean_target(target: &Target) -> bool {
    use crate::value::Flag;
    target
        .flags
        .iter()
        .all(|f| matches!(f, Flag::ComparatorAssumed | Flag::ComparatorFromColumn | Flag::FullWidthNormalised))
}

fn unit_text(unit: &crate::value::Unit) -> String {
    format!("{}{}", unit.symbol, unit.period.as_deref().unwrap_or(""))
}

/// The 指标性质 a comparator stands for.
pub fn nature_of(comparator: Comparator) -> IndicatorNature {
    match comparator {
        Comparator::Ge => IndicatorNature::Ge,
        Comparator::Gt => IndicatorNature::Gt,
        Comparator::Eq => IndicatorNature::Eq,
        Comparator::Le => IndicatorNature::Le,
        Comparator::Lt => IndicatorNature::Lt,
    }
}

/// What the value grammar read in a 指标值, for the feedback shown beside the field while it is
/// typed: `Ok` with a reading ("数值：≥ 95%"), or `Err` with why it cannot be declared.
pub fn reading(target: &Target) -> Result<String, String> {
    let mut text = match &target.kind {
        ValueKind::Quantity { comparator, quantity } => format!("数值：{} {quantity}", comparator.symbol()),
        ValueKind::Range { low, high } => format!("区间：{low} 至 {high}"),
        ValueKind::Date { comparator, date } => format!("日期：{} {}", comparator.symbol(), date.format("%Y-%m-%d")),
        ValueKind::Qualitative { phrase } => format!("定性：{phrase}"),
        ValueKind::NotApplicable => "不适用".to_owned(),
        ValueKind::Placeholder => return Err("这是未填写的占位符，请填写具体指标值".to_owned()),
        ValueKind::Invalid { message } => return Err(message.clone()),
    };
    for flag in &target.flags {
        text.push('；');
        text.push_str(&flag.message());
    }
    Ok(text)
}

/// The context a declared indicator's values are read in: its 二级, its name and its 指标性质.
pub fn declared_context(level2: &str, name: &str, direction: Option<IndicatorNature>) -> TargetContext {
    TargetContext {
        category: Some(level2.to_owned()),
        indicator_name: Some(name.to_owned()),
        comparator_column: direction.map(|d| d.label().to_owned()),
        unit_column: None,
    }
}

/// Checks a library entry as an administrator enters it: known levels, a name, short fields.
pub fn check_entry(entry: &LibraryEntry) -> Result<LibraryEntry, Invalid> {
    check_levels(&entry.level1, &entry.level2)?;
    let name = crate::input::required_text(&entry.name, Field::IndicatorName, 40)?;
    let unit = crate::input::text(Some(&entry.unit), Field::Unit, 20)?.unwrap_or_default();
    let example = crate::input::text(Some(&entry.example), Field::TargetText, 200)?.unwrap_or_default();
    Ok(LibraryEntry { name, unit, example, ..entry.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import_target_tables;
    use crate::value::parse_target;

    const DEMO: &str = include_str!("../../fixtures/000_a24f108f427dffbb.txt");

    #[test]
    fn published_level2_names_are_read_as_the_standard_ones() {
        assert_eq!(standard_level2("产出指标", "数量指标"), Some("数量指标"));
        assert_eq!(standard_level2("产出指标", "数量"), Some("数量指标"));
        assert_eq!(standard_level2("满意度指标", "满意度指标"), Some("服务对象满意度指标"));
        assert_eq!(standard_level2("满意度指标", ""), Some("服务对象满意度指标"));
        assert_eq!(standard_level2("满意度指标", "服务对象满意度"), Some("服务对象满意度指标"));
        // Never a guess between several.
        assert_eq!(standard_level2("产出指标", ""), None);
        assert_eq!(standard_level2("产出指标", "产出指标"), None);
        assert_eq!(standard_level2("效益指标", "社会效益"), Some("社会效益指标"));
        assert_eq!(standard_level2("效益指标", "效益"), None);
        assert_eq!(standard_level2("其他", "数量指标"), None);
    }

    #[test]
    fn levels_are_checked() {
        assert!(check_levels("产出指标", "数量指标").is_ok());
        assert!(check_levels("成本指标", "经济成本指标").is_ok());
        assert!(check_levels("产出指标", "成本指标").is_ok());
        assert_eq!(
            check_levels("产出指标", "社会效益指标"),
            Err(Invalid::UnknownLevel { level1: "产出指标".into(), level2: "社会效益指标".into() })
        );
        assert!(check_levels("其他", "数量指标").is_err());
        assert!(level_rank("效益指标", "社会效益指标") < level_rank("满意度指标", "服务对象满意度指标"));
    }

    #[test]
    fn the_demo_tables_give_entries_with_units_and_directions() {
        let entries = from_imported(&import_target_tables(DEMO).projects);
        let cost = entries.iter().find(|e| e.name == "维护、测评网站成本").expect("cost indicator");
        assert_eq!((cost.level1.as_str(), cost.level2.as_str()), ("产出指标", "成本指标"));
        assert_eq!(cost.direction, Some(IndicatorNature::Le));
        assert_eq!(cost.unit, "元/年");
        let count = entries.iter().find(|e| e.name == "维护网站数量").expect("count indicator");
        assert_eq!(count.unit, "个");
        // One entry per 二级 and name, in tree order.
        let mut keys: Vec<_> = entries.iter().map(|e| (e.level2.clone(), e.name.clone())).collect();
        keys.dedup();
        assert_eq!(keys.len(), entries.len());
        let ranks: Vec<_> = entries.iter().map(|e| level_rank(&e.level1, &e.level2)).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn the_seed_holds_the_common_indicators_first() {
        let seed = seed(&import_target_tables(DEMO).projects);
        assert!(COMMON.iter().all(|(_, l2, name, _)| seed.iter().any(|e| e.level2 == *l2 && e.name == *name)));
        let training = seed.iter().find(|e| e.name == "人均培训成本").unwrap();
        assert_eq!((training.unit.as_str(), training.direction), ("元/人", Some(IndicatorNature::Le)));
        // The demo's own 受益群众满意度 is the same indicator: one entry.
        assert_eq!(seed.iter().filter(|e| e.name == "受益群众满意度").count(), 1);
        assert!(seed.iter().any(|e| e.name == "维护网站数量"));
    }

    #[test]
    fn noisy_rows_of_real_tables_stay_out() {
        let text = "项目支出绩效目标表（2021年）\n项目名称|测试项目\n主管部门|某局\n\
                    一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|村组干部230人|230\n\
                    产出指标|数量指标|業(yè)務(wù)工作支出安排金額|28.8萬元\n\
                    产出指标|质量指标|设备更新验收合格率|292%\n产出指标|数量指标|and|100\n\
                    产出指标|时效指标|项目财政资金到位时间|44,561\n产出指标|质量指标|重.要设备验收合格率|95%\n\
                    产出指标|质量指标|工程验收合格率|≥95%\n";
        let entries = from_imported(&import_target_tables(text).projects);
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["工程验收合格率"]);
    }

    #[test]
    fn placeholders_and_unknown_levels_stay_out() {
        let text = "项目支出绩效目标表（2021年）\n项目名称|测试项目\n主管部门|某局\n\
                    一级指标|二级指标|三级指标|指标值\n产出指标|数量指标|培训人数|**人\n\
                    产出指标|奇怪指标|某指标|1个\n满意度指标|服务对象满意度指标|学员满意度|≥90%\n";
        let entries = from_imported(&import_target_tables(text).projects);
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"培训人数"), "{names:?}");
        assert!(!names.contains(&"某指标"), "{names:?}");
    }

    #[test]
    fn readings_say_what_the_grammar_read() {
        let read = |t: &str| reading(&parse_target(t, &TargetContext::default()));
        assert_eq!(read("≥95%"), Ok("数值：≥ 95%".to_owned()));
        assert!(read("2021年12月31日前").unwrap().starts_with("日期：≤ 2021-12-31"));
        assert_eq!(read("有效保障"), Ok("定性：有效保障".to_owned()));
        assert!(read("≥**%").is_err());
        assert!(read("1个").unwrap().contains("推定"), "{:?}", read("1个"));
    }

    #[test]
    fn entries_are_checked() {
        let entry = LibraryEntry {
            level1: "产出指标".into(),
            level2: "数量指标".into(),
            name: "  培训班次 ".into(),
            unit: "期".into(),
            direction: Some(IndicatorNature::Ge),
            example: "≥4期".into(),
        };
        assert_eq!(check_entry(&entry).unwrap().name, "培训班次");
        let blank = LibraryEntry { name: " ".into(), ..entry.clone() };
        assert_eq!(check_entry(&blank), Err(Invalid::Required { field: Field::IndicatorName }));
        let wrong = LibraryEntry { level2: "社会效益指标".into(), ..entry };
        assert!(matches!(check_entry(&wrong), Err(Invalid::UnknownLevel { .. })));
    }
}
