//! Following one simple command: what it runs besides itself. Shells (`sh -c`, a script
//! file, commands on stdin), `eval`, aliases, `xargs`, `crontab`, interpreter code
//! (`interp`), wrappers (`wrappers::step`), and files it replaces (`cp`, `mv`, `tee`).
//!
//! Invariant: a command is recorded before what it runs, and what cannot be followed is
//! "cannot see", never dropped.

use super::*;
use std::path::PathBuf;

use crate::analyze::spec::{Language, Reader};

/// A database statement written as a shell command (`DROP TABLE users`, `delete from t;`,
/// `FLUSHALL`), as the client call that would run it; `None` for anything else (a program
/// named `update` with other words is left alone).
pub(crate) fn statement_typed_as_command(argv: &[String]) -> Option<Vec<String>> {
    let word = |i: usize| argv.get(i).map(|w| w.trim_end_matches(';').to_ascii_lowercase()).unwrap_or_default();
    let first = word(0);
    let sql = match first.as_str() {
        "drop" => matches!(
            word(1).as_str(),
            "table"
                | "database"
                | "schema"
                | "index"
                | "view"
                | "role"
                | "user"
                | "sequence"
                | "type"
                | "function"
                | "owned"
                | "materialized"
                | "collection"
                | "keyspace"
        ),
        "delete" => word(1) == "from",
        "truncate" => word(1) == "table" || argv[0].starts_with("TRUNCATE"),
        "update" => argv.len() >= 4 && word(2) == "set",
        "alter" => matches!(word(1).as_str(), "table" | "database" | "schema"),
        "flushall" | "flushdb" if argv[0].chars().all(|c| c.is_ascii_uppercase() || c == ';') => {
            return Some(vec!["redis-cli".into(), first]);
        }
        _ => false,
    };
    sql.then(|| vec!["psql".into(), "-c".into(), argv.join(" ")])
}

/// Variables whose value programs run as a command line: git's transport, editor and pager
/// hooks, the editors and pagers every tool calls, rsync's and CVS's remote shells, askpass
/// helpers, and what bash runs before each prompt.
const COMMAND_VARIABLES: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "GIT_PROXY_COMMAND",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "EDITOR",
    "VISUAL",
    "FCEDIT",
    "PAGER",
    "MANPAGER",
    "SYSTEMD_PAGER",
    "LESSOPEN",
    "LESSCLOSE",
    "BROWSER",
    "PROMPT_COMMAND",
    "RSYNC_RSH",
    "CVS_RSH",
];

