//! The architecture, held by a test (the ArchUnit idea): every `crate::` path in `server/src` and
//! `app/src` is read, and an import that runs against the declared layer order, a cycle between
//! modules, or SQL outside `db/` fails the suite, naming file and line. The order is declared once,
//! below; `docs/architecture.md` draws it.
//! There are no exceptions: a change that needs one needs a better place for its code (see
//! `docs/architecture.md`, "Where a new feature's pieces go").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The server's layers, lowest first. A module imports from lower layers; within the services
/// and the web edge, modules may also import each other as long as no cycle forms.
const SERVER_LAYERS: [(&str, &[&str], bool); 7] = [
    ("the clock", &["clock"], false),
    ("measurements", &["measurements"], false),
    ("database and STACKIT", &["db", "marketplace"], false),
    ("services", &["accounts", "customers", "mail", "orders", "webhooks"], true),
    ("jobs", &["jobs"], false),
    (
        "web edge",
        &[
            "ports",
            "startup",
            "health",
            "metrics",
            "security",
            "error_status",
            "docs",
            "config",
            "telemetry",
            "export",
            "api_v1",
            "check",
        ],
        true,
    ),
    ("entry points", &["demo"], false),
];

/// The app's layers, lowest first (the same rule).
const APP_LAYERS: [(&str, &[&str], bool); 5] = [
    ("domain", &["model", "i18n", "error", "context", "url"], true),
    ("server functions", &["api"], false),
    ("components", &["components"], false),
    ("pages", &["pages"], false),
    ("the app", &["(root)"], false),
];

/// One `crate::` import: the importing module, the imported one, and where.
#[derive(Debug, Clone)]
struct Import {
    from: String,
    to: String,
    at: String,
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to (`accounts/limits.rs` → `accounts`).
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).expect("a file under the root");
    let first = relative.components().next().expect("a path").as_os_str().to_string_lossy().to_string();
    match first.trim_end_matches(".rs") {
        "lib" | "main" => "(root)".to_string(),
        name => name.to_string(),
    }
}

