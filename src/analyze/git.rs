//! git: the shared argv analyzer, after expanding an alias defined on the same command line
//! (`git -c alias.nuke='push --force' nuke`), the way git itself does. An alias that runs a
//! shell command (`!…`) is "cannot see" here; the hook parses such strings when it sees them.

use super::argv;
use super::spec::ProgramSpec;
use crate::facts::Facts;
use crate::invocation::Invocation;

pub(crate) fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = analyze_args(inv, spec);
    abbreviations(&mut facts);
    facts
}

/// The long options of git's commands that rules name, with their siblings that share a
/// prefix (git takes any unambiguous prefix of a long option: `reset --har` is `--hard`).
const LONG_OPTIONS: &[(&str, &[&str])] = &[
    (
        "reset",
        &[
            "hard",
            "soft",
            "mixed",
            "merge",
            "keep",
            "quiet",
            "patch",
            "recurse-submodules",
            "refresh",
            "intent-to-add",
            "pathspec-from-file",
            "pathspec-file-nul",
        ],
    ),
    (
        "push",
        &[
            "force",
            "force-with-lease",
            "force-if-includes",
            "mirror",
            "delete",
            "prune",
            "all",
            "branches",
            "tags",
            "follow-tags",
            "dry-run",
            "porcelain",
            "set-upstream",
            "quiet",
            "verbose",
            "progress",
            "push-option",
            "receive-pack",
            "repo",
            "atomic",
            "signed",
            "thin",
            "recurse-submodules",
            "verify",
            "ipv4",
            "ipv6",
            "exec",
        ],
    ),
    ("clean", &["force", "dry-run", "quiet", "exclude", "interactive"]),
    (
        "branch",
        &[
            "delete",
            "force",
            "move",
            "copy",
            "all",
            "remotes",
            "list",
            "create-reflog",
            "set-upstream-to",
            "unset-upstream",
            "track",
            "no-track",
            "edit-description",
            "contains",
            "merged",
            "no-merged",
            "sort",
            "points-at",
            "format",
            "color",
            "column",
            "verbose",
            "quiet",
            "abbrev",
            "show-current",
            "ignore-case",
            "recurse-submodules",
        ],
    ),
    (
        "checkout",
        &[
            "force",
            "quiet",
            "progress",
            "merge",
            "detach",
            "orphan",
            "ours",
            "theirs",
            "track",
            "no-track",
            "guess",
            "overlay",
            "patch",
            "conflict",
            "ignore-skip-worktree-bits",
            "ignore-other-worktrees",
            "recurse-submodules",
            "overwrite-ignore",
            "pathspec-from-file",
            "pathspec-file-nul",
        ],
    ),
    (
        "switch",
        &[
            "force",
            "discard-changes",
            "create",
            "force-create",
            "detach",
            "guess",
            "quiet",
            "progress",
            "merge",
            "conflict",
            "track",
            "no-track",
            "orphan",
            "ignore-other-worktrees",
            "recurse-submodules",
        ],
    ),
    (
        "rm",
        &["force", "cached", "dry-run", "quiet", "ignore-unmatch", "sparse", "pathspec-from-file", "pathspec-file-nul"],
    ),
    (
        "restore",
        &[
            "source",
            "staged",
            "worktree",
            "patch",
            "quiet",
            "progress",
            "ours",
            "theirs",
            "merge",
            "conflict",
            "ignore-unmerged",
            "ignore-skip-worktree-bits",
            "recurse-submodules",
            "overlay",
            "pathspec-from-file",
            "pathspec-file-nul",
        ],
    ),
    (
        "worktree",
        &[
            "force",
            "detach",
            "checkout",
            "lock",
            "reason",
            "orphan",
            "track",
            "guess-remote",
            "quiet",
            "verbose",
            "expire",
            "dry-run",
        ],
    ),
    (
        "read-tree",
        &[
            "reset",
            "prefix",
            "index-output",
            "exclude-per-directory",
            "trivial",
            "aggressive",
            "dry-run",
            "empty",
            "no-sparse-checkout",
            "quiet",
            "recurse-submodules",
        ],
    ),
    (
        "checkout-index",
        &[
            "force",
            "all",
            "index",
            "quiet",
            "no-create",
            "prefix",
            "stage",
            "temp",
            "stdin",
            "ignore-skip-worktree-bits",
        ],
    ),
    ("gc", &["prune", "aggressive", "auto", "quiet", "force", "keep-largest-pack", "cruft", "no-prune"]),
];

/// `--har` → `--hard`: an abbreviated long option of the command is added to the facts as
/// git reads it, when it names exactly one option.
fn abbreviations(facts: &mut Facts) {
    let Some(sub) = facts.command.first() else { return };
    let Some((_, longs)) = LONG_OPTIONS.iter().find(|(c, _)| c == sub) else { return };
    let mut full = Vec::new();
    for flag in &facts.flags {
        let Some(given) = flag.strip_prefix("--") else { continue };
        if given.is_empty() || longs.contains(&given) {
            continue;
        }
        // Every command takes `--help` too: `--h` is ambiguous, and git refuses it.
        let mut candidates = longs.iter().chain(&["help"]).filter(|l| l.starts_with(given));
        if let (Some(one), None) = (candidates.next(), candidates.next()) {
            full.push(format!("--{one}"));
        }
    }
    facts.flags.extend(full);
}

fn analyze_args(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
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
