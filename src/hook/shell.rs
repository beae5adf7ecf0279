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

use tree_sitter::{Node, Parser};

use super::wrappers::{self, Body, Opts, Step};
use crate::invocation::program_name;

/// xargs(1): the options that take a value, then the command (default `echo`).
const XARGS: Opts = Opts {
    short: "ILnPsdEa",
    long: &[
        "--max-args",
        "--max-procs",
        "--delimiter",
        "--arg-file",
        "--replace",
        "--max-lines",
        "--max-chars",
        "--eof",
        "--process-slot-var",
    ],
};

/// How deep `sh -c` / `eval` nesting is followed.
const MAX_DEPTH: usize = 6;
/// How deep the syntax tree is walked (`$( $( $( …`, `( ( (`, `if if if`). The walk
/// recurses, so hostile nesting must not be able to exhaust the stack: deeper than this is
/// "cannot see".
const MAX_NESTING: usize = 256;

/// Where a command's standard input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
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
pub struct SimpleCommand {
    pub argv: Vec<String>,
    /// `NAME=value` prefixes (and `env NAME=value`).
    pub env: Vec<(String, String)>,
    pub stdin: Input,
    pub notes: Vec<String>,
    /// Where the command lands when a wrapper runs it elsewhere (`ssh prod-db …`).
    pub targets: Vec<String>,
}

/// Everything a shell string will run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<SimpleCommand>,
    pub unknown: Vec<String>,
}

/// Parse `source` as bash.
pub fn parse(source: &str) -> Script {
    let mut out = Script::default();
    parse_into(source, 0, &mut out, &[]);
    out
}

/// Shells: `-c STRING`, a script file, or commands on standard input.
pub(crate) const SHELLS: &[&str] = &["bash", "sh", "zsh", "dash", "ksh", "ash", "mksh"];

/// Whether `program` (a basename) can run other commands: a shell, `eval`, `xargs` or a
/// wrapper.
pub fn may_run_others(program: &str) -> bool {
    SHELLS.contains(&program) || matches!(program, "eval" | "xargs") || wrappers::is_wrapper(program)
}

/// What an argv runs besides itself: the commands inside its wrappers (`sudo -iu postgres
/// psql …`, `kubectl exec POD -- …`, `ssh HOST '…'`), followed like those of a shell string.
/// A wrapper's own command is not included: its caller judges it with its real stdin.
pub fn inside_argv(argv: Vec<String>) -> Script {
    let mut out = Script::default();
    let wrapper = argv.first().is_some_and(|a| wrappers::is_wrapper(&program_name(std::ffi::OsStr::new(a))));
    let mut walker = Walker { src: b"", depth: 0, out: &mut out, notes: Vec::new(), nesting: 0, too_deep: false };
    walker.follow(argv, Vec::new(), Input::Inherited, Vec::new(), Vec::new());
    if wrapper && !out.commands.is_empty() {
        out.commands.remove(0);
    }
    out
}

fn parse_into(source: &str, depth: usize, out: &mut Script, notes: &[String]) {
    if depth > MAX_DEPTH {
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
    let mut walker = Walker { src: source.as_bytes(), depth, out, notes: notes.to_vec(), nesting: 0, too_deep: false };
    walker.visit(root, &Input::Inherited);
}

struct Walker<'a> {
    src: &'a [u8],
    depth: usize,
    out: &'a mut Script,
    notes: Vec<String>,
    /// Syntax-tree levels entered by `visit` and `visit_substitutions` right now.
    nesting: usize,
    /// Whether `MAX_NESTING` was hit (reported once).
    too_deep: bool,
}

/// A word's value: the literal text, and whether part of it is only known at run time.
struct Word {
    text: String,
    dynamic: bool,
}

