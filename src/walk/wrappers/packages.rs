//! Package and project runners: `npx`, `npm exec`, `pnpm`/`yarn` binaries, `uv run`,
//! `pipx run`, `poetry run`, `dotenv`, secrets managers' `run`, `cargo run`, `go run`.

use super::*;

/// npx / `npm exec` / `bunx` / `pnpm dlx`: `-p/--package PKG`, `-c/--call STRING` (a shell
/// string), then the command.
pub(super) const NPX: OptTable = OptTable::new(&[
    val(Some('p'), ""),
    val(Some('c'), ""),
    val(None, "package"),
    val(None, "call"),
    val(None, "registry"),
    val(None, "cache"),
    val(None, "prefix"),
]);

pub(super) fn npx(args: &[String]) -> Step {
    let p = NPX.parse(args);
    if let Some(call) = p.value(&["-c", "--call"]) {
        return runs(Inner::shell(call.to_string()));
    }
    match args.get(p.rest..) {
        Some(rest) if !rest.is_empty() => {
            let mut argv = rest.to_vec();
            argv[0] = package_bin(&argv[0]);
            runs(Inner::argv(argv))
        }
        _ => Step::Not,
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

/// npm: `exec`/`x` run a package's command; global options may come first.
pub(super) const NPM: OptTable = OptTable::new(&[
    val(Some('w'), ""),
    val(Some('C'), ""),
    val(None, "prefix"),
    val(None, "workspace"),
    val(None, "registry"),
    val(None, "cache"),
    val(None, "userconfig"),
]);

pub(super) fn npm(args: &[String]) -> Step {
    let p = NPM.parse(args);
    match args.get(p.rest..) {
        Some([sub, rest @ ..]) if sub == "exec" || sub == "x" => npx(rest),
        _ => Step::Not,
    }
}

/// `uv run [OPTIONS] COMMAND…`; `-m MODULE` runs `python -m MODULE`.
pub(super) const UV_RUN: OptTable = OptTable::new(&[
    val(Some('p'), ""),
    val(Some('C'), ""),
    val(None, "with"),
    val(None, "with-editable"),
    val(None, "with-requirements"),
    val(None, "python"),
    val(None, "project"),
    val(None, "directory"),
    val(None, "env-file"),
    val(None, "extra"),
    val(None, "group"),
    val(None, "only-group"),
    val(None, "no-group"),
    val(None, "package"),
    val(None, "index"),
    val(None, "default-index"),
    val(None, "index-url"),
    val(None, "extra-index-url"),
    val(None, "config-setting"),
    val(None, "config-file"),
]);

pub(super) fn uv_run(args: &[String]) -> Step {
    let p = UV_RUN.parse(args);
    argv_after(&args[p.rest..], OptTable::NONE)
}

/// `uvx`/`uv tool run` and `pipx run`: `[OPTIONS] PACKAGE[@VERSION] ARG…`, `--from SPEC`.
pub(super) const UVX: OptTable = OptTable::new(&[
    val(Some('p'), ""),
    val(None, "from"),
    val(None, "with"),
    val(None, "with-editable"),
    val(None, "with-requirements"),
    val(None, "python"),
    val(None, "index"),
    val(None, "index-url"),
]);

pub(super) fn tool_runner(args: &[String], opts: impl Grammar) -> Step {
    let p = opts.parse(args);
    match args.get(p.rest..) {
        Some(rest) if !rest.is_empty() => {
            let mut argv = rest.to_vec();
            argv[0] = package_bin(&argv[0]);
            runs(Inner::argv(argv))
        }
        _ => Step::Not,
    }
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
