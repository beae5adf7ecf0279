//! Package and project runners: `npx`, `npm exec`, `pnpm`/`yarn` binaries, `uv run`,
//! `pipx run`, `poetry run`, `dotenv`, secrets managers' `run`, `cargo run`, `go run`.

use super::*;

/// npx / `npm exec` / `bunx` / `pnpm dlx`: `-p/--package PKG`, `-c/--call STRING` (a shell
/// string), then the command; `spec` is npx's table.
pub(super) fn npx(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
    if let Some(call) = p.value(&["-c", "--call"]) {
        return runs(Inner::shell(call.to_string()));
    }
    package_command(&args[p.rest..])
}

/// A package's command and its arguments (`prisma@5 migrate reset` runs `prisma migrate
/// reset`); nothing when no package is named.
fn package_command(rest: &[String]) -> Step {
    match rest.split_first() {
        Some((package, args)) => {
            runs(Inner::argv(std::iter::once(package_bin(package)).chain(args.iter().cloned()).collect()))
        }
        None => Step::Not,
    }
}

/// The command a package spec runs: `prisma@5.1` → `prisma`, `@scope/cli@1` → `cli`,
/// `alembic==1.13` → `alembic`, `ruff[all]` → `ruff`.
pub(super) fn package_bin(spec: &str) -> String {
    let unscoped = spec.strip_prefix('@').map_or(spec, |s| s.split_once('/').map_or(s, |(_, b)| b));
    let end = unscoped.find(['@', '=', '[', '<', '>', '~', '!']).unwrap_or(unscoped.len());
    if end == 0 { spec.to_string() } else { unscoped[..end].to_string() }
}

/// The commands of yarn (classic and berry) and pnpm themselves: any other first word runs a
/// script or a binary of the project's packages.
pub(super) const PACKAGE_MANAGER_COMMANDS: &[&str] = &[
    "add",
    "audit",
    "autoclean",
    "bin",
    "c",
    "cache",
    "cat-file",
    "cat-index",
    "check",
    "config",
    "constraints",
    "create",
    "dedupe",
    "deploy",
    "dlx",
    "doctor",
    "env",
    "exec",
    "explain",
    "fetch",
    "find-hash",
    "generate-lock-entry",
    "get",
    "global",
    "help",
    "i",
    "import",
    "info",
    "init",
    "install",
    "install-test",
    "it",
    "licenses",
    "link",
    "list",
    "ln",
    "login",
    "logout",
    "ls",
    "node",
    "npm",
    "outdated",
    "owner",
    "pack",
    "patch",
    "patch-commit",
    "plugin",
    "policies",
    "prune",
    "publish",
    "rb",
    "rebuild",
    "recursive",
    "remove",
    "rm",
    "root",
    "run",
    "run-script",
    "sdks",
    "search",
    "self-update",
    "server",
    "set",
    "setup",
    "stage",
    "start",
    "store",
    "t",
    "tag",
    "team",
    "test",
    "un",
    "uninstall",
    "unlink",
    "unplug",
    "up",
    "update",
    "upgrade",
    "upgrade-interactive",
    "version",
    "versions",
    "why",
    "workspace",
    "workspaces",
];

/// npm: `exec`/`x` run a package's command (read with npx's options); global options may
/// come first.
pub(super) fn npm(args: &[String], spec: &ProgramSpec, registry: &Registry) -> Step {
    let p = spec.at(&[]).parse(args);
    match args.get(p.rest..) {
        Some([sub, rest @ ..]) if sub == "exec" || sub == "x" => as_npx(rest, registry),
        _ => Step::Not,
    }
}

/// What a package manager's `exec`/`dlx`/`x` runs, read as npx reads it.
pub(super) fn as_npx(args: &[String], registry: &Registry) -> Step {
    read_as(registry, "npx", |npx_spec| npx(args, npx_spec))
}

/// `uv run [OPTIONS] COMMAND…` (uv's rows under `run`).
pub(super) fn uv_run(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&["run"]).parse(args);
    let rest = &args[p.rest..];
    // `uv run cleanup.py` (or `--script x.py`) runs the file with Python.
    if p.has(&["--script"]) || rest.first().is_some_and(|a| a.ends_with(".py") || a.ends_with(".pyw")) {
        let mut argv = vec!["python".to_string()];
        argv.extend(rest.iter().cloned());
        return runs(Inner::argv(argv));
    }
    argv_after(rest, OptTable::NONE)
}

/// `uvx`/`uv tool run` and `pipx run`: `[OPTIONS] PACKAGE[@VERSION] ARG…`.
pub(super) fn tool_runner(args: &[String], opts: impl Grammar) -> Step {
    let p = opts.parse(args);
    package_command(&args[p.rest..])
}

pub(super) fn dotenv(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
    let rest = &args[p.rest..];
    match rest.first().map(String::as_str) {
        Some("run") => argv_after(&rest[1..], OptTable::NONE),
        Some(_) => runs(Inner::argv(rest.to_vec())),
        None => Step::Not,
    }
}
