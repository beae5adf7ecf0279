//! The JSON settings files agents read (Claude Code, Cursor, Codex's hooks.json, Gemini CLI,
//! VS Code): read, merge interlock's hook groups and PATH in or out, write back pretty.

use std::path::Path;

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

use super::{HOOK_TIMEOUT_SECS, PATH_MARKER, literal_path, shims_first};

pub(super) fn read_json(file: &Path) -> anyhow::Result<Value> {
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

pub(super) fn pretty(v: &Value) -> anyhow::Result<String> {
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

pub(super) fn mentions_interlock_hook(v: &Value) -> bool {
    v.to_string().contains("interlock") && v.to_string().contains(" hook ")
}

/// Claude Code's PreToolUse registration, which Codex reads in the same format.
pub(super) fn toggle_pretooluse(v: &mut Value, command: &str, remove: bool) {
    let group =
        json!({"matcher": "Bash", "hooks": [{"type": "command", "command": command, "timeout": HOOK_TIMEOUT_SECS}]});
    toggle_hook(v, &["hooks", "PreToolUse"], group, remove);
}

/// Add interlock's hook `group` at `path`, or take every interlock registration out.
pub(super) fn toggle_hook(v: &mut Value, path: &[&str], group: Value, remove: bool) {
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
pub(super) fn prune(v: &mut Value, path: &[&str]) {
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

pub(super) fn add_env_path(v: &mut Value, shims: &Path) {
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

pub(super) fn remove_env_path(v: &mut Value, shims: &Path) {
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

/// Adds (or with `remove`, takes out) the guard in an `env` object of agent settings. Setup
/// always puts the library first; `tail` is what follows it in a new value (VS Code:
/// `:${env:LD_PRELOAD}`, so a terminal keeps a preload it inherited).
pub(super) fn toggle_preload_json(env: &mut Value, guard: Option<&Path>, tail: &str, remove: bool) {
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
