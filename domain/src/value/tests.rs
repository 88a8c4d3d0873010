//! Table-driven tests: every example of domain-rules.md §3, the 17 values of the demo project,
//! the value styles of the fixtures, unit comparison, serde, and property tests.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::str::FromStr;

use super::*;
use Flag::*;

/// A short, readable rendering of what was read: "≥ 95%", "= 1座", "80%~90%", "≤ 2021-12-31",
/// "定性:有效保障", "不适用", "占位", "无效".
fn describe(kind: &ValueKind) -> String {
    match kind {
        ValueKind::Quantity { comparator, quantity } => format!("{comparator} {quantity}"),
        ValueKind::Range { low, high } => format!("{low}~{high}"),
        ValueKind::Date { comparator, date } => format!("{comparator} {date}"),
        ValueKind::Qualitative { phrase } => format!("定性:{phrase}"),
        ValueKind::NotApplicable => "不适用".to_owned(),
        ValueKind::Placeholder => "占位".to_owned(),
        ValueKind::Invalid { .. } => "无效".to_owned(),
    }
}

fn ctx(category: &str, name: &str) -> TargetContext {
    TargetContext {
        category: (!category.is_empty()).then(|| category.to_owned()),
        indicator_name: (!name.is_empty()).then(|| name.to_owned()),
        ..TargetContext::default()
    }
}

fn columns(category: &str, name: &str, comparator: &str, unit: &str) -> TargetContext {
    TargetContext {
        comparator_column: (!comparator.is_empty()).then(|| comparator.to_owned()),
        unit_column: (!unit.is_empty()).then(|| unit.to_owned()),
        ..ctx(category, name)
    }
}

fn none() -> TargetContext {
    TargetContext::default()
}

