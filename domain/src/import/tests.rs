//! Tests on real published tables (copies of shared/fixtures in `fixtures/`) and on edge cases.

use proptest::prelude::*;
use rust_decimal_macros::dec;

use super::*;
use crate::value::ValueKind;

const SEED: &str = include_str!("../../../fixtures/000_a24f108f427dffbb.txt");
const DAYING: &str = include_str!("../../../fixtures/05_sichuan_daying_sifaju_2023_zipingbiao_pipe.txt");
const WUHAI: &str = include_str!("../../../fixtures/11_neimenggu_wuhai_gongxiaoshe_2021_mubiaobiao_direction.txt");
const TEMPLATE: &str = include_str!("../../../fixtures/15_template_kunnan_qunzhong_jiuzhu_mubiao_shenbaobiao_star.txt");

/// A fixture's published text: its leading `#` note lines (source, URL) blanked, so that line
/// numbers stay those of the file.
fn published(fixture: &str) -> String {
    let mut in_notes = true;
    fixture
        .lines()
        .map(|l| {
            in_notes = in_notes && l.starts_with('#');
            if in_notes {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn only_project(result: &ImportResult) -> &ImportedProject {
    assert_eq!(result.projects.len(), 1, "{:#?}", result.projects.iter().map(|p| &p.title).collect::<Vec<_>>());
    &result.projects[0]
}

fn messages(issues: &[ImportIssue]) -> Vec<String> {
    issues.iter().map(|i| format!("L{} {} :: {}", i.line, i.message, i.text)).collect()
}

#[test]
fn seed_table_is_read_completely() {
    let result = import_target_tables(&published(SEED));
    assert!(result.issues.is_empty(), "{:?}", messages(&result.issues));
    let p = only_project(&result);
    assert_eq!(p.title, "项目支出绩效目标表");
    assert_eq!(p.year, Some(2021));
    assert_eq!(p.name, "政府网站维护费及业务经费");
    assert_eq!(p.department.as_deref(), Some("阿合奇县电子政务办公室"));
    assert_eq!(p.implementing_unit.as_deref(), Some("阿合奇县电子政务办公室"));
    assert_eq!((p.funds_total, p.funds_fiscal, p.funds_other), (Some(dec!(10)), Some(dec!(10)), Some(dec!(0))));
    assert!(p.overall_goal.starts_with("对政府网站、机房等设备进行维护"), "{}", p.overall_goal);
    assert_eq!(p.overall_goal, "对政府网站、机房等设备进行维护、运行，保证电子政务机房网络畅通，确保工作正常开展");
    assert_eq!(
        p.annual_goals,
        [
            "目标 1：维护阿合奇县人民政府网站、网络平台及机房正常运行；每年租赁光纤确保我单位网络使用的连续性、稳定性、安全性；维护广场 LED屏幕正常播放。",
            "目标 2：确保了阿合奇县电子政务网络平台稳定高效运行、网络畅通，提高政府网上履职能力，保障政务信息及时公开，提升政府公信力，推进政府网站管理集约化、平台集约化、服务集约化、运维集约化。",
        ]
    );
    let expected = [
        ("产出指标", "数量指标", "维护 LED 屏幕数量", "1座"),
        ("产出指标", "数量指标", "租赁光纤条数", "1条"),
        ("产出指标", "数量指标", "维护网站数量", "1个"),
        ("产出指标", "数量指标", "维护网络平台数量", "1个"),
        ("产出指标", "数量指标", "维护机房数量", "2座"),
        ("产出指标", "质量指标", "LED 屏幕正常运行率", "≥98%"),
        ("产出指标", "质量指标", "网站正常运行率", "100%"),
        ("产出指标", "时效指标", "维修维护及时率", "100%"),
        ("产出指标", "时效指标", "光纤缴费及时率", "100%"),
        ("产出指标", "成本指标", "租赁光纤、电话成本", "2 万元/年"),
        ("产出指标", "成本指标", "维护、测评网站成本", "≤40000 元/年"),
        ("产出指标", "成本指标", "维护平台成本", "≤30000 元/年"),
        ("产出指标", "成本指标", "维护机房、LED 屏幕成本", "≤10000 元/年"),
        ("效益指标", "社会效益指标", "保障政府网站有效运行，政务信息及时公开", "有效保障"),
        ("效益指标", "可持续影响指标", "项目可持续影响年限", "1年"),
        ("满意度指标", "满意度指标", "受益单位满意度", "≥95%"),
        ("满意度指标", "满意度指标", "受益群众满意度", "≥95%"),
    ];
    let got: Vec<(&str, &str, &str, &str)> = p
        .indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str(), i.name.as_str(), i.target_text.as_str()))
        .collect();
    assert_eq!(got, expected);
    assert!(p.issues.is_empty(), "{:?}", messages(&p.issues));

    let first = &p.indicators[0];
    assert_eq!(first.line, 1222);
    assert!(!first.core && first.weight.is_none() && first.comparator_column.is_none() && first.unit_column.is_none());
    // The value grammar read every target with the 二级 as context.
    for i in &p.indicators {
        assert!(
            !matches!(i.target.kind, ValueKind::Invalid { .. } | ValueKind::Placeholder),
            "{}: {:?}",
            i.name,
            i.target
        );
        assert_eq!(i.target.raw, i.target_text);
    }
    let cost = &p.indicators[10];
    assert_eq!(cost.target.comparator(), Some(crate::value::Comparator::Le));
    assert_eq!(cost.target.quantity().map(|q| q.value), Some(dec!(40000)));
    let qualitative = &p.indicators[13];
    assert!(matches!(&qualitative.target.kind, ValueKind::Qualitative { phrase } if phrase == "有效保障"));
}

#[test]
fn pipe_self_evaluation_table_with_a_foreign_head_and_a_cut_tail() {
    let result = import_target_tables(&published(DAYING));
    // Lines 4–5 are the tail of the previous table: reported, not imported.
    let skipped: Vec<usize> = result.issues.iter().map(|i| i.line).collect();
    assert_eq!(skipped, [4, 5], "{:?}", messages(&result.issues));
    assert!(result.issues.iter().all(|i| i.message.contains("表格开头不完整") && i.message.contains("已跳过")));
    assert!(result.issues[1].text.contains("成本控制数"));

    let p = only_project(&result);
    assert_eq!(p.title, "部门预算项目支出绩效自评表");
    assert_eq!(p.year, Some(2023));
    assert!(p.name.contains("安可替代补助资金项目"), "{}", p.name);
    assert_eq!(p.department.as_deref(), Some("大英县司法局部门"));
    assert_eq!(p.implementing_unit.as_deref(), Some("大英县司法局"));
    assert_eq!(p.overall_goal, "根据要求购买安可设备,并完成项目资金支付。");

    assert_eq!(p.indicators.len(), 1);
    let i = &p.indicators[0];
    assert_eq!((i.level1.as_str(), i.level2.as_str()), ("产出指标", "质量指标"));
    assert_eq!(i.name, "完成安可产品购买并按要求支付资金");
    assert_eq!(i.target_text, "100");
    assert_eq!(i.comparator_column.as_deref(), Some("="));
    assert_eq!((i.unit_column.as_deref(), i.weight), (None, None));
    assert_eq!(i.line, 24);

    // The cut-off last row is reported, its missing columns named, nothing invented.
    let truncated: Vec<&ImportIssue> = p.issues.iter().filter(|i| i.line == 24).collect();
    assert_eq!(truncated.len(), 1, "{:?}", messages(&p.issues));
    assert!(truncated[0].message.contains("截断") && truncated[0].message.contains("计量单位"));
}

#[test]
fn direction_columns_units_weights_and_excel_dates() {
    let result = import_target_tables(&published(WUHAI));
    assert!(result.issues.is_empty(), "{:?}", messages(&result.issues));
    // The page heading repeats the title: one table.
    let p = only_project(&result);
    assert_eq!(p.title, "再生资源回收市场管理经费项目绩效目标表");
    assert_eq!(p.year, Some(2021));
    assert_eq!(p.name, "再生资源回收市场管理经费");
    assert_eq!(p.department.as_deref(), Some("乌海市供销合作社联合社(部门)"));
    assert_eq!(p.implementing_unit.as_deref(), Some("乌海市供销合作社联合社"));
    assert_eq!((p.funds_total, p.funds_fiscal, p.funds_other), (Some(dec!(3)), Some(dec!(3)), Some(dec!(0))));
    assert!(p.overall_goal.starts_with("围绕国家关于建设节约型社会"), "{}", p.overall_goal);
    assert_eq!(p.annual_goals.len(), 5, "{:?}", p.annual_goals);
    assert_eq!(p.annual_goals[0], "目标1:聘用人员1人,出差8人");
    assert_eq!(p.annual_goals[4], "目标5:促进资源循环和高效利用,改善城乡生态环境。");

    type Row<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<rust_decimal::Decimal>);
    let got: Vec<Row> = p
        .indicators
        .iter()
        .map(|i| {
            (
                i.level2.as_str(),
                i.name.as_str(),
                i.target_text.as_str(),
                i.comparator_column.as_deref(),
                i.unit_column.as_deref(),
                i.weight,
            )
        })
        .collect();
    let expected: Vec<Row> = vec![
        ("数量指标", "出差人数", "8", Some("正向"), None, Some(dec!(4))),
        ("数量指标", "出差人次", "24", Some("正向"), Some("人/次"), Some(dec!(4))),
        ("质量指标", "工作任务完成率", "100", Some("正向"), Some("%"), Some(dec!(4))),
        ("时效指标", "项目财政资金到位时间", "44,561", Some("正向"), None, Some(dec!(10))),
        ("时效指标", "财政资金到位及时支付率", "100", Some("正向"), Some("%"), Some(dec!(4))),
        ("时效指标", "工作计划按时完成时间", "44,561", Some("正向"), None, Some(dec!(4))),
        ("成本指标", "出差单位成本", "0", Some("反向"), Some("万元/人"), Some(dec!(4))),
        ("成本指标", "出差总成本", "1", Some("反向"), Some("万元"), Some(dec!(4))),
        ("成本指标", "劳务人员总成本", "2", Some("反向"), Some("万元"), Some(dec!(4))),
        ("成本指标", "办公费总成本", "0", Some("反向"), Some("万元"), Some(dec!(4))),
        ("成本指标", "年度预算总成本", "3", Some("反向"), Some("万元"), Some(dec!(4))),
    ];
    assert_eq!(got, expected);
    assert!(p.indicators.iter().all(|i| i.level1 == "产出指标"));

    // The Excel serial in a 时效 indicator is a date.
    let date = chrono::NaiveDate::from_ymd_opt(2021, 12, 31);
    let serial = &p.indicators[3];
    assert!(matches!(&serial.target.kind, ValueKind::Date { date: d, .. } if Some(*d) == date), "{:?}", serial.target);
    // The unit column repeating the serial is reported, the cut "效" row too.
    let notes = messages(&p.issues);
    assert!(p.issues.iter().any(|i| i.line == 23 && i.message.contains("计量单位")), "{notes:?}");
    let last = p.issues.iter().find(|i| i.line == 31).expect("truncated row reported");
    assert!(last.message.contains("截断") && last.text == "效", "{notes:?}");
    assert_eq!(p.issues.len(), 3, "{notes:?}");
}

#[test]
fn template_placeholders_never_become_numbers() {
    let result = import_target_tables(&published(TEMPLATE));
    assert!(result.issues.is_empty(), "{:?}", messages(&result.issues));
    let p = only_project(&result);
    assert_eq!(p.title, "绩效目标申报表(参考模板)");
    assert_eq!(p.year, None);
    assert_eq!(p.name, "困难群众救助项目");
    assert_eq!((p.department.as_deref(), p.implementing_unit.as_deref()), (None, None));
    assert_eq!((p.funds_total, p.funds_fiscal, p.funds_other), (None, None, None));
    assert!(p.annual_goals.is_empty(), "{:?}", p.annual_goals);

    // Names imported without values; the detached values are never paired with them.
    assert!(!p.indicators.is_empty());
    for i in &p.indicators {
        assert_eq!(i.target_text, "", "{}", i.name);
        assert!(i.target.quantity().is_none() && i.target.comparator().is_none(), "{:?}", i.target);
        assert!(p.issues.iter().any(|x| x.line == i.line && x.message.contains("未找到该指标的指标值")));
    }
    let core: Vec<&str> = p.indicators.iter().filter(|i| i.core).map(|i| i.name.as_str()).collect();
    assert!(core.contains(&"农村低保发放人数") && core.contains(&"农村低保标准"), "{core:?}");
    assert!(core.contains(&"领取生活补贴和护理补贴的建档立卡贫困残疾人人数"), "{core:?}");
    assert!(core.contains(&"建档立卡贫困人口中接受临时救助的人次数"), "{core:?}");
    assert!(p.indicators.iter().all(|i| !i.name.contains('★')));

    // Every dumped value line and the placeholder year, funds and goals are reported.
    let placeholder_lines: Vec<usize> =
        p.issues.iter().filter(|i| i.message.contains("占位符")).map(|i| i.line).collect();
    for line in [13, 23, 48, 49, 50, 51, 52, 53] {
        assert!(placeholder_lines.contains(&line), "line {line}: {:?}", messages(&p.issues));
    }
    assert!(p.issues.iter().any(|i| i.message.contains("项目资金未填写")));
    assert!(p.issues.iter().any(|i| i.message.contains("主管部门、实施单位未填写")));
    // The garbled lines are reported, not imported.
    for line in [31, 34, 36, 45] {
        assert!(p.issues.iter().any(|i| i.line == line), "line {line}: {:?}", messages(&p.issues));
        assert!(p.indicators.iter().all(|i| i.line != line));
    }
}

#[test]
fn several_tables_in_one_text() {
    let text =
        "前言\n项目支出绩效目标表\n(2022年)\n项目名称 甲项目\n主管部门 某局\n一级指标 二级指标 三级指标 指标值\n\
                产出指标 数量指标 培训人次 ≥100人次\n（五）其他\n项目支出绩效目标表\n（2023 年）\n项目名称 乙项目\n\
                主管部门 某局\n产 出 指 标\n时效 完成时间 2023年12月31日前\n";
    let result = import_target_tables(text);
    assert!(result.issues.is_empty(), "{:?}", messages(&result.issues));
    assert_eq!(result.projects.len(), 2);
    let (a, b) = (&result.projects[0], &result.projects[1]);
    assert_eq!((a.name.as_str(), a.year, a.indicators.len()), ("甲项目", Some(2022), 1));
    assert_eq!((b.name.as_str(), b.year, b.indicators.len()), ("乙项目", Some(2023), 1));
    assert_eq!(b.indicators[0].level1, "产出指标");
    assert_eq!(b.indicators[0].level2, "时效指标");
    assert_eq!(b.indicators[0].target_text, "2023年12月31日前");
    assert!(a.issues.is_empty() && b.issues.is_empty(), "{:?} {:?}", messages(&a.issues), messages(&b.issues));
}

#[test]
fn cost_as_level1_in_the_2021_layout() {
    let text = "项目支出绩效目标表（2022年）\n项目名称 丙项目\n实施单位 某中心\n\
                产出指标\n数量指标 设备数量 5台\n成本指标\n经济成本指标 设备购置成本 ≤20万元\n\
                社会成本指标 对周边环境影响 无明显影响\n满意度指标\n服务对象满意度指标 使用人员满意度 ≥90%\n合计";
    let result = import_target_tables(text);
    let p = only_project(&result);
    let levels: Vec<(&str, &str)> = p.indicators.iter().map(|i| (i.level1.as_str(), i.level2.as_str())).collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "数量指标"),
            ("成本指标", "经济成本指标"),
            ("成本指标", "社会成本指标"),
            ("满意度指标", "服务对象满意度指标")
        ]
    );
    assert_eq!(p.indicators[2].target_text, "无明显影响");
    assert_eq!(p.department.as_deref(), None);
    assert_eq!(p.implementing_unit.as_deref(), Some("某中心"));
    assert!(p.issues.is_empty(), "{:?}", messages(&p.issues));
}

