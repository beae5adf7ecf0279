//! `ProgramSpec`: how the shared argv analyzer reads one program's command line — which
//! options take values, which name the target, which make the call a dry run, which carry
//! SQL. The tables are data in the rule files (`[[program]]`), in the same row shape as the
//! hand-written grammars' tables (`analyze/options.rs`): one row per option, short letter,
//! long name, whether a value follows, and what it means. The type belongs to the analyzers
//! that read it; the rule model only carries it.

use std::collections::BTreeMap;

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
    /// The options that matter to reading the command line: every option that takes a value
    /// (so that its value is not taken for a subcommand), and every option with a role.
    /// Options without a value and without a role need no row. `--opt=value` is understood
    /// for every long option without a row.
    #[serde(default)]
    pub options: Vec<OptionRow>,
    /// Whether `-abc` means `-a -b -c` (false for programs with single-dash long options,
    /// such as terraform's `-auto-approve`: there `-name` is the long option `name`).
    #[serde(default = "yes")]
    pub clusters: bool,
    /// Environment variables whose value names the target (`KUBECONTEXT`, `RAILWAY_ENVIRONMENT`).
    #[serde(default)]
    pub target_env: Vec<String>,
    /// Words that do not count as part of the subcommand path (`gcloud beta …`).
    #[serde(default)]
    pub skip_words: Vec<String>,
    /// Operands that are SQL, by the subcommand path before them: `{ "db shell" = 3 }` says
    /// the fourth word of `turso db shell DB 'SQL'` is SQL; `{ "" = 1 }` the second operand
    /// of a program without subcommands (`duckdb FILE 'SQL'`).
    #[serde(default)]
    pub sql_operand: BTreeMap<String, usize>,
    /// The program's first operand is its database file, and none (or `:memory:`) is a
    /// database that lives only for the session (DuckDB): what SQL destroys there is
    /// nothing kept.
    #[serde(default)]
    pub memory_database: bool,
    /// The SQL dialect of `role = "sql"` options and `sql_operand`: `postgres` (the default),
    /// `mysql` or `sqlite`.
    #[serde(default)]
    pub sql_dialect: Option<SqlDialect>,
    /// Which analyzer reads the program's command line; the shared argv analyzer, driven by
    /// this table, when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyzer: Option<Analyzer>,
    /// The words with which the program prints its usage and runs nothing (`"--help"`,
    /// terraform's `"-help"`, `"-h"`; `"help"` counts as the first operand, `kubectl help
    /// delete`; `"help:last"` as the last argument, `aws s3 rm help`): no rule applies. Without
    /// the key, a described CLI that passes nothing on (no interpreter, wrapper or task
    /// runner) takes `--help`/`-help` anywhere and a trailing `-h` as usage (`-h` needing a value
    /// there is an error: nothing runs either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<crate::rules::model::OneOrMany>,
    /// Whether the program gets a shim (and the exec guard's attention) without rules of its
    /// own: true for wrappers that reach another user, host or container, where no shim
    /// follows (`sudo`, `ssh`). By default a table that describes a CLI is shimmed and one
    /// that only says what a local wrapper runs (`nohup`: what it runs meets its own shim)
    /// is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shim: Option<bool>,
    /// The Rust reader of a wrapper whose reading needs real logic (`ssh` joining its words,
    /// `sudo -s` escaping, `find -exec {}`); see `walk::wrappers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader: Option<Reader>,
    /// The language of the code the program runs (`python -c CODE`, `node -e CODE`, code on
    /// standard input), whose string literals are read for commands, requests and SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// A framework console that runs code in the application (`rails runner`, `manage.py
    /// shell`, `artisan tinker`); `python manage.py …` and `php artisan …` are read as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<Console>,
    /// The project file whose tasks the program runs (`make reset`: the Makefile's recipe).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Tasks>,
    /// The migrations the program applies (`prisma migrate deploy`): where they are and how
    /// to read what a pending one does (`walk::migrations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrations: Option<Migrations>,
    /// Prefixes that make an argument a file the program reads as its payload (aws's
    /// `file://batch.json`, `fileb://`): the file's text is read with the arguments, so the
    /// rules' `argv` patterns see what it says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payload_files: Vec<String>,
    /// Container images whose entrypoint is a client, by repository (`"curlimages/curl" =
    /// ["curl"]`): `docker run IMAGE ARGS` (and `kubectl run --image`) runs the client with
    /// ARGS. An image not listed runs the words after it as its command.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entrypoints: BTreeMap<String, Vec<String>>,
    /// What the program runs inside it, read from this table's option rows: `runs = [{}]`,
    /// the command after its options (`nice -n 5 CMD`); `[{ under = "exec" }]`, after a
    /// subcommand (`bundle exec CMD`); `[{ after = "--" }]`, after a `--`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunsRow>,
    /// How command lines of this program must be read — the table's own tests, checked by
    /// `interlock rules test` and the suite like the rules' examples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<ReadExample>,
}

