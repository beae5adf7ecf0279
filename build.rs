//! Embeds `rules/*.toml` and indexes them by program, so a shim parses only the rule files
//! that name the program it stands in for.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();

    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut out = String::from("/// Built-in rule files: (name, text).\npub static FILES: &[(&str, &str)] = &[\n");
    for (i, path) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).expect("readable rule file");
        let value: toml::Table = match text.parse() {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        for name in programs(&value) {
            let entry = index.entry(name).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
        let abs = std::fs::canonicalize(path).expect("canonical path");
        let name = Path::new("rules").join(path.file_name().expect("file name"));
        writeln!(out, "    ({:?}, include_str!({:?})),", name.display().to_string(), abs.display().to_string())
            .expect("write to string");
    }
    out.push_str(
        "];\n\n/// Program name → indexes into FILES, sorted by name.\npub static PROGRAMS: &[(&str, &[usize])] = &[\n",
    );
    for (name, idx) in &index {
        writeln!(out, "    ({name:?}, &{idx:?}),").expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("write builtin_rules.rs");
}

/// Every program a rule file names, in `[[program]] name` or `[[rule]] program`.
fn programs(file: &toml::Table) -> Vec<String> {
    let mut names = Vec::new();
    let tables = |key: &str| -> Vec<toml::Table> {
        file.get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|t| t.as_table().cloned()).collect())
            .unwrap_or_default()
    };
    for t in tables("program") {
        if let Some(n) = t.get("name").and_then(|v| v.as_str()) {
            names.push(n.to_string());
        }
    }
    for t in tables("rule") {
        match t.get("program") {
            Some(toml::Value::String(s)) => names.push(s.clone()),
            Some(toml::Value::Array(a)) => names.extend(a.iter().filter_map(|v| v.as_str()).map(String::from)),
            _ => {}
        }
    }
    names
}
