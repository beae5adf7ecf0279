//! Launchers: containment, namespaces, terminals and later — `chroot`, `nsenter`,
//! `unshare`, `proot`, `systemd-run`, `screen`, `tmux`.

use super::*;

/// chroot(8): `chroot [--userspec=U:G] [--groups=G] NEWROOT [COMMAND [ARG…]]`.
pub(super) fn chroot(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
    match args.get(p.rest + 1..) {
        Some(rest) if !rest.is_empty() => runs(Inner::argv(rest.to_vec())),
        // Without a command, chroot runs the shell, which reads stdin.
        _ => Step::Not,
    }
}

/// screen(1): `screen [-dmS NAME …] [COMMAND [ARG…]]` starts COMMAND in a new window.
pub(super) fn screen(args: &[String], spec: &ProgramSpec) -> Step {
    let opts = spec.at(&[]);
    let p = opts.parse(args);
    // `screen -r`, `-ls`, `-X stuff …` address sessions that run already.
    if p.has(&["-r", "-R", "-x", "-ls", "-list", "-X", "-Q"]) {
        return Step::Not;
    }
    argv_after(args, opts)
}

/// tmux(1): `new-session`/`new-window`/`split-window`/`respawn-pane … [SHELL-COMMAND]` run a
/// shell command; `send-keys -t T 'TEXT' Enter` types TEXT into a pane — a shell, when
/// it is one.
pub(super) fn tmux(args: &[String]) -> Step {
    let global = opt_table![val(Some('L'), ""), val(Some('S'), ""), val(Some('f'), ""), val(Some('c'), "")];
    let g = global.parse(args);
    if let Some(c) = g.value(&["-c"]) {
        return runs(Inner::shell(c.to_string()));
    }
    let Some((sub, rest)) = args.get(g.rest..).and_then(<[String]>::split_first) else { return Step::Not };
    let values = opt_table![
        val(Some('t'), ""),
        val(Some('s'), ""),
        val(Some('n'), ""),
        val(Some('c'), ""),
        val(Some('e'), ""),
        val(Some('F'), ""),
        val(Some('x'), ""),
        val(Some('y'), ""),
        val(Some('l'), ""),
        val(Some('p'), ""),
        val(Some('N'), ""),
        val(Some('X'), "")
    ];
    let p = values.parse(rest);
    let words = &rest[p.rest..];
    match sub.as_str() {
        "new-session" | "new" | "new-window" | "neww" | "split-window" | "splitw" | "respawn-pane" | "respawnp"
        | "respawn-window" | "respawnw"
            if !words.is_empty() =>
        {
            runs(Inner::shell(words.join(" ")))
        }
        "send-keys" | "send" => {
            // The literal text before a key name that submits it.
            let text: Vec<&String> =
                words.iter().filter(|w| !matches!(w.as_str(), "Enter" | "C-m" | "KPEnter" | "C-j")).collect();
            let submits = words.iter().any(|w| matches!(w.as_str(), "Enter" | "C-m" | "KPEnter" | "C-j"))
                || words.last().is_some_and(|w| w.ends_with('\n'));
            if text.is_empty() || !submits {
                return Step::Not;
            }
            let typed = text.iter().map(|w| w.as_str()).collect::<Vec<_>>().join(" ");
            runs(Inner { note: Some("typed into a tmux pane".into()), ..Inner::shell(typed) })
        }
        _ => Step::Not,
    }
}

