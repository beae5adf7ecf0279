//! The rule-file model that interlock's build script and its loader share, so it is written
//! once: the per-program chunk the build embeds (a program's tables and rules, pre-parsed),
//! and how the program names of a rule expand — `@group` names into their members, then each
//! program into its aliases.
//!
//! Generic over the table and rule types: the build script holds them as untyped values, the
//! loader as its typed model. Nothing here reads files or knows a rule's fields.

use serde::{Deserialize, Serialize};

/// One program's built-in `[[program]]` tables and `[[rule]]`s, pre-parsed at build time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Chunk<P, R> {
    pub program: Vec<P>,
    pub rule: Vec<Located<R>>,
}

/// A rule with the file and line it is written at.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Located<R> {
    pub file: String,
    pub line: usize,
    pub spec: R,
}

/// The programs a rule names, expanded: each `@group` becomes the group's members (`group`
/// looks a name up without its `@`), then every program named gains its aliases (`aliases`:
/// a program and its other names). In order, without duplicates. Err names the first unknown
/// group.
pub fn expand_programs(
    names: &[String],
    group: impl Fn(&str) -> Option<Vec<String>>,
    aliases: &[(String, Vec<String>)],
) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    let push = |n: String, out: &mut Vec<String>| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    for name in names {
        match name.strip_prefix('@') {
            Some(g) => group(g).ok_or_else(|| name.clone())?.into_iter().for_each(|m| push(m, &mut out)),
            None => push(name.clone(), &mut out),
        }
    }
    for (program, alts) in aliases {
        if out.contains(program) {
            for alt in alts {
                push(alt.clone(), &mut out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn groups_then_aliases_in_order_without_repeats() {
        let group = |g: &str| (g == "http").then(|| strings(&["curl", "wget"]));
        let aliases = [("fly".to_string(), strings(&["flyctl"]))];
        let got = expand_programs(&strings(&["@http", "fly", "curl"]), group, &aliases);
        assert_eq!(got, Ok(strings(&["curl", "wget", "fly", "flyctl"])));
        assert_eq!(expand_programs(&strings(&["@nope"]), group, &aliases), Err("@nope".to_string()));
    }
}
