//! Pending migrations, judged before the runner applies them: `prisma migrate deploy`,
//! `alembic upgrade head`, `rails db:migrate`, `manage.py migrate`, `knex migrate:latest`,
//! `dbmate up`, `goose up`, `flyway migrate`, `sqitch deploy`, …
//!
//! Which migrations are pending is known only to the database; interlock reads the project
//! instead. The heuristic (the README states it): in a git repository, a migration file that
//! git does not track or that differs from what git recorded (`git status` would list it) is
//! pending — that is what an agent writes and then applies; outside a repository, the newest
//! migration (by name, as the tools order them) is. What such a file does to the database is
//! read from its SQL, or from the tool's schema operations (`op.drop_table`, `DeleteModel`,
//! `dropTable`, `remove_column`: the table's `ops`) and the SQL and deletes in its code, in
//! the part that applies (`upgrade()`, not `downgrade()`). Each becomes an ordinary command
//! (`psql -c 'DROP TABLE users'`) judged by the SQL rules.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::gitindex::{Index, State};
use super::interp;
use super::project::Task;
use crate::analyze::spec::Migrations;
use crate::invocation::program_name;
use crate::registry::Registry;

/// How many migration files one command's walk reads.
const MAX_FILES: usize = 64;

/// What the pending migrations `argv` applies do, as shell text to judge; `None` when
/// `argv` applies no migrations.
pub(crate) fn applied(argv: &[String], cwd: &Path, registry: &Registry) -> Option<Result<Vec<Task>, String>> {
    let (name, migrations, dir) = tool(argv, registry)?;
    Some(pending_tasks(&migrations, dir.as_deref(), cwd, &name, registry))
}

/// The migration tool `argv` runs to apply migrations: its name, its table's `migrations`,
/// and the directory an option names. No files are read.
pub(crate) fn tool(argv: &[String], registry: &Registry) -> Option<(String, Migrations, Option<String>)> {
    use crate::analyze::options::Grammar;
    let mut name = program_name(std::ffi::OsStr::new(argv.first()?));
    let mut args = &argv[1..];
    // `python manage.py migrate`, `php artisan migrate`: the framework's own command.
    if let Some(first) = args.first()
        && let Some(script) = ["manage.py", "artisan"].into_iter().find(|s| first.trim_start_matches("./") == *s)
        && registry.language(&name).0.is_some()
    {
        name = script.to_string();
        args = &args[1..];
    }
    let (migrations, operands, dir) = registry.with_spec(&name, |spec| {
        let spec = spec?;
        let m = spec.migrations.clone()?;
        let (p, operands) = spec.at(&[]).parse_permuted(args);
        let dir = m.dir_options.iter().find_map(|o| p.value(&[o.as_str()]).map(str::to_string));
        Some((m, operands, dir))
    })?;
    let applies = migrations.applies.iter().any(|a| {
        let words: Vec<&str> = a.split_whitespace().collect();
        words.len() <= operands.len() && words.iter().zip(&operands).all(|(w, o)| *w == "*" || w == o)
    });
    applies.then_some((name, migrations, dir))
}

fn pending_tasks(
    m: &Migrations,
    dir: Option<&str>,
    cwd: &Path,
    tool: &str,
    registry: &Registry,
) -> Result<Vec<Task>, String> {
    let files = pending_files(m, dir, cwd)?;
    let mut out = Vec::new();
    for file in files {
        let text =
            super::read_script(&file).map_err(|e| format!("the migration {} cannot be read ({e})", file.display()))?;
        let shown = file.strip_prefix(cwd).unwrap_or(&file).display().to_string();
        let note = format!("the pending migration {shown} that `{tool}` applies");
        for text in judged(m, &text, &file, registry)? {
            out.push(Task { text, dir: cwd.to_path_buf(), note: note.clone() });
        }
    }
    Ok(out)
}

