//! `interlock setup claude|cursor|codex|gemini`: register the hook in the agent's settings
//! and put the shims first on PATH for the agent's commands.
//!
//! Settings files are merged, never replaced: unrelated keys are kept, a backup of the
//! previous content is written beside the file, running twice changes nothing, and
//! `--remove` takes out exactly what setup put in.

mod claude;
mod codex;
mod cursor;
mod gemini;
mod json;
mod vscode;

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Value, json};

use crate::agent::Agent;
use crate::exit;
use crate::paths;

/// Which agent to wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Agent(Agent),
    /// The integrated terminal of VS Code (and of Cursor, which reads the same settings).
    VsCode,
}

impl Target {
    /// Every target, in the order doctor lists them.
    pub(super) fn all() -> impl Iterator<Item = Target> {
        Agent::ALL.into_iter().map(Target::Agent).chain([Target::VsCode])
    }

    /// The target named `name` on interlock's command line.
    pub(super) fn from_name(name: &str) -> Option<Target> {
        Target::all().find(|t| t.name() == name)
    }

    /// What `setup NAME` wires, for `--help`, where the name does not say it.
    pub(super) fn help(self) -> Option<&'static str> {
        match self {
            Target::Agent(_) => None,
            Target::VsCode => Some("VS Code's (and Cursor's) integrated terminal: the shims first on its PATH"),
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Target::Agent(a) => a.name(),
            Target::VsCode => "vscode",
        }
    }
}

/// The hook timeout setup gives each agent, in seconds: longer than the hook's own budget
/// (`hook::protocol::BUDGET`), so the agent always gets the hook's refusal rather than a
/// timeout it would treat as "no objection".
pub(super) const HOOK_TIMEOUT_SECS: u64 = 10;

/// Marks the PATH entry setup added to a settings `env`, so `--remove` can take it out.
const PATH_MARKER: &str = "INTERLOCK_SETUP_PATH";

pub(super) struct Options {
    pub project: bool,
    pub dry_run: bool,
    pub remove: bool,
}

/// What setup knows before it touches an agent's files.
pub(super) struct Ctx {
    pub home: PathBuf,
    /// The hook command to register (`/path/to/interlock hook claude`).
    pub command: String,
    pub shims: PathBuf,
    /// The installed exec guard library, when there is one.
    pub guard: Option<PathBuf>,
    /// Wire the project's settings (`./.claude/`) instead of the user's.
    pub project: bool,
    /// Take out what setup put in.
    pub remove: bool,
}

impl Ctx {
    /// The agent's settings directory `dir` (`.claude`) in the project or in HOME.
    fn base(&self, dir: &str) -> anyhow::Result<PathBuf> {
        Ok(if self.project { std::env::current_dir()?.join(dir) } else { self.home.join(dir) })
    }
}

/// What setup writes for one target: whole files (merged settings) and files to remove.
pub(super) struct Changes {
    pub writes: Vec<(PathBuf, String)>,
    pub deletions: Vec<PathBuf>,
}

/// One target's wiring: what setup changes in its files, and what doctor checks there. Each
/// agent's module implements it; `wired` is the one place that picks the module.
pub(super) trait Wired {
    /// The files to write (and remove) to wire the target, or with `ctx.remove` unwire it.
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes>;
    /// What the target's files say about interlock's wiring now.
    fn wiring(&self, ctx: &Ctx, w: &mut Wiring);
    /// One more line for the human after setup, if the target needs one.
    fn after(&self) -> Option<&'static str> {
        None
    }
}

fn wired(target: Target) -> &'static dyn Wired {
    match target {
        Target::Agent(Agent::Claude) => &claude::Claude,
        Target::Agent(Agent::Cursor) => &cursor::Cursor,
        Target::Agent(Agent::Codex) => &codex::Codex,
        Target::Agent(Agent::Gemini) => &gemini::Gemini,
        Target::VsCode => &vscode::VsCode,
    }
}

fn home() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from).context("HOME is not set")
}

fn context(target: Target, project: bool, remove: bool) -> anyhow::Result<Ctx> {
    Ok(Ctx { home: home()?, command: hook_command(target)?, shims: shims_dir()?, guard: guard_lib(), project, remove })
}

pub(super) fn hook_command(target: Target) -> anyhow::Result<String> {
    let exe = std::env::current_exe().and_then(std::fs::canonicalize).context("finding the interlock binary")?;
    Ok(format!("{} hook {}", shell_words::quote(&exe.to_string_lossy()), target.name()))
}

pub(super) fn shims_dir() -> anyhow::Result<PathBuf> {
    paths::default_shims_dir().context("no data directory for the shims")
}

pub(super) fn setup(target: Target, opts: Options) -> anyhow::Result<u8> {
    let ctx = context(target, opts.project, opts.remove)?;
    let changes = wired(target).changes(&ctx)?;
    apply(changes, &opts)?;
    if !opts.remove && !opts.dry_run {
        println!("interlock: {} is wired; restart it for the change to take effect.", target.name());
        match &ctx.guard {
            Some(lib) => println!("interlock: the exec guard ({}) is on for the commands it runs.", lib.display()),
            None => println!(
                "interlock: the exec guard is not installed (no {} in the data directory): only the shims and the hook \
                 protect this agent. ./install.sh installs it (Linux).",
                crate::guard::LIB_FILE
            ),
        }
        if let Some(line) = wired(target).after() {
            println!("interlock: {line}");
        }
    }
    Ok(exit::ALLOW)
}

