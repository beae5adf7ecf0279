//! Shim mode: interlock invoked under another program's name.
//!
//! Finds the real program, asks the engine, and either `execv`s the real program with the
//! untouched argv, environment, stdio and pid, or hands the call to `confirm`. On an allowed
//! call it prints nothing. This is the hot path of every agent command: it loads only the
//! rules of the invoked program and spawns nothing.

use std::ffi::{CStr, CString, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::audit::{self, Record};
use crate::confirm;
use crate::exit;
use crate::invocation::{Env, Invocation, Stdin, program_name};
use crate::judge;
use crate::registry::Registry;
use crate::resolve::{self, SelfId, VISITED_VAR};
use crate::rules::RuleSet;
use crate::verdict::Decision;
use crate::walk;

/// Run as the shim for `argv[0]`'s basename.
pub(crate) fn run(argv: Vec<OsString>) -> ExitCode {
    let program = argv.first().map(|a| program_name(a)).unwrap_or_default();
    let me = SelfId::current();
    match resolve::find_real(&program, std::env::var_os("PATH").as_deref(), &me) {
        Ok(real) => run_as(&program, real, argv, &me),
        Err(e) => {
            eprintln!("interlock: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Run as the shim for the program the exec guard handed over: `target` is the path the
/// caller meant to run (relative to the working directory, as exec takes it).
pub(crate) fn run_guarded(argv: Vec<OsString>, target: OsString) -> ExitCode {
    let me = SelfId::current();
    let target = PathBuf::from(target);
    let program = crate::guard::program_for(&target, crate::guard::current_table().as_ref());
    if argv.is_empty() {
        eprintln!(
            "interlock: blocked: {} was started with an empty argument list (not even its name); \
             interlock runs nothing it cannot show a human",
            target.display()
        );
        return ExitCode::from(exit::BLOCKED);
    }
    // The library never hands over interlock itself; should a path lead back here anyway,
    // the real program is looked up by name as the shim would.
    let is_us = std::fs::canonicalize(&target).ok().is_some_and(|t| me.exe.as_deref() == Some(t.as_path()));
    if is_us {
        return match resolve::find_real(&program, std::env::var_os("PATH").as_deref(), &me) {
            Ok(real) => run_as(&program, real, argv, &me),
            Err(e) => {
                eprintln!("interlock: {e}");
                ExitCode::from(e.exit_code())
            }
        };
    }
    run_as(&program, target, argv, &me)
}

/// Judge `argv` as a call of `program`, whose real binary is `real`, and exec it or block it.
fn run_as(program: &str, real: PathBuf, argv: Vec<OsString>, me: &SelfId) -> ExitCode {
    let program = program.to_string();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let registry = Registry::with(&program, RuleSet::for_program(&program));
    if judge::skips(&registry.rules(&program)) && !walk::follows(&program, &registry) {
        // Nothing can match and nothing runs inside: skip analysis entirely.
        let args: Vec<String> = argv.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
        audit::record(&Record::new("allow", &program, Some(&real), &args, &cwd, None));
        return exec(&real, &argv, me, None);
    }
    // The shim keeps its own handle on the stdin spool: the analyzers read through the
    // invocation's, and fd 0 is restored from this one before the exec.
    let stdin = Stdin::from_process();
    let spool = match &stdin {
        Stdin::Process(handle) => Some(handle.clone()),
        _ => None,
    };
    let mut inv = Invocation::new(argv, cwd, Env::from_process(), stdin);
    // A hand-over from the exec guard names the program by the file that runs, not by the
    // caller's argv[0] (`./fetch` linked to curl is curl).
    inv.program.clone_from(&program);
    // `sudo -u postgres psql …`, `kubectl exec POD -- …`, `ssh HOST '…'`: no shim runs on
    // the far side, so the walker hands back what the wrapper runs to be judged here too.
    let walk = walk::argv(inv, registry);
    let judgement = judge::judge(&walk);
    let Some(inv) = walk.invocations.first() else { return ExitCode::from(exit::ERROR) };
    let args = inv.args_lossy();
    if judgement.verdict.decision == Decision::Allow {
        audit::record(&Record::new("allow", &program, Some(&real), &args, &inv.cwd, Some(&judgement.verdict)));
        return exec(&real, &inv.argv, me, spool.as_ref());
    }
    let outcome = confirm::decide(inv, &real, &judgement);
    audit::record(&Record::new(outcome.as_str(), &program, Some(&real), &args, &inv.cwd, Some(&judgement.verdict)));
    if outcome.runs() { exec(&real, &inv.argv, me, spool.as_ref()) } else { ExitCode::from(exit::BLOCKED) }
}

/// Replace this process with `real`, argv byte for byte. Returns only on failure.
fn exec(real: &Path, argv: &[OsString], me: &SelfId, spool: Option<&crate::invocation::SpoolHandle>) -> ExitCode {
    if let Some(spool) = spool
        && let Err(e) = spool.borrow_mut().restore()
    {
        eprintln!("interlock: cannot hand standard input to {}: {e}", real.display());
        return ExitCode::from(exit::ERROR);
    }
    let (Some(path), Some(args), Some(env)) = (cstring(real.as_os_str().as_bytes()), cstrings(argv), environment(me))
    else {
        eprintln!("interlock: {}: an argument contains a NUL byte", real.display());
        return ExitCode::from(exit::ERROR);
    };
    restore_signal_dispositions();
    let err = execve(&path, &args, &env);
    if err == nix::errno::Errno::ENOEXEC {
        // execvp runs a file without a `#!` line with the shell; so do we.
        let mut sh_args = vec![CString::from(c"/bin/sh"), path.clone()];
        sh_args.extend(args.into_iter().skip(1));
        let e = execve(c"/bin/sh", &sh_args, &env);
        eprintln!("interlock: {}: {}", real.display(), e.desc());
        return ExitCode::from(exit::NOT_EXECUTABLE);
    }
    eprintln!("interlock: {}: {}", real.display(), err.desc());
    ExitCode::from(if err == nix::errno::Errno::ENOENT { exit::NOT_FOUND } else { exit::NOT_EXECUTABLE })
}

/// `execve(2)`, straight to the kernel on Linux: when the exec guard is loaded into this
/// process, libc's `execve` is the guard's, which would hand the real program straight back
/// to interlock. Returns only on failure.
fn execve(path: &CStr, args: &[CString], env: &[CString]) -> nix::errno::Errno {
    #[cfg(target_os = "linux")]
    {
        let argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).chain([std::ptr::null()]).collect();
        let envp: Vec<*const libc::c_char> = env.iter().map(|a| a.as_ptr()).chain([std::ptr::null()]).collect();
        // SAFETY: NUL-terminated strings in NULL-terminated arrays that outlive the call.
        unsafe { libc::syscall(libc::SYS_execve, path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
        nix::errno::Errno::last()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let Err(e) = nix::unistd::execve(path, args, env);
        e
    }
}

/// Undo what the Rust runtime did at start-up: it ignores SIGPIPE, and `execve` keeps
/// ignored signals ignored. The real program must start as it would have without us.
pub(crate) fn restore_signal_dispositions() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: installing the default disposition runs no handler code.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
}

fn cstring(bytes: &[u8]) -> Option<CString> {
    CString::new(bytes).ok()
}

fn cstrings(args: &[OsString]) -> Option<Vec<CString>> {
    args.iter().map(|a| cstring(a.as_bytes())).collect()
}

/// This process' environment, with `INTERLOCK_VISITED` naming the installs already passed
/// (it stops two interlock installs from exec'ing each other) and, when the exec guard is
/// loaded, `INTERLOCK_GUARD_PASS` for the program's copy of the guard, which removes it again
/// before the program's `main`.
fn environment(me: &SelfId) -> Option<Vec<CString>> {
    let mut env: Vec<CString> = std::env::vars_os()
        .filter(|(k, _)| k != VISITED_VAR && k != crate::guard::PASS_VAR)
        .map(|(k, v)| {
            let mut kv = k.into_vec();
            kv.push(b'=');
            kv.extend(v.into_vec());
            CString::new(kv).ok()
        })
        .collect::<Option<_>>()?;
    let mut visited = VISITED_VAR.as_bytes().to_vec();
    visited.push(b'=');
    visited.extend(me.visited_value().into_vec());
    env.push(CString::new(visited).ok()?);
    if let Some(pass) = crate::guard::pass_entry() {
        env.push(CString::new(pass.into_vec()).ok()?);
    }
    Some(env)
}
