//! Codex: a PreToolUse hook in `~/.codex/hooks.json` (Claude Code's format), and in
//! `config.toml` the trust entry Codex needs before it runs a hook, `set.PATH` with the shims
//! first, `allow_login_shell = false` and the exec guard's preload.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Value, json};

use super::json::*;
use super::{
    Changes, Ctx, Wired, Wiring, first_path_entry, literal_path, registered_handlers, shims_first, stale_guard,
    with_guard, without_guard,
};

pub(super) struct Codex;

impl Wired for Codex {
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes> {
        let dir = ctx.base(".codex")?;
        let file = dir.join("hooks.json");
        let mut v = read_json(&file)?;
        let before = v.clone();
        toggle_pretooluse(&mut v, &ctx.command, ctx.remove);
        let abs = absolute(&file)?;
        let config = codex_config_change(&dir.join("config.toml"), ctx, &abs, &before, &v)?;
        Ok(Changes { writes: vec![(file, pretty(&v)?), config], deletions: Vec::new() })
    }

    fn wiring(&self, ctx: &Ctx, w: &mut Wiring) {
        let hooks_json = ctx.home.join(".codex/hooks.json");
        let Some((v, _)) = registered_handlers(w, &hooks_json, "/hooks/PreToolUse", "codex", 1000) else { return };
        let config_file = ctx.home.join(".codex/config.toml");
        let config = std::fs::read_to_string(&config_file).unwrap_or_default();
        let doc: toml_edit::DocumentMut = match config.parse() {
            Ok(doc) => doc,
            Err(e) => {
                // One reason, the real one: Codex itself refuses to start on this file, and
                // setup cannot merge into it either.
                let line = e.span().map_or(0, |s| config[..s.start.min(config.len())].matches('\n').count() + 1);
                w.problems.push(format!(
                    "codex: {}:{line} is not valid TOML ({}); Codex will not start until it is fixed, and setup cannot \
                     change it before",
                    config_file.display(),
                    e.message()
                ));
                return;
            }
        };
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
        let shims_s = ctx.shims.display().to_string();
        if first_path_entry(path) != shims_s {
            w.problems.push(format!("codex: shell_environment_policy.set.PATH does not start with {shims_s}"));
        }
        let preload = doc
            .get("shell_environment_policy")
            .and_then(|p| p.get("set"))
            .and_then(|s| s.get("LD_PRELOAD"))
            .and_then(|p| p.as_str())
            .unwrap_or_default();
        stale_guard(w, "codex", ctx, preload);
        let log_writable = crate::audit::log_dir().is_some_and(|log| {
            let roots = doc.get("sandbox_workspace_write").and_then(|t| t.get("writable_roots"));
            roots
                .and_then(|r| r.as_array())
                .is_some_and(|a| a.iter().any(|r| r.as_str() == Some(&*log.display().to_string())))
        });
        if !log_writable {
            w.notes.push("codex: the audit log's directory is not among sandbox_workspace_write.writable_roots: decisions made inside Codex's workspace-write sandbox are not logged (run `interlock setup codex` again)".into());
        }
    }

    fn after(&self) -> Option<&'static str> {
        Some("the hook is marked trusted in config.toml (what approving it in Codex's hook review records).")
    }
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
fn codex_trust_entries(hooks_json: &Path, v: &Value, only_interlock: bool) -> Vec<(String, String)> {
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
    ctx: &Ctx,
    hooks_json: &Path,
    before: &Value,
    after: &Value,
) -> anyhow::Result<(PathBuf, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut doc: toml_edit::DocumentMut =
        text.parse().with_context(|| format!("{} is not valid TOML; fix it first", file.display()))?;
    update_trust(&mut doc, hooks_json, before, after, ctx.remove)?;
    if ctx.remove {
        remove_policy(&mut doc, &ctx.shims.display().to_string());
    } else {
        add_policy(&mut doc, &ctx.shims, ctx.guard.as_deref());
    }
    if let Some(log) = crate::audit::log_dir() {
        log_writable(&mut doc, &log, ctx.remove);
    }
    Ok((file.to_path_buf(), doc.to_string()))
}

/// Codex's workspace-write sandbox lets commands write the workspace and `/tmp` only, so the
/// shims inside it could not append to the audit log under HOME: the log's own directory
/// (and nothing else of interlock's state) joins `[sandbox_workspace_write] writable_roots`.
fn log_writable(doc: &mut toml_edit::DocumentMut, log: &Path, remove: bool) {
    let log_s = log.display().to_string();
    if remove {
        let Some(table) = doc.get_mut("sandbox_workspace_write").and_then(|t| t.as_table_like_mut()) else { return };
        if let Some(roots) = table.get_mut("writable_roots").and_then(|r| r.as_array_mut()) {
            roots.retain(|r| r.as_str() != Some(log_s.as_str()));
            if roots.is_empty() {
                table.remove("writable_roots");
            }
        }
        if table.is_empty() {
            doc.remove("sandbox_workspace_write");
        }
        return;
    }
    // The directory must exist for the sandbox to grant it.
    let _ = crate::state::private_dir(log);
    let roots = doc["sandbox_workspace_write"]["writable_roots"].or_insert(toml_edit::value(toml_edit::Array::new()));
    if let Some(roots) = roots.as_array_mut()
        && !roots.iter().any(|r| r.as_str() == Some(log_s.as_str()))
    {
        roots.push(log_s.as_str());
    }
}

/// Trust entries. interlock's own: replaced by the entries for its handlers as they are now
/// (none after --remove). The user's: untouched, except that removing interlock's group moves
/// the groups after it up by one, so their keys move with them.
fn update_trust(
    doc: &mut toml_edit::DocumentMut,
    hooks_json: &Path,
    before: &Value,
    after: &Value,
    remove: bool,
) -> anyhow::Result<()> {
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
    Ok(())
}

/// Take out the PATH, preload and login-shell setting setup put in.
fn remove_policy(doc: &mut toml_edit::DocumentMut, shims_s: &str) {
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
            .is_some_and(|p| p.starts_with(shims_s));
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
}

/// `set.PATH` with the shims first, the guard in `set.LD_PRELOAD`, and no login shell.
fn add_policy(doc: &mut toml_edit::DocumentMut, shims: &Path, guard: Option<&Path>) {
    let shims_s = shims.display().to_string();
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
