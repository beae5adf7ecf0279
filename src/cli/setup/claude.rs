//! Claude Code: a PreToolUse hook for Bash in `~/.claude/settings.json` (or the project's
//! `.claude/`), and `env.PATH` / `env.LD_PRELOAD` there for the commands it runs.

use serde_json::{Value, json};

use super::json::*;
use super::{
    Changes, Ctx, PATH_MARKER, Wired, Wiring, first_path_entry, literal_path, registered_handlers, stale_guard,
};

pub(super) struct Claude;

impl Wired for Claude {
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes> {
        let file = ctx.base(".claude")?.join("settings.json");
        let mut v = read_json(&file)?;
        toggle_pretooluse(&mut v, &ctx.command, ctx.remove);
        if ctx.remove {
            remove_env_path(&mut v, &ctx.shims)
        } else {
            add_env_path(&mut v, &ctx.shims)
        }
        if let Some(env) = v.as_object_mut().map(|o| o.entry("env").or_insert(json!({}))) {
            toggle_preload_json(env, ctx.guard.as_deref(), "", ctx.remove);
        }
        prune(&mut v, &["env"]);
        Ok(Changes { writes: vec![(file, pretty(&v)?)], deletions: Vec::new() })
    }

    fn wiring(&self, ctx: &Ctx, w: &mut Wiring) {
        let file = ctx.home.join(".claude/settings.json");
        let Some((v, _)) = registered_handlers(w, &file, "/hooks/PreToolUse", "claude", 1000) else { return };
        let shims_s = ctx.shims.display().to_string();
        match v.pointer("/env/PATH").and_then(Value::as_str) {
            Some(p) if first_path_entry(p) == shims_s => {
                if v.pointer(&format!("/env/{PATH_MARKER}")).and_then(Value::as_str) == Some("added")
                    && p != literal_path(&ctx.shims)
                {
                    w.notes.push("claude: env.PATH in settings.json is not this shell's PATH any more (run `interlock setup claude` to refresh it)".into());
                }
            }
            _ => w.problems.push(format!("claude: env.PATH in settings.json does not start with {shims_s}")),
        }
        let preload = v.pointer("/env/LD_PRELOAD").and_then(Value::as_str).unwrap_or_default();
        stale_guard(w, "claude", ctx, preload);
    }
}
