//! Interpreter one-liners: `python -c`, `python - <<EOF`, `node -e/-p`, `deno eval`,
//! `bun -e`, `ruby -e`, `perl -e`, `php -r`.
//!
//! interlock does not run or fully parse the code. It reads the code's string literals and
//! looks for what the analyzers already understand: a GraphQL document or a JSON body with
//! a `query`, an SQL statement, a URL sent with an HTTP DELETE, a command line for a guarded
//! program (`subprocess.run(["psql", "-c", …])`, `os.system("…")`, `execSync("…")`). Each
//! literal found becomes an ordinary command (`curl …`, `psql -c …`) judged by the usual
//! rules, with a note saying where it came from. Code that builds its payload at run time
//! (string formatting, reading a file) is out of reach; nothing found means nothing to judge.

use crate::analyze::options::{OptTable, val};
use crate::analyze::spec::{Console, Language};

/// What the code of an interpreter call is, when it is given inline or on stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Code {
    Inline(String),
    Stdin,
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

/// The language of the code an interpreter call runs and where that code is, if it runs
/// inline code or code on stdin. `lang` and `console` are the program's (its registry entry).
pub(crate) fn code(lang: Option<Language>, console: Option<Console>, args: &[String]) -> Option<(Language, Code)> {
    if let Some(found) = framework_console(lang, console, args) {
        return Some(found);
    }
    let lang = lang?;
    let flags: &[&str] = match lang {
        Language::Python => &["-c"],
        Language::Deno => {
            return match args {
                [eval, code, ..] if eval == "eval" => Some((lang, Code::Inline(code.clone()))),
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
            if p.has(&["-f", "--file"]) {
                return None;
            }
            return args.get(p.rest).map(|prog| (lang, Code::Inline(prog.clone())));
        }
    };
    // Options that take a value (so it is not taken for a script), and those that run a
    // module instead of inline code.
    let (valued, module): (&[&str], &[&str]) = match lang {
        Language::Python => (&["-W", "-X", "--check-hash-based-pycs"], &["-m"]),
        Language::Javascript | Language::Deno => {
            (&["-r", "--require", "--import", "--loader", "--env-file", "-C", "--conditions"], &[])
        }
        Language::Ruby => (&["-I", "-r", "-C", "-E"], &[]),
        Language::Perl => (&["-I", "-M", "-m"], &[]),
        Language::Php => (&["-c", "-d", "-z"], &[]),
        Language::Lua => (&["-l"], &[]),
        Language::Awk => (&[], &[]),
    };
    inline_code(args, flags, valued, module).map(|code| (lang, code))
}

/// Where the code is among `args`: after one of `flags` (`-c CODE`, `-cCODE`, `--eval=CODE`),
/// or on stdin (`-`, or no script at all).
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
        if module.contains(&a.as_str()) || a == "--" {
            break;
        }
        if a == "-" {
            return Some(Code::Stdin);
        }
        if !a.starts_with('-') {
            // A script file, or the code's own arguments after the inline code.
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
            (!code.ends_with(".rb")).then(|| (Language::Ruby, Code::Inline(code.clone())))
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

/// What the string literals of `code` (in the language of `program`) would do.
pub(crate) fn scan(lang: Language, code: &str, guarded: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let tokens = tokens(code, lang);
    let mut out = literals(code, &tokens, guarded);
    out.extend(library_deletes(code));
    out.extend(argv_lists(&tokens, guarded));
    out
}

/// What single string literals stand for: a URL sent a DELETE, a GraphQL body, an SQL
/// statement, a command line of a guarded program.
fn literals(code: &str, tokens: &[Tok], guarded: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let literals: Vec<&str> =
        tokens.iter().filter_map(|t| if let Tok::Str(s) = t { Some(s.as_str()) } else { None }).collect();
    let mut out = Vec::new();
    let urls: Vec<&str> =
        literals.iter().copied().filter(|l| l.starts_with("http://") || l.starts_with("https://")).collect();
    let url = urls.first().copied().unwrap_or("https://unknown.invalid/");
    let lower = code.to_ascii_lowercase();
    // `requests.delete(`, `axios.delete(`, `method: "DELETE"`, `Net::HTTP::Delete`, `-X DELETE`.
    let deletes = lower.contains(".delete(")
        || lower.contains("http::delete")
        || literals.iter().any(|l| l.eq_ignore_ascii_case("delete"));
    if deletes {
        for u in &urls {
            out.push(Found::Argv(vec!["curl".into(), "-X".into(), "DELETE".into(), (*u).to_string()]));
        }
    }
    for lit in &literals {
        let t = lit.trim();
        if let Some(body) = graphql_body(t) {
            out.push(Found::Argv(vec![
                "curl".into(),
                "-X".into(),
                "POST".into(),
                url.to_string(),
                "--data-raw".into(),
                body,
            ]));
        } else if looks_like_sql(t) {
            out.push(Found::Argv(vec!["psql".into(), "-c".into(), t.to_string()]));
        } else if let Some(first) = t.split_whitespace().next()
            && t.contains(char::is_whitespace)
            && guarded(crate::invocation::program_name(std::ffi::OsStr::new(first)).as_str())
        {
            out.push(Found::Shell(t.to_string()));
        }
    }
    out
}

/// Deletes through the language's own library or an ORM, of a literal path or a model.
fn library_deletes(code: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Recursive deletes through the language's own library, of a literal path:
    // `shutil.rmtree('/srv/data')`, `fs.rmSync('/srv', {recursive: true})`, `FileUtils.rm_rf`,
    // Perl's `rmtree`/`remove_tree`, `rimraf(…)`: judged as `rm -rf PATH` (build outputs pass).
    static RECURSIVE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"(?:shutil\s*\.\s*rmtree|\brmtree|\bremove_tree|\brm_rf|\brm_r|\brimraf(?:\.sync)?|\bfs\s*\.\s*(?:rmSync|rm|rmdirSync|rmdir)|\brmSync)\s*\(\s*['"`]([^'"`]+)['"`]"#,
        )
    });
    for cap in RECURSIVE.captures_iter(code) {
        let call = cap.get(0).map_or("", |m| m.as_str());
        // Node's rm/rmSync/rmdir delete a tree only with `recursive`.
        let node = call.contains("rm(") || call.contains("rmSync") || call.contains("rmdir");
        if node && !code.contains("recursive") {
            continue;
        }
        out.push(Found::Argv(vec!["rm".into(), "-rf".into(), cap[1].to_string()]));
    }
    // Deletes of one file through the language's library, of a literal path: `os.remove`,
    // `os.unlink`, `Path('x').unlink()`, `fs.unlinkSync`, `File.delete`, `FileUtils.rm`,
    // PHP's and Perl's `unlink`, `Deno.remove`: judged as `rm PATH` (a database file asks).
    static ONE_FILE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"(?:\bos\s*\.\s*(?:remove|unlink)|\bunlinkSync|\bunlink|\bFile\s*\.\s*(?:delete|unlink)|\bFileUtils\s*\.\s*rm(?:_f)?|\bDeno\s*\.\s*remove(?:Sync)?|\bPath\s*\(\s*['"]([^'"]+)['"]\s*\)\s*\.\s*unlink)\s*\(?\s*(?:glob\s*\(\s*)?(?:['"`]([^'"`]+)['"`])?"#,
        )
    });
    for cap in ONE_FILE.captures_iter(code) {
        if let Some(path) = cap.get(1).or_else(|| cap.get(2)) {
            let call = cap.get(0).map_or("", |m| m.as_str());
            let recursive = call.contains("Deno") && code.contains("recursive");
            let flags = if recursive { "-rf" } else { "-f" };
            out.push(Found::Argv(vec!["rm".into(), flags.into(), path.as_str().to_string()]));
        }
    }
    // Every row of a model deleted through an ORM: Rails `User.delete_all` /
    // `User.destroy_all`, Django `User.objects.all().delete()`, SQLAlchemy
    // `session.query(User).delete()`, Laravel `User::truncate()` / `User::query()->delete()` /
    // `DB::table('users')->delete()`, Prisma `prisma.user.deleteMany()`, Mongoose
    // `User.deleteMany({})`: judged as the SQL it sends (`DELETE FROM users`, `TRUNCATE`).
    static ORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        crate::static_regex(
            r#"\b([A-Z]\w*)(?:\.all|\.unscoped)?\.(delete_all|destroy_all)\b|\b([A-Z]\w*)\.objects\.all\(\)\.(delete)\(\)|\bquery\(\s*([A-Z]\w*)\s*\)\.(delete)\(\s*\)|\b([A-Z]\w*)::(truncate)\(\)|\b([A-Z]\w*)::query\(\)->(delete)\(\)|\bDB::table\(\s*['"](\w+)['"]\s*\)->(delete|truncate)\(\)|\.(\w+)\.(deleteMany)\(\s*(?:\{\s*\})?\s*\)|\b([A-Z]\w*)\.(deleteMany)\(\s*(?:\{\s*\})?\s*\)"#,
        )
    });
    for cap in ORM.captures_iter(code) {
        let mut groups = cap.iter().skip(1).flatten().map(|m| m.as_str());
        let (Some(model), Some(how)) = (groups.next(), groups.next()) else { continue };
        let sql = if how == "truncate" { format!("TRUNCATE {model}") } else { format!("DELETE FROM {model}") };
        out.push(Found::Argv(vec!["psql".into(), "-c".into(), sql]));
    }
    out
}

