//! Interpreter code: one-liners (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`,
//! `deno eval`), code on stdin (`python3 - <<EOF`, `python3 < f`, `cat f | node -`), and
//! script files (`python3 cleanup.py`, `node wipe.mjs`, `rails runner fix.rb`).
//!
//! interlock does not run or fully parse the code. It reads the code's string literals (in
//! each language's own forms, `lexer`) and its calls (`calls`), and looks for what the
//! analyzers already understand: a GraphQL document or a JSON body with a `query`, an SQL
//! statement, a URL sent with an HTTP DELETE, a command line for a guarded program
//! (`subprocess.run(["psql", "-c", …])`, `os.system("…")`), a delete through the language's
//! library, an ORM or a cloud SDK. What the code reads as its payload is read too: a file
//! named by a literal (`open("q.graphql").read()`), a variable (`os.environ["Q"]`), and
//! code it runs from the project (`exec(open("f").read())`, `import("./f.mjs")`, a local
//! module). Each finding becomes an ordinary command (`curl …`, `psql -c …`) judged by the
//! usual rules, with a note saying where it came from. Code that reaches the network, a
//! database or a tree delete with a target built at run time is "cannot see"; plain code
//! with nothing found has nothing to judge.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::options::{OptTable, val};
use crate::analyze::spec::{Console, Language};

mod calls;
mod lexer;

/// How many files one scan reads (scripts it runs, payloads it reads), and how deep code
/// that runs other code is followed.
const MAX_FILES: usize = 16;
const MAX_DEPTH: usize = 4;
/// The longest file a scan reads; a longer script is "cannot see".
pub(crate) const MAX_FILE: u64 = 4 << 20;

/// Where the code of an interpreter call is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Code {
    Inline(String),
    Stdin,
    /// A script file (`python3 cleanup.py`), as named.
    File(String),
    /// A Python module run with `-m` (`python3 -m tools.cleanup`).
    Module(String),
}

/// The language's name, as notes give it.
pub(crate) fn name(lang: Language) -> &'static str {
    match lang {
        Language::Python => "Python",
        Language::Javascript | Language::Deno => "JavaScript",
        Language::Ruby => "Ruby",
        Language::Perl => "Perl",
        Language::Php => "PHP",
        Language::Lua => "Lua",
        Language::Awk => "awk",
    }
}

/// The language of the code an interpreter call runs and where that code is: inline, on
/// stdin, in a script file or a module. `lang` and `console` are the program's (its registry entry).
pub(crate) fn code(lang: Option<Language>, console: Option<Console>, args: &[String]) -> Option<(Language, Code)> {
    let first = args.first().map(|a| a.trim_start_matches("./"));
    let framework = console.is_some()
        || matches!(
            (lang, first),
            (Some(Language::Python), Some("manage.py")) | (Some(Language::Php), Some("artisan"))
        );
    if framework {
        return framework_console(lang, console, args);
    }
    let lang = lang?;
    let flags: &[&str] = match lang {
        Language::Python => &["-c"],
        Language::Deno => {
            return match args {
                [eval, code, ..] if eval == "eval" => Some((lang, Code::Inline(code.clone()))),
                [run, rest @ ..] if run == "run" => {
                    rest.iter().find(|a| !a.starts_with('-')).map(|f| (lang, Code::File(f.clone())))
                }
                _ => None,
            };
        }
        Language::Javascript => &["-e", "-p", "--eval", "--print"],
        Language::Ruby => &["-e"],
        Language::Perl => &["-e", "-E"],
        Language::Php => &["-r", "--run"],
        Language::Lua => &["-e"],
        // awk's program is its first operand (unless `-f FILE` names one).
        Language::Awk => {
            const AWK: OptTable =
                OptTable::new(&[val(Some('F'), "field-separator"), val(Some('v'), "assign"), val(Some('f'), "file")]);
            let p = AWK.parse(args);
            if let Some(file) = p.value(&["-f", "--file"]) {
                return Some((lang, Code::File(file.to_string())));
            }
            return args.get(p.rest).map(|prog| (lang, Code::Inline(prog.clone())));
        }
    };
    // Options that take a value (so it is not taken for a script), and those that run a
    // module instead of inline code.
    let (valued, module): (&[&str], &[&str]) = match lang {
        Language::Python => (&["-W", "-X", "--check-hash-based-pycs"], &["-m"]),
        Language::Javascript | Language::Deno => {
            (&["-r", "--require", "--import", "--loader", "--env-file", "-C", "--conditions", "--tsconfig"], &[])
        }
        Language::Ruby => (&["-I", "-r", "-C", "-E"], &[]),
        Language::Perl => (&["-I", "-M", "-m"], &[]),
        Language::Php => (&["-c", "-d", "-z"], &[]),
        Language::Lua => (&["-l"], &[]),
        Language::Awk => (&[], &[]),
    };
    // `bun run wipe.ts` / `bun wipe.ts` (a package script of that name is a task: `project`).
    let args = match args {
        [run, rest @ ..] if lang == Language::Javascript && run == "run" => rest,
        _ => args,
    };
    match inline_code(args, flags, valued, module)? {
        // `python -W ignore manage.py flush`: the framework's commands have rules of their own.
        Code::File(f) if f.ends_with("manage.py") => None,
        code => Some((lang, code)),
    }
}

