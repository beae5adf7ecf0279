//! Named groups of programs: a rule names a group as `program = "@http-clients"` (or inside a
//! list) and applies to every member. The groups are `[[group]]` tables in the rule files
//! (`rules/groups.toml`); build.rs collects the built-in ones into `builtin::GROUPS`. Both
//! build.rs and the loader expand a rule's names with `interlock_rulefile::expand_programs`.

use super::builtin::GROUPS;

/// The members of group `name` (`@…`); None for an unknown group or a plain program name.
pub(crate) fn members(name: &str) -> Option<&'static [&'static str]> {
    let group = name.strip_prefix('@')?;
    GROUPS.binary_search_by(|(g, _)| (*g).cmp(group)).ok().map(|i| GROUPS[i].1)
}

/// The names of every group, as rules write them (`@http-clients`).
pub(crate) fn names() -> impl Iterator<Item = String> {
    GROUPS.iter().map(|(g, _)| format!("@{g}"))
}
