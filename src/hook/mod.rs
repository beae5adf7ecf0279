//! Agent hooks: the same engine behind Claude Code, Cursor, Codex and Gemini CLI.
//!
//! A hook receives a whole shell string before the shell runs it. `judge` splits it into the
//! simple commands it will run (`shell`) and evaluates each with the very analyzers and rules
//! the shims use. Each protocol module turns the verdict into its agent's answer. Nothing in
//! here may fail open: any error becomes a refusal.

pub(crate) mod interp;
pub(crate) mod project;
pub mod protocol;
pub mod shell;
pub mod wrappers;

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
    /// The argv of each simple command that needs a human's confirmation (not a deny), as
    /// the shell will exec it: what a grant binds.
    pub confirm_calls: Vec<Vec<String>>,
}

use shell::SHELLS;
/// How many script files one judgement follows.
const MAX_SCRIPTS: usize = 8;
/// The longest command string judged; a longer one is "cannot see" (a hook must answer in
/// time, and no one reviews a megabyte of shell).
pub const MAX_COMMAND: usize = 1 << 20;
/// The most bytes of one file a hook reads (a script run by the command, SQL named with
/// `-f` or `< file`); a longer file is "cannot see".
pub const FILE_LIMIT: u64 = 64 << 20;

/// Whether `path` is a regular file whose `#!` line names a shell.
fn is_shell_script(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let n = crate::analyze::input::open_regular(path).ok().and_then(|mut f| f.read(&mut head).ok()).unwrap_or(0);
    let line = String::from_utf8_lossy(&head[..n]);
    let first = line.lines().next().unwrap_or("");
    first.starts_with("#!") && SHELLS.iter().any(|sh| first.split(['/', ' ']).any(|w| w == *sh))
}

/// A script file the command runs, as text: regular files only, up to `FILE_LIMIT`.
pub(crate) fn read_script(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    crate::analyze::input::stream_file(path, FILE_LIMIT, &mut |chunk| bytes.extend_from_slice(chunk))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Judge a shell command line run in `cwd`.
pub fn judge(command: &str, cwd: &Path) -> Judgement {
    if command.len() > MAX_COMMAND {
        let what = format!("the command is {} KiB long, more than interlock reads", command.len() >> 10);
        let m = engine::cannot_see(&what, Severity::High);
        return Judgement { verdict: Verdict::from_matches(vec![m]), notes: Vec::new(), confirm_calls: Vec::new() };
    }
    judge_script(shell::parse_in(command, Some(cwd)), cwd)
}

/// Judge what an argv runs inside its wrappers (see `shell::inside_argv`): the matches to
/// add to the argv's own verdict, so `interlock check` and the shims see what a hook sees.
pub fn judge_inside(argv: &[String], cwd: &Path) -> Option<Judgement> {
    let program = crate::invocation::program_name(std::ffi::OsStr::new(argv.first()?));
    if !shell::may_run_others(&program) && !shell::replaces_files(&program) {
        return None;
    }
    let script = shell::inside_argv(argv.to_vec(), cwd);
    if script.commands.is_empty() && script.unknown.is_empty() {
        return None;
    }
    Some(judge_script(script, cwd))
}

/// Add what `inv` runs inside its wrappers to `eval` (see `judge_inside`).
pub fn add_inside(inv: &Invocation, eval: &mut engine::Evaluation) {
    let mut argv = vec![inv.argv.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default()];
    argv.extend(inv.args_lossy());
    let Some(inside) = judge_inside(&argv, &inv.cwd) else { return };
    if inside.verdict.matches.is_empty() {
        return;
    }
    let mut matches = std::mem::take(&mut eval.verdict.matches);
    matches.extend(inside.verdict.matches);
    eval.verdict = Verdict::from_matches(matches);
    for n in inside.notes {
        if !eval.all_notes().any(|have| *have == n) {
            eval.notes.push(n);
        }
    }
}

/// The content the string wrote to `path` before command `before` runs, if it did.
fn written_before<'a>(
    script: &'a shell::Script,
    before: usize,
    cwd: &Path,
    path: &Path,
) -> Option<&'a Option<Vec<u8>>> {
    script.written[..before.min(script.written.len())].iter().rev().find(|(p, _)| cwd.join(p) == path).map(|(_, c)| c)
}

