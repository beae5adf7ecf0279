//! Project task runners: `make TARGET`, `npm run X` (and `yarn`, `pnpm`, `bun`), `just X`,
//! `task X`. The command names a task; what runs is written in a file of the project — a
//! Makefile recipe, a `package.json` script, a justfile recipe, a Taskfile task. `tasks` reads that file the way the
//! runner does and returns the shell text it will run, so the hook judges it like any
//! other command.
//!
//! Invariants: only regular files, at most `FILE_LIMIT` bytes, are read; a task file that
//! exists but cannot be read or understood is an error ("cannot see"), never "runs nothing".
//! A missing task file runs nothing (the runner fails before running anything).

use std::path::{Path, PathBuf};

use crate::analyze::options::{OptTable, opt_table, val};
use crate::analyze::spec::Tasks;
use crate::invocation::program_name;
use crate::registry::Registry;

/// The shell text one task runs, and where it runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Task {
    pub text: String,
    /// The directory the runner runs the text in.
    pub dir: PathBuf,
    pub note: String,
}

/// How deep a Makefile's prerequisites (or a justfile's dependencies) are followed.
const MAX_DEPTH: usize = 4;
/// How many recipes one task may pull in.
const MAX_RECIPES: usize = 64;

/// The tasks `argv` runs from the project's files, if it is a task runner; `Err` when the
/// task file cannot be read.
pub(crate) fn tasks(argv: &[String], cwd: &Path, registry: &Registry) -> Option<Result<Vec<Task>, String>> {
    let name = program_name(std::ffi::OsStr::new(argv.first()?));
    let args = &argv[1..];
    match registry.tasks(&name)? {
        Tasks::Make => Some(make(args, cwd)),
        Tasks::Just => Some(just(args, cwd)),
        Tasks::Taskfile => Some(taskfile(args, cwd)),
        runner => package_script(runner, args, cwd),
    }
}

/// A task file's text; `None` when it does not exist (the runner then runs nothing).
fn read(path: &Path) -> Result<Option<String>, String> {
    if !path.exists() {
        return Ok(None);
    }
    super::read_script(path).map(Some)
}

// --- make -------------------------------------------------------------------------------

/// make(1): `-C DIR`, `-f FILE`, `-I DIR`, `-j N`, `-o FILE`, `-W FILE` take values;
/// `NAME=value` operands set variables; the other operands are goals (default: the first
/// target). `-n`/`--dry-run`/`-q`/`--question` run nothing.
const MAKE: OptTable = OptTable::new(&[
    val(Some('C'), ""),
    val(Some('f'), ""),
    val(Some('I'), ""),
    val(Some('j'), ""),
    val(Some('l'), ""),
    val(Some('o'), ""),
    val(Some('W'), ""),
    val(None, "directory"),
    val(None, "file"),
    val(None, "makefile"),
    val(None, "include-dir"),
    val(None, "jobs"),
    val(None, "load-average"),
    val(None, "old-file"),
    val(None, "what-if"),
]);

