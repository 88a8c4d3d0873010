//! The product's vocabulary: every fixed value set, each declared once with its stable key (what
//! the database, the wire and the command line carry) and its Chinese label (what users read).
//! Adding a value is a change in this file; the database stores values by key through one
//! generic column type, server functions and components take the enums themselves.
//!
//! Behaviour that belongs to a value set (a phase's statuses, a grade's score band …) lives beside
//! the rules that use it (`workflow`, `scoring`); this file only names the values.

use serde::{Deserialize, Serialize};

/// A fixed set of values with a stable key and a label each.
pub trait ValueSet: Copy + Eq + std::fmt::Debug + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The stable key: stored in the database, carried on the wire.
    fn key(self) -> &'static str;
    /// The value as users read it (zh-CN).
    fn label(self) -> &'static str;
    /// Other ways users and published tables write the value (besides key and label).
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
    /// The value with this exact key.
    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.key() == key)
    }
    /// Reads a key, a label or an alias as typed or written in a spreadsheet (spaces ignored).
    fn parse(text: &str) -> Option<Self> {
        fn compact(s: &str) -> String {
            s.chars().filter(|c| !c.is_whitespace()).collect()
        }
        let t = compact(text);
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.key() == t || compact(v.label()) == t || v.aliases().iter().any(|a| compact(a) == t))
    }
}