/// Where the code is among `args`: after one of `flags` (`-c CODE`, `-cCODE`, `--eval=CODE`),
/// on stdin (`-`, or no script at all), in a script file, or in a module (`-m`).
fn inline_code(args: &[String], flags: &[&str], valued: &[&str], module: &[&str]) -> Option<Code> {
    let mut inline: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if flags.contains(&a.as_str()) {
            inline.extend(args.get(i + 1).cloned());
            i += 2;
            continue;
        }
        let attached = flags.iter().find_map(|f| {
            a.strip_prefix(&format!("{f}=")).or_else(|| a.strip_prefix(*f).filter(|r| f.len() == 2 && !r.is_empty()))
        });
        if let Some(rest) = attached {
            inline.push(rest.to_string());
            i += 1;
            continue;
        }
        if module.contains(&a.as_str()) {
            if inline.is_empty() {
                return args.get(i + 1).map(|m| Code::Module(m.clone()));
            }
            break;
        }
        if a == "--" {
            if inline.is_empty() {
                return args.get(i + 1).map(|f| Code::File(f.clone()));
            }
            break;
        }
        if a == "-" {
            return Some(Code::Stdin);
        }
        if !a.starts_with('-') {
            // A script file, or the code's own arguments after the inline code.
            if inline.is_empty() {
                return Some(Code::File(a.clone()));
            }
            break;
        }
        i += if valued.contains(&a.as_str()) { 2 } else { 1 };
    }
    if !inline.is_empty() {
        return Some(Code::Inline(inline.join("\n")));
    }
    // `python` / `node` with no script reads the program from stdin.
    (args.iter().all(|a| a.starts_with('-') && !module.contains(&a.as_str()))).then_some(Code::Stdin)
}

/// Framework consoles that run code in the application, with its database connection:
/// `rails runner CODE`, `rails console` (code on stdin), `manage.py shell -c CODE` /
/// `manage.py shell` (stdin), `artisan tinker --execute=CODE` / `artisan tinker` (stdin) —
/// also as `python manage.py …` and `php artisan …`.
fn framework_console(lang: Option<Language>, console: Option<Console>, args: &[String]) -> Option<(Language, Code)> {
    let first = args.first().map(|a| a.trim_start_matches("./"));
    let (console, rest) = match (console, lang, first) {
        (Some(c), _, _) => (c, args),
        (None, Some(Language::Python), Some("manage.py")) => (Console::Django, &args[1..]),
        (None, Some(Language::Php), Some("artisan")) => (Console::Artisan, &args[1..]),
        _ => return None,
    };
    let sub = rest.first().map(String::as_str)?;
    let after = &rest[1..];
    // The console options that carry code (`shell -c CODE`, `tinker --execute=CODE`).
    const CODE_OPTS: OptTable = OptTable::new(&[val(Some('c'), "command"), val(None, "execute")]);
    let (opts, _) = CODE_OPTS.parse_permuted(after);
    let valued = |names: &[&str]| opts.value(names).map(str::to_string);
    match (console, sub) {
        // `rails runner FILE.rb` runs a file; anything else is code.
        (Console::Rails, "runner" | "r") => {
            let code = after.iter().find(|a| !a.starts_with('-'))?;
            let code = if code.ends_with(".rb") { Code::File(code.clone()) } else { Code::Inline(code.clone()) };
            Some((Language::Ruby, code))
        }
        (Console::Rails, "console" | "c") => Some((Language::Ruby, Code::Stdin)),
        (Console::Django, "shell" | "shell_plus") => {
            Some((Language::Python, valued(&["-c", "--command"]).map_or(Code::Stdin, Code::Inline)))
        }
        (Console::Artisan, "tinker") => Some((Language::Php, valued(&["--execute"]).map_or(Code::Stdin, Code::Inline))),
        _ => None,
    }
}