#[test]
fn unreadable_rows_are_reported_with_their_text() {
    let text = "项目支出绩效目标表\n项目名称 丁项目\n主管部门 某局\n产出指标 数量指标\n维护网站数量\n\
                ≥95%\n★核心指标数量 3个\n年度资金支付完成率100%\n质量指标 合格率 ≥**%\n";
    let result = import_target_tables(text);
    let p = only_project(&result);
    let by_line = |n: usize| p.issues.iter().filter(|i| i.line == n).map(|i| i.message.clone()).collect::<Vec<_>>();
    assert!(by_line(5).iter().any(|m| m.contains("未找到指标值")), "{:?}", messages(&p.issues));
    assert_eq!(p.issues.iter().find(|i| i.line == 5).map(|i| i.text.as_str()), Some("维护网站数量"));
    assert!(by_line(6).iter().any(|m| m.contains("没有指标名称")), "{:?}", messages(&p.issues));
    let names: Vec<&str> = p.indicators.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["核心指标数量", "年度资金支付完成率", "合格率"]);
    assert!(p.indicators[0].core);
    assert_eq!(p.indicators[1].target_text, "100%");
    assert!(by_line(8).iter().any(|m| m.contains("连写")), "{:?}", messages(&p.issues));
    assert!(by_line(9).iter().any(|m| m.contains("占位符")), "{:?}", messages(&p.issues));
    assert!(p.indicators[2].target.quantity().is_none());
}

