//! Shell strings, as an agent hook receives them: every simple command that will run,
//! wherever it stands, with its environment prefix and its standard input.
//!
//! Parsed with tree-sitter-bash (the parser Codex uses for the same job). Lists, pipelines,
//! subshells, `$(…)`, backticks, control structures and function bodies are walked; wrappers
//! (`sudo`, `env`, `command`, `exec`, `nohup`, `nice`, `timeout`, `time`, `stdbuf`, `xargs`,
//! `watch`) are stripped; `sh -c '…'` and `eval '…'` with literal text are parsed in turn;
//! heredocs, here-strings and `< file` become the command's stdin. What cannot be known — a
//! syntax error, a command name computed at run time, `eval "$x"` — is reported as unknown,
//! never assumed safe.

use std::collections::HashMap;
use std::path::Path;

use tree_sitter::{Node, Parser};

use super::interp;
use super::wrappers::{self, Body, Step};
use crate::analyze::options::{OptTable, val};
use crate::invocation::{Env, program_name};
use crate::registry::Registry;

mod follow;
pub(crate) use follow::statement_typed_as_command;
mod words;

use words::*;

/// What stands for the arguments xargs reads from its input.
const XARGS_INPUT: &str = "(arguments read by xargs)";

/// xargs(1): the options that take a value, then the command (default `echo`).
const XARGS: OptTable = OptTable::new(&[
    val(Some('I'), ""),
    val(Some('L'), ""),
    val(Some('n'), ""),
    val(Some('P'), ""),
    val(Some('s'), ""),
    val(Some('d'), ""),
    val(Some('E'), ""),
    val(Some('a'), ""),
    val(None, "max-args"),
    val(None, "max-procs"),
    val(None, "delimiter"),
    val(None, "arg-file"),
    val(None, "replace"),
    val(None, "max-lines"),
    val(None, "max-chars"),
    val(None, "eof"),
    val(None, "process-slot-var"),
]);

/// How many wrappers one command may nest (`sudo nice env … cmd`); deeper is "cannot see".
const MAX_WRAPPERS: usize = 32;
/// How many commands one string may expand to (loops run their body per value); more is
/// "cannot see", so a hook always answers within its budget.
const MAX_COMMANDS: usize = 20_000;

/// How deep `sh -c` / `eval` nesting is followed.
const MAX_DEPTH: usize = 6;
/// How deep the syntax tree is walked (`$( $( $( …`, `( ( (`, `if if if`). The walk
/// recurses, so hostile nesting must not be able to exhaust the stack: deeper than this is
/// "cannot see".
const MAX_NESTING: usize = 256;

/// Where a command's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    /// Whatever the hook's caller gives the whole command line (usually nothing we can see).
    Inherited,
    Bytes(Vec<u8>),
    /// `< file`, relative to the command's directory.
    File(String),
    /// The output of another command.
    Unseen,
}

/// One simple command that will run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SimpleCommand {
    pub argv: Vec<String>,
    /// `NAME=value` prefixes (and `env NAME=value`).
    pub env: Vec<(String, String)>,
    pub stdin: Input,
    pub notes: Vec<String>,
    /// Where the command lands when a wrapper runs it elsewhere (`ssh prod-db …`).
    pub targets: Vec<String>,
    /// How many of `Script::written` the string wrote before this command runs.
    pub writes_before: usize,
    /// Arguments (as they appear in `argv`) built by a command substitution at run time
    /// (`psql -c "$(cat q.sql)"`): their text is not what the program will receive.
    pub computed: Vec<String>,
}

/// Everything a shell string will run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Script {
    pub commands: Vec<SimpleCommand>,
    pub unknown: Vec<String>,
    /// Files the string writes (`cat > q.json <<EOF`, `echo … > wipe.sh`), in order, as
    /// written (relative to the command's directory), with their content — `None` when it is
    /// only known at run time.
    pub written: Vec<(String, Option<Vec<u8>>)>,
    /// What the string does to switch off interlock's exec guard for the commands after it
    /// (`LD_PRELOAD=`, `unset LD_PRELOAD`, the guard's own hand-over variables).
    pub guard_off: Vec<String>,
}

/// Does setting `name` to `value` (None: known only at run time) take the exec guard out of
/// what runs next? A preload that still names the guard is fine.
fn turns_guard_off(name: &str, value: Option<&str>) -> Option<String> {
    if name.starts_with("INTERLOCK_GUARD_") {
        return Some(format!("it sets {name}, the exec guard's own hand-over variable"));
    }
    if name != "LD_PRELOAD" {
        return None;
    }
    match value {
        Some(v) if v.contains(crate::guard::LIB_FILE) => None,
        Some("") => Some("it empties LD_PRELOAD".into()),
        Some(v) => Some(format!("it sets LD_PRELOAD={v} without the guard")),
        None => Some("it sets LD_PRELOAD to a value known only at run time".into()),
    }
}

/// Parse `source` as bash run in `cwd` with `env`: `for f in migrations/*.sql` then sees
/// the files, and interpreter code the variables it reads.
pub(crate) fn parse_in(source: &str, cwd: Option<&Path>, env: Option<&Env>, registry: &Registry) -> Script {
    let mut out = Script::default();
    let at = At { depth: 0, cwd, env, registry };
    parse_into(source, at, &mut out, &[], &Input::Inherited);
    out
}

