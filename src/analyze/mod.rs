//! Analyzers: an `Invocation` in, `Facts` out. They decide nothing.
//!
//! Each family reads its program's arguments the way the real program will. Programs without
//! a dedicated analyzer are read by the shared argv analyzer, driven by the `[[program]]`
//! table of the rule files. An analyzer that cannot see something that could matter says so
//! in `Facts::unknown`; it never guesses "safe".

pub(crate) mod argv;
pub(crate) mod clients;
pub(crate) mod git;
pub(crate) mod graphql;
pub(crate) mod http;
pub(crate) mod input;
pub(crate) mod options;
pub(crate) mod railway;
pub(crate) mod spec;
pub(crate) mod sql;
mod terraform;

use crate::facts::Facts;
use crate::invocation::Invocation;
use spec::{Analyzer, ProgramSpec};

/// The facts of `inv`. `spec` is the program's table, when a rule file has one: it names the
/// analyzer (`analyzer = "psql"`) or drives the shared argv analyzer.
pub(crate) fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let analyzer = spec.and_then(|s| s.analyzer);
    let mut facts = match analyzer {
        Some(Analyzer::Curl) => http::curl(inv),
        Some(Analyzer::Wget) => http::wget(inv),
        Some(Analyzer::Httpie) => http::httpie(inv),
        Some(Analyzer::Railway) => railway::analyze(inv, spec),
        Some(Analyzer::Terraform) => terraform::analyze(inv, spec),
        Some(Analyzer::Git) => git::analyze(inv, spec),
        Some(Analyzer::Gh) => git::gh(inv, spec),
        Some(Analyzer::Psql) => clients::psql(inv, spec),
        Some(Analyzer::Mysql) => clients::mysql(inv, spec),
        Some(Analyzer::Sqlite3) => clients::sqlite3(inv, spec),
        Some(Analyzer::RedisCli) => clients::redis_cli(inv, spec),
        Some(Analyzer::Mongosh) => clients::mongosh(inv, spec),
        None => argv::analyze(&inv.args_lossy(), spec, &inv.env),
    };
    // A database client's statements come from its arguments: one the shell builds when the
    // command runs (`psql -c "$(cat q.sql)"`) cannot be read in advance.
    if analyzer.is_some_and(Analyzer::takes_statements) && inv.args_lossy().iter().any(|a| inv.is_computed(a)) {
        facts.unknown.push(format!("what `{}` runs is computed when the command runs (`$(…)`)", inv.program));
    }
    facts.program.clone_from(&inv.program);
    facts.argv = inv.args_lossy();
    if let Some(spec) = spec {
        named_files(inv, spec, &mut facts);
        if spec.memory_database {
            let db = facts.command.first().cloned();
            clients::forget_memory_session(db.as_deref(), &mut facts);
        }
    }
    if asks_for_help(&facts.argv, spec) {
        // `railway volume delete --help`, `terraform destroy -help`: usage is printed and
        // nothing runs, so no rule about what the call would destroy applies.
        facts.dry_run = true;
    }
    facts.notes.extend(inv.notes.iter().cloned());
    for t in &inv.targets {
        facts.add_target(t.clone());
    }
    facts
}

/// What the files a call names as its payload hold, read as part of the call: the value of
/// a `role = "sql-file"` option is SQL (`wrangler d1 execute --file drop.sql`); an argument
/// with one of the table's `payload_files` prefixes (aws's `--change-batch file://b.json`)
/// is text the rules read with the arguments (`argv` patterns see it). A file that cannot
/// be read is "cannot see".
fn named_files(inv: &Invocation, spec: &ProgramSpec, facts: &mut Facts) {
    let flags_of = |role: spec::Role| -> Vec<String> {
        spec.options
            .iter()
            .filter(|r| r.role == Some(role))
            .flat_map(|r| r.spellings(spec.clusters).collect::<Vec<_>>())
            .collect()
    };
    let (sql_flags, payload_flags) = (flags_of(spec::Role::SqlFile), flags_of(spec::Role::Payload));
    let mut sql = Vec::new();
    let read = |name: &str, facts: &mut Facts| match input::file(inv, name) {
        Ok(t) => Some(t.text),
        Err(e) => {
            facts.unknown.push(format!("the file `{name}` it sends cannot be read ({e})"));
            None
        }
    };
    for (flag, value) in facts.flag_values.clone() {
        if sql_flags.contains(&flag)
            && let Some(text) = read(&value, facts)
        {
            sql.push(text);
        }
    }
    if !sql.is_empty() {
        argv::read_sql(spec, sql, facts);
    }
    // Payload files: a directory's files too (`kubectl delete -f k8s/`), a few dozen at most.
    for (flag, value) in facts.flag_values.clone() {
        if !payload_flags.contains(&flag) || value.contains("://") {
            continue;
        }
        if value == "-" {
            match input::stdin_text(inv) {
                Ok(t) => facts.argv.push(t.text),
                Err(e) => facts.unknown.push(format!("what it reads on standard input cannot be seen ({e})")),
            }
            continue;
        }
        let path = inv.resolve_path(&value);
        if !path.exists() && !inv.written.iter().any(|(p, _)| *p == path) {
            continue; // not a file here (`kubectl logs -f POD` follows): the program says so
        }
        let names: Vec<String> = match std::fs::read_dir(&path) {
            Ok(entries) => {
                let mut files: Vec<String> =
                    entries.flatten().filter(|e| e.path().is_file()).map(|e| e.path().display().to_string()).collect();
                files.sort();
                files.truncate(64);
                files
            }
            Err(_) => vec![value.clone()],
        };
        for name in names {
            if let Some(text) = read(&name, facts) {
                facts.argv.push(text);
            }
        }
    }
    for arg in inv.args_lossy() {
        let value = arg.split_once('=').filter(|(k, _)| k.starts_with("--")).map_or(arg.as_str(), |(_, v)| v);
        let Some(name) = spec.payload_files.iter().find_map(|p| value.strip_prefix(p.as_str())) else { continue };
        if let Some(text) = read(name, facts) {
            facts.notes.push(format!("reads `{name}` as what it sends"));
            facts.argv.push(text);
        }
    }
}