/// The migration files the command will apply, by the heuristic above.
fn pending_files(m: &Migrations, dir: Option<&str>, cwd: &Path) -> Result<Vec<PathBuf>, String> {
    let globs: Vec<String> = match dir {
        Some(d) => {
            let d = d.trim_start_matches("file://").trim_start_matches("filesystem:");
            m.files
                .iter()
                .map(|f| format!("{}/{}", d.trim_end_matches('/'), f.rsplit('/').next().unwrap_or(f)))
                .collect()
        }
        None => m.files.clone(),
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for g in &globs {
        files.extend(expand(cwd, g));
    }
    files.sort();
    files.dedup();
    let index = Index::of(cwd)?;
    let pending: Vec<PathBuf> = match &index {
        Some(index) => files.into_iter().filter(|f| index.state(f) != State::Unchanged).collect(),
        // No repository: the newest migration, by name.
        None => files.into_iter().max_by(|a, b| a.file_name().cmp(&b.file_name())).into_iter().collect(),
    };
    if pending.len() > MAX_FILES {
        return Err(format!("{} pending migrations, more than interlock reads", pending.len()));
    }
    Ok(pending)
}

/// The files a glob names under `cwd`: each `*`/`?`/`[…]` component is matched against the
/// directory's entries.
fn expand(cwd: &Path, glob: &str) -> Vec<PathBuf> {
    let mut paths = vec![cwd.to_path_buf()];
    for comp in glob.split('/').filter(|c| !c.is_empty()) {
        let mut next = Vec::new();
        if comp.contains(['*', '?', '[']) {
            let Ok(matcher) = globset::Glob::new(comp).map(|g| g.compile_matcher()) else { return Vec::new() };
            for p in &paths {
                let Ok(entries) = std::fs::read_dir(p) else { continue };
                let mut names: Vec<PathBuf> =
                    entries.flatten().filter(|e| matcher.is_match(e.file_name())).map(|e| e.path()).collect();
                names.sort();
                next.extend(names);
            }
        } else {
            next.extend(paths.iter().map(|p| p.join(comp)).filter(|p| p.exists()));
        }
        paths = next;
        if paths.len() > 4 * MAX_FILES * 16 {
            break;
        }
    }
    paths.into_iter().filter(|p| p.is_file()).collect()
}

/// What one migration does, as shell text: its SQL (`psql -c …`), each schema operation's
/// SQL, and what the string literals of its code stand for.
fn judged(m: &Migrations, text: &str, file: &Path, registry: &Registry) -> Result<Vec<String>, String> {
    let up = applying_part(m, text)?;
    let mut out = Vec::new();
    let psql = |sql: &str| shell_words::join(["psql", "-c", sql]);
    match m.language {
        None if !m.sql => {}
        None => {
            if !up.trim().is_empty() {
                out.push(psql(up));
            }
        }
        Some(lang) => {
            let none = |_: &Path| Ok(None);
            let guarded = |p: &str| registry.guarded(p);
            let sources = interp::Sources { guarded: &guarded, file: &none, var: &|_| None };
            for found in interp::scan(lang, up, Some(file), &sources).found {
                out.push(match found {
                    interp::Found::Argv(a) => shell_words::join(a),
                    interp::Found::Shell(s) => s,
                });
            }
        }
    }
    for op in &m.ops {
        let re = Regex::new(&op.call).map_err(|e| format!("a migration operation pattern is not a regex: {e}"))?;
        for cap in re.captures_iter(up) {
            let mut sql = String::new();
            cap.expand(&op.sql, &mut sql);
            out.push(psql(&sql));
        }
    }
    Ok(out)
}

/// The part of a migration that applies it: from `up` (or the start) to `down` (or the end).
fn applying_part<'t>(m: &Migrations, text: &'t str) -> Result<&'t str, String> {
    let find = |pattern: &Option<String>, from: usize| -> Result<Option<usize>, String> {
        let Some(p) = pattern else { return Ok(None) };
        let re = Regex::new(p).map_err(|e| format!("a migration marker is not a regex: {e}"))?;
        Ok(re.find_at(text, from).map(|m| m.start()))
    };
    let start = find(&m.up, 0)?.unwrap_or(0);
    let end = find(&m.down, start)?.unwrap_or(text.len());
    Ok(&text[start..end.max(start)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shell_words::split(s).unwrap()
    }

    fn texts(cmd: &str, dir: &Path) -> Vec<String> {
        applied(&words(cmd), dir, &Registry::default())
            .expect("applies migrations")
            .unwrap()
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    fn write(dir: &Path, path: &str, text: &str) {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn the_newest_migration_outside_a_repository() {
        let d = tempfile::tempdir().unwrap();
        let d = d.path();
        write(d, "prisma/migrations/20240101_init/migration.sql", "CREATE TABLE users (id int);");
        write(d, "prisma/migrations/20240202_drop/migration.sql", "-- drop it\nDROP TABLE users;");
        assert_eq!(
            texts("prisma migrate deploy", d),
            [shell_words::join(["psql", "-c", "-- drop it\nDROP TABLE users;"])]
        );
        assert!(applied(&words("prisma migrate status"), d, &Registry::default()).is_none());
    }

    #[test]
    fn dsl_operations_in_the_part_that_applies() {
        let d = tempfile::tempdir().unwrap();
        let d = d.path();
        write(
            d,
            "alembic/versions/0002_drop.py",
            "from alembic import op\ndef upgrade():\n    op.drop_column('users', 'email')\n    op.execute(\"DELETE FROM sessions\")\n\ndef downgrade():\n    op.drop_table('users')\n",
        );
        let got = texts("alembic upgrade head", d);
        assert!(got.iter().any(|t| t.contains("ALTER TABLE users DROP COLUMN email")), "{got:?}");
        assert!(got.iter().any(|t| t.contains("DELETE FROM sessions")), "{got:?}");
        assert!(!got.iter().any(|t| t.contains("DROP TABLE users")), "downgrade() does not run: {got:?}");
        write(d, "shop/migrations/0003_remove.py", "operations = [\n  migrations.DeleteModel(name='Order'),\n]\n");
        assert!(texts("python3 manage.py migrate", d).iter().any(|t| t.contains("DROP TABLE Order")));
        write(
            d,
            "db/migrate/20240101_drop.rb",
            "class X < ActiveRecord::Migration[7.0]\n  def change\n    drop_table :users\n  end\nend\n",
        );
        assert!(texts("bin/rails db:migrate", d).iter().any(|t| t.contains("DROP TABLE users")));
        write(
            d,
            "migrations/20240101_x.js",
            "exports.up = function(knex) { return knex.schema.dropTable('users') };\nexports.down = function(knex) { return knex.schema.createTable('users') };\n",
        );
        assert!(texts("knex migrate:latest", d).iter().any(|t| t.contains("DROP TABLE users")));
        write(
            d,
            "db/migrations/20240101_x.sql",
            "-- migrate:up\nDROP TABLE orders;\n-- migrate:down\nCREATE TABLE orders (id int);\n",
        );
        assert_eq!(texts("dbmate up", d), [shell_words::join(["psql", "-c", "-- migrate:up\nDROP TABLE orders;\n"])]);
        write(d, "sql/00002_x.sql", "-- +goose Up\nALTER TABLE t DROP COLUMN c;\n-- +goose Down\nSELECT 1;\n");
        assert_eq!(texts("goose -dir sql postgres $DB up", d).len(), 1);
    }

    #[test]
    fn only_what_git_does_not_have() {
        let d = tempfile::tempdir().unwrap();
        let d = d.path();
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(d)
                .output()
                .expect("git");
        };
        git(&["init", "-q"]);
        write(d, "prisma/migrations/1_init/migration.sql", "DROP TABLE legacy;");
        git(&["add", "."]);
        git(&["commit", "-qm", "x"]);
        assert!(texts("prisma migrate deploy", d).is_empty(), "committed and unchanged: applied before");
        write(d, "prisma/migrations/2_new/migration.sql", "TRUNCATE orders;");
        assert_eq!(texts("prisma migrate deploy", d), [shell_words::join(["psql", "-c", "TRUNCATE orders;"])]);
    }
}