/// Write (or with `--dry-run`, show) the changed files, each with a backup of what it held.
/// Taking setup out (`--remove`) puts back what was there before setup when nothing else
/// changed since: the backup's very bytes, or no file at all when setup created it.
fn apply(changes: Changes, opts: &Options) -> anyhow::Result<()> {
    for (file, content) in changes.writes {
        let old = std::fs::read_to_string(&file).ok();
        if opts.remove {
            remove_from(&file, old.as_deref(), &content, opts.dry_run)?;
            continue;
        }
        if old.as_deref() == Some(content.as_str()) {
            println!("{}: up to date", file.display());
            continue;
        }
        if opts.dry_run {
            println!("would write {}:\n{content}", file.display());
            continue;
        }
        write_with_backup(&file, old.as_deref(), &content)?;
        println!("wrote {}", file.display());
    }
    for file in changes.deletions.into_iter().filter(|f| f.exists()) {
        if opts.dry_run {
            println!("would remove {}", file.display());
        } else {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            println!("removed {}", file.display());
        }
    }
    Ok(())
}

/// Take setup's part out of `file` (now `old`; `content` without setup's part): put back what
/// was there before setup when nothing else changed, leave a file alone that holds nothing
/// of interlock's, else write `content`.
fn remove_from(file: &Path, old: Option<&str>, content: &str, dry_run: bool) -> anyhow::Result<()> {
    let Some(old) = old else { return Ok(()) }; // nothing to take out of a file that is not there
    let before = before_setup(file, content);
    if before.is_none() && same_settings(file, old, content) {
        return Ok(()); // nothing of interlock's in it
    }
    if dry_run {
        println!("would write {}:\n{content}", file.display());
        return Ok(());
    }
    match before {
        Some(before) => restore(file, before),
        None => {
            write_with_backup(file, Some(old), content)?;
            println!("updated {}", file.display());
            Ok(())
        }
    }
}

/// Write `content` to `file`, keeping what it held (`old`) in its backup.
fn write_with_backup(file: &Path, old: Option<&str>, content: &str) -> anyhow::Result<()> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    if let Some(old) = old {
        std::fs::write(backup_of(file), old).with_context(|| format!("writing {}", backup_of(file).display()))?;
    }
    std::fs::write(file, content).with_context(|| format!("writing {}", file.display()))
}

/// Where setup keeps what a file held before it changed it.
fn backup_of(file: &Path) -> PathBuf {
    file.with_file_name(format!(
        "{}.interlock-backup",
        file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
    ))
}

/// What a file held before setup, when `content` (the file with setup taken out) is that
/// again: the backup's bytes (`Some(Some(…))`), or no file (`Some(None)`: setup created it,
/// and what is left is empty).
fn before_setup(file: &Path, content: &str) -> Option<Option<String>> {
    match std::fs::read_to_string(backup_of(file)) {
        Ok(backup) => same_settings(file, &backup, content).then_some(Some(backup)),
        Err(_) => empty_settings(content).then_some(None),
    }
}

/// Whether two versions of a settings file say the same (JSON and TOML compared as values,
/// other files as text).
fn same_settings(file: &Path, a: &str, b: &str) -> bool {
    match file.extension().and_then(|e| e.to_str()) {
        Some("json") => {
            serde_json::from_str::<Value>(a).ok().is_some_and(|x| serde_json::from_str::<Value>(b).ok() == Some(x))
        }
        Some("toml") => {
            toml::from_str::<toml::Table>(a).ok().is_some_and(|x| toml::from_str::<toml::Table>(b).ok() == Some(x))
        }
        _ => a == b,
    }
}

/// Whether what is left says nothing: empty, or an empty JSON object.
fn empty_settings(content: &str) -> bool {
    content.trim().is_empty() || serde_json::from_str::<Value>(content).ok() == Some(json!({}))
}

/// Put back what a file held before setup, and drop the backup.
fn restore(file: &Path, before: Option<String>) -> anyhow::Result<()> {
    match before {
        Some(bytes) => {
            std::fs::write(file, bytes).with_context(|| format!("writing {}", file.display()))?;
            println!("restored {} as it was before setup", file.display());
        }
        None => {
            std::fs::remove_file(file).with_context(|| format!("removing {}", file.display()))?;
            println!("removed {} (setup had created it)", file.display());
        }
    }
    let _ = std::fs::remove_file(backup_of(file));
    Ok(())
}

/// `shims` first, then each directory of `rest` once, without the shims or empty entries.
pub(super) fn shims_first(shims: &str, rest: &str) -> String {
    let mut seen: Vec<&str> = vec![shims];
    for d in rest.split(':') {
        if !d.is_empty() && !seen.contains(&d) {
            seen.push(d);
        }
    }
    seen.join(":")
}