/// The analyzers a `[[program]]` table can name (`analyzer = "psql"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Analyzer {
    /// curl's grammar: method, URL, headers, body (`analyze/http/curl.rs`).
    Curl,
    Wget,
    /// HTTPie and xh: `http POST host/path field=value`.
    Httpie,
    Railway,
    Terraform,
    Git,
    Gh,
    /// A database client's statements (`-c`, `-f`, stdin), in each client's grammar.
    Psql,
    Mysql,
    Sqlite3,
    RedisCli,
    Mongosh,
}

impl Analyzer {
    /// Whether the program's arguments carry the statements it sends (a database client's
    /// `-c`, `railway api`): one the shell computes at run time cannot be read in advance.
    pub fn takes_statements(self) -> bool {
        use Analyzer::*;
        matches!(self, Psql | Mysql | Sqlite3 | RedisCli | Mongosh | Railway)
    }
}

/// Wrappers whose reading needs real logic, each a function in `walk::wrappers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reader {
    /// A shell: `-c STRING`, a script file, or commands on standard input.
    Shell,
    /// `xargs CMD`: CMD with arguments read from its input.
    Xargs,
    /// `crontab FILE`: the table's jobs run later.
    Crontab,
    /// git: an alias (`git nuke`) runs more git or, with `!`, a shell command.
    Git,
    /// `java -jar NAME.jar ARGS`: the tool the jar is (`jenkins-cli.jar` runs `jenkins-cli`).
    Java,
    Sudo,
    Su,
    Runuser,
    Env,
    Flock,
    Script,
    Watch,
    Entr,
    Parallel,
    Find,
    Npx,
    Npm,
    /// pnpm and yarn: `dlx`/`exec`, or a word that is not one of their own commands.
    PackageManager,
    Bun,
    Uv,
    Uvx,
    Pipx,
    Dotenv,
    /// doppler, infisical, op: `run [options] -- CMD`.
    SecretsRun,
    Cargo,
    Go,
    Chroot,
    Screen,
    Tmux,
    /// at(1), batch(1): the commands they run later come from stdin.
    At,
    Ssh,
    Ansible,
    Kubectl,
    Docker,
    Compose,
    Fly,
    Heroku,
    Railway,
    Gcloud,
    Aws,
}

/// The languages whose one-liners the walker reads (`walk::interp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Language {
    Python,
    /// Node.js and Bun: `-e`/`-p`/`--eval`/`--print`.
    Javascript,
    /// Deno: `deno eval CODE`.
    Deno,
    Ruby,
    Perl,
    Php,
    Lua,
    /// awk's program is its first operand.
    Awk,
}

/// Framework consoles (`walk::interp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Console {
    /// `rails runner CODE`, `rails console` (code on stdin).
    Rails,
    /// `manage.py shell -c CODE`, `manage.py shell` (stdin).
    Django,
    /// `artisan tinker --execute=CODE`, `artisan tinker` (stdin).
    Artisan,
}