#[test]
fn no_title_and_empty_input() {
    let empty = import_target_tables("");
    assert_eq!(empty, ImportResult::default());
    let prose = import_target_tables("2021 年度，本年度实行绩效管理的项目 1 个。\n产出指标 数量指标 培训人数 10人\n");
    assert!(prose.projects.is_empty());
    assert_eq!(prose.issues.len(), 2, "{:?}", messages(&prose.issues));
    assert_eq!(prose.issues[0].line, 2);
    assert_eq!(prose.issues[1].line, 0);
}

#[test]
fn truncated_right_after_the_title_or_a_level() {
    let result = import_target_tables("项目支出绩效目标表\n项目名称 戊项目\n");
    let p = only_project(&result);
    assert!(p.issues.iter().any(|i| i.message.contains("截断")), "{:?}", messages(&p.issues));
    let result =
        import_target_tables("项目支出绩效目标表\n项目名称 戊项目\n主管部门 某局\n产出指标\n数量指标 甲 1个\n效益指标");
    let p = only_project(&result);
    assert_eq!(p.indicators.len(), 1);
    assert!(p.issues.iter().any(|i| i.line == 6 && i.message.contains("截断")), "{:?}", messages(&p.issues));
}

#[test]
fn serialises_in_snake_case() {
    let result = import_target_tables(&published(WUHAI));
    let json = serde_json::to_value(&result).expect("serialisable");
    let project = &json["projects"][0];
    assert_eq!(project["funds_total"], "3");
    assert_eq!(project["indicators"][1]["unit_column"], "人/次");
    assert_eq!(project["indicators"][1]["comparator_column"], "正向");
    let back: ImportResult = serde_json::from_value(json).expect("deserialisable");
    assert_eq!(back, result);
}