/// The shell builtins that run other commands: `eval STRING`, `source FILE` / `. FILE`.
const RUNNING_BUILTINS: &[&str] = &["eval", "source", "."];

/// Whether `program` (a basename) can run other commands: a shell builtin that does, or a
/// program whose registry entry says so (a shell, a wrapper, an interpreter, a task runner).
pub(crate) fn may_run_others(program: &str, registry: &Registry) -> bool {
    RUNNING_BUILTINS.contains(&program) || registry.runs_others(program) || registry.language(program).0.is_some()
}

/// Whether `program` (a basename) can replace a file's content (`cp`, `mv`, `install`,
/// `tee`): the walker judges that as removing what the file held.
pub(crate) fn replaces_files(program: &str) -> bool {
    matches!(program, "cp" | "mv" | "install" | "tee")
}

/// What an argv runs besides itself: the commands inside its wrappers (`sudo -iu postgres
/// psql …`, `kubectl exec POD -- …`, `ssh HOST '…'`), followed like those of a shell string.
/// A wrapper's own command is not included: its caller judges it with its real stdin.
pub(crate) fn inside_argv(argv: Vec<String>, cwd: &Path, env: &Env, registry: &Registry) -> Script {
    let mut out = Script::default();
    let program = argv.first().map(|a| program_name(std::ffi::OsStr::new(a))).unwrap_or_default();
    // A shell, `source`, or a task runner is kept: its entry is what the caller follows into
    // the script or task it names. Any other argv is its caller's to judge.
    let follows_file = registry.is_shell(&program)
        || registry.tasks(&program).is_some()
        || crate::walk::migrations::tool(&argv, registry).is_some()
        || matches!(program.as_str(), "source" | ".");
    let mut walker = Walker::new(b"", At { depth: 0, cwd: Some(cwd), env: Some(env), registry }, &mut out, Vec::new());
    walker.follow(argv.clone(), Vec::new(), Input::Inherited, Vec::new(), Vec::new());
    if !follows_file && out.commands.first().is_some_and(|c| c.argv == argv) {
        out.commands.remove(0);
    }
    out
}

/// Parse `source` into `out`; its commands read `stdin` unless they redirect their own.
/// Where a walk is: how deep in nested shell strings, in which directory, with which registry.
#[derive(Clone, Copy)]
struct At<'a> {
    depth: usize,
    cwd: Option<&'a Path>,
    env: Option<&'a Env>,
    registry: &'a Registry,
}

fn parse_into(source: &str, at: At<'_>, out: &mut Script, notes: &[String], stdin: &Input) {
    if at.depth > MAX_DEPTH {
        out.unknown.push("shell commands nest `sh -c` / `eval` too deeply to follow".into());
        return;
    }
    let mut parser = Parser::new();
    if parser.set_language(&tree_sitter_bash::LANGUAGE.into()).is_err() {
        out.unknown.push("the shell parser could not be loaded".into());
        return;
    }
    let Some(tree) = parser.parse(source, None) else {
        out.unknown.push("the shell command could not be parsed".into());
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        out.unknown.push("the shell command has a syntax error; what it runs cannot be known".into());
    }
    let mut walker = Walker::new(source.as_bytes(), at, out, notes.to_vec());
    walker.visit(root, stdin);
}

struct Walker<'a> {
    src: &'a [u8],
    depth: usize,
    /// What each program is (its wrappers' `runs`, whether it is guarded).
    registry: &'a Registry,
    out: &'a mut Script,
    notes: Vec<String>,
    /// Syntax-tree levels entered by `visit` and `visit_substitutions` right now.
    nesting: usize,
    /// Whether `MAX_NESTING` was hit (reported once).
    too_deep: bool,
    /// Shell variables the string set so far: their literal value, or `None` when it is
    /// computed at run time.
    vars: HashMap<String, Option<String>>,
    /// Where globs in `for` lists are expanded, when known.
    cwd: Option<&'a Path>,
    /// The environment the string runs in, when known.
    env: Option<&'a Env>,
    /// The arguments of the command being recorded that a command substitution computes.
    computed: Vec<String>,
    /// Wrappers entered for the command being followed.
    wrapped: usize,
    /// Aliases the string defined (`alias k=kubectl`), by name: their words.
    aliases: std::collections::HashMap<String, Vec<String>>,
    /// Aliases being expanded now: an alias is not expanded inside itself (`alias ls='ls -l'`).
    expanding: Vec<String>,
    /// Arguments written after a redirection (`git>/dev/null reset --hard`), for the
    /// command of the statement being walked.
    trailing: Vec<String>,
}

impl<'a> Walker<'a> {
    fn new(src: &'a [u8], at: At<'a>, out: &'a mut Script, notes: Vec<String>) -> Self {
        let At { depth, cwd, env, registry } = at;
        Walker {
            src,
            depth,
            registry,
            out,
            notes,
            nesting: 0,
            too_deep: false,
            vars: HashMap::new(),
            cwd,
            env,
            computed: Vec::new(),
            wrapped: 0,
            aliases: std::collections::HashMap::new(),
            expanding: Vec::new(),
            trailing: Vec::new(),
        }
    }

    /// Report something that cannot be seen, once however often it is met.
    fn unknown_once(&mut self, why: String) {
        if !self.out.unknown.contains(&why) {
            self.out.unknown.push(why);
        }
    }

