//! Embeds `rules/*.toml` and indexes them by program, so a shim parses only the rule files
//! that name the program it stands in for.
// A build script reports a broken rule file by failing the build: panicking is its error path.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use interlock_rulefile::{Chunk, Located, expand_programs};

fn main() {
    commit();
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = std::fs::read_dir("rules")
        .expect("rules/ directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    // The named groups (`[[group]]`, in any file) first: every file's rules may name them.
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // And the named patterns (`[[pattern]]`), which rules' regexes name as `{NAME}`.
    let mut patterns: BTreeMap<String, String> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable rule file");
        let value: toml::Table = text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for g in value.get("group").and_then(|g| g.as_array()).into_iter().flatten() {
            let name = g.get("name").and_then(|n| n.as_str()).expect("a [[group]] has a name");
            let members = g.get("programs").and_then(|p| p.as_array()).expect("a [[group]] has programs");
            groups.insert(name.to_string(), members.iter().filter_map(|m| m.as_str()).map(String::from).collect());
        }
        for p in value.get("pattern").and_then(|p| p.as_array()).into_iter().flatten() {
            let name = p.get("name").and_then(|n| n.as_str()).expect("a [[pattern]] has a name");
            let regex = p.get("regex").and_then(|r| r.as_str()).expect("a [[pattern]] has a regex");
            patterns.insert(name.to_string(), regex.to_string());
        }
    }

    let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // Per program: its [[program]] tables and rules, pre-parsed, as JSON (parsed at run time
    // in microseconds, where TOML takes hundreds).
    let mut chunks: BTreeMap<String, Chunk<serde_json::Value, serde_json::Value>> = BTreeMap::new();
    let mut out =
        String::from("/// Built-in rule files: (name, text).\npub(crate) static FILES: &[(&str, &str)] = &[\n");
    for (i, path) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path).expect("readable rule file");
        let mut value: toml::Table = match text.parse() {
            Ok(v) => v,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        expand_aliases(&mut value, &groups);
        for name in programs(&value) {
            let entry = index.entry(name).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
        let file_name = format!("rules/{}", path.file_name().expect("file name").to_string_lossy());
        // Where each `[[rule]]` starts, from the parser's spans (as the loader does it).
        let located: Spans = toml::from_str(&text).expect("rule file with spans");
        let rule_lines: Vec<usize> =
            located.rule.iter().map(|r| text[..r.span().start].matches('\n').count() + 1).collect();
        if let Some(toml::Value::Array(specs)) = value.get("program") {
            for spec in specs {
                if let Some(name) = spec.get("name").and_then(|n| n.as_str()) {
                    let json = serde_json::to_value(spec).expect("program table as JSON");
                    chunk(&mut chunks, name).program.push(json);
                }
            }
        }
        if let Some(toml::Value::Array(rules)) = value.get("rule") {
            for (n, rule) in rules.iter().enumerate() {
                let names: Vec<String> = match rule.get("program") {
                    Some(toml::Value::String(s)) => vec![s.clone()],
                    Some(toml::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).map(String::from).collect(),
                    _ => Vec::new(),
                };
                // Examples are for `rules test`, which reads the TOML; the shim needs none.
                let mut spec = serde_json::to_value(rule).expect("rule as JSON");
                if let Some(obj) = spec.as_object_mut() {
                    obj.remove("match");
                    obj.remove("not_match");
                }
                let located = Located { file: file_name.clone(), line: rule_lines.get(n).copied().unwrap_or(0), spec };
                for name in names {
                    chunk(&mut chunks, &name).rule.push(located.clone());
                }
            }
        }
        let abs = std::fs::canonicalize(path).expect("canonical path");
        let name = Path::new("rules").join(path.file_name().expect("file name"));
        writeln!(out, "    ({:?}, include_str!({:?})),", name.display().to_string(), abs.display().to_string())
            .expect("write to string");
    }
    out.push_str(
        "];\n\n/// Program name → indexes into FILES, sorted by name.\npub(crate) static PROGRAMS: &[(&str, &[usize])] = &[\n",
    );
    for (name, idx) in &index {
        writeln!(out, "    ({name:?}, &{idx:?}),").expect("write to string");
    }
    out.push_str("];\n\n/// Program name → its built-in program tables and rules as JSON, sorted by name.\npub(crate) static CHUNKS: &[(&str, &str)] = &[\n");
    for (name, chunk) in &chunks {
        let json = serde_json::to_string(chunk).expect("chunk as JSON");
        writeln!(out, "    ({name:?}, {json:?}),").expect("write to string");
    }
    out.push_str("];\n\n/// Group name (without its `@`) → its programs, sorted by name.\npub(crate) static GROUPS: &[(&str, &[&str])] = &[\n");
    for (name, members) in &groups {
        writeln!(out, "    ({name:?}, &{members:?}),").expect("write to string");
    }
    out.push_str(
        "];\n\n/// Pattern name → its regex, sorted by name.\npub(crate) static PATTERNS: &[(&str, &str)] = &[\n",
    );
    for (name, regex) in &patterns {
        writeln!(out, "    ({name:?}, {regex:?}),").expect("write to string");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin_rules.rs");
    std::fs::write(dest, out).expect("write builtin_rules.rs");
}

/// The commit the binary is built from, for `--version`, when this is a git checkout with git
/// at hand (a source tarball builds without it).
fn commit() {
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let out = std::process::Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).output();
    if let Ok(out) = out
        && out.status.success()
    {
        let hash = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let dirty = std::process::Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .output()
            .is_ok_and(|o| !o.stdout.is_empty());
        if !hash.is_empty() {
            println!("cargo:rustc-env=INTERLOCK_COMMIT={hash}{}", if dirty { "-modified" } else { "" });
        }
    }
}

