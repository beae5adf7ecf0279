//! Named patterns: a rule's regex names a shared one as `{build_outputs}` instead of copying
//! it. The patterns are `[[pattern]]` tables in the rule files (`rules/patterns.toml`);
//! build.rs collects the built-in ones into `builtin::PATTERNS`. A name stands for its regex
//! in a non-capturing group, so `^({build_outputs})/` reads as it looks.
//!
//! `{NAME}` is a lowercase identifier in braces; regex repetition (`{2,3}`) and escaped
//! braces (`\{`) are left alone.

use super::builtin::PATTERNS;
use super::model::PatternSpec;

/// `regex` with every `{NAME}` replaced by the pattern of that name — one of `own` (the file's
/// own `[[pattern]]` tables), else a built-in one. Err names an unknown pattern.
pub(crate) fn expand(regex: &str, own: &[PatternSpec]) -> Result<String, String> {
    if !regex.contains('{') {
        return Ok(regex.to_string());
    }
    let mut out = String::with_capacity(regex.len());
    let mut rest = regex;
    while let Some(open) = rest.find('{') {
        let escaped = rest[..open].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        let name_end = rest[open + 1..].find('}').map(|e| open + 1 + e);
        let name = name_end.map(|e| &rest[open + 1..e]).filter(|n| is_name(n));
        match (escaped, name, name_end) {
            (false, Some(name), Some(end)) => {
                let found = own
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.regex.as_str())
                    .or_else(|| PATTERNS.binary_search_by(|(n, _)| (*n).cmp(name)).ok().map(|i| PATTERNS[i].1))
                    .ok_or_else(|| {
                        let known: Vec<&str> =
                            own.iter().map(|p| p.name.as_str()).chain(PATTERNS.iter().map(|(n, _)| *n)).collect();
                        format!("unknown pattern {{{name}}} (known: {})", known.join(", "))
                    })?;
                out.push_str(&rest[..open]);
                out.push_str("(?:");
                out.push_str(found);
                out.push(')');
                rest = &rest[end + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn is_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_expand_and_the_rest_is_left_alone() {
        let own = [PatternSpec { name: "ours".into(), regex: "a|b".into() }];
        assert_eq!(expand("^({ours})$", &own).unwrap(), "^((?:a|b))$");
        assert_eq!(expand("x{2,3}", &own).unwrap(), "x{2,3}");
        assert_eq!(expand(r"^\$\{?TMPDIR", &own).unwrap(), r"^\$\{?TMPDIR");
        assert!(expand("{build_outputs}", &own).unwrap().contains("node_modules"));
        let err = expand("{nope}", &own).unwrap_err();
        assert!(err.contains("unknown pattern {nope}") && err.contains("build_outputs"), "{err}");
    }
}
