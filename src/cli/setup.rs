//! `interlock setup claude|cursor|codex|gemini`: register the hook in the agent's settings
//! and put the shims first on PATH for the agent's commands.
//!
//! Settings files are merged, never replaced: unrelated keys are kept, a backup of the
//! previous content is written beside the file, running twice changes nothing, and
//! `--remove` takes out exactly what setup put in.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

use crate::exit;
use crate::paths;

/// Which agent to wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Claude,
    Cursor,
    Codex,
    Gemini,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Claude => "claude",
            Target::Cursor => "cursor",
            Target::Codex => "codex",
            Target::Gemini => "gemini",
        }
    }
}

/// Marks the PATH entry setup added to a settings `env`, so `--remove` can take it out.
const PATH_MARKER: &str = "INTERLOCK_SETUP_PATH";

pub struct Options {
    pub project: bool,
    pub dry_run: bool,
    pub remove: bool,
}

fn home() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from).context("HOME is not set")
}

fn base(project: bool, dir: &str) -> anyhow::Result<PathBuf> {
    Ok(if project { std::env::current_dir()?.join(dir) } else { home()?.join(dir) })
}

fn hook_command(target: Target) -> anyhow::Result<String> {
    let exe = std::env::current_exe().and_then(std::fs::canonicalize).context("finding the interlock binary")?;
    Ok(format!("{} hook {}", shell_words::quote(&exe.to_string_lossy()), target.name()))
}

fn shims_dir() -> anyhow::Result<PathBuf> {
    paths::default_shims_dir().context("no data directory for the shims")
}

/// The settings files each agent reads, for `doctor`.
pub fn settings_files(target: Target) -> Vec<PathBuf> {
    let Ok(home) = home() else { return Vec::new() };
    match target {
        Target::Claude => vec![home.join(".claude/settings.json")],
        Target::Cursor => vec![home.join(".cursor/hooks.json")],
        Target::Codex => vec![home.join(".codex/hooks.json")],
        Target::Gemini => vec![home.join(".gemini/settings.json")],
    }
}

/// Whether `target`'s user settings register interlock's hook.
pub fn is_wired(target: Target) -> bool {
    let needle = format!("hook {}", target.name());
    settings_files(target)
        .iter()
        .any(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("interlock") && t.contains(&needle)))
}

pub fn setup(target: Target, opts: Options) -> anyhow::Result<u8> {
    let command = hook_command(target)?;
    let shims = shims_dir()?;
    let mut changes: Vec<(PathBuf, String)> = Vec::new();
    match target {
        Target::Claude => {
            let file = base(opts.project, ".claude")?.join("settings.json");
            let mut v = read_json(&file)?;
            toggle_pretooluse(&mut v, &command, opts.remove);
            if opts.remove {
                remove_env_path(&mut v, &shims)
            } else {
                add_env_path(&mut v, &shims)
            }
            changes.push((file, pretty(&v)?));
        }
        Target::Cursor => {
            let file = base(opts.project, ".cursor")?.join("hooks.json");
            let mut v = read_json(&file)?;
            toggle_hook(
                &mut v,
                &["hooks", "beforeShellExecution"],
                json!({"command": command, "failClosed": true}),
                &command,
                opts.remove,
            );
            if !opts.remove
                && let Some(obj) = v.as_object_mut()
            {
                obj.entry("version").or_insert(json!(1));
            }
            changes.push((file, pretty(&v)?));
            changes.push(zshenv_change(&shims, "CURSOR_AGENT", target, opts.remove)?);
        }
        Target::Codex => {
            let dir = base(opts.project, ".codex")?;
            let file = dir.join("hooks.json");
            let mut v = read_json(&file)?;
            toggle_pretooluse(&mut v, &command, opts.remove);
            changes.push((file, pretty(&v)?));
            changes.push(codex_config_change(&dir.join("config.toml"), &shims, opts.remove)?);
        }
        Target::Gemini => {
            let file = base(opts.project, ".gemini")?.join("settings.json");
            let mut v = read_json(&file)?;
            toggle_hook(
                &mut v,
                &["hooks", "BeforeTool"],
                json!({"matcher": "run_shell_command", "hooks": [{"name": "interlock", "type": "command", "command": command}]}),
                &command,
                opts.remove,
            );
            changes.push((file, pretty(&v)?));
            changes.push(zshenv_change(&shims, "GEMINI_CLI", target, opts.remove)?);
        }
    }
    for (file, content) in changes {
        let old = std::fs::read_to_string(&file).ok();
        if old.as_deref() == Some(content.as_str()) {
            println!("{}: up to date", file.display());
            continue;
        }
        if opts.dry_run {
            println!("would write {}:\n{content}", file.display());
            continue;
        }
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        if let Some(old) = &old {
            let backup = file.with_file_name(format!(
                "{}.interlock-backup",
                file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            ));
            std::fs::write(&backup, old).with_context(|| format!("writing {}", backup.display()))?;
        }
        std::fs::write(&file, &content).with_context(|| format!("writing {}", file.display()))?;
        println!("{} {}", if opts.remove { "updated" } else { "wrote" }, file.display());
    }
    if !opts.remove && !opts.dry_run {
        println!("interlock: {} is wired; restart it for the change to take effect.", target.name());
    }
    Ok(exit::ALLOW)
}