/// Declares a value set: the enum (serialised by key), its [`ValueSet`] impl and `Display`
/// (the label).
macro_rules! value_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($key:literal, $label:literal $(, $alias:literal)* $(,)?) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $key)] $variant ),+
        }

        impl ValueSet for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }
            fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($alias),*]),+ }
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = <$name as ValueSet>::ALL;
            /// The stable key (database, wire).
            pub fn key(self) -> &'static str {
                ValueSet::key(self)
            }
            /// The value as users read it.
            pub fn label(self) -> &'static str {
                ValueSet::label(self)
            }
            /// Reads a key, label or alias.
            pub fn parse(text: &str) -> Option<Self> {
                <Self as ValueSet>::parse(text)
            }
            /// The value with this exact key.
            pub fn from_key(key: &str) -> Option<Self> {
                <Self as ValueSet>::from_key(key)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

value_set! {
    /// A user's role.
    pub enum Role {
        /// Everything finance may do, and may also edit content.
        Admin = ("admin", "系统管理员"),
        /// Reads every project, reviews, never edits department content.
        Finance = ("finance", "财政局审核人员"),
        /// Belongs to exactly one department, fills in and submits its projects.
        Department = ("department", "部门填报人员"),
    }
}

value_set! {
    /// What a project still owes in the 待办 view (`crate::todo`).
    pub enum TodoKind {
        /// A phase that is due (目标申报, or a phase whose deadline is set) and not yet submitted.
        NotSubmitted = ("not_submitted", "未提交"),
        /// Returned by the finance bureau and not yet submitted again.
        Returned = ("returned", "退回未重报"),
        /// Still owed after the phase's deadline.
        Overdue = ("overdue", "已逾期"),
    }
}

value_set! {
    /// A part of a project's yearly cycle; each has its own status.
    pub enum Phase {
        /// 目标申报 (with 财政审核).
        Declaration = ("declaration", "目标申报"),
        /// 运行监控 (mid-year 双监控).
        Monitoring = ("monitoring", "运行监控"),
        /// 绩效自评 (with 财政复核).
        SelfEvaluation = ("self_evaluation", "绩效自评"),
    }
}

value_set! {
    /// The state of one phase of one project (each phase uses a subset, see `Phase::statuses`).
    pub enum Status {
        /// 草稿 (申报, 自评).
        Draft = ("draft", "草稿"),
        /// 填报中 (监控).
        Filling = ("filling", "填报中"),
        /// Waiting for the finance bureau.
        Submitted = ("submitted", "已提交"),
        /// 自评 only.
        UnderReview = ("under_review", "财政复核中"),
        /// 申报. Locked.
        Approved = ("approved", "已批复"),
        /// 监控. Locked.
        Reviewed = ("reviewed", "已审阅"),
        /// 自评. Locked.
        Rated = ("rated", "已评定"),
        /// Returned with a reason; the department edits and submits again.
        Returned = ("returned", "退回", "已退回"),
    }
}

value_set! {
    /// What an actor does with a phase (the buttons). `label` is the generic name; the
    /// button of [`ActionKind::Approve`] reads 批复, 审阅 or 评定 by phase (`label_in`).
    pub enum ActionKind {
        Edit = ("edit", "修改"),
        Submit = ("submit", "提交"),
        StartReview = ("start_review", "开始复核"),
        Approve = ("approve", "批复"),
        Return = ("return", "退回"),
        Reopen = ("reopen", "重新打开"),
    }
}

value_set! {
    /// 完成目标可能性 (运行监控).
    pub enum Likelihood {
        Certain = ("certain", "确定能"),
        Possible = ("possible", "有可能"),
        Impossible = ("impossible", "完全不可能", "不可能"),
    }
}

value_set! {
    /// 偏差原因分析 categories of the 绩效运行监控表.
    pub enum DeviationCategory {
        Funding = ("funding", "经费保障"),
        Institution = ("institution", "制度保障"),
        Staffing = ("staffing", "人员保障"),
        Hardware = ("hardware", "硬件条件保障"),
        Other = ("other", "其他"),
    }
}

value_set! {
    /// The scorer's grade for a 定性 (qualitative) indicator.
    pub enum QualitativeGrade {
        /// [80%w, w].
        Achieved = ("achieved", "达成年度指标", "达成", "全部达成", "完成"),
        /// [60%w, 80%w).
        Partial = ("partial", "部分达成年度指标并具有一定效果", "部分达成", "部分达成年度指标"),
        /// [0, 60%w).
        Poor = ("poor", "未达成年度指标且效果较差", "未达成", "未达成年度指标", "未完成"),
    }
}

value_set! {
    /// The grade of a total score (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below by default; the bands are
    /// the scoring profile's). The key is the character the tables print.
    pub enum Grade {
        Excellent = ("优", "优"),
        Good = ("良", "良"),
        Fair = ("中", "中"),
        Poor = ("差", "差"),
    }
}

value_set! {
    /// 指标性质 / 指标方向 / 计算符号: a separate column saying how the 指标值 compares.
    pub enum IndicatorNature {
        Ge = ("ge", "≥"),
        Gt = ("gt", ">"),
        Eq = ("eq", "="),
        Le = ("le", "≤"),
        Lt = ("lt", "<"),
        /// 正向: the higher the better (≥).
        Positive = ("positive", "正向", "正向指标"),
        /// 反向: the lower the better (≤).
        Reverse = ("reverse", "反向", "反向指标"),
    }
}

value_set! {
    /// 取值依据 of an indicator's target.
    pub enum Basis {
        History = ("history", "历史标准"),
        Industry = ("industry", "行业标准"),
        Plan = ("plan", "计划标准"),
        Other = ("other", "其他认可标准"),
    }
}

value_set! {
    /// The named scoring profiles a fiscal year may use (domain-rules.md §4).
    pub enum ScoringProfile {
        National = ("national", "全国通用（产出50/效益30/满意度10/执行率10）"),
        Y2021 = ("2021", "2021版（含成本指标一级）"),
        NationalStrict = ("national_strict", "全国通用 + 执行率封顶"),
        Y2021Strict = ("2021_strict", "2021版 + 执行率封顶"),
    }
}

value_set! {
    /// The direction a scored indicator counts in.
    pub enum Direction {
        /// ≥, >.
        Positive = ("positive", "正向"),
        /// =.
        Equal = ("equal", "等于"),
        /// ≤, <.
        Reverse = ("reverse", "反向"),
    }
}

value_set! {
    /// The state of a target version (批复 snapshots and mid-year 调整).
    pub enum VersionState {
        /// A 调整 waiting for the finance bureau.
        Pending = ("pending", "待审核"),
        /// The version scoring uses.
        Approved = ("approved", "现行"),
        Superseded = ("superseded", "已被替代"),
        Rejected = ("rejected", "未通过"),
    }
}

value_set! {
    /// A column the project list (总览) can be sorted by; the key goes in the URL (`?sort=score`).
    pub enum SortColumn {
        Year = ("year", "年度"),
        Department = ("department", "主管部门"),
        Name = ("name", "项目名称"),
        Funds = ("funds", "年度资金总额"),
        Indicators = ("indicators", "绩效指标"),
        Declaration = ("declaration", "目标申报"),
        Monitoring = ("monitoring", "运行监控"),
        Evaluation = ("evaluation", "绩效自评"),
        Execution = ("execution", "预算执行率"),
        Score = ("score", "自评得分"),
    }
}

value_set! {
    /// What a spreadsheet import writes.
    pub enum ImportKind {
        /// 绩效自评: 实际完成值, 偏差原因 and the year-end funds.
        Actuals = ("actuals", "年终实际完成值"),
        /// 运行监控: each indicator's 1–7月执行情况 … and the 1–7月 budget execution.
        Monitoring = ("monitoring", "运行监控情况"),
    }
}

value_set! {
    /// The workbooks a department downloads to fill in and upload again.
    pub enum TemplateKind {
        /// 项目支出绩效自评表: 实际完成值, 偏差原因 and the year-end funds.
        Selfeval = ("selfeval", "绩效自评表"),
        /// 项目支出绩效运行监控表: 1–7月执行情况, 完成目标可能性, 偏差原因, 纠偏措施 and the
        /// 1–7月 budget execution.
        Monitoring = ("monitoring", "绩效运行监控表"),
    }
}

impl TemplateKind {
    /// What uploading the filled-in template writes.
    pub fn imports(self) -> ImportKind {
        match self {
            TemplateKind::Selfeval => ImportKind::Actuals,
            TemplateKind::Monitoring => ImportKind::Monitoring,
        }
    }
}

value_set! {
    /// The documents `jixiao export` and the download links write.
    pub enum ExportDocument {
        /// 项目支出绩效自评表 (xlsx), per project or for a department's projects.
        Selfeval = ("selfeval", "项目支出绩效自评表"),
        /// 项目支出绩效目标表 (xlsx).
        Targets = ("targets", "项目支出绩效目标表"),
        /// 汇总表 of a department or the county (xlsx).
        Summary = ("summary", "项目支出绩效汇总表"),
        /// 绩效自评报告 of one project (docx, pdf).
        Report = ("report", "绩效自评报告"),
    }
}

value_set! {
    /// A file format of an export; the key is the file extension.
    pub enum ExportFormat {
        Xlsx = ("xlsx", "Excel 工作簿"),
        Docx = ("docx", "Word 文档"),
        Pdf = ("pdf", "PDF 文档"),
    }
}

impl ExportDocument {
    /// The formats this document is written in, the default first.
    pub fn formats(self) -> &'static [ExportFormat] {
        match self {
            ExportDocument::Report => &[ExportFormat::Docx, ExportFormat::Pdf],
            _ => &[ExportFormat::Xlsx],
        }
    }
}

