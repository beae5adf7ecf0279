//! `ProgramSpec`: how the shared argv analyzer reads one program's command line — which
//! options take values, which name the target, which make the call a dry run. The tables
//! are data in the rule files (`[[program]]`), but the type belongs to the analyzers that
//! read it; the rule model only carries it.

use serde::{Deserialize, Serialize};

/// How the shared argv analyzer reads one program's command line.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    pub name: String,
    /// Other names of the same program (`flyctl` for `fly`, `tofu` for `terraform`): the
    /// table applies to them too, and so does every rule in the same file that names the
    /// program.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Options that take a value as the next argument (`-s`, `--service`). `--opt=value` is
    /// understood for every long option without being listed.
    #[serde(default)]
    pub value_flags: Vec<String>,
    /// Options whose value names where the call lands (environment, context, app, project).
    #[serde(default)]
    pub target_flags: Vec<String>,
    /// Whether `-abc` means `-a -b -c` (false for programs with single-dash long options,
    /// such as terraform's `-auto-approve`).
    #[serde(default = "yes")]
    pub clusters: bool,
    /// Environment variables whose value names the target (`KUBECONTEXT`, `RAILWAY_ENVIRONMENT`).
    #[serde(default)]
    pub target_env: Vec<String>,
    /// Options that take a value only under one subcommand: `{ compose = ["-f", "-p"] }`.
    #[serde(default)]
    pub subcommand_value_flags: std::collections::BTreeMap<String, Vec<String>>,
    /// Options that make the call a dry run — it reports what it would do and changes
    /// nothing (`--dry-run`, `--dry-run=client`; git's `-n`). With one given (and not
    /// `=none`/`=false`), no rule for the program applies.
    #[serde(default)]
    pub dry_run_flags: Vec<String>,
    /// Words that do not count as part of the subcommand path (`gcloud beta …`).
    #[serde(default)]
    pub skip_words: Vec<String>,
    /// Options whose value is SQL the program sends to a database (`wrangler d1 execute
    /// --command`): read with the SQL scanner, so rules can name statement kinds.
    #[serde(default)]
    pub sql_flags: Vec<String>,
    /// Operands that are SQL, by the subcommand path before them: `{ "db shell" = 3 }` says
    /// the fourth word of `turso db shell DB 'SQL'` is SQL; `{ "" = 1 }` the second operand
    /// of a program without subcommands (`duckdb FILE 'SQL'`).
    #[serde(default)]
    pub sql_operand: std::collections::BTreeMap<String, usize>,
    /// The SQL dialect of `sql_flags` and `sql_operand`: `postgres` (the default), `mysql` or
    /// `sqlite`.
    #[serde(default)]
    pub sql_dialect: Option<SqlDialect>,
}

/// A SQL dialect a `[[program]]` table can name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqlDialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
}

fn yes() -> bool {
    true
}