    fn guard_off(&mut self, why: String) {
        if !self.out.guard_off.contains(&why) {
            self.out.guard_off.push(why);
        }
    }

    /// Record a command that will run, with the files written before it.
    fn record(&mut self, mut cmd: SimpleCommand) {
        if self.out.commands.len() >= MAX_COMMANDS {
            self.unknown_once(format!("the command expands to more than {MAX_COMMANDS} commands"));
            return;
        }
        cmd.writes_before = self.out.written.len();
        cmd.computed.clone_from(&self.computed);
        self.out.commands.push(cmd);
    }

    fn text(&self, node: Node) -> String {
        String::from_utf8_lossy(&self.src[node.byte_range()]).into_owned()
    }

    /// Enter one tree level; false (and "cannot see", once) past `MAX_NESTING`.
    fn enter(&mut self) -> bool {
        if self.nesting >= MAX_NESTING {
            if !self.too_deep {
                self.too_deep = true;
                self.out.unknown.push(format!("the command nests more than {MAX_NESTING} levels deep"));
            }
            return false;
        }
        self.nesting += 1;
        true
    }

    fn visit(&mut self, node: Node, stdin: &Input) {
        if !self.enter() {
            return;
        }
        self.visit_node(node, stdin);
        self.nesting -= 1;
    }