#[test]
fn launchers_run_their_command() {
    let body = |s: &str| first(s).body;
    let rm = Body::Argv(words("rm -rf /srv/data"));
    for s in [
        "busybox rm -rf /srv/data",
        "toybox rm -rf /srv/data",
        "chroot / rm -rf /srv/data",
        "chroot --userspec=app:app /srv/root rm -rf /srv/data",
        "nsenter -t 1 -m -- rm -rf /srv/data",
        "unshare -r rm -rf /srv/data",
        "firejail --quiet --net=none rm -rf /srv/data",
        "proot -r /srv/root rm -rf /srv/data",
        "systemd-run --user --unit nuke rm -rf /srv/data",
        "screen -dmS job rm -rf /srv/data",
    ] {
        assert_eq!(body(s), rm, "{s}");
    }
    let sh = Body::Shell("rm -rf /srv/data".into());
    assert_eq!(body("sudo -i rm -rf /srv/data"), sh);
    assert_eq!(body("sudo -s -- psql -c 'DROP TABLE t'"), Body::Shell("psql -c 'DROP TABLE t'".into()));
    assert_eq!(body("tmux new-session -d 'rm -rf /srv/data'"), sh);
    assert_eq!(body("tmux new-window -n x rm -rf /srv/data"), sh);
    assert_eq!(body("tmux send-keys -t main 'rm -rf /srv/data' Enter"), sh);
    assert_eq!(body("at now + 1 minute"), Body::Stdin);
    assert_eq!(step(&words("tmux send-keys -t main 'rm -rf /srv/data'")), Step::Not, "not submitted");
    assert_eq!(step(&words("tmux attach -t main")), Step::Not);
    assert_eq!(step(&words("screen -r job")), Step::Not);
    assert_eq!(step(&words("at -l")), Step::Not);
    assert_eq!(step(&words("chroot /srv/root")), Step::Not);
}

/// `doppler run`, `infisical run`, `op run`: a command with the secrets of a project (often
/// production's) in its environment — after `--`, or as `--command 'STRING'`.
pub(super) fn secrets_run(args: &[String], spec: &ProgramSpec) -> Step {
    let note = Some("runs with secrets from a secrets manager in its environment (often production's)".to_string());
    if let Some(cut) = args.iter().position(|a| a == "--") {
        let rest = &args[cut + 1..];
        if rest.is_empty() {
            return Step::Not;
        }
        return runs(Inner { note, ..Inner::argv(rest.to_vec()) });
    }
    match spec.at(&["run"]).parse_permuted(args).0.value(&["--command"]) {
        Some(c) => runs(Inner { body: Body::Shell(c.to_string()), env: Vec::new(), note, target: None }),
        None => Step::Not,
    }
}

#[test]
fn secrets_managers_run_commands() {
    assert_eq!(first("doppler run -- psql -c x").body, Body::Argv(words("psql -c x")));
    assert_eq!(first("doppler run -p shop -c prd -- rails db:drop").body, Body::Argv(words("rails db:drop")));
    assert_eq!(first("op run --env-file .env -- npm start").body, Body::Argv(words("npm start")));
    assert_eq!(first("infisical run --env=prod --command 'rails db:drop'").body, Body::Shell("rails db:drop".into()));
    assert_eq!(step(&words("doppler secrets get X")), Step::Not);
    assert_eq!(step(&words("op item get x")), Step::Not);
}

/// `cargo run [--bin NAME | -p PKG] … [-- ARGS]`: the binary named by `--bin` (or the
/// package) with the arguments after `--`. Without a name it is the project's own binary.
pub(super) fn cargo_run(args: &[String], spec: &ProgramSpec) -> Step {
    let cut = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (p, _) = spec.at(&["run"]).parse_permuted(&args[..cut]);
    let Some(bin) = p.value(&["--bin", "--package", "-p"]) else { return Step::Not };
    let mut argv = vec![bin.to_string()];
    argv.extend(args.get(cut + 1..).unwrap_or_default().iter().cloned());
    runs(Inner::argv(argv))
}