/// `["psql", "-c", "DROP …"]`, `('kubectl', 'delete', 'ns', 'prod')`: argv lists of a
/// guarded program.
fn argv_lists(tokens: &[Tok], guarded: &dyn Fn(&str) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], Tok::Open) {
            let mut words = Vec::new();
            let mut j = i + 1;
            while let Some(Tok::Str(s)) = tokens.get(j) {
                words.push(s.clone());
                j += 1;
                if matches!(tokens.get(j), Some(Tok::Comma)) {
                    j += 1;
                }
            }
            if words.len() > 1
                && matches!(tokens.get(j), Some(Tok::Close))
                && guarded(crate::invocation::program_name(std::ffi::OsStr::new(&words[0])).as_str())
            {
                out.push(Found::Argv(words));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// A GraphQL request body for a literal: a JSON object with a `query`, or a document with an
/// operation keyword.
fn graphql_body(lit: &str) -> Option<String> {
    if lit.starts_with("{") && lit.contains("\"query\"") && serde_json::from_str::<serde_json::Value>(lit).is_ok() {
        return Some(lit.to_string());
    }
    let mut words = lit.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty());
    let first = words.next()?;
    if matches!(first, "mutation" | "subscription") || (first == "query" && lit.contains("{")) {
        return Some(serde_json::json!({ "query": lit }).to_string());
    }
    None
}

fn looks_like_sql(lit: &str) -> bool {
    let first = lit.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_uppercase();
    let second = lit.split_whitespace().nth(1).unwrap_or("").to_ascii_uppercase();
    match first.as_str() {
        "DROP" | "TRUNCATE" | "ALTER" | "MERGE" | "GRANT" | "REVOKE" | "VACUUM" | "COPY" => !second.is_empty(),
        "DELETE" => second == "FROM" || lit.to_ascii_uppercase().contains(" FROM "),
        "UPDATE" => lit.to_ascii_uppercase().contains(" SET "),
        "WITH" | "EXPLAIN" => lit.contains(' ') && lit.len() > 8,
        _ => false,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Str(String),
    Open,
    Close,
    Comma,
    Other,
}

/// The string literals and list punctuation of `code`. Escapes are decoded the common
/// C way; Python triple quotes and JS template literals are strings too.
fn tokens(code: &str, lang: Language) -> Vec<Tok> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' if matches!(
                lang,
                Language::Python | Language::Ruby | Language::Perl | Language::Php | Language::Awk
            ) =>
            {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'-' if lang == Language::Lua && b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if matches!(lang, Language::Javascript | Language::Deno | Language::Php)
                && b.get(i + 1) == Some(&b'/') =>
            {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if matches!(lang, Language::Javascript | Language::Deno | Language::Php)
                && b.get(i + 1) == Some(&b'*') =>
            {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'\'' | b'"' | b'`' => {
                let triple = lang == Language::Python && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c);
                let (text, end) = if triple { literal(b, i + 3, &[c, c, c]) } else { literal(b, i + 1, &[c]) };
                out.push(Tok::Str(text));
                i = end;
                continue;
            }
            b'[' | b'(' => out.push(Tok::Open),
            b']' | b')' => out.push(Tok::Close),
            b',' => out.push(Tok::Comma),
            c if c.is_ascii_whitespace() => {}
            _ => {
                if !matches!(out.last(), Some(Tok::Other)) {
                    out.push(Tok::Other);
                }
            }
        }
        i += 1;
    }
    out
}

