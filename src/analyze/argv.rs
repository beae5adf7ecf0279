//! The shared argv analyzer: subcommand path, flags and flag values of a CLI tool.
//!
//! Driven by a `ProgramSpec` (which options take a value, which name the target). Without a
//! spec every `-x`/`--long` is taken as a flag without a value, and `--long=value` still
//! splits — the subcommand path of most tools is then still right, because global options
//! that take values are the ones the tables list.

use super::spec::{OptionRow, ProgramSpec, Role};
use crate::facts::Facts;
use crate::invocation::Env;

/// Read `args` (argv without argv[0]).
pub(crate) fn analyze(args: &[String], spec: Option<&ProgramSpec>, env: &Env) -> Facts {
    let mut facts = Facts::default();
    // The values of `role = "sql"` options, read once the command path is known.
    let mut sql = Vec::new();
    let row = |written: &str, command: &[String]| spec.and_then(|s| s.option(written, command));
    let takes_value =
        |written: &str, command: &[String]| secret_option(written) || row(written, command).is_some_and(|r| r.value);
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
            let r = row(flag, &facts.command);
            record(&mut facts, &mut sql, spec, r, flag, Some(value));
            continue;
        }
        if arg.starts_with("--") || !clusters || arg.len() == 2 || takes_value(arg, &facts.command) {
            let r = row(arg, &facts.command);
            if takes_value(arg, &facts.command) {
                let value = args.get(i).cloned().unwrap_or_default();
                i += 1;
                record(&mut facts, &mut sql, spec, r, arg, Some(&value));
            } else {
                record(&mut facts, &mut sql, spec, r, arg, None);
            }
            continue;
        }
        // A short cluster: `-fdx` is `-f -d -x`; the first letter that takes a value eats the
        // rest of the token (`-n5`), or the next argument when nothing is left.
        let letters = &arg[1..];
        for (pos, c) in letters.char_indices() {
            let flag = format!("-{c}");
            let r = row(&flag, &facts.command);
            if takes_value(&flag, &facts.command) {
                let rest = &letters[pos + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    args.get(i - 1).cloned().unwrap_or_default()
                } else {
                    rest.to_string()
                };
                record(&mut facts, &mut sql, spec, r, &flag, Some(&value));
                break;
            }
            record(&mut facts, &mut sql, spec, r, &flag, None);
        }
    }
    if let Some(spec) = spec {
        read_sql(spec, sql, &mut facts);
        for var in &spec.target_env {
            if let Some(v) = env.get(var) {
                facts.add_target(v);
            }
        }
    }
    facts
}

