//! The 三级指标体系: flat indicator rows grouped under their 一级 and 二级 names, in the order the
//! table lists them.

use serde::{Deserialize, Serialize};

/// A 一级指标 group (产出指标, 效益指标, 满意度指标, 成本指标) with its 二级 groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level1<T> {
    pub name: String,
    pub groups: Vec<Level2<T>>,
}

/// A 二级指标 group (数量指标, 质量指标 …) with its 三级 rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level2<T> {
    pub name: String,
    pub rows: Vec<T>,
}

impl<T> Level1<T> {
    /// Number of 三级 indicators in this group.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Groups rows by their 一级 and 二级 names. Groups appear in order of first appearance; a name
/// that reappears later (a table that interleaves levels) joins its existing group.
pub fn group<T>(rows: impl IntoIterator<Item = T>, levels: impl Fn(&T) -> (&str, &str)) -> Vec<Level1<T>> {
    let mut tree: Vec<Level1<T>> = Vec::new();
    for row in rows {
        let (l1, l2) = levels(&row);
        let (l1, l2) = (l1.to_owned(), l2.to_owned());
        let i1 = match tree.iter().position(|g| g.name == l1) {
            Some(i) => i,
            None => {
                tree.push(Level1 { name: l1, groups: Vec::new() });
                tree.len() - 1
            }
        };
        let groups = &mut tree[i1].groups;
        match groups.iter_mut().find(|g| g.name == l2) {
            Some(g) => g.rows.push(row),
            None => groups.push(Level2 { name: l2, rows: vec![row] }),
        }
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_in_order_of_first_appearance() {
        let rows = vec![
            ("产出指标", "数量指标", "a"),
            ("产出指标", "质量指标", "b"),
            ("效益指标", "社会效益指标", "c"),
            ("产出指标", "数量指标", "d"),
        ];
        let tree = group(rows, |r| (r.0, r.1));
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].name, "产出指标");
        assert_eq!(tree[0].len(), 3);
        assert_eq!(tree[0].groups[0].name, "数量指标");
        let names: Vec<_> = tree[0].groups[0].rows.iter().map(|r| r.2).collect();
        assert_eq!(names, ["a", "d"]);
        assert_eq!(tree[1].groups[0].rows[0].2, "c");
        assert!(!tree[1].is_empty());
    }

    #[test]
    fn empty_input_gives_empty_tree() {
        let tree = group(Vec::<(&str, &str)>::new(), |r| (r.0, r.1));
        assert!(tree.is_empty());
    }
}