/// The seed's lines, for shuffles and cuts.
fn seed_lines() -> Vec<String> {
    published(SEED).lines().map(str::to_owned).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = import_target_tables(&text);
    }

    #[test]
    fn never_panics_on_table_like_text(
        text in proptest::collection::vec(
            prop_oneof![
                Just("项目支出绩效目标表"), Just("（2021 年）"), Just("项目名称"), Just("主管部门"), Just("其中："),
                Just("年度资金总额："), Just("目标 1："), Just("一级指标"), Just("二级指标"), Just("三级指标"),
                Just("指标值"), Just("产 出 指 标"), Just("成本指标"), Just("满意度指标"), Just("★"), Just("|"),
                Just("≥"), Just("**"), Just("……"), Just("44,561"), Just("元/年"), Just("正向"), Just("="),
                Just("\n"), Just(" "), Just("1"), Just("项目总体目"), Just("标"), Just("（五）"), Just("效"),
                Just("指标值 **人"), Just("计量单位"), Just("分值"), Just("指标性质"), Just("\u{3000}"), Just("é"),
            ],
            0..80,
        )
    ) {
        let _ = import_target_tables(&text.concat());
    }

    #[test]
    fn never_panics_on_shuffled_or_cut_seed(
        seed in any::<u64>(),
        cut_line in 0usize..1400,
        cut_char in 0usize..40,
    ) {
        let mut lines = seed_lines();
        // Cut the text inside a line (on a character boundary), keeping what came before.
        lines.truncate(cut_line.min(lines.len()));
        if let Some(last) = lines.last_mut() {
            *last = last.chars().take(cut_char).collect();
        }
        let cut = lines.join("\n");
        let _ = import_target_tables(&cut);
        // A deterministic shuffle of the table part (from the 800th line on).
        let mut state = seed | 1;
        let tail_start = lines.len().min(800);
        for i in (tail_start + 1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let j = tail_start + (state as usize) % (i - tail_start + 1);
            lines.swap(i, j);
        }
        let _ = import_target_tables(&lines.join("\n"));
    }
}

