//! Database and cache clients: where their input comes from, and where it goes.
//!
//! psql, mysql/mariadb, sqlite3, redis-cli and mongosh each take statements from arguments,
//! files and standard input in their own order; this module gathers every source the real
//! client will read (following `\i`, `source`, `.read`) and runs the SQL scanner over it,
//! streaming, so a multi-gigabyte dump is read with bounded memory. Connection targets come
//! from argv, conninfo strings, URIs and the environment.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::argv;
use super::input;
use super::spec::ProgramSpec;
use super::sql::{Dialect, Directive, Scanner, Script, Session};
use crate::facts::{Facts, Statement, StatementKind};
use crate::invocation::Invocation;

/// How deep `\i` / `source` / `.read` may nest before interlock stops following.
const MAX_INCLUDE_DEPTH: usize = 8;

/// Where one piece of input comes from.
enum Source {
    Text(String),
    File(String),
    Stdin,
}

/// Scan `sources` in order, following includes, as one client session (what one input
/// defines, the next can use); statements, unknowns and targets go to `facts`.
fn scan_sources(inv: &Invocation, dialect: Dialect, sources: Vec<Source>, session: Session, facts: &mut Facts) {
    let mut session = session;
    for source in sources {
        let (script, base) = match source {
            Source::Text(t) => {
                let mut scanner = Scanner::with_session(dialect, session.clone());
                scanner.feed(t.as_bytes());
                (scanner.finish(), inv.cwd.clone())
            }
            Source::File(name) if name == "-" => (scan_stdin(inv, dialect, session.clone(), facts), inv.cwd.clone()),
            Source::File(name) => {
                let path = inv.resolve_path(&name);
                let base = path.parent().map(Path::to_path_buf).unwrap_or_else(|| inv.cwd.clone());
                match scan_file(inv, &path, dialect, session.clone()) {
                    Ok(s) => (s, base),
                    Err(e) => {
                        facts.unknown.push(e);
                        continue;
                    }
                }
            }
            Source::Stdin => (scan_stdin(inv, dialect, session.clone(), facts), inv.cwd.clone()),
        };
        session = absorb(inv, dialect, script, &base, 0, facts);
    }
}

/// Note when the commands a client reads on stdin come from a terminal, as typed.
fn note_terminal(inv: &Invocation, facts: &mut Facts) {
    if matches!(inv.stdin, crate::invocation::Stdin::Terminal) {
        facts.interactive = true;
    }
}

fn scan_stdin(inv: &Invocation, dialect: Dialect, session: Session, facts: &mut Facts) -> Script {
    note_terminal(inv, facts);
    let mut scanner = Scanner::with_session(dialect, session);
    if let Err(e) = input::stream_stdin(inv, &mut |chunk| scanner.feed(chunk)) {
        facts.unknown.push(e);
    }
    scanner.finish()
}

fn scan_file(inv: &Invocation, path: &Path, dialect: Dialect, session: Session) -> Result<Script, String> {
    let mut scanner = Scanner::with_session(dialect, session);
    input::stream_path(inv, path, &mut |chunk| scanner.feed(chunk))?;
    Ok(scanner.finish())
}

/// Record a script's findings and follow its includes; returns the session as it stands
/// after them.
fn absorb(inv: &Invocation, dialect: Dialect, script: Script, base: &Path, depth: usize, facts: &mut Facts) -> Session {
    facts.statements.extend(script.statements);
    facts.unknown.extend(script.unknown);
    let mut session = script.session;
    for d in script.directives {
        match d {
            Directive::Connect(words) => {
                for w in words.iter().filter(|w| *w != "-") {
                    add_pg_target(facts, w);
                }
            }
            Directive::Include { path, .. } if path == "-" => {
                let s = scan_stdin(inv, dialect, session.clone(), facts);
                session = absorb(inv, dialect, s, base, depth + 1, facts);
            }
            Directive::Include { path, relative } => {
                if depth >= MAX_INCLUDE_DEPTH {
                    facts.unknown.push(format!("scripts include each other more than {MAX_INCLUDE_DEPTH} levels deep"));
                    continue;
                }
                let full: PathBuf = if relative { base.join(&path) } else { inv.resolve_path(&path) };
                match scan_file(inv, &full, dialect, session.clone()) {
                    Ok(s) => {
                        let next_base = full.parent().map(Path::to_path_buf).unwrap_or_else(|| base.to_path_buf());
                        session = absorb(inv, dialect, s, &next_base, depth + 1, facts);
                    }
                    Err(e) => facts.unknown.push(format!("an included script {e}")),
                }
            }
        }
    }
    session
}

