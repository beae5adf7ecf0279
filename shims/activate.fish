# interlock: put the shims first on PATH (fish). Source it from config.fish:
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
