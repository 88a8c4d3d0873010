//! The project list (项目总览) as the finance bureau reads it: filters, sorting and pages, all
//! held in the page's URL (`/?year=2021&status=returned&sort=score&desc=1&page=2`) so a view can
//! be shared and the back button works. The server selects with [`select`]; the page builds its
//! links with [`ListQuery::href`]. Reading a URL never fails: a value that is not understood is
//! left out, so a hand-edited or stale link still shows a list.

use crate::vocab::{Grade, Phase, SortColumn, Status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Projects per page.
pub const PAGE_SIZE: usize = 50;

/// What the list shows: filters, order and page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// 年度.
    pub year: Option<i32>,
    /// 主管部门, by name.
    pub department: Option<String>,
    /// With `status`: the phase whose status must match (without it, any phase).
    pub phase: Option<Phase>,
    pub status: Option<Status>,
    pub grade: Option<Grade>,
    /// 自评得分 range, inclusive; projects without a score are left out when either is set.
    pub min_score: Option<Decimal>,
    pub max_score: Option<Decimal>,
    /// Searched in the project and department names (case-insensitive).
    pub text: Option<String>,
    /// `None`: by department, then project name.
    pub sort: Option<SortColumn>,
    pub descending: bool,
    /// 1-based.
    pub page: usize,
}

impl ListQuery {
    /// Reads the URL's query pairs; values not understood are ignored.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> ListQuery {
        let mut q = ListQuery::default();
        for (k, v) in pairs {
            let v = v.as_ref().trim();
            if v.is_empty() {
                continue;
            }
            match k.as_ref() {
                "year" => q.year = v.parse().ok(),
                "department" => q.department = Some(v.to_owned()),
                "phase" => q.phase = Phase::from_key(v),
                "status" => q.status = Status::from_key(v),
                "grade" => q.grade = Grade::from_key(v),
                "min" => q.min_score = parse_score(v),
                "max" => q.max_score = parse_score(v),
                "q" => q.text = Some(v.chars().take(100).collect()),
                "sort" => q.sort = SortColumn::from_key(v),
                "desc" => q.descending = v == "1",
                "page" => q.page = v.parse().unwrap_or(1),
                _ => {}
            }
        }
        q
    }

    /// Reads a query string (without the `?`).
    pub fn from_query(query: &str) -> ListQuery {
        ListQuery::from_pairs(form_urlencoded::parse(query.as_bytes()))
    }

    /// The query string of this view (only what differs from the default), without the `?`.
    pub fn to_query(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(y) = self.year {
            s.append_pair("year", &y.to_string());
        }
        if let Some(d) = &self.department {
            s.append_pair("department", d);
        }
        if let Some(p) = self.phase {
            s.append_pair("phase", p.key());
        }
        if let Some(st) = self.status {
            s.append_pair("status", st.key());
        }
        if let Some(g) = self.grade {
            s.append_pair("grade", g.key());
        }
        if let Some(m) = self.min_score {
            s.append_pair("min", &m.normalize().to_string());
        }
        if let Some(m) = self.max_score {
            s.append_pair("max", &m.normalize().to_string());
        }
        if let Some(t) = &self.text {
            s.append_pair("q", t);
        }
        if let Some(c) = self.sort {
            s.append_pair("sort", c.key());
        }
        if self.descending {
            s.append_pair("desc", "1");
        }
        if self.page > 1 {
            s.append_pair("page", &self.page.to_string());
        }
        s.finish()
    }

    /// The link to this view from `path`.
    pub fn href(&self, path: &str) -> String {
        match self.to_query() {
            q if q.is_empty() => path.to_owned(),
            q => format!("{path}?{q}"),
        }
    }

    /// The view sorted by `column`: the same column again reverses the order; a new one starts
    /// with its natural order (names ascending, figures descending). Back to page 1.
    pub fn sorted_by(&self, column: SortColumn) -> ListQuery {
        let descending = if self.sort == Some(column) { !self.descending } else { starts_descending(column) };
        ListQuery { sort: Some(column), descending, page: 1, ..self.clone() }
    }

    /// The same view at another page.
    pub fn at_page(&self, page: usize) -> ListQuery {
        ListQuery { page, ..self.clone() }
    }

    /// Whether any filter is set (the list says so when nothing matches).
    pub fn is_filtered(&self) -> bool {
        self.year.is_some()
            || self.department.is_some()
            || self.status.is_some()
            || self.grade.is_some()
            || self.min_score.is_some()
            || self.max_score.is_some()
            || self.text.is_some()
    }
}

