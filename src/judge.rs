//! The one loop every way in runs: each command of a `Walk` through the engine with its
//! program's rules, and one verdict for the whole call.
//!
//! The shim, `check`/`explain` and the agent hooks all call `judge`, so they cannot disagree
//! on which commands are skipped, how verdicts merge, or what an interactive session under an
//! agent needs. Like the engine, it runs nothing, prompts nothing and writes nothing.

use crate::engine;
use crate::facts::Facts;
use crate::rules::RuleSet;
use crate::verdict::{Decision, Match, Severity, Verdict};
use crate::walk::Walk;

/// What the engine concluded about everything one call runs.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The facts of the first command, when it has rules (for the shim and `check`, the argv
    /// itself): what `explain` shows and a confirmation names.
    pub facts: Option<Facts>,
    pub verdict: Verdict,
    /// Notes for the human from every command that is not simply allowed, deduplicated.
    pub notes: Vec<String>,
    /// The argv of each command that needs a human's confirmation (not a deny), as it will be
    /// exec'd: what a grant binds.
    pub confirm_calls: Vec<Vec<String>>,
}

impl Judgement {
    /// A judgement of one match alone (a refusal before anything was walked).
    pub fn of(m: Match) -> Judgement {
        Judgement { facts: None, verdict: Verdict::from_matches(vec![m]), notes: Vec::new(), confirm_calls: Vec::new() }
    }

    /// Where the call lands, as the analyzers of its first command found it.
    pub fn targets(&self) -> &[String] {
        self.facts.as_ref().map_or(&[], |f| f.targets.as_slice())
    }
}

/// Whether a program with these rules is not judged at all: no rule can match it (unknown
/// programs pass). The shim's fast path asks the same question.
pub(crate) fn skips(rules: &RuleSet) -> bool {
    rules.rules.is_empty()
}

/// Judge every command `walk` found, with the rules of each one's program (built-in, system
/// and user, from the walk's registry: loaded once per program name).
pub(crate) fn judge(walk: &Walk) -> Judgement {
    let mut matches: Vec<Match> = Vec::new();
    for u in &walk.unknown {
        matches.push(engine::cannot_see(u, Severity::High));
    }
    for why in &walk.guard_off {
        matches.push(engine::guard_off(why));
    }
    let mut under_agent: Option<bool> = None;
    let mut out = Judgement { facts: None, verdict: Verdict::allow(), notes: Vec::new(), confirm_calls: Vec::new() };
    for (i, inv) in walk.invocations.iter().enumerate() {
        let rules = walk.registry.rules(&inv.program);
        if skips(&rules) {
            continue;
        }
        let mut eval = engine::evaluate(inv, &rules);
        // A database shell reading a terminal is a human's session — unless an agent runs it
        // (Codex's `exec_command` with `tty: true`, then `write_stdin`): then the agent types.
        if eval.facts.interactive && *under_agent.get_or_insert_with(|| crate::agent::detect().is_some()) {
            let mut all = std::mem::take(&mut eval.verdict.matches);
            all.push(engine::interactive_under_agent(&inv.program));
            eval.verdict = Verdict::from_matches(all);
        }
        if eval.verdict.decision == Decision::Confirm {
            let mut words = vec![inv.argv.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default()];
            words.extend(inv.args_lossy());
            out.confirm_calls.push(words);
        }
        if eval.verdict.decision != Decision::Allow {
            for n in eval.all_notes() {
                if !out.notes.contains(n) {
                    out.notes.push(n.clone());
                }
            }
        }
        matches.extend(eval.verdict.matches);
        if i == 0 {
            out.facts = Some(eval.facts);
        }
    }
    out.verdict = Verdict::from_matches(matches);
    out
}
