//! git aliases: `git nuke` runs what `alias.nuke` says — more git (`reset --hard`) or, with
//! a leading `!`, a shell command (`!rm -rf build && git clean -fdx`). The alias is read
//! where git reads it: `-c alias.X=…` on the command line, `GIT_CONFIG_COUNT` variables, the
//! repository's `.git/config`, `$XDG_CONFIG_HOME/git/config` and `~/.gitconfig`. An alias
//! never hides a git command (git ignores such an alias), so built-in commands are never
//! looked up.

use std::path::{Path, PathBuf};

use crate::invocation::Env;

/// What a git alias runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Runs {
    /// `git` with these arguments (the alias's words, then the call's own).
    Git(Vec<String>),
    /// A shell command line (the alias's text, then the call's own arguments).
    Shell(String),
}

/// git's own commands (and the common ones of its distribution): never an alias.
const BUILTINS: &[&str] = &[
    "add",
    "am",
    "annotate",
    "apply",
    "archive",
    "bisect",
    "blame",
    "branch",
    "bundle",
    "cat-file",
    "check-ignore",
    "checkout",
    "cherry",
    "cherry-pick",
    "clean",
    "clone",
    "commit",
    "commit-tree",
    "config",
    "count-objects",
    "describe",
    "diff",
    "diff-files",
    "diff-index",
    "diff-tree",
    "difftool",
    "fetch",
    "filter-branch",
    "for-each-ref",
    "format-patch",
    "fsck",
    "gc",
    "grep",
    "gui",
    "hash-object",
    "help",
    "init",
    "instaweb",
    "log",
    "ls-files",
    "ls-remote",
    "ls-tree",
    "maintenance",
    "merge",
    "merge-base",
    "mergetool",
    "mv",
    "notes",
    "prune",
    "pull",
    "push",
    "range-diff",
    "read-tree",
    "rebase",
    "reflog",
    "remote",
    "repack",
    "replace",
    "rerere",
    "reset",
    "restore",
    "rev-list",
    "rev-parse",
    "revert",
    "rm",
    "shortlog",
    "show",
    "show-ref",
    "sparse-checkout",
    "stash",
    "status",
    "submodule",
    "switch",
    "symbolic-ref",
    "tag",
    "update-index",
    "update-ref",
    "var",
    "verify-commit",
    "version",
    "whatchanged",
    "worktree",
    "write-tree",
    "lfs",
    "flow",
];

/// A git alias a command line uses: its name and what it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub name: String,
    pub runs: Runs,
}

/// The alias `argv` (a git command line) runs, if its command is an alias: `Err` when a
/// config file that may define it cannot be read.
pub(crate) fn expand(argv: &[String], cwd: Option<&Path>, env: Option<&Env>) -> Option<Result<Alias, String>> {
    let args = argv.get(1..)?;
    let mut i = 0;
    let mut inline = Vec::new();
    let mut dir = cwd.map(Path::to_path_buf);
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-c" => {
                inline.extend(args.get(i + 1).cloned());
                i += 2;
            }
            "-C" => {
                dir = dir.map(|d| d.join(args.get(i + 1).map_or("", String::as_str)));
                i += 2;
            }
            "--git-dir" | "--work-tree" | "--namespace" | "--exec-path" | "--config-env" => i += 2,
            _ if a.starts_with('-') => i += 1,
            _ => break,
        }
    }
    let word = args.get(i)?;
    if BUILTINS.contains(&word.as_str()) || word.contains('/') {
        return None;
    }
    let key = format!("alias.{}", word.to_ascii_lowercase());
    let value = match lookup(&key, &inline, dir.as_deref(), env) {
        Ok(Some(v)) => v,
        Ok(None) => return None,
        Err(e) => return Some(Err(e)),
    };
    let rest = &args[i + 1..];
    let runs = match value.strip_prefix('!') {
        Some(shell) => {
            let mut text = shell.to_string();
            if !rest.is_empty() {
                text.push(' ');
                text.push_str(&shell_words::join(rest));
            }
            Runs::Shell(text)
        }
        None => {
            let words =
                shell_words::split(&value).unwrap_or_else(|_| value.split_whitespace().map(str::to_string).collect());
            let mut out = vec!["git".to_string()];
            out.extend(args[..i].iter().cloned());
            out.extend(words);
            out.extend(rest.iter().cloned());
            Runs::Git(out)
        }
    };
    Some(Ok(Alias { name: word.clone(), runs }))
}

