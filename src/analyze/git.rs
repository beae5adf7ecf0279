//! git: the shared argv analyzer, after expanding an alias defined on the same command line
//! (`git -c alias.nuke='push --force' nuke`), the way git itself does. An alias that runs a
//! shell command (`!…`) is "cannot see" here; the hook parses such strings when it sees them.

use super::argv;
use super::spec::ProgramSpec;
use crate::facts::Facts;
use crate::invocation::Invocation;

pub(crate) fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let args = inv.args_lossy();
    let mut facts = argv::analyze(&args, spec, &inv.env);
    let aliases = aliases(&args);
    let Some(sub) = facts.command.first().cloned() else { return facts };
    let Some((_, value)) = aliases.iter().rev().find(|(name, _)| *name == sub) else { return facts };
    if let Some(shell) = value.strip_prefix('!') {
        facts.unknown.push(format!("the git alias `{sub}` runs a shell command: {shell}"));
        return facts;
    }
    let Ok(words) = shell_words::split(value) else {
        facts.unknown.push(format!("the git alias `{sub}` cannot be read"));
        return facts;
    };
    // The first operand that is the alias' name is where git substitutes it.
    let Some(at) = args.iter().enumerate().position(|(i, a)| *a == sub && (i == 0 || args[i - 1] != "-c")) else {
        return facts;
    };
    let mut expanded: Vec<String> = args[..at].to_vec();
    expanded.extend(words);
    expanded.extend(args[at + 1..].iter().cloned());
    let mut facts = argv::analyze(&expanded, spec, &inv.env);
    facts.notes.push(format!("`{sub}` is a git alias defined on the command line"));
    facts
}

/// gh: the shared argv analyzer; `gh api graphql -f query=…` is a GraphQL request to
/// GitHub, read like any GraphQL body (`-F`/`-f` fields other than `query` are variables).
pub(crate) fn gh(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    if facts.command.first().map(String::as_str) != Some("api")
        || facts.command.get(1).map(String::as_str) != Some("graphql")
    {
        return facts;
    }
    let mut query = None;
    let mut variables = serde_json::Map::new();
    for (flag, value) in &facts.flag_values {
        if !matches!(flag.as_str(), "-f" | "--raw-field" | "-F" | "--field") {
            continue;
        }
        let Some((k, v)) = value.split_once('=') else { continue };
        let v = match v.strip_prefix('@') {
            Some(file) if flag == "-F" || flag == "--field" => match super::input::file(inv, file) {
                Ok(t) => t.text,
                Err(e) => {
                    facts.unknown.push(format!("the GraphQL document for `gh api graphql` could not be read: {e}"));
                    continue;
                }
            },
            _ => v.to_string(),
        };
        if k == "query" {
            query = Some(v);
        } else {
            variables.insert(k.to_string(), serde_json::Value::String(v));
        }
    }
    if let Some(doc) = query {
        let vars = serde_json::Value::Object(variables);
        let parsed = super::graphql::from_document(&doc, Some(&vars), Some("api.github.com"));
        facts.graphql.extend(parsed.fields);
        facts.unknown.extend(parsed.unknown);
    }
    facts
}

/// `-c alias.NAME=VALUE` (and `-calias.NAME=VALUE`) given to git.
fn aliases(args: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let setting = if args[i] == "-c" {
            i += 1;
            args.get(i).map(String::as_str)
        } else {
            args[i].strip_prefix("-c")
        };
        if let Some((key, value)) = setting.and_then(|s| s.split_once('='))
            && let Some(name) = key.strip_prefix("alias.").or_else(|| key.strip_prefix("Alias."))
        {
            out.push((name.to_string(), value.to_string()));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invocation::{Env, Stdin};

    fn facts(line: &str) -> Facts {
        let argv = shell_words::split(line).unwrap().into_iter().map(Into::into).collect();
        let inv = Invocation::new(argv, ".".into(), Env::default(), Stdin::Empty);
        let rules = crate::rules::RuleSet::builtin();
        analyze(&inv, rules.program("git"))
    }

    #[test]
    fn aliases_on_the_command_line() {
        let f = facts("git -c alias.nuke='push --force' nuke origin main");
        assert_eq!(f.command, ["push", "origin", "main"]);
        assert!(f.has_flag("--force"));
        assert!(!facts("git -c alias.x='!rm -rf .' x").unknown.is_empty());
        assert_eq!(facts("git -c user.name=x push origin").command, ["push", "origin"]);
    }
}
