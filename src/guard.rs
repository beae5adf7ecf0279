//! The exec guard, seen from the interlock binary: the table the preload library reads, the
//! hand-over from the library, and what `doctor` reports.
//!
//! The library (`guard/`, installed as `libinterlock_guard.so` beside `guard.table` in the data
//! directory) reroutes an exec of a guarded program to this binary with the original argv and
//! `INTERLOCK_GUARD_EXEC=<the path that was meant>`. This binary then runs exactly as the shim
//! of that program, with that path as the real program. When it execs a real program with the
//! guard loaded, it sets `INTERLOCK_GUARD_PASS=<its pid>` so the program's own copy of the
//! library knows interlock judged it (and removes the variable before `main`).
//!
//! Table format (one item a line; the library rejects the whole file on anything else):
//!
//! ```text
//! interlock-guard 1
//! interlock /home/me/.local/bin/interlock     the binary guarded calls go to
//! self DEV INO                                its identity
//! name curl                                   a guarded basename (one per shim)
//! id DEV INO curl                             a real binary behind a shim, and its name
//! loader DEV INO                              the dynamic loader (`ld.so PROGRAM` runs PROGRAM)
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Set by the library on the interlock it starts: the program that was meant.
pub(crate) const EXEC_VAR: &str = "INTERLOCK_GUARD_EXEC";
/// Set by interlock on a real program it execs while the guard is loaded: its pid.
pub(crate) const PASS_VAR: &str = "INTERLOCK_GUARD_PASS";
/// The library's file name.
pub(crate) const LIB_FILE: &str = "libinterlock_guard.so";
/// The table's file name, beside the library.
pub(crate) const TABLE_FILE: &str = "guard.table";
const MAGIC: &str = "interlock-guard 1";

/// Programs every system has that a multi-call binary (busybox, a single-binary coreutils)
/// would share an inode with: such an inode is never guarded, or every `ls` would be judged
/// as `rm`.
const COMMON: &[&str] = &["ls", "cat", "true", "echo", "sh", "env"];

/// Where the dynamic loader lives on the Linux systems interlock knows.
const LOADERS: &[&str] = &[
    "/lib64/ld-linux-x86-64.so.2",
    "/lib/ld-linux-aarch64.so.1",
    "/lib/ld-linux-armhf.so.3",
    "/lib/ld-linux.so.2",
    "/lib64/ld64.so.2",
    "/lib/ld-musl-x86_64.so.1",
    "/lib/ld-musl-aarch64.so.1",
];

/// Directories searched for the real binaries behind the shims, besides PATH.
const SYSTEM_DIRS: &[&str] = &["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/// The guard's table, as read back.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub interlock: PathBuf,
    pub names: BTreeSet<String>,
    /// (device, inode) → program name.
    pub ids: BTreeMap<(u64, u64), String>,
}

/// The directory holding the library and its table: the one `LD_PRELOAD` names, else the
/// data directory the installer uses.
pub(crate) fn dir() -> Option<PathBuf> {
    preloaded_lib().and_then(|lib| lib.parent().map(Path::to_path_buf)).or_else(crate::paths::data_dir)
}

/// The guard library named in this process' `LD_PRELOAD`, if any.
pub(crate) fn preloaded_lib() -> Option<PathBuf> {
    let value = std::env::var_os("LD_PRELOAD")?;
    value
        .as_bytes()
        .split(|&b| b == b':' || b == b' ')
        .map(|e| PathBuf::from(OsStr::from_bytes(e)))
        .find(|p| p.file_name() == Some(OsStr::new(LIB_FILE)))
}

/// Writes `dir/guard.table` for the guarded `names`, handing calls to `interlock`, and the
/// same table into the slot of the library in `dir` when it is installed there (a process
/// start then reads it from the library's own pages, with no system call).
pub(crate) fn write_table(dir: &Path, names: &BTreeSet<String>, interlock: &Path) -> anyhow::Result<usize> {
    let text = table_text(names, interlock, &real_dirs())?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    replace_file(&dir.join(TABLE_FILE), text.as_bytes())?;
    let lib = dir.join(LIB_FILE);
    if lib.is_file() {
        embed(&lib, &text)?;
    }
    Ok(text.lines().filter(|l| l.starts_with("id ")).count())
}

/// Empties the library's table slot (it then reads `guard.table`, or guards nothing).
pub(crate) fn clear_embedded(dir: &Path) -> anyhow::Result<()> {
    let lib = dir.join(LIB_FILE);
    if lib.is_file() { embed(&lib, "") } else { Ok(()) }
}

/// The library's slot: this marker, then the table text and a NUL (see guard/src/table.rs).
const SLOT_MARKER: &[u8; 32] = b"INTERLOCK-GUARD-TABLE-SLOT-v1\n\0\0";
const SLOT_BYTES: usize = 32 * 1024;