fn values<'a>(facts: &'a Facts, flags: &'a [&str]) -> impl Iterator<Item = &'a String> + 'a {
    facts.flag_values.iter().filter(move |(f, _)| flags.contains(&f.as_str())).map(|(_, v)| v)
}

/// psql: `-c`/`-f` in order, else stdin; `~/.psqlrc` unless `-X`.
pub(crate) fn psql(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    let informational = ["-l", "--list", "-V", "--version", "-?", "--help"].iter().any(|f| facts.has_flag(f));
    let mut sources = Vec::new();
    if !facts.has_flag("-X") && !facts.has_flag("--no-psqlrc") {
        let rc = inv.env.get("PSQLRC").or_else(|| inv.env.get("HOME").map(|h| format!("{h}/.psqlrc")));
        if let Some(rc) = rc.filter(|p| Path::new(p).is_file()) {
            sources.push(Source::File(rc));
        }
    }
    for (flag, value) in facts.flag_values.clone() {
        match flag.as_str() {
            "-c" | "--command" => sources.push(Source::Text(value)),
            "-f" | "--file" => sources.push(Source::File(value)),
            _ => {}
        }
    }
    let has_commands = values(&facts, &["-c", "--command", "-f", "--file"]).next().is_some();
    if !has_commands && !informational {
        sources.push(Source::Stdin);
    }
    // Targets: -h, -d / first operand (a name, conninfo or URI), then the environment.
    for v in values(&facts, &["-h", "--host", "-d", "--dbname"]).cloned().collect::<Vec<_>>() {
        add_pg_target(&mut facts, &v);
    }
    if let Some(first) = facts.command.first().cloned() {
        add_pg_target(&mut facts, &first);
    }
    for var in ["PGHOST", "PGHOSTADDR", "PGDATABASE", "PGSERVICE"] {
        if let Some(v) = inv.env.get(var) {
            add_pg_target(&mut facts, &v);
        }
    }
    // `-v name=value`, `--set`, `--variable`: psql variables for `:name` in the input.
    let vars: Vec<(String, String)> = facts
        .flag_values
        .iter()
        .filter(|(f, _)| matches!(f.as_str(), "-v" | "--set" | "--variable"))
        .filter_map(|(_, v)| v.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    scan_sources(inv, Dialect::Postgres, sources, Session::with_vars(&vars), &mut facts);
    facts
}

/// A psql target: a conninfo string, a URI, or a plain name.
fn add_pg_target(facts: &mut Facts, value: &str) {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        add_uri_target(facts, value);
    } else if value.contains('=') {
        for pair in conninfo(value) {
            if matches!(pair.0.as_str(), "host" | "hostaddr" | "dbname" | "service") {
                if pair.1.contains("://") {
                    add_uri_target(facts, &pair.1);
                } else {
                    facts.add_target(pair.1);
                }
            }
        }
    } else {
        facts.add_target(value);
    }
}

/// Host and database of a URI (credentials never become targets).
fn add_uri_target(facts: &mut Facts, uri: &str) {
    match url::Url::parse(uri) {
        Ok(u) => {
            if let Some(h) = u.host_str() {
                facts.add_target(h.to_string());
            }
            let db = u.path().trim_start_matches('/');
            if !db.is_empty() {
                facts.add_target(db.to_string());
            }
        }
        Err(_) => facts.unknown.push("a connection URI could not be parsed".into()),
    }
}

/// `key=value key='quoted value'` pairs of a libpq conninfo string.
fn conninfo(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| *c != '=' && !c.is_whitespace())).collect();
        if key.is_empty() {
            return out;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '=') {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
        }
        out.push((key, value));
    }
}

