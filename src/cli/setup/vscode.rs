//! VS Code (and Cursor, which reads the same settings): the integrated terminal's
//! `terminal.integrated.env.*` PATH with the shims first, and the exec guard's preload.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::json::*;
use super::{Changes, Ctx, Wired, Wiring};

pub(super) struct VsCode;

impl Wired for VsCode {
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes> {
        let mut writes = Vec::new();
        for file in vscode_settings_files(&ctx.home) {
            let mut v = read_json(&file)?;
            if ctx.remove {
                unwire(&mut v, ctx);
            } else {
                wire(&mut v, &file, ctx)?;
            }
            writes.push((file, pretty(&v)?));
        }
        Ok(Changes { writes, deletions: Vec::new() })
    }

    fn wiring(&self, ctx: &Ctx, w: &mut Wiring) {
        for file in vscode_settings_files(&ctx.home) {
            let v = read_json(&file).unwrap_or_else(|_| json!({}));
            if let Some(p) = v.get(vscode_env_key()).and_then(|e| e.get("PATH")).and_then(Value::as_str) {
                w.registered = true;
                if !is_our_vscode_path(p, &ctx.shims) {
                    w.problems.push(format!("vscode: {} sets a PATH without the shims first", file.display()));
                }
            }
        }
    }
}

/// Put the shims first on the terminal's PATH, and the guard in its preload.
fn wire(v: &mut Value, file: &Path, ctx: &Ctx) -> anyhow::Result<()> {
    let key = vscode_env_key();
    let obj = v.as_object_mut().context("settings is not an object")?;
    let env = obj.entry(key.to_string()).or_insert(json!({}));
    let env = env.as_object_mut().with_context(|| format!("{key} in {} is not an object", file.display()))?;
    match env.get("PATH").and_then(Value::as_str) {
        Some(p) if !is_our_vscode_path(p, &ctx.shims) => bail!(
            "{} already sets PATH in {key} ({p}); put {} first there yourself",
            file.display(),
            ctx.shims.display()
        ),
        _ => {
            // VS Code expands ${env:PATH} when it starts the terminal, so the PATH of the day
            // setup ran is not frozen here.
            env.insert("PATH".into(), json!(format!("{}:${{env:PATH}}", ctx.shims.display())));
        }
    }
    if let Some(env) = obj.get_mut(key) {
        toggle_preload_json(env, ctx.guard.as_deref(), ":${env:LD_PRELOAD}", false);
    }
    Ok(())
}

/// Take out what `wire` put in.
fn unwire(v: &mut Value, ctx: &Ctx) {
    let key = vscode_env_key();
    if let Some(env) = v.get_mut(key).and_then(Value::as_object_mut)
        && env.get("PATH").and_then(Value::as_str).is_some_and(|p| is_our_vscode_path(p, &ctx.shims))
    {
        env.remove("PATH");
    }
    if let Some(env) = v.get_mut(key) {
        toggle_preload_json(env, ctx.guard.as_deref(), ":${env:LD_PRELOAD}", true);
    }
    prune(v, &[key]);
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

/// Whether a VS Code terminal PATH is the one setup writes.
fn is_our_vscode_path(p: &str, shims: &Path) -> bool {
    p.starts_with(&format!("{}:", shims.display()))
}