/// `[[program]] aliases` and `@group` names, as the loader expands them (src/rules/load.rs
/// `expand_aliases`, through the same `interlock_rulefile::expand_programs`): a copy of the
/// table per alias, and every rule's program names expanded.
fn expand_aliases(file: &mut toml::Table, groups: &BTreeMap<String, Vec<String>>) {
    let mut aliases: Vec<(String, Vec<String>)> = Vec::new();
    let mut copies = Vec::new();
    if let Some(toml::Value::Array(specs)) = file.get("program") {
        for spec in specs {
            let Some(t) = spec.as_table() else { continue };
            let (Some(name), Some(toml::Value::Array(alts))) =
                (t.get("name").and_then(|n| n.as_str()), t.get("aliases"))
            else {
                continue;
            };
            let alts: Vec<String> = alts.iter().filter_map(|a| a.as_str()).map(String::from).collect();
            for alt in &alts {
                let mut copy = t.clone();
                copy.insert("name".into(), toml::Value::String(alt.clone()));
                copy.remove("aliases");
                copies.push(toml::Value::Table(copy));
            }
            aliases.push((name.to_string(), alts));
        }
    }
    if let Some(toml::Value::Array(specs)) = file.get_mut("program") {
        specs.extend(copies);
    }
    let Some(toml::Value::Array(rules)) = file.get_mut("rule") else { return };
    for rule in rules.iter_mut().filter_map(|r| r.as_table_mut()) {
        let names: Vec<String> = match rule.get("program") {
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).map(String::from).collect(),
            _ => continue,
        };
        let expanded = expand_programs(&names, |g| groups.get(g).cloned(), &aliases)
            .unwrap_or_else(|g| panic!("a built-in rule names an unknown group {g}"));
        if expanded != names {
            rule.insert("program".into(), toml::Value::Array(expanded.into_iter().map(toml::Value::String).collect()));
        }
    }
}

/// The chunk of program `name`, created empty when it is new.
fn chunk<'a>(
    chunks: &'a mut BTreeMap<String, Chunk<serde_json::Value, serde_json::Value>>,
    name: &str,
) -> &'a mut Chunk<serde_json::Value, serde_json::Value> {
    chunks.entry(name.to_string()).or_insert_with(|| Chunk { program: Vec::new(), rule: Vec::new() })
}

/// The `[[rule]]` tables of a file, each with its span in the text.
#[derive(serde::Deserialize)]
struct Spans {
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
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
