//! Named groups of programs: a rule names a group as `program = "@http-clients"` (or inside a
//! list) and applies to every member. The groups are `[[group]]` tables in the rule files
//! (`rules/groups.toml`); build.rs collects the built-in ones into `builtin::GROUPS` and
//! expands the built-in rules with them, and the loader expands a user file's rules the same
//! way.

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

/// `names` with each group replaced by its members, in order, without duplicates; Err names
/// an unknown group.
pub(crate) fn expand(names: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let expanded: Vec<String> = match (name.starts_with('@'), members(name)) {
            (true, Some(list)) => list.iter().map(|m| m.to_string()).collect(),
            (true, None) => return Err(name.clone()),
            (false, _) => vec![name.clone()],
        };
        for n in expanded {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}
