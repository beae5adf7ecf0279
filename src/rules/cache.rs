//! A cache of parsed system and user rule files, so a shim with 10,000 user rules parses
//! only the ones for its program.
//!
//! Per rules directory, `<state>/rule-cache/<key>/` holds an index (each file's name, size
//! and modification time) and one JSON file per program with that program's rules and
//! tables. A call stats the directory's files; when they match the index it reads one small
//! JSON file, otherwise it parses everything once and rewrites the cache. Invariants: files
//! that loosen protection (allow rules, `disable`) are never cached — they are parsed every
//! time, so the acceptance check always applies — and every cache file is sealed with the
//! state directory's HMAC key: a file that does not match its seal is ignored and the rules
//! are parsed again, so an edited cache never stands in for the rule files.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::load::{Origin, RuleSet};
use super::model::{Action, ProgramSpec, RuleSpec};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    name: String,
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

/// Add the rules of `dir` for `program` to `set`, through the cache when it is current.
pub(super) fn add_dir_for_program(set: &mut RuleSet, origin: Origin, dir: &Path, program: &str) {
    let Some(files) = entries(dir) else { return };
    if files.is_empty() {
        return;
    }
    let cache = cache_dir(dir);
    let store = crate::state::Keyed::existing();
    if let (Some(cache), Some(store)) = (&cache, &store)
        && let Some(index_bytes) = std::fs::read(cache.join("index.json")).ok()
        && std::fs::read_to_string(cache.join("index.seal")).is_ok_and(|seal| seal == store.mac(&index_bytes))
        && let Ok(index) = serde_json::from_slice::<Index>(&index_bytes)
        && index.files == files
    {
        let chunk = if safe_name(program) && index.programs.iter().any(|p| p == program) {
            let bytes = std::fs::read(cache.join(format!("{program}.json"))).unwrap_or_default();
            let sealed = index.seals.get(program).is_some_and(|seal| *seal == store.mac(&bytes));
            if sealed { serde_json::from_slice::<Chunk>(&bytes).ok() } else { None }
        } else {
            Some(Chunk::default())
        };
        if let Some(chunk) = chunk {
            for name in &index.uncached {
                set.add_file(origin, &dir.join(name), Some(program));
            }
            set.programs.extend(chunk.program);
            for r in chunk.rule {
                if r.spec.action != Action::Allow && r.spec.program.as_slice().iter().any(|p| p == program) {
                    set.push_rule(r.spec, origin, r.file, r.line);
                }
            }
            return;
        }
    }
    // Parse everything once, keep this program's part, and rewrite the cache.
    let mut all = RuleSet::default();
    let mut uncached = Vec::new();
    for f in &files {
        let path = dir.join(&f.name);
        let mut one = RuleSet::default();
        one.add_file(origin, &path, None);
        if !one.errors.is_empty()
            || !one.pending.is_empty()
            || !one.ignored.is_empty()
            || !one.allows.is_empty()
            || !one.disabled.is_empty()
        {
            uncached.push(f.name.clone());
            set.add_file(origin, &path, Some(program));
            continue;
        }
        all.programs.extend(one.programs);
        all.rules.extend(one.rules);
    }
    let mut chunks: std::collections::BTreeMap<String, Chunk> = std::collections::BTreeMap::new();
    for spec in &all.programs {
        chunks.entry(spec.name.clone()).or_default().program.push(spec.clone());
    }
    for rule in &all.rules {
        for p in rule.spec.program.as_slice() {
            chunks.entry(p.clone()).or_default().rule.push(CachedRule {
                file: rule.file.clone(),
                line: rule.line,
                spec: rule.spec.clone(),
            });
        }
    }
    set.programs.extend(all.programs.iter().filter(|p| p.name == program).cloned());
    for rule in all.rules {
        if rule.applies_to(program) {
            set.push_rule(rule.spec, origin, rule.file, rule.line);
        }
    }
    if let Some(cache) = cache {
        let _ = write_cache(&cache, files, uncached, chunks);
    }
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
