//! Where interlock keeps things: config (user rules), state (log, approvals), data (shims).
//!
//! Follows the platform conventions through `directories`; where a platform has no state
//! directory (macOS), state lives under the local data directory instead.

use std::path::PathBuf;

use directories::ProjectDirs;

/// System-wide rules, readable by every user, writable only by an administrator.
pub(crate) const SYSTEM_RULES_DIR: &str = "/etc/interlock/rules";

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "interlock")
}

/// `~/.config/interlock` on Linux.
pub(crate) fn config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}

/// User rule files: `<config>/rules/*.toml`.
pub(crate) fn user_rules_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("rules"))
}

/// `~/.local/state/interlock` on Linux; the local data dir's `state` elsewhere.
pub(crate) fn state_dir() -> Option<PathBuf> {
    let p = project()?;
    Some(match p.state_dir() {
        Some(d) => d.to_path_buf(),
        None => p.data_local_dir().join("state"),
    })
}

/// `~/.local/share/interlock` on Linux.
pub(crate) fn data_dir() -> Option<PathBuf> {
    project().map(|p| p.data_dir().to_path_buf())
}

/// The default shims directory: `<data>/shims`. Never a bin directory every shell uses.
pub(crate) fn default_shims_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("shims"))
}