/// A command found in the code, to be judged like one written in the shell string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    Argv(Vec<String>),
    Shell(String),
}

/// What a scan may consult beyond the code itself.
pub(crate) struct Sources<'a> {
    /// Whether interlock guards a program (a literal naming it is a command line).
    pub guarded: &'a dyn Fn(&str) -> bool,
    /// A file's text, by the path the code names it with (relative to the working
    /// directory): `Ok(None)` when there is no such file.
    pub file: &'a dyn Fn(&Path) -> Result<Option<String>, String>,
    /// An environment variable the code reads.
    pub var: &'a dyn Fn(&str) -> Option<String>,
}

/// What a scan found: the commands the code stands for, and what it could not see.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Scan {
    pub found: Vec<Found>,
    pub unknown: Vec<String>,
}

/// What `code` (in `lang`, from the file `origin` if it is a script file) would do,
/// including the code and payload files it reads.
pub(crate) fn scan(lang: Language, code: &str, origin: Option<&Path>, sources: &Sources<'_>) -> Scan {
    let mut scanner = Scanner { sources, read: Vec::new(), out: Scan::default() };
    scanner.code(lang, code, origin, 0);
    scanner.out
}

/// The language a file's name says it is written in.
pub(crate) fn language_of(path: &Path) -> Option<Language> {
    Some(match path.extension()?.to_str()? {
        "py" => Language::Python,
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" | "jsx" | "tsx" => Language::Javascript,
        "rb" => Language::Ruby,
        "pl" | "pm" => Language::Perl,
        "php" => Language::Php,
        "lua" => Language::Lua,
        "awk" => Language::Awk,
        _ => return None,
    })
}

/// Whether a script is part of an installed package, not the project's own code (npm's
/// and pip's entry points, a tool under `node_modules`): interlock judges what the project
/// and the agent wrote; installed tools are judged by what they are asked to do.
pub(crate) fn installed(path: &Path) -> bool {
    const SYSTEM: &[&str] = &["/usr/", "/opt/", "/nix/", "/snap/", "/Library/", "/System/", "/Applications/"];
    let text = path.to_string_lossy();
    SYSTEM.iter().any(|p| text.starts_with(p))
        || path.components().any(|c| {
            matches!(
                c.as_os_str().to_str(),
                Some("node_modules" | "site-packages" | "dist-packages" | ".cargo" | ".rustup")
            )
        })
}

struct Scanner<'s, 'a> {
    sources: &'s Sources<'a>,
    /// The files read so far (each once).
    read: Vec<PathBuf>,
    out: Scan,
}

impl Scanner<'_, '_> {
    fn code(&mut self, lang: Language, code: &str, origin: Option<&Path>, depth: usize) {
        let tokens = lexer::tokens(code, lang);
        let mut strings: Vec<String> = lexer::strings(&tokens).into_iter().map(str::to_string).collect();
        let dir = origin.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
        // Payloads: files read by a literal name (a code file among them is code it runs),
        // and variables.
        for (path, runs) in files_named(code, lang, &dir) {
            let Some(text) = self.file(&path) else { continue };
            match language_of(&path) {
                Some(l) if depth < MAX_DEPTH => self.code(l, &text, Some(&path), depth + 1),
                Some(_) => {
                    self.out.unknown.push(format!("code runs code from {} too deeply to follow", path.display()))
                }
                None if runs && path.extension().is_none() => self.code(lang, &text, Some(&path), depth + 1),
                None => strings.push(text),
            }
        }
        strings.extend(variables(code).filter_map(|name| (self.sources.var)(name)));
        let literals: Vec<&str> = strings.iter().map(String::as_str).collect();
        let guarded = self.sources.guarded;
        self.out.found.extend(calls::literals(code, &literals, guarded));
        self.out.found.extend(calls::library_deletes(code));
        self.out.found.extend(calls::sdk_deletes(code));
        self.out.found.extend(calls::argv_lists(&tokens, guarded));
        let what = match origin {
            Some(p) => format!("the {} script {}", name(lang), p.display()),
            None => format!("the {} code it runs", name(lang)),
        };
        for why in calls::unseen(code, &literals) {
            self.out.unknown.push(format!("{what} {why}; interlock cannot see what"));
        }
    }

