//! Where interlock keeps things: config (user rules), state (log, approvals), data (shims, the
//! exec guard, the activation snippets).
//!
//! One layout on every OS, the XDG base directories — `$XDG_CONFIG_HOME/interlock` (default
//! `~/.config/interlock`), `$XDG_STATE_HOME/interlock` (`~/.local/state/interlock`) and
//! `$XDG_DATA_HOME/interlock` (`~/.local/share/interlock`) — because `install.sh`, the
//! activation snippets and the agents' settings name these paths in shell, where a platform's
//! own convention (macOS's `~/Library/Application Support`) would have to be guessed again. A
//! relative `XDG_*` value is ignored, as the XDG specification says.

use std::ffi::OsString;
use std::path::PathBuf;

/// System-wide rules, readable by every user, writable only by an administrator.
pub(crate) const SYSTEM_RULES_DIR: &str = "/etc/interlock/rules";

/// `$VAR/interlock` when VAR holds an absolute path, else `$HOME/<fallback>/interlock`.
fn base(var: &str, fallback: &str, lookup: &dyn Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let from_var = lookup(var).map(PathBuf::from).filter(|p| p.is_absolute());
    let dir = match from_var {
        Some(d) => d,
        None => PathBuf::from(lookup("HOME").filter(|h| !h.is_empty())?).join(fallback),
    };
    Some(dir.join("interlock"))
}

fn env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

/// `~/.config/interlock`.
pub(crate) fn config_dir() -> Option<PathBuf> {
    base("XDG_CONFIG_HOME", ".config", &env)
}

/// User rule files: `<config>/rules/*.toml`.
pub(crate) fn user_rules_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("rules"))
}

/// `~/.local/state/interlock`: the audit log, approvals, the key.
pub(crate) fn state_dir() -> Option<PathBuf> {
    base("XDG_STATE_HOME", ".local/state", &env)
}

/// `~/.local/share/interlock`: the shims, the exec guard, the snippets.
pub(crate) fn data_dir() -> Option<PathBuf> {
    base("XDG_DATA_HOME", ".local/share", &env)
}

/// The default shims directory: `<data>/shims`. Never a bin directory every shell uses.
pub(crate) fn default_shims_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("shims"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| OsString::from(v))
    }

    /// Regression (issue 25): on macOS the binary put its shims in `~/Library/Application
    /// Support/interlock/shims` (the `directories` crate's convention) while install.sh and
    /// activate.sh use `~/.local/share/interlock/shims`: activation did nothing. The layout is
    /// one function of HOME and the XDG variables, whatever the OS — a Mac's environment
    /// (HOME under /Users, no XDG variables) gets the paths install.sh writes.
    #[test]
    fn one_layout_that_install_sh_and_the_snippets_agree_on() {
        let mac = lookup(&[("HOME", "/Users/ada")]);
        assert_eq!(base("XDG_DATA_HOME", ".local/share", &mac), Some("/Users/ada/.local/share/interlock".into()));
        assert_eq!(base("XDG_STATE_HOME", ".local/state", &mac), Some("/Users/ada/.local/state/interlock".into()));
        assert_eq!(base("XDG_CONFIG_HOME", ".config", &mac), Some("/Users/ada/.config/interlock".into()));
        let xdg = lookup(&[("HOME", "/home/ada"), ("XDG_DATA_HOME", "/data"), ("XDG_STATE_HOME", "relative/state")]);
        assert_eq!(base("XDG_DATA_HOME", ".local/share", &xdg), Some("/data/interlock".into()));
        assert_eq!(
            base("XDG_STATE_HOME", ".local/state", &xdg),
            Some("/home/ada/.local/state/interlock".into()),
            "a relative XDG value is ignored"
        );
        assert_eq!(base("XDG_DATA_HOME", ".local/share", &lookup(&[])), None);
        // install.sh's own defaults, read from the script itself.
        let script = include_str!("../install.sh");
        assert!(script.contains("data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/interlock"));
    }
}