fn read_json(file: &Path) -> anyhow::Result<Value> {
    match std::fs::read_to_string(file) {
        Ok(t) if t.trim().is_empty() => Ok(json!({})),
        Ok(t) => {
            let v: Value = serde_json::from_str(&t)
                .with_context(|| format!("{} is not valid JSON; fix it first", file.display()))?;
            if !v.is_object() {
                bail!("{} does not hold a JSON object", file.display());
            }
            Ok(v)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(json!({})),
        Err(e) => Err(e).with_context(|| format!("reading {}", file.display())),
    }
}

fn pretty(v: &Value) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(v)? + "\n")
}

/// The array at `path` in `v`, created when missing.
fn array_at<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Vec<Value>> {
    let mut cur = v;
    for (i, key) in path.iter().enumerate() {
        let obj = cur.as_object_mut()?;
        let default = if i + 1 == path.len() { json!([]) } else { json!({}) };
        cur = obj.entry(key.to_string()).or_insert(default);
    }
    cur.as_array_mut()
}

fn mentions_interlock_hook(v: &Value) -> bool {
    v.to_string().contains("interlock") && v.to_string().contains(" hook ")
}

/// Claude Code's PreToolUse registration, which Codex reads in the same format.
fn toggle_pretooluse(v: &mut Value, command: &str, remove: bool) {
    let group = json!({"matcher": "Bash", "hooks": [{"type": "command", "command": command}]});
    toggle_hook(v, &["hooks", "PreToolUse"], group, command, remove);
}

/// Add interlock's hook `group` at `path`, or take every interlock registration out.
fn toggle_hook(v: &mut Value, path: &[&str], group: Value, command: &str, remove: bool) {
    if remove { remove_hook_groups(v, path) } else { add_hook_group(v, path, group, command) }
}

fn add_hook_group(v: &mut Value, path: &[&str], group: Value, command: &str) {
    let Some(list) = array_at(v, path) else { return };
    // Replace an older registration (another binary path) instead of adding a second one.
    list.retain(|g| !mentions_interlock_hook(g) || g.to_string().contains(command));
    if !list.iter().any(|g| g.to_string().contains(command)) {
        list.push(group);
    }
}

fn remove_hook_groups(v: &mut Value, path: &[&str]) {
    if let Some(list) = array_at(v, path) {
        list.retain(|g| !mentions_interlock_hook(g));
    }
    prune(v, path);
}

/// Remove the containers along `path` that setup's removal left empty.
fn prune(v: &mut Value, path: &[&str]) {
    for depth in (1..=path.len()).rev() {
        let (parent_path, key) = (&path[..depth - 1], path[depth - 1]);
        let mut cur = &mut *v;
        for k in parent_path {
            match cur.get_mut(*k) {
                Some(next) => cur = next,
                None => return,
            }
        }
        let Some(obj) = cur.as_object_mut() else { return };
        let empty = obj
            .get(key)
            .is_some_and(|x| x.as_array().is_some_and(Vec::is_empty) || x.as_object().is_some_and(Map::is_empty));
        if empty {
            obj.remove(key);
        } else {
            return;
        }
    }
}

