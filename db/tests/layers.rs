//! The db crate's layers (lib.rs, ARCHITECTURE.md) hold: a module uses only modules of lower
//! layers, and modules of one folder (the submodules of `store` and of `cycle`; entities' relations
//! point both ways by design) do not use each other in a circle. Read from the source, so a new `use` that breaks the order fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and its layer; a module may use its own layer's other members only
/// inside the same folder (checked for cycles) and anything of a lower layer.
const LAYERS: &[(&str, u8)] = &[
    ("column", 0),
    ("error", 0),
    ("testing", 0),
    ("entities", 1),
    ("store", 2),
    ("session_store", 2),
    ("scores", 3),
    ("write", 4),
    ("accounts", 5),
    ("cycle", 6),
    ("admin", 6),
    ("library", 6),
    ("import", 6),
    ("transfer", 6),
    ("demo", 7),
    ("generate", 7),
];

fn layer(module: &str) -> u8 {
    LAYERS.iter().find(|(m, _)| *m == module).unwrap_or_else(|| panic!("module {module} has no layer in LAYERS")).1
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `src/cycle/access.rs` → ["cycle", "access"].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// Modules a file refers to (code only, not comments): `crate::a::b`, `crate::{a, b}`, `super::b`.
fn references(text: &str, here: &[String]) -> BTreeSet<Vec<String>> {
    let mut refs = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let names = group.split('}').next().unwrap_or("");
                for name in names.split(',') {
                    let name = name.trim().split("::").next().unwrap_or("").trim();
                    if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                        refs.insert(vec![name.to_owned()]);
                    }
                }
            } else {
                let path: Vec<String> = rest
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or("")
                    .split("::")
                    .take_while(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                    .map(str::to_owned)
                    .collect();
                if !path.is_empty() {
                    refs.insert(path);
                }
            }
        }
        let mut rest = code;
        while let Some(at) = rest.find("super::") {
            rest = &rest[at + "super::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() && here.len() >= 2 {
                let mut path = here[..here.len() - 1].to_vec();
                path.push(name);
                refs.insert(path);
            }
        }
    }
    refs
}

#[test]
fn db_modules_use_only_lower_layers_and_no_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut problems = Vec::new();
    // Edges between submodules of one folder, for the cycle check.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let here = module_of(&src, file);
        if here.is_empty() || here == ["lib"] {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for target in references(&text, &here) {
            let (from, to) = (here[0].as_str(), target[0].as_str());
            if from == to {
                // sea-orm relations point both ways between entities by design.
                if from != "entities" && here.len() >= 2 && target.len() >= 2 && here[1] != target[1] {
                    edges.entry(format!("{from}::{}", here[1])).or_default().insert(format!("{to}::{}", target[1]));
                }
                continue;
            }
            if ["connect", "migrate", "sqlite_file_path", "Amount", "Key", "Error", "Result"].contains(&to) {
                continue; // re-exports and helpers of lib.rs
            }
            if layer(to) >= layer(from) {
                problems.push(format!(
                    "{} uses crate::{} (layer {} ≥ {})",
                    here.join("::"),
                    target.join("::"),
                    layer(to),
                    layer(from)
                ));
            }
        }
    }
    // Depth-first search for a cycle among same-folder edges.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        problems: &mut Vec<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            problems.push(format!("import cycle: {} → {node}", stack[at..].join(" → ")));
            return;
        }
        if !done.insert(node.to_owned()) {
            return;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, stack, done, problems);
        }
        stack.pop();
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done, &mut problems);
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
    assert!(edges.contains_key("cycle::transition"), "the scan sees same-folder uses: {edges:?}");
}
