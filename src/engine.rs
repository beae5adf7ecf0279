//! The engine seam: an `Invocation` in, `Facts` and a `Verdict` out.
//!
//! Shim mode, `check`, `explain` and the hooks all call `evaluate`, so they can never
//! disagree. The engine touches no terminal, runs nothing and writes nothing.

use crate::analyze;
use crate::facts::Facts;
use crate::invocation::Invocation;
use crate::rules::RuleSet;
use crate::verdict::{Decision, Match, Severity, Verdict};

/// What the engine saw and concluded.
#[derive(Debug)]
pub struct Evaluation {
    /// What the analyzers found: the engine reads them, never writes them.
    pub facts: Facts,
    pub verdict: Verdict,
    /// What the engine (or a caller adding to the verdict) tells the human beside the facts:
    /// loosening rules that would have allowed the call but are not in force, notes from what
    /// a wrapper runs.
    pub notes: Vec<String>,
}

impl Evaluation {
    /// Every note for the human: the analyzers', then the engine's.
    pub fn all_notes(&self) -> impl Iterator<Item = &String> {
        self.facts.notes.iter().chain(&self.notes)
    }
}

/// The rule id of the match the engine adds when an analyzer could not see what a call does.
pub(crate) const CANNOT_SEE: &str = "interlock.cannot-see";

/// Analyze `inv` and match `rules` against what it does.
pub fn evaluate(inv: &Invocation, rules: &RuleSet) -> Evaluation {
    let facts = analyze::analyze(inv, rules.program(&inv.program));
    let verdict = judge(&facts, rules);
    let notes = if verdict.decision == Decision::Allow { Vec::new() } else { ignored_loosening(&facts, rules) };
    Evaluation { facts, verdict, notes }
}

/// Match the rules for the program the facts are about against them: everything a rule can
/// look at is in the facts.
pub(crate) fn judge(facts: &Facts, rules: &RuleSet) -> Verdict {
    let program = facts.program.as_str();
    let production = facts.production_target();
    let mut matches: Vec<Match> = rules
        .rules_for(program)
        // A dry run changes nothing: no rule about what the call would destroy applies.
        .filter(|_| !facts.dry_run)
        .filter_map(|rule| {
            // A rule that does not compile was reported by `rules test`/`doctor`; it cannot
            // match, and the other rules still apply.
            let compiled = rule.compiled().ok()?;
            let hit = compiled.matches(&rule.spec, facts)?;
            let mut severity = rule.spec.severity;
            let mut reason = rule.spec.reason.clone();
            if let Some(target) = production {
                severity = severity.raised();
                reason.push_str(&format!(" (the target `{target}` looks like production)"));
            }
            Some(Match {
                rule: rule.spec.id.clone(),
                action: rule.spec.action.decision(),
                severity,
                reason,
                what: (!hit.what.is_empty()).then_some(hit.what),
                object: hit.object,
            })
        })
        .collect();
    // A loosening rule a human accepted: its match turns confirmations into allow (a deny
    // stays). One nobody accepted is only mentioned.
    let compiled_match = |rule: &crate::rules::Rule| {
        rule.applies_to(program) && rule.compiled().ok().and_then(|c| c.matches(&rule.spec, facts)).is_some()
    };
    if rules.allows.iter().any(compiled_match) {
        matches.retain(|m| m.action == Decision::Deny);
    }
    if !facts.unknown.is_empty() {
        let severity = if production.is_some() { Severity::Critical } else { Severity::High };
        matches.push(cannot_see(&facts.unknown.join("; "), severity));
    }
    Verdict::from_matches(matches)
}

/// The rule id of the match the shim adds for an interactive database or cloud shell that an
/// AI agent would type into.
pub(crate) const AGENT_INTERACTIVE: &str = "interlock.interactive-under-agent";