fn parse_score(v: &str) -> Option<Decimal> {
    v.parse::<Decimal>().ok().filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
}

fn starts_descending(column: SortColumn) -> bool {
    matches!(
        column,
        SortColumn::Year | SortColumn::Funds | SortColumn::Indicators | SortColumn::Execution | SortColumn::Score
    )
}

/// What the list needs to know of a row.
pub trait Listed {
    fn year(&self) -> i32;
    fn department(&self) -> &str;
    fn name(&self) -> &str;
    /// 年度资金总额 (万元).
    fn funds(&self) -> Decimal;
    fn indicators(&self) -> u64;
    fn status(&self, phase: Phase) -> Option<Status>;
    fn execution_rate(&self) -> Option<Decimal>;
    fn score(&self) -> Option<Decimal>;
    fn grade(&self) -> Option<Grade>;
}

/// One department's line under the list: over every matching project, not only this page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentTotal {
    pub department: String,
    pub projects: usize,
    /// 万元.
    pub funds: Decimal,
    /// Projects with a score.
    pub scored: usize,
    pub average_score: Option<Decimal>,
}

/// One page of the list with the totals of everything that matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection<T> {
    pub rows: Vec<T>,
    /// How many projects matched the filters.
    pub matched: usize,
    /// The page shown (clamped to the pages there are), 1-based.
    pub page: usize,
    pub pages: usize,
    /// 万元, over every matching project.
    pub funds_total: Decimal,
    /// By department name.
    pub departments: Vec<DepartmentTotal>,
}

/// A department with its 主管部门, for the department filter's tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: i32,
    pub name: String,
    pub parent_id: Option<i32>,
}

/// A department as the filter offers it: indented under its 主管部门.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOption {
    pub name: String,
    /// 0 for a top-level 主管部门, 1 for a unit under it, …
    pub depth: usize,
}

/// The departments in tree order — each 主管部门 followed by the units under it, by name — keeping
/// only those `keep` accepts and the 主管部门 above them. A unit whose parent is unknown (or
/// that sits in a loop) is treated as top-level.
pub fn tree_order(units: &[Unit], keep: impl Fn(&Unit) -> bool) -> Vec<UnitOption> {
    let unknown = |id: Option<i32>| id.is_none_or(|p| !units.iter().any(|u| u.id == p));
    let mut roots: Vec<&Unit> = units.iter().filter(|u| unknown(u.parent_id) || in_loop(units, u)).collect();
    fn walk<'a>(
        units: &'a [Unit],
        u: &'a Unit,
        depth: usize,
        keep: &dyn Fn(&Unit) -> bool,
        seen: &mut Vec<i32>,
        out: &mut Vec<UnitOption>,
    ) -> bool {
        if seen.contains(&u.id) {
            return false;
        }
        seen.push(u.id);
        let at = out.len();
        let mut children: Vec<&Unit> = units.iter().filter(|c| c.parent_id == Some(u.id) && c.id != u.id).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        let mut any = false;
        out.push(UnitOption { name: u.name.clone(), depth });
        for c in children {
            any |= walk(units, c, depth + 1, keep, seen, out);
        }
        if any || keep(u) {
            true
        } else {
            out.truncate(at);
            false
        }
    }
    roots.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for r in roots {
        walk(units, r, 0, &keep, &mut seen, &mut out);
    }
    out
}

fn in_loop(units: &[Unit], u: &Unit) -> bool {
    let mut at = u.parent_id;
    for _ in 0..=units.len() {
        match at {
            None => return false,
            Some(id) if id == u.id => return true,
            Some(id) => at = units.iter().find(|p| p.id == id).and_then(|p| p.parent_id),
        }
    }
    true
}

/// The names of department `name` and of every unit under it (just `name` when it is unknown).
pub fn subtree(units: &[Unit], name: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::from([name.to_owned()]);
    let mut frontier: Vec<i32> = units.iter().filter(|u| u.name == name).map(|u| u.id).collect();
    let mut seen: Vec<i32> = frontier.clone();
    while let Some(id) = frontier.pop() {
        for c in units.iter().filter(|c| c.parent_id == Some(id)) {
            if !seen.contains(&c.id) {
                seen.push(c.id);
                out.insert(c.name.clone());
                frontier.push(c.id);
            }
        }
    }
    out
}

/// Filters, sorts and pages `rows`; the department filter matches that department only.
pub fn select<T: Listed>(rows: Vec<T>, query: &ListQuery) -> Selection<T> {
    select_within(rows, query, &[])
}