/// Read a literal starting at `start` up to `close`; returns its decoded text and the index
/// after the closing quote.
fn literal(b: &[u8], start: usize, close: &[u8]) -> (String, usize) {
    let mut out: Vec<u8> = Vec::new();
    let mut i = start;
    while i < b.len() {
        if b[i..].starts_with(close) {
            return (String::from_utf8_lossy(&out).into_owned(), i + close.len());
        }
        if b[i] == b'\\' && i + 1 < b.len() {
            let e = b[i + 1];
            i += 2;
            match e {
                b'n' => out.push(b'\n'),
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'0' => out.push(0),
                b'x' => {
                    let hex = std::str::from_utf8(b.get(i..i + 2).unwrap_or_default()).unwrap_or("");
                    match u8::from_str_radix(hex, 16) {
                        Ok(v) => {
                            out.push(v);
                            i += 2;
                        }
                        Err(_) => out.push(b'x'),
                    }
                }
                b'u' => {
                    let hex = std::str::from_utf8(b.get(i..i + 4).unwrap_or_default()).unwrap_or("");
                    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => {
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            i += 4;
                        }
                        None => out.push(b'u'),
                    }
                }
                other => out.push(other),
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    (String::from_utf8_lossy(&out).into_owned(), b.len())
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
        scan(lang.unwrap_or(Language::Python), code, &guarded)
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
        assert_eq!(code("python", &w("-m json.tool")), None);
        assert_eq!(code("node", &w("-e 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("node", &w("--eval='x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("deno", &w("eval 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("bun", &w("-e 'x()'")), Some(("JavaScript", Code::Inline("x()".into()))));
        assert_eq!(code("ruby", &w("-e a -e b")), Some(("Ruby", Code::Inline("a\nb".into()))));
        assert_eq!(code("perl", &w("-E 'say 1'")), Some(("Perl", Code::Inline("say 1".into()))));
        assert_eq!(code("php", &w("-r 'x();'")), Some(("PHP", Code::Inline("x();".into()))));
        assert_eq!(code("node", &w("server.js")), None);
        assert_eq!(code("lua", &w("-e 'x()'")), Some(("Lua", Code::Inline("x()".into()))));
        assert_eq!(code("awk", &w("-F: '{print $1}' /etc/passwd")), Some(("awk", Code::Inline("{print $1}".into()))));
        assert_eq!(code("awk", &w("-f prog.awk data")), None);
        assert_eq!(
            code("rails", &w("runner 'User.delete_all'")),
            Some(("Ruby", Code::Inline("User.delete_all".into())))
        );
        assert_eq!(code("rails", &w("runner script/fix.rb")), None);
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
}