value_set! {
    /// What an audit log entry records.
    pub enum AuditAction {
        Create = ("create", "新建"),
        Update = ("update", "修改"),
        /// A workflow transition.
        Transition = ("transition", "流程"),
        Login = ("login", "登录"),
        LoginFailed = ("login_failed", "登录失败"),
        /// 财政局 approving or rejecting a 调整.
        Decide = ("decide", "审核"),
        /// A row written by a spreadsheet or text import.
        Import = ("import", "导入"),
        Delete = ("delete", "删除"),
    }
}

value_set! {
    /// The kinds of stored things users act on (audit log entries, "not found" refusals).
    pub enum EntityKind {
        Project = ("project", "项目"),
        Indicator = ("indicator", "指标"),
        ProjectPhase = ("project_phase", "流程"),
        User = ("app_user", "账号"),
        TargetVersion = ("target_version", "目标版本"),
        MonitoringEntry = ("monitoring_entry", "运行监控"),
        ActualEntry = ("actual_entry", "绩效自评"),
        ReviewScore = ("review_score", "财政复核"),
        Comment = ("indicator_comment", "指标意见"),
        Department = ("department", "部门"),
        FiscalYear = ("fiscal_year", "年度"),
        ImportRecord = ("import_record", "导入记录"),
        LibraryEntry = ("indicator_library", "指标库条目"),
    }
}

