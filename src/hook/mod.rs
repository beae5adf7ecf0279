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

/// Shells whose script-file argument the hook reads (`bash deploy.sh`).
const SHELLS: &[&str] = &["bash", "sh", "zsh", "dash", "ksh", "ash", "mksh"];
/// How many script files one judgement follows.
const MAX_SCRIPTS: usize = 8;

/// Whether `path` is a file whose `#!` line names a shell.
fn is_shell_script(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let line = String::from_utf8_lossy(&head[..n]);
    let first = line.lines().next().unwrap_or("");
    first.starts_with("#!") && SHELLS.iter().any(|sh| first.split(['/', ' ']).any(|w| w == *sh))
}

/// Judge a shell command line run in `cwd`.
pub fn judge(command: &str, cwd: &Path) -> Judgement {
    let mut script = shell::parse(command);
    // `bash deploy.sh`: the commands in the file run too. Read it (relative to the hook's
    // cwd) and judge them with the rest; a file that cannot be read is "cannot see".
    let mut followed = 0;
    let mut i = 0;
    while i < script.commands.len() {
        let cmd = &script.commands[i];
        let program = crate::invocation::program_name(std::ffi::OsStr::new(&cmd.argv[0]));
        let file = if SHELLS.contains(&program.as_str()) && cmd.argv.len() >= 2 {
            Some(cwd.join(&cmd.argv[1]))
        } else if cmd.argv[0].contains('/') && is_shell_script(&cwd.join(&cmd.argv[0])) {
            Some(cwd.join(&cmd.argv[0])) // `./scripts/reset-db.sh`
        } else {
            None
        };
        if let Some(path) = file {
            followed += 1;
            match std::fs::read_to_string(&path) {
                Ok(text) if followed <= MAX_SCRIPTS => {
                    let inner = shell::parse(&text);
                    script.unknown.extend(inner.unknown);
                    script.commands.extend(inner.commands);
                }
                Ok(_) => script.unknown.push("scripts run other scripts too deeply to follow".into()),
                Err(e) => script.unknown.push(format!("the script {} cannot be read ({e})", path.display())),
            }
        }
        i += 1;
    }
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