fn make(args: &[String], cwd: &Path) -> Result<Vec<Task>, String> {
    let (p, operands) = MAKE.parse_permuted(args);
    if p.opts
        .iter()
        .any(|o| matches!(o.name.as_str(), "-n" | "--dry-run" | "--just-print" | "--recon" | "-q" | "--question"))
    {
        return Ok(Vec::new());
    }
    let dir = p
        .opts
        .iter()
        .filter(|o| o.name == "-C" || o.name == "--directory")
        .filter_map(|o| o.value.as_deref())
        .fold(cwd.to_path_buf(), |d, v| d.join(v));
    let file = p
        .opts
        .iter()
        .rev()
        .find(|o| matches!(o.name.as_str(), "-f" | "--file" | "--makefile"))
        .and_then(|o| o.value.clone());
    let path = match file {
        Some(f) => dir.join(f),
        None => match ["GNUmakefile", "makefile", "Makefile"].iter().map(|n| dir.join(n)).find(|p| p.exists()) {
            Some(p) => p,
            None => return Ok(Vec::new()),
        },
    };
    let Some(text) = read(&path)? else { return Ok(Vec::new()) };
    let mut mk = Makefile::parse(&text);
    let mut goals = Vec::new();
    for o in &operands {
        match o.split_once('=') {
            Some((k, v)) if super::wrappers::is_name(k.trim_end_matches([':', '?', '+'])) => {
                mk.vars.push((k.trim_end_matches([':', '?', '+']).to_string(), v.to_string()));
            }
            _ => goals.push(o.clone()),
        }
    }
    if goals.is_empty() {
        match mk.rules.first() {
            Some(r) => goals.push(r.target.clone()),
            None => return Ok(Vec::new()),
        }
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for goal in &goals {
        mk.recipe(goal, 0, &mut seen, &mut out);
    }
    let file_name = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(out
        .into_iter()
        .map(|(target, text)| Task {
            text,
            dir: dir.clone(),
            note: format!("runs the recipe of `{target}` in {file_name}"),
        })
        .collect())
}

#[derive(Debug, Default)]
struct Makefile {
    rules: Vec<MakeRule>,
    /// Variables in definition order; the last definition wins.
    vars: Vec<(String, String)>,
}

#[derive(Debug)]
struct MakeRule {
    target: String,
    prereqs: Vec<String>,
    recipe: Vec<String>,
}

impl Makefile {
    fn parse(text: &str) -> Makefile {
        let mut mk = Makefile::default();
        // Join backslash-continued lines first.
        let mut lines: Vec<String> = Vec::new();
        let mut pending = String::new();
        for line in text.lines() {
            if let Some(head) = line.strip_suffix('\\') {
                pending.push_str(head);
                pending.push(' ');
                continue;
            }
            pending.push_str(line);
            lines.push(std::mem::take(&mut pending));
        }
        let mut current: Option<usize> = None;
        for line in lines {
            if let Some(cmd) = line.strip_prefix('\t') {
                if let Some(i) = current {
                    mk.rules[i].recipe.push(cmd.to_string());
                }
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some((name, value)) = assignment(trimmed) {
                mk.vars.push((name, value));
                current = None;
                continue;
            }
            let Some((targets, rest)) = trimmed.split_once(':') else {
                current = None;
                continue;
            };
            let rest = rest.trim_start_matches(':');
            let (prereqs, inline) = rest.split_once(';').map_or((rest, None), |(p, r)| (p, Some(r)));
            let prereqs: Vec<String> =
                prereqs.split('|').next().unwrap_or("").split_whitespace().map(str::to_string).collect();
            current = None;
            for target in targets.split_whitespace() {
                if target.starts_with('.') && target.chars().skip(1).all(|c| c.is_ascii_uppercase() || c == '_') {
                    continue; // `.PHONY:`, `.DEFAULT_GOAL:`
                }
                mk.rules.push(MakeRule {
                    target: target.to_string(),
                    prereqs: prereqs.clone(),
                    recipe: inline.map(|r| vec![r.trim().to_string()]).unwrap_or_default(),
                });
                current = Some(mk.rules.len() - 1);
            }
        }
        mk
    }

    /// The recipe lines `goal` runs, prerequisites first, as shell text.
    fn recipe(&self, goal: &str, depth: usize, seen: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        if depth > MAX_DEPTH || seen.iter().any(|s| s == goal) || out.len() >= MAX_RECIPES {
            return;
        }
        seen.push(goal.to_string());
        let Some(rule) = self.rules.iter().rev().find(|r| r.target == goal || pattern_match(&r.target, goal)) else {
            return;
        };
        for pre in &rule.prereqs {
            let pre = self.expand(pre, goal, rule, 0);
            for p in pre.split_whitespace() {
                self.recipe(p, depth + 1, seen, out);
            }
        }
        for line in &rule.recipe {
            let line = line.trim_start().trim_start_matches(['@', '-', '+']).trim_start();
            out.push((goal.to_string(), self.expand(line, goal, rule, 0)));
        }
    }

    /// `$(NAME)`, `${NAME}`, `$@`, `$<`, `$^`, `$$` expanded as make does before the shell
    /// sees the line; an unknown variable is left as it is written (the shell then sees a
    /// command substitution or a variable, and judges it as unknown).
    fn expand(&self, text: &str, goal: &str, rule: &MakeRule, depth: usize) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '$' {
                out.push(c);
                continue;
            }
            match chars.peek().map(|(_, n)| *n) {
                Some('$') => {
                    chars.next();
                    out.push('$');
                }
                Some('@') => {
                    chars.next();
                    out.push_str(goal);
                }
                Some('<') => {
                    chars.next();
                    out.push_str(rule.prereqs.first().map_or("", String::as_str));
                }
                Some('^') => {
                    chars.next();
                    out.push_str(&rule.prereqs.join(" "));
                }
                Some(open @ ('(' | '{')) => {
                    let close = if open == '(' { ')' } else { '}' };
                    let start = i + 2;
                    let Some(len) = text[start..].find(close) else {
                        out.push(c);
                        continue;
                    };
                    let name = &text[start..start + len];
                    match self.vars.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) if depth < MAX_DEPTH => out.push_str(&self.expand(v, goal, rule, depth + 1)),
                        // A function call (`$(shell …)`, `$(wildcard …)`) is left for the shell
                        // walker to see as it is written.
                        _ if name.contains(' ') => out.push_str(&text[i..start + len + 1]),
                        // Make's own variables; any other undefined one comes from the
                        // environment, or is empty (as make expands it).
                        _ if name == "MAKE" => out.push_str("make"),
                        _ => out.push_str(&std::env::var(name).unwrap_or_default()),
                    }
                    while chars.peek().is_some_and(|(j, _)| *j <= start + len) {
                        chars.next();
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }
}

/// `NAME = value`, `NAME := value`, `NAME ?= value`, `export NAME = value`.
fn assignment(line: &str) -> Option<(String, String)> {
    let line = line.strip_prefix("export ").unwrap_or(line).trim();
    let eq = line.find('=')?;
    let name = line[..eq].trim_end_matches([':', '?', '+', '!']).trim();
    if !super::wrappers::is_name(name) {
        return None;
    }
    Some((name.to_string(), line[eq + 1..].trim().to_string()))
}

/// A `%` pattern rule target matching `goal`.
fn pattern_match(target: &str, goal: &str) -> bool {
    match target.split_once('%') {
        Some((pre, post)) => goal.len() >= pre.len() + post.len() && goal.starts_with(pre) && goal.ends_with(post),
        None => false,
    }
}

#[test]
fn make_recipes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Makefile"),
        "PSQL ?= psql\nDB := shop\n.PHONY: reset seed\n\nall: build\n\nbuild:\n\tcargo build $(INTERLOCK_TEST_UNSET)\n\t$(MAKE) -C sub\n\nreset: drop seed\n\t@echo done\n\ndrop:\n\t-$(PSQL) -c \"DROP DATABASE $(DB)\" \\\n\t  --quiet\n\nseed:\n\t$(PSQL) -f seed.sql\n\tpsql -c 'SELECT $$1'\n",
    )
    .unwrap();
    let texts = |args: &[&str]| -> Vec<String> {
        let argv: Vec<String> = std::iter::once("make").chain(args.iter().copied()).map(String::from).collect();
        tasks(&argv, dir.path(), &Registry::default()).unwrap().unwrap().into_iter().map(|t| t.text).collect()
    };
    assert_eq!(
        texts(&["reset"]),
        ["psql -c \"DROP DATABASE shop\"  \t  --quiet", "psql -f seed.sql", "psql -c 'SELECT $1'", "echo done"]
    );
    assert_eq!(texts(&[]), ["cargo build ", "make -C sub"]);
    assert_eq!(texts(&["-C", ".", "DB=other", "drop"]), ["psql -c \"DROP DATABASE other\"  \t  --quiet"]);
    assert!(texts(&["-n", "reset"]).is_empty());
    assert!(texts(&["nonexistent"]).is_empty());
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(tasks(&["make".into()], empty.path(), &Registry::default()), Some(Ok(Vec::new())));
}

