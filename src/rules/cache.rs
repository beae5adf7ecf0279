//! A cache of parsed system and user rule files, so a shim with 10,000 user rules parses
//! only the ones for its program.
//!
//! Per rules directory, `<state>/rule-cache/<key>/` holds an index (each file's name, size
//! and modification time) and one JSON file per program with that program's rules and
//! tables. A call stats the directory's files; when they match the index it reads one small
//! JSON file, otherwise it parses everything once and rewrites the cache. Invariants: files
//! that loosen protection (allow rules, `disable`) are never cached — they are parsed every
//! time, so the acceptance check always applies (the loader decides that; this module only
//! stores and reads) — and every cache file is sealed with the
//! state directory's HMAC key: a file that does not match its seal is ignored and the rules
//! are parsed again, so an edited cache never stands in for the rule files.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::model::{ProgramSpec, RuleSpec};

/// One rule file as the cache keys it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
    pub(super) name: String,
    size: u64,
    mtime_ns: u128,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    files: Vec<Entry>,
    /// Programs with a cache file.
    programs: Vec<String>,
    /// Files parsed on every call (loosening, or unparsable so their errors show).
    uncached: Vec<String>,
    /// Seal of each program's cache file.
    seals: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Chunk {
    program: Vec<ProgramSpec>,
    rule: Vec<CachedRule>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CachedRule {
    file: String,
    line: usize,
    spec: RuleSpec,
}

fn entries(dir: &Path) -> Option<Vec<Entry>> {
    let mut out: Vec<Entry> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let mtime_ns = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
            Some(Entry { name: e.file_name().to_string_lossy().into_owned(), size: meta.len(), mtime_ns })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Some(out)
}

fn cache_dir(dir: &Path) -> Option<PathBuf> {
    // FNV-1a of the directory path names its cache.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in dir.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    crate::paths::state_dir().map(|s| s.join("rule-cache").join(format!("{h:016x}")))
}

fn safe_name(program: &str) -> bool {
    !program.is_empty() && !program.contains('/') && program != "." && program != ".." && program != "index"
}

/// What the cache holds for one program of one directory.
#[derive(Debug, Default)]
pub(super) struct Cached {
    pub programs: Vec<ProgramSpec>,
    /// Each rule with the file and line it came from.
    pub rules: Vec<(RuleSpec, String, usize)>,
    /// Files the loader chose not to cache: it parses them on every call.
    pub uncached: Vec<String>,
}

/// The `.toml` files of `dir` as the cache keys them (name, size, mtime), in name order.
pub(super) fn files(dir: &Path) -> Option<Vec<Entry>> {
    entries(dir)
}

/// The cached rules of `program` for `dir`, when the cache is current for `files` and every
/// part of it matches its seal; `None` otherwise (the caller parses the files).
pub(super) fn read(dir: &Path, files: &[Entry], program: &str) -> Option<Cached> {
    let cache = cache_dir(dir)?;
    let store = crate::state::Keyed::existing()?;
    let index_bytes = std::fs::read(cache.join("index.json")).ok()?;
    let seal = std::fs::read_to_string(cache.join("index.seal")).ok()?;
    if seal != store.mac(&index_bytes) {
        return None;
    }
    let index = serde_json::from_slice::<Index>(&index_bytes).ok()?;
    if index.files != files {
        return None;
    }
    let chunk = if safe_name(program) && index.programs.iter().any(|p| p == program) {
        let bytes = std::fs::read(cache.join(format!("{program}.json"))).ok()?;
        if index.seals.get(program).is_none_or(|seal| *seal != store.mac(&bytes)) {
            return None;
        }
        serde_json::from_slice::<Chunk>(&bytes).ok()?
    } else {
        Chunk::default()
    };
    Some(Cached {
        programs: chunk.program,
        rules: chunk.rule.into_iter().map(|r| (r.spec, r.file, r.line)).collect(),
        uncached: index.uncached,
    })
}

/// Replace the cache of `dir`: the parsed rules and tables of the cacheable files, split per
/// program, and the names of the files the loader chose not to cache. Best effort: a cache
/// that cannot be written only costs the next call a parse.
pub(super) fn write(
    dir: &Path,
    files: Vec<Entry>,
    uncached: Vec<String>,
    programs: &[ProgramSpec],
    rules: &[(RuleSpec, String, usize)],
) {
    let Some(cache) = cache_dir(dir) else { return };
    let mut chunks: std::collections::BTreeMap<String, Chunk> = std::collections::BTreeMap::new();
    for spec in programs {
        chunks.entry(spec.name.clone()).or_default().program.push(spec.clone());
    }
    for (spec, file, line) in rules {
        for p in spec.program.as_slice() {
            chunks.entry(p.clone()).or_default().rule.push(CachedRule {
                file: file.clone(),
                line: *line,
                spec: spec.clone(),
            });
        }
    }
    let _ = write_cache(&cache, files, uncached, chunks);
}

fn write_cache(
    cache: &Path,
    files: Vec<Entry>,
    uncached: Vec<String>,
    chunks: std::collections::BTreeMap<String, Chunk>,
) -> std::io::Result<()> {
    let store = crate::state::Keyed::open().map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::state::private_dir(cache)?;
    let mut programs = Vec::new();
    let mut seals = std::collections::BTreeMap::new();
    for (name, chunk) in &chunks {
        if !safe_name(name) {
            continue;
        }
        let bytes = serde_json::to_vec(chunk).map_err(std::io::Error::other)?;
        crate::state::write_private(&cache.join(format!("{name}.json")), &bytes)?;
        seals.insert(name.clone(), store.mac(&bytes));
        programs.push(name.clone());
    }
    let index = Index { files, programs, uncached, seals };
    let bytes = serde_json::to_vec(&index).map_err(std::io::Error::other)?;
    // The index and its seal go last: until both are written, the cache is not used.
    crate::state::write_private(&cache.join("index.json"), &bytes)?;
    crate::state::write_private(&cache.join("index.seal"), store.mac(&bytes).as_bytes())
}
