//! `interlock rules list|test`.

use std::path::PathBuf;

use crate::engine;
use crate::exit;
use crate::rules::{Origin, RuleSet};

pub(super) fn list() -> anyhow::Result<u8> {
    let rules = RuleSet::all();
    for r in &rules.rules {
        println!(
            "{:<44} {:<8} {:<9} {:<9} {}",
            r.spec.id,
            r.spec.action.decision().as_str(),
            r.spec.severity.as_str(),
            r.origin.as_str(),
            r.spec.program.as_slice().join(",")
        );
    }
    for r in &rules.ignored {
        println!(
            "{:<44} ignored: it loosens protection and has not been accepted by a human ({})",
            r.spec.id,
            r.location()
        );
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