/// Project task runners (`walk::project`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tasks {
    /// A Makefile's recipes.
    Make,
    /// A justfile's recipes.
    Just,
    /// A Taskfile's tasks (go-task: `task db:reset`).
    Taskfile,
    /// package.json scripts through `run` and the lifecycle commands (`npm test`).
    Npm,
    /// package.json scripts through `run` or a bare word (`yarn db:reset`, `pnpm`, `bun`).
    PackageScripts,
}

/// How a migration tool's pending migrations are found and read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Migrations {
    /// The command paths that apply pending migrations (`"migrate deploy"`, `"upgrade"`,
    /// `"db:migrate"`); `"*"` for a tool whose only operands say where (`atlas migrate apply`).
    pub applies: Vec<String>,
    /// Where the migration files are, relative to the working directory, as globs (one `*`
    /// per path component): `"prisma/migrations/*/migration.sql"`.
    pub files: Vec<String>,
    /// Options whose value is the migrations directory instead (`goose -dir DIR`): the
    /// file name part of each `files` glob is looked for there.
    #[serde(default)]
    pub dir_options: Vec<String>,
    /// The language of a migration written as code (`python`, `ruby`, `javascript`): its
    /// string literals are read for SQL and deletes as any such code is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Whether a migration without a `language` is itself SQL (`false`: a changelog or a
    /// DSL read only through `ops`).
    #[serde(default = "yes")]
    pub sql: bool,
    /// Where the part that applies starts (`def upgrade`) and where it ends (`def
    /// downgrade`, `-- +goose Down`), as regexes; absent, the file's start and end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub down: Option<String>,
    /// The tool's schema operations and the SQL each stands for (`op.drop_table('users')`
    /// is `DROP TABLE users`): `call` is a regex whose groups fill `$1`, `$2` in `sql`.
    #[serde(default)]
    pub ops: Vec<MigrationOp>,
}

/// One schema operation of a migration DSL and the SQL it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationOp {
    pub call: String,
    pub sql: String,
}

/// One thing a wrapper runs, read with the program's option rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RunsRow {
    /// The subcommand path before the command (`"exec"` for `bundle exec CMD`); none: the
    /// command follows the program's options directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under: Option<String>,
    /// `"--"`: the command is what follows the first `--` (`kubectl exec POD -- CMD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Operands before the command that are not part of it (`timeout 30 CMD`: 1).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skip: usize,
    /// Options with which the program runs nothing (`command -v`, `doas -C FILE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<String>,
    /// The command it runs, when that is fixed rather than its operands (`rails dbconsole`
    /// opens the application's database client: `["psql"]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// For the human: where or how the command runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One option of a `[[program]]` table: `{ short = "e", long = "environment", role =
/// "target", meaning = "the environment the command acts on" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawRow", into = "RawRow")]
pub struct OptionRow {
    /// The one-letter form (`-e`), if there is one.
    pub short: Option<char>,
    /// The long form without its dashes (`environment`), if there is one.
    pub long: Option<String>,
    /// Whether a value follows (`-e VALUE`, `-eVALUE`, `--environment VALUE`, `=VALUE`).
    pub value: bool,
    /// What the option does to the reading of the call, beyond taking a value.
    pub role: Option<Role>,
    /// The subcommand path where the option is read: exactly there (`"compose"` for
    /// `docker compose -p NAME up`, `""` for before the first subcommand word), or anywhere
    /// below it (`"compose *"`); anywhere when None. A word may list alternatives
    /// (`"exec|run"`).
    pub under: Option<String>,
    /// What the option means, for people reading the table (and `interlock explain`).
    pub meaning: Option<String>,
}