// --- just -------------------------------------------------------------------------------

/// just: `-f/--justfile FILE`, `-d/--working-directory DIR`, `--set VAR VALUE`; operands
/// are recipes (with their arguments); `-n/--dry-run`, `-l/--list`, `--show`, `--summary`,
/// `--evaluate` run nothing.
const JUST: OptTable = OptTable::new(&[
    val(Some('f'), ""),
    val(Some('d'), ""),
    val(Some('c'), ""),
    val(None, "justfile"),
    val(None, "working-directory"),
    val(None, "shell"),
    val(None, "color"),
    val(None, "show"),
    val(None, "chooser"),
    val(None, "command"),
]);

fn just(args: &[String], cwd: &Path) -> Result<Vec<Task>, String> {
    let p = JUST.parse(args);
    if p.opts.iter().any(|o| {
        matches!(
            o.name.as_str(),
            "-n" | "--dry-run"
                | "-l"
                | "--list"
                | "--show"
                | "-s"
                | "--summary"
                | "--evaluate"
                | "--dump"
                | "--fmt"
                | "--edit"
                | "--init"
        )
    }) {
        return Ok(Vec::new());
    }
    let dir = p.value(&["-d", "--working-directory"]).map_or(cwd.to_path_buf(), |d| cwd.join(d));
    let path = match p.value(&["-f", "--justfile"]) {
        Some(f) => cwd.join(f),
        None => {
            match ["justfile", "Justfile", ".justfile", "JUSTFILE"].iter().map(|n| dir.join(n)).find(|p| p.exists()) {
                Some(p) => p,
                None => return Ok(Vec::new()),
            }
        }
    };
    let Some(text) = read(&path)? else { return Ok(Vec::new()) };
    let jf = Justfile::parse(&text);
    let operands = &args[p.rest..];
    let mut goals: Vec<&str> = Vec::new();
    // Operands are recipe names, each followed by as many arguments as it takes.
    let mut i = 0;
    while i < operands.len() {
        let name = operands[i].as_str();
        let params = jf.recipes.iter().find(|r| r.name == name).map_or(0, |r| r.params);
        goals.push(name);
        i += 1 + params;
    }
    if goals.is_empty() {
        match jf.recipes.first() {
            Some(r) => goals.push(&r.name),
            None => return Ok(Vec::new()),
        }
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for g in goals {
        jf.recipe(g, 0, &mut seen, &mut out);
    }
    Ok(out
        .into_iter()
        .map(|(r, text)| Task { text, dir: dir.clone(), note: format!("runs the just recipe `{r}`") })
        .collect())
}

#[derive(Debug, Default)]
struct Justfile {
    recipes: Vec<JustRecipe>,
    vars: Vec<(String, String)>,
}

#[derive(Debug)]
struct JustRecipe {
    name: String,
    params: usize,
    deps: Vec<String>,
    body: Vec<String>,
}

impl Justfile {
    fn parse(text: &str) -> Justfile {
        let mut jf = Justfile::default();
        let mut current: Option<usize> = None;
        for line in text.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(i) = current
                    && !line.trim().is_empty()
                {
                    jf.recipes[i].body.push(line.trim().to_string());
                }
                continue;
            }
            current = None;
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('[') {
                continue;
            }
            if let Some((name, value)) = t.split_once(":=") {
                let name = name.trim().trim_start_matches("export ").trim();
                if super::wrappers::is_name(name) {
                    jf.vars.push((name.to_string(), value.trim().trim_matches(['"', '\'']).to_string()));
                }
                continue;
            }
            if t.starts_with("set ") || t.starts_with("import ") || t.starts_with("mod ") || t.starts_with("alias ") {
                continue;
            }
            let Some((head, deps)) = t.split_once(':') else { continue };
            let mut words = head.split_whitespace();
            let Some(name) = words.next().map(|n| n.trim_start_matches('@')) else { continue };
            let params = words.filter(|w| !w.starts_with('+') && !w.starts_with('*') && !w.contains('=')).count();
            jf.recipes.push(JustRecipe {
                name: name.to_string(),
                params,
                deps: deps.split_whitespace().map(|d| d.trim_matches(['(', ')']).to_string()).collect(),
                body: Vec::new(),
            });
            current = Some(jf.recipes.len() - 1);
        }
        jf
    }

    fn recipe(&self, name: &str, depth: usize, seen: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        if depth > MAX_DEPTH || seen.iter().any(|s| s == name) || out.len() >= MAX_RECIPES {
            return;
        }
        seen.push(name.to_string());
        let Some(r) = self.recipes.iter().find(|r| r.name == name) else { return };
        for d in &r.deps {
            self.recipe(d, depth + 1, seen, out);
        }
        // A shebang recipe is a script for its interpreter; a shell one runs line by line.
        for line in &r.body {
            let line = line.trim_start_matches(['@', '-']);
            out.push((name.to_string(), self.interpolate(line)));
        }
    }

    /// `{{NAME}}` replaced by a variable's literal value; other expressions stay.
    fn interpolate(&self, line: &str) -> String {
        let mut out = line.to_string();
        for (k, v) in &self.vars {
            for form in [format!("{{{{{k}}}}}"), format!("{{{{ {k} }}}}")] {
                out = out.replace(&form, v);
            }
        }
        out
    }
}