/// mysql / mariadb: `-e` statements, else stdin.
pub(crate) fn mysql(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    let mut sources: Vec<Source> = values(&facts, &["-e", "--execute"]).cloned().map(Source::Text).collect();
    let informational = ["-V", "--version", "-?", "--help"].iter().any(|f| facts.has_flag(f));
    if sources.is_empty() && !informational {
        sources.push(Source::Stdin);
    }
    for v in values(&facts, &["-h", "--host", "-D", "--database"]).cloned().collect::<Vec<_>>() {
        facts.add_target(v);
    }
    if let Some(db) = facts.command.first().cloned() {
        facts.add_target(db);
    }
    if let Some(h) = inv.env.get("MYSQL_HOST") {
        facts.add_target(h);
    }
    scan_sources(inv, Dialect::MySql, sources, Session::default(), &mut facts);
    facts
}

/// sqlite3: `-init FILE`, `-cmd` commands, then SQL arguments after the database file,
/// else stdin.
pub(crate) fn sqlite3(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    let mut sources = Vec::new();
    for (flag, value) in facts.flag_values.clone() {
        match flag.trim_start_matches('-') {
            "init" => sources.push(Source::File(value)),
            "cmd" => sources.push(Source::Text(value)),
            _ => {}
        }
    }
    let informational = ["-version", "--version", "-help", "--help"].iter().any(|f| facts.has_flag(f));
    let sql_args: Vec<String> = facts.command.iter().skip(1).cloned().collect();
    let db = facts.command.first().cloned();
    if let Some(db) = &db {
        facts.add_target(db.clone());
    }
    if sql_args.is_empty() && !informational {
        sources.push(Source::Stdin);
    }
    sources.extend(sql_args.into_iter().map(Source::Text));
    scan_sources(inv, Dialect::Sqlite, sources, Session::default(), &mut facts);
    // An in-memory database (`:memory:`, or no file) lives and dies with this session:
    // destroying what it created destroys nothing kept — unless the session reaches a file
    // (`ATTACH`, `.open`, `.restore` onto one).
    forget_memory_session(db.as_deref(), &mut facts);
    facts
}

/// Whether a database name is one that lives only for the session: none, `:memory:`, or a
/// URI with `:memory:` / `mode=memory` (SQLite, DuckDB).
pub(crate) fn in_memory(db: Option<&str>) -> bool {
    db.is_none_or(|d| {
        d.is_empty()
            || d == ":memory:"
            || d.starts_with("file::memory:")
            || (d.starts_with("file:") && d.contains("mode=memory"))
    })
}

/// A session on an in-memory database: destroying what it created destroys nothing kept —
/// unless it reaches a file (`ATTACH`, `.open`, `.restore` onto one, another target).
pub(crate) fn forget_memory_session(db: Option<&str>, facts: &mut Facts) {
    let reaches_file = facts.statements.iter().any(|s| s.kind == "attach" || s.kind == "restore")
        || facts.targets.iter().any(|t| Some(t.as_str()) != db);
    if in_memory(db) && !reaches_file {
        facts.statements.clear();
    }
    facts.statements.retain(|s| s.kind != "attach");
}

/// redis-cli: the command in argv, else one command a line on stdin.
pub(crate) fn redis_cli(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    for v in values(&facts, &["-h", "-u"]).cloned().collect::<Vec<_>>() {
        if v.contains("://") {
            if let Ok(u) = url::Url::parse(&v)
                && let Some(h) = u.host_str()
            {
                facts.add_target(h.to_string());
            }
        } else {
            facts.add_target(v);
        }
    }
    let informational =
        ["-v", "--version", "--help", "--stat", "--latency", "--bigkeys", "--scan"].iter().any(|f| facts.has_flag(f));
    let lua_file = values(&facts, &["--eval"]).next().cloned();
    if let Some(script) = lua_file {
        // `redis-cli --eval script.lua keys , args`: a Lua script file.
        match input::file(inv, &script) {
            Ok(t) => redis_lua(&t.text, &mut facts),
            Err(e) => facts.unknown.push(e),
        }
    } else if let Some(cmd) = facts.command.first().cloned() {
        let line = facts.command.join(" ");
        match cmd.to_ascii_uppercase().as_str() {
            "EVAL" | "EVAL_RO" if facts.has_flag("-x") => match input::stdin_text(inv) {
                Ok(t) => redis_lua(&t.text, &mut facts),
                Err(e) => facts.unknown.push(e),
            },
            "EVAL" | "EVAL_RO" => {
                let script = facts.command.get(1).cloned().unwrap_or_default();
                redis_lua(&script, &mut facts);
            }
            "EVALSHA" | "EVALSHA_RO" | "FCALL" | "FCALL_RO" => facts.unknown.push(format!(
                "`{cmd}` runs a script stored on the server, which cannot be seen from the command line"
            )),
            _ => redis_command(&cmd, &line, &mut facts.statements),
        }
    } else if !informational {
        note_terminal(inv, &mut facts);
        match input::stdin_text(inv) {
            Ok(t) => {
                for line in t.text.lines() {
                    if let Some(cmd) = line.split_whitespace().next() {
                        redis_command(cmd, line, &mut facts.statements);
                    }
                }
                if facts.has_flag("--pipe") {
                    // Raw protocol: commands are bulk strings on their own lines.
                    for line in t.text.lines() {
                        redis_command(line.trim(), line, &mut facts.statements);
                    }
                }
                if t.truncated {
                    facts.unknown.push("the commands on standard input are too large to read whole".into());
                }
            }
            Err(e) => facts.unknown.push(e),
        }
    }
    facts
}