/// The PATH setup writes where an agent takes it literally (Claude Code's `env`, Codex's
/// `set.PATH`): the shims first, then this shell's PATH without duplicates. Running setup
/// (or `doctor --fix`) again refreshes it.
pub(super) fn literal_path(shims: &Path) -> String {
    let inherited = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
    shims_first(&shims.display().to_string(), &inherited)
}

/// The installed exec guard library, when there is one.
fn guard_lib() -> Option<PathBuf> {
    let lib = crate::paths::data_dir()?.join(crate::guard::LIB_FILE);
    (cfg!(target_os = "linux") && lib.is_file()).then_some(lib)
}

/// `LD_PRELOAD` with the guard library first (once).
pub(super) fn with_guard(current: &str, lib: &Path) -> String {
    let lib = lib.display().to_string();
    let rest: Vec<&str> = current.split([':', ' ']).filter(|e| !e.is_empty() && *e != lib).collect();
    std::iter::once(lib.as_str()).chain(rest).collect::<Vec<_>>().join(":")
}

/// `LD_PRELOAD` without interlock's guard library; None when it did not name it.
pub(super) fn without_guard(current: &str) -> Option<String> {
    let is_guard = |e: &str| Path::new(e).file_name().is_some_and(|n| n == crate::guard::LIB_FILE);
    let entries: Vec<&str> = current.split([':', ' ']).filter(|e| !e.is_empty()).collect();
    entries
        .iter()
        .any(|e| is_guard(e))
        .then(|| entries.into_iter().filter(|e| !is_guard(e)).collect::<Vec<_>>().join(":"))
}

/// What `doctor` found of one agent's wiring.
#[derive(Debug, Default)]
pub(super) struct Wiring {
    /// interlock's hook (or terminal PATH) is registered in the agent's settings.
    pub registered: bool,
    /// Ways in which the registration does not protect (the agent will not run the hook,
    /// its commands will not find the shims first, …).
    pub problems: Vec<String>,
    /// Worth knowing, not a hole.
    pub notes: Vec<String>,
}

pub(super) fn first_path_entry(p: &str) -> &str {
    p.split(':').next().unwrap_or_default()
}

/// The interlock hook handlers at `path` in `v`.
fn our_handlers(v: &Value, path: &str) -> Vec<Value> {
    let groups = v.pointer(path).and_then(Value::as_array).cloned().unwrap_or_default();
    groups
        .into_iter()
        .filter(json::mentions_interlock_hook)
        .flat_map(|g| match g.get("hooks").and_then(Value::as_array) {
            Some(hs) => hs.clone(),
            None => vec![g],
        })
        .collect()
}

/// Problems with one registered handler: a binary that is gone, a timeout shorter than the
/// hook's budget (in `unit_ms` per unit).
fn handler_problems(agent: &str, h: &Value, unit_ms: u64, problems: &mut Vec<String>) {
    let command = h.get("command").and_then(Value::as_str).unwrap_or_default();
    let exe = shell_words::split(command).ok().and_then(|w| w.into_iter().next()).unwrap_or_default();
    if !Path::new(&exe).is_file() {
        problems
            .push(format!("{agent}: the hook runs {exe}, which does not exist (run `interlock setup {agent}` again)"));
    }
    if let Some(t) = h.get("timeout").and_then(Value::as_u64)
        && t * unit_ms <= crate::hook::protocol::BUDGET.as_millis() as u64
    {
        problems.push(format!(
            "{agent}: the hook timeout ({t}) is shorter than interlock's answer budget; a slow check would count as no objection"
        ));
    }
}

/// interlock's handlers at `path` in the settings `file`, with their own problems recorded;
/// `None` when interlock is not registered there.
pub(super) fn registered_handlers(
    w: &mut Wiring,
    file: &Path,
    path: &str,
    agent: &str,
    unit_ms: u64,
) -> Option<(Value, Vec<Value>)> {
    let v = json::read_json(file).unwrap_or_else(|_| json!({}));
    let hs = our_handlers(&v, path);
    w.registered = !hs.is_empty();
    if !w.registered {
        return None;
    }
    hs.iter().for_each(|h| handler_problems(agent, h, unit_ms, &mut w.problems));
    Some((v, hs))
}

/// Settings written before the exec guard was installed do not turn it on for the agent's
/// commands: say so, and that running setup again does.
pub(super) fn stale_guard(w: &mut Wiring, agent: &str, ctx: &Ctx, preload: &str) {
    if let Some(lib) = &ctx.guard
        && !preload.contains(&lib.display().to_string())
    {
        w.problems.push(format!(
            "{agent}: its settings predate the installed exec guard and do not turn it on (run `interlock setup {agent}` again)"
        ));
    }
}

/// Check one target's real state, as far as its files tell.
pub(super) fn wiring(target: Target) -> Wiring {
    let mut w = Wiring::default();
    if let Ok(ctx) = context(target, false, false) {
        wired(target).wiring(&ctx, &mut w);
    }
    w
}