// --- task (go-task) ----------------------------------------------------------------------

/// task(1): `-d DIR`, `-t FILE` take values; `-n/--dry`, `-l/--list`, `--summary`, `-i`
/// run nothing; `NAME=value` operands set variables; the other operands are tasks
/// (`default` when none), each after its `deps`, its `cmds` in order (`- task: other` runs
/// another task).
const TASK: OptTable = OptTable::new(&[
    val(Some('d'), "dir"),
    val(Some('t'), "taskfile"),
    val(Some('o'), "output"),
    val(Some('C'), "concurrency"),
    val(None, "interval"),
    val(None, "sort"),
]);

fn taskfile(args: &[String], cwd: &Path) -> Result<Vec<Task>, String> {
    let cut = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (p, operands) = TASK.parse_permuted(&args[..cut]);
    let quiet =
        ["-n", "--dry", "-l", "--list", "--list-all", "-a", "--summary", "--init", "-i", "--version", "-h", "--help"];
    if p.has(&quiet) {
        return Ok(Vec::new());
    }
    let dir = p.value(&["-d", "--dir"]).map_or(cwd.to_path_buf(), |d| cwd.join(d));
    let names =
        ["Taskfile.yml", "taskfile.yml", "Taskfile.yaml", "taskfile.yaml", "Taskfile.dist.yml", "taskfile.dist.yml"];
    let path = match p.value(&["-t", "--taskfile"]) {
        Some(f) => cwd.join(f),
        None => match names.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
            Some(p) => p,
            None => return Ok(Vec::new()),
        },
    };
    let Some(text) = read(&path)? else { return Ok(Vec::new()) };
    let doc: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{} cannot be parsed: {e}", path.display()))?;
    let tasks = doc.get("tasks").cloned().unwrap_or_default();
    let includes = doc.get("includes").cloned().unwrap_or_default();
    let mut goals: Vec<String> = operands.into_iter().filter(|o| !o.contains('=')).collect();
    if goals.is_empty() {
        goals.push("default".into());
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for goal in goals {
        task_commands(&tasks, &includes, &goal, &dir, 0, &mut seen, &mut out)?;
    }
    Ok(out)
}

