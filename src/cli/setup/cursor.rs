//! Cursor: a `failClosed` beforeShellExecution hook in `~/.cursor/hooks.json`, and a
//! `~/.zshenv` block that puts the shims first in the agent's shells (marked by
//! `CURSOR_AGENT`).

use std::path::{Path, PathBuf};

use serde_json::json;

use super::json::*;
use super::{Changes, Ctx, HOOK_TIMEOUT_SECS, Wired, Wiring, registered_handlers, stale_guard};

pub(super) struct Cursor;

impl Wired for Cursor {
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes> {
        let file = ctx.base(".cursor")?.join("hooks.json");
        let mut v = read_json(&file)?;
        toggle_hook(
            &mut v,
            &["hooks", "beforeShellExecution"],
            json!({"command": ctx.command, "failClosed": true, "timeout": HOOK_TIMEOUT_SECS}),
            ctx.remove,
        );
        if !ctx.remove
            && let Some(obj) = v.as_object_mut()
        {
            obj.entry("version").or_insert(json!(1));
        }
        let zshenv = zshenv_change(&ctx.home, &ctx.shims, ctx.guard.as_deref(), "CURSOR_AGENT", "cursor", ctx.remove);
        Ok(Changes { writes: vec![(file, pretty(&v)?), zshenv], deletions: Vec::new() })
    }

    fn wiring(&self, ctx: &Ctx, w: &mut Wiring) {
        let file = ctx.home.join(".cursor/hooks.json");
        let Some((_, hs)) = registered_handlers(w, &file, "/hooks/beforeShellExecution", "cursor", 1000) else {
            return;
        };
        if hs.iter().any(|h| h.get("failClosed") != Some(&json!(true))) {
            w.problems.push("cursor: the hook is not failClosed: Cursor runs the command when the hook fails".into());
        }
        let zshenv = std::fs::read_to_string(ctx.home.join(".zshenv")).unwrap_or_default();
        if !zshenv.contains("# >>> interlock (cursor) >>>") {
            w.problems.push("cursor: ~/.zshenv has no interlock block: agent shells will not find the shims".into());
        }
        stale_guard(w, "cursor", ctx, &zshenv);
        w.notes.push("cursor: checked from its files only (Cursor itself was not run)".into());
    }
}

/// The `~/.zshenv` block that puts the shims first (and turns on the exec guard) when `marker`
/// is set.
fn zshenv_change(
    home: &Path,
    shims: &Path,
    guard: Option<&Path>,
    marker: &str,
    name: &str,
    remove: bool,
) -> (PathBuf, String) {
    let file = home.join(".zshenv");
    let begin = format!("# >>> interlock ({}) >>>", name);
    let end = format!("# <<< interlock ({}) <<<", name);
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
            name
        ));
        if let Some(lib) = guard {
            let l = lib.display();
            kept.push_str(&format!(
                "if [[ -n \"${{{marker}:-}}\" && \":${{LD_PRELOAD:-}}:\" != *\":{l}:\"* ]]; then export LD_PRELOAD=\"{l}${{LD_PRELOAD:+:$LD_PRELOAD}}\"; fi\n"
            ));
        }
        kept.push_str(&format!("{end}\n"));
    }
    (file, kept)
}
