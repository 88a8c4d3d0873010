//! 待办: what each project still owes in its year — phases not submitted, returned and not yet
//! submitted again, and overdue — measured against the deadlines the administrator sets on the
//! fiscal year (申报截止, 监控截止, 自评截止). Pure: the caller passes today's date.
//!
//! A phase is owed when it is open (草稿 / 填报中 / 退回) and due:
//! - 目标申报 is always due;
//! - 运行监控 and 绩效自评 are due once 目标申报 is 已批复 (before that they cannot be filled in)
//!   and their deadline is set (the bureau has called for them) — or they were returned;
//! - it is overdue once its deadline has passed (the deadline day itself is still on time).

use crate::input::Invalid;
use crate::vocab::{Field, Phase, Status, TodoKind};
use crate::workflow::phase_available;
use chrono::Datelike;
pub use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A date as users read and type it, `2021-03-31`. Written by hand rather than with chrono's
/// general formatter and parser, which would add tens of KiB to the browser's bundle.
pub fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Reads `2021-03-31` (also `2021-3-31`); `None` when it is not a date of the calendar.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || parts.next().filter(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    let (y, m, d) = (next()?.parse().ok()?, next()?.parse().ok()?, next()?.parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Serde for a date as `2021-03-31` ([`date_text`], [`parse_date`]).
pub mod iso_date {
    use super::{date_text, parse_date, NaiveDate};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&date_text(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        parse_date(&text).ok_or_else(|| D::Error::custom(format!("not a date: {text}")))
    }
}

/// [`iso_date`] for an optional date (`null` when absent).
pub mod iso_date_opt {
    use super::{date_text, parse_date, NaiveDate};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&date_text(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(text) => parse_date(&text).map(Some).ok_or_else(|| D::Error::custom(format!("not a date: {text}"))),
            None => Ok(None),
        }
    }
}

/// A fiscal year's deadline per phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    #[serde(with = "iso_date_opt")]
    pub declaration: Option<NaiveDate>,
    #[serde(with = "iso_date_opt")]
    pub monitoring: Option<NaiveDate>,
    #[serde(with = "iso_date_opt")]
    pub self_evaluation: Option<NaiveDate>,
}

impl Deadlines {
    pub fn of(&self, phase: Phase) -> Option<NaiveDate> {
        match phase {
            Phase::Declaration => self.declaration,
            Phase::Monitoring => self.monitoring,
            Phase::SelfEvaluation => self.self_evaluation,
        }
    }

    pub fn set(&mut self, phase: Phase, date: Option<NaiveDate>) {
        match phase {
            Phase::Declaration => self.declaration = date,
            Phase::Monitoring => self.monitoring = date,
            Phase::SelfEvaluation => self.self_evaluation = date,
        }
    }
}

/// The audited field of a phase's deadline.
pub fn deadline_field(phase: Phase) -> Field {
    match phase {
        Phase::Declaration => Field::DeclarationDeadline,
        Phase::Monitoring => Field::MonitoringDeadline,
        Phase::SelfEvaluation => Field::SelfEvaluationDeadline,
    }
}

/// Reads `phase`'s deadline as typed in a date field (`2021-06-30`, also `2021/6/30` and
/// `2021年6月30日`); empty clears it. Refused when the text is not a date of the fiscal year or the
/// one after (a 自评 deadline falls in the following spring).
pub fn parse_deadline(phase: Phase, text: &str, fiscal_year: i32) -> Result<Option<NaiveDate>, Invalid> {
    let field = deadline_field(phase);
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let date =
        crate::value::read_date(t).ok_or_else(|| Invalid::NotADate { field, text: t.chars().take(40).collect() })?;
    let year = date.year();
    if year != fiscal_year && year != fiscal_year + 1 {
        return Err(Invalid::DateOutsideYear { field, fiscal_year });
    }
    Ok(Some(date))
}

/// One phase a project still owes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owed {
    pub phase: Phase,
    pub status: Status,
    #[serde(with = "iso_date_opt")]
    pub deadline: Option<NaiveDate>,
    /// Days past the deadline; `None` when it has not passed (or there is none).
    pub days_overdue: Option<i64>,
}

