//! `interlock shims install|list|remove`: the directory of symlinks that puts interlock in
//! front of each guarded program.
//!
//! Invariants: never overwrites a file it did not create (its own links are listed in a
//! manifest in the directory), removes only its own stale links, and refuses the bin
//! directories every shell uses — shims there would guard programs outside agent terminals
//! and could not be bypassed by a human on purpose.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::exit;
use crate::guard;
use crate::paths;
use crate::resolve::{self, SelfId};
use crate::rules::RuleSet;

/// Lists the links this tool created, one name a line.
pub(super) const MANIFEST: &str = ".interlock-shims";

pub(super) fn shims_dir(dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match dir.or_else(paths::default_shims_dir) {
        Some(d) => Ok(d),
        None => bail!("cannot tell where the shims go (no home directory); pass --dir DIR"),
    }
}

fn read_manifest(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join(MANIFEST)).map(|t| t.lines().map(String::from).collect()).unwrap_or_default()
}

fn write_manifest(dir: &Path, names: &BTreeSet<String>) -> anyhow::Result<()> {
    let text: String = names.iter().map(|n| format!("{n}\n")).collect();
    std::fs::write(dir.join(MANIFEST), text).with_context(|| format!("writing {}", dir.join(MANIFEST).display()))
}

/// Directories every shell uses, where shims must never go.
fn shared_bin_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> =
        ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt/homebrew/bin"]
            .iter()
            .map(PathBuf::from)
            .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        dirs.extend([home.join(".local/bin"), home.join("bin"), home.join(".cargo/bin")]);
    }
    if let Some(xdg) = std::env::var_os("XDG_BIN_HOME") {
        dirs.push(PathBuf::from(xdg));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| std::fs::canonicalize(e).ok())
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir);
    }
    dirs.iter().filter_map(|d| std::fs::canonicalize(d).ok()).collect()
}

/// The binary the shims point at.
fn self_exe() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("finding the interlock binary")?;
    std::fs::canonicalize(&exe).with_context(|| format!("resolving {}", exe.display()))
}

pub(super) fn install(dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let dir = shims_dir(dir)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let canonical = std::fs::canonicalize(&dir).with_context(|| format!("resolving {}", dir.display()))?;
    if shared_bin_dirs().contains(&canonical) {
        bail!(
            "refusing to put shims in {}: every shell uses that directory; shims belong in a dedicated directory \
             that only agent terminals put first on PATH (default: {})",
            dir.display(),
            paths::default_shims_dir().map(|d| d.display().to_string()).unwrap_or_default()
        );
    }
    let exe = self_exe()?;
    let rules = RuleSet::all();
    for e in &rules.errors {
        eprintln!("interlock: warning: {e} (skipped)");
    }
    // Programs with rules, and the wrappers that run other commands elsewhere (`sudo`, `ssh`),
    // so what they run is judged even when a script, not the agent's shell string, runs them.
    let wanted: BTreeSet<String> = rules.shimmed_names().into_iter().filter(|n| valid_name(n)).collect();
    let mut ours = read_manifest(&dir);
    let (mut created, mut kept, mut skipped) = (0, 0, 0);
    for name in &wanted {
        let link = dir.join(name);
        match std::fs::symlink_metadata(&link) {
            Err(_) => {}
            Ok(meta) if meta.file_type().is_symlink() && ours.contains(name) => {
                if std::fs::read_link(&link).ok().as_deref() == Some(exe.as_path()) {
                    kept += 1;
                    continue;
                }
                std::fs::remove_file(&link).with_context(|| format!("replacing {}", link.display()))?;
            }
            Ok(_) => {
                eprintln!("interlock: warning: {} exists and was not created by interlock; left alone", link.display());
                skipped += 1;
                continue;
            }
        }
        std::os::unix::fs::symlink(&exe, &link).with_context(|| format!("creating {}", link.display()))?;
        ours.insert(name.clone());
        created += 1;
    }
    let stale: Vec<String> = ours.iter().filter(|n| !wanted.contains(*n)).cloned().collect();
    for name in &stale {
        let link = dir.join(name);
        if std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&link).with_context(|| format!("removing stale {}", link.display()))?;
        }
        ours.remove(name);
    }
    write_manifest(&dir, &ours)?;
    println!(
        "interlock: {} shims in {} ({created} created, {kept} up to date, {} stale removed, {skipped} left alone)",
        ours.len(),
        dir.display(),
        stale.len()
    );
    // The exec guard's table: the same names, and the real binaries behind them as found now.
    let guard_dir = paths::data_dir().context("cannot tell where the exec guard's table goes (no home directory)")?;
    let ids = guard::write_table(&guard_dir, &ours, &exe)?;
    println!(
        "interlock: exec guard table {} ({} names, {ids} real binaries){}",
        guard_dir.join(guard::TABLE_FILE).display(),
        ours.len(),
        if guard_dir.join(guard::LIB_FILE).is_file() { "" } else { "; the guard library is not installed there" }
    );
    Ok(exit::ALLOW)
}

/// A program name that can be a file name in the shims directory.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains('/')
        && !name.contains('\0')
        && name != crate::SELF_NAME
}

pub(super) fn list(dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let dir = shims_dir(dir)?;
    let ours = read_manifest(&dir);
    if ours.is_empty() {
        println!("no shims in {} (run `interlock shims install`)", dir.display());
        return Ok(exit::ALLOW);
    }
    let me = SelfId::current();
    let path = std::env::var_os("PATH");
    println!("shims in {}:", dir.display());
    for name in &ours {
        let real = match resolve::find_real(name, path.as_deref(), &me) {
            Ok(p) => p.display().to_string(),
            Err(_) => "not installed".into(),
        };
        println!("  {name:<12} -> {real}");
    }
    Ok(exit::ALLOW)
}

pub(super) fn remove(dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let dir = shims_dir(dir)?;
    let ours = read_manifest(&dir);
    let mut removed = 0;
    for name in &ours {
        let link = dir.join(name);
        if std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&link).with_context(|| format!("removing {}", link.display()))?;
            removed += 1;
        }
    }
    let _ = std::fs::remove_file(dir.join(MANIFEST));
    if let Some(guard_dir) = paths::data_dir() {
        // Without its table the guard library stays out of the way.
        let _ = std::fs::remove_file(guard_dir.join(guard::TABLE_FILE));
        if let Err(e) = guard::clear_embedded(&guard_dir) {
            eprintln!("interlock: warning: {e:#}");
        }
    }
    let _ = std::fs::remove_dir(&dir); // only succeeds when nothing else is in it
    println!("interlock: removed {removed} shims from {}", dir.display());
    Ok(exit::ALLOW)
}