impl Walker<'_> {
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
            "redirected_statement" => {
                let input = self.redirect_input(node).unwrap_or_else(|| stdin.clone());
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
            }
            "pipeline" => {
                let mut cursor = node.walk();
                for (i, child) in node.named_children(&mut cursor).enumerate() {
                    self.visit(child, if i == 0 { stdin } else { &Input::Unseen });
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
                    argv.push(w.text);
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
                    argv.push(self.word(child).text);
                }
            }
        }
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
        self.simple(argv, env, input);
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

    /// Record the command, and follow what it runs: wrappers (`sudo`, `ssh HOST …`,
    /// `kubectl exec … --`), `sh -c` and `eval`. A wrapper is recorded too, so its own
    /// rules apply (`kubectl exec` is harmless; `kubectl delete` under `sudo` is not).
    fn simple(&mut self, argv: Vec<String>, env: Vec<(String, String)>, stdin: Input) {
        let notes = self.notes.clone();
        self.follow(argv, env, stdin, notes, Vec::new());
    }

    fn follow(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        stdin: Input,
        notes: Vec<String>,
        targets: Vec<String>,
    ) {
        let Some(first) = argv.first() else { return };
        if first.contains('$') {
            self.out.unknown.push(format!("the command name `{}` is computed when the command runs", short(first)));
            return;
        }
        let name = program_name(std::ffi::OsStr::new(first));
        let rest = &argv[1..];
        match name.as_str() {
            n if SHELLS.contains(&n) => {
                match shell_dash_c(rest) {
                    ShellArgs::Script(s) => self.nested(&s, &notes, &targets),
                    ShellArgs::File(f) => {
                        self.out.commands.push(SimpleCommand { argv: vec![name, f], env, stdin, notes, targets })
                    }
                    ShellArgs::Stdin => self.shell_stdin(&name, &stdin, &notes, &targets),
                    ShellArgs::Dynamic => {
                        self.out.unknown.push(format!("`{name} -c` runs a command built at run time"))
                    }
                }
                return;
            }
            "eval" => {
                if rest.iter().any(|a| a.contains('$') || a.contains('`')) {
                    self.out.unknown.push("`eval` runs text built at run time; what it runs cannot be known".into());
                } else {
                    self.nested(&rest.join(" "), &notes, &targets);
                }
                return;
            }
            "xargs" => {
                let mut notes = notes;
                notes.push("xargs appends arguments read from its input, which cannot be seen in advance".into());
                let inner = XARGS.parse(rest);
                let cmd = rest[inner.rest..].to_vec();
                // `xargs` alone runs `echo`.
                if !cmd.is_empty() {
                    self.follow(cmd, env, Input::Unseen, notes, targets);
                }
                return;
            }
            _ => {}
        }
        let step = wrappers::step(&argv);
        if step == Step::Not {
            self.out.commands.push(SimpleCommand { argv, env, stdin, notes, targets });
            return;
        }
        self.out.commands.push(SimpleCommand {
            argv: argv.clone(),
            env: env.clone(),
            stdin: stdin.clone(),
            notes: notes.clone(),
            targets: targets.clone(),
        });
        match step {
            Step::Not => {}
            Step::Unknown(why) => self.out.unknown.push(why),
            Step::Runs(inners) => {
                for inner in inners {
                    let mut notes = notes.clone();
                    let mut targets = targets.clone();
                    notes.extend(inner.note);
                    targets.extend(inner.target);
                    let mut env = env.clone();
                    env.extend(inner.env);
                    match inner.body {
                        Body::Argv(a) => self.follow(a, env, stdin.clone(), notes, targets),
                        Body::Shell(text) => self.nested(&text, &notes, &targets),
                        Body::Stdin => self.shell_stdin(&name, &stdin, &notes, &targets),
                    }
                }
            }
        }
    }

    /// Parse a shell string a command runs (`sh -c`, `ssh HOST '…'`) in turn.
    fn nested(&mut self, text: &str, notes: &[String], targets: &[String]) {
        let mut inner = Script::default();
        parse_into(text, self.depth + 1, &mut inner, notes);
        for c in &mut inner.commands {
            c.targets.extend(targets.iter().cloned());
        }
        self.out.commands.extend(inner.commands);
        self.out.unknown.extend(inner.unknown);
    }

    /// A shell that reads its commands from standard input.
    fn shell_stdin(&mut self, name: &str, stdin: &Input, notes: &[String], targets: &[String]) {
        match stdin {
            Input::Bytes(b) => self.nested(&String::from_utf8_lossy(b), notes, targets),
            Input::Unseen => {
                self.out.unknown.push(format!("`{name}` runs commands piped into it, which cannot be seen in advance"))
            }
            Input::File(f) => self.out.commands.push(SimpleCommand {
                argv: vec!["sh".into(), f.clone()],
                env: Vec::new(),
                stdin: Input::Inherited,
                notes: notes.to_vec(),
                targets: targets.to_vec(),
            }),
            Input::Inherited => {}
        }
    }

    fn word(&self, node: Node) -> Word {
        match node.kind() {
            "word" | "number" => Word { text: unescape_bare(&self.text(node)), dynamic: false },
            "raw_string" => {
                let t = self.text(node);
                Word { text: t.trim_start_matches('\'').trim_end_matches('\'').to_string(), dynamic: false }
            }
            "ansi_c_string" => {
                let t = self.text(node);
                let inner = t.strip_prefix("$'").and_then(|s| s.strip_suffix('\'')).unwrap_or(&t);
                Word { text: unescape_ansi_c(inner), dynamic: false }
            }
            "string" => {
                let full = self.text(node);
                let inner = full.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(&full);
                let mut dynamic = false;
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() != "string_content" {
                        dynamic = true;
                    }
                }
                Word { text: unescape_double(inner), dynamic }
            }
            "concatenation" => {
                let mut text = String::new();
                let mut dynamic = false;
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    let w = self.word(child);
                    text.push_str(&w.text);
                    dynamic |= w.dynamic;
                }
                Word { text, dynamic }
            }
            _ => Word { text: self.text(node), dynamic: true },
        }
    }
}