    /// A file the code reads or runs, once; `None` when it is not there, already read, or
    /// cannot be read (then "cannot see").
    fn file(&mut self, path: &Path) -> Option<String> {
        if self.read.iter().any(|p| p == path) {
            return None;
        }
        match (self.sources.file)(path) {
            Ok(None) => None,
            Ok(Some(_)) if self.read.len() >= MAX_FILES => {
                self.out.unknown.push("the code reads or runs more files than interlock follows".into());
                None
            }
            Ok(Some(text)) => {
                self.read.push(path.to_path_buf());
                Some(text)
            }
            Err(e) => {
                self.out.unknown.push(format!("a file the code reads or runs cannot be read ({e})"));
                None
            }
        }
    }
}

/// The files code names with literals and reads or runs, relative to the working
/// directory, each with whether it is code the program runs: `open("q.graphql")`,
/// `readFileSync("body.json")`, `File.read("q.sql")`, `file_get_contents(…)`;
/// `exec(open("f.py").read())`, `require("./lib")`, `import("./f.mjs")`, `require_relative`,
/// Perl `do`, PHP `include`, Lua `dofile`, and Python modules next to the script.
fn files_named(code: &str, lang: Language, dir: &Path) -> Vec<(PathBuf, bool)> {
    static READS: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(
            r#"(?:\bopen|\bio\.open|readFileSync|\breadFile|readTextFile(?:Sync)?|Bun\.file|File\.read|IO\.read|File\.open|file_get_contents|run_path)\s*\(\s*['"`]([^'"`\n]+)['"`]|Path\(\s*['"]([^'"\n]+)['"]\s*\)\s*\.\s*read_(?:text|bytes)|\bopen\s*\(?\s*(?:my\s+)?\$\w+\s*,\s*['"]<['"]\s*,\s*['"]([^'"\n]+)['"]"#,
        )
    });
    static RUNS: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(
            r#"(?:\brequire|\bimport)\s*\(\s*['"`](\.{1,2}/[^'"`]+)['"`]|\bfrom\s+['"](\.{1,2}/[^'"]+)['"]|(?m:^\s*import\s+['"](\.{1,2}/[^'"]+)['"])|\b(?:require_relative|load)\s*\(?\s*['"]([^'"]+)['"]|\b(?:do|require)\s*\(?\s*['"]([^'"]+\.p[lm])['"]|\b(?:require|include)(?:_once)?\s*\(?\s*['"]([^'"]+\.php)['"]|\b(?:dofile|loadfile)\s*\(\s*['"]([^'"]+)['"]"#,
        )
    });
    const READ_WORDS: &[&str] = &[
        "open",
        "readFile",
        "readTextFile",
        "Bun.file",
        "File.read",
        "IO.read",
        "file_get_contents",
        "run_path",
        "read_text",
        "read_bytes",
    ];
    let first = |c: regex::Captures<'_>| c.iter().skip(1).flatten().next().map(|m| m.as_str().to_string());
    let mut out: Vec<(PathBuf, bool)> = Vec::new();
    if calls::mentions(code, READ_WORDS) {
        out.extend(READS.captures_iter(code).filter_map(first).map(|p| (PathBuf::from(p), false)));
    }
    let runs_others = lang != Language::Python
        && calls::mentions(code, &["require", "import", "load", "do", "include", "dofile", "loadfile"]);
    let included: Vec<String> =
        if runs_others { RUNS.captures_iter(code).filter_map(first).collect() } else { Vec::new() };
    for rel in included {
        let base = dir.join(&rel);
        let suffixes: &[&str] = match lang {
            Language::Javascript | Language::Deno => &["", ".js", ".mjs", ".cjs", ".ts", "/index.js", "/index.ts"],
            Language::Ruby => &["", ".rb"],
            _ => &[""],
        };
        out.extend(suffixes.iter().map(|s| (PathBuf::from(format!("{}{s}", base.display())), true)));
    }
    if lang == Language::Python {
        for module in python_imports(code) {
            let rel = module.trim_start_matches('.').replace('.', "/");
            if rel.is_empty() {
                continue;
            }
            out.push((dir.join(format!("{rel}.py")), true));
            out.push((dir.join(rel).join("__init__.py"), true));
        }
    }
    out
}