fn judge_script(mut script: shell::Script, cwd: &Path) -> Judgement {
    // `bash deploy.sh`, `source env.sh`, `./reset-db.sh`: the commands in the file run too.
    // Read it (relative to the hook's cwd) — or what the string itself wrote to it — and
    // judge them with the rest; a file that cannot be read is "cannot see".
    let mut followed = 0;
    let mut i = 0;
    while i < script.commands.len() {
        let cmd = &script.commands[i];
        let program = crate::invocation::program_name(std::ffi::OsStr::new(&cmd.argv[0]));
        let runs_file =
            (SHELLS.contains(&program.as_str()) || program == "source" || program == ".") && cmd.argv.len() >= 2;
        let named = if runs_file { Some(cwd.join(&cmd.argv[1])) } else { None };
        let own = cmd.argv[0].contains('/').then(|| cwd.join(&cmd.argv[0]));
        let wrote = |p: &PathBuf| written_before(&script, cmd.writes_before, cwd, p).cloned();
        let file: Option<(PathBuf, Option<Option<Vec<u8>>>)> = match (named, own) {
            (Some(p), _) => Some((p.clone(), wrote(&p))),
            (None, Some(p)) => match wrote(&p) {
                Some(content) => Some((p, Some(content))),
                None if is_shell_script(&p) => Some((p, None)), // `./scripts/reset-db.sh`
                None => None,
            },
            (None, None) => None,
        };
        // `make reset`, `npm run db:reset`, `just wipe`: the recipe or script runs.
        if let Some(found) = project::tasks(&cmd.argv, cwd) {
            followed += 1;
            match found {
                _ if followed > MAX_SCRIPTS => {
                    script.unknown.push("scripts run other scripts too deeply to follow".into())
                }
                Ok(tasks) => {
                    let notes = cmd.notes.clone();
                    for task in tasks {
                        let mut inner = shell::parse_in(&task.text, Some(&task.dir));
                        for c in &mut inner.commands {
                            c.writes_before = 0;
                            c.notes.extend(notes.iter().cloned());
                            c.notes.push(task.note.clone());
                        }
                        script.unknown.extend(inner.unknown);
                        script.guard_off.extend(inner.guard_off);
                        script.commands.extend(inner.commands);
                    }
                }
                Err(e) => script.unknown.push(format!("the task it runs cannot be read ({e})")),
            }
            i += 1;
            continue;
        }
        if let Some((path, content)) = file {
            followed += 1;
            let text = match content {
                _ if followed > MAX_SCRIPTS => Err("scripts run other scripts too deeply to follow".to_string()),
                Some(Some(bytes)) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
                Some(None) => Err(format!(
                    "the script {} is written by the same command just before, with content known only at run time",
                    path.display()
                )),
                None => read_script(&path).map_err(|e| format!("the script it runs cannot be read ({e})")),
            };
            match text {
                Ok(text) if text.len() <= MAX_COMMAND => {
                    let mut inner = shell::parse_in(&text, Some(cwd));
                    let offset = script.written.len();
                    for c in &mut inner.commands {
                        c.writes_before += offset;
                    }
                    script.written.extend(inner.written);
                    script.unknown.extend(inner.unknown);
                    script.guard_off.extend(inner.guard_off);
                    script.commands.extend(inner.commands);
                }
                Ok(_) => script.unknown.push(format!("the script {} is too long to follow", path.display())),
                Err(e) => script.unknown.push(e),
            }
        }
        i += 1;
    }
    let mut matches: Vec<Match> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut confirm_calls: Vec<Vec<String>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    script.unknown.retain(|u| seen.insert(u.clone()));
    for u in &script.unknown {
        matches.push(engine::cannot_see(u, Severity::High));
    }
    let base_env = Env::from_process();
    // One rule set per program name, however often the string runs it.
    let mut rule_sets: std::collections::HashMap<String, RuleSet> = std::collections::HashMap::new();
    for why in &script.guard_off {
        matches.push(engine::guard_off(why));
    }
    let commands = std::mem::take(&mut script.commands);
    let mut earlier: Vec<Vec<String>> = Vec::new();
    for cmd in commands {
        let before = earlier.len();
        earlier.push(cmd.argv.clone());
        let program = crate::invocation::program_name(std::ffi::OsStr::new(&cmd.argv[0]));
        let rules = rule_sets.entry(program.clone()).or_insert_with(|| RuleSet::for_program(&program));
        if rules.rules.is_empty() {
            continue;
        }
        let mut env = base_env.clone();
        for (k, v) in &cmd.env {
            env.set(k, v);
        }
        let stdin = match cmd.stdin {
            shell::Input::Bytes(b) => Stdin::Bytes(b),
            shell::Input::File(f) => Stdin::File(PathBuf::from(f)),
            shell::Input::Unseen => Stdin::Unseen,
            shell::Input::Inherited => Stdin::Empty,
        };
        let words = cmd.argv.clone();
        let argv = cmd.argv.iter().map(Into::into).collect();
        let mut inv = Invocation::new(argv, cwd.to_path_buf(), env, stdin);
        inv.notes = cmd.notes;
        inv.targets = cmd.targets;
        inv.computed = cmd.computed;
        inv.earlier = earlier[..before].to_vec();
        inv.written = script.written[..cmd.writes_before.min(script.written.len())]
            .iter()
            .map(|(p, c)| (cwd.join(p), c.clone()))
            .collect();
        inv.file_limit = FILE_LIMIT;
        let eval = engine::evaluate(&inv, rules);
        if eval.verdict.decision == Decision::Confirm {
            confirm_calls.push(words);
        }
        if eval.verdict.decision != Decision::Allow {
            for n in eval.all_notes() {
                if !notes.contains(n) {
                    notes.push(n.clone());
                }
            }
        }
        matches.extend(eval.verdict.matches);
    }
    Judgement { verdict: Verdict::from_matches(matches), notes, confirm_calls }
}
