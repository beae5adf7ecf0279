# interlock: for ~/.zshenv, which agent shells read even when non-interactive.
# Puts the shims first on PATH and turns on the exec guard only for commands an AI agent runs,
# recognised by the marker each agent sets: Claude Code (CLAUDECODE), Cursor (CURSOR_AGENT),
# Gemini CLI (GEMINI_CLI), Codex (CODEX_SANDBOX, CODEX_MANAGED_BY_NPM, CODEX_HOME). Your own
# shells are left alone.
#   . ~/.local/share/interlock/zshenv-agent.zsh
if [[ -n "${CLAUDECODE:-}${CURSOR_AGENT:-}${GEMINI_CLI:-}${CODEX_SANDBOX:-}${CODEX_MANAGED_BY_NPM:-}${CODEX_HOME:-}" ]]; then
    interlock_data="${XDG_DATA_HOME:-$HOME/.local/share}/interlock"
    if [[ -d "$interlock_data/shims" ]]; then
        path=("$interlock_data/shims" ${path:#$interlock_data/shims})
        export PATH
    fi
    if [[ -f "$interlock_data/libinterlock_guard.so" && ":${LD_PRELOAD:-}:" != *":$interlock_data/libinterlock_guard.so:"* ]]; then
        export LD_PRELOAD="$interlock_data/libinterlock_guard.so${LD_PRELOAD:+:$LD_PRELOAD}"
    fi
    unset interlock_data
fi