#[test]
fn seed_cut_at_every_table_line_never_invents_values() {
    let lines = seed_lines();
    for cut in 1185..lines.len() {
        let text = lines[..cut].join("\n");
        let result = import_target_tables(&text);
        for p in &result.projects {
            for i in &p.indicators {
                // Every imported value is the text of its own line.
                let line = lines.get(i.line - 1).map(String::as_str).unwrap_or("");
                assert!(line.contains(i.target_text.as_str()), "cut {cut}: {} not in {line}", i.target_text);
            }
        }
    }
}

#[test]
#[ignore]
fn debug_stream() {
    let path = std::env::var("DEBUG_FIXTURE").unwrap_or_default();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = published(&text);
    let lines = lines::split_lines(&text);
    let (ind, iss) = rows::read_stream(&lines);
    for i in ind {
        eprintln!("{} / {} / {} => {}", i.level1, i.level2, i.name, i.target_text);
    }
    for i in iss {
        eprintln!("! L{} {} :: {}", i.line, i.message, i.text);
    }
}

#[test]
fn titles_inside_long_flattened_lines_start_their_own_tables() {
    let text =
        "还剩1页未读 省级部门预算项目支出绩效目标表(2023年度)一*级项目名称甲项目一级指标二级指标三级指标指标目标值\
                产出指标数量指标免费开放天数=300天满意度指标服务对象满意度指标群众满意度%=99百分比\
                省级部门预算项目支出绩效目标表2023年度一*级项目名称乙项目项目总投资174.78万元";
    let result = import_target_tables(text);
    let titles: Vec<&str> = result.projects.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["省级部门预算项目支出绩效目标表", "省级部门预算项目支出绩效目标表2023年度"]);
    let rows: Vec<(&str, &str)> =
        result.projects[0].indicators.iter().map(|i| (i.name.as_str(), i.target_text.as_str())).collect();
    assert_eq!(rows, [("免费开放天数", "=300天"), ("群众满意度", "=99百分比")]);
    // A sentence naming a table is not a title.
    let prose = import_target_tables(&format!("{}按要求填报了项目支出绩效目标表并公开。", "本单位".repeat(20)));
    assert!(prose.projects.is_empty());
}