/// Whether the call asks for the program's usage (before any `--`): with the words its table
/// names (`help = ["--help", "-h", "help"]`, terraform's `-help`; `help` is the first operand,
/// `WORD:last` the last argument, as aws takes `help`), or, for a described CLI
/// that passes nothing on, `--help` or `-help` anywhere, or `-h` last. Never for a program without a
/// table (BSD `rm` takes `--help` for a file name) nor for one that hands its arguments to a
/// script or another program (an interpreter, a wrapper, a task runner).
fn asks_for_help(args: &[String], spec: Option<&ProgramSpec>) -> bool {
    let Some(spec) = spec else { return false };
    let args: Vec<&str> = args.iter().take_while(|a| *a != "--").map(String::as_str).collect();
    let operands: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
    match &spec.help {
        Some(words) => words.as_slice().iter().any(|w| match w.as_str() {
            "help" => operands.first() == Some(&"help"),
            w if w.ends_with(":last") => args.last() == w.strip_suffix(":last").as_ref(),
            w => args.contains(&w),
        }),
        None => {
            let passes_on = spec.language.is_some()
                || spec.console.is_some()
                || spec.reader.is_some()
                || !spec.runs.is_empty()
                || spec.tasks.is_some();
            !passes_on && (args.contains(&"--help") || args.contains(&"-help") || args.last() == Some(&"-h"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invocation::{Env, Stdin};

    fn inv(words: &[&str], computed: &[&str]) -> Invocation {
        let argv = words.iter().map(Into::into).collect();
        let mut inv = Invocation::new(argv, "/".into(), Env::default(), Stdin::Empty);
        inv.computed = computed.iter().map(|c| c.to_string()).collect();
        inv
    }

    /// A help request runs nothing: no rule applies (issue 25).
    #[test]
    fn a_help_request_destroys_nothing() {
        let rules = crate::rules::RuleSet::builtin();
        let dry = |words: &[&str]| {
            let inv = inv(words, &[]);
            analyze(&inv, rules.program(&inv.program)).dry_run
        };
        assert!(dry(&["railway", "volume", "delete", "--help"]));
        assert!(dry(&["terraform", "destroy", "-help"]));
        assert!(dry(&["git", "push", "--force", "--help"]));
        assert!(!dry(&["terraform", "destroy"]));
        assert!(!dry(&["railway", "run", "--", "tool", "--help"]), "after --, the words are another program's");
        assert!(!dry(&["git", "push", "-help"]), "one dash is not git's help");
        assert!(!dry(&["rm", "-rf", "/srv", "--help"]), "BSD rm removes a file called --help");
        assert!(dry(&["aws", "s3", "rm", "s3://b", "--recursive", "help"]));
        assert!(dry(&["kubectl", "help", "delete"]));
        assert!(dry(&["gh", "repo", "delete", "-h"]));
        assert!(dry(&["prisma", "migrate", "reset", "--help"]), "a described CLI without a help key");
        assert!(dry(&["psql", "-c", "DROP TABLE t", "-h"]), "-h needs a value there: psql runs nothing");
        assert!(!dry(&["kubectl", "delete", "ns", "help"]), "a namespace called help");
        assert!(!dry(&["python3", "wipe.py", "--help"]), "the script takes --help");
    }

    /// Text a shell builds at run time (`$(…)`, seen by a hook) where a statement or a body
    /// goes cannot be seen; elsewhere (a header, a host) it changes nothing.
    #[test]
    fn computed_statements_and_bodies_cannot_be_seen() {
        let unknown = |words: &[&str], computed: &[&str]| {
            let rules = crate::rules::RuleSet::builtin();
            let inv = inv(words, computed);
            !analyze(&inv, rules.program(&inv.program)).unknown.is_empty()
        };
        assert!(unknown(&["psql", "-c", "Q"], &["Q"]));
        assert!(!unknown(&["psql", "-c", "SELECT 1"], &[]));
        assert!(unknown(&["curl", "-d", "B", "https://api.example.com/x"], &["B"]));
        assert!(unknown(&["curl", "--json", "B", "https://api.example.com/x"], &["B"]));
        assert!(!unknown(
            &["curl", "-H", "Authorization: Bearer T", "https://api.example.com/x"],
            &["Authorization: Bearer T"]
        ));
        assert!(unknown(&["wget", "--post-data=B", "https://api.example.com/x"], &["B"]));
        assert!(unknown(&["http", "POST", "api.example.com/x", "q=B"], &["q=B"]));
        assert!(!unknown(&["http", "api.example.com/x", "Authorization:T"], &["Authorization:T"]));
    }
}
