//! Finding the real program behind a shim, the way `execvp` would — minus interlock itself.
//!
//! Invariant: never returns a path that resolves to this binary or to another interlock
//! install. Candidates are compared by device and inode (after following every symlink) and
//! by canonical path; a hand-off between two interlock installs in the same process carries
//! the identities already visited in `INTERLOCK_VISITED`, so two installs can never exec each
//! other forever. A nested call (a new process) starts afresh and is checked again.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// `execvp`'s search path when PATH is unset (glibc's `_CS_PATH`).
pub(crate) const DEFAULT_PATH: &str = "/bin:/usr/bin";

/// Identities visited by interlock installs within this process: `PID:DEV.INO,DEV.INO…`.
pub(crate) const VISITED_VAR: &str = "INTERLOCK_VISITED";

/// A file's identity.
pub(crate) type FileId = (u64, u64);

/// What identifies "us": this binary, and interlock installs this process already passed.
#[derive(Debug, Clone, Default)]
pub(crate) struct SelfId {
    pub exe: Option<PathBuf>,
    pub ids: Vec<FileId>,
}

impl SelfId {
    /// This process' binary, plus the installs recorded in `INTERLOCK_VISITED` for this pid.
    pub(crate) fn current() -> SelfId {
        let exe = std::env::current_exe().ok().and_then(|p| std::fs::canonicalize(p).ok());
        let mut ids: Vec<FileId> =
            exe.as_deref().and_then(|p| std::fs::metadata(p).ok()).map(|m| (m.dev(), m.ino())).into_iter().collect();
        if let Some(v) = std::env::var_os(VISITED_VAR) {
            ids.extend(parse_visited(&v, std::process::id()));
        }
        SelfId { exe, ids }
    }

    /// The `INTERLOCK_VISITED` value to hand to the next program in this process.
    pub(crate) fn visited_value(&self) -> OsString {
        let ids: Vec<String> = self.ids.iter().map(|(d, i)| format!("{d}.{i}")).collect();
        OsString::from(format!("{}:{}", std::process::id(), ids.join(",")))
    }

    fn is_us(&self, id: FileId, canonical: Option<&Path>) -> bool {
        if self.ids.contains(&id) {
            return true;
        }
        let Some(canonical) = canonical else {
            return false;
        };
        self.exe.as_deref() == Some(canonical) || canonical.file_name() == Some(OsStr::new("interlock"))
    }
}

/// Identities listed in `value` when it was written by this very process (same pid: an
/// interlock install exec'd another one); stale values from a parent are ignored.
fn parse_visited(value: &OsStr, pid: u32) -> Vec<FileId> {
    let text = value.to_string_lossy();
    let Some((owner, list)) = text.split_once(':') else {
        return Vec::new();
    };
    if owner.parse::<u32>().ok() != Some(pid) {
        return Vec::new();
    }
    list.split(',')
        .filter_map(|pair| {
            let (d, i) = pair.split_once('.')?;
            Some((d.parse().ok()?, i.parse().ok()?))
        })
        .collect()
}

/// Why no real program could be found.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ResolveError {
    #[error("{program}: command not found (looked in: {})", display_dirs(.searched))]
    NotFound { program: String, searched: Vec<PathBuf> },
    #[error("{}: Permission denied", .path.display())]
    NotExecutable { path: PathBuf },
}

impl ResolveError {
    /// The exit status a shell gives for this failure.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            ResolveError::NotFound { .. } => crate::exit::NOT_FOUND,
            ResolveError::NotExecutable { .. } => crate::exit::NOT_EXECUTABLE,
        }
    }
}

fn display_dirs(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "nowhere: PATH names no directory".into();
    }
    dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// The directories `execvp` searches: PATH split on `:`, empty entries meaning the current
/// directory, the default path when PATH is unset.
pub(crate) fn search_dirs(path_var: Option<&OsStr>) -> Vec<PathBuf> {
    let value = path_var.map(OsStr::as_bytes).unwrap_or(DEFAULT_PATH.as_bytes());
    value
        .split(|&b| b == b':')
        .map(
            |entry| {
                if entry.is_empty() { PathBuf::from(".") } else { PathBuf::from(OsString::from_vec(entry.to_vec())) }
            },
        )
        .collect()
}

/// The first executable named `program` on `path_var` that is not interlock.
pub(crate) fn find_real(program: &str, path_var: Option<&OsStr>, me: &SelfId) -> Result<PathBuf, ResolveError> {
    let dirs = search_dirs(path_var);
    if program.is_empty() || program == "." || program == ".." {
        return Err(ResolveError::NotFound { program: program.into(), searched: dirs });
    }
    let mut denied: Option<PathBuf> = None;
    for dir in &dirs {
        let candidate = dir.join(program);
        let Ok(meta) = std::fs::metadata(&candidate) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let canonical = std::fs::canonicalize(&candidate).ok();
        if me.is_us((meta.dev(), meta.ino()), canonical.as_deref()) {
            continue;
        }
        if nix::unistd::access(&candidate, nix::unistd::AccessFlags::X_OK).is_ok() {
            return Ok(candidate);
        }
        denied.get_or_insert(candidate);
    }
    match denied {
        Some(path) => Err(ResolveError::NotExecutable { path }),
        None => Err(ResolveError::NotFound { program: program.into(), searched: dirs }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_entries_are_the_current_directory() {
        let dirs = search_dirs(Some(OsStr::new(":/usr/bin::/bin:")));
        assert_eq!(dirs, [".", "/usr/bin", ".", "/bin", "."].map(PathBuf::from));
    }

    #[test]
    fn unset_path_uses_the_default() {
        assert_eq!(search_dirs(None), ["/bin", "/usr/bin"].map(PathBuf::from));
    }

    #[test]
    fn visited_ids_only_count_for_this_pid() {
        let v = OsStr::new("42:1.2,3.4");
        assert_eq!(parse_visited(v, 42), [(1, 2), (3, 4)]);
        assert!(parse_visited(v, 43).is_empty());
        assert!(parse_visited(OsStr::new("garbage"), 42).is_empty());
        assert_eq!(parse_visited(OsStr::new("42:1.2,x.y"), 42), [(1, 2)]);
    }
}