/// SQL carried in the values of the program's `role = "sql"` options and in its
/// `sql_operand`s, classified as a database client's.
pub(super) fn read_sql(spec: &ProgramSpec, mut sql: Vec<String>, facts: &mut Facts) {
    use super::spec::SqlDialect;
    use super::sql::{Dialect, Scanner};
    for (path, index) in &spec.sql_operand {
        let words: Vec<&str> = path.split_whitespace().collect();
        let under = facts.command.len() > words.len() && facts.command.iter().zip(&words).all(|(c, w)| c == w);
        if under && let Some(operand) = facts.command.get(*index) {
            sql.push(operand.clone());
        }
    }
    if sql.is_empty() {
        return;
    }
    let dialect = match spec.sql_dialect.unwrap_or_default() {
        SqlDialect::Postgres => Dialect::Postgres,
        SqlDialect::Mysql => Dialect::MySql,
        SqlDialect::Sqlite => Dialect::Sqlite,
    };
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

/// One option as written (`flag`, with its value when it takes one), under its table row
/// `row` if it has one. The row's other spellings join `flags`, so a rule that names
/// `--environment` also sees `-e`; `flag_values` keeps the option once, as written, in order
/// (analyzers read it as the program does: psql runs each `-c`/`-f` once).
fn record(
    facts: &mut Facts,
    sql: &mut Vec<String>,
    spec: Option<&ProgramSpec>,
    row: Option<&OptionRow>,
    flag: &str,
    value: Option<&str>,
) {
    facts.flags.push(flag.to_string());
    if let Some(value) = value {
        facts.flag_values.push((flag.to_string(), value.to_string()));
    }
    if let Some(row) = row {
        let clusters = spec.is_none_or(|s| s.clusters);
        facts.flags.extend(row.spellings(clusters).filter(|s| s != flag));
    }
    let (Some(row), value) = (row, value) else { return };
    match row.role {
        Some(Role::Target) => facts.add_target(value.unwrap_or_default()),
        Some(Role::Sql) => sql.push(value.unwrap_or_default().to_string()),
        // Read by `analyze::named_files`, which can open files.
        Some(Role::SqlFile | Role::Payload | Role::Command) => {}
        Some(Role::DryRun) => {
            let off = value.is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "none" | "false" | "0" | "no"));
            facts.dry_run |= !off;
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> ProgramSpec {
        let rows = r#"
            name = "railway"
            options = [
              { short = "s", long = "service", value = true },
              { short = "e", long = "environment", role = "target" },
              { short = "n", long = "volume", value = true },
              { long = "dry-run", role = "dry-run" },
              { long = "sql", role = "sql", under = "db" },
            ]
            target_env = ["RAILWAY_ENVIRONMENT"]
        "#;
        toml::from_str(rows).unwrap()
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

    #[test]
    fn a_row_records_every_spelling_of_its_option() {
        let f = run("-e production --service=api volume delete");
        assert!(f.has_flag("-e") && f.has_flag("--environment"));
        assert!(f.has_flag("-s") && f.has_flag("--service"));
        assert_eq!(f.flag_values, [("-e".into(), "production".into()), ("--service".into(), "api".into())]);
        assert_eq!(f.targets, ["production"], "a target is counted once");
    }

    #[test]
    fn dry_run_rows_and_their_values() {
        assert!(run("volume delete --dry-run").dry_run);
        assert!(!run("volume delete --dry-run=none").dry_run);
        assert!(!run("volume delete").dry_run);
    }

    #[test]
    fn rows_under_a_subcommand_hold_only_there() {
        let f = run("db --sql 'DROP TABLE users' shell");
        assert_eq!(f.command, ["db", "shell"]);
        assert_eq!(f.statements.len(), 1);
        // Elsewhere `--sql` is a flag without a value: the next word is an operand.
        let f = run("--sql x y");
        assert_eq!(f.command, ["x", "y"]);
        assert!(f.statements.is_empty());
    }

    #[test]
    fn single_dash_programs_read_long_options_with_one_or_two_dashes() {
        let spec: ProgramSpec =
            toml::from_str("name = \"terraform\"\nclusters = false\noptions = [{ long = \"out\", value = true }]")
                .unwrap();
        let args = shell_words::split("plan -destroy -out plan.bin --out=x extra").unwrap();
        let f = analyze(&args, Some(&spec), &Env::default());
        assert_eq!(f.command, ["plan", "extra"]);
        assert!(f.flag_values.contains(&("-out".into(), "plan.bin".into())));
        assert!(f.flag_values.contains(&("--out".into(), "x".into())));
        assert!(f.has_flag("-out"), "`--out` is also `-out`");
        assert!(f.has_flag("-destroy"));
    }

    #[test]
    fn malformed_rows_are_errors_that_say_why() {
        let bad = |rows: &str| {
            toml::from_str::<ProgramSpec>(&format!("name = \"x\"\noptions = [{rows}]"))
                .unwrap_err()
                .message()
                .to_string()
        };
        assert!(bad("{ value = true }").contains("`short` or `long`"));
        assert!(bad("{ long = \"--env\" }").contains("without dashes"));
        assert!(bad("{ short = \"ab\" }").contains("character"));
        assert!(bad("{ long = \"env\", role = \"target\", value = false }").contains("takes a value"));
        assert!(bad("{ long = \"env\", role = \"nope\" }").contains("unknown variant"));
        assert!(bad("{ long = \"env\", takes = true }").contains("unknown field"));
    }
}
