//! `interlock doctor`: is protection active on this PATH, and where are things kept.
//!
//! Exit 0 only when the shims directory exists, is on PATH, and no directory before it
//! holds a program it guards (which would run unguarded).

use std::path::PathBuf;

use super::shims::{MANIFEST, shims_dir};
use crate::exit;
use crate::guard;
use crate::paths;
use crate::resolve::{self, SelfId};
use crate::rules::RuleSet;

pub(super) fn doctor(dir: Option<PathBuf>, verbose: bool) -> anyhow::Result<u8> {
    let dir = shims_dir(dir)?;
    let mut problems: Vec<String> = Vec::new();
    let path_var = std::env::var_os("PATH");
    let dirs = resolve::search_dirs(path_var.as_deref());
    let canonical = std::fs::canonicalize(&dir).ok();
    let position = dirs.iter().position(|d| std::fs::canonicalize(d).ok() == canonical && canonical.is_some());

    println!("shims directory: {}", dir.display());
    let names: Vec<String> =
        std::fs::read_to_string(dir.join(MANIFEST)).map(|t| t.lines().map(String::from).collect()).unwrap_or_default();
    if names.is_empty() {
        problems.push(format!("no shims in {} (run `interlock shims install`)", dir.display()));
    }
    match position {
        Some(0) => println!("  on PATH: yes, first"),
        Some(i) => println!("  on PATH: yes, entry {} of {}", i + 1, dirs.len()),
        None => problems.push(format!("{} is not on PATH: nothing is guarded in this shell", dir.display())),
    }

    report_programs(&names, path_var.as_deref(), &dirs, position, verbose, &mut problems);

    let rules = RuleSet::all();
    println!("rules: {} in force", rules.rules.len());
    println!("  system rules: {}", paths::SYSTEM_RULES_DIR);
    if let Some(d) = paths::user_rules_dir() {
        println!("  user rules:   {}", d.display());
    }
    for d in crate::rules::project_rule_dirs(&std::env::current_dir().unwrap_or_default()) {
        println!("  project rules: {}", d.display());
    }
    for w in &rules.warnings {
        println!("  warning: {w}");
    }
    for e in &rules.errors {
        println!("  error: {e} (skipped)");
    }
    for e in rules.compile_errors() {
        println!("  error: {e}");
    }
    for r in &rules.ignored {
        println!("  ignored: {} ({}) loosens protection and has not been accepted by a human", r.spec.id, r.location());
    }
    report_guard(&mut problems);
    println!("agents:");
    use super::setup::Target;
    for t in Target::all() {
        let w = super::setup::wiring(t);
        let state = match (w.registered, w.problems.is_empty()) {
            (false, _) => "not wired",
            (true, true) => "wired",
            (true, false) => "wired, NOT protecting",
        };
        println!("  {:<7} {state}", t.name());
        for p in &w.problems {
            println!("          - {p}");
        }
        for n in w.notes.iter().filter(|_| w.registered) {
            println!("          note: {n}");
        }
        problems.extend(w.problems);
    }
    if let Some(d) = paths::config_dir() {
        println!("config: {}", d.display());
    }
    if let Some(d) = paths::state_dir() {
        println!("state (log, approvals): {}", d.display());
    }

    if problems.is_empty() {
        println!("protection: active");
        Ok(exit::ALLOW)
    } else {
        println!("protection: NOT active");
        for p in &problems {
            println!("  - {p}");
        }
        Ok(exit::NEEDS_HUMAN)
    }
}

/// The guarded programs: one summary line, each shim and its real program with `verbose`, and
/// always those a directory before the shims on PATH shadows (they run unguarded).
fn report_programs(
    names: &[String],
    path_var: Option<&std::ffi::OsStr>,
    dirs: &[PathBuf],
    position: Option<usize>,
    verbose: bool,
    problems: &mut Vec<String>,
) {
    let me = SelfId::current();
    // One line for the programs; each one only with --verbose, or when it runs unguarded.
    let mut installed = 0;
    let mut lines: Vec<String> = Vec::new();
    for name in names {
        let real = match resolve::find_real(name, path_var, &me) {
            Ok(p) => {
                installed += 1;
                p.display().to_string()
            }
            Err(_) => "not installed".into(),
        };
        let shadow =
            position.and_then(|pos| dirs[..pos].iter().map(|d| d.join(name)).find(|p| p.is_file() && !is_shim(p, &me)));
        match shadow {
            Some(s) => {
                lines.push(format!("  {name:<12} -> {real}   UNGUARDED: {} comes first on PATH", s.display()));
                problems.push(format!("{name}: {} comes before the shims on PATH", s.display()));
            }
            None if verbose => lines.push(format!("  {name:<12} -> {real}")),
            None => {}
        }
    }
    println!(
        "guarded programs: {} shims, {installed} of their programs installed here{}",
        names.len(),
        if verbose { "" } else { " (--verbose lists each)" }
    );
    for line in lines {
        println!("{line}");
    }
}

/// The exec guard: installed, its table readable and current, and loaded into this process
/// tree. A guard that is off is reported, not counted as a problem (the shims and the hooks
/// protect without it); a broken install of it is.
fn report_guard(problems: &mut Vec<String>) {
    if !cfg!(target_os = "linux") {
        println!("exec guard: not available on this system (Linux only; see the README)");
        return;
    }
    let st = guard::status();
    let state = if st.loaded_here { "on" } else { "off" };
    match &st.lib {
        Some(lib) => println!("exec guard: {state} ({})", lib.display()),
        None => {
            println!("exec guard: {state} (not installed: ./install.sh puts {} in the data directory)", guard::LIB_FILE)
        }
    }
    if st.lib.is_some() || st.loaded_here {
        match (&st.table, &st.table_file) {
            (Some(t), f) => {
                let f = f.as_ref().map(|f| f.display().to_string()).unwrap_or_default();
                println!("  table: {f} ({} names, {} real binaries)", t.names.len(), t.ids.len());
                if !t.interlock.is_file() {
                    problems.push(format!(
                        "the guard hands calls to {}, which does not exist: every guarded program is blocked \
                         (run `interlock shims install` with the installed binary)",
                        t.interlock.display()
                    ));
                }
            }
            (None, f) => problems.push(format!(
                "the exec guard has no readable table{} and guards nothing (run `interlock shims install`)",
                f.as_ref().map(|f| format!(" at {}", f.display())).unwrap_or_default()
            )),
        }
        if !st.stale.is_empty() {
            println!(
                "  stale: {} changed since the table was written; found by name only until `interlock shims install` runs again",
                st.stale.join(", ")
            );
        }
    }
    if st.loaded_here {
        match st.loaded_in_parent {
            Some(true) => println!("  this shell is guarded, and so is everything it starts"),
            _ => println!(
                "  the shell that ran doctor is not itself guarded (LD_PRELOAD was set after it started): what it \
                 starts is, but a statically linked program it runs directly is not seen"
            ),
        }
    } else if st.lib.is_some() {
        println!("  LD_PRELOAD does not name it here: source activate.sh or run `interlock setup <agent>`");
    }
}

/// Whether `path` is an interlock shim (of this or another install).
fn is_shim(path: &std::path::Path, me: &SelfId) -> bool {
    use std::os::unix::fs::MetadataExt;
    let canonical = std::fs::canonicalize(path).ok();
    std::fs::metadata(path).is_ok_and(|m| me.ids.contains(&(m.dev(), m.ino())))
        || canonical.as_deref().and_then(|c| c.file_name()).is_some_and(|n| n == "interlock")
}