value_set! {
    /// Every field a user fills in or the audit log records, with the name users know it by.
    pub enum Field {
        // 流程
        Status = ("status", "状态"),
        ReturnReason = ("return_reason", "原因"),
        // 目标申报
        TargetText = ("target_text", "指标值"),
        Weight = ("weight", "分值"),
        Direction = ("direction", "指标性质"),
        Basis = ("basis", "取值依据"),
        Core = ("core", "核心指标"),
        // 目标调整
        AdjustmentReason = ("adjustment_reason", "调整原因"),
        State = ("state", "版本状态"),
        DecisionNote = ("decision_note", "审核意见"),
        // 运行监控
        Progress = ("progress", "1–7月执行情况"),
        Forecast = ("forecast", "全年预计完成情况"),
        Likelihood = ("likelihood", "完成目标可能性"),
        DeviationCategory = ("deviation_category", "偏差原因类别"),
        DeviationReason = ("deviation_reason", "偏差原因"),
        CorrectiveAction = ("corrective_action", "纠偏措施"),
        ExecutedJanJul = ("executed_jan_jul", "1–7月执行数"),
        ExpectedExecution = ("expected_execution", "全年预计执行数"),
        // 绩效自评
        ActualText = ("actual_text", "实际完成值"),
        Grade = ("grade", "评价等级"),
        GradeScore = ("grade_score", "得分"),
        Evidence = ("evidence", "佐证材料"),
        Explanation = ("explanation", "偏差原因分析及改进措施"),
        BudgetInitial = ("budget_initial", "年初预算数"),
        BudgetFullYear = ("budget_full_year", "全年预算数"),
        ExecutedFullYear = ("executed_full_year", "全年执行数"),
        ExecutionExplanation = ("execution_explanation", "预算执行偏差原因"),
        // 财政复核
        Score = ("score", "复核得分"),
        Reason = ("reason", "复核理由"),
        // 指标意见
        Body = ("body", "意见内容"),
        // 系统管理
        Year = ("year", "年度"),
        ScoringProfile = ("scoring_profile", "评分方案"),
        Name = ("name", "部门名称"),
        ParentId = ("parent_id", "主管部门"),
        Username = ("username", "用户名"),
        DisplayName = ("display_name", "姓名"),
        Password = ("password", "密码"),
        Role = ("role", "角色"),
        Department = ("department", "所属部门"),
        Active = ("active", "账号状态"),
        DeclarationDeadline = ("declaration_deadline", "申报截止"),
        MonitoringDeadline = ("monitoring_deadline", "监控截止"),
        SelfEvaluationDeadline = ("self_evaluation_deadline", "自评截止"),
        // 项目
        ProjectName = ("project_name", "项目名称"),
        CopiedFrom = ("copied_from", "复制自"),
        ImplementingUnit = ("implementing_unit", "实施单位"),
        FundsFiscal = ("funds_fiscal", "财政拨款"),
        FundsOther = ("funds_other", "其他资金"),
        FundsTotal = ("funds_total", "年度资金总额"),
        OverallGoal = ("overall_goal", "项目总体目标"),
        AnnualGoals = ("annual_goals", "年度目标"),
        // 指标体系
        Level1 = ("level1", "一级指标"),
        Level2 = ("level2", "二级指标"),
        IndicatorName = ("indicator_name", "三级指标"),
        Unit = ("unit", "计量单位"),
        SortOrder = ("sort_order", "排列顺序"),
    }
}

impl Field {
    /// A stored audit value of this field as users read it: keys of value sets become their
    /// labels (older rows that stored labels stay as they are), yes/no fields read 是 / 否.
    pub fn display_value(self, raw: &str) -> String {
        fn label_of<T: ValueSet>(raw: &str) -> Option<&'static str> {
            T::parse(raw).map(ValueSet::label)
        }
        let label = match self {
            Field::Status => label_of::<Status>(raw),
            Field::Direction => label_of::<IndicatorNature>(raw),
            Field::Basis => label_of::<Basis>(raw),
            Field::State => label_of::<VersionState>(raw),
            Field::Likelihood => label_of::<Likelihood>(raw),
            Field::DeviationCategory => label_of::<DeviationCategory>(raw),
            Field::Grade => label_of::<QualitativeGrade>(raw),
            Field::ScoringProfile => label_of::<ScoringProfile>(raw),
            Field::Role => label_of::<Role>(raw),
            Field::Core => yes_no(raw, "是", "否"),
            Field::Active => yes_no(raw, "启用", "停用"),
            _ => None,
        };
        label.map_or_else(|| raw.to_owned(), str::to_owned)
    }
}

fn yes_no(raw: &str, yes: &'static str, no: &'static str) -> Option<&'static str> {
    match raw {
        "true" => Some(yes),
        "false" => Some(no),
        _ => None,
    }
}

impl IndicatorNature {
    /// Reads a separate 指标性质 column as published tables write it: any comparator symbol or
    /// word ("≥", "大于等于", "不超过" …) or 正向 / 反向.
    pub fn from_column(text: &str) -> Option<IndicatorNature> {
        if let Some(n) = IndicatorNature::parse(text) {
            return Some(n);
        }
        use crate::value::Comparator;
        Comparator::parse(text).map(|c| match c {
            Comparator::Ge => IndicatorNature::Ge,
            Comparator::Gt => IndicatorNature::Gt,
            Comparator::Eq => IndicatorNature::Eq,
            Comparator::Le => IndicatorNature::Le,
            Comparator::Lt => IndicatorNature::Lt,
        })
    }
}

