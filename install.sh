#!/bin/sh
# interlock installer: builds the release binary and the exec guard, installs them, creates the
# shims and prints how to activate them. Edits no shell rc file. Idempotent.
#
#   ./install.sh              build and install (binary to ${INTERLOCK_INSTALL_DIR:-${XDG_BIN_HOME:-$HOME/.local/bin}})
#   ./install.sh --uninstall  remove exactly what an earlier run installed, and take interlock
#                             out of every agent's settings that `interlock setup` wired
#
# INTERLOCK_PREBUILT=DIR installs DIR/interlock (and DIR/libinterlock_guard.so) instead of
# building: the test suite installs the binaries it has just built that way.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin_dir=${INTERLOCK_INSTALL_DIR:-${XDG_BIN_HOME:-$HOME/.local/bin}}
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/interlock
manifest=$data_dir/install-manifest

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

uninstall() {
    case ":${LD_PRELOAD:-}:" in
        *":$data_dir/libinterlock_guard.so:"*)
            die "the exec guard is on in this shell (LD_PRELOAD): from your own terminal run
    LD_PRELOAD= $0 --uninstall
or open a terminal that did not source activate.sh (under an agent the guard puts itself back, by design)" ;;
    esac
    if [ ! -f "$manifest" ]; then
        say "interlock: nothing to uninstall (no $manifest)"
        return 0
    fi
    installed_bin=$(sed -n 's/^binary=//p' "$manifest")
    if [ -n "$installed_bin" ] && [ -x "$installed_bin" ]; then
        # What `interlock setup` wrote into the agents' settings goes first: a hook or a
        # preload naming a binary or library that is about to be gone would break every
        # command the agent runs. A file setup did not touch is left alone.
        for target in claude cursor codex gemini vscode; do
            "$installed_bin" setup "$target" --remove || die "could not take interlock out of $target's settings"
        done
        "$installed_bin" shims remove || die "could not remove the shims"
    fi
    while IFS= read -r line; do
        case $line in
            binary=*|snippet=*|library=*) f=${line#*=}; [ -e "$f" ] && rm -f "$f" && say "removed $f" ;;
        esac
    done < "$manifest"
    rm -f "$manifest"
    rmdir "$data_dir" 2>/dev/null || true
    say "interlock: uninstalled (your rules in ${XDG_CONFIG_HOME:-$HOME/.config}/interlock and the log in ${XDG_STATE_HOME:-$HOME/.local/state}/interlock are kept)"
}

case ${1:-} in
    --uninstall) uninstall; exit 0 ;;
    "") ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option: $1 (try --help)" ;;
esac

if [ -n "${INTERLOCK_PREBUILT:-}" ]; then
    built=$INTERLOCK_PREBUILT
    [ -x "$built/interlock" ] || die "INTERLOCK_PREBUILT=$built holds no interlock binary"
else
    command -v cargo >/dev/null 2>&1 || die "cargo is needed to build interlock (https://rustup.rs)"
    say "interlock: building (cargo build --release; a few minutes the first time) ..."
    # Cargo's own progress (crates compiled, the bar) shows on a terminal; errors always do.
    (cd "$here" && cargo build --release --locked) || die "the build failed"
    # The exec guard is a workspace of its own (no_std, built with panic = "abort"); Linux only.
    if [ "$(uname -s)" = Linux ]; then
        say "interlock: building the exec guard ..."
        (cd "$here" && cargo build --release --locked --manifest-path guard/Cargo.toml --target-dir target) \
            || die "building the exec guard failed"
    fi
    built=$here/target/release
fi

# Copy beside the destination, then rename: a running shim never sees a half-written file.
put() {
    tmp=$(dirname "$2")/.interlock.tmp.$$
    cp "$1" "$tmp"
    chmod "$3" "$tmp"
    mv -f "$tmp" "$2"
    say "installed $2"
}

mkdir -p "$bin_dir" "$data_dir"
target=$bin_dir/interlock
put "$built/interlock" "$target" 755
# The exec guard (Linux only: the library is built there).
library=
if [ -f "$built/libinterlock_guard.so" ]; then
    library=$data_dir/libinterlock_guard.so
    put "$built/libinterlock_guard.so" "$library" 644
fi

"$target" shims install || die "could not create the shims"
shims=$data_dir/shims

for f in activate.sh activate.fish zshenv-agent.zsh; do
    cp "$here/shims/$f" "$data_dir/$f"
done
{
    say "binary=$target"
    [ -n "$library" ] && say "library=$library"
    for f in activate.sh activate.fish zshenv-agent.zsh; do say "snippet=$data_dir/$f"; done
} > "$manifest"

cat <<MSG

interlock is installed. Put the shims first on PATH (and, on Linux, turn on the exec guard)
where agents run commands:

  bash / zsh (this shell, or add to ~/.bashrc / ~/.zshrc):
      . "$data_dir/activate.sh"
  fish (~/.config/fish/config.fish):
      source "$data_dir/activate.fish"
  zsh shells that read only ~/.zshenv (Cursor's agent terminal):
      add to ~/.zshenv:  . "$data_dir/zshenv-agent.zsh"
  any other environment:
      export PATH="$shims:\$PATH"
      export LD_PRELOAD="$data_dir/libinterlock_guard.so\${LD_PRELOAD:+:\$LD_PRELOAD}"   (Linux)
  an agent's own settings (hook, PATH and guard for its commands; Claude Code and Codex
  take PATH from their settings, Gemini CLI's bash -c from BASH_ENV — setup writes each):
      $target setup claude|codex|gemini|cursor

Then check with:  $target doctor
Remove with:      $here/install.sh --uninstall
MSG

# `interlock` itself is found only if its directory is on PATH.
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) cat <<MSG

Note: $bin_dir is not on your PATH, so \`interlock\` alone is not found yet. Add it
(to ~/.bashrc, ~/.zshrc or ~/.profile):
      export PATH="$bin_dir:\$PATH"
or call it as $target.
MSG
    ;;
esac