enum ShellArgs {
    Script(String),
    File(String),
    Stdin,
    Dynamic,
}

/// What `sh [options] …` runs: `-c SCRIPT`, a script file, or its stdin.
fn shell_dash_c(args: &[String]) -> ShellArgs {
    let mut i = 0;
    let mut dash_c = false;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            if a[1..].contains('c') {
                dash_c = true;
            }
            if a == "-o" || a == "-O" {
                i += 1;
            }
            i += 1;
            continue;
        }
        if a.starts_with("--") {
            i += 1;
            continue;
        }
        break;
    }
    match (dash_c, args.get(i)) {
        (true, Some(s)) if s.contains('$') && !s.contains(' ') => ShellArgs::Dynamic,
        (true, Some(s)) => ShellArgs::Script(s.clone()),
        (true, None) => ShellArgs::Stdin,
        (false, Some(f)) => ShellArgs::File(f.clone()),
        (false, None) => ShellArgs::Stdin,
    }
}

fn unescape_bare(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| matches!(n, '"' | '\\' | '$' | '`' | '\n')) {
            let n = chars.next().unwrap_or('\\');
            if n != '\n' {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unescape_ansi_c(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('x') => {
                let hex: String = std::iter::from_fn(|| chars.next_if(|c| c.is_ascii_hexdigit())).take(2).collect();
                if let Some(ch) = u8::from_str_radix(&hex, 16).ok().map(char::from) {
                    out.push(ch);
                }
            }
            Some(o) => out.push(o),
            None => {}
        }
    }
    out
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    crate::redact::escape(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(cmds[1].stdin, Input::Unseen);
    }

    #[test]
    fn what_cannot_be_known() {
        assert!(!parse("$cmd -c 'x'").unknown.is_empty());
        assert!(!parse("$(echo psql) -c x").unknown.is_empty());
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
}