/// The commands of task `name` (after its dependencies), appended to `out`. `includes` is
/// the Taskfile's `includes` map (namespaces of other Taskfiles).
fn task_commands(
    tasks: &serde_yaml_ng::Value,
    includes: &serde_yaml_ng::Value,
    name: &str,
    dir: &Path,
    depth: usize,
    seen: &mut Vec<String>,
    out: &mut Vec<Task>,
) -> Result<(), String> {
    use serde_yaml_ng::Value;
    if depth > MAX_DEPTH || seen.len() > MAX_RECIPES {
        return Err("the Taskfile's tasks call each other too deeply to follow".into());
    }
    if seen.iter().any(|s| s == name) {
        return Ok(());
    }
    seen.push(name.to_string());
    let Some(task) = tasks.get(name) else {
        // A task of an included Taskfile (`ns:name`) is not read: "cannot see". Any other
        // unknown name makes task fail before it runs anything.
        return match name.split_once(':') {
            Some((ns, _)) if includes.get(ns).is_some() => {
                Err(format!("the task `{name}` comes from an included Taskfile, which interlock does not read"))
            }
            _ => Ok(()),
        };
    };
    let dir = task.get("dir").and_then(Value::as_str).map_or(dir.to_path_buf(), |d| dir.join(d));
    let note = format!("runs the Taskfile task `{name}`");
    let (deps, cmds): (Vec<Value>, Vec<Value>) = match task {
        Value::String(cmd) => (Vec::new(), vec![Value::String(cmd.clone())]),
        Value::Sequence(cmds) => (Vec::new(), cmds.clone()),
        _ => (
            task.get("deps").and_then(Value::as_sequence).cloned().unwrap_or_default(),
            task.get("cmds").and_then(Value::as_sequence).cloned().unwrap_or_default(),
        ),
    };
    let called = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        _ => v.get("task").and_then(Value::as_str).map(str::to_string),
    };
    for t in deps.iter().filter_map(called) {
        task_commands(tasks, includes, &t, &dir, depth + 1, seen, out)?;
    }
    for c in &cmds {
        match c {
            Value::String(text) => out.push(Task { text: text.clone(), dir: dir.clone(), note: note.clone() }),
            _ if c.get("task").is_some() => {
                if let Some(t) = called(c) {
                    task_commands(tasks, includes, &t, &dir, depth + 1, seen, out)?;
                }
            }
            _ => {
                if let Some(text) = c.get("cmd").and_then(Value::as_str) {
                    out.push(Task { text: text.to_string(), dir: dir.clone(), note: note.clone() });
                }
            }
        }
    }
    Ok(())
}

