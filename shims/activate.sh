# interlock: put the shims first on PATH (bash, zsh, any POSIX sh). Source it:
#   . ~/.local/share/interlock/activate.sh
# Idempotent: sourcing it twice leaves one entry, moved to the front.
interlock_shims="${XDG_DATA_HOME:-$HOME/.local/share}/interlock/shims"
if [ -d "$interlock_shims" ]; then
    PATH=$(printf '%s' ":$PATH:" | sed "s#:$interlock_shims:#:#g; s#^:##; s#:\$##")
    PATH="$interlock_shims${PATH:+:$PATH}"
    export PATH
fi
unset interlock_shims
