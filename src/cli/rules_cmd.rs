//! `interlock rules list|test`.

use std::path::PathBuf;

use crate::engine;
use crate::exit;
use crate::rules::{Origin, RuleSet};

/// One row of `rules list`: a rule and whether it is in force.
struct Row<'a> {
    rule: &'a crate::rules::Rule,
    /// `in force`, `accepted` (an allow rule a human accepted), `disabled by FILE`, or
    /// `ignored` (loosens protection and nobody accepted it).
    status: String,
}

/// Every rule the files define, in force or not, with where it comes from.
pub(super) fn list(json: bool) -> anyhow::Result<u8> {
    let rules = RuleSet::all();
    let disabled_by = |id: &str| rules.disabled_by.iter().find(|(d, _)| d == id).map(|(_, f)| f.clone());
    let mut rows: Vec<Row> = Vec::new();
    for r in &rules.rules {
        let status = disabled_by(&r.spec.id).map_or_else(|| "in force".to_string(), |f| format!("disabled by {f}"));
        rows.push(Row { rule: r, status });
    }
    rows.extend(rules.allows.iter().map(|r| Row { rule: r, status: "accepted".into() }));
    rows.extend(rules.ignored.iter().map(|r| Row { rule: r, status: "ignored".into() }));
    if json {
        let out = serde_json::json!({
            "schema": 1,
            "rules": rows.iter().map(|row| serde_json::json!({
                "id": row.rule.spec.id,
                "action": row.rule.spec.action.decision().as_str(),
                "severity": row.rule.spec.severity.as_str(),
                "origin": row.rule.origin.as_str(),
                "location": row.rule.location(),
                "programs": row.rule.spec.program.as_slice(),
                "status": row.status,
            })).collect::<Vec<_>>(),
            "pending": rules.pending.iter().map(|p| serde_json::json!({
                "file": p.file, "allow_rules": p.allow_rules, "disable": p.disable,
            })).collect::<Vec<_>>(),
            "errors": rules.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "warnings": rules.warnings,
        });
        println!("{out}");
    } else {
        println!("{:<44} {:<8} {:<9} {:<9} {:<28} PROGRAMS", "RULE", "ACTION", "SEVERITY", "SOURCE", "STATUS");
        for row in &rows {
            let r = row.rule;
            println!(
                "{:<44} {:<8} {:<9} {:<9} {:<28} {}",
                r.spec.id,
                r.spec.action.decision().as_str(),
                r.spec.severity.as_str(),
                r.origin.as_str(),
                row.status,
                r.spec.program.as_slice().join(",")
            );
        }
        for p in &rules.pending {
            let what = p
                .allow_rules
                .iter()
                .map(|r| format!("allow {r}"))
                .chain(p.disable.iter().map(|d| format!("disable {d}")));
            println!(
                "pending: {} would {} — not in force until a human runs `interlock rules accept`",
                p.file,
                what.collect::<Vec<_>>().join(", ")
            );
        }
    }
    for w in &rules.warnings {
        eprintln!("interlock: warning: {w}");
    }
    for e in &rules.errors {
        eprintln!("interlock: {e} (file skipped)");
    }
    Ok(if rules.errors.is_empty() { exit::ALLOW } else { exit::NEEDS_HUMAN })
}

pub(super) fn test(file: Option<PathBuf>) -> anyhow::Result<u8> {
    let rules = match &file {
        Some(path) => {
            // The file's rules, tested with the built-in program tables available.
            let mut set = RuleSet::builtin();
            set.rules.clear();
            set.add_file(Origin::User, path, None);
            set
        }
        None => RuleSet::all(),
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut problems: Vec<String> = rules.errors.iter().map(ToString::to_string).collect();
    problems.extend(rules.compile_errors().iter().map(ToString::to_string));
    problems.extend(engine::test_examples(&rules, &cwd).iter().map(ToString::to_string));
    let examples: usize = rules.rules.iter().map(|r| r.spec.must_match.len() + r.spec.not_match.len()).sum::<usize>()
        + rules.programs.iter().map(|p| p.reads.len()).sum::<usize>();
    for p in &problems {
        println!("FAIL {p}");
    }
    println!("{} rules, {examples} examples, {} problems", rules.rules.len(), problems.len());
    Ok(if problems.is_empty() { exit::ALLOW } else { exit::NEEDS_HUMAN })
}
