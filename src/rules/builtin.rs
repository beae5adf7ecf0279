//! The built-in rule files, embedded at build time and indexed by program (see `build.rs`).

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Indexes into `FILES` of the built-in files that name `program`.
pub(crate) fn files_for(program: &str) -> &'static [usize] {
    match PROGRAMS.binary_search_by(|(name, _)| (*name).cmp(program)) {
        Ok(i) => PROGRAMS[i].1,
        Err(_) => &[],
    }
}

/// The pre-parsed built-in rules and program tables of `program` (JSON), if any.
pub(crate) fn chunk_for(program: &str) -> Option<&'static str> {
    CHUNKS.binary_search_by(|(name, _)| (*name).cmp(program)).ok().map(|i| CHUNKS[i].1)
}
