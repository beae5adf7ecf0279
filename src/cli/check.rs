//! `interlock check` and `interlock explain`: the engine's answer for an argv, without
//! running, prompting or logging anything.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{Context, bail};
use serde_json::json;

use crate::exit;
use crate::invocation::{Env, Invocation, Stdin};
use crate::judge::{self, Judgement};
use crate::redact;
use crate::rules::RuleSet;
use crate::verdict::{Decision, Match};
use crate::walk::{self, Walk};

/// The call and everything it runs, judged as the shim judges it.
fn evaluate(argv: Vec<OsString>) -> anyhow::Result<(Walk, Judgement)> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let inv = Invocation::new(argv, cwd, Env::from_process(), Stdin::from_process());
    if inv.program.is_empty() {
        bail!("no program to check: give one after `--`, e.g. `interlock check -- curl https://example.com`");
    }
    let walk = walk::argv(inv, crate::registry::Registry::default());
    let judgement = judge::judge(&walk);
    Ok((walk, judgement))
}

/// A match as shown outside interlock: reason and description redacted.
fn public(m: &Match) -> serde_json::Value {
    json!({
        "rule": m.rule,
        "action": m.action,
        "severity": m.severity,
        "reason": redact::text(&m.reason),
        "what": m.what.as_deref().map(redact::text),
    })
}

/// The one-line answer: `allow`, or `confirm: rule (severity): reason; …`.
pub(super) fn line(eval: &Judgement) -> String {
    let decision = eval.verdict.decision.as_str();
    if eval.verdict.matches.is_empty() {
        return decision.to_string();
    }
    let reasons: Vec<String> = eval
        .verdict
        .matches
        .iter()
        .map(|m| {
            let what =
                m.what.as_deref().map(|w| format!(" [{}]", redact::escape(&redact::text(w)))).unwrap_or_default();
            format!("{} ({}): {}{what}", m.rule, m.severity.as_str(), redact::escape(&redact::text(&m.reason)))
        })
        .collect();
    format!("{decision}: {}", reasons.join("; "))
}

pub(super) fn check(argv: Vec<OsString>, json: bool) -> anyhow::Result<u8> {
    let (walk, eval) = evaluate(argv)?;
    let program = walk.invocations.first().map(|inv| inv.program.as_str()).unwrap_or_default();
    let unknown: Vec<&String> = eval.facts.iter().flat_map(|f| &f.unknown).chain(&walk.unknown).collect();
    if json {
        let out = json!({
            "decision": eval.verdict.decision,
            "program": program,
            "matches": eval.verdict.matches.iter().map(public).collect::<Vec<_>>(),
            "unknown": unknown,
        });
        println!("{}", serde_json::to_string(&out).context("encoding the answer")?);
    } else {
        println!("{}", line(&eval));
    }
    Ok(match eval.verdict.decision {
        Decision::Allow => exit::ALLOW,
        Decision::Confirm | Decision::Deny => exit::NEEDS_HUMAN,
    })
}

pub(super) fn explain(argv: Vec<OsString>, json: bool) -> anyhow::Result<u8> {
    let (walk, eval) = evaluate(argv)?;
    let Some(inv) = walk.invocations.first() else { bail!("no program to explain") };
    // A program without rules is not judged; its facts are still worth showing.
    let facts = eval.facts.clone().unwrap_or_else(|| crate::analyze::analyze(inv, None));
    let mut shown = vec![inv.program.clone()];
    shown.extend(inv.args_lossy());
    // What the options given mean, from the program's table.
    let rules = RuleSet::for_program(&inv.program);
    let mut options: Vec<(String, String)> = Vec::new();
    if let Some(spec) = rules.program(&inv.program) {
        for row in &spec.options {
            let Some(meaning) = &row.meaning else { continue };
            let spellings: Vec<String> = row.spellings(spec.clusters).collect();
            if let Some(given) = facts.flags.iter().find(|f| spellings.contains(f)) {
                options.push((given.clone(), redact::escape(meaning)));
            }
        }
    }
    if json {
        let out = json!({
            "schema": 1,
            "command": redact::command_line(&shown),
            "facts": redact::facts(&facts),
            "options": options.iter().map(|(o, m)| json!({ "option": o, "meaning": m })).collect::<Vec<_>>(),
            "matches": eval.verdict.matches.iter().map(public).collect::<Vec<_>>(),
            "notes": eval.notes.iter().map(|n| redact::text(n)).collect::<Vec<_>>(),
            "decision": eval.verdict.decision,
        });
        println!("{}", serde_json::to_string(&out).context("encoding the answer")?);
        return Ok(exit::ALLOW);
    }
    println!("command:  {}", redact::command_line(&shown));
    let shown_facts = serde_json::to_string_pretty(&redact::facts(&facts)).context("encoding the facts")?;
    println!("facts:    {}", redact::escape(&redact::text(&shown_facts)).replace("\\n", "\n          "));
    for (given, meaning) in &options {
        println!("option:   {given}: {meaning}");
    }
    if eval.verdict.matches.is_empty() {
        println!("rules:    none matched");
    }
    for m in &eval.verdict.matches {
        println!("rule:     {} -> {} ({})", m.rule, m.action.as_str(), m.severity.as_str());
        println!("          {}", redact::escape(&redact::text(&m.reason)));
        if let Some(what) = &m.what {
            println!("          matched: {}", redact::escape(&redact::text(what)));
        }
    }
    println!("decision: {}", eval.verdict.decision.as_str());
    Ok(exit::ALLOW)
}