/// Writes `text` into the table slot of the library at `lib`: a new file renamed over the old
/// one, so processes that have the old one mapped keep it intact.
fn embed(lib: &Path, text: &str) -> anyhow::Result<()> {
    let mut bytes = std::fs::read(lib).with_context(|| format!("reading {}", lib.display()))?;
    let mut found = memchr::memmem::find_iter(&bytes, SLOT_MARKER);
    let (Some(at), None) = (found.next(), found.next()) else {
        anyhow::bail!("{} has no single table slot (is it interlock's exec guard?)", lib.display());
    };
    let start = at + SLOT_MARKER.len();
    let room = SLOT_BYTES - SLOT_MARKER.len();
    anyhow::ensure!(text.len() < room, "the guard table ({} bytes) does not fit the library's slot", text.len());
    let slot = bytes.get_mut(start..start + room).context("the library ends inside its table slot")?;
    slot.fill(0);
    slot[..text.len()].copy_from_slice(text.as_bytes());
    replace_file(lib, &bytes)
}

/// Writes `path` anew through a temporary file and a rename, keeping its permissions.
fn replace_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, meta.permissions()).with_context(|| format!("writing {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

/// The directories searched for real binaries: PATH's, then the system's, without the
/// shims (which are interlock).
fn real_dirs() -> Vec<PathBuf> {
    let mut dirs = crate::resolve::search_dirs(std::env::var_os("PATH").as_deref());
    dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
    dirs.retain(|d| d.is_absolute());
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(std::fs::canonicalize(d).unwrap_or_else(|_| d.clone())));
    dirs
}

fn table_text(names: &BTreeSet<String>, interlock: &Path, dirs: &[PathBuf]) -> anyhow::Result<String> {
    let me = std::fs::metadata(interlock).with_context(|| format!("reading {}", interlock.display()))?;
    let path = interlock.to_str().filter(|p| !p.contains('\n') && p.starts_with('/'));
    let path = path.with_context(|| format!("{} cannot be named in the guard table", interlock.display()))?;
    let mut text = format!("{MAGIC}\ninterlock {path}\nself {} {}\n", me.dev(), me.ino());
    let common: BTreeSet<(u64, u64)> =
        COMMON.iter().flat_map(|n| dirs.iter().filter_map(move |d| identity(&d.join(n)))).collect();
    let mut ids: BTreeMap<(u64, u64), &str> = BTreeMap::new();
    for name in names.iter().filter(|n| !n.contains(['\n', ' '])) {
        text.push_str(&format!("name {name}\n"));
        for dir in dirs {
            if let Some(id) = identity(&dir.join(name))
                && id != (me.dev(), me.ino())
                && !common.contains(&id)
            {
                ids.entry(id).or_insert(name);
            }
        }
    }
    for ((dev, ino), name) in ids {
        text.push_str(&format!("id {dev} {ino} {name}\n"));
    }
    let loaders: BTreeSet<(u64, u64)> = LOADERS.iter().filter_map(|p| identity(Path::new(p))).collect();
    for (dev, ino) in loaders {
        text.push_str(&format!("loader {dev} {ino}\n"));
    }
    Ok(text)
}

/// The identity of an executable regular file (symlinks followed).
fn identity(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.permissions().mode() & 0o111 != 0).then(|| (meta.dev(), meta.ino()))
}

/// Reads a table written by [`write_table`].
pub(crate) fn read_table(file: &Path) -> Option<Table> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC) {
        return None;
    }
    let mut table = Table::default();
    for line in lines {
        let (key, value) = line.split_once(' ')?;
        match key {
            "interlock" => table.interlock = PathBuf::from(value),
            "name" => {
                table.names.insert(value.to_string());
            }
            "id" => {
                let mut parts = value.splitn(3, ' ');
                let dev = parts.next()?.parse().ok()?;
                let ino = parts.next()?.parse().ok()?;
                table.ids.insert((dev, ino), parts.next().unwrap_or_default().to_string());
            }
            "self" | "loader" => {}
            _ => return None,
        }
    }
    Some(table)
}

/// The program a hand-over from the library is judged as: the basename of the path that was
/// meant when it is a guarded name, else the name the table gives that file (a copy or link
/// under another name), else the basename. Never the caller's argv[0], which it chooses freely.
pub(crate) fn program_for(target: &Path, table: Option<&Table>) -> String {
    let base = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(table) = table else { return base };
    if table.names.contains(&base) {
        return base;
    }
    std::fs::metadata(target)
        .ok()
        .and_then(|m| table.ids.get(&(m.dev(), m.ino())).cloned())
        .filter(|n| !n.is_empty())
        .unwrap_or(base)
}

/// The table beside the library this process was handed over by (or the installed one).
pub(crate) fn current_table() -> Option<Table> {
    read_table(&dir()?.join(TABLE_FILE))
}

