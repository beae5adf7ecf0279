//! Gemini CLI: a BeforeTool hook for `run_shell_command` in `~/.gemini/settings.json`, and
//! `BASH_ENV` in `~/.gemini/.env` pointing at a snippet that puts the shims first (Gemini runs
//! commands with `bash -c`, which reads no rc file but sources `$BASH_ENV`).

use std::path::{Path, PathBuf};

use serde_json::json;

use super::json::*;
use super::{Changes, Ctx, HOOK_TIMEOUT_SECS, Wired, Wiring, registered_handlers, stale_guard};

pub(super) struct Gemini;

impl Wired for Gemini {
    fn changes(&self, ctx: &Ctx) -> anyhow::Result<Changes> {
        let dir = ctx.base(".gemini")?;
        let file = dir.join("settings.json");
        let mut v = read_json(&file)?;
        toggle_hook(
            &mut v,
            &["hooks", "BeforeTool"],
            json!({"matcher": "run_shell_command", "hooks": [{"name": "interlock", "type": "command", "command": ctx.command, "timeout": HOOK_TIMEOUT_SECS * 1000}]}),
            ctx.remove,
        );
        let mut writes = vec![(file, pretty(&v)?)];
        writes.extend(gemini_env_change(&dir, &ctx.shims, ctx.guard.as_deref(), ctx.remove));
        let deletions = if ctx.remove { vec![gemini_bash_env_file(&dir)] } else { Vec::new() };
        Ok(Changes { writes, deletions })
    }

    fn wiring(&self, ctx: &Ctx, w: &mut Wiring) {
        let dir = ctx.home.join(".gemini");
        let file = dir.join("settings.json");
        if registered_handlers(w, &file, "/hooks/BeforeTool", "gemini", 1).is_none() {
            return;
        }
        let snippet = gemini_bash_env_file(&dir);
        let env = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
        if !env.lines().any(|l| l == format!("BASH_ENV={}", snippet.display())) || !snippet.is_file() {
            w.problems.push(format!(
                "gemini: ~/.gemini/.env does not set BASH_ENV={}: Gemini's `bash -c` will not find the shims",
                snippet.display()
            ));
        }
        let snippet_text = std::fs::read_to_string(&snippet).unwrap_or_default();
        stale_guard(w, "gemini", ctx, &snippet_text);
        w.notes.push("gemini: ~/.gemini/.env is read only in trusted folders and when the project has no .env of its own; there the hook is the only layer".into());
    }

    fn after(&self) -> Option<&'static str> {
        Some(
            "Gemini CLI reads ~/.gemini/.env only when the project has no .env of its own (and only in trusted folders).",
        )
    }
}

/// Gemini CLI runs commands with `bash -c`, which reads no rc file but does source
/// `$BASH_ENV`; Gemini loads `BASH_ENV` from `~/.gemini/.env` (in trusted folders). Setup
/// writes a small file that puts the shims first and points `BASH_ENV` at it.
fn gemini_env_change(dir: &Path, shims: &Path, guard: Option<&Path>, remove: bool) -> Vec<(PathBuf, String)> {
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
    changes
}

/// The file Gemini's `BASH_ENV` points at.
fn gemini_bash_env_file(gemini_dir: &Path) -> PathBuf {
    gemini_dir.join("interlock-bash-env.sh")
}
