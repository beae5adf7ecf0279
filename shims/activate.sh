# interlock: put the shims first on PATH and turn on the exec guard (bash, zsh, any POSIX sh).
# Source it:
#   . ~/.local/share/interlock/activate.sh
# Idempotent: sourcing it twice leaves one entry of each, the shims moved to the front.
interlock_data="${XDG_DATA_HOME:-$HOME/.local/share}/interlock"
if [ -d "$interlock_data/shims" ]; then
    PATH=$(printf '%s' ":$PATH:" | sed "s#:$interlock_data/shims:#:#g; s#^:##; s#:\$##")
    PATH="$interlock_data/shims${PATH:+:$PATH}"
    export PATH
fi
# The exec guard (Linux): every program this shell starts, and everything they start, hands
# guarded programs to interlock however they are named (/usr/bin/curl, env -i, subprocess).
if [ -f "$interlock_data/libinterlock_guard.so" ]; then
    case ":${LD_PRELOAD:-}:" in
        *":$interlock_data/libinterlock_guard.so:"*) ;;
        *) LD_PRELOAD="$interlock_data/libinterlock_guard.so${LD_PRELOAD:+:$LD_PRELOAD}"; export LD_PRELOAD ;;
    esac
fi
unset interlock_data
