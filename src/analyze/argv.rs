//! The shared argv analyzer: subcommand path, flags and flag values of a CLI tool.
//!
//! Driven by a `ProgramSpec` (which options take a value, which name the target). Without a
//! spec every `-x`/`--long` is taken as a flag without a value, and `--long=value` still
//! splits — the subcommand path of most tools is then still right, because global options
//! that take values are the ones the tables list.

use super::spec::ProgramSpec;
use crate::facts::Facts;
use crate::invocation::Env;

/// Read `args` (argv without argv[0]).
pub fn analyze(args: &[String], spec: Option<&ProgramSpec>, env: &Env) -> Facts {
    let mut facts = Facts::default();
    let takes_value = |flag: &str, command: &[String]| {
        secret_option(flag)
            || spec.is_some_and(|s| {
                s.value_flags.iter().any(|f| f == flag)
                    || command
                        .first()
                        .and_then(|c| s.subcommand_value_flags.get(c))
                        .is_some_and(|v| v.iter().any(|f| f == flag))
            })
    };
    let skip = |word: &str| spec.is_some_and(|s| s.skip_words.iter().any(|w| w == word));
    let clusters = spec.is_none_or(|s| s.clusters);
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_operands || arg == "-" || !arg.starts_with('-') {
            if !(facts.command.is_empty() && skip(arg)) {
                facts.command.push(arg.clone());
            }
            continue;
        }
        if arg == "--" {
            only_operands = true;
            facts.flags.push(arg.clone());
            continue;
        }
        if let Some((flag, value)) = arg.split_once('=').filter(|_| arg.starts_with("--") || !clusters) {
            record(&mut facts, spec, flag, value);
            continue;
        }
        if arg.starts_with("--") || !clusters || arg.len() == 2 || takes_value(arg, &facts.command) {
            if takes_value(arg, &facts.command) {
                let value = args.get(i).cloned().unwrap_or_default();
                i += 1;
                record(&mut facts, spec, arg, &value);
            } else {
                facts.flags.push(arg.clone());
            }
            continue;
        }
        // A short cluster: `-fdx` is `-f -d -x`; the first letter that takes a value eats the
        // rest of the token (`-n5`), or the next argument when nothing is left.
        let letters = &arg[1..];
        for (pos, c) in letters.char_indices() {
            let flag = format!("-{c}");
            if takes_value(&flag, &facts.command) {
                let rest = &letters[pos + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned().unwrap_or_default()
                } else {
                    rest.to_string()
                };
                record(&mut facts, spec, &flag, &value);
                break;
            }
            facts.flags.push(flag);
        }
    }
    if let Some(spec) = spec {
        read_sql(spec, &mut facts);
        facts.dry_run = spec.dry_run_flags.iter().any(|d| {
            facts.has_flag(d)
                && !facts
                    .flag_values
                    .iter()
                    .any(|(f, v)| f == d && matches!(v.to_ascii_lowercase().as_str(), "none" | "false" | "0" | "no"))
        });
        for var in &spec.target_env {
            if let Some(v) = env.get(var) {
                facts.add_target(v);
            }
        }
    }
    facts
}

/// SQL carried in the program's `sql_flags` values, classified as a database client's.
fn read_sql(spec: &ProgramSpec, facts: &mut Facts) {
    use super::spec::SqlDialect;
    use super::sql::{Dialect, Scanner};
    if spec.sql_flags.is_empty() && spec.sql_operand.is_empty() {
        return;
    }
    let dialect = match spec.sql_dialect.unwrap_or_default() {
        SqlDialect::Postgres => Dialect::Postgres,
        SqlDialect::Mysql => Dialect::MySql,
        SqlDialect::Sqlite => Dialect::Sqlite,
    };
    let mut sql: Vec<String> =
        facts.flag_values.iter().filter(|(f, _)| spec.sql_flags.contains(f)).map(|(_, v)| v.clone()).collect();
    for (path, index) in &spec.sql_operand {
        let words: Vec<&str> = path.split_whitespace().collect();
        let under = facts.command.len() > words.len() && facts.command.iter().zip(&words).all(|(c, w)| c == w);
        if under && let Some(operand) = facts.command.get(*index) {
            sql.push(operand.clone());
        }
    }
    for text in sql {
        let script = Scanner::scan(dialect, &text);
        facts.statements.extend(script.statements);
        facts.unknown.extend(script.unknown);
    }
}

/// Long options named for a credential (`--token`, `--api-key`, `--password`) take a value
/// in every CLI; unlisted, they would otherwise shift the subcommand path.
fn secret_option(flag: &str) -> bool {
    let Some(name) = flag.strip_prefix("--") else { return false };
    let name = name.to_ascii_lowercase();
    ["token", "password", "passwd", "secret", "api-key", "apikey", "access-token", "auth-token"]
        .iter()
        .any(|s| name.ends_with(s))
}

fn record(facts: &mut Facts, spec: Option<&ProgramSpec>, flag: &str, value: &str) {
    facts.flags.push(flag.to_string());
    facts.flag_values.push((flag.to_string(), value.to_string()));
    if spec.is_some_and(|s| s.target_flags.iter().any(|f| f == flag)) {
        facts.add_target(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ProgramSpec {
        ProgramSpec {
            name: "railway".into(),
            value_flags: ["-s", "--service", "-e", "--environment", "-n", "--volume"].map(String::from).to_vec(),
            target_flags: vec!["-e".into(), "--environment".into()],
            clusters: true,
            target_env: vec!["RAILWAY_ENVIRONMENT".into()],
            ..ProgramSpec::default()
        }
    }

    fn run(line: &str) -> Facts {
        let args = shell_words::split(line).unwrap();
        analyze(&args, Some(&spec()), &Env::default())
    }

    #[test]
    fn global_flags_with_values_are_not_subcommands() {
        let f = run("-s api --environment production volume delete --volume pgdata --yes");
        assert_eq!(f.command, ["volume", "delete"]);
        assert!(f.has_flag("--yes") && f.has_flag("-s"));
        assert_eq!(f.targets, ["production"]);
    }

    #[test]
    fn equals_and_clusters() {
        let f = run("--service=api -yq -n5 -e prod x");
        assert_eq!(f.command, ["x"]);
        assert!(f.has_flag("-y") && f.has_flag("-q") && f.has_flag("--service"));
        assert!(f.flag_values.contains(&("-n".into(), "5".into())));
        assert_eq!(f.targets, ["prod"]);
    }

    #[test]
    fn credential_options_take_a_value() {
        let f = analyze(&["--token".into(), "t0k".into(), "volume".into(), "delete".into()], None, &Env::default());
        assert_eq!(f.command, ["volume", "delete"]);
        let f = analyze(&["--api-key".into(), "k".into(), "rm".into()], None, &Env::default());
        assert_eq!(f.command, ["rm"]);
    }

    #[test]
    fn double_dash_ends_options() {
        let f = run("checkout -- -weird .");
        assert_eq!(f.command, ["checkout", "-weird", "."]);
        assert!(f.has_flag("--"));
    }

    #[test]
    fn missing_value_at_the_end_is_empty() {
        let f = run("volume delete -s");
        assert_eq!(f.command, ["volume", "delete"]);
    }

    #[test]
    fn target_from_environment() {
        let env = Env::from_pairs([("RAILWAY_ENVIRONMENT", "production")]);
        let f = analyze(&["status".into()], Some(&spec()), &env);
        assert_eq!(f.targets, ["production"]);
    }
}