/// Serde readers for value sets in files people write by hand (`jixiao score` input, imported
/// tables): a key, a label or an alias; blank is none; anything else is refused with the choices.
pub mod lenient {
    use super::{IndicatorNature, QualitativeGrade, ValueSet};
    use serde::{de::Error, Deserialize, Deserializer};

    fn read<'de, D: Deserializer<'de>, T: ValueSet>(
        d: D,
        what: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse(&text.to_lowercase()).map(Some).ok_or_else(|| {
            let choices: Vec<&str> = T::ALL.iter().map(|v| v.label()).collect();
            D::Error::custom(format!("无法识别的{what}“{}”（应为 {}）", text.trim(), choices.join(" / ")))
        })
    }

    /// A qualitative grade: 达成年度指标 / 部分达成… / 未达成… or achieved / partial / poor.
    pub fn grade<'de, D: Deserializer<'de>>(d: D) -> Result<Option<QualitativeGrade>, D::Error> {
        read(d, "评价等级", QualitativeGrade::parse)
    }

    /// A 指标性质 column: any comparator symbol or word, 正向 / 反向, or a key.
    pub fn nature<'de, D: Deserializer<'de>>(d: D) -> Result<Option<IndicatorNature>, D::Error> {
        read(d, "指标性质", IndicatorNature::from_column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: ValueSet>() {
        let mut keys = std::collections::HashSet::new();
        for &v in T::ALL {
            assert!(keys.insert(v.key()), "{v:?}: duplicate key {}", v.key());
            assert!(!v.label().trim().is_empty(), "{v:?} has no label");
            assert_eq!(T::from_key(v.key()), Some(v));
            assert_eq!(T::parse(v.label()), Some(v), "{v:?}: its label reads back");
        }
    }

    #[test]
    fn every_value_set_has_unique_keys_and_labels_that_read_back() {
        check::<Role>();
        check::<Phase>();
        check::<Status>();
        check::<ActionKind>();
        check::<Likelihood>();
        check::<DeviationCategory>();
        check::<QualitativeGrade>();
        check::<Grade>();
        check::<IndicatorNature>();
        check::<Basis>();
        check::<ScoringProfile>();
        check::<Direction>();
        check::<VersionState>();
        check::<AuditAction>();
        check::<EntityKind>();
        check::<Field>();
    }

    #[test]
    fn every_field_has_a_chinese_label() {
        for &f in Field::ALL {
            assert_ne!(f.label(), f.key(), "{f:?} shows its key");
            assert!(f.label().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{f:?}: {}", f.label());
        }
        for &a in AuditAction::ALL {
            assert!(a.label().chars().all(|c| !c.is_ascii_alphabetic()), "{a:?}: {}", a.label());
        }
    }

    #[test]
    fn serialised_by_key() {
        assert_eq!(serde_json::to_string(&Phase::SelfEvaluation).unwrap(), "\"self_evaluation\"");
        assert_eq!(serde_json::to_string(&Grade::Excellent).unwrap(), "\"优\"");
        assert_eq!(serde_json::from_str::<Likelihood>("\"possible\"").unwrap(), Likelihood::Possible);
        assert!(serde_json::from_str::<Likelihood>("\"maybe\"").is_err());
    }

    #[test]
    fn audit_values_read_as_labels() {
        assert_eq!(Field::Status.display_value("submitted"), "已提交");
        assert_eq!(Field::Status.display_value("已提交"), "已提交", "older rows stored the label");
        assert_eq!(Field::Likelihood.display_value("impossible"), "完全不可能");
        assert_eq!(Field::Direction.display_value("le"), "≤");
        assert_eq!(Field::Core.display_value("true"), "是");
        assert_eq!(Field::Active.display_value("false"), "停用");
        assert_eq!(Field::TargetText.display_value("≥95%"), "≥95%");
    }

    #[test]
    fn natures_from_published_columns() {
        assert_eq!(IndicatorNature::from_column("≥"), Some(IndicatorNature::Ge));
        assert_eq!(IndicatorNature::from_column("大于等于"), Some(IndicatorNature::Ge));
        assert_eq!(IndicatorNature::from_column("反向指标"), Some(IndicatorNature::Reverse));
        assert_eq!(IndicatorNature::from_column(" 正向 "), Some(IndicatorNature::Positive));
        assert_eq!(IndicatorNature::from_column("le"), Some(IndicatorNature::Le));
        assert_eq!(IndicatorNature::from_column("很好"), None);
    }
}