/// What an option does to the reading of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Its value names where the call lands (environment, context, app, project).
    Target,
    /// It makes the call a dry run that changes nothing (`--dry-run`, `--dry-run=client`;
    /// not with the value `none`/`false`/`0`/`no`): no rule for the program applies.
    DryRun,
    /// Its value is SQL the program sends to a database (`wrangler d1 execute --command`),
    /// read with the SQL scanner so that rules can name statement kinds.
    Sql,
    /// Its value names a file of SQL the program sends (`wrangler d1 execute --file
    /// drop.sql`): the file is read and scanned as `sql` values are.
    SqlFile,
    /// Its value is a command line the program runs (`tar --to-command=CMD`,
    /// `--checkpoint-action=exec=CMD`, `rsync -e CMD`, `ssh -o ProxyCommand=CMD`): the walker
    /// judges it as a shell string (after a leading `KEY=`).
    Command,
    /// Its value names a file (or a directory of them) the program acts on as its payload
    /// (`kubectl delete -f k8s/`): the text is read with the arguments, so `argv` patterns
    /// see what it declares.
    Payload,
}

/// A row as written. `role = "target"` and `role = "sql"` imply a value.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    short: Option<char>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    long: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    under: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    meaning: Option<String>,
}

impl TryFrom<RawRow> for OptionRow {
    type Error = String;

    fn try_from(raw: RawRow) -> Result<Self, String> {
        if raw.short.is_none() && raw.long.is_none() {
            return Err("an option row needs `short` or `long`".into());
        }
        if let Some(long) = &raw.long
            && (long.is_empty() || long.starts_with('-') || long.contains('='))
        {
            return Err(format!("`long = \"{long}\"`: write the name without dashes or `=`"));
        }
        if raw.short.is_some_and(|c| c == '-' || c.is_whitespace()) {
            return Err("`short` is one letter, without its dash".into());
        }
        let implied =
            matches!(raw.role, Some(Role::Target | Role::Sql | Role::SqlFile | Role::Payload | Role::Command));
        if implied && raw.value == Some(false) {
            return Err("an option with `role = \"target\"` or `\"sql\"` takes a value".into());
        }
        Ok(OptionRow {
            short: raw.short,
            long: raw.long,
            value: raw.value.unwrap_or(implied),
            role: raw.role,
            under: raw.under,
            meaning: raw.meaning,
        })
    }
}

impl From<OptionRow> for RawRow {
    fn from(row: OptionRow) -> Self {
        RawRow {
            short: row.short,
            long: row.long,
            value: Some(row.value),
            role: row.role,
            under: row.under,
            meaning: row.meaning,
        }
    }
}

/// How one command line of the program must be read: `{ args = "-s api volume delete",
/// command = "volume delete", targets = ["production"] }`; for a wrapper, what it runs:
/// `{ args = "-n 5 psql -c 'DROP TABLE t'", runs = "psql -c 'DROP TABLE t'" }`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadExample {
    /// The arguments after the program name, shell-quoted.
    pub args: String,
    /// The subcommand path and operands, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// What the wrapper runs, shell-quoted (`""`: nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
}

/// A program's option rows as they hold at one subcommand path: the grammar a wrapper's
/// reader parses with (`options::Grammar`), the same rows the argv analyzer reads.
pub(crate) struct SpecGrammar<'a> {
    spec: &'a ProgramSpec,
    path: Vec<String>,
}

impl crate::analyze::options::Grammar for SpecGrammar<'_> {
    fn short_takes_value(&self, c: char) -> Option<bool> {
        self.spec.option(&format!("-{c}"), &self.path).map(|r| r.value)
    }

    fn long_takes_value(&self, name: &str) -> Option<bool> {
        let dashes = if self.spec.clusters { "--" } else { "-" };
        self.spec.option(&format!("{dashes}{name}"), &self.path).map(|r| r.value)
    }

    fn single_dash(&self) -> bool {
        !self.spec.clusters
    }
}

