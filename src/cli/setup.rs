//! `interlock setup claude|cursor|codex|gemini`: register the hook in the agent's settings
//! and put the shims first on PATH for the agent's commands.
//!
//! Settings files are merged, never replaced: unrelated keys are kept, a backup of the
//! previous content is written beside the file, running twice changes nothing, and
//! `--remove` takes out exactly what setup put in.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

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

fn home() -> anyhow::Result<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from).context("HOME is not set")
}

fn base(project: bool, dir: &str) -> anyhow::Result<PathBuf> {
    Ok(if project { std::env::current_dir()?.join(dir) } else { home()?.join(dir) })
}

pub(super) fn hook_command(target: Target) -> anyhow::Result<String> {
    let exe = std::env::current_exe().and_then(std::fs::canonicalize).context("finding the interlock binary")?;
    Ok(format!("{} hook {}", shell_words::quote(&exe.to_string_lossy()), target.name()))
}

pub(super) fn shims_dir() -> anyhow::Result<PathBuf> {
    paths::default_shims_dir().context("no data directory for the shims")
}

/// VS Code's and Cursor's user settings files (the ones that exist, or VS Code's).
fn vscode_settings_files(home: &Path) -> Vec<PathBuf> {
    let config = if cfg!(target_os = "macos") {
        home.join("Library/Application Support")
    } else {
        std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".config"))
    };
    let all: Vec<PathBuf> = ["Code", "Code - Insiders", "Cursor", "VSCodium"]
        .iter()
        .map(|app| config.join(app).join("User/settings.json"))
        .collect();
    let existing: Vec<PathBuf> = all.iter().filter(|f| f.parent().is_some_and(Path::is_dir)).cloned().collect();
    if existing.is_empty() { all.into_iter().take(1).collect() } else { existing }
}

/// The key of the integrated terminal's environment for this OS.
fn vscode_env_key() -> &'static str {
    if cfg!(target_os = "macos") { "terminal.integrated.env.osx" } else { "terminal.integrated.env.linux" }
}

