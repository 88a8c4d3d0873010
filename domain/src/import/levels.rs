//! The level-name normaliser: recognises 一级 / 二级 names however the table wrote them
//! ("产 出 指 标", "数量", "产出指标(50分)", "社会效益 指标") and keeps track of the current levels
//! while rows carry them over.

use super::lines::{label_key, strip_trailing_paren};

/// What a level name can be. 成本指标 and 满意度指标 are ambiguous on their own: 成本指标 is a 一级
/// in the 2021 layout and a 二级 under 产出指标 in the 2020 layout; 满意度指标 is the 一级 and, in
/// many tables, also its only 二级 ("满意度指标 满意度指标").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    One(&'static str),
    Two(&'static str),
    Cost,
    Satisfaction,
}

pub(super) const OUTPUT: &str = "产出指标";
pub(super) const BENEFIT: &str = "效益指标";
pub(super) const SATISFACTION: &str = "满意度指标";
pub(super) const COST: &str = "成本指标";

/// 二级 names (normalised) with the 一级 they belong to.
const LEVEL2: &[(&str, &str)] = &[
    ("数量指标", OUTPUT),
    ("质量指标", OUTPUT),
    ("时效指标", OUTPUT),
    // Hubei variant: 进度指标 instead of 时效指标.
    ("进度指标", OUTPUT),
    ("经济成本指标", COST),
    ("社会成本指标", COST),
    ("生态环境成本指标", COST),
    ("经济效益指标", BENEFIT),
    ("社会效益指标", BENEFIT),
    ("生态效益指标", BENEFIT),
    ("环境效益指标", BENEFIT),
    ("可持续影响指标", BENEFIT),
    ("服务对象满意度指标", SATISFACTION),
    ("社会公众或服务对象满意度指标", SATISFACTION),
    ("社会公众满意度指标", SATISFACTION),
];

/// Recognises a level name: "产 出 指 标" → `One("产出指标")`, "数量" → `Two("数量指标")`,
/// "产出指标(50分)" → `One("产出指标")`. Anything else (an indicator name, a value) → `None`.
pub(super) fn classify(text: &str) -> Option<Level> {
    let key = label_key(text);
    // "成本指标(0-20)分": a weight range written before "分".
    let key = match key.strip_suffix('分') {
        Some(k) if k.ends_with(')') => strip_trailing_paren(k).to_owned(),
        _ => key,
    };
    let full = if key.ends_with("指标") { key } else { format!("{key}指标") };
    match full.as_str() {
        "产出指标" => Some(Level::One(OUTPUT)),
        "效益指标" => Some(Level::One(BENEFIT)),
        "成本指标" => Some(Level::Cost),
        "满意度指标" => Some(Level::Satisfaction),
        other => LEVEL2.iter().find(|(name, _)| *name == other).map(|(name, _)| Level::Two(name)),
    }
}

/// The 一级 a 二级 name belongs to ("数量指标" → "产出指标"); `None` for unknown names.
pub(super) fn parent_of(level2: &str) -> Option<&'static str> {
    LEVEL2.iter().find(|(name, _)| *name == level2).map(|(_, parent)| *parent)
}

/// A column's level name as written, normalised when it is a known name (for pipe tables, where
/// the column says which level a cell is).
pub(super) fn normalise_in_column(text: &str) -> String {
    match classify(text) {
        Some(Level::One(name)) | Some(Level::Two(name)) => name.to_owned(),
        Some(Level::Cost) => COST.to_owned(),
        Some(Level::Satisfaction) => SATISFACTION.to_owned(),
        None => label_key(text),
    }
}

/// The 一级 / 二级 names in force while reading rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct LevelState {
    pub level1: String,
    pub level2: String,
}