/// The match for an interactive session under an agent: whatever the agent types next
/// goes unchecked, so it needs a human — and the agent gets told how to do it checkably.
pub(crate) fn interactive_under_agent(program: &str) -> Match {
    Match {
        rule: AGENT_INTERACTIVE.into(),
        action: Decision::Confirm,
        severity: Severity::High,
        reason: format!(
            "an interactive {program} session under an AI agent: the agent, not a human, would type the statements, \
             and interlock cannot check them as they are typed. Pass the statements with -c/-e or a file (-f) so they \
             can be checked"
        ),
        what: Some(format!("an interactive {program} session")),
        object: None,
    }
}

/// A command that switches interlock's exec guard off for what it runs (`LD_PRELOAD=` in a
/// shell that is not itself guarded lets `/usr/bin/curl` run unchecked): ask a human.
pub(crate) fn guard_off(why: &str) -> Match {
    Match {
        rule: "interlock.guard-off".into(),
        action: Decision::Confirm,
        severity: Severity::High,
        reason: format!(
            "the command switches off interlock's exec guard for the programs it runs ({why}), so they would no \
             longer be checked"
        ),
        what: Some("switching off interlock's exec guard".into()),
        object: None,
    }
}

/// The one match for "interlock cannot see what this will do": ask a human.
pub(crate) fn cannot_see(what: &str, severity: Severity) -> Match {
    Match {
        rule: CANNOT_SEE.into(),
        action: Decision::Confirm,
        severity,
        reason: format!("interlock cannot see what this command will do: {what}"),
        what: None,
        object: None,
    }
}

/// Loosening rules that would allow this call but are not in force, for the human to see.
pub(crate) fn ignored_loosening(facts: &Facts, rules: &RuleSet) -> Vec<String> {
    let program = facts.program.as_str();
    rules
        .ignored
        .iter()
        .filter(|r| r.applies_to(program) && r.compiled().ok().and_then(|c| c.matches(&r.spec, facts)).is_some())
        .map(|r| {
            format!(
                "rule {} ({}) would allow this, but it loosens protection and no human has accepted it (`interlock rules accept`)",
                r.spec.id,
                r.location()
            )
        })
        .collect()
}

/// A rule example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExampleFailure {
    /// `rule ID` or `[[program]] NAME`.
    pub subject: String,
    /// `file:line` of a rule; empty for a program table.
    pub location: String,
    pub example: String,
    pub problem: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.location.is_empty() {
            write!(f, "{}: ", self.location)?;
        }
        write!(f, "{}: {}: {}", self.subject, self.problem, self.example)
    }
}

/// Build the invocation an example stands for: a shell-quoted line whose leading
/// `NAME=value` words set the environment, run in `cwd`.
pub fn example_invocation(line: &str, stdin: Option<&str>, cwd: &std::path::Path) -> Result<Invocation, String> {
    let words = shell_words::split(line).map_err(|e| format!("cannot split example: {e}"))?;
    let mut env = crate::invocation::Env::default();
    let mut words = words.into_iter().peekable();
    while let Some((name, value)) =
        words.peek().and_then(|w| w.split_once('=')).map(|(n, v)| (n.to_string(), v.to_string()))
    {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            break;
        }
        env.set(name, value);
        words.next();
    }
    let argv: Vec<std::ffi::OsString> = words.map(Into::into).collect();
    if argv.is_empty() {
        return Err("example names no program".into());
    }
    let stdin = match stdin {
        Some(s) => crate::invocation::Stdin::Bytes(s.as_bytes().to_vec()),
        None => crate::invocation::Stdin::Empty,
    };
    Ok(Invocation::new(argv, cwd.to_path_buf(), env, stdin))
}

