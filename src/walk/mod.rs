//! The walker: every command a call will run, as `Invocation`s for the engine.
//!
//! Every way in calls it. The hook hands it a shell string (`script`); the shim and `check`
//! hand it one argv (`argv`), whose wrappers (`sudo -iu postgres psql …`, `kubectl exec POD --
//! …`, `ssh HOST '…'`) it follows the same way. It follows shell structure (`shell`), the
//! commands wrappers run (`wrappers`), script files a shell or `source` runs, project tasks
//! (`project`: make, just, npm scripts) and string literals of interpreter code (`interp`).
//!
//! The walker decides nothing and runs nothing: it reads files (scripts, task files) and says
//! what it could not see in `Walk::unknown`, which the engine turns into "ask". It never
//! drops a command it found.

pub(crate) mod gitalias;
mod gitindex;
pub(crate) mod interp;
pub(crate) mod migrations;
pub(crate) mod project;
pub(crate) mod shell;
pub(crate) mod wrappers;

use std::path::{Path, PathBuf};

use crate::invocation::{Env, Invocation, Stdin, program_name};
use crate::registry::Registry;
use shell::{Input, Script, SimpleCommand};

/// How many script files and tasks one walk follows.
const MAX_SCRIPTS: usize = 8;
/// The longest command string walked; a longer one is "cannot see" (a hook must answer in
/// time, and no one reviews a megabyte of shell).
pub(crate) const MAX_COMMAND: usize = 1 << 20;
/// The most bytes of one file the walker reads (a script run by the command) and the
/// analyzers read for a command found inside another (SQL named with `-f` or `< file`); a
/// longer file is "cannot see".
pub(crate) const FILE_LIMIT: u64 = 64 << 20;

/// Everything one call will run.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// What each program met is, loaded once: the engine loop takes the rules from here.
    pub registry: Registry,
    /// Each command, in the order it runs. For `argv`, the argv itself comes first.
    pub invocations: Vec<Invocation>,
    /// What the walker could not see (a command built at run time, an unreadable script).
    pub unknown: Vec<String>,
    /// How the call switches interlock's exec guard off for what it runs.
    pub guard_off: Vec<String>,
}

/// The commands a shell string run in `cwd` will run, each with `env` plus what the string
/// sets for it.
pub(crate) fn script(command: &str, cwd: &Path, env: &Env) -> Walk {
    if command.len() > MAX_COMMAND {
        let what = format!("the command is {} KiB long, more than interlock reads", command.len() >> 10);
        return Walk { unknown: vec![what], ..Walk::default() };
    }
    let registry = Registry::default();
    let script = follow_files(shell::parse_in(command, Some(cwd), Some(env), &registry), cwd, env, &registry);
    into_walk(script, cwd, env, registry)
}

/// `inv` and every command it runs inside its wrappers, scripts and tasks (`sudo -u postgres
/// psql …`, `bash reset.sh`, `make reset`). `inv` itself comes first, untouched (with its real
/// standard input).
pub(crate) fn argv(inv: Invocation, registry: Registry) -> Walk {
    let mut argv = vec![inv.argv.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default()];
    argv.extend(inv.args_lossy());
    // A script run by its path (`./tools/wipe.py`) runs with its `#!` interpreter.
    let script_path = argv[0].contains('/') && !registry.guarded(&inv.program);
    let statement = shell::statement_typed_as_command(&argv).is_some();
    let inside = if script_path || statement || follows(&inv.program, &registry) {
        follow_files(shell::inside_argv(argv, &inv.cwd, &inv.env, &registry), &inv.cwd, &inv.env, &registry)
    } else {
        Script::default()
    };
    let (cwd, env) = (inv.cwd.clone(), inv.env.clone());
    let mut walk = into_walk(inside, &cwd, &env, registry);
    walk.invocations.insert(0, inv);
    walk
}

/// Whether the walker finds more in a call of `program` than the call itself: it can run
/// other commands (a shell, a wrapper, a task runner, an interpreter) or replace a file.
pub(crate) fn follows(program: &str, registry: &Registry) -> bool {
    shell::may_run_others(program, registry)
        || shell::replaces_files(program)
        || applies_migrations(program, registry)
        || carries_commands(program, registry)
}

/// Whether `program`'s options carry command lines it runs (`role = "command"`: tar's
/// `--to-command`, rsync's `-e`).
fn carries_commands(program: &str, registry: &Registry) -> bool {
    use crate::analyze::spec::Role;
    registry.with_spec(program, |spec| spec.is_some_and(|s| s.options.iter().any(|r| r.role == Some(Role::Command))))
}

/// Whether `program` is a migration tool (its table says where its migrations are).
pub(crate) fn applies_migrations(program: &str, registry: &Registry) -> bool {
    registry.with_spec(program, |spec| spec.is_some_and(|s| s.migrations.is_some()))
}

/// Turn the walked commands into invocations, each knowing what ran before it in the string.
fn into_walk(mut script: Script, cwd: &Path, env: &Env, registry: Registry) -> Walk {
    let mut seen = std::collections::HashSet::new();
    script.unknown.retain(|u| seen.insert(u.clone()));
    let mut earlier: Vec<Vec<String>> = Vec::new();
    let mut invocations = Vec::with_capacity(script.commands.len());
    for cmd in std::mem::take(&mut script.commands) {
        let words = cmd.argv.clone();
        let mut inv = invocation(cmd, cwd, env, &script);
        inv.earlier = earlier.clone();
        earlier.push(words);
        invocations.push(inv);
    }
    Walk { registry, invocations, unknown: script.unknown, guard_off: script.guard_off }
}

