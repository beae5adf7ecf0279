# interlock: for ~/.zshenv, which agent shells read even when non-interactive.
# Puts the shims first on PATH only for commands an AI agent runs, recognised by the marker
# each agent sets: Claude Code (CLAUDECODE), Cursor (CURSOR_AGENT), Gemini CLI (GEMINI_CLI),
# Codex (CODEX_SANDBOX, CODEX_MANAGED_BY_NPM, CODEX_HOME). Your own shells are left alone.
#   . ~/.local/share/interlock/zshenv-agent.zsh
if [[ -n "${CLAUDECODE:-}${CURSOR_AGENT:-}${GEMINI_CLI:-}${CODEX_SANDBOX:-}${CODEX_MANAGED_BY_NPM:-}${CODEX_HOME:-}" ]]; then
    interlock_shims="${XDG_DATA_HOME:-$HOME/.local/share}/interlock/shims"
    if [[ -d "$interlock_shims" ]]; then
        path=("$interlock_shims" ${path:#$interlock_shims})
        export PATH
    fi
    unset interlock_shims
fi
