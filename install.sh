#!/bin/sh
# interlock installer: builds the release binary, installs it, creates the shims and prints
# how to activate them. Edits no shell rc file. Idempotent.
#
#   ./install.sh              build and install (binary to ${INTERLOCK_INSTALL_DIR:-${XDG_BIN_HOME:-$HOME/.local/bin}})
#   ./install.sh --uninstall  remove exactly what an earlier run installed
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin_dir=${INTERLOCK_INSTALL_DIR:-${XDG_BIN_HOME:-$HOME/.local/bin}}
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/interlock
manifest=$data_dir/install-manifest

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

uninstall() {
    if [ ! -f "$manifest" ]; then
        say "interlock: nothing to uninstall (no $manifest)"
        return 0
    fi
    installed_bin=$(sed -n 's/^binary=//p' "$manifest")
    if [ -n "$installed_bin" ] && [ -x "$installed_bin" ]; then
        "$installed_bin" shims remove || die "could not remove the shims"
    fi
    while IFS= read -r line; do
        case $line in
            binary=*|snippet=*) f=${line#*=}; [ -e "$f" ] && rm -f "$f" && say "removed $f" ;;
        esac
    done < "$manifest"
    rm -f "$manifest"
    rmdir "$data_dir" 2>/dev/null || true
    say "interlock: uninstalled (your rules in ${XDG_CONFIG_HOME:-$HOME/.config}/interlock and the log in ${XDG_STATE_HOME:-$HOME/.local/state}/interlock are kept)"
}

case ${1:-} in
    --uninstall) uninstall; exit 0 ;;
    "") ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) die "unknown option: $1 (try --help)" ;;
esac

command -v cargo >/dev/null 2>&1 || die "cargo is needed to build interlock (https://rustup.rs)"
say "interlock: building (cargo build --release) ..."
(cd "$here" && cargo build --release --locked --quiet) || die "the build failed"

mkdir -p "$bin_dir" "$data_dir"
target=$bin_dir/interlock
tmp=$bin_dir/.interlock.tmp.$$
cp "$here/target/release/interlock" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$target"
say "installed $target"

"$target" shims install || die "could not create the shims"
shims=$data_dir/shims

for f in activate.sh activate.fish zshenv-agent.zsh; do
    cp "$here/shims/$f" "$data_dir/$f"
done
{
    say "binary=$target"
    for f in activate.sh activate.fish zshenv-agent.zsh; do say "snippet=$data_dir/$f"; done
} > "$manifest"

cat <<MSG

interlock is installed. Put the shims first on PATH where agents run commands:

  bash / zsh (this shell, or add to ~/.bashrc / ~/.zshrc):
      . "$data_dir/activate.sh"
  fish (~/.config/fish/config.fish):
      source "$data_dir/activate.fish"
  agent shells that read only ~/.zshenv (Cursor, Claude Code, Codex, Gemini CLI):
      add to ~/.zshenv:  . "$data_dir/zshenv-agent.zsh"
  any other environment:
      export PATH="$shims:\$PATH"

Then check with:  $target doctor
Remove with:      $here/install.sh --uninstall
MSG
