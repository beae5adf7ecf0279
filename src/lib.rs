//! interlock: a seatbelt between AI agents and irreversible commands.
//!
//! One binary, two faces. Invoked under another program's name (a shim symlink), it
//! classifies the call and either execs the real program untouched or asks a human first.
//! Invoked as `interlock`, it is the command-line tool (`check`, `shims`, `doctor`, …).

mod agent;
mod analyze;
mod approval;
mod audit;
mod cli;
mod confirm;
mod engine;
mod exit;
mod facts;
mod grant;
mod guard;
mod hook;
mod invocation;
mod judge;
mod paths;
mod redact;
mod registry;
mod resolve;
mod rules;
mod shim;
mod state;
mod stdin;
mod verdict;
mod walk;

// The library's public surface: what the binary (`main.rs`), the integration tests and the
// benchmarks use. Everything else is the crate's own.
pub use analyze::sql::{Dialect as SqlDialect, Scanner as SqlScanner};
pub use engine::{Evaluation, evaluate, example_invocation};
pub use invocation::{Env, Invocation, Stdin};
pub use judge::Judgement;
pub use rules::RuleSet;
pub use verdict::{Decision, Match, Severity, Verdict};

/// What `interlock check` concludes about `inv` and everything it runs inside (wrappers,
/// scripts, tasks), as the shim would.
pub fn check(inv: Invocation) -> Judgement {
    judge::judge(&walk::argv(inv, registry::Registry::default()))
}

/// What an agent hook concludes about the shell string `command` run in `cwd`.
pub fn check_command(command: &str, cwd: &std::path::Path) -> Judgement {
    hook::judge(command, cwd)
}

use std::ffi::OsString;
use std::process::ExitCode;

/// A regex written in interlock's source. Its pattern is a literal exercised by the unit
/// tests of the code that uses it, so a pattern that does not compile is a programming
/// error found before release, never a run-time condition.
#[allow(clippy::expect_used)] // invariant above: literal patterns, each covered by tests
pub(crate) fn static_regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).expect("a literal regex in interlock's source compiles")
}

/// The name under which interlock is its own command-line tool.
pub const SELF_NAME: &str = "interlock";

/// Dispatch on argv[0]: `interlock` is the CLI, any other name is a shim for that program.
pub fn run(argv: Vec<OsString>) -> ExitCode {
    if let Some(target) = std::env::var_os(guard::EXEC_VAR) {
        // The exec guard handed over an exec of a guarded program (see `guard`). The variable
        // is the library's message to this process, never passed on.
        // SAFETY: the start of `main`: no other thread exists to read the environment.
        unsafe { std::env::remove_var(guard::EXEC_VAR) };
        return blocked_on_panic(move || shim::run_guarded(argv, target));
    }
    let name = argv.first().map(|a| invocation::program_name(a)).unwrap_or_default();
    if name == SELF_NAME || name.starts_with("interlock.") || argv.is_empty() {
        cli::run(argv)
    } else {
        blocked_on_panic(move || shim::run(argv))
    }
}

/// Shim mode's contract holds even when interlock itself fails: a panic (a bug) ends as a
/// blocked call — `interlock: blocked` and one line of reason on stderr, exit 77 — never as
/// Rust's exit 101 after the real program might have been expected to run.
fn blocked_on_panic(shim: impl FnOnce() -> ExitCode + std::panic::UnwindSafe) -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "interlock: blocked: interlock failed while judging this call ({what}{at}), so it did not run. {}",
            agent::STOP
        );
    }));
    #[cfg(debug_assertions)]
    if std::env::var_os("INTERLOCK_TEST_PANIC").is_some() {
        // Debug builds only: lets the test suite check this path end to end.
        return std::panic::catch_unwind(|| -> ExitCode { panic!("INTERLOCK_TEST_PANIC is set") })
            .unwrap_or_else(|_| ExitCode::from(exit::BLOCKED));
    }
    std::panic::catch_unwind(shim).unwrap_or_else(|_| ExitCode::from(exit::BLOCKED))
}