impl Owed {
    /// The kind it is counted as: overdue first, then returned, then not submitted.
    pub fn kind(&self) -> TodoKind {
        if self.days_overdue.is_some() {
            TodoKind::Overdue
        } else if self.status == Status::Returned {
            TodoKind::Returned
        } else {
            TodoKind::NotSubmitted
        }
    }
}

/// What a project owes, in cycle order. `status` gives each phase's current status.
pub fn owed(status: impl Fn(Phase) -> Status, deadlines: &Deadlines, today: NaiveDate) -> Vec<Owed> {
    let declaration = status(Phase::Declaration);
    Phase::ALL
        .iter()
        .copied()
        .filter(|p| phase_available(*p, declaration))
        .filter_map(|phase| {
            let status = status(phase);
            let deadline = deadlines.of(phase);
            let due = match status {
                Status::Returned => true,
                Status::Draft | Status::Filling => phase == Phase::Declaration || deadline.is_some(),
                _ => false,
            };
            due.then(|| Owed {
                phase,
                status,
                deadline,
                days_overdue: deadline.filter(|d| today > *d).map(|d| (today - d).num_days()),
            })
        })
        .collect()
}

/// How many owed phases of each kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub not_submitted: usize,
    pub returned: usize,
    pub overdue: usize,
}

impl Counts {
    pub fn add(&mut self, owed: &Owed) {
        match owed.kind() {
            TodoKind::NotSubmitted => self.not_submitted += 1,
            TodoKind::Returned => self.returned += 1,
            TodoKind::Overdue => self.overdue += 1,
        }
    }

    pub fn of(&self, kind: TodoKind) -> usize {
        match kind {
            TodoKind::NotSubmitted => self.not_submitted,
            TodoKind::Returned => self.returned,
            TodoKind::Overdue => self.overdue,
        }
    }

    pub fn total(&self) -> usize {
        self.not_submitted + self.returned + self.overdue
    }
}

/// A project with what it owes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoProject {
    pub id: i32,
    pub name: String,
    pub department: String,
    pub owed: Vec<Owed>,
}

/// One department's projects that owe something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoGroup {
    pub department: String,
    pub counts: Counts,
    pub projects: Vec<TodoProject>,
}