/// The modules a Python file imports by name (`import a.b, c`, `from .a import x`): the
/// first word after `import` or `from` at the start of a line.
fn python_imports(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines().map(str::trim_start) {
        if let Some(rest) = line.strip_prefix("from ") {
            out.extend(rest.split_whitespace().next().map(str::to_string));
        } else if let Some(rest) = line.strip_prefix("import ") {
            out.extend(rest.split(',').filter_map(|m| m.split_whitespace().next()).map(str::to_string));
        }
    }
    out.retain(|m| m.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') && !m.is_empty());
    out
}

/// The environment variables code reads by a literal name: `os.environ["Q"]`,
/// `os.getenv("Q")`, `process.env.Q`, `ENV["Q"]`, `$ENV{Q}`, `getenv("Q")`, `Deno.env.get`.
fn variables(code: &str) -> impl Iterator<Item = &str> {
    static VARS: LazyLock<Regex> = LazyLock::new(|| {
        crate::static_regex(
            r#"os\.environ\s*\[\s*['"](\w+)['"]|os\.environ\.get\(\s*['"](\w+)['"]|\bgetenv\(\s*['"](\w+)['"]|process\.env\.(\w+)|process\.env\[\s*['"](\w+)['"]|\bENV\[\s*['"](\w+)['"]|ENV\.fetch\(\s*['"](\w+)['"]|\$ENV\{\s*['"]?(\w+)['"]?\s*\}|Deno\.env\.get\(\s*['"](\w+)['"]|Bun\.env\.(\w+)"#,
        )
    });
    let reads = calls::mentions(code, &["environ", "getenv", "process.env", "ENV", "Deno.env", "Bun.env"]);
    let names: Vec<&str> = if reads {
        VARS.captures_iter(code).filter_map(|c| c.iter().skip(1).flatten().next().map(|m| m.as_str())).collect()
    } else {
        Vec::new()
    };
    names.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Registry;

    fn guarded(p: &str) -> bool {
        matches!(p, "psql" | "kubectl" | "curl" | "railway")
    }

    fn found(program: &str, code: &str) -> Vec<Found> {
        let (lang, _) = Registry::default().language(program);
        let sources = Sources { guarded: &guarded, file: &|_| Ok(None), var: &|_| None };
        scan(lang.unwrap_or(Language::Python), code, None, &sources).found
    }

    /// `code` for the program's registry entry, with the language's name.
    fn code(program: &str, args: &[String]) -> Option<(&'static str, Code)> {
        let (lang, console) = Registry::default().language(program);
        super::code(lang, console, args).map(|(lang, code)| (name(lang), code))
    }

    #[test]
    fn where_the_code_is() {
        let w = |s: &str| shell_words::split(s).unwrap();
        assert_eq!(code("python3", &w("-c 'print(1)'")), Some(("Python", Code::Inline("print(1)".into()))));
        assert_eq!(code("python3.12", &w("-u -c x")), Some(("Python", Code::Inline("x".into()))));
        assert_eq!(code("python", &w("-")), Some(("Python", Code::Stdin)));
        assert_eq!(code("python", &[]), Some(("Python", Code::Stdin)));
        assert_eq!(code("python", &w("manage.py flush")), None);
        assert_eq!(code("python", &w("-W ignore manage.py flush")), None);
        assert_eq!(code("python", &w("-m json.tool")), Some(("Python", Code::Module("json.tool".into()))));
        assert_eq!(code("python3", &w("-u cleanup.py --yes")), Some(("Python", Code::File("cleanup.py".into()))));
        assert_eq!(code("node", &w("-e 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("node", &w("--eval='x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("deno", &w("eval 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("bun", &w("-e 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("ruby", &w("-e a -e b")), Some(("Ruby", Code::Inline("a\nb".into()))));
        assert_eq!(code("perl", &w("-E 'say 1'")), Some(("Perl", Code::Inline("say 1".into()))));
        assert_eq!(code("php", &w("-r 'x();'")), Some(("PHP", Code::Inline("x();".into()))));
        assert_eq!(code("node", &w("--require x server.js")), Some(("JavaScript", Code::File("server.js".into()))));
        assert_eq!(code("deno", &w("run -A wipe.ts")), Some(("JavaScript", Code::File("wipe.ts".into()))));
        assert_eq!(code("lua", &w("-e 'x()'")), Some(("Lua", Code::Inline("x()".into()))));
        assert_eq!(code("awk", &w("-F: '{print $1}' /etc/passwd")), Some(("awk", Code::Inline("{print $1}".into()))));
        assert_eq!(code("awk", &w("-f prog.awk data")), Some(("awk", Code::File("prog.awk".into()))));
        assert_eq!(
            code("rails", &w("runner 'User.delete_all'")),
            Some(("Ruby", Code::Inline("User.delete_all".into())))
        );
        assert_eq!(code("rails", &w("runner script/fix.rb")), Some(("Ruby", Code::File("script/fix.rb".into()))));
        assert_eq!(code("rails", &w("console")), Some(("Ruby", Code::Stdin)));
        assert_eq!(code("rails", &w("server")), None);
        assert_eq!(code("python3", &w("manage.py shell -c 'x()'")), Some(("Python", Code::Inline("x()".into()))));
        assert_eq!(code("python", &w("manage.py shell")), Some(("Python", Code::Stdin)));
        assert_eq!(code("manage.py", &w("shell --command=x")), Some(("Python", Code::Inline("x".into()))));
        assert_eq!(code("php", &w("artisan tinker --execute='x()'")), Some(("PHP", Code::Inline("x()".into()))));
        assert_eq!(code("php", &w("artisan migrate")), None);
        assert_eq!(code("cargo", &w("-c x")), None);
    }

    #[test]
    fn the_incident_in_python() {
        let code = r#"import requests
requests.post("https://backboard.railway.com/graphql/v2", headers={"Authorization": "Bearer x"},
    json={'query': 'mutation { volumeDelete(volumeId: "v1") }'})"#;
        let f = found("python3", code);
        assert!(
            f.iter().any(|x| matches!(x, Found::Argv(a) if a[3] == "https://backboard.railway.com/graphql/v2" && a[5].contains("volumeDelete"))),
            "{f:?}"
        );
    }

    #[test]
    fn sql_urls_and_commands() {
        let f = found("python", "import psycopg; c.execute('DROP TABLE users')");
        assert_eq!(f, [Found::Argv(vec!["psql".into(), "-c".into(), "DROP TABLE users".into()])]);
        let f = found("node", "fetch('https://api.example.com/v1/db/1', {method: 'DELETE'}) // 'DROP TABLE x'");
        assert_eq!(
            f,
            [Found::Argv(vec!["curl".into(), "-X".into(), "DELETE".into(), "https://api.example.com/v1/db/1".into()])]
        );
        let f = found("python", "import subprocess; subprocess.run(['kubectl', 'delete', 'ns', 'prod'])");
        assert_eq!(f, [Found::Argv(vec!["kubectl".into(), "delete".into(), "ns".into(), "prod".into()])]);
        let f = found("ruby", "system(\"psql -c 'DROP DATABASE shop'\")");
        assert_eq!(f, [Found::Shell("psql -c 'DROP DATABASE shop'".into())]);
        let f = found("node", "require('child_process').execSync(\"\\x70sql -c 'TRUNCATE t'\")");
        assert_eq!(f, [Found::Shell("psql -c 'TRUNCATE t'".into())]);
        let rm = |p: &str| Found::Argv(vec!["rm".into(), "-rf".into(), p.into()]);
        assert_eq!(found("python3", "import shutil; shutil.rmtree('/srv/uploads')"), [rm("/srv/uploads")]);
        assert_eq!(
            found("node", "require('fs').rmSync('/srv/data', {recursive: true, force: true})"),
            [rm("/srv/data")]
        );
        assert_eq!(found("ruby", "require 'fileutils'; FileUtils.rm_rf(\"/srv/data\")"), [rm("/srv/data")]);
        assert_eq!(found("perl", "use File::Path; rmtree(\"/srv/data\")"), [rm("/srv/data")]);
        let rm_f = |p: &str| Found::Argv(vec!["rm".into(), "-f".into(), p.into()]);
        assert_eq!(found("node", "require('fs').rmSync('notes.txt')"), []);
        assert_eq!(found("node", "require('fs').unlinkSync('prod.db')"), [rm_f("prod.db")]);
        assert_eq!(found("python3", "import os; os.remove('prod.db')"), [rm_f("prod.db")]);
        assert_eq!(found("python3", "from pathlib import Path; Path('prod.db').unlink()"), [rm_f("prod.db")]);
        assert_eq!(found("perl", "unlink glob(\"*.db\")"), [rm_f("*.db")]);
        assert_eq!(found("php", "unlink(\"prod.db\");"), [rm_f("prod.db")]);
        assert_eq!(
            found("node", "await Deno.remove('/srv/data', { recursive: true })"),
            [Found::Argv(vec!["rm".into(), "-rf".into(), "/srv/data".into()])]
        );
        assert_eq!(
            found("lua", "os.execute(\"psql -c 'DROP TABLE t'\") -- psql -c x"),
            [Found::Shell("psql -c 'DROP TABLE t'".into())]
        );
        assert_eq!(
            found("awk", "BEGIN { system(\"psql -c 'DROP TABLE t'\") } # x"),
            [Found::Shell("psql -c 'DROP TABLE t'".into())]
        );
        let del = |sql: &str| Found::Argv(vec!["psql".into(), "-c".into(), sql.into()]);
        assert_eq!(found("rails", "User.delete_all"), [del("DELETE FROM User")]);
        assert_eq!(found("rails", "Order.all.destroy_all; puts 1"), [del("DELETE FROM Order")]);
        assert_eq!(
            found("python", "from app.models import User; User.objects.all().delete()"),
            [del("DELETE FROM User")]
        );
        assert_eq!(found("python", "session.query(User).delete()"), [del("DELETE FROM User")]);
        assert_eq!(found("php", "App\\Models\\User::truncate()"), [del("TRUNCATE User")]);
        assert_eq!(found("php", "DB::table('users')->delete()"), [del("DELETE FROM users")]);
        assert_eq!(found("node", "await prisma.user.deleteMany()"), [del("DELETE FROM user")]);
        assert_eq!(found("node", "await User.deleteMany({})"), [del("DELETE FROM User")]);
        // Scoped deletes are not every row.
        assert!(found("python", "User.objects.filter(id=3).delete()").is_empty());
        assert!(found("node", "await prisma.user.deleteMany({ where: { id: 3 } })").is_empty());
        assert!(found("python", "session.query(User).filter(User.id == 3).delete()").is_empty());
        // Nothing the analyzers understand: nothing to judge.
        assert!(found("python", "print('delete me'); import json; json.dumps({'a': 1})").is_empty());
        assert!(found("node", "console.log('select a value from the list')").is_empty());
        assert!(found("python", "requests.get('https://api.example.com/v1/items')").is_empty());
    }

    /// Scan `code` with `files` as the files there and `vars` as the environment.
    fn scanned(lang: Language, code: &str, files: &[(&str, &str)], vars: &[(&str, &str)]) -> Scan {
        let file = |p: &Path| Ok(files.iter().find(|(n, _)| Path::new(n) == p).map(|(_, t)| t.to_string()));
        let var = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string());
        let sources = Sources { guarded: &guarded, file: &file, var: &var };
        scan(lang, code, None, &sources)
    }

    fn graphql_mutation(s: &Scan) -> bool {
        s.found.iter().any(|f| matches!(f, Found::Argv(a) if a.iter().any(|w| w.contains("volumeDelete"))))
    }

    #[test]
    fn what_the_code_reads_and_runs() {
        let mutation = r#"mutation { volumeDelete(volumeId: "v1") }"#;
        let post =
            "import requests\nrequests.post('https://backboard.railway.com/graphql/v2', data=open('q.graphql').read())";
        assert!(graphql_mutation(&scanned(Language::Python, post, &[("q.graphql", mutation)], &[])));
        let env = "import os, requests\nrequests.post('https://backboard.railway.com/graphql/v2', json={'query': os.environ['Q']})";
        assert!(graphql_mutation(&scanned(Language::Python, env, &[], &[("Q", mutation)])));
        let script =
            "import requests\nrequests.post('https://backboard.railway.com/graphql/v2', json={'query': 'QUERY'})"
                .replace("QUERY", &mutation.replace('"', "\\\""));
        assert!(graphql_mutation(&scanned(
            Language::Python,
            "exec(open('wipe.py').read())",
            &[("wipe.py", &script)],
            &[]
        )));
        assert!(graphql_mutation(&scanned(
            Language::Python,
            "from tools import wipe",
            &[("tools/wipe.py", ""), ("tools.py", &script)],
            &[]
        )));
        let js = "await fetch('https://backboard.railway.com/graphql/v2', {method: 'POST', body: JSON.stringify({query: `Q`})})"
            .replace('Q', mutation);
        assert!(graphql_mutation(&scanned(Language::Javascript, "import('./wipe.mjs')", &[("./wipe.mjs", &js)], &[])));
        assert!(graphql_mutation(&scanned(Language::Javascript, "require('./lib')", &[("./lib.js", &js)], &[])));
        assert!(graphql_mutation(&scanned(
            Language::Ruby,
            "require_relative 'lib/wipe'",
            &[("lib/wipe.rb", &js)],
            &[]
        )));
        // A read-only twin reads the same way and finds nothing to judge.
        let query =
            "import requests\nrequests.post('https://backboard.railway.com/graphql/v2', data=open('q.graphql').read())";
        let s = scanned(Language::Python, query, &[("q.graphql", "query { me { id } }")], &[]);
        assert!(!graphql_mutation(&s) && s.unknown.is_empty(), "{s:?}");
    }

    #[test]
    fn what_cannot_be_seen_only_when_it_reaches_something() {
        let unseen = |lang, code: &str| scanned(lang, code, &[], &[]).unknown;
        assert_eq!(unseen(Language::Python, "import requests, sys\nrequests.post(sys.argv[1], json={})").len(), 1);
        assert_eq!(
            unseen(
                Language::Python,
                "import requests\nrequests.post('https://x.example.com/graphql', json={'query': q})"
            )
            .len(),
            1
        );
        assert_eq!(unseen(Language::Python, "import psycopg2\ncur.execute(build_sql(table))").len(), 1);
        assert_eq!(unseen(Language::Python, "import shutil, sys\nshutil.rmtree(sys.argv[1])").len(), 1);
        assert_eq!(unseen(Language::Javascript, "import pg from 'pg'\nawait c.query(sql)").len(), 1);
        // Plain code, read-only calls, literal or bound payloads, temporary directories: nothing.
        assert!(unseen(Language::Python, "import json, sys\nprint(json.load(sys.stdin))").is_empty());
        assert!(unseen(Language::Python, "import requests\nrequests.get(url)").is_empty());
        assert!(
            unseen(
                Language::Python,
                "import psycopg2\nSQL = 'SELECT 1'\ncur.execute(SQL)\ncur.execute(text('SELECT 2'))"
            )
            .is_empty()
        );
        assert!(
            unseen(Language::Python, "import psycopg2, asyncio\ncur.execute('SELECT 1')\nasyncio.run(main())")
                .is_empty()
        );
        assert!(
            unseen(Language::Python, "import shutil, tempfile\nd = tempfile.mkdtemp()\nshutil.rmtree(d)").is_empty()
        );
        assert!(unseen(Language::Python, "import shutil, tempfile\nwith tempfile.TemporaryDirectory() as d:\n  shutil.rmtree(os.path.join(d, 'x'))").is_empty());
        assert!(unseen(Language::Javascript, "const r = await fetch(url); console.log(await r.json())").is_empty());
    }

    #[test]
    fn cloud_sdk_deletes() {
        let f = found("python3", "import boto3\ns3 = boto3.resource('s3')\ns3.Bucket('prod').objects.all().delete()");
        assert_eq!(
            f,
            [Found::Argv(vec!["aws".into(), "s3".into(), "rm".into(), "s3://prod".into(), "--recursive".into()])]
        );
        let f = found("python3", "import boto3\nboto3.client('rds').delete_db_instance(DBInstanceIdentifier='prod')");
        assert_eq!(f, [Found::Argv(vec!["aws".into(), "rds".into(), "delete-db-instance".into()])]);
        let f = found(
            "node",
            "import { S3Client, DeleteBucketCommand } from '@aws-sdk/client-s3'\nawait c.send(new DeleteBucketCommand({Bucket: 'b'}))",
        );
        assert_eq!(f, [Found::Argv(vec!["aws".into(), "s3api".into(), "delete-bucket".into()])]);
        assert_eq!(found("node", "await redis.flushall()"), [Found::Argv(vec!["redis-cli".into(), "flushall".into()])]);
        let gcs = found(
            "python3",
            "from google.cloud import storage\nstorage.Client().bucket('prod-backups').delete(force=True)",
        );
        assert_eq!(
            gcs,
            [Found::Argv(["gcloud", "storage", "rm", "--recursive", "gs://prod-backups"].map(String::from).to_vec())]
        );
        let mongo = found(
            "python3",
            "from pymongo import MongoClient\ndb = MongoClient().shop\ndb.orders.delete_many({})\ndb['users'].drop()",
        );
        let eval = |e: &str| Found::Argv(vec!["mongosh".into(), "--eval".into(), e.into()]);
        assert_eq!(mongo, [eval("db.orders.deleteMany({})"), eval("db.users.drop()")]);
        assert!(found("python3", "from pymongo import MongoClient\ndb.orders.delete_many({'id': 3})").is_empty());
        assert!(found("python3", "import boto3\nboto3.client('s3').list_buckets()").is_empty());
    }
}