impl LevelState {
    /// Applies a level name met in the text. `next` is the level name that follows it directly
    /// (same line or next line), if any: "成本指标" followed by "经济成本指标" is the 2021 一级.
    ///
    /// A 二级 that does not belong to the 一级 in force (or comes before any 一级) means the table
    /// lost or moved its 一级 label (a merged cell): the 一级 is then taken from the 二级, and the
    /// `(二级, 一级)` pair is returned so that the caller can say so.
    pub fn apply(&mut self, level: Level, next: Option<Level>) -> Option<(&'static str, &'static str)> {
        match level {
            Level::One(name) => self.set_level1(name),
            Level::Two(name) => {
                let inferred = parent_of(name).filter(|parent| *parent != self.level1);
                if let Some(parent) = inferred {
                    self.level1 = parent.to_owned();
                }
                self.level2 = name.to_owned();
                return inferred.map(|parent| (name, parent));
            }
            Level::Cost => {
                let next_is_cost_level2 = matches!(next, Some(Level::Two(n)) if parent_of(n) == Some(COST));
                if next_is_cost_level2 {
                    self.set_level1(COST);
                } else if self.level1 == OUTPUT || (self.level1 == COST && self.level2.is_empty()) {
                    self.level2 = COST.to_owned();
                } else {
                    self.set_level1(COST);
                }
            }
            Level::Satisfaction => {
                if self.level1 == SATISFACTION && self.level2.is_empty() {
                    self.level2 = SATISFACTION.to_owned();
                } else {
                    self.set_level1(SATISFACTION);
                }
            }
        }
        None
    }

    fn set_level1(&mut self, name: &str) {
        self.level1 = name.to_owned();
        self.level2.clear();
    }
}

/// Reads the level names at the start of `tokens`: returns them with the number of tokens they
/// used. A level name may be spread over several tokens when the table spaced it out
/// ("产 出 指 标", "社会效益 指标"); the extra tokens must be short (one or two characters) so
/// that an indicator name is never swallowed.
pub(super) fn leading_levels(tokens: &[&str]) -> (Vec<Level>, usize) {
    let mut levels = Vec::new();
    let mut used = 0;
    while let Some((level, n)) = level_at(tokens, used) {
        levels.push(level);
        used += n;
    }
    (levels, used)
}

/// The level name that starts at `tokens[start]`, with the number of tokens it spans.
pub(super) fn level_at(tokens: &[&str], start: usize) -> Option<(Level, usize)> {
    let first = tokens.get(start)?;
    let mut joined = String::from(*first);
    let mut best = classify(first).map(|l| (l, 1));
    for n in 2..=6 {
        match tokens.get(start + n - 1) {
            Some(t) if t.chars().count() <= 2 => {
                joined.push_str(t);
                if let Some(level) = classify(&joined) {
                    best = Some((level, n));
                }
            }
            _ => break,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_written_forms() {
        assert_eq!(classify("产 出 指 标"), Some(Level::One(OUTPUT)));
        assert_eq!(classify("数量"), Some(Level::Two("数量指标")));
        assert_eq!(classify("产出指标(50分)"), Some(Level::One(OUTPUT)));
        assert_eq!(classify("经济成本"), Some(Level::Two("经济成本指标")));
        assert_eq!(classify("成本指标(0-20)分"), Some(Level::Cost));
        assert_eq!(classify("维护网站数量"), None);
        assert_eq!(classify("指标"), None);
        let (levels, used) = leading_levels(&["产", "出", "指", "标", "数量", "维护网站数量", "1个"]);
        assert_eq!(levels, [Level::One(OUTPUT), Level::Two("数量指标")]);
        assert_eq!(used, 5);
        let (levels, used) = leading_levels(&["社会效益", "指标"]);
        assert_eq!((levels, used), (vec![Level::Two("社会效益指标")], 2));
    }

    #[test]
    fn cost_and_satisfaction_follow_the_layout() {
        let mut s = LevelState::default();
        s.apply(Level::One(OUTPUT), None);
        s.apply(Level::Cost, None);
        assert_eq!((s.level1.as_str(), s.level2.as_str()), (OUTPUT, COST));
        s.apply(Level::Cost, Some(Level::Two("经济成本指标")));
        assert_eq!((s.level1.as_str(), s.level2.as_str()), (COST, ""));
        s.apply(Level::Satisfaction, None);
        s.apply(Level::Satisfaction, None);
        assert_eq!((s.level1.as_str(), s.level2.as_str()), (SATISFACTION, SATISFACTION));
        assert_eq!(s.apply(Level::Two("数量指标"), None), Some(("数量指标", OUTPUT)));
        assert_eq!((s.level1.as_str(), s.level2.as_str()), (OUTPUT, "数量指标"));
        assert_eq!(s.apply(Level::Two("质量指标"), None), None);
    }
}