/// Groups the projects that owe something by department: departments with overdue items first
/// (most first), then by name; projects most overdue first, then by name.
pub fn group(projects: Vec<TodoProject>) -> (Vec<TodoGroup>, Counts) {
    let mut total = Counts::default();
    let mut groups: Vec<TodoGroup> = Vec::new();
    for p in projects.into_iter().filter(|p| !p.owed.is_empty()) {
        let g = match groups.iter().position(|g| g.department == p.department) {
            Some(i) => &mut groups[i],
            None => {
                groups.push(TodoGroup {
                    department: p.department.clone(),
                    counts: Counts::default(),
                    projects: vec![],
                });
                groups.last_mut().expect("just pushed")
            }
        };
        for o in &p.owed {
            g.counts.add(o);
            total.add(o);
        }
        g.projects.push(p);
    }
    let most_overdue = |p: &TodoProject| p.owed.iter().filter_map(|o| o.days_overdue).max().unwrap_or(-1);
    for g in &mut groups {
        g.projects.sort_by(|a, b| most_overdue(b).cmp(&most_overdue(a)).then_with(|| a.name.cmp(&b.name)));
    }
    groups.sort_by(|a, b| b.counts.overdue.cmp(&a.counts.overdue).then_with(|| a.department.cmp(&b.department)));
    (groups, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn dates_read_and_written_as_users_type_them() {
        let date = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        assert_eq!(date_text(date), "2021-03-01");
        assert_eq!(parse_date("2021-3-1"), Some(date));
        for bad in ["2021-02-29", "2021-03", "2021-03-01-2", "+2021-03-01", "2021-0x-01", "", "20210-1-1"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        let dl = Deadlines { monitoring: Some(date), ..Default::default() };
        let json = serde_json::to_string(&dl).unwrap();
        assert_eq!(json, r#"{"declaration":null,"monitoring":"2021-03-01","self_evaluation":null}"#);
        assert_eq!(serde_json::from_str::<Deadlines>(&json).unwrap(), dl);
        assert!(serde_json::from_str::<Deadlines>(r#"{"declaration":"2021-13-01"}"#).is_err());
    }

    fn statuses(decl: Status, mon: Status, eval: Status) -> impl Fn(Phase) -> Status {
        move |p| match p {
            Phase::Declaration => decl,
            Phase::Monitoring => mon,
            Phase::SelfEvaluation => eval,
        }
    }

    #[test]
    fn a_draft_declaration_is_owed_and_overdue_after_its_deadline_only() {
        let mut dl = Deadlines::default();
        let s = statuses(Status::Draft, Status::Filling, Status::Draft);
        let o = owed(&s, &dl, d("2021-03-01"));
        assert_eq!(o.len(), 1, "monitoring and 自评 are not open before 已批复");
        assert_eq!((o[0].phase, o[0].kind()), (Phase::Declaration, TodoKind::NotSubmitted));
        dl.declaration = Some(d("2021-03-31"));
        assert_eq!(owed(&s, &dl, d("2021-03-31"))[0].days_overdue, None, "the deadline day is on time");
        let late = owed(&s, &dl, d("2021-04-03"));
        assert_eq!((late[0].kind(), late[0].days_overdue), (TodoKind::Overdue, Some(3)));
    }

    #[test]
    fn later_phases_are_owed_once_called_for_or_returned() {
        let mut dl = Deadlines::default();
        let approved = statuses(Status::Approved, Status::Filling, Status::Draft);
        assert!(owed(&approved, &dl, d("2021-08-01")).is_empty(), "no deadline: not called for yet");
        dl.monitoring = Some(d("2021-08-10"));
        let o = owed(&approved, &dl, d("2021-08-01"));
        assert_eq!(o.iter().map(|o| o.phase).collect::<Vec<_>>(), vec![Phase::Monitoring]);
        let returned = statuses(Status::Approved, Status::Reviewed, Status::Returned);
        let o = owed(&returned, &dl, d("2021-12-01"));
        assert_eq!((o.len(), o[0].phase, o[0].kind()), (1, Phase::SelfEvaluation, TodoKind::Returned));
        let done = statuses(Status::Approved, Status::Submitted, Status::UnderReview);
        assert!(owed(&done, &dl, d("2022-05-01")).is_empty(), "submitted phases owe nothing");
    }

    #[test]
    fn groups_count_by_kind_with_the_most_overdue_first() {
        let item = |status, days| Owed { phase: Phase::Declaration, status, deadline: None, days_overdue: days };
        let p = |id, name: &str, dept: &str, owed| TodoProject { id, name: name.into(), department: dept.into(), owed };
        let (groups, total) = group(vec![
            p(1, "甲", "教育局", vec![item(Status::Draft, None)]),
            p(2, "乙", "卫健委", vec![item(Status::Returned, None)]),
            p(3, "丙", "卫健委", vec![item(Status::Draft, Some(5))]),
            p(4, "丁", "教育局", vec![]),
        ]);
        assert_eq!(groups.iter().map(|g| g.department.as_str()).collect::<Vec<_>>(), ["卫健委", "教育局"]);
        assert_eq!(groups[0].projects.iter().map(|p| p.id).collect::<Vec<_>>(), [3, 2]);
        assert_eq!(total, Counts { not_submitted: 1, returned: 1, overdue: 1 });
        assert_eq!(groups[1].projects.len(), 1, "a project owing nothing is left out");
    }

    #[test]
    fn deadlines_are_read_as_users_type_them() {
        let p = |t| parse_deadline(Phase::SelfEvaluation, t, 2021);
        assert_eq!(p("2021-06-30"), Ok(Some(d("2021-06-30"))));
        assert_eq!(p("2022年3月31日"), Ok(Some(d("2022-03-31"))));
        assert_eq!(p("２０２１/7/1"), Ok(Some(d("2021-07-01"))));
        assert_eq!(p("  "), Ok(None));
        assert_eq!(p("2021-02-30").unwrap_err().to_string(), "“自评截止”应为日期（如 2021-06-30），而不是“2021-02-30”");
        assert_eq!(p("2019-01-01").unwrap_err().to_string(), "“自评截止”应在2021年或2022年内");
    }
}
