//! What git tracks, read from the repository's index file (`.git/index`, versions 2–4)
//! without running git: each tracked path with the size and modification time git recorded,
//! so a file can be told apart as untracked, modified, or as committed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A tracked file as the index records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub size: u32,
    pub mtime: (u32, u32),
}

/// A repository's work tree and its index.
#[derive(Debug)]
pub(crate) struct Index {
    pub root: PathBuf,
    pub entries: HashMap<PathBuf, Entry>,
}

/// How a file stands against the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Untracked,
    Modified,
    Unchanged,
}

impl Index {
    /// The index of the repository `dir` is in; `Ok(None)` outside a repository.
    pub(crate) fn of(dir: &Path) -> Result<Option<Index>, String> {
        let Some((root, git)) = repository(dir)? else { return Ok(None) };
        let path = git.join("index");
        if !path.exists() {
            return Ok(Some(Index { root, entries: HashMap::new() }));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let sha256 = std::fs::read_to_string(git.join("config"))
            .is_ok_and(|c| c.lines().any(|l| l.replace(' ', "").eq_ignore_ascii_case("objectformat=sha256")));
        let entries = parse(&bytes, if sha256 { 32 } else { 20 })
            .ok_or_else(|| format!("git's index {} cannot be read", path.display()))?;
        Ok(Some(Index { root, entries }))
    }

    /// How `file` (a path under the work tree) stands.
    pub(crate) fn state(&self, file: &Path) -> State {
        let rel = file.strip_prefix(&self.root).unwrap_or(file);
        let Some(entry) = self.entries.get(rel) else { return State::Untracked };
        let Ok(meta) = std::fs::metadata(file) else { return State::Modified };
        use std::os::unix::fs::MetadataExt;
        let same_size = meta.size() as u32 == entry.size;
        let same_time =
            meta.mtime() as u32 == entry.mtime.0 && (entry.mtime.1 == 0 || meta.mtime_nsec() as u32 == entry.mtime.1);
        if same_size && same_time { State::Unchanged } else { State::Modified }
    }
}

/// The work tree `dir` is in and its git directory (a worktree's `.git` file names its own):
/// `Ok(None)` outside a repository.
pub(crate) fn repository(dir: &Path) -> Result<Option<(PathBuf, PathBuf)>, String> {
    let Some(root) = dir.ancestors().find(|d| d.join(".git").exists()) else { return Ok(None) };
    let git = root.join(".git");
    if git.is_dir() {
        return Ok(Some((root.to_path_buf(), git)));
    }
    let text = std::fs::read_to_string(&git).map_err(|e| format!("{}: {e}", git.display()))?;
    let named = root.join(text.trim().strip_prefix("gitdir:").unwrap_or("").trim());
    Ok(Some((root.to_path_buf(), named)))
}

/// The entries of an index file; `None` when it is not one.
fn parse(b: &[u8], oid: usize) -> Option<HashMap<PathBuf, Entry>> {
    let u32_at = |i: usize| b.get(i..i + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]));
    if b.get(..4)? != b"DIRC" {
        return None;
    }
    let version = u32_at(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = u32_at(8)? as usize;
    let mut entries = HashMap::with_capacity(count.min(1 << 20));
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        let mtime = (u32_at(at + 8)?, u32_at(at + 12)?);
        let size = u32_at(at + 36)?;
        let flags_at = at + 40 + oid;
        let flags = u16::from_be_bytes([*b.get(flags_at)?, *b.get(flags_at + 1)?]);
        at = flags_at + 2;
        if flags & 0x4000 != 0 {
            at += 2; // extended flags (version 3 and up)
        }
        let path = if version == 4 {
            // The path is the previous one minus N trailing bytes, plus this suffix.
            let (strip, used) = varint(b.get(at..)?)?;
            at += used;
            let end = at + b.get(at..)?.iter().position(|&c| c == 0)?;
            let keep = previous.len().checked_sub(strip)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&b[at..end]);
            at = end + 1;
            path
        } else {
            let end = at + b.get(at..)?.iter().position(|&c| c == 0)?;
            let path = b[at..end].to_vec();
            // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
            at = start + ((end - start + 8) & !7);
            path
        };
        use std::os::unix::ffi::OsStrExt;
        entries.insert(PathBuf::from(std::ffi::OsStr::from_bytes(&path)), Entry { size, mtime });
        previous = path;
    }
    Some(entries)
}

/// Git's offset varint (index version 4).
fn varint(b: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut byte = *b.first()?;
    let mut value = (byte & 0x7f) as usize;
    while byte & 0x80 != 0 {
        i += 1;
        byte = *b.get(i)?;
        value = ((value + 1) << 7) | (byte & 0x7f) as usize;
    }
    Some((value, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    /// Against indexes real git writes, in every version it writes.
    #[test]
    fn reads_what_git_writes() {
        for version in ["2", "3", "4"] {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            git(d, &["init", "-q"]);
            std::fs::create_dir_all(d.join("db/migrations")).unwrap();
            std::fs::write(d.join("db/migrations/001_init.sql"), "CREATE TABLE t (id int);").unwrap();
            std::fs::write(d.join("db/migrations/002_more.sql"), "CREATE TABLE u (id int);").unwrap();
            git(d, &["add", "."]);
            git(d, &["commit", "-qm", "init"]);
            git(d, &["update-index", "--index-version", version]);
            std::fs::write(d.join("db/migrations/002_more.sql"), "DROP TABLE t;").unwrap();
            std::fs::write(d.join("db/migrations/003_new.sql"), "DROP TABLE u;").unwrap();
            let index = Index::of(&d.join("db")).unwrap().unwrap();
            assert_eq!(index.entries.len(), 2, "version {version}");
            assert_eq!(index.state(&d.join("db/migrations/001_init.sql")), State::Unchanged, "version {version}");
            assert_eq!(index.state(&d.join("db/migrations/002_more.sql")), State::Modified, "version {version}");
            assert_eq!(index.state(&d.join("db/migrations/003_new.sql")), State::Untracked, "version {version}");
        }
        assert!(Index::of(Path::new("/")).unwrap().is_none());
    }
}