/// Runs a table of (text, context, expected description, expected flags) through parse_target.
fn check_targets(cases: &[(&str, TargetContext, &str, Vec<Flag>)]) {
    for (text, context, want, flags) in cases {
        let got = parse_target(text, context);
        assert_eq!(describe(&got.kind), *want, "parse_target({text:?}) → {got:?}");
        assert_eq!(&got.flags, flags, "flags of parse_target({text:?}) → {got:?}");
        assert_eq!(got.raw, *text);
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

#[test]
fn comparators_of_section_3() {
    check_targets(&[
        ("≥95%", none(), "≥ 95%", vec![]),
        ("≧95%", none(), "≥ 95%", vec![]),
        (">=95%", none(), "≥ 95%", vec![]),
        ("大于等于95%", none(), "≥ 95%", vec![]),
        ("不低于95%", none(), "≥ 95%", vec![]),
        ("不少于10个", none(), "≥ 10个", vec![]),
        ("不小于10个", none(), "≥ 10个", vec![]),
        ("至少3次", none(), "≥ 3次", vec![]),
        ("达到100%", none(), "≥ 100%", vec![]),
        (">90%", none(), "> 90%", vec![]),
        ("＞90%", none(), "> 90%", vec![FullWidthNormalised]),
        ("超过90%", none(), "> 90%", vec![]),
        ("高于90%", none(), "> 90%", vec![]),
        ("≤5万元", none(), "≤ 5万元", vec![]),
        ("≦5万元", none(), "≤ 5万元", vec![]),
        ("<=5万元", none(), "≤ 5万元", vec![]),
        ("小于等于5万元", none(), "≤ 5万元", vec![]),
        ("不高于5万元", none(), "≤ 5万元", vec![]),
        ("不超过5万元", none(), "≤ 5万元", vec![]),
        ("不多于3次", none(), "≤ 3次", vec![]),
        ("控制在10万元以内", none(), "≤ 10万元", vec![]),
        ("不超预算", none(), "定性:不超预算", vec![]),
        ("<5%", ctx("", "差错率"), "< 5%", vec![]),
        ("＜5%", ctx("", "差错率"), "< 5%", vec![FullWidthNormalised]),
        ("低于5%", ctx("", "差错率"), "< 5%", vec![]),
        ("少于3次", none(), "< 3次", vec![]),
        ("=100%", none(), "= 100%", vec![]),
        ("＝100%", none(), "= 100%", vec![FullWidthNormalised]),
        ("100%", ctx("数量指标", ""), "= 100%", vec![ComparatorAssumed]),
        ("95%以上", none(), "≥ 95%", vec![]),
        ("3天内", none(), "≤ 3天", vec![]),
        // "about" is no comparator: assumed like a bare number.
        ("约95%", ctx("质量指标", ""), "= 95%", vec![ComparatorAssumed]),
        ("95％左右", ctx("质量指标", ""), "= 95%", vec![FullWidthNormalised, ComparatorAssumed]),
    ]);
}

#[test]
fn comparator_from_a_separate_column() {
    check_targets(&[
        ("95", columns("", "", "≥", "%"), "≥ 95%", vec![ComparatorFromColumn]),
        ("5", columns("", "", "≤", "万元"), "≤ 5万元", vec![ComparatorFromColumn]),
        ("100", columns("", "", "=", "%"), "= 100%", vec![ComparatorFromColumn]),
        ("8", columns("", "", "正向", ""), "≥ 8", vec![ComparatorFromColumn]),
        ("1", columns("成本指标", "", "反向", "万元"), "≤ 1万元", vec![ComparatorFromColumn]),
        ("95", columns("", "", "大于等于", "%"), "≥ 95%", vec![ComparatorFromColumn]),
        // A comparator written in the value wins over the column.
        ("≥90%", columns("", "", "=", ""), "≥ 90%", vec![]),
        // A column that holds no comparator is ignored.
        ("3", columns("", "", "定量", "个"), "= 3个", vec![ComparatorAssumed]),
    ]);
    assert_eq!(Comparator::parse("正向指标"), Some(Comparator::Ge));
    assert_eq!(Comparator::parse(" ≤ "), Some(Comparator::Le));
    assert_eq!(Comparator::parse("不超过"), Some(Comparator::Le));
    assert_eq!(Comparator::parse("定量"), None);
}

#[test]
fn no_comparator_is_assumed_from_the_category() {
    check_targets(&[
        ("10", ctx("数量指标", "培训人数"), "= 10", vec![ComparatorAssumed]),
        ("98%", ctx("质量指标", "合格率"), "= 98%", vec![ComparatorAssumed]),
        ("5万元", ctx("成本指标", "设备成本"), "≤ 5万元", vec![ComparatorAssumed]),
        ("5万元", ctx("经济成本指标", ""), "≤ 5万元", vec![ComparatorAssumed]),
        ("200元/人", ctx("", "人均培训成本"), "≤ 200元/人", vec![ComparatorAssumed]),
    ]);
}

#[test]
fn units_of_section_3() {
    let units = [
        "%",
        "个",
        "人",
        "人次",
        "户",
        "次",
        "场",
        "天",
        "年",
        "月",
        "米",
        "亩",
        "台",
        "套",
        "件",
        "篇",
        "份",
        "座",
        "条",
        "标箱",
        "元",
        "万元",
        "亿元",
        "元/年",
        "万元/年",
        "元/人",
    ];
    for unit in units {
        let got = parse_target(&format!("≥12{unit}"), &none());
        assert_eq!(describe(&got.kind), format!("≥ 12{unit}"), "unit {unit}: {got:?}");
    }
    check_targets(&[("≥95百分比", none(), "≥ 95%", vec![]), ("≥24人/次", none(), "≥ 24人次", vec![])]);
    let u = |t: &str| Unit::parse(t).expect(t);
    assert_eq!(u("万元/年").scale, dec!(10000));
    assert_eq!(u("万元/年").period.as_deref(), Some("/年"));
    assert_eq!(u("亿元").scale, dec!(100000000));
    assert_eq!(u("元/人·月").period.as_deref(), Some("/人·月"));
    assert_eq!(u("元/人·月").dimension, Dimension::Money);
    assert_eq!(u("％").dimension, Dimension::Percent);
    assert_eq!(u("百分比").symbol, "%");
    assert_eq!(u("人/次").symbol, "人次");
    assert_eq!(u("天").dimension, Dimension::Duration);
    assert_eq!(u("万人次").scale, dec!(10000));
    assert_eq!(u("万人次").base_symbol(), "人次");
    assert_eq!(u("万元").base_symbol(), "元");
    assert_eq!(u("辆").dimension, Dimension::Count);
    assert_eq!(u("羽").dimension, Dimension::Other); // unknown, kept as written
    assert_eq!(u("羽").symbol, "羽");
    assert_eq!(Unit::parse("44,561"), None);
    assert_eq!(Unit::parse("月底前"), None);
    assert_eq!(Unit::parse("个网站正常运行"), None);
    assert_eq!(Unit::parse(""), None);
}

#[test]
fn real_data_traps_of_section_3() {
    check_targets(&[
        // full-width digits and signs
        ("≥９５％", none(), "≥ 95%", vec![FullWidthNormalised]),
        ("１００％", ctx("质量指标", ""), "= 100%", vec![FullWidthNormalised, ComparatorAssumed]),
        // thousands separator
        ("40,000", ctx("成本指标", ""), "≤ 40000", vec![ComparatorAssumed, ThousandsSeparator]),
        ("≤40,000元/年", none(), "≤ 40000元/年", vec![ThousandsSeparator]),
        ("≤1,234,567元", none(), "≤ 1234567元", vec![ThousandsSeparator]),
        // OCR: ≥ read as 2 or 二
        ("292%", ctx("满意度指标", "受益群众满意度"), "≥ 92%", vec![OcrComparator { original: "292%".into() }]),
        ("295.5%", none(), "≥ 95.5%", vec![OcrComparator { original: "295.5%".into() }]),
        ("二95%", none(), "≥ 95%", vec![OcrComparator { original: "二95%".into() }]),
        // …but only when plausible
        ("200%", ctx("", "完成率"), "= 200%", vec![ComparatorAssumed]),
        ("250%", ctx("", "收入增长率"), "= 250%", vec![ComparatorAssumed]),
        ("29%", none(), "= 29%", vec![ComparatorAssumed]),
        ("292个", none(), "= 292个", vec![ComparatorAssumed]),
        ("≥292%", none(), "≥ 292%", vec![]),
        // numbers split by spaces
        ("968.191 8", ctx("", "项目资金"), "= 968.1918", vec![ComparatorAssumed, SpaceInsideNumber]),
        ("968.191 8万元", none(), "= 968.1918万元", vec![ComparatorAssumed, SpaceInsideNumber]),
        // placeholders and not applicable
        ("**", none(), "占位", vec![Placeholder]),
        ("XX", none(), "占位", vec![Placeholder]),
        ("xx%", none(), "占位", vec![Placeholder]),
        ("……", none(), "占位", vec![Placeholder]),
        ("≥**%", none(), "占位", vec![Placeholder]),
        ("**人", none(), "占位", vec![Placeholder]),
        ("20XX年12月31日前", none(), "占位", vec![Placeholder]),
        ("/", none(), "不适用", vec![NotApplicable]),
        ("／", none(), "不适用", vec![FullWidthNormalised, NotApplicable]),
        ("—", none(), "不适用", vec![NotApplicable]),
        ("——", none(), "不适用", vec![NotApplicable]),
        ("无", none(), "不适用", vec![NotApplicable]),
        // value glued into the name
        ("年度资金支付完成率100%", none(), "= 100%", vec![ValueGluedToName, ComparatorAssumed]),
        ("完成率达到95%", none(), "≥ 95%", vec![ValueGluedToName]),
        ("", ctx("", "年度资金支付完成率100%"), "= 100%", vec![ValueGluedToName, ComparatorAssumed]),
    ]);
}

#[test]
fn excel_date_serials() {
    assert_eq!(excel_serial_to_date(44561), Some(date(2021, 12, 31)));
    assert_eq!(excel_serial_to_date(44197), Some(date(2021, 1, 1)));
    assert_eq!(excel_serial_to_date(1), Some(date(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59), Some(date(1900, 2, 28)));
    assert_eq!(excel_serial_to_date(60), None); // Lotus's 1900-02-29
    assert_eq!(excel_serial_to_date(61), Some(date(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(0), None);
    assert_eq!(excel_serial_to_date(2_958_465), Some(date(9999, 12, 31)));
    assert_eq!(excel_serial_to_date(2_958_466), None);
    assert_eq!(excel_serial_to_date(u32::MAX), None);

    let serial = ExcelDateSerial { serial: 44561 };
    check_targets(&[
        (
            "44,561",
            columns("时效指标", "项目财政资金到位时间", "=", ""),
            "= 2021-12-31",
            vec![serial.clone(), ComparatorFromColumn],
        ),
        ("44561", ctx("时效指标", "工作计划按时完成时间"), "≤ 2021-12-31", vec![serial.clone(), ComparatorAssumed]),
        // 正向/反向 are about scoring numbers, not dates.
        (
            "44,561",
            columns("时效指标", "项目财政资金到位时间", "正向", "44,561"),
            "≤ 2021-12-31",
            vec![serial, ComparatorAssumed],
        ),
        // Not in a date context: just a number.
        ("44,561", ctx("数量指标", "服务人次"), "= 44561", vec![ComparatorAssumed, ThousandsSeparator]),
        // A date context but a unit: a number of days.
        ("30", columns("时效指标", "办理时间", "", "天"), "= 30天", vec![ComparatorAssumed]),
    ]);
    assert!(ExcelDateSerial { serial: 44561 }.message().contains("2021年12月31日"));
}

#[test]
fn dates_and_deadlines() {
    check_targets(&[
        ("2021年12月31日前", none(), "≤ 2021-12-31", vec![]),
        ("2021-12-31", none(), "≤ 2021-12-31", vec![ComparatorAssumed]),
        ("2021/6/30", columns("", "", "=", ""), "= 2021-06-30", vec![ComparatorFromColumn]),
        ("2021.06.30之前", none(), "≤ 2021-06-30", vec![]),
        ("2021 年 12 月底前", none(), "≤ 2021-12-31", vec![]),
        ("2021年年底前", none(), "≤ 2021-12-31", vec![]),
        ("2021年内", none(), "≤ 2021-12-31", vec![]),
        ("2024年2月底", none(), "≤ 2024-02-29", vec![]),
        ("2021年12月31日前完成资金拨付", none(), "≤ 2021-12-31", vec![]),
        ("截至2021年11月30日", none(), "≤ 2021-11-30", vec![]),
        ("2022年1月1日以后", none(), "≥ 2022-01-01", vec![]),
        // Without a year the date is kept as a phrase.
        ("12月底前", none(), "定性:12月底前", vec![]),
        ("12月31日前", none(), "定性:12月31日前", vec![]),
        ("年底前", none(), "定性:年底前", vec![]),
        // Not dates.
        ("12月", none(), "= 12月", vec![ComparatorAssumed]),
        ("2021年度", none(), "定性:2021年度", vec![]),
        ("2021年13月1日", none(), "无效", vec![]),
        ("2021-02-30", none(), "无效", vec![]),
    ]);
    let actual = parse_actual("2021年12月20日");
    assert_eq!(actual.kind, ValueKind::Date { comparator: Comparator::Eq, date: date(2021, 12, 20) });
    assert!(actual.flags.is_empty());
}

#[test]
fn ranges() {
    check_targets(&[
        ("80-90%", none(), "80%~90%", vec![]),
        ("80%～90%", none(), "80%~90%", vec![]),
        ("80%-90%", none(), "80%~90%", vec![]),
        ("3至5个", none(), "3个~5个", vec![]),
        ("3~5天", none(), "3天~5天", vec![]),
        ("1到2万元", none(), "1万元~2万元", vec![]),
        ("80 - 90", columns("", "", "", "%"), "80%~90%", vec![]),
        ("90-80%", none(), "无效", vec![]),
        ("80%-90个", none(), "无效", vec![]),
        ("≥80-90%", none(), "无效", vec![]),
    ]);
}

#[test]
fn qualitative_and_invalid() {
    check_targets(&[
        ("有效保障", none(), "定性:有效保障", vec![]),
        ("效果明显", none(), "定性:效果明显", vec![]),
        ("显著提升", none(), "定性:显著提升", vec![]),
        ("有效保障。", none(), "定性:有效保障", vec![]),
        ("保障3个网站正常运行", none(), "定性:保障3个网站正常运行", vec![]),
        ("3个网站正常运行", none(), "定性:3个网站正常运行", vec![]),
        ("", none(), "无效", vec![]),
        ("   ", none(), "无效", vec![]),
        ("≥", none(), "无效", vec![]),
        ("达到", none(), "无效", vec![]),
        ("abc", none(), "无效", vec![]),
        ("95%%", none(), "无效", vec![]),
        ("≥5个以内", none(), "无效", vec![]),
        ("99999999999999999999999999999999999", none(), "无效", vec![]),
    ]);
    // A long pasted text stays cheap and still finds a value glued to its end.
    let long = format!("{}100%", "完成率1、".repeat(5000));
    assert_eq!(describe(&parse_target(&long, &none()).kind), "= 100%");
    for text in ["", "≥", "abc", "95%%", "2021-02-30", "99999999999999999999999999999999999"] {
        match parse_target(text, &none()).kind {
            ValueKind::Invalid { message } => {
                assert!(message.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{text:?}: {message}")
            }
            other => panic!("{text:?} should be invalid, got {other:?}"),
        }
    }
}

/// The 17 indicators of the demo project (fixture 000, 政府网站维护费及业务经费), with their
/// 二级 category and 三级 name.
#[test]
fn demo_project_seed_values() {
    check_targets(&[
        ("1座", ctx("数量指标", "维护 LED 屏幕数量"), "= 1座", vec![ComparatorAssumed]),
        ("1条", ctx("数量指标", "租赁光纤条数"), "= 1条", vec![ComparatorAssumed]),
        ("1个", ctx("数量指标", "维护网站数量"), "= 1个", vec![ComparatorAssumed]),
        ("1个", ctx("数量指标", "维护网络平台数量"), "= 1个", vec![ComparatorAssumed]),
        ("2座", ctx("数量指标", "维护机房数量"), "= 2座", vec![ComparatorAssumed]),
        ("≥98%", ctx("质量指标", "LED 屏幕正常运行率"), "≥ 98%", vec![]),
        ("100%", ctx("质量指标", "网站正常运行率"), "= 100%", vec![ComparatorAssumed]),
        ("100%", ctx("时效指标", "维修维护及时率"), "= 100%", vec![ComparatorAssumed]),
        ("100%", ctx("时效指标", "光纤缴费及时率"), "= 100%", vec![ComparatorAssumed]),
        ("2 万元/年", ctx("成本指标", "租赁光纤、电话成本"), "≤ 2万元/年", vec![ComparatorAssumed]),
        ("≤40000 元/年", ctx("成本指标", "维护、测评网站成本"), "≤ 40000元/年", vec![]),
        ("≤30000 元/年", ctx("成本指标", "维护平台成本"), "≤ 30000元/年", vec![]),
        ("≤10000 元/年", ctx("成本指标", "维护机房、LED 屏幕成本"), "≤ 10000元/年", vec![]),
        ("有效保障", ctx("社会效益指标", "保障政府网站有效运行，政务信息及时公开"), "定性:有效保障", vec![]),
        ("1年", ctx("可持续影响指标", "项目可持续影响年限"), "= 1年", vec![ComparatorAssumed]),
        ("≥95%", ctx("满意度指标", "受益单位满意度"), "≥ 95%", vec![]),
        ("≥95%", ctx("满意度指标", "受益群众满意度"), "≥ 95%", vec![]),
    ]);
    // "2 万元/年" is 20000 元 in the base unit.
    let rent = parse_target("2 万元/年", &ctx("成本指标", "租赁光纤、电话成本"));
    let quantity = rent.quantity().expect("a quantity");
    assert_eq!(quantity.base_value(), Some(dec!(20000)));
    let unit = quantity.unit.as_ref().expect("a unit");
    assert_eq!((unit.symbol.as_str(), unit.dimension, unit.period.as_deref()), ("万元", Dimension::Money, Some("/年")));
}

/// Fixture 05 (四川 大英县司法局): 指标性质 and 度量单位 in their own columns, 完成值 as words.
#[test]
fn fixture_05_separate_comparator_and_unit_columns() {
    check_targets(&[
        ("30", columns("经济成本指标", "成本控制数", "≤", "万元"), "≤ 30万元", vec![ComparatorFromColumn]),
        (
            "100",
            columns("质量指标", "完成安可产品购买并按要求支付资金", "=", "%"),
            "= 100%",
            vec![ComparatorFromColumn],
        ),
        ("100.00%", ctx("", "预算执行率"), "= 100.00%", vec![ComparatorAssumed]),
        ("/", none(), "不适用", vec![NotApplicable]),
    ]);
    assert_eq!(describe(&parse_actual("完成").kind), "定性:完成");
    let actual = parse_actual_with("30", &columns("经济成本指标", "成本控制数", "≤", "万元"));
    assert_eq!(describe(&actual.kind), "= 30万元");
    assert!(actual.flags.is_empty());
}

/// Fixture 11 (内蒙古 乌海): 指标性质 正向/反向, 指标方向 "=", 目标值, 计量单位 (sometimes empty),
/// and Excel date serials.
#[test]
fn fixture_11_direction_columns_and_serials() {
    let row = |name: &str, category: &str, direction: &str, value: &str, unit: &str| {
        parse_target(value, &columns(category, name, direction, unit))
    };
    let cases = [
        (row("出差人数", "数量指标", "正向", "8", ""), "≥ 8"),
        (row("出差人次", "数量指标", "正向", "24", "人/次"), "≥ 24人次"),
        (row("工作任务完成率", "质量指标", "正向", "100", "%"), "≥ 100%"),
        (row("项目财政资金到位时间", "时效指标", "正向", "44,561", "44,561"), "≤ 2021-12-31"),
        (row("财政资金到位及时支付率", "时效指标", "正向", "100", "%"), "≥ 100%"),
        (row("工作计划按时完成时间", "时效指标", "=", "44,561", "44,561"), "= 2021-12-31"),
        (row("出差单位成本", "成本指标", "反向", "0", "万元/人"), "≤ 0万元/人"),
        (row("出差总成本", "成本指标", "反向", "1", "万元"), "≤ 1万元"),
        (row("劳务人员总成本", "成本指标", "反向", "2", "万元"), "≤ 2万元"),
        (row("办公费总成本", "成本指标", "反向", "0", "万元"), "≤ 0万元"),
        (row("年度预算总成本", "成本指标", "反向", "3", "万元"), "≤ 3万元"),
        // The 指标方向 column ("=") instead of 指标性质.
        (row("出差人数", "数量指标", "=", "8", ""), "= 8"),
    ];
    for (got, want) in cases {
        assert_eq!(describe(&got.kind), want, "{got:?}");
    }
}

/// Fixture 15 (困难群众救助 template): placeholders never yield numbers.
#[test]
fn fixture_15_placeholders() {
    let values = ["**人", "≥**人次", "≥**%", "≤**%", "**元/人·月", "**元/人", "≥**万元", "……", "XX", "**"];
    for value in values {
        for context in [none(), ctx("成本指标", "★农村低保标准"), columns("", "", "≥", "%")] {
            let got = parse_target(value, &context);
            assert_eq!(got.kind, ValueKind::Placeholder, "{value:?}");
            assert_eq!(got.flags, vec![Placeholder], "{value:?}");
            assert_eq!(parse_actual(value).kind, ValueKind::Placeholder);
        }
    }
    // The detached 指标值 column dumped as one run.
    let dump = "指标值 **人 **人 ≥**人次 ≥**人次 ≥**人次 ≥**% ≥**%";
    assert_eq!(parse_target(dump, &none()).kind, ValueKind::Placeholder);
}

#[test]
fn reverse_comparator_on_a_rising_rate_is_flagged() {
    check_targets(&[
        ("≤95%", ctx("满意度指标", "受益群众满意度"), "≤ 95%", vec![ReverseOnRisingRate]),
        ("<90%", ctx("质量指标", "验收通过率"), "< 90%", vec![ReverseOnRisingRate]),
        (
            "95",
            columns("质量指标", "验收通过率", "反向", "%"),
            "≤ 95%",
            vec![ComparatorFromColumn, ReverseOnRisingRate],
        ),
        ("≤5%", ctx("质量指标", "差错率"), "≤ 5%", vec![]),
        ("≤5%", ctx("质量指标", "应保未保比率"), "≤ 5%", vec![]),
        ("≤3次", ctx("满意度指标", "投诉次数"), "≤ 3次", vec![]),
    ]);
}

#[test]
fn actuals() {
    let cases = [
        ("完成", "定性:完成"),
        ("达成年度指标", "定性:达成年度指标"),
        ("3.8万元", "= 3.8万元"),
        ("98.5%", "= 98.5%"),
        ("12", "= 12"),
        ("0.95", "= 0.95"),
        ("/", "不适用"),
        ("292%", "= 292%"), // an actual may really exceed 100%
    ];
    for (text, want) in cases {
        let got = parse_actual(text);
        assert_eq!(describe(&got.kind), want, "{text:?}");
        assert!(!got.flags.contains(&ComparatorAssumed), "{text:?}");
    }
}

#[test]
fn split_glued_values() {
    let split = |s: &str| split_glued_value(s);
    let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
    assert_eq!(split("年度资金支付完成率100%"), pair("年度资金支付完成率", "100%"));
    assert_eq!(split("受益群众满意度≥95%"), pair("受益群众满意度", "≥95%"));
    assert_eq!(split("维护网站数量 1个"), pair("维护网站数量", "1个"));
    assert_eq!(split("资金到位时间2021年12月31日前"), pair("资金到位时间", "2021年12月31日前"));
    assert_eq!(split("维护网站数量"), None);
    assert_eq!(split("5G基站覆盖率"), None);
    assert_eq!(split("PM2.5浓度"), None);
    assert_eq!(split("近3年平均增长率"), None);
    assert_eq!(split("100%"), None);
    assert_eq!(split(""), None);
}

#[test]
fn compare_quantities_converts_units() {
    let q = |text: &str| parse_actual(text).quantity().cloned().expect(text);

    // "≤40000 元/年" against an actual of "3.8万元": 40000 vs 38000 元.
    let target = parse_target("≤40000 元/年", &ctx("成本指标", "维护、测评网站成本"));
    let both = compare_quantities(target.quantity().expect("quantity"), &q("3.8万元")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str()), (dec!(40000), dec!(38000), "元"));
    assert!(both.flags.is_empty());

    // "2 万元/年" against "18000元": both in 元.
    let both = compare_quantities(&q("2 万元/年"), &q("18000元")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str()), (dec!(20000), dec!(18000), "元"));

    // A % target against 0.95: ambiguous, kept as given.
    let both = compare_quantities(&q("95%"), &q("0.95")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str()), (dec!(95), dec!(0.95), "%"));
    assert_eq!(both.flags, vec![AmbiguousFraction]);

    // "95" and "95%" are the same; a bare actual takes the target's unit.
    let both = compare_quantities(&q("95%"), &q("96")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str(), both.flags.len()), (dec!(95), dec!(96), "%", 0));
    let both = compare_quantities(&q("2万元"), &q("1.5")).expect("comparable");
    assert_eq!((both.target, both.actual), (dec!(20000), dec!(15000)));
    let both = compare_quantities(&q("12"), &q("10个")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str()), (dec!(12), dec!(10), "个"));
    let both = compare_quantities(&q("12"), &q("10")).expect("comparable");
    assert_eq!(both.unit, "");
    let both = compare_quantities(&q("2万人次"), &q("18000人次")).expect("comparable");
    assert_eq!((both.target, both.actual, both.unit.as_str()), (dec!(20000), dec!(18000), "人次"));

    // Incompatible units are an error, never a silent zero.
    let err = compare_quantities(&q("3个"), &q("3元")).expect_err("个 vs 元");
    assert_eq!(err, UnitError::Incompatible { target: "个".into(), actual: "元".into() });
    assert!(err.to_string().contains("无法换算"));
    assert!(compare_quantities(&q("95%"), &q("95个")).is_err());
    assert!(compare_quantities(&q("3天"), &q("1月")).is_err());
    assert!(compare_quantities(&q("100元/人"), &q("100元/年")).is_err());

    // Overflow on conversion is an error too.
    let huge = Quantity { value: Decimal::MAX, unit: Unit::parse("亿元") };
    assert!(matches!(compare_quantities(&huge, &q("1元")), Err(UnitError::Overflow { .. })));

    // compare_targets: only single numbers.
    let qualitative = parse_actual("完成");
    let err = compare_targets(&target, &qualitative).expect_err("not numeric");
    assert_eq!(err, UnitError::NotNumeric { side: "实际值".into(), text: "完成".into() });
    assert!(err.to_string().contains("完成"));
    assert!(compare_targets(&target, &parse_actual("38000")).is_ok());
}

#[test]
fn serde_shapes() {
    let target = parse_target("≥95%", &none());
    let json = serde_json::to_value(&target).expect("serialise");
    assert_eq!(json["kind"]["quantity"]["comparator"], "≥");
    assert_eq!(json["kind"]["quantity"]["quantity"]["value"], "95");
    assert_eq!(json["kind"]["quantity"]["quantity"]["unit"]["dimension"], "percent");
    let back: Target = serde_json::from_value(json).expect("deserialise");
    assert_eq!(back, target);

    assert_eq!(serde_json::to_value(Comparator::Le).expect("json"), "≤");
    assert_eq!(serde_json::to_value(ValueKind::NotApplicable).expect("json"), "not_applicable");
    assert_eq!(serde_json::to_value(Flag::ComparatorAssumed).expect("json"), "comparator_assumed");
    let flag = serde_json::to_value(Flag::ExcelDateSerial { serial: 44561 }).expect("json");
    assert_eq!(flag["excel_date_serial"]["serial"], 44561);
    let ctx: TargetContext = serde_json::from_str(r#"{"category":"成本指标"}"#).expect("context");
    assert_eq!(ctx.category.as_deref(), Some("成本指标"));
    for text in ["2021年12月31日前", "80-90%", "有效保障", "**", "abc"] {
        let t = parse_target(text, &none());
        let round: Target = serde_json::from_str(&serde_json::to_string(&t).expect("json")).expect("back");
        assert_eq!(round, t);
    }
}

#[test]
fn every_flag_has_a_chinese_message() {
    let flags = [
        ComparatorAssumed,
        ComparatorFromColumn,
        OcrComparator { original: "292%".into() },
        Placeholder,
        ExcelDateSerial { serial: 44561 },
        ExcelDateSerial { serial: 60 },
        NotApplicable,
        ReverseOnRisingRate,
        FullWidthNormalised,
        ThousandsSeparator,
        SpaceInsideNumber,
        ValueGluedToName,
        AmbiguousFraction,
    ];
    for flag in flags {
        let message = flag.message();
        assert!(message.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{flag:?}: {message}");
        assert_eq!(flag.to_string(), message);
    }
}

/// Pieces of the grammar, to build strings that reach deep into the parser.
const PIECES: &[&str] = &[
    "≥",
    "≤",
    ">",
    "<",
    "=",
    "＞",
    "≧",
    "大于等于",
    "不超过",
    "达到",
    "控制在",
    "以内",
    "以上",
    "二",
    "2",
    "9",
    "0",
    "92",
    ".",
    ",",
    "，",
    "%",
    "％",
    "个",
    "万元",
    "元/年",
    "/",
    "人/次",
    "-",
    "~",
    "～",
    "至",
    "到",
    " ",
    "年",
    "月",
    "日",
    "底",
    "前",
    "**",
    "XX",
    "…",
    "１",
    "２０２１",
    "44,561",
    "率",
    "成本",
    "有效保障",
    "\u{0}",
    "é",
    "🙂",
    "\u{200B}",
];

proptest! {
    #[test]
    fn never_panics_on_arbitrary_text(text in any::<String>(), category in any::<Option<String>>(),
                                      name in any::<Option<String>>(), column in any::<Option<String>>(),
                                      unit in any::<Option<String>>()) {
        let context = TargetContext { category, indicator_name: name, comparator_column: column, unit_column: unit };
        let target = parse_target(&text, &context);
        prop_assert_eq!(&target.raw, &text);
        let actual = parse_actual(&text);
        let _ = parse_actual_with(&text, &context);
        let _ = split_glued_value(&text);
        let _ = Unit::parse(&text);
        let _ = Comparator::parse(&text);
        if let (Some(t), Some(a)) = (target.quantity(), actual.quantity()) {
            let _ = compare_quantities(t, a);
        }
    }

    #[test]
    fn never_panics_on_grammar_soup(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..10),
                                    context_pieces in prop::collection::vec(prop::sample::select(PIECES), 0..4)) {
        let text: String = pieces.concat();
        let context_text: String = context_pieces.concat();
        let context = TargetContext {
            category: Some(context_text.clone()),
            indicator_name: Some(format!("{context_text}时间")),
            comparator_column: Some(context_text.clone()),
            unit_column: Some(context_text),
        };
        let target = parse_target(&text, &context);
        let actual = parse_actual(&text);
        if let (Some(t), Some(a)) = (target.quantity(), actual.quantity()) {
            let _ = compare_quantities(t, a);
        }
        let _ = split_glued_value(&text);
    }

    #[test]
    fn long_digit_strings_never_panic(digits in "[0-9]{1,80}", fraction in "[0-9]{0,80}", unit in "(%|万元|个|)") {
        let text = format!("≥{digits}.{fraction}{unit}");
        let _ = parse_target(&text, &TargetContext::default());
        let _ = parse_actual(&format!("{digits}{unit}"));
    }

    #[test]
    fn ge_percent_reads_the_number_exactly(whole in any::<u64>(), fraction in proptest::option::of("[0-9]{1,8}")) {
        let number = match &fraction {
            Some(f) => format!("{whole}.{f}"),
            None => whole.to_string(),
        };
        let target = parse_target(&format!("≥{number}%"), &TargetContext::default());
        let expected = Decimal::from_str(&number).expect("a decimal");
        match &target.kind {
            ValueKind::Quantity { comparator, quantity } => {
                prop_assert_eq!(*comparator, Comparator::Ge);
                prop_assert_eq!(quantity.value, expected);
                prop_assert_eq!(quantity.unit.as_ref().map(|u| u.symbol.as_str()), Some("%"));
            }
            other => prop_assert!(false, "≥{}% read as {:?}", number, other),
        }
        prop_assert!(target.flags.is_empty());
    }
}

#[test]
fn numbers_beyond_a_decimals_precision_are_refused_not_rounded() {
    for text in [
        "1234567890123456789012345678901234567890个",
        "0.12345678901234567890123456789012%",
        "1-1234567890123456789012345678901个",
    ] {
        let t = parse_actual(text);
        assert!(
            matches!(t.kind, ValueKind::Invalid { ref message } if message.contains("28 位")),
            "{text}: {:?}",
            t.kind
        );
        let t = parse_target(text, &none());
        assert!(matches!(t.kind, ValueKind::Invalid { .. }), "{text}: {:?}", t.kind);
    }
    // 28 digits still read exactly.
    let t = parse_actual("1234567890123456789012345678个");
    assert!(
        matches!(t.kind, ValueKind::Quantity { ref quantity, .. } if quantity.value.to_string() == "1234567890123456789012345678")
    );
}

#[test]
fn negative_counts_money_and_durations_are_refused() {
    for text in ["-1条", "-3个", "-2万元", "-5天"] {
        let t = parse_actual(text);
        assert!(
            matches!(t.kind, ValueKind::Invalid { ref message } if message.contains("不能为负数")),
            "{text}: {:?}",
            t.kind
        );
    }
    // A rate may fall.
    let t = parse_actual("-3%");
    assert!(
        matches!(t.kind, ValueKind::Quantity { ref quantity, .. } if quantity.value.to_string() == "-3"),
        "{:?}",
        t.kind
    );
}