impl Walker<'_> {
    /// Record the command, and follow what it runs: wrappers (`sudo`, `ssh HOST …`,
    /// `kubectl exec … --`), `sh -c` and `eval`. A wrapper is recorded too, so its own
    /// rules apply (`kubectl exec` is harmless; `kubectl delete` under `sudo` is not).
    pub(super) fn simple(&mut self, argv: Vec<String>, env: Vec<(String, String)>, stdin: Input) {
        let notes = self.notes.clone();
        self.follow(argv, env, stdin, notes, Vec::new());
    }

    pub(super) fn follow(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        stdin: Input,
        notes: Vec<String>,
        targets: Vec<String>,
    ) {
        if self.wrapped >= MAX_WRAPPERS {
            self.unknown_once(format!("the command nests more than {MAX_WRAPPERS} wrappers"));
            return;
        }
        self.wrapped += 1;
        self.follow_one(argv, env, stdin, notes, targets);
        self.wrapped -= 1;
    }

    fn follow_one(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        stdin: Input,
        notes: Vec<String>,
        targets: Vec<String>,
    ) {
        for (name, value) in &env {
            if let Some(why) = turns_guard_off(name, Some(value)) {
                self.guard_off(why);
            }
            self.command_variable(name, value);
        }
        let Some(first) = argv.first() else { return };
        if first.contains('$') {
            self.out.unknown.push(format!("the command name `{}` is computed when the command runs", short(first)));
            return;
        }
        // An alias the string defined runs its words (agents' shells expand aliases: Claude
        // Code's snapshot turns `expand_aliases` on).
        if !self.expanding.contains(first)
            && let Some(words) = self.aliases.get(first).cloned()
        {
            let mut expanded = words;
            expanded.extend(argv[1..].iter().cloned());
            self.expanding.push(first.clone());
            self.follow(expanded, env, stdin, notes, targets);
            self.expanding.pop();
            return;
        }
        let name = program_name(std::ffi::OsStr::new(first));
        // `DROP TABLE users` typed as a command (into a terminal that may be a database
        // console, or a session the agent drives): judged as the statement it is.
        if let Some(client) = statement_typed_as_command(&argv) {
            let mut inner = notes.clone();
            inner.push(
                "an SQL or Redis statement typed as a command: a shell runs nothing, a database console would run this"
                    .into(),
            );
            self.record_plain(argv, env.clone(), stdin, notes, targets.clone());
            self.follow(client, env, Input::Inherited, inner, targets);
            return;
        }
        // `./cleanup.py` with `#!/usr/bin/env python3`: the interpreter runs the file.
        if first.contains('/')
            && self.registry.language(&name).0.is_none()
            && let Some(interpreter) = self.shebang_interpreter(first)
        {
            let mut run = vec![interpreter.clone(), first.clone()];
            run.extend(argv[1..].iter().cloned());
            let mut inner_notes = notes.clone();
            inner_notes.push(format!("`{first}` runs with `{interpreter}`, its `#!` line"));
            self.record_plain(argv, env.clone(), stdin.clone(), notes, targets.clone());
            self.follow(run, env, stdin, inner_notes, targets);
            return;
        }
        self.replaced_files(&name, &argv[1..]);
        let cmd = SimpleCommand { argv, env, stdin, notes, targets, writes_before: 0, computed: Vec::new() };
        if let Some(cmd) = self.shell_builtin(&name, cmd) {
            self.wrapper(&name, cmd);
        }
    }

    /// `cp /dev/null orders.csv` empties the file; `mv prod.db /dev/null` removes it: both
    /// are judged as `truncate -s 0 FILE` (not worth a shim in front of every cp and mv).
    /// `cp backup.db prod.db`, `mv new.db prod.db`, `install SRC FILE`, `tee FILE`: a file
    /// that is there is replaced (not with `cp -n`, `mv -n`, `tee -a`, or into a directory).
    fn replaced_files(&mut self, name: &str, rest: &[String]) {
        let operands: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
        let emptied = match (name, operands.as_slice()) {
            ("cp", [from, to]) if *from == "/dev/null" && self.may_hold_data(to) => vec![(*to).clone()],
            // `mv FILE… /dev/null` has no purpose but to make the files disappear (as root, it
            // also replaces the device): judged whether or not they are there yet.
            ("mv", [files @ .., to]) if *to == "/dev/null" => files.iter().map(|f| (*f).clone()).collect(),
            _ => Vec::new(),
        };
        for file in emptied {
            self.simple(vec!["truncate".into(), "-s".into(), "0".into(), file], Vec::new(), Input::Inherited);
        }
        let keeps = |flags: &[&str]| rest.iter().any(|a| flags.contains(&a.as_str()));
        let replaced: Vec<String> = match (name, operands.as_slice()) {
            ("cp" | "mv" | "install", [from, to])
                if *from != "/dev/null"
                    && *to != "/dev/null"
                    && !keeps(&["-n", "--no-clobber", "-t", "--update=none", "-i", "--interactive"]) =>
            {
                vec![(*to).clone()]
            }
            ("tee", files) if !keeps(&["-a", "--append"]) => files.iter().map(|f| (*f).clone()).collect(),
            _ => Vec::new(),
        };
        for file in replaced {
            if file != "/dev/null" && self.overwrites(&file) {
                self.overwritten(&file);
            }
        }
        // `cp|mv|install X DEST` writes DEST whether it was there or not: judged as a write
        // (`tee DEST`), so a system file or a device asks (`cp key ~/.ssh/authorized_keys`).
        if let ("cp" | "mv" | "install", [.., to]) = (name, operands.as_slice())
            && operands.len() >= 2
        {
            self.written_to(to, false);
        }
    }

    /// A variable whose value is a command line programs run (`GIT_SSH_COMMAND`, `EDITOR`,
    /// `PAGER`, …), set for a command or in the string: its value is judged as one.
    pub(super) fn command_variable(&mut self, name: &str, value: &str) {
        if !COMMAND_VARIABLES.contains(&name) || value.trim().is_empty() {
            return;
        }
        let mut notes = self.notes.clone();
        notes.push(format!("`{name}` holds a command that programs run (`{name}={value}`)"));
        self.nested(value, &notes, &[], &Input::Inherited);
    }

    /// Command lines carried in the values of the program's `role = "command"` options
    /// (`tar --to-command='rm -rf /srv'`, `ssh -o ProxyCommand=…`): judged as shell strings.
    fn option_commands(&mut self, name: &str, cmd: &SimpleCommand) {
        use crate::analyze::options::Grammar;
        use crate::analyze::spec::Role;
        let carried: Vec<(String, String)> = self.registry.with_spec(name, |spec| {
            let Some(spec) = spec else { return Vec::new() };
            let flags: Vec<String> = spec
                .options
                .iter()
                .filter(|r| r.role == Some(Role::Command))
                .flat_map(|r| r.spellings(spec.clusters).collect::<Vec<_>>())
                .collect();
            if flags.is_empty() {
                return Vec::new();
            }
            let (p, _) = spec.at(&[]).parse_permuted(&cmd.argv[1..]);
            p.opts
                .iter()
                .filter(|o| flags.contains(&o.name))
                .filter_map(|o| o.value.clone().map(|v| (o.name.clone(), v)))
                .collect()
        });
        for (flag, value) in carried {
            // `exec=CMD`, `ProxyCommand=CMD`, `core.sshCommand=CMD`: the command after the key.
            let text = match value.split_once('=') {
                Some((key, rest)) if !key.contains(char::is_whitespace) => rest.to_string(),
                _ => value.clone(),
            };
            let mut notes = cmd.notes.clone();
            notes.push(format!("`{name}` runs the command given to `{flag}`"));
            self.nested(&text, &notes, &cmd.targets, &Input::Inherited);
        }
    }

    /// The string writes `path` (a redirection, `cp`/`mv` onto it): judged as `tee [-a] PATH`,
    /// whose rules name the files and devices a write to matters for.
    pub(super) fn written_to(&mut self, path: &str, append: bool) {
        if path == "/dev/null" || path.starts_with("/dev/std") || path.starts_with("/dev/fd/") {
            return;
        }
        let mut argv = vec!["tee".to_string()];
        if append {
            argv.push("-a".into());
        }
        argv.push(path.to_string());
        let mut notes = self.notes.clone();
        notes.push(format!("writes `{path}`"));
        // Recorded as is: what replacing the file's content means is judged where the write
        // is (`replaced_files`, `note_writes`), not again for this stand-in.
        self.record_plain(argv, Vec::new(), Input::Inherited, notes, Vec::new());
    }

    /// Record a command as it stands, without following what it runs.
    fn record_plain(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        stdin: Input,
        notes: Vec<String>,
        targets: Vec<String>,
    ) {
        self.record(SimpleCommand { argv, env, stdin, notes, targets, writes_before: 0, computed: Vec::new() });
    }

    /// What the shell itself runs for `cmd`: another shell's script, `eval`, `crontab`'s
    /// table, interpreter code, an alias definition, `xargs`'s command. Hands `cmd` back when
    /// it is none of these.
    fn shell_builtin(&mut self, name: &str, cmd: SimpleCommand) -> Option<SimpleCommand> {
        let rest = &cmd.argv[1..];
        let reader = self.registry.reader(name);
        let (lang, console) = self.registry.language(name);
        match name {
            _ if reader == Some(Reader::Shell) => match shell_dash_c(rest) {
                ShellArgs::Script(s) => self.nested(&s, &cmd.notes, &cmd.targets, &cmd.stdin),
                ShellArgs::File(f) => self.record(SimpleCommand { argv: vec![name.to_string(), f], ..cmd }),
                ShellArgs::Stdin => self.shell_stdin(name, &cmd.stdin, &cmd.notes, &cmd.targets),
                ShellArgs::Dynamic => self.out.unknown.push(format!("`{name} -c` runs a command built at run time")),
            },
            _ if reader == Some(Reader::Crontab) => {
                self.crontab(rest, &cmd.stdin, &cmd.notes, &cmd.targets);
                self.record(cmd);
            }
            "eval" => {
                if rest.iter().any(|a| a.contains('$') || a.contains('`')) {
                    self.out.unknown.push("`eval` runs text built at run time; what it runs cannot be known".into());
                } else {
                    self.nested(&rest.join(" "), &cmd.notes, &cmd.targets, &cmd.stdin);
                }
            }
            _ if let Some(code) = interp::code(lang, console, rest) => {
                self.interpreter(code, &cmd.env, &cmd.stdin, &cmd.notes, &cmd.targets);
                // An interpreter that is also a wrapper or runner (`bun x …`) runs that too.
                self.wrapper(name, cmd);
            }
            "alias" => self.alias(rest),
            _ if reader == Some(Reader::Xargs) => self.xargs(cmd),
            _ if reader == Some(Reader::Git) => self.git_alias(cmd),
            _ => return Some(cmd),
        }
        None
    }

    /// `alias x='psql -c …'`: defining an alias runs nothing; its words are remembered for
    /// where the string uses it (`alias k=kubectl; k delete ns prod`), judged there.
    fn alias(&mut self, definitions: &[String]) {
        for def in definitions {
            if let Some((alias, body)) = def.split_once('=')
                && let Ok(words) = shell_words::split(body)
                && !words.is_empty()
            {
                self.aliases.insert(alias.to_string(), words);
            }
        }
    }

    /// `xargs CMD…` runs CMD with arguments read from its input. Those are unknown: they stand
    /// in as one placeholder operand (replacing the `-I` string, else appended), so `… | xargs
    /// rm -rf` is judged as deleting something, and `xargs rm -f` as not recursive. `xargs`
    /// alone runs `echo`.
    fn xargs(&mut self, cmd: SimpleCommand) {
        let SimpleCommand { argv, env, mut notes, targets, .. } = cmd;
        let rest = &argv[1..];
        notes.push("xargs appends arguments read from its input, which cannot be seen in advance".into());
        let inner = XARGS.parse(rest);
        let mut run = rest[inner.rest..].to_vec();
        match inner.value(&["-I", "--replace"]).map(str::to_string) {
            Some(r) => run.iter_mut().for_each(|a| *a = a.replace(&r, XARGS_INPUT)),
            None if !run.is_empty() => run.push(XARGS_INPUT.into()),
            None => {}
        }
        // The words built from what xargs reads are text made at run time, as a `$(…)` would
        // be (a database client's statement, a body).
        if !run.is_empty() {
            let before = self.computed.len();
            self.computed.extend(run.iter().filter(|a| a.contains(XARGS_INPUT)).cloned());
            self.follow(run, env, Input::Unseen, notes, targets);
            self.computed.truncate(before);
        }
    }

    /// Record `cmd`, then follow what it runs if it is a wrapper. A wrapper is recorded too,
    /// so its own rules apply (`kubectl exec` is harmless; `kubectl delete` under `sudo` is
    /// not).
    fn wrapper(&mut self, name: &str, cmd: SimpleCommand) {
        self.option_commands(name, &cmd);
        let step = self.registry.with_spec(name, |spec| wrappers::step_with(&cmd.argv, spec, self.registry));
        if step == Step::Not {
            self.record(cmd);
            return;
        }
        let SimpleCommand { env, stdin, notes, targets, .. } = cmd.clone();
        self.record(cmd);
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
                        Body::Shell(text) => self.nested(&text, &notes, &targets, &stdin),
                        Body::Stdin => self.shell_stdin(name, &stdin, &notes, &targets),
                    }
                }
            }
        }
    }

    /// Code an interpreter runs (`python -c`, `node -e`, a heredoc or file on stdin, a
    /// script file, a module): the commands its string literals and calls stand for (see
    /// `interp`), and what it could not see.
    fn interpreter(
        &mut self,
        (lang, code): (Language, interp::Code),
        env: &[(String, String)],
        stdin: &Input,
        notes: &[String],
        targets: &[String],
    ) {
        let file = match (code, stdin) {
            (interp::Code::Inline(t), _) => Ok((t, None)),
            (interp::Code::Stdin, Input::Bytes(b)) => Ok((String::from_utf8_lossy(b).into_owned(), None)),
            (interp::Code::Stdin, Input::File(f)) => self.code_file(Path::new(f)),
            (interp::Code::File(f), _) => self.code_file(Path::new(&f)),
            (interp::Code::Module(m), _) => self.module_file(&m),
            (interp::Code::Stdin, Input::Unseen) => {
                Err(format!("the {} code it runs is piped into it and cannot be seen in advance", interp::name(lang)))
            }
            (interp::Code::Stdin, Input::Inherited) => return,
        };
        let (text, origin) = match file {
            Ok((_, Some(origin)))
                if interp::installed(&self.cwd.map_or_else(|| origin.clone(), |c| c.join(&origin))) =>
            {
                return;
            }
            Ok(found) => found,
            Err(why) => {
                self.unknown_once(why);
                return;
            }
        };
        let scan = {
            let guarded = |p: &str| self.registry.guarded(p);
            let file = |p: &Path| self.file_text(p);
            let var = |name: &str| self.variable(name, env);
            let sources = interp::Sources { guarded: &guarded, file: &file, var: &var };
            interp::scan(lang, &text, origin.as_deref(), &sources)
        };
        let mut notes = notes.to_vec();
        notes.push(match &origin {
            Some(p) => format!("found in the {} script {}", interp::name(lang), p.display()),
            None => format!("found in a string literal of the {} code it runs", interp::name(lang)),
        });
        for why in scan.unknown {
            self.unknown_once(why);
        }
        for found in scan.found {
            match found {
                interp::Found::Argv(a) => {
                    self.follow(a, env.to_vec(), Input::Inherited, notes.clone(), targets.to_vec())
                }
                interp::Found::Shell(t) => self.nested(&t, &notes, targets, &Input::Inherited),
            }
        }
    }

    /// The interpreter a script's `#!` line names, when interlock reads that language
    /// (`#!/usr/bin/env python3`, `#!/usr/bin/node`, `#!/usr/bin/env -S deno run -A`).
    fn shebang_interpreter(&self, path: &str) -> Option<String> {
        let bare = |p: &str| p.trim_start_matches("./").to_string();
        let written = self.out.written.iter().rev().find(|(p, _)| bare(p) == bare(path)).map(|(_, c)| c.clone());
        let first = match written {
            Some(content) => String::from_utf8_lossy(&content?).lines().next()?.to_string(),
            None => crate::walk::first_line(&self.cwd?.join(path))?,
        };
        let line = first.strip_prefix("#!")?;
        let mut words = line.split_whitespace();
        let first = program_name(std::ffi::OsStr::new(words.next()?));
        let program = if first == "env" { words.find(|w| !w.starts_with('-'))?.to_string() } else { first };
        self.registry.language(&program).0.is_some().then_some(program)
    }

    /// A script file's text, with its path (a missing file runs nothing: the interpreter
    /// fails).
    fn code_file(&self, path: &Path) -> Result<(String, Option<PathBuf>), String> {
        match self.file_text(path)? {
            Some(text) => Ok((text, Some(path.to_path_buf()))),
            None => Ok((String::new(), None)),
        }
    }

    /// The file of a module run with `python -m`: `tools/cleanup.py` or
    /// `tools/cleanup/__main__.py` in the working directory; an installed module is not
    /// the project's code (judged by its arguments, as any program is).
    fn module_file(&self, module: &str) -> Result<(String, Option<PathBuf>), String> {
        let rel = module.replace('.', "/");
        for candidate in [format!("{rel}.py"), format!("{rel}/__main__.py")] {
            if let Some(text) = self.file_text(Path::new(&candidate))? {
                return Ok((text, Some(PathBuf::from(candidate))));
            }
        }
        Ok((String::new(), None))
    }

    /// The text of a file a command reads: what the string wrote to it before, or the file
    /// in the working directory. `Ok(None)` when it is not there.
    fn file_text(&self, path: &Path) -> Result<Option<String>, String> {
        let same = |p: &str| match self.cwd {
            Some(c) => c.join(p) == c.join(path),
            None => Path::new(p) == path,
        };
        if let Some((_, content)) = self.out.written.iter().rev().find(|(p, _)| same(p)) {
            return match content {
                Some(bytes) => Ok(Some(String::from_utf8_lossy(bytes).into_owned())),
                None => Err(format!(
                    "{} is written by the same command just before, with content known only at run time",
                    path.display()
                )),
            };
        }
        let Some(cwd) = self.cwd else { return Ok(None) };
        let full = cwd.join(path);
        match std::fs::metadata(&full) {
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
                return Ok(None);
            }
            Ok(m) if m.is_dir() => return Ok(None),
            Ok(m) if m.len() > interp::MAX_FILE => {
                return Err(format!("{} is too long to read ({} KiB)", path.display(), m.len() >> 10));
            }
            _ => {}
        }
        crate::walk::read_script(&full).map(Some).map_err(|e| format!("{} cannot be read ({e})", path.display()))
    }

    /// A variable's value as the program sees it: set for the command, set earlier in the
    /// string, or in the environment the call runs in.
    fn variable(&self, name: &str, env: &[(String, String)]) -> Option<String> {
        env.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| self.vars.get(name).cloned().flatten())
            .or_else(|| self.env.and_then(|e| e.get(name)))
    }

    /// `git ALIAS …`: the git command itself (its own rules), then what the alias runs.
    fn git_alias(&mut self, cmd: SimpleCommand) {
        self.option_commands("git", &cmd);
        let found = crate::walk::gitalias::expand(&cmd.argv, self.cwd, self.env);
        let SimpleCommand { env, notes, targets, .. } = cmd.clone();
        self.record(cmd);
        let mut notes = notes;
        let (alias, runs) = match found {
            None => return,
            Some(Err(why)) => return self.unknown_once(why),
            Some(Ok(a)) => (a.name, a.runs),
        };
        match runs {
            crate::walk::gitalias::Runs::Git(expanded) => {
                notes.push(format!("`git {alias}` is a git alias for `{}`", shell_words::join(&expanded)));
                // Only `git`'s own words: an alias of an alias is followed the same way.
                if expanded.get(1) != Some(&alias) {
                    self.follow(expanded, env, Input::Inherited, notes, targets);
                }
            }
            crate::walk::gitalias::Runs::Shell(text) => {
                notes.push(format!("`git {alias}` is a git alias that runs the shell command `{text}`"));
                self.nested(&text, &notes, &targets, &Input::Inherited);
            }
        }
    }

    /// `crontab FILE` / `crontab -` installs a table whose commands run later: each line's
    /// command (after the five time fields or an `@daily`-style word) is judged now.
    /// `-l`, `-r`, `-e` install nothing (`crontab -r` has a rule of its own).
    fn crontab(&mut self, args: &[String], stdin: &Input, notes: &[String], targets: &[String]) {
        use crate::analyze::options::{OptTable, val};
        const CRONTAB: OptTable = OptTable::new(&[val(Some('u'), ""), val(Some('c'), "")]);
        let (p, operands) = CRONTAB.parse_permuted(args);
        if p.has(&["-l", "-r", "-e", "-i", "-V", "-T"]) {
            return;
        }
        let table = match operands.first().map(String::as_str) {
            None | Some("-") => match stdin {
                Input::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Input::File(f) => self.cwd.and_then(|c| std::fs::read_to_string(c.join(f)).ok()),
                Input::Unseen | Input::Inherited => None,
            },
            Some(file) => self.cwd.and_then(|c| std::fs::read_to_string(c.join(file)).ok()),
        };
        let Some(table) = table else {
            self.out.unknown.push("`crontab` installs a table whose commands cannot be seen in advance".into());
            return;
        };
        let mut notes = notes.to_vec();
        notes.push("installed in the crontab: it runs later, on a schedule".into());
        for line in table.lines().map(str::trim) {
            // Comments, and `NAME=value` lines (the jobs' environment; a schedule's first
            // field never holds a `=`).
            let first = line.split_whitespace().next().unwrap_or("");
            if line.is_empty() || line.starts_with('#') || first.contains('=') {
                continue;
            }
            let fields = if line.starts_with('@') { 1 } else { 5 };
            let mut rest = line;
            for _ in 0..fields {
                rest = rest.trim_start().split_once(char::is_whitespace).map_or("", |(_, r)| r);
            }
            if rest.trim().is_empty() {
                continue;
            }
            self.nested(rest.trim(), &notes, targets, &Input::Inherited);
        }
    }

    /// Parse a shell string a command runs (`sh -c`, `ssh HOST '…'`) in turn.
    pub(super) fn nested(&mut self, text: &str, notes: &[String], targets: &[String], stdin: &Input) {
        let start = self.out.commands.len();
        let at = At { depth: self.depth + 1, cwd: self.cwd, env: self.env, registry: self.registry };
        parse_into(text, at, self.out, notes, stdin);
        for c in &mut self.out.commands[start..] {
            c.targets.extend(targets.iter().cloned());
        }
    }

    /// A shell that reads its commands from standard input.
    pub(super) fn shell_stdin(&mut self, name: &str, stdin: &Input, notes: &[String], targets: &[String]) {
        match stdin {
            Input::Bytes(b) => self.nested(&String::from_utf8_lossy(b), notes, targets, &Input::Inherited),
            Input::Unseen => {
                self.out.unknown.push(format!("`{name}` runs commands piped into it, which cannot be seen in advance"))
            }
            Input::File(f) => self.record_plain(
                vec!["sh".into(), f.clone()],
                Vec::new(),
                Input::Inherited,
                notes.to_vec(),
                targets.to_vec(),
            ),
            Input::Inherited => {}
        }
    }
}