/// The `redis.call`/`redis.pcall` commands of a Lua script: flushes, and deletes of keys a
/// `KEYS`/`SCAN` pattern found (every key matching it).
fn redis_lua(script: &str, facts: &mut Facts) {
    static CALL: LazyLock<Regex> =
        LazyLock::new(|| crate::static_regex(r#"(?i)redis\s*\.\s*p?call\s*\(\s*['"]([A-Za-z]+)['"]"#));
    let called: Vec<String> = CALL.captures_iter(script).map(|c| c[1].to_ascii_uppercase()).collect();
    for cmd in &called {
        redis_command(cmd, &format!("redis.call('{cmd}') in a Lua script"), &mut facts.statements);
    }
    let finds = called.iter().any(|c| c == "KEYS" || c == "SCAN");
    let deletes = called.iter().any(|c| c == "DEL" || c == "UNLINK");
    if finds && deletes {
        facts.statements.push(Statement {
            kind: StatementKind::DeletePattern,
            object: None,
            text: "a Lua script deletes every key a KEYS/SCAN pattern matches".into(),
        });
    }
    static DYNAMIC: LazyLock<Regex> =
        LazyLock::new(|| crate::static_regex(r#"(?i)redis\s*\.\s*p?call\s*\(\s*[^'"\s]"#));
    if DYNAMIC.is_match(script) {
        facts.unknown.push("a Lua script calls Redis with a command computed at run time".into());
    }
}

fn redis_command(cmd: &str, line: &str, out: &mut Vec<Statement>) {
    let kind = match cmd.to_ascii_uppercase().as_str() {
        "FLUSHALL" => StatementKind::Flushall,
        "FLUSHDB" => StatementKind::Flushdb,
        _ => return,
    };
    if !out.iter().any(|s| s.kind == kind) {
        out.push(Statement { kind, object: None, text: line.trim().to_string() });
    }
}

/// mongosh / mongo: `--eval`, `--file`, `.js` operands, else stdin.
pub(crate) fn mongosh(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    let mut texts: Vec<String> = values(&facts, &["--eval"]).cloned().collect();
    let mut files: Vec<String> = values(&facts, &["--file", "-f"]).cloned().collect();
    for operand in facts.command.clone() {
        if operand.ends_with(".js") || operand.ends_with(".mongodb") {
            files.push(operand);
        } else if operand.starts_with("mongodb://") || operand.starts_with("mongodb+srv://") {
            add_uri_target(&mut facts, &operand);
        } else {
            facts.add_target(operand);
        }
    }
    for h in values(&facts, &["--host"]).cloned().collect::<Vec<_>>() {
        facts.add_target(h);
    }
    for f in &files {
        match input::file(inv, f) {
            Ok(t) => texts.push(t.text),
            Err(e) => facts.unknown.push(e),
        }
    }
    let informational = ["--version", "--help", "-h"].iter().any(|f| facts.has_flag(f));
    if texts.is_empty() && files.is_empty() && !informational {
        note_terminal(inv, &mut facts);
        match input::stdin_text(inv) {
            Ok(t) => texts.push(t.text),
            Err(e) => facts.unknown.push(e),
        }
    }
    for t in &texts {
        mongo_script(t, &mut facts.statements);
    }
    facts
}

/// Destructive calls in mongo shell JavaScript.
fn mongo_script(js: &str, out: &mut Vec<Statement>) {
    static PATTERNS: LazyLock<Vec<(Regex, StatementKind)>> = LazyLock::new(|| {
        [
            (r"\.\s*dropDatabase\s*\(", StatementKind::DropDatabase),
            (r"\.\s*drop\s*\(", StatementKind::Drop),
            (r#"(runCommand|adminCommand)\s*\(\s*\{\s*['"]?dropDatabase['"]?\s*:"#, StatementKind::DropDatabase),
            (r#"(runCommand|adminCommand)\s*\(\s*\{\s*['"]?drop['"]?\s*:"#, StatementKind::Drop),
            (
                r#"bulkWrite\s*\((?s:.)*?deleteMany['"]?\s*:\s*\{\s*['"]?filter['"]?\s*:\s*\{\s*\}"#,
                StatementKind::DeleteAll,
            ),
            (r"\.\s*dropCollection\s*\(", StatementKind::Drop),
            (r#"\.\s*(deleteMany|remove)\s*\(\s*(\{\s*\})?\s*[,)]"#, StatementKind::DeleteAll),
            (r#"\.\s*updateMany\s*\(\s*\{\s*\}\s*,"#, StatementKind::UpdateAll),
            (r"\.\s*dropAllUsers\s*\(", StatementKind::DropOther),
        ]
        .into_iter()
        .map(|(p, k)| (crate::static_regex(p), k))
        .collect()
    });
    let code = strip_js_comments(js);
    for (re, kind) in PATTERNS.iter() {
        if let Some(m) = re.find(&code) {
            let start = code[..m.start()].rfind([';', '\n']).map_or(0, |i| i + 1);
            let end = code[m.end()..].find([';', '\n']).map_or(code.len(), |i| m.end() + i);
            out.push(Statement { kind: *kind, object: None, text: code[start..end].trim().to_string() });
        }
    }
}

/// JavaScript without `//` and `/* */` comments (strings kept).
fn strip_js_comments(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut chars = js.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
                out.push(' ');
            }
            ('"' | '\'' | '`', _) => {
                quote = Some(c);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the built-in tables, each `-c`/`--command` and `-f`/`--file` is run once, in
    /// order, whichever spelling is written (a row's spellings must not repeat its value).
    #[test]
    fn each_command_and_file_is_read_once() {
        let dir = std::env::temp_dir().join(format!("interlock-clients-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("q.sql"), "TRUNCATE orders;").unwrap();
        let inv = crate::engine::example_invocation(
            "psql --command 'DROP TABLE a' -f q.sql -c 'DELETE FROM b' --file=q.sql",
            None,
            &dir,
        )
        .unwrap();
        let rules = crate::rules::RuleSet::for_program("psql");
        let facts = psql(&inv, rules.program("psql"));
        let kinds: Vec<String> = facts.statements.iter().map(|s| format!("{:?}", s.kind)).collect();
        assert_eq!(kinds.len(), 4, "{kinds:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn conninfo_pairs() {
        assert_eq!(
            conninfo("host=prod-db dbname = 'my app' password=x"),
            [("host".into(), "prod-db".into()), ("dbname".into(), "my app".into()), ("password".into(), "x".into())]
        );
    }

    #[test]
    fn mongo_patterns() {
        let kinds = |js: &str| {
            let mut out = Vec::new();
            mongo_script(js, &mut out);
            out.into_iter().map(|s| s.kind).collect::<Vec<_>>()
        };
        assert_eq!(kinds("db.dropDatabase()"), ["drop_database"]);
        assert_eq!(kinds("db.users.drop()"), ["drop"]);
        assert_eq!(kinds("db.users.deleteMany({})"), ["delete_all"]);
        assert_eq!(kinds("db.users.deleteMany( { } )"), ["delete_all"]);
        assert!(kinds("db.users.deleteMany({ age: { $lt: 18 } })").is_empty());
        assert!(kinds("// db.dropDatabase()\ndb.users.find()").is_empty());
        assert!(kinds("db.users.find({ drop: 1 })").is_empty());
    }
}