/// Like [`select`], but the department filter also matches the units under it in `units`
/// (a 主管部门 shows its 预算单位's projects too).
pub fn select_within<T: Listed>(rows: Vec<T>, query: &ListQuery, units: &[Unit]) -> Selection<T> {
    let text = query.text.as_deref().map(str::to_lowercase);
    let within = query.department.as_deref().map(|d| subtree(units, d));
    let mut rows: Vec<T> = rows.into_iter().filter(|r| matches(r, query, within.as_ref(), text.as_deref())).collect();
    rows.sort_by(|a, b| compare(a, b, query));
    let matched = rows.len();
    let pages = matched.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let funds_total = rows.iter().map(Listed::funds).sum();
    let mut departments: Vec<DepartmentTotal> = Vec::new();
    let mut sums: Vec<Decimal> = Vec::new();
    let mut by_name: std::collections::BTreeMap<String, usize> = Default::default();
    for r in &rows {
        let i = *by_name.entry(r.department().to_owned()).or_insert_with(|| {
            departments.push(DepartmentTotal {
                department: r.department().to_owned(),
                projects: 0,
                funds: Decimal::ZERO,
                scored: 0,
                average_score: None,
            });
            sums.push(Decimal::ZERO);
            departments.len() - 1
        });
        let d = &mut departments[i];
        d.projects += 1;
        d.funds += r.funds();
        if let Some(s) = r.score() {
            d.scored += 1;
            sums[i] += s;
        }
    }
    for (d, sum) in departments.iter_mut().zip(sums) {
        if d.scored > 0 {
            d.average_score = Some((sum / Decimal::from(d.scored)).round_dp(2));
        }
    }
    departments.sort_by(|a, b| a.department.cmp(&b.department));
    let rows = rows.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    Selection { rows, matched, page, pages, funds_total, departments }
}

fn matches<T: Listed>(r: &T, q: &ListQuery, within: Option<&BTreeSet<String>>, text: Option<&str>) -> bool {
    if q.year.is_some_and(|y| y != r.year()) {
        return false;
    }
    if within.is_some_and(|names| !names.contains(r.department())) {
        return false;
    }
    if let Some(status) = q.status {
        let hit = match q.phase {
            Some(phase) => r.status(phase) == Some(status),
            None => Phase::ALL.iter().any(|p| r.status(*p) == Some(status)),
        };
        if !hit {
            return false;
        }
    }
    if q.grade.is_some() && r.grade() != q.grade {
        return false;
    }
    if q.min_score.is_some() || q.max_score.is_some() {
        let Some(s) = r.score() else { return false };
        if q.min_score.is_some_and(|m| s < m) || q.max_score.is_some_and(|m| s > m) {
            return false;
        }
    }
    if let Some(t) = text {
        if !r.name().to_lowercase().contains(t) && !r.department().to_lowercase().contains(t) {
            return false;
        }
    }
    true
}