/// The value of `key` as git resolves it: the last definition wins, and command-line `-c`
/// and `GIT_CONFIG_*` variables come after every file.
fn lookup(key: &str, inline: &[String], dir: Option<&Path>, env: Option<&Env>) -> Result<Option<String>, String> {
    let var = |n: &str| env.and_then(|e| e.get(n));
    let mut found = None;
    let home = var("HOME").map(PathBuf::from);
    let xdg = var("XDG_CONFIG_HOME").map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(x) = xdg {
        files.push(x.join("git/config"));
    }
    if let Some(h) = &home {
        files.push(h.join(".gitconfig"));
    }
    if let Some(repo) = dir.and_then(repository) {
        files.push(repo.join("config"));
    }
    for f in files {
        if !f.is_file() {
            continue;
        }
        let text = super::read_script(&f).map_err(|e| format!("git's config {} cannot be read ({e})", f.display()))?;
        if let Some(v) = ini_value(&text, key) {
            found = Some(v);
        }
    }
    let count: usize = var("GIT_CONFIG_COUNT").and_then(|c| c.parse().ok()).unwrap_or(0);
    for n in 0..count.min(64) {
        if var(&format!("GIT_CONFIG_KEY_{n}")).is_some_and(|k| k.eq_ignore_ascii_case(key)) {
            found = var(&format!("GIT_CONFIG_VALUE_{n}"));
        }
    }
    for kv in inline {
        if let Some((k, v)) = kv.split_once('=')
            && k.eq_ignore_ascii_case(key)
        {
            found = Some(v.to_string());
        }
    }
    Ok(found)
}

/// The repository's shared git directory for `dir` (a worktree's gitdir is
/// `<repo>/.git/worktrees/NAME`; aliases live in `<repo>/.git`).
fn repository(dir: &Path) -> Option<PathBuf> {
    let (_, git) = super::gitindex::repository(dir).ok()??;
    Some(git.ancestors().find(|a| a.file_name().is_some_and(|n| n == ".git")).map_or(git.clone(), Path::to_path_buf))
}

/// The last value of `section.key` in git config text (`[alias]` / `nuke = reset --hard`).
fn ini_value(text: &str, key: &str) -> Option<String> {
    let (section, name) = key.split_once('.')?;
    let mut current = String::new();
    let mut found = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix('[') {
            current = rest.split([']', ' ', '"']).next().unwrap_or("").to_ascii_lowercase();
            continue;
        }
        if current != section || line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let (k, v) = line.split_once('=').unwrap_or((line, "true"));
        if k.trim().eq_ignore_ascii_case(name) {
            found = Some(unquote(v.trim()));
        }
    }
    found
}

/// A config value: quotes removed, `\"`, `\\`, `\n`, `\t` decoded, comments dropped.
fn unquote(v: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            },
            '#' | ';' if !quoted => break,
            c => out.push(c),
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shell_words::split(s).unwrap()
    }

    #[test]
    fn aliases_from_every_config() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".gitconfig"),
            "[user]\n  name = x\n[alias]\n  nuke = reset --hard origin/main # comment\n  wipe = \"!rm -rf data && git clean -fdx\"\n",
        )
        .unwrap();
        let repo = home.path().join("shop");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::write(repo.join(".git/config"), "[alias]\n\tfp = push --force\n").unwrap();
        let env = Env::from_pairs([("HOME", home.path().to_str().unwrap())]);
        let at = |s: &str| expand(&words(s), Some(&repo), Some(&env)).map(|r| r.map(|a| a.runs));
        assert_eq!(at("git nuke"), Some(Ok(Runs::Git(words("git reset --hard origin/main")))));
        assert_eq!(at("git wipe"), Some(Ok(Runs::Shell("rm -rf data && git clean -fdx".into()))));
        assert_eq!(at("git fp origin main"), Some(Ok(Runs::Git(words("git push --force origin main")))));
        assert_eq!(at("git -c alias.x='!dropdb shop' x"), Some(Ok(Runs::Shell("dropdb shop".into()))));
        assert_eq!(at("git reset --hard"), None, "a git command is never an alias");
        assert_eq!(at("git unknown"), None);
        let env = Env::from_pairs([
            ("HOME", "/nonexistent"),
            ("GIT_CONFIG_COUNT", "1"),
            ("GIT_CONFIG_KEY_0", "alias.y"),
            ("GIT_CONFIG_VALUE_0", "push -f"),
        ]);
        let alias = Alias { name: "y".into(), runs: Runs::Git(words("git push -f")) };
        assert_eq!(expand(&words("git y"), None, Some(&env)), Some(Ok(alias)));
    }
}