impl ProgramSpec {
    /// The option grammar at the subcommand path `path` (`&[]`: before the first subcommand
    /// word; `&["exec"]`: `docker exec`'s options).
    pub(crate) fn at(&self, path: &[&str]) -> SpecGrammar<'_> {
        SpecGrammar { spec: self, path: path.iter().map(|w| w.to_string()).collect() }
    }

    /// Whether the program runs another command: it has a reader or `runs` rows.
    pub fn is_wrapper(&self) -> bool {
        self.reader.is_some() || !self.runs.is_empty()
    }

    /// Whether the walker finds more in a call of the program than the call itself: what a
    /// wrapper runs, interpreter code, a project's tasks.
    pub fn runs_others(&self) -> bool {
        self.is_wrapper() || self.language.is_some() || self.console.is_some() || self.tasks.is_some()
    }

    /// Whether the program gets a shim without rules of its own (see `shim`).
    pub fn shimmed(&self) -> bool {
        self.shim.unwrap_or(!self.runs_others())
    }

    /// The options before the first operand (or `--`), POSIX style, read with this table's
    /// rows where the subcommand path so far is `command`: each option as written, with its
    /// value when its row takes one, and the index of the first word after them.
    pub fn leading_options(&self, args: &[String], command: &[String]) -> (Vec<(String, Option<String>)>, usize) {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(arg) = args.get(i) {
            if arg == "--" {
                return (out, i + 1);
            }
            if arg == "-" || !arg.starts_with('-') {
                break;
            }
            i += 1;
            let takes = |written: &str| self.option(written, command).is_some_and(|r| r.value);
            if let Some((flag, value)) = arg.split_once('=').filter(|_| arg.starts_with("--") || !self.clusters) {
                out.push((flag.to_string(), Some(value.to_string())));
            } else if arg.starts_with("--") || !self.clusters || arg.len() == 2 {
                let value = takes(arg).then(|| args.get(i).cloned()).flatten();
                i += usize::from(value.is_some());
                out.push((arg.clone(), value));
            } else {
                // A short cluster: the first letter that takes a value eats the rest of the
                // word (`-n5`), or the next word.
                for (pos, c) in arg[1..].char_indices() {
                    let flag = format!("-{c}");
                    if takes(&flag) {
                        let rest = &arg[1 + pos + c.len_utf8()..];
                        let value = if rest.is_empty() {
                            i += 1;
                            args.get(i - 1).cloned()
                        } else {
                            Some(rest.to_string())
                        };
                        out.push((flag, value));
                        break;
                    }
                    out.push((flag, None));
                }
            }
        }
        (out, i)
    }

    /// The row for the option word `written` (`-e`, `--environment`, terraform's `-out`)
    /// where the subcommand path so far is `command`.
    pub fn option(&self, written: &str, command: &[String]) -> Option<&OptionRow> {
        let (short, long) = if let Some(long) = written.strip_prefix("--") {
            (None, Some(long))
        } else {
            let rest = written.strip_prefix('-')?;
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => (Some(c), (!self.clusters).then_some(rest)),
                _ if !self.clusters => (None, Some(rest)),
                _ => return None,
            }
        };
        self.options.iter().find(|row| {
            let named = (short.is_some() && row.short == short) || long.is_some_and(|l| row.long.as_deref() == Some(l));
            named && row.applies_under(command)
        })
    }
}

impl OptionRow {
    /// Whether the row holds where the subcommand path so far is `command`: exactly that
    /// path (`under = "compose"`: `docker compose -f FILE …` but not `docker compose rm -f`;
    /// `under = ""`: before the first subcommand word), or anywhere below it with a final
    /// `*` (`under = "compose *"`).
    fn applies_under(&self, command: &[String]) -> bool {
        self.under.as_deref().is_none_or(|path| {
            let (path, subtree) = match path.trim_end().strip_suffix('*') {
                Some(p) => (p, true),
                None => (path, false),
            };
            let words: Vec<&str> = path.split_whitespace().collect();
            let long_enough = if subtree { command.len() >= words.len() } else { command.len() == words.len() };
            long_enough && command.iter().zip(&words).all(|(c, w)| w.split('|').any(|alt| alt == c))
        })
    }

    /// The option's spellings as a program with (or without, `clusters = false`) short
    /// clusters writes them: `-e`, `--environment` (`-out` for terraform).
    pub fn spellings(&self, clusters: bool) -> impl Iterator<Item = String> + '_ {
        let dashes = if clusters { "--" } else { "-" };
        self.short.map(|c| format!("-{c}")).into_iter().chain(self.long.iter().map(move |l| format!("{dashes}{l}")))
    }
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