/// Orders by the query's column (missing values last in either direction), then by department,
/// name and year so that pages are stable.
fn compare<T: Listed>(a: &T, b: &T, q: &ListQuery) -> Ordering {
    fn opt<V: Ord>(a: Option<V>, b: Option<V>, descending: bool) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => {
                if descending {
                    b.cmp(&a)
                } else {
                    a.cmp(&b)
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    fn status_rank(s: Option<Status>) -> Option<usize> {
        s.and_then(|s| Status::ALL.iter().position(|x| *x == s))
    }
    let d = q.descending;
    let primary = match q.sort {
        None => Ordering::Equal,
        Some(SortColumn::Year) => opt(Some(a.year()), Some(b.year()), d),
        Some(SortColumn::Department) => opt(Some(a.department()), Some(b.department()), d),
        Some(SortColumn::Name) => opt(Some(a.name()), Some(b.name()), d),
        Some(SortColumn::Funds) => opt(Some(a.funds()), Some(b.funds()), d),
        Some(SortColumn::Indicators) => opt(Some(a.indicators()), Some(b.indicators()), d),
        Some(SortColumn::Declaration) => {
            opt(status_rank(a.status(Phase::Declaration)), status_rank(b.status(Phase::Declaration)), d)
        }
        Some(SortColumn::Monitoring) => {
            opt(status_rank(a.status(Phase::Monitoring)), status_rank(b.status(Phase::Monitoring)), d)
        }
        Some(SortColumn::Evaluation) => {
            opt(status_rank(a.status(Phase::SelfEvaluation)), status_rank(b.status(Phase::SelfEvaluation)), d)
        }
        Some(SortColumn::Execution) => opt(a.execution_rate(), b.execution_rate(), d),
        Some(SortColumn::Score) => opt(a.score(), b.score(), d),
    };
    primary
        .then_with(|| a.department().cmp(b.department()))
        .then_with(|| a.name().cmp(b.name()))
        .then_with(|| b.year().cmp(&a.year()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[derive(Clone, Debug, PartialEq)]
    struct Row {
        year: i32,
        department: &'static str,
        name: &'static str,
        funds: Decimal,
        evaluation: Status,
        score: Option<Decimal>,
    }

    impl Listed for Row {
        fn year(&self) -> i32 {
            self.year
        }
        fn department(&self) -> &str {
            self.department
        }
        fn name(&self) -> &str {
            self.name
        }
        fn funds(&self) -> Decimal {
            self.funds
        }
        fn indicators(&self) -> u64 {
            15
        }
        fn status(&self, phase: Phase) -> Option<Status> {
            match phase {
                Phase::SelfEvaluation => Some(self.evaluation),
                Phase::Declaration => Some(Status::Approved),
                Phase::Monitoring => Some(Status::Filling),
            }
        }
        fn execution_rate(&self) -> Option<Decimal> {
            None
        }
        fn score(&self) -> Option<Decimal> {
            self.score
        }
        fn grade(&self) -> Option<Grade> {
            self.score.map(|s| if s >= dec!(90) { Grade::Excellent } else { Grade::Good })
        }
    }

    fn rows() -> Vec<Row> {
        let row =
            |department, name, funds, evaluation, score| Row { year: 2021, department, name, funds, evaluation, score };
        vec![
            row("教育局", "校舍维修", dec!(30), Status::Returned, Some(dec!(85))),
            row("电子政务办", "网站运维", dec!(4), Status::Submitted, Some(dec!(97.68))),
            row("教育局", "营养餐", dec!(120), Status::Draft, None),
            row("电子政务办", "政务云", dec!(50), Status::Returned, Some(dec!(91))),
        ]
    }

    fn names(s: &Selection<Row>) -> Vec<&'static str> {
        s.rows.iter().map(|r| r.name).collect()
    }

    #[test]
    fn url_round_trip_keeps_every_filter_and_ignores_nonsense() {
        let q = ListQuery::from_query(
            "year=2021&department=%E6%95%99%E8%82%B2%E5%B1%80&phase=self_evaluation&status=returned&grade=%E4%BC%98\
             &min=80&max=95.5&q=a%26b&sort=score&desc=1&page=3",
        );
        assert_eq!(q.year, Some(2021));
        assert_eq!(q.department.as_deref(), Some("教育局"));
        assert_eq!(q.phase, Some(Phase::SelfEvaluation));
        assert_eq!(q.status, Some(Status::Returned));
        assert_eq!(q.grade, Some(Grade::Excellent));
        assert_eq!((q.min_score, q.max_score), (Some(dec!(80)), Some(dec!(95.5))));
        assert_eq!(q.text.as_deref(), Some("a&b"));
        assert_eq!((q.sort, q.descending, q.page), (Some(SortColumn::Score), true, 3));
        assert_eq!(ListQuery::from_query(&q.to_query()), q);
        assert!(q.href("/").starts_with("/?year=2021&department=%E6%95%99"));

        let junk = ListQuery::from_query("year=abc&status=bogus&min=-5&max=1000&sort=evil&page=x&other=1");
        assert_eq!(junk, ListQuery { page: 1, ..Default::default() });
        assert!(!junk.is_filtered());
        assert_eq!(ListQuery::default().href("/"), "/");
    }

    #[test]
    fn filters_combine_and_totals_cover_every_matching_project() {
        let q = ListQuery { status: Some(Status::Returned), ..Default::default() };
        let s = select(rows(), &q);
        assert_eq!(names(&s), ["校舍维修", "政务云"]);
        assert_eq!(s.matched, 2);
        assert_eq!(s.funds_total, dec!(80));

        let q = ListQuery { phase: Some(Phase::Declaration), status: Some(Status::Returned), ..Default::default() };
        assert_eq!(select(rows(), &q).matched, 0);

        let q = ListQuery { min_score: Some(dec!(90)), ..Default::default() };
        assert_eq!(names(&select(rows(), &q)), ["政务云", "网站运维"]);
        let q = ListQuery { grade: Some(Grade::Good), ..Default::default() };
        assert_eq!(names(&select(rows(), &q)), ["校舍维修"]);
        let q = ListQuery { text: Some("政务".into()), ..Default::default() };
        assert_eq!(select(rows(), &q).matched, 2, "matches the department name too");

        let all = select(rows(), &ListQuery::default());
        let edu = all.departments.iter().find(|d| d.department == "教育局").unwrap();
        assert_eq!((edu.projects, edu.funds, edu.scored, edu.average_score), (2, dec!(150), 1, Some(dec!(85))));
        let gov = all.departments.iter().find(|d| d.department == "电子政务办").unwrap();
        assert_eq!(gov.average_score, Some(dec!(94.34)));
    }

    #[test]
    fn sorting_puts_missing_values_last_and_toggles() {
        let q = ListQuery::default().sorted_by(SortColumn::Score);
        assert!(q.descending, "scores start highest first");
        assert_eq!(names(&select(rows(), &q)), ["网站运维", "政务云", "校舍维修", "营养餐"]);
        let q = q.sorted_by(SortColumn::Score);
        assert!(!q.descending);
        assert_eq!(names(&select(rows(), &q)), ["校舍维修", "政务云", "网站运维", "营养餐"]);
        let q = q.sorted_by(SortColumn::Name).at_page(2).sorted_by(SortColumn::Name);
        assert_eq!(q.page, 1, "a new order starts at page 1");
        assert_eq!(names(&select(rows(), &q))[0], "营养餐");
        // Default: by department, then name.
        assert_eq!(names(&select(rows(), &ListQuery::default())), ["校舍维修", "营养餐", "政务云", "网站运维"]);
    }

    #[test]
    fn pages_are_clamped() {
        let many: Vec<Row> = (0..(PAGE_SIZE * 2 + 3))
            .map(|i| Row {
                year: 2021,
                department: "教育局",
                name: Box::leak(format!("项目{i:04}").into_boxed_str()),
                funds: Decimal::ONE,
                evaluation: Status::Draft,
                score: None,
            })
            .collect();
        let s = select(many.clone(), &ListQuery { page: 3, ..Default::default() });
        assert_eq!((s.pages, s.page, s.rows.len(), s.matched), (3, 3, 3, PAGE_SIZE * 2 + 3));
        assert_eq!(s.rows[0].name, format!("项目{:04}", PAGE_SIZE * 2));
        let s = select(many, &ListQuery { page: 99, ..Default::default() });
        assert_eq!(s.page, 3);
        let s = select(Vec::<Row>::new(), &ListQuery::default());
        assert_eq!((s.pages, s.page, s.matched), (1, 1, 0));
    }

    #[test]
    fn a_head_department_filter_includes_its_units() {
        let u = |id, name: &str, parent| Unit { id, name: name.into(), parent_id: parent };
        let units = vec![
            u(1, "教育局", None),
            u(2, "第一中学", Some(1)),
            u(3, "第二中学", Some(1)),
            u(4, "政务办", None),
            u(5, "信息中心", Some(4)),
            u(6, "孤儿单位", Some(99)),
            u(7, "环甲", Some(8)),
            u(8, "环乙", Some(7)),
        ];
        assert_eq!(subtree(&units, "教育局"), BTreeSet::from(["教育局".into(), "第一中学".into(), "第二中学".into()]));
        assert_eq!(subtree(&units, "未知"), BTreeSet::from(["未知".into()]));
        assert_eq!(subtree(&units, "环甲").len(), 2, "a loop ends");
        let all: Vec<(usize, String)> = tree_order(&units, |_| true).into_iter().map(|o| (o.depth, o.name)).collect();
        assert_eq!(all.iter().filter(|(d, _)| *d == 0).count(), 4, "a loop is entered once: {all:?}");
        let pos = |n: &str| all.iter().position(|(_, x)| x == n).unwrap();
        assert!(pos("教育局") < pos("第一中学") && all[pos("第一中学")].0 == 1);
        assert_eq!(all.len(), 8, "every unit once: {all:?}");
        let only: Vec<String> = tree_order(&units, |u| u.name == "信息中心").into_iter().map(|o| o.name).collect();
        assert_eq!(only, ["政务办", "信息中心"], "kept units with the heads above them");

        let rows = rows();
        let mut by_unit = rows.clone();
        by_unit[0].department = "第一中学";
        let q = ListQuery { department: Some("教育局".into()), ..Default::default() };
        let school = vec![u(1, "教育局", None), u(2, "第一中学", Some(1))];
        let hits = select_within(by_unit.clone(), &q, &school).matched;
        assert_eq!(hits, select(rows, &q).matched, "the unit's project counts under its head");
        assert_eq!(select(by_unit, &q).matched + 1, hits, "without the tree: exact name only");
    }
}