/// The top-level modules named after `crate::` on one line of code (`crate::{a, b::c}` too).
fn crate_paths(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            names.extend(
                inner.split(',').map(|p| p.trim().split("::").next().unwrap_or_default().to_string()),
            );
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            names.push(name);
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// Every cross-module import under `root`, and the SQL-holding files (relative paths).
fn read(root: &Path) -> (Vec<Import>, BTreeSet<String>, BTreeMap<String, usize>) {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let (mut imports, mut sql, mut sizes) = (Vec::new(), BTreeSet::new(), BTreeMap::new());
    for file in files {
        let from = module_of(root, &file);
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("a source file");
        sizes.insert(relative.clone(), text.lines().count());
        let mut in_tests = false;
        for (number, line) in text.lines().enumerate() {
            in_tests |= line.trim_start().starts_with("#[cfg(test)]");
            let code = line.split("//").next().unwrap_or_default();
            for to in crate_paths(code) {
                if to != from {
                    imports.push(Import { from: from.clone(), to, at: format!("{relative}:{}", number + 1) });
                }
            }
            if !in_tests && (code.contains("sqlx::query") || code.contains("query_scalar::<")) {
                sql.insert(relative.clone());
            }
        }
    }
    (imports, sql, sizes)
}

fn layer_of(layers: &[(&str, &[&str], bool)], module: &str) -> Option<(usize, bool)> {
    layers.iter().position(|(_, members, _)| members.contains(&module)).map(|i| (i, layers[i].2))
}

/// Imports that run upward, or sideways in a layer that does not allow it: (from, to) → where.
fn against_the_order(
    layers: &[(&str, &[&str], bool)],
    imports: &[Import],
) -> BTreeMap<(String, String), Vec<String>> {
    let mut wrong: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for import in imports {
        let (Some((from, sideways)), Some((to, _))) =
            (layer_of(layers, &import.from), layer_of(layers, &import.to))
        else {
            continue;
        };
        if to > from || (to == from && !sideways) {
            wrong.entry((import.from.clone(), import.to.clone())).or_default().push(import.at.clone());
        }
    }
    wrong
}

/// The groups of modules that import each other in a circle (strongly connected components of
/// more than one module), each sorted.
fn cycles(imports: &[Import]) -> BTreeSet<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for import in imports {
        graph.entry(&import.from).or_default().insert(&import.to);
        graph.entry(&import.to).or_default();
    }
    let reaches = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for next in &graph[node] {
                if seen.insert(*next) {
                    stack.push(next);
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&str, BTreeSet<&str>> = graph.keys().map(|n| (*n, reaches(n))).collect();
    let mut groups = BTreeSet::new();
    for node in graph.keys() {
        let group: Vec<String> = graph
            .keys()
            .filter(|o| reach[node].contains(*o) && reach[*o].contains(node))
            .map(|o| o.to_string())
            .collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups
}

fn source(crate_dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(crate_dir).join("src")
}

#[test]
fn the_server_imports_run_one_way() {
    let (imports, _, _) = read(&source("server"));
    let wrong: Vec<String> = against_the_order(&SERVER_LAYERS, &imports)
        .iter()
        .map(|((from, to), at)| format!("{from} → {to} at {}", at.join(", ")))
        .collect();
    assert!(wrong.is_empty(), "imports against the layer order (see SERVER_LAYERS):\n{}", wrong.join("\n"));
}

#[test]
fn the_server_has_no_module_cycles() {
    let (imports, _, _) = read(&source("server"));
    let found = cycles(&imports);
    assert!(found.is_empty(), "modules that import each other in a circle: {found:?}");
}

#[test]
fn sql_lives_in_db() {
    let (_, sql, _) = read(&source("server"));
    let outside: BTreeSet<&str> = sql.iter().map(String::as_str).filter(|f| !f.starts_with("db/")).collect();
    assert!(outside.is_empty(), "SQL outside db/: {outside:?}");
}

#[test]
fn the_app_imports_run_one_way_without_cycles() {
    let (imports, _, _) = read(&source("app"));
    let wrong = against_the_order(&APP_LAYERS, &imports);
    let listed: Vec<String> =
        wrong.iter().map(|((from, to), at)| format!("{from} → {to} at {}", at.join(", "))).collect();
    assert!(listed.is_empty(), "imports against the layer order (see APP_LAYERS):\n{}", listed.join("\n"));
    assert!(cycles(&imports).is_empty(), "module cycles in app: {:?}", cycles(&imports));
}

#[test]
fn every_module_has_a_layer() {
    for (crate_dir, layers) in [("server", &SERVER_LAYERS[..]), ("app", &APP_LAYERS[..])] {
        let (imports, _, _) = read(&source(crate_dir));
        let unplaced: BTreeSet<&str> = imports
            .iter()
            .flat_map(|i| [i.from.as_str(), i.to.as_str()])
            .filter(|m| layer_of(layers, m).is_none() && *m != "(root)")
            .collect();
        assert!(unplaced.is_empty(), "{crate_dir}: modules without a layer: {unplaced:?}");
    }
}

#[test]
fn the_checks_see_what_they_look_for() {
    assert_eq!(crate_paths("use crate::db::{Database, now_ms};"), ["db"]);
    assert_eq!(crate_paths("use crate::{console, health};"), ["console", "health"]);
    assert_eq!(crate_paths("let x = crate::mail::Mail::compose(crate::db::now_ms());"), ["mail", "db"]);
    let imports = |edges: &[(&str, &str)]| -> Vec<Import> {
        edges
            .iter()
            .map(|(a, b)| Import { from: a.to_string(), to: b.to_string(), at: "x.rs:1".into() })
            .collect()
    };
    let upward = against_the_order(&SERVER_LAYERS, &imports(&[("db", "accounts"), ("accounts", "db")]));
    assert_eq!(upward.keys().cloned().collect::<Vec<_>>(), [("db".to_string(), "accounts".to_string())]);
    let circle = cycles(&imports(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]));
    assert_eq!(circle.into_iter().collect::<Vec<_>>(), [vec!["a".to_string(), "b".into(), "c".into()]]);
}