#[test]
fn explanation_column_holding_numbers_is_not_the_target() {
    let text = "部门整体支出绩效目标表\n部门(单位)名称 某研究室\n一级指标 二级指标 三级指标 指标解释 目标值\n\
                产出指标 数量指标 资金的供应时效 100%(历史标准) 100%\n\
                质量指标 各类书籍审稿率 100%(计划标准) 1\n\
                时效指标 项目完成时间 2019年12月(计划标准) 100%\n";
    let result = import_target_tables(text);
    let p = only_project(&result);
    let rows: Vec<(&str, &str)> = p.indicators.iter().map(|i| (i.name.as_str(), i.target_text.as_str())).collect();
    assert_eq!(rows, [("资金的供应时效", "100%"), ("项目完成时间", "100%")]);
    assert!(p.issues.iter().any(|i| i.line == 5 && i.message.contains("不一致")), "{:?}", messages(&p.issues));
}

#[test]
fn project_cells_in_a_list_table_are_never_targets() {
    let text = "| 部门预算项目绩效目标申报表(2023年度) | |||\n\
                | 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 | |\n\
                | 820-某镇部门 | 8,827,620.53 | |||||||||||\n\
                | 820001-某镇人民政府 | 村组干部报酬 | 3,309,840.00 | 按时发放 | 效益指标 | 社会效益指标 | 维护社会稳定 | ≥ | 95 | % | 10 | 正向指标 | |\n\
                | 产出指标 | 时效指标 | 维持时效 | ≥ | 1 | 年 | 20 | 正向指标 | |||||\n";
    let result = import_target_tables(text);
    let p = only_project(&result);
    let rows: Vec<(&str, &str, &str)> =
        p.indicators.iter().map(|i| (i.level1.as_str(), i.name.as_str(), i.target_text.as_str())).collect();
    assert_eq!(rows, [("效益指标", "维护社会稳定", "95"), ("产出指标", "维持时效", "1")]);
    assert!(p.issues.iter().any(|i| i.line == 3 && i.message.contains("对不上")), "{:?}", messages(&p.issues));
    assert!(p.issues.iter().any(|i| i.line == 4 && i.message.contains("多项目")), "{:?}", messages(&p.issues));
}