/// The `INTERLOCK_GUARD_PASS` entry for a real program this process is about to exec, when
/// the guard is loaded (its constructor would otherwise hand the program back to interlock).
pub(crate) fn pass_entry() -> Option<OsString> {
    preloaded_lib()?;
    Some(OsString::from(format!("{PASS_VAR}={}", std::process::id())))
}

/// What `doctor` says about the guard.
#[derive(Debug)]
pub(crate) struct Status {
    pub lib: Option<PathBuf>,
    pub table: Option<Table>,
    pub table_file: Option<PathBuf>,
    /// The library is mapped into this process.
    pub loaded_here: bool,
    /// The library is mapped into the parent process (the shell that ran `doctor`).
    pub loaded_in_parent: Option<bool>,
    /// Guarded names whose real binary's identity is not in the table (installed or upgraded
    /// since the table was written).
    pub stale: Vec<String>,
}

/// Examines the guard as installed and as loaded into this process tree.
pub(crate) fn status() -> Status {
    let dir = dir();
    let lib = dir.as_ref().map(|d| d.join(LIB_FILE)).filter(|p| p.is_file());
    let table_file = dir.as_ref().map(|d| d.join(TABLE_FILE));
    let table = table_file.as_deref().and_then(read_table);
    let loaded_here = maps_name(Path::new("/proc/self/maps"));
    let loaded_in_parent =
        Some(maps_name(&PathBuf::from(format!("/proc/{}/maps", std::os::unix::process::parent_id()))))
            .filter(|_| cfg!(target_os = "linux"));
    let stale = match &table {
        Some(t) => t
            .names
            .iter()
            .filter(|n| {
                real_dirs().iter().filter_map(|d| identity(&d.join(n))).any(|id| {
                    !t.ids.contains_key(&id)
                        && std::fs::metadata(&t.interlock).map(|m| (m.dev(), m.ino())).ok() != Some(id)
                })
            })
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    Status { lib, table, table_file, loaded_here, loaded_in_parent, stale }
}

fn maps_name(maps: &Path) -> bool {
    std::fs::read_to_string(maps).is_ok_and(|t| t.lines().any(|l| l.ends_with(&format!("/{LIB_FILE}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips_and_skips_multi_call_binaries() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let exe = |name: &str| {
            let p = bin.join(name);
            std::fs::write(&p, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
            p
        };
        let me = exe("interlock");
        exe("curl");
        let busy = exe("ls");
        std::fs::hard_link(&busy, bin.join("rm")).unwrap();
        std::os::unix::fs::symlink(bin.join("curl"), bin.join("curl-link")).unwrap();
        let names: BTreeSet<String> = ["curl", "rm", "psql"].map(String::from).into();
        let text = table_text(&names, &me, std::slice::from_ref(&bin)).unwrap();
        let file = dir.path().join(TABLE_FILE);
        std::fs::write(&file, text).unwrap();
        let table = read_table(&file).unwrap();
        assert_eq!(table.interlock, me);
        assert_eq!(table.names, names);
        // curl's identity is listed; rm shares an inode with ls (a multi-call binary): not.
        assert_eq!(table.ids.values().collect::<Vec<_>>(), ["curl"]);
        assert_eq!(program_for(&bin.join("curl-link"), Some(&table)), "curl");
        assert_eq!(program_for(&bin.join("rm"), Some(&table)), "rm");
        assert_eq!(program_for(&bin.join("ls"), Some(&table)), "ls");
    }

    #[test]
    fn the_table_is_embedded_in_the_library_and_cleared_again() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join(LIB_FILE);
        let mut image = b"ELF...code...".to_vec();
        image.extend_from_slice(SLOT_MARKER);
        image.resize(image.len() + SLOT_BYTES - SLOT_MARKER.len(), 0);
        image.extend_from_slice(b"...more code");
        std::fs::write(&lib, &image).unwrap();
        let slot_text = |bytes: &[u8]| {
            let at = memchr::memmem::find(bytes, SLOT_MARKER).unwrap() + SLOT_MARKER.len();
            let end = bytes[at..].iter().position(|&b| b == 0).unwrap();
            String::from_utf8(bytes[at..at + end].to_vec()).unwrap()
        };
        embed(&lib, "interlock-guard 1\nname curl\n").unwrap();
        let patched = std::fs::read(&lib).unwrap();
        assert_eq!(patched.len(), image.len());
        assert_eq!(slot_text(&patched), "interlock-guard 1\nname curl\n");
        assert!(patched.ends_with(b"...more code"));
        clear_embedded(dir.path()).unwrap();
        assert_eq!(slot_text(&std::fs::read(&lib).unwrap()), "");
        // A file without a slot (or with two) is refused.
        std::fs::write(&lib, b"no slot here").unwrap();
        assert!(embed(&lib, "x").is_err());
    }
}