/// One walked command as the engine takes it.
fn invocation(cmd: SimpleCommand, cwd: &Path, base: &Env, script: &Script) -> Invocation {
    let mut env = base.clone();
    for (k, v) in &cmd.env {
        env.set(k, v);
    }
    let stdin = match cmd.stdin {
        Input::Bytes(b) => Stdin::Bytes(b),
        Input::File(f) => Stdin::File(PathBuf::from(f)),
        Input::Unseen => Stdin::Unseen,
        Input::Inherited => Stdin::Empty,
    };
    let mut inv = Invocation::new(cmd.argv.iter().map(Into::into).collect(), cwd.to_path_buf(), env, stdin);
    inv.notes = cmd.notes;
    inv.targets = cmd.targets;
    inv.computed = cmd.computed;
    inv.written = script.written[..cmd.writes_before.min(script.written.len())]
        .iter()
        .map(|(p, c)| (cwd.join(p), c.clone()))
        .collect();
    inv.file_limit = FILE_LIMIT;
    inv
}

/// Whether `path` is a regular file whose `#!` line names a shell.
fn is_shell_script(path: &Path, registry: &Registry) -> bool {
    let first = first_line(path).unwrap_or_default();
    first.starts_with("#!") && first[2..].split(['/', ' ']).any(|w| !w.is_empty() && registry.is_shell(w))
}

/// The first line of a regular file, from its first 256 bytes (a `#!` line).
pub(crate) fn first_line(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = crate::analyze::input::open_regular(path).ok()?.read(&mut head).ok()?;
    String::from_utf8_lossy(&head[..n]).lines().next().map(str::to_string)
}

/// A script file the command runs, as text: regular files only, up to `FILE_LIMIT`.
pub(crate) fn read_script(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    crate::analyze::input::stream_file(path, FILE_LIMIT, &mut |chunk| bytes.extend_from_slice(chunk))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The content the string wrote to `path` before command `before` runs, if it did.
fn written_before<'a>(script: &'a Script, before: usize, cwd: &Path, path: &Path) -> Option<&'a Option<Vec<u8>>> {
    script.written[..before.min(script.written.len())].iter().rev().find(|(p, _)| cwd.join(p) == path).map(|(_, c)| c)
}

/// A script file command `cmd` runs, and the content the string wrote to it first, if any:
/// `bash deploy.sh`, `source env.sh`, `./reset-db.sh`.
fn script_file(
    script: &Script,
    cmd: &SimpleCommand,
    cwd: &Path,
    registry: &Registry,
) -> Option<(PathBuf, Option<Option<Vec<u8>>>)> {
    let program = program_name(std::ffi::OsStr::new(&cmd.argv[0]));
    let runs_file = (registry.is_shell(&program) || program == "source" || program == ".") && cmd.argv.len() >= 2;
    let wrote = |p: &PathBuf| written_before(script, cmd.writes_before, cwd, p).cloned();
    if runs_file {
        let p = cwd.join(&cmd.argv[1]);
        let content = wrote(&p);
        return Some((p, content));
    }
    if !cmd.argv[0].contains('/') {
        return None;
    }
    let own = cwd.join(&cmd.argv[0]);
    match wrote(&own) {
        Some(content) => Some((own, Some(content))),
        None if is_shell_script(&own, registry) => Some((own, None)), // `./scripts/reset-db.sh`
        None => None,
    }
}

/// Follow what the walked commands run from files: the commands in a script file a shell or
/// `source` runs (read relative to `cwd`, or what the string itself wrote to it), and the
/// recipe or script of a project task (`make reset`, `npm run db:reset`, `just wipe`). A file
/// that cannot be read is "cannot see".
fn follow_files(mut script: Script, cwd: &Path, env: &Env, registry: &Registry) -> Script {
    let mut followed = 0;
    let mut i = 0;
    while i < script.commands.len() {
        let argv = &script.commands[i].argv;
        if let Some(found) = project::tasks(argv, cwd, registry).or_else(|| migrations::applied(argv, cwd, registry)) {
            followed += 1;
            if followed > MAX_SCRIPTS {
                script.unknown.push("scripts run other scripts too deeply to follow".into());
            } else {
                add_tasks(&mut script, i, found, env, registry);
            }
        } else if let Some((path, content)) = script_file(&script, &script.commands[i], cwd, registry) {
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
                    let mut inner = shell::parse_in(&text, Some(cwd), Some(env), registry);
                    let offset = script.written.len();
                    for c in &mut inner.commands {
                        c.writes_before += offset;
                    }
                    script.written.extend(std::mem::take(&mut inner.written));
                    append(&mut script, inner);
                }
                Ok(_) => script.unknown.push(format!("the script {} is too long to follow", path.display())),
                Err(e) => script.unknown.push(e),
            }
        }
        i += 1;
    }
    script
}

/// The commands of the tasks command `at` runs, with its notes and the task's.
fn add_tasks(
    script: &mut Script,
    at: usize,
    found: Result<Vec<project::Task>, String>,
    env: &Env,
    registry: &Registry,
) {
    match found {
        Ok(tasks) => {
            let notes = script.commands[at].notes.clone();
            for task in tasks {
                let mut inner = shell::parse_in(&task.text, Some(&task.dir), Some(env), registry);
                for c in &mut inner.commands {
                    c.writes_before = 0;
                    c.notes.extend(notes.iter().cloned());
                    c.notes.push(task.note.clone());
                }
                append(script, inner);
            }
        }
        Err(e) => script.unknown.push(format!("the task it runs cannot be read ({e})")),
    }
}

fn append(script: &mut Script, inner: Script) {
    script.unknown.extend(inner.unknown);
    script.guard_off.extend(inner.guard_off);
    script.commands.extend(inner.commands);
}