pub(super) fn setup(target: Target, opts: Options) -> anyhow::Result<u8> {
    let command = hook_command(target)?;
    let shims = shims_dir()?;
    let guard = guard_lib();
    let mut changes: Vec<(PathBuf, String)> = Vec::new();
    let mut deletions: Vec<PathBuf> = Vec::new();
    match target {
        Target::Agent(Agent::Claude) => {
            let file = base(opts.project, ".claude")?.join("settings.json");
            let mut v = read_json(&file)?;
            toggle_pretooluse(&mut v, &command, opts.remove);
            if opts.remove {
                remove_env_path(&mut v, &shims)
            } else {
                add_env_path(&mut v, &shims)
            }
            if let Some(env) = v.as_object_mut().map(|o| o.entry("env").or_insert(json!({}))) {
                toggle_preload_json(env, guard.as_deref(), "", opts.remove);
            }
            prune(&mut v, &["env"]);
            changes.push((file, pretty(&v)?));
        }
        Target::VsCode => {
            for file in vscode_settings_files(&home()?) {
                let mut v = read_json(&file)?;
                let key = vscode_env_key();
                if opts.remove {
                    if let Some(env) = v.get_mut(key).and_then(Value::as_object_mut)
                        && env.get("PATH").and_then(Value::as_str).is_some_and(|p| is_our_vscode_path(p, &shims))
                    {
                        env.remove("PATH");
                    }
                    if let Some(env) = v.get_mut(key) {
                        toggle_preload_json(env, guard.as_deref(), ":${env:LD_PRELOAD}", true);
                    }
                    prune(&mut v, &[key]);
                } else {
                    let obj = v.as_object_mut().context("settings is not an object")?;
                    let env = obj.entry(key.to_string()).or_insert(json!({}));
                    let env =
                        env.as_object_mut().with_context(|| format!("{key} in {} is not an object", file.display()))?;
                    match env.get("PATH").and_then(Value::as_str) {
                        Some(p) if !is_our_vscode_path(p, &shims) => bail!(
                            "{} already sets PATH in {key} ({p}); put {} first there yourself",
                            file.display(),
                            shims.display()
                        ),
                        _ => {
                            // VS Code expands ${env:PATH} when it starts the terminal, so the
                            // PATH of the day setup ran is not frozen here.
                            env.insert("PATH".into(), json!(format!("{}:${{env:PATH}}", shims.display())));
                        }
                    }
                    if let Some(env) = obj.get_mut(key) {
                        toggle_preload_json(env, guard.as_deref(), ":${env:LD_PRELOAD}", false);
                    }
                }
                changes.push((file, pretty(&v)?));
            }
        }
        Target::Agent(Agent::Cursor) => {
            let file = base(opts.project, ".cursor")?.join("hooks.json");
            let mut v = read_json(&file)?;
            toggle_hook(
                &mut v,
                &["hooks", "beforeShellExecution"],
                json!({"command": command, "failClosed": true, "timeout": HOOK_TIMEOUT_SECS}),
                opts.remove,
            );
            if !opts.remove
                && let Some(obj) = v.as_object_mut()
            {
                obj.entry("version").or_insert(json!(1));
            }
            changes.push((file, pretty(&v)?));
            changes.push(zshenv_change(&shims, guard.as_deref(), "CURSOR_AGENT", target, opts.remove)?);
        }
        Target::Agent(Agent::Codex) => {
            let dir = base(opts.project, ".codex")?;
            let file = dir.join("hooks.json");
            let mut v = read_json(&file)?;
            let before = v.clone();
            toggle_pretooluse(&mut v, &command, opts.remove);
            let abs = absolute(&file)?;
            changes.push((file, pretty(&v)?));
            changes.push(codex_config_change(
                &dir.join("config.toml"),
                &shims,
                guard.as_deref(),
                &abs,
                &before,
                &v,
                opts.remove,
            )?);
        }
        Target::Agent(Agent::Gemini) => {
            let file = base(opts.project, ".gemini")?.join("settings.json");
            let mut v = read_json(&file)?;
            toggle_hook(
                &mut v,
                &["hooks", "BeforeTool"],
                json!({"matcher": "run_shell_command", "hooks": [{"name": "interlock", "type": "command", "command": command, "timeout": HOOK_TIMEOUT_SECS * 1000}]}),
                opts.remove,
            );
            changes.push((file, pretty(&v)?));
            let gemini = base(opts.project, ".gemini")?;
            changes.extend(gemini_env_change(&gemini, &shims, guard.as_deref(), opts.remove)?);
            if opts.remove {
                deletions.push(gemini_bash_env_file(&gemini));
            }
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
    for file in deletions.into_iter().filter(|f| f.exists()) {
        if opts.dry_run {
            println!("would remove {}", file.display());
        } else {
            std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            println!("removed {}", file.display());
        }
    }
    if !opts.remove && !opts.dry_run {
        println!("interlock: {} is wired; restart it for the change to take effect.", target.name());
        match &guard {
            Some(lib) => println!("interlock: the exec guard ({}) is on for the commands it runs.", lib.display()),
            None => println!(
                "interlock: the exec guard is not installed (no {} in the data directory): only the shims and the hook \
                 protect this agent. ./install.sh installs it (Linux).",
                crate::guard::LIB_FILE
            ),
        }
        if target == Target::Agent(Agent::Codex) {
            println!(
                "interlock: the hook is marked trusted in config.toml (what approving it in Codex's hook review records)."
            );
        }
        if target == Target::Agent(Agent::Gemini) {
            println!(
                "interlock: Gemini CLI reads ~/.gemini/.env only when the project has no .env of its own (and only in trusted folders)."
            );
        }
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
    let group =
        json!({"matcher": "Bash", "hooks": [{"type": "command", "command": command, "timeout": HOOK_TIMEOUT_SECS}]});
    toggle_hook(v, &["hooks", "PreToolUse"], group, remove);
}

/// Add interlock's hook `group` at `path`, or take every interlock registration out.
fn toggle_hook(v: &mut Value, path: &[&str], group: Value, remove: bool) {
    if remove { remove_hook_groups(v, path) } else { add_hook_group(v, path, group) }
}

fn add_hook_group(v: &mut Value, path: &[&str], group: Value) {
    let Some(list) = array_at(v, path) else { return };
    // Replace an older registration (another binary path, no timeout) in place, so the
    // positions of other groups — which Codex's trust entries name — do not move.
    let at = list.iter().position(mentions_interlock_hook).unwrap_or(list.len());
    list.retain(|g| !mentions_interlock_hook(g));
    list.insert(at.min(list.len()), group);
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

fn add_env_path(v: &mut Value, shims: &Path) {
    let Some(obj) = v.as_object_mut() else { return };
    let env = obj.entry("env").or_insert(json!({}));
    let Some(env) = env.as_object_mut() else { return };
    let shims_s = shims.display().to_string();
    let current = env.get("PATH").and_then(Value::as_str).map(String::from);
    let marker = env.get(PATH_MARKER).and_then(Value::as_str).map(String::from);
    match (current, marker.as_deref()) {
        // A PATH the user set themselves: keep it, with the shims first and no duplicates.
        (Some(p), Some("prefixed")) | (Some(p), None) => {
            env.insert("PATH".into(), json!(shims_first(&shims_s, &p)));
            env.insert(PATH_MARKER.into(), json!("prefixed"));
        }
        // Setup's own PATH (or none): refresh it from this shell's PATH.
        _ => {
            env.insert("PATH".into(), json!(literal_path(shims)));
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

/// The `~/.zshenv` block that puts the shims first (and turns on the exec guard) when `marker`
/// is set.
fn zshenv_change(
    shims: &Path,
    guard: Option<&Path>,
    marker: &str,
    target: Target,
    remove: bool,
) -> anyhow::Result<(PathBuf, String)> {
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
            "{begin}\n# Agent shells read only ~/.zshenv: put interlock's shims first for commands {} runs.\nif [[ -n \"${{{marker}:-}}\" ]]; then path=(\"{s}\" ${{path:#{s}}}); export PATH; fi\n",
            target.name()
        ));
        if let Some(lib) = guard {
            let l = lib.display();
            kept.push_str(&format!(
                "if [[ -n \"${{{marker}:-}}\" && \":${{LD_PRELOAD:-}}:\" != *\":{l}:\"* ]]; then export LD_PRELOAD=\"{l}${{LD_PRELOAD:+:$LD_PRELOAD}}\"; fi\n"
            ));
        }
        kept.push_str(&format!("{end}\n"));
    }
    Ok((file, kept))
}

fn absolute(file: &Path) -> anyhow::Result<PathBuf> {
    Ok(if file.is_absolute() { file.to_path_buf() } else { std::env::current_dir()?.join(file) })
}

/// JSON with object keys sorted and no whitespace — the form Codex hashes.
fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let items: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::String((*k).clone()), canonical_json(&map[*k]))).collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// Positions of interlock's groups among a hooks.json's PreToolUse groups.
fn interlock_groups(v: &Value) -> Vec<usize> {
    let groups = v.pointer("/hooks/PreToolUse").and_then(Value::as_array).cloned().unwrap_or_default();
    groups.iter().enumerate().filter(|(_, g)| mentions_interlock_hook(g)).map(|(i, _)| i).collect()
}

/// Codex's trust entries for the PreToolUse handlers of a hooks.json: the key it looks up
/// in `[hooks.state]` and the `trusted_hash` its hook review records — sha256 over the
/// normalized hook (event, matcher, and the handler with its defaults filled in).
pub(super) fn codex_trust_entries(hooks_json: &Path, v: &Value, only_interlock: bool) -> Vec<(String, String)> {
    use sha2::Digest;
    let mut out = Vec::new();
    let groups = v.pointer("/hooks/PreToolUse").and_then(Value::as_array).cloned().unwrap_or_default();
    for (gi, group) in groups.iter().enumerate() {
        if only_interlock && !mentions_interlock_hook(group) {
            continue;
        }
        let handlers = group.get("hooks").and_then(Value::as_array).cloned().unwrap_or_default();
        for (hi, h) in handlers.iter().enumerate() {
            let mut handler = json!({
                "type": "command",
                "command": h.get("command").and_then(Value::as_str).unwrap_or_default(),
                "timeout": h.get("timeout").and_then(Value::as_u64).unwrap_or(600).max(1),
                "async": h.get("async").and_then(Value::as_bool).unwrap_or(false),
            });
            if let Some(m) = h.get("statusMessage").filter(|m| !m.is_null()) {
                handler["statusMessage"] = m.clone();
            }
            let mut ident = json!({"event_name": "pre_tool_use", "hooks": [handler]});
            if let Some(m) = group.get("matcher").filter(|m| !m.is_null()) {
                ident["matcher"] = m.clone();
            }
            let digest = sha2::Sha256::digest(canonical_json(&ident).as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            out.push((format!("{}:pre_tool_use:{gi}:{hi}", hooks_json.display()), format!("sha256:{hex}")));
        }
    }
    out
}

/// Codex: `[shell_environment_policy] set.PATH` puts the shims first for its commands,
/// `allow_login_shell = false` keeps `/etc/profile` from resetting that PATH, and a
/// `[hooks.state]` trust entry makes Codex run the hook (without one it skips it silently).
/// Running `interlock setup codex` is the human's approval of the hook it registers.
fn codex_config_change(
    file: &Path,
    shims: &Path,
    guard: Option<&Path>,
    hooks_json: &Path,
    before: &Value,
    after: &Value,
    remove: bool,
) -> anyhow::Result<(PathBuf, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut =
        text.parse().with_context(|| format!("{} is not valid TOML; fix it first", file.display()))?;
    let shims_s = shims.display().to_string();
    // Trust entries. interlock's own: replaced by the entries for its handlers as they are
    // now (none after --remove). The user's: untouched, except that removing interlock's
    // group moves the groups after it up by one, so their keys move with them.
    let prefix = format!("{}:pre_tool_use:", hooks_json.display());
    let group_of = |key: &str| -> Option<(usize, String)> {
        let rest = key.strip_prefix(&prefix)?;
        let (g, h) = rest.split_once(':')?;
        Some((g.parse().ok()?, h.to_string()))
    };
    let ours_before: Vec<usize> = interlock_groups(before);
    let ours_after: Vec<usize> = interlock_groups(after);
    let state =
        doc.entry("hooks").or_insert(toml_edit::table()).as_table_like_mut().context("[hooks] is not a table")?;
    let state = state.entry("state").or_insert(toml_edit::table());
    let state = state.as_table_like_mut().context("[hooks.state] is not a table")?;
    let keys: Vec<String> = state.iter().map(|(k, _)| k.to_string()).filter(|k| k.starts_with(&prefix)).collect();
    let mut moved: Vec<(String, toml_edit::Item)> = Vec::new();
    for k in keys {
        let Some((g, h)) = group_of(&k) else { continue };
        if ours_before.contains(&g) || ours_after.contains(&g) {
            state.remove(&k);
        } else if remove {
            let shift = ours_before.iter().filter(|o| **o < g).count();
            if shift > 0
                && let Some(item) = state.remove(&k)
            {
                moved.push((format!("{prefix}{}:{h}", g - shift), item));
            }
        }
    }
    for (k, item) in moved {
        state.insert(&k, item);
    }
    if !remove {
        for (key, hash) in codex_trust_entries(hooks_json, after, true) {
            let mut t = toml_edit::Table::new();
            t["enabled"] = toml_edit::value(true);
            t["trusted_hash"] = toml_edit::value(hash.as_str());
            state.insert(&key, toml_edit::Item::Table(t));
        }
    }
    if state.is_empty() {
        if let Some(h) = doc.get_mut("hooks").and_then(|h| h.as_table_like_mut()) {
            h.remove("state");
        }
        if doc.get("hooks").and_then(|h| h.as_table_like()).is_some_and(|h| h.is_empty()) {
            doc.remove("hooks");
        }
    }
    if remove {
        if doc.get("allow_login_shell").and_then(|v| v.as_bool()) == Some(false)
            && doc
                .get("allow_login_shell")
                .and_then(|v| v.as_value())
                .is_some_and(|v| v.decor().suffix().and_then(|s| s.as_str()).is_some_and(|s| s.contains("interlock")))
        {
            doc.remove("allow_login_shell");
        }
        if let Some(policy) = doc.get_mut("shell_environment_policy").and_then(|p| p.as_table_like_mut()) {
            let ours = policy
                .get("set")
                .and_then(|s| s.get("PATH"))
                .and_then(|p| p.as_str())
                .is_some_and(|p| p.starts_with(&shims_s));
            if let Some(set) = policy.get_mut("set").and_then(|s| s.as_table_like_mut()) {
                if ours {
                    set.remove("PATH");
                }
                let preload = set.get("LD_PRELOAD").and_then(|p| p.as_str()).map(String::from);
                if let Some(p) = preload {
                    match without_guard(&p) {
                        Some(rest) if !rest.is_empty() => set.insert("LD_PRELOAD", toml_edit::value(rest)),
                        Some(_) => set.remove("LD_PRELOAD"),
                        None => None,
                    };
                }
                if set.is_empty() {
                    policy.remove("set");
                }
            }
            if policy.is_empty() {
                doc.remove("shell_environment_policy");
            }
        }
    } else {
        if doc.get("allow_login_shell").is_none() {
            // A root key: it must come before the tables, which toml_edit takes care of.
            let mut v = toml_edit::Value::from(false);
            v.decor_mut().set_suffix(" # interlock: keep /etc/profile from resetting PATH");
            doc.insert("allow_login_shell", toml_edit::Item::Value(v));
        }
        let current = doc
            .get("shell_environment_policy")
            .and_then(|p| p.get("set"))
            .and_then(|s| s.get("PATH"))
            .and_then(|p| p.as_str())
            .map(String::from);
        let value = match current {
            Some(c) if !c.starts_with(&shims_s) => shims_first(&shims_s, &c),
            _ => literal_path(shims),
        };
        doc["shell_environment_policy"]["set"]["PATH"] = toml_edit::value(value);
        if let Some(lib) = guard {
            let current = doc["shell_environment_policy"]["set"].get("LD_PRELOAD").and_then(|p| p.as_str());
            let value = with_guard(current.unwrap_or(""), lib);
            doc["shell_environment_policy"]["set"]["LD_PRELOAD"] = toml_edit::value(value);
        }
    }
    Ok((file.to_path_buf(), doc.to_string()))
}

/// Gemini CLI runs commands with `bash -c`, which reads no rc file but does source
/// `$BASH_ENV`; Gemini loads `BASH_ENV` from `~/.gemini/.env` (in trusted folders). Setup
/// writes a small file that puts the shims first and points `BASH_ENV` at it.
fn gemini_env_change(
    dir: &Path,
    shims: &Path,
    guard: Option<&Path>,
    remove: bool,
) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let env_file = dir.join(".env");
    let snippet = gemini_bash_env_file(dir);
    let text = std::fs::read_to_string(&env_file).unwrap_or_default();
    let ours = format!("BASH_ENV={}", snippet.display());
    let mut chained: Option<String> = None;
    let mut kept: Vec<String> = Vec::new();
    for line in text.lines() {
        if line == ours {
            continue;
        }
        if let Some(v) = line.strip_prefix("BASH_ENV=") {
            chained = Some(v.trim_matches('"').to_string());
            if !remove {
                continue;
            }
        }
        kept.push(line.to_string());
    }
    let old_snippet = std::fs::read_to_string(&snippet).unwrap_or_default();
    // A BASH_ENV the user had is kept: the snippet sources it, and --remove puts it back.
    let previous =
        chained.or_else(|| old_snippet.lines().find_map(|l| l.strip_prefix("# previous BASH_ENV: ")).map(String::from));
    let mut changes = Vec::new();
    if remove {
        if let Some(p) = &previous
            && !kept.iter().any(|l| l.starts_with("BASH_ENV="))
        {
            kept.push(format!("BASH_ENV={p}"));
        }
        let body = if kept.is_empty() { String::new() } else { kept.join("\n") + "\n" };
        changes.push((env_file, body));
    } else {
        kept.push(ours);
        changes.push((env_file, kept.join("\n") + "\n"));
        let q = shell_words::quote(&shims.to_string_lossy()).into_owned();
        let mut body = format!(
            "# interlock: Gemini CLI runs commands with `bash -c`, which sources $BASH_ENV (set in .env).\n\
             # Put interlock's shims first on PATH.\n\
             case \"$PATH\" in\n  {q}:*) ;;\n  *) PATH={q}:$PATH; export PATH ;;\nesac\n"
        );
        if let Some(lib) = guard {
            let l = shell_words::quote(&lib.to_string_lossy()).into_owned();
            body.push_str(&format!(
                "# And turn on the exec guard for everything those commands start.\n\
                 case \":${{LD_PRELOAD:-}}:\" in\n  *:{l}:*) ;;\n  *) LD_PRELOAD={l}${{LD_PRELOAD:+:$LD_PRELOAD}}; export LD_PRELOAD ;;\nesac\n"
            ));
        }
        if let Some(p) = &previous {
            body.push_str(&format!("# previous BASH_ENV: {p}\n[ -r {0} ] && . {0}\n", shell_words::quote(p)));
        }
        changes.push((snippet, body));
    }
    Ok(changes)
}

/// The installed exec guard library, when there is one.
fn guard_lib() -> Option<PathBuf> {
    let lib = crate::paths::data_dir()?.join(crate::guard::LIB_FILE);
    (cfg!(target_os = "linux") && lib.is_file()).then_some(lib)
}

/// `LD_PRELOAD` with the guard library first (once).
fn with_guard(current: &str, lib: &Path) -> String {
    let lib = lib.display().to_string();
    let rest: Vec<&str> = current.split([':', ' ']).filter(|e| !e.is_empty() && *e != lib).collect();
    std::iter::once(lib.as_str()).chain(rest).collect::<Vec<_>>().join(":")
}

/// `LD_PRELOAD` without interlock's guard library; None when it did not name it.
fn without_guard(current: &str) -> Option<String> {
    let is_guard = |e: &str| Path::new(e).file_name().is_some_and(|n| n == crate::guard::LIB_FILE);
    let entries: Vec<&str> = current.split([':', ' ']).filter(|e| !e.is_empty()).collect();
    entries
        .iter()
        .any(|e| is_guard(e))
        .then(|| entries.into_iter().filter(|e| !is_guard(e)).collect::<Vec<_>>().join(":"))
}

/// Adds (or with `remove`, takes out) the guard in an `env` object of agent settings. Setup
/// always puts the library first; `tail` is what follows it in a new value (VS Code:
/// `:${env:LD_PRELOAD}`, so a terminal keeps a preload it inherited).
fn toggle_preload_json(env: &mut Value, guard: Option<&Path>, tail: &str, remove: bool) {
    let Some(env) = env.as_object_mut() else { return };
    let current = env.get("LD_PRELOAD").and_then(Value::as_str).map(String::from);
    if remove {
        let Some(current) = current else { return };
        let (first, rest) = current.split_once(':').unwrap_or((&current, ""));
        if Path::new(first).file_name().is_some_and(|n| n == crate::guard::LIB_FILE) {
            if rest.is_empty() || rest == tail.trim_start_matches(':') {
                env.remove("LD_PRELOAD");
            } else {
                env.insert("LD_PRELOAD".into(), json!(rest));
            }
        }
        return;
    }
    let Some(lib) = guard else { return };
    let lib = lib.display().to_string();
    let value = match current {
        Some(c) if c == lib || c.starts_with(&format!("{lib}:")) => c,
        Some(c) if !c.is_empty() => format!("{lib}:{c}"),
        _ => format!("{lib}{tail}"),
    };
    env.insert("LD_PRELOAD".into(), json!(value));
}

/// The file Gemini's `BASH_ENV` points at.
pub(super) fn gemini_bash_env_file(gemini_dir: &Path) -> PathBuf {
    gemini_dir.join("interlock-bash-env.sh")
}

/// Whether a VS Code terminal PATH is the one setup writes.
fn is_our_vscode_path(p: &str, shims: &Path) -> bool {
    p.starts_with(&format!("{}:", shims.display()))
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

fn first_path_entry(p: &str) -> &str {
    p.split(':').next().unwrap_or_default()
}

/// The interlock hook handlers at `path` in `v`.
fn our_handlers(v: &Value, path: &str) -> Vec<Value> {
    let groups = v.pointer(path).and_then(Value::as_array).cloned().unwrap_or_default();
    groups
        .into_iter()
        .filter(mentions_interlock_hook)
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
fn registered_handlers(
    w: &mut Wiring,
    file: &Path,
    path: &str,
    agent: &str,
    unit_ms: u64,
) -> Option<(Value, Vec<Value>)> {
    let v = read_json(file).unwrap_or_else(|_| json!({}));
    let hs = our_handlers(&v, path);
    w.registered = !hs.is_empty();
    if !w.registered {
        return None;
    }
    hs.iter().for_each(|h| handler_problems(agent, h, unit_ms, &mut w.problems));
    Some((v, hs))
}

/// Check one agent's real state, as far as its files tell.
pub(super) fn wiring(target: Target) -> Wiring {
    let mut w = Wiring::default();
    let (Ok(home), Ok(shims)) = (home(), shims_dir()) else { return w };
    let shims_s = shims.display().to_string();
    match target {
        Target::Agent(Agent::Claude) => {
            let file = home.join(".claude/settings.json");
            let Some((v, _)) = registered_handlers(&mut w, &file, "/hooks/PreToolUse", "claude", 1000) else {
                return w;
            };
            match v.pointer("/env/PATH").and_then(Value::as_str) {
                Some(p) if first_path_entry(p) == shims_s => {
                    if v.pointer(&format!("/env/{PATH_MARKER}")).and_then(Value::as_str) == Some("added")
                        && p != literal_path(&shims)
                    {
                        w.notes.push("claude: env.PATH in settings.json is not this shell's PATH any more (run `interlock setup claude` to refresh it)".into());
                    }
                }
                _ => w.problems.push(format!("claude: env.PATH in settings.json does not start with {shims_s}")),
            }
        }
        Target::Agent(Agent::Codex) => {
            let hooks_json = home.join(".codex/hooks.json");
            let Some((v, _)) = registered_handlers(&mut w, &hooks_json, "/hooks/PreToolUse", "codex", 1000) else {
                return w;
            };
            let config = std::fs::read_to_string(home.join(".codex/config.toml")).unwrap_or_default();
            let doc: toml_edit::DocumentMut = config.parse().unwrap_or_default();
            for (key, hash) in codex_trust_entries(&hooks_json, &v, true) {
                let entry = doc.get("hooks").and_then(|h| h.get("state")).and_then(|s| s.get(&key));
                let trusted = entry.and_then(|e| e.get("trusted_hash")).and_then(|h| h.as_str()) == Some(hash.as_str());
                let enabled = entry.and_then(|e| e.get("enabled")).and_then(|e| e.as_bool()) != Some(false);
                if !trusted || !enabled {
                    w.problems.push("codex: the hook is installed but not trusted: Codex will not run it (run `interlock setup codex`, or approve it in Codex's hook review)".into());
                }
            }
            if doc.get("allow_login_shell").and_then(|v| v.as_bool()) != Some(false) {
                w.problems.push("codex: allow_login_shell is not false: Codex's `bash -lc` can let /etc/profile reset PATH and drop the shims".into());
            }
            let path = doc
                .get("shell_environment_policy")
                .and_then(|p| p.get("set"))
                .and_then(|s| s.get("PATH"))
                .and_then(|p| p.as_str())
                .unwrap_or_default();
            if first_path_entry(path) != shims_s {
                w.problems.push(format!("codex: shell_environment_policy.set.PATH does not start with {shims_s}"));
            }
        }
        Target::Agent(Agent::Gemini) => {
            let dir = home.join(".gemini");
            let file = dir.join("settings.json");
            if registered_handlers(&mut w, &file, "/hooks/BeforeTool", "gemini", 1).is_none() {
                return w;
            }
            let snippet = gemini_bash_env_file(&dir);
            let env = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
            if !env.lines().any(|l| l == format!("BASH_ENV={}", snippet.display())) || !snippet.is_file() {
                w.problems.push(format!(
                    "gemini: ~/.gemini/.env does not set BASH_ENV={}: Gemini's `bash -c` will not find the shims",
                    snippet.display()
                ));
            }
            w.notes.push("gemini: ~/.gemini/.env is read only in trusted folders and when the project has no .env of its own; there the hook is the only layer".into());
        }
        Target::Agent(Agent::Cursor) => {
            let file = home.join(".cursor/hooks.json");
            let Some((_, hs)) = registered_handlers(&mut w, &file, "/hooks/beforeShellExecution", "cursor", 1000)
            else {
                return w;
            };
            if hs.iter().any(|h| h.get("failClosed") != Some(&json!(true))) {
                w.problems
                    .push("cursor: the hook is not failClosed: Cursor runs the command when the hook fails".into());
            }
            let zshenv = std::fs::read_to_string(home.join(".zshenv")).unwrap_or_default();
            if !zshenv.contains("# >>> interlock (cursor) >>>") {
                w.problems
                    .push("cursor: ~/.zshenv has no interlock block: agent shells will not find the shims".into());
            }
            w.notes.push("cursor: checked from its files only (Cursor itself was not run)".into());
        }
        Target::VsCode => {
            for file in vscode_settings_files(&home) {
                let v = read_json(&file).unwrap_or_else(|_| json!({}));
                if let Some(p) = v.get(vscode_env_key()).and_then(|e| e.get("PATH")).and_then(Value::as_str) {
                    w.registered = true;
                    if !is_our_vscode_path(p, &shims) {
                        w.problems.push(format!("vscode: {} sets a PATH without the shims first", file.display()));
                    }
                }
            }
        }
    }
    w
}
