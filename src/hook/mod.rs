//! Agent hooks: the same engine behind Claude Code, Cursor, Codex and Gemini CLI.
//!
//! A hook receives a whole shell string before the shell runs it. `judge` splits it into the
//! simple commands it will run (`shell`) and evaluates each with the very analyzers and rules
//! the shims use. Each protocol module turns the verdict into its agent's answer. Nothing in
//! here may fail open: any error becomes a refusal.

pub mod protocol;
pub mod shell;

use std::path::{Path, PathBuf};

use crate::engine;
use crate::invocation::{Env, Invocation, Stdin};
use crate::rules::RuleSet;
use crate::verdict::{Decision, Match, Severity, Verdict};

/// What the hook concluded about a whole command line.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Notes for the human (e.g. `railway run`), deduplicated.
    pub notes: Vec<String>,
}

/// Judge a shell command line run in `cwd`.
pub fn judge(command: &str, cwd: &Path) -> Judgement {
    let script = shell::parse(command);
    let mut matches: Vec<Match> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for u in &script.unknown {
        matches.push(Match {
            rule: engine::CANNOT_SEE.into(),
            action: Decision::Confirm,
            severity: Severity::High,
            reason: format!("interlock cannot see what this command will do: {u}"),
            what: None,
            object: None,
        });
    }
    for cmd in script.commands {
        let mut env = Env::from_process();
        for (k, v) in &cmd.env {
            env.set(k, v);
        }
        let stdin = match cmd.stdin {
            shell::Input::Bytes(b) => Stdin::Bytes(b),
            shell::Input::File(f) => Stdin::File(PathBuf::from(f)),
            shell::Input::Unseen => Stdin::Unseen,
            shell::Input::Inherited => Stdin::Empty,
        };
        let argv = cmd.argv.iter().map(Into::into).collect();
        let mut inv = Invocation::new(argv, cwd.to_path_buf(), env, stdin);
        inv.notes = cmd.notes;
        let rules = RuleSet::for_program(&inv.program);
        if rules.rules.is_empty() {
            continue;
        }
        let eval = engine::evaluate(&mut inv, &rules);
        if eval.verdict.decision != Decision::Allow {
            for n in eval.facts.notes {
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
        }
        matches.extend(eval.verdict.matches);
    }
    Judgement { verdict: Verdict::from_matches(matches), notes }
}