#[test]
fn untitled_flat_rows_under_level_names_are_read_but_prose_is_not() {
    let flat = "产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 时效指标按时发放率=100% 22.5 合计100 评价结论及时。";
    let result = import_target_tables(flat);
    let p = only_project(&result);
    let rows: Vec<(&str, &str)> = p.indicators.iter().map(|i| (i.name.as_str(), i.target_text.as_str())).collect();
    assert_eq!(rows, [("足额保障率", "=100%"), ("科目调整次数", "≤10次"), ("按时发放率", "=100%")]);
    assert!(p.issues.iter().any(|i| i.line == 0 && i.message.contains("未找到表格标题和表头")));
    let prose = "一、 产出指标\n数量指标:★补助种植数量(≥**株)>=17600株;种植作物成活率(≥**%)>=85;时效指标:完成及时率(≥**%)>=100%。\n";
    assert!(import_target_tables(prose).projects.is_empty());
}

#[test]
fn ocr_er_reads_as_the_equals_sign_the_table_uses_elsewhere() {
    let text = "项目支出绩效目标表(2023年度)\n项目名称 甲项目\n一级指标 二级指标 三级指标 指标值\n\
                产出指标 数量指标 免费开放天数 =300天\n质量指标 考核指标完成率 =100%\n\
                成本指标 经济成本指标 资金使用效率 二100%\n";
    let result = import_target_tables(text);
    let p = only_project(&result);
    let last = p.indicators.last().expect("three rows");
    assert_eq!(last.target.comparator(), Some(crate::value::Comparator::Eq));
    assert!(p.issues.iter().any(|i| i.line == 6 && i.message.contains("已按“=”读取")), "{:?}", messages(&p.issues));
    // Without "=" elsewhere, 二 stays the ≥ of domain-rules §3 (flagged by the value grammar).
    let alone = import_target_tables("项目支出绩效目标表\n项目名称 乙\n产出指标 数量指标 资金使用效率 二100%\n");
    let row = &only_project(&alone).indicators[0];
    assert_eq!(row.target.comparator(), Some(crate::value::Comparator::Ge));
}
