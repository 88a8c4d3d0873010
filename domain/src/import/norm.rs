//! Normalisation for matching only: traditional characters to simplified (a small hand table of
//! the characters these tables use) and the pinyin annotations some mirror sites glue into words
//! ("產(chǎn)出指標(biāo)" → "产出指标"). The text as written is always kept; only look-up keys
//! (titles, labels, column names, level names) go through [`for_matching`].

/// Traditional → simplified for the characters that occur in 绩效目标表 / 自评表 / 监控表.
const TRAD: &[(char, char)] = &[
    ('績', '绩'),
    ('標', '标'),
    ('產', '产'),
    ('滿', '满'),
    ('數', '数'),
    ('質', '质'),
    ('時', '时'),
    ('經', '经'),
    ('濟', '济'),
    ('會', '会'),
    ('態', '态'),
    ('環', '环'),
    ('續', '续'),
    ('響', '响'),
    ('務', '务'),
    ('對', '对'),
    ('項', '项'),
    ('預', '预'),
    ('級', '级'),
    ('評', '评'),
    ('價', '价'),
    ('計', '计'),
    ('單', '单'),
    ('總', '总'),
    ('額', '额'),
    ('資', '资'),
    ('財', '财'),
    ('撥', '拨'),
    ('門', '门'),
    ('實', '实'),
    ('際', '际'),
    ('現', '现'),
    ('準', '准'),
    ('說', '说'),
    ('備', '备'),
    ('註', '注'),
    ('權', '权'),
    ('稱', '称'),
    ('體', '体'),
    ('專', '专'),
    ('執', '执'),
    ('監', '监'),
    ('進', '进'),
    ('報', '报'),
    ('類', '类'),
    ('負', '负'),
    ('責', '责'),
    ('職', '职'),
    ('視', '视'),
    ('於', '于'),
    ('與', '与'),
    ('為', '为'),
    ('開', '开'),
    ('據', '据'),
    ('號', '号'),
    ('測', '测'),
    ('審', '审'),
    ('達', '达'),
    ('營', '营'),
    ('運', '运'),
    ('轉', '转'),
    ('萬', '万'),
    ('億', '亿'),
    ('員', '员'),
    ('戶', '户'),
    ('個', '个'),
    ('場', '场'),
    ('臺', '台'),
    ('檯', '台'),
    ('條', '条'),
    ('幾', '几'),
    ('張', '张'),
    ('處', '处'),
    ('間', '间'),
    ('導', '导'),
    ('選', '选'),
    ('內', '内'),
    ('區', '区'),
    ('縣', '县'),
    ('鄉', '乡'),
    ('鎮', '镇'),
    ('長', '长'),
    ('來', '来'),
    ('發', '发'),
    ('係', '系'),
    ('則', '则'),
    ('傳', '传'),
    ('護', '护'),
    ('維', '维'),
    ('費', '费'),
    ('貼', '贴'),
    ('補', '补'),
    ('夠', '够'),
    ('當', '当'),
    ('結', '结'),
    ('餘', '余'),
    ('調', '调'),
    ('齊', '齐'),
    ('礎', '础'),
    ('設', '设'),
    ('將', '将'),
    ('創', '创'),
    ('證', '证'),
    ('認', '认'),
    ('鑒', '鉴'),
    ('鑑', '鉴'),
];

fn simplified(c: char) -> char {
    TRAD.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s)
}

/// A pinyin annotation glued into a word by a mirror site: "(chǎn)", "(biāo)", "(jiān)". Only
/// lower-case Latin letters (with tone marks), 1–7 of them, inside ASCII brackets.
fn is_annotation(inner: &str) -> bool {
    let n = inner.chars().count();
    (1..=7).contains(&n)
        && inner.chars().all(|c| c.is_ascii_lowercase() || ('\u{00E0}'..='\u{01DC}').contains(&c))
        && inner.chars().any(|c| !c.is_ascii_lowercase() || "aeiouv".contains(c))
}

/// `s` without pinyin annotations, traditional characters simplified: a key for matching.
pub(crate) fn for_matching(s: &str) -> String {
    matching_chars(s).into_iter().map(|(c, _)| c).collect()
}

/// A name as a key for matching names typed by different people: no whitespace, full-width
/// letters, digits and brackets half-width, traditional characters simplified, pinyin
/// annotations dropped. "受益群众 满意度（%）" and "受益群眾滿意度(%)" have the same key.
pub fn name_key(s: &str) -> String {
    let half: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    for_matching(&half)
}

/// The characters of [`for_matching`], each with the index (in `s.chars()`) of the character it
/// came from, so that a match in the key can be mapped back to the text as written.
pub(super) fn matching_chars(s: &str) -> Vec<(char, usize)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '(' {
            if let Some(close) = chars.iter().skip(i + 1).position(|&x| x == ')') {
                let inner: String = chars.iter().skip(i + 1).take(close).collect();
                if is_annotation(&inner) {
                    i += close + 2;
                    continue;
                }
            }
        }
        out.push((simplified(c), i));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplifies_and_drops_annotations() {
        assert_eq!(for_matching("產(chǎn)出指標(biāo)"), "产出指标");
        assert_eq!(for_matching("績效目標表"), "绩效目标表");
        assert_eq!(for_matching("滿意度指標"), "满意度指标");
        assert_eq!(for_matching("項目支出(2021年)"), "项目支出(2021年)");
        assert_eq!(for_matching("成本(万元)"), "成本(万元)");
        assert_eq!(for_matching("指标值(abc)"), "指标值");
    }
}