/// Run every rule's `match` and `not_match` examples through the analyzers and the rules.
pub(crate) fn test_examples(rules: &RuleSet, cwd: &std::path::Path) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in &rules.rules {
        let cases =
            rule.spec.must_match.iter().map(|e| (e, true)).chain(rule.spec.not_match.iter().map(|e| (e, false)));
        for (example, expected) in cases {
            let fail = |problem: String| ExampleFailure {
                subject: format!("rule {}", rule.spec.id),
                location: rule.location(),
                example: example.cmd().to_string(),
                problem,
            };
            let inv = match example_invocation(example.cmd(), example.stdin(), cwd) {
                Ok(inv) => inv,
                Err(e) => {
                    failures.push(fail(e));
                    continue;
                }
            };
            if !rule.applies_to(&inv.program) {
                failures.push(fail(format!("example runs `{}`, which the rule does not name", inv.program)));
                continue;
            }
            let eval = evaluate(&inv, rules);
            let matched = eval.verdict.matches.iter().any(|m| m.rule == rule.spec.id);
            if matched != expected {
                failures.push(fail(if expected {
                    "should match but does not".into()
                } else {
                    "should not match but does".into()
                }));
            }
        }
    }
    failures.extend(test_reads(rules, cwd));
    failures
}

/// Run every `[[program]]` table's `reads` through the program's analyzer: the subcommand
/// path and operands, the targets and the dry-run reading must be as the table says.
fn test_reads(rules: &RuleSet, cwd: &std::path::Path) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for spec in &rules.programs {
        for read in &spec.reads {
            let line = format!("{} {}", spec.name, read.args);
            let fail = |problem: String| ExampleFailure {
                subject: format!("[[program]] {}", spec.name),
                location: String::new(),
                example: line.clone(),
                problem,
            };
            let inv = match example_invocation(&line, None, cwd) {
                Ok(inv) => inv,
                Err(e) => {
                    failures.push(fail(e));
                    continue;
                }
            };
            if let Some(expected) = &read.runs {
                let runs = runs_of(spec, &line, cwd);
                if runs != *expected {
                    failures.push(fail(format!("reads what it runs as `{runs}`, not `{expected}`")));
                }
            }
            let facts = crate::analyze::analyze(&inv, Some(spec));
            let command = facts.command.join(" ");
            if let Some(expected) = &read.command
                && command != *expected
            {
                failures.push(fail(format!("reads the command as `{command}`, not `{expected}`")));
            }
            if let Some(targets) = &read.targets
                && *targets != facts.targets
            {
                failures.push(fail(format!("reads the targets as {:?}, not {targets:?}", facts.targets)));
            }
            if let Some(dry_run) = read.dry_run
                && dry_run != facts.dry_run
            {
                failures.push(fail(format!("reads dry-run as {}, not {dry_run}", facts.dry_run)));
            }
        }
    }
    failures
}

/// The first command a wrapper's example runs, as the walker finds it with the table `spec`
/// (shell-quoted; empty when it runs nothing).
fn runs_of(spec: &crate::analyze::spec::ProgramSpec, line: &str, cwd: &std::path::Path) -> String {
    let Ok(inv) = example_invocation(line, None, cwd) else { return String::new() };
    let table = RuleSet { programs: vec![spec.clone()], ..RuleSet::default() };
    let walk = crate::walk::argv(inv, crate::registry::Registry::with(&spec.name, table));
    let words = |inv: &Invocation| shell_words::join(inv.argv.iter().map(|a| a.to_string_lossy()));
    let itself = walk.invocations.first().map(words).unwrap_or_default();
    walk.invocations.iter().skip(1).map(words).find(|w| *w != itself).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_rule_example_holds() {
        let rules = RuleSet::builtin();
        assert!(rules.errors.is_empty(), "{:?}", rules.errors);
        assert!(rules.compile_errors().is_empty(), "{:?}", rules.compile_errors());
        let failures = test_examples(&rules, std::path::Path::new("."));
        let text: Vec<String> = failures.iter().map(ToString::to_string).collect();
        assert!(failures.is_empty(), "{}", text.join("\n"));
    }

    #[test]
    fn example_environment_prefix() {
        let inv = example_invocation("PGHOST=prod-db psql -c 'DROP TABLE x'", None, std::path::Path::new("/")).unwrap();
        assert_eq!(inv.program, "psql");
        assert_eq!(inv.env.get("PGHOST").as_deref(), Some("prod-db"));
        assert_eq!(inv.args_lossy(), ["-c", "DROP TABLE x"]);
    }
}