#[test]
fn taskfile_tasks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Taskfile.yml"),
        "version: '3'\ntasks:\n  default:\n    cmds: [echo hi]\n  db:reset:\n    deps: [build]\n    cmds:\n      - psql -c 'DROP TABLE users'\n      - task: seed\n      - cmd: echo done\n  build: go build ./...\n  seed:\n    - psql -f seed.sql\n",
    )
    .unwrap();
    let texts = |s: &str| -> Vec<String> {
        let argv = shell_words::split(s).unwrap();
        tasks(&argv, dir.path(), &Registry::default()).unwrap().unwrap().into_iter().map(|t| t.text).collect()
    };
    assert_eq!(
        texts("task db:reset"),
        ["go build ./...", "psql -c 'DROP TABLE users'", "psql -f seed.sql", "echo done"]
    );
    assert_eq!(texts("task"), ["echo hi"]);
    assert!(texts("task --list").is_empty());
    assert!(texts("task -n db:reset").is_empty());
    std::fs::write(dir.path().join("Taskfile.yml"), "tasks: [unclosed").unwrap();
    assert!(matches!(tasks(&shell_words::split("task x").unwrap(), dir.path(), &Registry::default()), Some(Err(_))));
}

#[test]
fn just_recipes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("justfile"),
        "db := \"shop\"\n\ndefault: test\n\ntest:\n    cargo test\n\n# wipe it\nreset name: (drop)\n    @echo {{name}}\n\ndrop:\n    psql -c 'DROP DATABASE {{db}}'\n",
    )
    .unwrap();
    let texts = |args: &[&str]| -> Vec<String> {
        let argv: Vec<String> = std::iter::once("just").chain(args.iter().copied()).map(String::from).collect();
        tasks(&argv, dir.path(), &Registry::default()).unwrap().unwrap().into_iter().map(|t| t.text).collect()
    };
    assert_eq!(texts(&["reset", "x"]), ["psql -c 'DROP DATABASE shop'", "echo {{name}}"]);
    assert_eq!(texts(&[]), ["cargo test"]);
    assert!(texts(&["--list"]).is_empty());
}

// --- package.json scripts ---------------------------------------------------------------

/// Lifecycle commands that run the script of the same name (`npm test` → `test`).
const NPM_LIFECYCLE: &[&str] = &["test", "start", "stop", "restart", "t", "tst"];