/// `go run [build flags] PACKAGE[@VERSION] ARGS…`: a remote package is its last path
/// element (`…/cmd/migrate@latest` → `migrate`); local files or `.` are the project's own.
pub(super) fn go_run(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&["run"]).parse(args);
    let rest = &args[p.rest..];
    let Some(pkg) = rest.first() else { return Step::Not };
    if pkg.starts_with('.') || pkg.ends_with(".go") || !pkg.contains('/') {
        return Step::Not;
    }
    let path = pkg.split('@').next().unwrap_or(pkg);
    let mut name = path.rsplit('/').next().unwrap_or(path);
    if name.len() > 1 && name.starts_with('v') && name[1..].chars().all(|c| c.is_ascii_digit()) {
        name = path.rsplit('/').nth(1).unwrap_or(name); // `…/goose/v3` → `goose`
    }
    let mut argv = vec![name.to_string()];
    argv.extend(rest[1..].iter().cloned());
    runs(Inner::argv(argv))
}

#[test]
fn package_runners() {
    let argv = |s: &str| first(s).body;
    let reset = Body::Argv(words("prisma migrate reset --force"));
    for s in [
        "npx -y prisma migrate reset --force",
        "npx prisma@5.2 migrate reset --force",
        "npx --package=prisma -- prisma migrate reset --force",
        "npm exec -- prisma migrate reset --force",
        "npm x prisma migrate reset --force",
        "npm --prefix api exec prisma migrate reset --force",
        "bunx prisma migrate reset --force",
        "bun x prisma migrate reset --force",
        "pnpm exec prisma migrate reset --force",
        "pnpm dlx prisma migrate reset --force",
        "yarn dlx prisma migrate reset --force",
        "yarn exec prisma migrate reset --force",
        "yarn prisma migrate reset --force",
        "pnpm prisma migrate reset --force",
        "dotenv -e .env.prod -- prisma migrate reset --force",
        "dotenv -f .env run prisma migrate reset --force",
    ] {
        assert_eq!(argv(s), reset, "{s}");
    }
    assert_eq!(argv("npx -c 'prisma migrate reset'"), Body::Shell("prisma migrate reset".into()));
    // Framework commands that open the application's database client.
    for s in [
        "rails dbconsole",
        "bin/rails db -p",
        "python manage.py dbshell",
        "python3 ./manage.py dbshell",
        "django-admin dbshell",
    ] {
        assert_eq!(argv(s), Body::Argv(words("psql")), "{s}");
    }
    for s in ["rails db:migrate", "python manage.py migrate", "python3 -c x", "python script.py dbshell"] {
        assert_eq!(step(&words(s)), Step::Not, "{s}");
    }
    // The package managers' own commands run nothing of the project's.
    for s in ["yarn install", "yarn add prisma", "pnpm remove x", "yarn run build", "yarn --version", "pnpm i"] {
        assert_eq!(step(&words(s)), Step::Not, "{s}");
    }
    let down = Body::Argv(words("alembic downgrade base"));
    for s in [
        "uv run alembic downgrade base",
        "uv run --with psycopg --env-file .env alembic downgrade base",
        "uvx alembic downgrade base",
        "uvx alembic@1.13 downgrade base",
        "uv tool run alembic downgrade base",
        "pipx run alembic downgrade base",
        "poetry run alembic downgrade base",
        "poetry -C api run alembic downgrade base",
    ] {
        assert_eq!(argv(s), down, "{s}");
    }
    assert_eq!(argv("cargo run --bin sqlx -- database drop -y"), Body::Argv(words("sqlx database drop -y")));
    assert_eq!(
        argv("go run github.com/pressly/goose/v3/cmd/goose@latest postgres x reset"),
        Body::Argv(words("goose postgres x reset"))
    );
    // Go's single-dash build flags take their value (`-tags netgo` is not the package).
    assert_eq!(
        argv("go run -tags netgo -ldflags=-s github.com/pressly/goose/v3/cmd/goose@latest reset"),
        Body::Argv(words("goose reset"))
    );
    assert_eq!(step(&words("cargo run")), Step::Not);
    assert_eq!(step(&words("go run ./cmd/server")), Step::Not);
    assert_eq!(step(&words("npm install")), Step::Not);
}