    fn visit_node(&mut self, node: Node, stdin: &Input) {
        match node.kind() {
            "command" => self.command(node, stdin),
            "variable_assignment" => {
                self.visit_substitutions(node);
                self.assign(node);
            }
            "declaration_command" => {
                // `export A=1`, `local a=$(…)`, `declare -x B=2`, `readonly C=3`.
                self.visit_substitutions(node);
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "variable_assignment" {
                        self.assign(child);
                    }
                }
            }
            "unset_command" => {
                // `unset LD_PRELOAD` (tree-sitter-bash gives `unset` a node of its own).
                let mut cursor = node.walk();
                let names: Vec<String> = node.named_children(&mut cursor).map(|c| self.text(c)).collect();
                if names.iter().any(|n| n == "LD_PRELOAD") {
                    self.guard_off("it unsets LD_PRELOAD".into());
                }
                for name in names.into_iter().filter(|n| !n.starts_with('-')) {
                    self.vars.insert(name, Some(String::new()));
                }
            }
            "for_statement" => self.for_loop(node, stdin),
            "redirected_statement" => {
                let input = self.redirect_input(node).unwrap_or_else(|| stdin.clone());
                // `git>/dev/null reset --hard`: the words after a redirection's target are the
                // command's arguments (tree-sitter files them as more destinations).
                if node.child_by_field_name("body").is_some_and(|b| b.kind() == "command") {
                    self.trailing = self.redirect_arguments(node);
                }
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() == "heredoc_redirect" {
                        // `cat <<EOF | psql`: the pipeline after the heredoc lives inside it.
                        let body_is_cat = node.child_by_field_name("body").is_some_and(|b| self.is_plain_cat(b));
                        let piped = if body_is_cat { self.heredoc_input(child) } else { Some(Input::Unseen) };
                        let mut c2 = child.walk();
                        for inner in child.named_children(&mut c2) {
                            if !matches!(inner.kind(), "heredoc_start" | "heredoc_body" | "heredoc_end") {
                                self.visit(inner, piped.as_ref().unwrap_or(&Input::Unseen));
                            }
                        }
                    } else if !matches!(child.kind(), "file_redirect" | "herestring_redirect") {
                        self.visit(child, &input);
                    } else {
                        self.visit_substitutions(child);
                    }
                }
                self.note_writes(node);
            }
            "pipeline" => {
                // Each stage reads what the one before prints: known when that is a file
                // (`cat q.sql | psql`) or literal text (`echo 'SELECT 1' | psql`).
                let mut cursor = node.walk();
                let mut input = stdin.clone();
                for child in node.named_children(&mut cursor) {
                    self.visit(child, &input);
                    input = self.piped_output(child, &input).unwrap_or(Input::Unseen);
                }
            }
            "ERROR" => {
                self.out.unknown.push(format!("the shell command cannot be parsed near `{}`", short(&self.text(node))));
                self.visit_children(node, stdin);
            }
            "heredoc_body" | "heredoc_start" | "heredoc_end" | "comment" => {}
            _ => self.visit_children(node, stdin),
        }
    }

    /// `NAME=value` as a statement of its own: the variable is set for what follows.
    fn assign(&mut self, node: Node) {
        let Some(name) = node.child_by_field_name("name").map(|n| self.text(n)) else { return };
        let value = match node.child_by_field_name("value") {
            Some(v) if let Some(path) = self.mktemp_path(v) => Some(path),
            Some(v) => {
                let w = self.word(v);
                (!w.dynamic).then_some(w.text)
            }
            None => Some(String::new()),
        };
        if let Some(why) = turns_guard_off(&name, value.as_deref()) {
            self.guard_off(why);
        }
        if let Some(v) = &value {
            self.command_variable(&name, v);
        }
        self.vars.insert(name, value);
    }

    /// `d=$(mktemp -d)`: where the new temporary file or directory will be, as a path of the
    /// same shape (`/tmp/tmp.XXXXXXXXXX`, or under the `-p`/`--tmpdir` directory or the
    /// template's), so what the string later does to `$d` is judged as done to scratch space.
    fn mktemp_path(&self, value: Node) -> Option<String> {
        let sub = match value.kind() {
            "command_substitution" => value,
            "string" if value.named_child_count() == 1 => value.named_child(0)?,
            _ => return None,
        };
        if sub.kind() != "command_substitution" || sub.named_child_count() != 1 {
            return None;
        }
        let command = sub.named_child(0)?;
        if command.kind() != "command" || command.child_by_field_name("name").map(|n| self.text(n))? != "mktemp" {
            return None;
        }
        let mut cursor = command.walk();
        let args: Vec<Word> = command.children_by_field_name("argument", &mut cursor).map(|a| self.word(a)).collect();
        if args.iter().any(|a| a.dynamic) {
            return None;
        }
        let (mut dir, mut template) = (None, None);
        let mut words = args.iter().map(|a| a.text.as_str());
        while let Some(a) = words.next() {
            match a {
                "-p" | "--tmpdir" => dir = words.next().map(str::to_string),
                _ if a.starts_with("--tmpdir=") => dir = a.strip_prefix("--tmpdir=").map(str::to_string),
                _ if a.starts_with('-') => {}
                _ => template = Some(a.to_string()),
            }
        }
        let template = template.unwrap_or_else(|| "tmp.XXXXXXXXXX".into());
        Some(match dir {
            _ if template.contains('/') => template,
            Some(d) => format!("{}/{template}", d.trim_end_matches('/')),
            None => format!("/tmp/{template}"),
        })
    }

    /// `for NAME in WORDS; do BODY; done`: the body once per value, so `psql -f "$f"` sees
    /// each migration file the glob matches. Values only known at run time (`in $(ls)`, no
    /// `in` list, too many) make the variable unknown, and the body is walked once.
    fn for_loop(&mut self, node: Node, stdin: &Input) {
        const MAX_VALUES: usize = 64;
        let Some(var) = node.child_by_field_name("variable").map(|n| self.text(n)) else {
            return self.visit_children(node, stdin);
        };
        let mut values: Option<Vec<String>> = Some(Vec::new());
        let mut cursor = node.walk();
        for v in node.children_by_field_name("value", &mut cursor) {
            self.visit_substitutions(v);
            let w = self.word(v);
            let expanded = if w.dynamic {
                None
            } else if matches!(v.kind(), "word" | "concatenation") && w.text.contains(['*', '?', '[']) {
                self.cwd.and_then(|cwd| glob(cwd, &w.text))
            } else {
                Some(vec![w.text])
            };
            match (&mut values, expanded) {
                (Some(all), Some(more)) => all.extend(more),
                _ => values = None,
            }
        }
        let has_list = node.child_by_field_name("value").is_some();
        let Some(body) = node.child_by_field_name("body") else { return };
        match values.filter(|v| has_list && !v.is_empty() && v.len() <= MAX_VALUES) {
            Some(values) => {
                for value in values {
                    self.vars.insert(var.clone(), Some(value));
                    self.visit(body, stdin);
                }
            }
            None => {
                self.vars.insert(var, None);
                self.visit(body, stdin);
            }
        }
    }

    /// Files a statement writes with `>`/`>>`: their content when the statement is
    /// `cat <<EOF`, `echo …`, `printf …` or `tee` of known text, else unknown.
    fn note_writes(&mut self, node: Node) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() != "file_redirect" {
                continue;
            }
            let op = child.child(0).map(|c| self.text(c)).unwrap_or_default();
            let fd = child.child_by_field_name("descriptor").map(|d| self.text(d));
            if !matches!(op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>") || fd.as_deref().is_some_and(|f| f != "1") {
                continue;
            }
            let Some(dest) = child.child_by_field_name("destination") else { continue };
            let dest = self.word(dest);
            if dest.dynamic || dest.text == "/dev/null" {
                continue;
            }
            let body = node.child_by_field_name("body");
            // `> prod.db`, `: > data.json`, `cat /dev/null > orders.csv`: the file is emptied,
            // judged as `truncate -s 0 FILE` is.
            if !op.ends_with(">>") && body.is_none_or(|b| self.prints_nothing(b)) && self.may_hold_data(&dest.text) {
                self.simple(
                    vec!["truncate".into(), "-s".into(), "0".into(), dest.text.clone()],
                    Vec::new(),
                    Input::Inherited,
                );
            } else if !op.ends_with(">>") && self.overwrites(&dest.text) {
                // `echo x > prod.db`: the old content is gone as if the file were removed
                // first; the rules say which files that matters for (`rm.data-file`).
                self.overwritten(&dest.text);
            }
            self.written_to(&dest.text, op.ends_with(">>"));
            let mut content = body.and_then(|b| self.produced(b, node));
            if op.ends_with(">>") {
                let before = self.out.written.iter().rev().find(|(p, _)| *p == dest.text).and_then(|(_, c)| c.clone());
                content = before.zip(content).map(|(mut a, b)| {
                    a.extend(b);
                    a
                });
            }
            self.out.written.push((dest.text, content));
        }
    }

    /// Whether emptying `path` could lose data: it exists with content, or the walker cannot
    /// tell (no working directory). Creating a new empty file (`> .env.local`) loses nothing.
    fn may_hold_data(&self, path: &str) -> bool {
        let Some(cwd) = self.cwd else { return true };
        std::fs::metadata(cwd.join(path)).is_ok_and(|m| !m.is_file() || m.len() > 0)
    }

    /// Whether writing `path` anew replaces content: a regular file with content is there
    /// (or the walker cannot tell).
    fn overwrites(&self, path: &str) -> bool {
        let Some(cwd) = self.cwd else { return true };
        std::fs::metadata(cwd.join(path)).is_ok_and(|m| m.is_file() && m.len() > 0)
    }

    /// `path`'s content is replaced (`> FILE`, `cp SRC FILE`, `mv SRC FILE`, `tee FILE`):
    /// judged as `rm -f FILE` is.
    fn overwritten(&mut self, path: &str) {
        let mut notes = self.notes.clone();
        notes.push(format!("replaces `{path}`: what it held is gone, as if it were removed"));
        self.follow(vec!["rm".into(), "-f".into(), path.to_string()], Vec::new(), Input::Inherited, notes, Vec::new());
    }

    /// Whether a command prints nothing at all (`:`, `true`, `cat /dev/null`, `echo -n`).
    fn prints_nothing(&self, command: Node) -> bool {
        if command.kind() != "command" {
            return false;
        }
        let mut cursor = command.walk();
        let words: Vec<String> = command
            .named_children(&mut cursor)
            .filter(|c| !matches!(c.kind(), "file_redirect" | "variable_assignment"))
            .map(|c| self.text(c))
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        matches!(
            words.as_slice(),
            [":"] | ["true"] | ["cat", "/dev/null"] | ["echo", "-n"] | ["printf", "''"] | ["printf", "\"\""]
        )
    }

    /// What a pipeline stage prints, when interlock can know it: `cat FILE`, `cat` of its
    /// own known input, `echo`/`printf` of literal words, a heredoc `cat`.
    fn piped_output(&self, stage: Node, input: &Input) -> Option<Input> {
        let (command, statement) = match stage.kind() {
            "command" => (stage, stage),
            "redirected_statement" => (stage.child_by_field_name("body")?, stage),
            _ => return None,
        };
        if command.kind() != "command" {
            return None;
        }
        let name = self.text(command.child_by_field_name("name")?);
        let mut cursor = command.walk();
        let args: Vec<Word> = command.children_by_field_name("argument", &mut cursor).map(|a| self.word(a)).collect();
        if name == "cat" && statement.kind() == "command" {
            return match args.as_slice() {
                [] => Some(input.clone()),
                [file] if !file.dynamic && !file.text.starts_with('-') => Some(Input::File(file.text.clone())),
                _ => None,
            };
        }
        self.produced(command, statement).map(Input::Bytes)
    }

    /// What a statement prints, when it is plain text: `cat`/`tee` of a heredoc or
    /// here-string, `echo` or `printf` with literal words.
    fn produced(&self, body: Node, statement: Node) -> Option<Vec<u8>> {
        if body.kind() != "command" {
            return None;
        }
        let name = self.text(body.child_by_field_name("name")?);
        let mut args = Vec::new();
        let mut cursor = body.walk();
        for a in body.children_by_field_name("argument", &mut cursor) {
            let w = self.word(a);
            if w.dynamic {
                return None;
            }
            args.push(w.text);
        }
        match name.as_str() {
            "cat" | "tee" if args.iter().all(|a| name == "tee" && !a.starts_with('-')) => {
                self.redirect_input(statement).and_then(|i| match i {
                    Input::Bytes(b) => Some(b),
                    _ => None,
                })
            }
            "echo" => {
                let (flags, words): (Vec<&String>, Vec<&String>) = args
                    .iter()
                    .partition(|a| a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)));
                let mut text = words.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" ");
                if flags.iter().any(|f| f.contains('e')) {
                    text = unescape_ansi_c(&text);
                }
                if !flags.iter().any(|f| f.contains('n')) {
                    text.push('\n');
                }
                Some(text.into_bytes())
            }
            "printf" => {
                let (format, values) = args.split_first()?;
                let mut values = values.iter();
                let mut text = String::new();
                let format = unescape_ansi_c(format);
                let mut parts = format.split("%s").peekable();
                while let Some(part) = parts.next() {
                    text.push_str(part);
                    if parts.peek().is_some() {
                        text.push_str(values.next().map_or("", String::as_str));
                    }
                }
                for rest in values {
                    text.push_str(rest);
                }
                Some(text.into_bytes())
            }
            _ => None,
        }
    }

    fn visit_children(&mut self, node: Node, stdin: &Input) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            self.visit(child, stdin);
        }
    }

    /// Commands inside `$(…)`, backticks and `<(…)` anywhere below `node`.
    fn visit_substitutions(&mut self, node: Node) {
        if !self.enter() {
            return;
        }
        self.substitutions_below(node);
        self.nesting -= 1;
    }

    fn substitutions_below(&mut self, node: Node) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if matches!(child.kind(), "command_substitution" | "process_substitution") {
                self.visit_children(child, &Input::Unseen);
            } else {
                self.visit_substitutions(child);
            }
        }
    }

    fn is_plain_cat(&self, node: Node) -> bool {
        node.kind() == "command"
            && node.child_by_field_name("name").is_some_and(|n| self.text(n) == "cat")
            && node.children_by_field_name("argument", &mut node.walk()).next().is_none()
    }

    /// The stdin a statement's redirects give it.
    fn redirect_input(&self, node: Node) -> Option<Input> {
        let mut input = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "file_redirect" => {
                    let op = child.child(0).map(|c| self.text(c)).unwrap_or_default();
                    let fd = child.child_by_field_name("descriptor").map(|d| self.text(d));
                    if op == "<"
                        && fd.as_deref().is_none_or(|f| f == "0")
                        && let Some(dest) = child.child_by_field_name("destination")
                    {
                        let w = self.word(dest);
                        input = Some(if w.dynamic { Input::Unseen } else { Input::File(w.text) });
                    }
                }
                "heredoc_redirect" => input = self.heredoc_input(child),
                "herestring_redirect" => input = self.herestring_input(child),
                _ => {}
            }
        }
        input
    }

    /// The words after the first destination of a statement's file redirections.
    fn redirect_arguments(&self, node: Node) -> Vec<String> {
        let mut out = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor).filter(|c| c.kind() == "file_redirect") {
            let mut c2 = child.walk();
            out.extend(child.children_by_field_name("destination", &mut c2).skip(1).map(|d| self.word(d).text));
        }
        out
    }

    fn heredoc_input(&self, redirect: Node) -> Option<Input> {
        let mut cursor = redirect.walk();
        let body = redirect.named_children(&mut cursor).find(|c| c.kind() == "heredoc_body")?;
        Some(Input::Bytes(self.text(body).into_bytes()))
    }

    fn herestring_input(&self, redirect: Node) -> Option<Input> {
        let value = redirect.named_child(0)?;
        let w = self.word(value);
        let mut bytes = w.text.into_bytes();
        bytes.push(b'\n');
        Some(Input::Bytes(bytes))
    }

    fn command(&mut self, node: Node, stdin: &Input) {
        let mut env = Vec::new();
        let mut argv: Vec<String> = Vec::new();
        let mut name_dynamic = false;
        let mut computed = Vec::new();
        let mut input = stdin.clone();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => {
                    let name = child.child_by_field_name("name").map(|n| self.text(n)).unwrap_or_default();
                    let value = child.child_by_field_name("value").map(|v| self.word(v).text).unwrap_or_default();
                    env.push((name, value));
                    self.visit_substitutions(child);
                }
                "command_name" => {
                    let inner = child.named_child(0).unwrap_or(child);
                    let w = self.word(inner);
                    name_dynamic = w.dynamic;
                    // `X='git reset --hard'; $X`: the unquoted value splits into words.
                    if !w.dynamic && self.splits(inner) {
                        argv.extend(w.text.split_whitespace().map(str::to_string));
                    } else {
                        argv.push(w.text);
                    }
                    self.visit_substitutions(child);
                }
                "herestring_redirect" => {
                    if let Some(i) = self.herestring_input(child) {
                        input = i;
                    }
                }
                "file_redirect" | "heredoc_redirect" => {
                    if let Some(i) = self.redirect_input_single(child) {
                        input = i;
                    }
                    self.visit_substitutions(child);
                }
                _ => {
                    if matches!(child.kind(), "command_substitution" | "process_substitution") {
                        self.visit_children(child, &Input::Unseen);
                    } else {
                        self.visit_substitutions(child);
                    }
                    let w = self.word(child);
                    let raw = self.text(child);
                    if w.dynamic && (raw.contains("$(") || raw.contains('`')) {
                        computed.push(w.text.clone());
                    }
                    if !w.dynamic && self.splits(child) {
                        argv.extend(w.text.split_whitespace().map(str::to_string));
                    } else {
                        argv.push(w.text);
                    }
                }
            }
        }
        argv.extend(std::mem::take(&mut self.trailing));
        if argv.is_empty() {
            return; // a bare assignment
        }
        if name_dynamic {
            self.out.unknown.push(format!(
                "the command name `{}` is computed when the command runs; interlock cannot tell which program it is",
                short(&argv[0])
            ));
            return;
        }
        let outer = std::mem::replace(&mut self.computed, computed);
        self.simple(argv, env, input);
        self.computed = outer;
    }

    fn redirect_input_single(&self, child: Node) -> Option<Input> {
        match child.kind() {
            "heredoc_redirect" => self.heredoc_input(child),
            "file_redirect" => {
                let op = child.child(0).map(|c| self.text(c)).unwrap_or_default();
                if op != "<" {
                    return None;
                }
                let dest = child.child_by_field_name("destination")?;
                let w = self.word(dest);
                Some(if w.dynamic { Input::Unseen } else { Input::File(w.text) })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parse `source` as bash.
    fn parse(source: &str) -> Script {
        parse_in(source, None, None, &Registry::default())
    }

    fn argvs(src: &str) -> Vec<Vec<String>> {
        parse(src).commands.into_iter().map(|c| c.argv).collect()
    }

    #[test]
    fn lists_pipelines_and_substitutions() {
        let expected: Vec<Vec<String>> = [&["a", "1"][..], &["b", "2"], &["c"], &["d"], &["e"]]
            .iter()
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .collect();
        assert_eq!(argvs("a 1 && b 2 || c; d | e"), expected);
        let has = |src: &str, want: &[&str]| argvs(src).iter().any(|a| a == want);
        assert!(has("echo $(psql -c 'DROP TABLE x')", &["psql", "-c", "DROP TABLE x"]));
        assert!(has("echo `psql -c 'DROP TABLE x'`", &["psql", "-c", "DROP TABLE x"]));
        assert!(has("if true; then for i in 1; do (rm -rf src); done; fi", &["rm", "-rf", "src"]));
        assert!(has("while read l; do curl -X DELETE \"$l\"; done < ids", &["curl", "-X", "DELETE", "$l"]));
        assert!(has("case $x in a) git push -f;; esac", &["git", "push", "-f"]));
        assert_eq!(argvs("f() { git push -f; }; f")[0], ["git", "push", "-f"]);
    }

    #[test]
    fn wrappers_and_shells() {
        for src in [
            "sudo -u postgres psql -c 'DROP TABLE x'",
            "env -i PATH=/usr/bin psql -c 'DROP TABLE x'",
            "command psql -c 'DROP TABLE x'",
            "nohup nice -n 5 timeout -s KILL 30 psql -c 'DROP TABLE x'",
            "bash -c \"psql -c 'DROP TABLE x'\"",
            "sh -lc 'cd /tmp && psql -c \"DROP TABLE x\"'",
            "eval \"psql -c 'DROP TABLE x'\"",
            "/usr/bin/psql -c 'DROP TABLE x'",
            "exec psql -c 'DROP TABLE x'",
        ] {
            let cmds = parse(src).commands;
            let psql = cmds.iter().find(|c| program_name(std::ffi::OsStr::new(&c.argv[0])) == "psql");
            assert_eq!(
                psql.map(|c| c.argv[1..].to_vec()),
                Some(vec!["-c".to_string(), "DROP TABLE x".to_string()]),
                "{src}"
            );
        }
        assert!(argvs("command -v psql").iter().all(|a| a[0] != "psql"));
        assert_eq!(argvs("npx -y prisma migrate reset --force")[1], ["prisma", "migrate", "reset", "--force"]);
        assert_eq!(argvs("bundle exec rails db:drop")[1], ["rails", "db:drop"]);
    }

    #[test]
    fn environment_and_stdin() {
        let c = &parse("PGHOST=prod-db psql app < drop.sql").commands[0];
        assert_eq!(c.env, [("PGHOST".to_string(), "prod-db".to_string())]);
        assert_eq!(c.stdin, Input::File("drop.sql".into()));
        let c = &parse("psql <<'EOF'\nDROP TABLE x;\nEOF\n").commands[0];
        assert_eq!(c.stdin, Input::Bytes(b"DROP TABLE x;\n".to_vec()));
        let c = &parse("psql <<< 'TRUNCATE t'").commands[0];
        assert_eq!(c.stdin, Input::Bytes(b"TRUNCATE t\n".to_vec()));
        let cmds = parse("cat <<EOF | psql\nDROP TABLE x;\nEOF\n").commands;
        assert_eq!(cmds.last().map(|c| c.stdin.clone()), Some(Input::Bytes(b"DROP TABLE x;\n".to_vec())));
        let cmds = parse("cat dump.sql | psql").commands;
        assert_eq!(cmds[1].stdin, Input::File("dump.sql".into()));
        let cmds = parse("echo 'SELECT 1' | psql").commands;
        assert_eq!(cmds[1].stdin, Input::Bytes(b"SELECT 1\n".to_vec()));
        let cmds = parse("printf '%s;\\n' 'SELECT 1' | cat | psql").commands;
        assert_eq!(cmds[2].stdin, Input::Bytes(b"SELECT 1;\n".to_vec()));
        let cmds = parse("pg_dump shop | psql other").commands;
        assert_eq!(cmds[1].stdin, Input::Unseen);
    }

    #[test]
    fn what_cannot_be_known() {
        assert!(!parse("$cmd -c 'x'").unknown.is_empty());
        assert!(!parse("$(which psql) -c x").unknown.is_empty());
        // What a literal echo prints is known: `$(echo psql)` is psql.
        assert_eq!(argvs("$(echo psql) -c x"), [vec!["echo", "psql"], vec!["psql", "-c", "x"]]);
        assert!(!parse("eval \"$x\"").unknown.is_empty());
        assert!(!parse("psql -c 'unterminated").unknown.is_empty());
        assert!(parse("psql -c \"SELECT $ID\"").unknown.is_empty());
    }

    #[test]
    fn railway_run_is_followed() {
        let cmds = parse("railway run psql -c 'DROP TABLE x'").commands;
        assert_eq!(cmds[1].argv, ["psql", "-c", "DROP TABLE x"]);
        assert!(cmds[1].notes.iter().any(|n| n.contains("production")));
    }

    #[test]
    fn variables_set_by_the_string() {
        let psql_arg = |src: &str| {
            parse(src).commands.into_iter().find(|c| c.argv[0] == "psql").map(|c| c.argv[2].clone()).unwrap_or_default()
        };
        assert_eq!(psql_arg("Q='DROP TABLE users'; psql -c \"$Q\""), "DROP TABLE users");
        assert_eq!(psql_arg("export Q='DROP TABLE users'; psql -c \"${Q}\""), "DROP TABLE users");
        assert_eq!(psql_arg("T=users; psql -c \"DROP TABLE $T\""), "DROP TABLE users");
        assert_eq!(psql_arg("local Q=x; declare -x Q='TRUNCATE t'; psql -c \"$Q\""), "TRUNCATE t");
        assert_eq!(argvs("P=psql; $P -c x")[0], ["psql", "-c", "x"]);
        // Not set by the string, or computed at run time: still a variable.
        assert_eq!(psql_arg("psql -c \"$Q\""), "$Q");
        assert_eq!(psql_arg("Q=$(cat q.sql); psql -c \"$Q\""), "$Q");
        assert_eq!(psql_arg("Q=x; psql -c \"${Q:-y}\""), "${Q:-y}");
        assert!(!parse("P=$(which psql); $P -c x").unknown.is_empty());
    }

    #[test]
    fn ansi_c_quoting() {
        for src in [
            "psql -c $'\\x44ROP TABLE t'",
            "psql -c $'\\u0044ROP TABLE t'",
            "psql -c $'\\104ROP TABLE t'",
            "psql -c $'\\U00000044ROP\\tTABLE t'",
        ] {
            let arg = &parse(src).commands[0].argv[2];
            assert_eq!(arg.replace('\t', " "), "DROP TABLE t", "{src}");
        }
    }

    #[test]
    fn aliases_and_functions() {
        assert!(argvs("alias nuke=\"psql -c 'DROP TABLE t'\"; nuke").contains(&vec![
            "psql".into(),
            "-c".into(),
            "DROP TABLE t".into()
        ]));
        assert!(argvs("nuke() { psql -c \"DROP TABLE $1\"; }; nuke users").iter().any(|a| a[0] == "psql"));
    }

    #[test]
    fn files_the_string_writes() {
        let s = parse("cat > q.json <<'EOF'\n{\"query\":\"mutation { volumeDelete }\"}\nEOF\ncurl -d @q.json u");
        assert_eq!(s.written, [("q.json".to_string(), Some(b"{\"query\":\"mutation { volumeDelete }\"}\n".to_vec()))]);
        assert_eq!(s.commands.last().map(|c| c.writes_before), Some(1));
        let s =
            parse("echo 'DROP TABLE t;' > a.sql; printf 'x%s\\n' y >> a.sql; curl -o b.json u > c.log; psql -f a.sql");
        assert_eq!(s.written[0], ("a.sql".to_string(), Some(b"DROP TABLE t;\n".to_vec())));
        assert_eq!(s.written[1], ("a.sql".to_string(), Some(b"DROP TABLE t;\nxy\n".to_vec())));
        assert_eq!(s.written[2], ("c.log".to_string(), None));
        assert_eq!(parse("echo \"$X\" > a.sql").written[0].1, None);
        assert!(parse("psql -c x 2> err.log").written.is_empty());
    }

    #[test]
    fn for_loops_over_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("m")).unwrap();
        for f in ["002_b.sql", "001_a.sql", "notes.txt", ".hidden.sql"] {
            std::fs::write(dir.path().join("m").join(f), "SELECT 1;").unwrap();
        }
        let s = parse_in("for f in m/*.sql; do psql -f \"$f\"; done", Some(dir.path()), None, &Registry::default());
        let files: Vec<&str> = s.commands.iter().map(|c| c.argv[2].as_str()).collect();
        assert_eq!(files, ["m/001_a.sql", "m/002_b.sql"]);
        let s = parse_in("for t in users orders; do psql -c \"TRUNCATE $t\"; done", None, None, &Registry::default());
        assert_eq!(s.commands.len(), 2);
        let s = parse_in("for f in $(ls); do psql -f \"$f\"; done", Some(dir.path()), None, &Registry::default());
        assert_eq!(s.commands[0].argv[2], "$f");
        let matches = |pattern: &str, name: &str| wildcard(pattern).is_some_and(|m| m.is_match(name));
        assert!(matches("0[0-9]?_*.sql", "001_a.sql"));
        assert!(!matches("[!0]*", "0x"));
        assert!(!matches("*.sql", "sub/a.sql"), "a star does not cross a slash");
    }

    /// Regression (issue 25): a pattern with many stars against a long file name took
    /// exponential time and ran the hook into its budget.
    #[test]
    fn many_stars_against_a_long_name_are_linear() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a".repeat(200)), "").unwrap();
        let started = std::time::Instant::now();
        let s = parse_in("for f in *a*a*a*a*a*a*a*b; do rm \"$f\"; done", Some(dir.path()), None, &Registry::default());
        // A hang guard, not a measurement: the backtracking matcher needed ~10^12 steps here.
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
        assert_eq!(s.commands[0].argv[1], "*a*a*a*a*a*a*a*b", "no match: the pattern itself, as bash does");
    }

    #[test]
    fn hostile_expansion_is_bounded() {
        let deep = format!("{}psql -c 'DROP TABLE x'", "nice ".repeat(MAX_WRAPPERS + 5));
        assert!(parse(&deep).unknown.iter().any(|u| u.contains("wrappers")));
        let shallow = format!("{}psql -c 'DROP TABLE x'", "nice ".repeat(MAX_WRAPPERS - 2));
        assert!(parse(&shallow).commands.iter().any(|c| c.argv[0] == "psql"));
        let values: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let list = values.join(" ");
        let loops =
            format!("for a in {list}; do for b in {list}; do for c in {list}; do echo $a$b$c; done; done; done");
        let s = parse(&loops);
        assert_eq!(s.commands.len(), MAX_COMMANDS);
        assert!(s.unknown.iter().any(|u| u.contains("more than")));
    }
}