fn package_script(runner: Tasks, args: &[String], cwd: &Path) -> Option<Result<Vec<Task>, String>> {
    let opts = opt_table![
        val(Some('w'), ""),
        val(Some('C'), ""),
        val(None, "prefix"),
        val(None, "cwd"),
        val(None, "dir"),
        val(None, "workspace"),
        val(None, "filter")
    ];
    let p = opts.parse(args);
    let dir = p.value(&["--prefix", "--cwd", "--dir", "-C"]).map_or(cwd.to_path_buf(), |d| cwd.join(d));
    let rest = &args[p.rest..];
    let (name, extra) = match (runner, rest.first().map(String::as_str)) {
        (_, Some("run" | "run-script" | "rum" | "urn")) => {
            // `npm run [--if-present] NAME [-- ARGS]`
            let q = OptTable::NONE.parse(&rest[1..]);
            let after = &rest[1 + q.rest..];
            (after.first()?.clone(), after.get(1..).unwrap_or_default().to_vec())
        }
        (Tasks::Npm, Some(life)) if NPM_LIFECYCLE.contains(&life) => {
            let name = match life {
                "t" | "tst" => "test",
                other => other,
            };
            (name.to_string(), rest[1..].to_vec())
        }
        // `yarn X`, `pnpm X`, `bun X`: a script of that name when package.json has one.
        (Tasks::PackageScripts, Some(word)) if !word.starts_with('-') => (word.to_string(), rest[1..].to_vec()),
        _ => return None,
    };
    let path = dir.join("package.json");
    let text = match read(&path) {
        Ok(Some(t)) => t,
        Ok(None) => return Some(Ok(Vec::new())),
        Err(e) => return Some(Err(e)),
    };
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => return Some(Err(format!("{} cannot be parsed: {e}", path.display()))),
    };
    let scripts = json.get("scripts");
    let script = |n: &str| scripts.and_then(|s| s.get(n)).and_then(|v| v.as_str()).map(str::to_string);
    let Some(main) = script(&name) else {
        return Some(Ok(Vec::new())); // not a script: a built-in command or a binary
    };
    let extra = extra.strip_prefix(&["--".to_string()][..]).map_or(extra.clone(), <[String]>::to_vec);
    let mut main = main;
    if !extra.is_empty() {
        main.push(' ');
        main.push_str(&shell_words::join(&extra));
    }
    let mut out = Vec::new();
    for (n, text) in [
        (format!("pre{name}"), script(&format!("pre{name}"))),
        (name.clone(), Some(main)),
        (format!("post{name}"), script(&format!("post{name}"))),
    ] {
        if let Some(text) = text {
            out.push(Task { text, dir: dir.clone(), note: format!("runs the package.json script `{n}`") });
        }
    }
    Some(Ok(out))
}

#[test]
fn package_scripts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        r#"{"scripts":{"predb:reset":"echo pre","db:reset":"prisma migrate reset","postdb:reset":"psql -f seed.sql","test":"jest"}}"#,
    )
    .unwrap();
    let texts = |s: &str| -> Vec<String> {
        let argv = shell_words::split(s).unwrap();
        tasks(&argv, dir.path(), &Registry::default()).unwrap().unwrap().into_iter().map(|t| t.text).collect()
    };
    let reset = ["echo pre", "prisma migrate reset --force", "psql -f seed.sql"];
    for s in [
        "npm run db:reset -- --force",
        "yarn db:reset --force",
        "pnpm run db:reset --force",
        "bun run db:reset --force",
        "yarn run db:reset --force",
    ] {
        assert_eq!(texts(s), reset, "{s}");
    }
    assert_eq!(texts("npm test"), ["jest"]);
    assert!(texts("yarn add left-pad").is_empty());
    assert_eq!(tasks(&shell_words::split("npm install").unwrap(), dir.path(), &Registry::default()), None);
    std::fs::write(dir.path().join("package.json"), "{not json").unwrap();
    assert!(matches!(tasks(&shell_words::split("npm run x").unwrap(), dir.path(), &Registry::default()), Some(Err(_))));
}
