# interlock: put the shims first on PATH and turn on the exec guard (fish). Source it from
# config.fish:
#   source ~/.local/share/interlock/activate.fish
set -l data (set -q XDG_DATA_HOME; and echo $XDG_DATA_HOME; or echo $HOME/.local/share)
set -l interlock_shims $data/interlock/shims
if test -d $interlock_shims
    set -l rest
    for p in $PATH
        test "$p" != "$interlock_shims"; and set rest $rest $p
    end
    set -gx PATH $interlock_shims $rest
end
# The exec guard (Linux): what this shell starts hands guarded programs to interlock however
# they are named (/usr/bin/curl, env -i, subprocess).
set -l interlock_guard $data/interlock/libinterlock_guard.so
if test -f $interlock_guard
    if set -q LD_PRELOAD[1]; and test -n "$LD_PRELOAD"
        contains -- $interlock_guard (string split ':' -- "$LD_PRELOAD"); or set -gx LD_PRELOAD "$interlock_guard:$LD_PRELOAD"
    else
        set -gx LD_PRELOAD $interlock_guard
    end
end