fn add_env_path(v: &mut Value, shims: &Path) {
    let Some(obj) = v.as_object_mut() else { return };
    let env = obj.entry("env").or_insert(json!({}));
    let Some(env) = env.as_object_mut() else { return };
    let shims = shims.display().to_string();
    let current = env.get("PATH").and_then(Value::as_str).map(String::from);
    match current {
        Some(p) if p.split(':').next() == Some(shims.as_str()) => {}
        Some(p) => {
            env.insert("PATH".into(), json!(format!("{shims}:{p}")));
            env.insert(PATH_MARKER.into(), json!("prefixed"));
        }
        None => {
            let inherited = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
            let rest: Vec<&str> = inherited.split(':').filter(|d| *d != shims).collect();
            env.insert("PATH".into(), json!(format!("{shims}:{}", rest.join(":"))));
            env.insert(PATH_MARKER.into(), json!("added"));
        }
    }
}

fn remove_env_path(v: &mut Value, shims: &Path) {
    let shims = shims.display().to_string();
    if let Some(env) = v.get_mut("env").and_then(Value::as_object_mut) {
        match env.remove(PATH_MARKER).as_ref().and_then(Value::as_str) {
            Some("added") => {
                env.remove("PATH");
            }
            Some(_) => {
                if let Some(p) =
                    env.get("PATH").and_then(Value::as_str).and_then(|p| p.strip_prefix(&format!("{shims}:")))
                {
                    let rest = p.to_string();
                    env.insert("PATH".into(), json!(rest));
                }
            }
            None => {}
        }
    }
    prune(v, &["env"]);
}

/// The `~/.zshenv` block that puts the shims first when `marker` is set.
fn zshenv_change(shims: &Path, marker: &str, target: Target, remove: bool) -> anyhow::Result<(PathBuf, String)> {
    let file = home()?.join(".zshenv");
    let begin = format!("# >>> interlock ({}) >>>", target.name());
    let end = format!("# <<< interlock ({}) <<<", target.name());
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    let mut kept = String::new();
    let mut inside = false;
    for line in old.lines() {
        if line == begin {
            inside = true;
        } else if line == end {
            inside = false;
        } else if !inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if !remove {
        let s = shims.display();
        kept.push_str(&format!(
            "{begin}\n# Agent shells read only ~/.zshenv: put interlock's shims first for commands {} runs.\nif [[ -n \"${{{marker}:-}}\" ]]; then path=(\"{s}\" ${{path:#{s}}}); export PATH; fi\n{end}\n",
            target.name()
        ));
    }
    Ok((file, kept))
}

/// Codex: `[shell_environment_policy] set.PATH` puts the shims first for its commands.
fn codex_config_change(file: &Path, shims: &Path, remove: bool) -> anyhow::Result<(PathBuf, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut =
        text.parse().with_context(|| format!("{} is not valid TOML; fix it first", file.display()))?;
    let shims = shims.display().to_string();
    if remove {
        if let Some(policy) = doc.get_mut("shell_environment_policy").and_then(|p| p.as_table_like_mut()) {
            let ours = policy
                .get("set")
                .and_then(|s| s.get("PATH"))
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.starts_with(&shims));
            if ours && let Some(set) = policy.get_mut("set").and_then(|s| s.as_table_like_mut()) {
                set.remove("PATH");
                if set.is_empty() {
                    policy.remove("set");
                }
            }
            if policy.is_empty() {
                doc.remove("shell_environment_policy");
            }
        }
    } else {
        let inherited = std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into());
        let rest: Vec<&str> = inherited.split(':').filter(|d| *d != shims).collect();
        let value = format!("{shims}:{}", rest.join(":"));
        let current = doc
            .get("shell_environment_policy")
            .and_then(|p| p.get("set"))
            .and_then(|s| s.get("PATH"))
            .and_then(|p| p.as_str())
            .map(String::from);
        if !current.is_some_and(|c| c.starts_with(&shims)) {
            doc["shell_environment_policy"]["set"]["PATH"] = toml_edit::value(value);
        }
    }
    Ok((file.to_path_buf(), doc.to_string()))
}
