//! Wrappers: programs whose job is to run another command — here (`sudo`, `nohup`,
//! `npx`, `uv run`), as another user (`su -c`), or somewhere else (`ssh HOST …`,
//! `kubectl exec POD -- …`, `docker exec`, `fly ssh console -C`, `aws ssm send-command`).
//!
//! `step` reads one wrapper's argv the way that program does — its own options first, each
//! option spelled as in its manual (`-iu postgres`, `--user=postgres`, `-upostgres`) — and
//! says what it runs next: an argv, a shell string, or its standard input. No shim exists on
//! a remote host or inside a container, so this is the only place such a command is seen;
//! the remote end is reported as a target, so a production-looking host raises severity.
//!
//! Invariant: a wrapper whose inner command cannot be told (it is computed, or the wrapper
//! reads it from somewhere interlock does not) is `Unknown`, never "runs nothing".

mod launchers;
mod packages;
mod remote;
mod schedule;
mod user;

use crate::analyze::options::{OptTable, opt_table, val};
use crate::invocation::program_name;
use launchers::*;
use packages::*;
use remote::*;
use schedule::*;
use user::*;

/// What runs inside a wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// A command, argv as the wrapper will exec it.
    Argv(Vec<String>),
    /// A shell string (`su -c`, `ssh HOST 'a; b'`, `script -c`).
    Shell(String),
    /// A shell reading its commands from standard input (`su postgres < x.sh`).
    Stdin,
}

/// One command a wrapper runs, with what the wrapper adds around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inner {
    pub body: Body,
    /// `NAME=value` assignments the wrapper puts in the command's environment.
    pub env: Vec<(String, String)>,
    /// For the human: where or how the command runs.
    pub note: Option<String>,
    /// Where the command lands (a host, pod, container, app), a production signal.
    pub target: Option<String>,
}

impl Inner {
    fn argv(argv: Vec<String>) -> Inner {
        Inner { body: Body::Argv(argv), env: Vec::new(), note: None, target: None }
    }

    fn shell(text: String) -> Inner {
        Inner { body: Body::Shell(text), env: Vec::new(), note: None, target: None }
    }

    fn remote(mut self, target: Option<&str>, note: String) -> Inner {
        self.target = target.map(str::to_string);
        self.note = Some(note);
        self
    }
}

/// What a program runs besides itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Not a wrapper (or used in a way that runs nothing else): the command is itself.
    Not,
    /// Runs these commands.
    Runs(Vec<Inner>),
    /// Runs something interlock cannot see in advance.
    Unknown(String),
}

fn runs(inner: Inner) -> Step {
    Step::Runs(vec![inner])
}

/// The shell strings a remote command given as several words can run. ssh (and the CLIs
/// built on it) join the words with spaces and the remote shell splits them again, so
/// `ssh h psql -c 'DROP TABLE t'` runs `psql -c DROP TABLE t`; but the author meant the
/// quoted word as one. Both readings are judged.
fn remote_shell(words: &[String], target: Option<&str>, note: String) -> Step {
    let joined = words.join(" ");
    let quoted = shell_words::join(words);
    let mut out = vec![Inner::shell(joined.clone()).remote(target, note.clone())];
    if words.len() > 1 && quoted != joined {
        out.push(Inner::shell(quoted).remote(target, note));
    }
    Step::Runs(out)
}

/// The command after a wrapper's options, or `Not` when there is none (`sudo -v`).
fn argv_after(args: &[String], opts: OptTable) -> Step {
    let p = opts.parse(args);
    match args.get(p.rest..) {
        Some(rest) if !rest.is_empty() => runs(Inner::argv(rest.to_vec())),
        _ => Step::Not,
    }
}

/// Leading `NAME=value` words (as `sudo` and `env` accept them) split off an argv.
fn split_assignments(argv: &[String]) -> (Vec<(String, String)>, Vec<String>) {
    let n = argv.iter().take_while(|a| assignment(a).is_some()).count();
    let env = argv[..n].iter().filter_map(|a| assignment(a)).collect();
    (env, argv[n..].to_vec())
}

fn assignment(word: &str) -> Option<(String, String)> {
    let (k, v) = word.split_once('=')?;
    is_name(k).then(|| (k.to_string(), v.to_string()))
}

pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// Every program `step` reads; any other program is not a wrapper. The shims put these in
/// front of the real programs too, so a wrapper run from a script is seen like one typed.
pub(crate) const NAMES: &[&str] = &[
    "sudo",
    "doas",
    "pkexec",
    "su",
    "runuser",
    "env",
    "nohup",
    "builtin",
    "exec",
    "chronic",
    "setsid",
    "time",
    "nice",
    "ionice",
    "caffeinate",
    "stdbuf",
    "timeout",
    "flock",
    "script",
    "command",
    "watch",
    "entr",
    "parallel",
    "find",
    "npx",
    "bunx",
    "npm",
    "pnpm",
    "yarn",
    "bun",
    "bundle",
    "uvx",
    "uv",
    "pipx",
    "poetry",
    "pdm",
    "hatch",
    "rye",
    "dotenv",
    "cargo",
    "go",
    "ssh",
    "kubectl",
    "oc",
    "docker",
    "podman",
    "nerdctl",
    "docker-compose",
    "podman-compose",
    "fly",
    "flyctl",
    "heroku",
    "railway",
    "gcloud",
    "aws",
    "ansible",
    "busybox",
    "toybox",
    "chroot",
    "nsenter",
    "unshare",
    "firejail",
    "proot",
    "systemd-run",
    "screen",
    "tmux",
    "at",
    "batch",
    "doppler",
    "infisical",
    "op",
    "rails",
    "manage.py",
    "django-admin",
    "python",
    "python3",
];

/// The wrappers the shims stand in front of: those that reach another user, host or
/// container, where no shim can follow. Local runners (`nohup`, `npx`, `uv run`) are not
/// shimmed: what they run is looked up on PATH and meets its own shim.
pub(crate) const SHIMMED: &[&str] = &[
    "sudo",
    "doas",
    "pkexec",
    "su",
    "runuser",
    "ssh",
    "ansible",
    "kubectl",
    "oc",
    "docker",
    "podman",
    "docker-compose",
    "fly",
    "flyctl",
    "heroku",
    "railway",
    "gcloud",
    "aws",
];

/// Whether `program` (a basename) can run another command.
pub(crate) fn is_wrapper(program: &str) -> bool {
    NAMES.contains(&program)
}

/// What `argv` runs besides itself. `argv[0]` may be a path.
pub(crate) fn step(argv: &[String]) -> Step {
    let Some(first) = argv.first() else { return Step::Not };
    let name = program_name(std::ffi::OsStr::new(first));
    if !is_wrapper(&name) {
        return Step::Not;
    }
    let args = &argv[1..];
    match name.as_str() {
        "sudo" => sudo(args),
        "doas" => {
            let p = DOAS.parse(args);
            if p.has(&["-C"]) { Step::Not } else { argv_after(args, DOAS) }
        }
        "pkexec" => argv_after(args, PKEXEC),
        "su" => su(args, SU),
        "runuser" => {
            let p = RUNUSER.parse(args);
            if p.has(&["-u", "--user"]) { argv_after(args, RUNUSER) } else { su(args, RUNUSER) }
        }
        "env" => env(args),
        "nohup" | "builtin" | "exec" | "chronic" | "setsid" => argv_after(args, OptTable::NONE),
        "time" => argv_after(args, opt_table![val(Some('f'), "format"), val(Some('o'), "output")]),
        "nice" => argv_after(args, opt_table![val(Some('n'), "adjustment")]),
        "ionice" => {
            let p = IONICE.parse(args);
            if p.has(&["-p", "--pid", "-P", "--pgid", "-u", "--uid"]) { Step::Not } else { argv_after(args, IONICE) }
        }
        "caffeinate" => argv_after(args, opt_table![val(Some('t'), ""), val(Some('w'), "")]),
        "stdbuf" => {
            argv_after(args, opt_table![val(Some('i'), "input"), val(Some('o'), "output"), val(Some('e'), "error")])
        }
        "timeout" => {
            let p = TIMEOUT.parse(args);
            // The first operand is the duration.
            match args.get(p.rest + 1..) {
                Some(rest) if !rest.is_empty() => runs(Inner::argv(rest.to_vec())),
                _ => Step::Not,
            }
        }
        "flock" => flock(args),
        "script" => {
            let p = SCRIPT.parse_permuted(args).0;
            p.value(&["-c", "--command"]).map_or(Step::Not, |c| runs(Inner::shell(c.to_string())))
        }
        "command" => {
            let p = OptTable::NONE.parse(args);
            if p.has(&["-v", "-V"]) { Step::Not } else { argv_after(args, OptTable::NONE) }
        }
        "watch" => watch(args),
        "entr" => entr(args),
        "parallel" => parallel(args),
        "find" => find(args),
        "npx" | "bunx" => npx(args),
        "npm" => npm(args),
        "pnpm" | "yarn" => match args.first().map(String::as_str) {
            Some("dlx" | "exec") => npx(&args[1..]),
            // `yarn prisma …`, `pnpm prisma …`: a word that is not one of the package
            // manager's own commands runs the package's binary (a script of that name is read
            // from package.json as well, by the project tasks).
            Some(word) if !word.starts_with('-') && !PACKAGE_MANAGER_COMMANDS.contains(&word) => {
                argv_after(args, OptTable::NONE)
            }
            _ => Step::Not,
        },
        "bun" if args.first().is_some_and(|a| a == "x") => npx(&args[1..]),
        "bundle" if args.first().is_some_and(|a| a == "exec") => argv_after(&args[1..], OptTable::NONE),
        "uvx" => tool_runner(args, UVX),
        "uv" => match args.first().map(String::as_str) {
            Some("run") => uv_run(&args[1..]),
            Some("tool") if args.get(1).is_some_and(|a| a == "run") => tool_runner(&args[2..], UVX),
            _ => Step::Not,
        },
        "pipx" if args.first().is_some_and(|a| a == "run") => tool_runner(&args[1..], PIPX),
        "poetry" | "pdm" | "hatch" | "rye" => {
            let p = POETRY.parse(args);
            match args.get(p.rest..) {
                Some([run, rest @ ..]) if run == "run" && !rest.is_empty() => argv_after(rest, OptTable::NONE),
                _ => Step::Not,
            }
        }
        "dotenv" => dotenv(args),
        "cargo" if args.first().is_some_and(|a| a == "run") => cargo_run(&args[1..]),
        "go" if args.first().is_some_and(|a| a == "run") => go_run(&args[1..]),
        "ssh" => ssh(args),
        "ansible" => ansible(args),
        // A multi-call binary runs the applet it is given.
        "busybox" | "toybox" => argv_after(args, OptTable::NONE),
        "chroot" => chroot(args),
        "nsenter" => argv_after(args, NSENTER),
        "unshare" => argv_after(args, UNSHARE),
        "firejail" => argv_after(args, OptTable::NONE),
        "proot" => argv_after(args, PROOT),
        "systemd-run" => argv_after(args, SYSTEMD_RUN),
        "screen" => screen(args),
        "tmux" => tmux(args),
        // at(1) and batch(1) read the commands they run later from stdin (or `-f FILE`).
        "at" | "batch" if !args.iter().any(|a| matches!(a.as_str(), "-l" | "-d" | "-r" | "-c" | "-f")) => runs(Inner {
            body: Body::Stdin,
            env: Vec::new(),
            note: Some("runs later through at(1)".into()),
            target: None,
        }),
        "doppler" | "infisical" | "op" if args.first().is_some_and(|a| a == "run") => secrets_run(&args[1..]),
        "kubectl" | "oc" => kubectl(args),
        "docker" | "podman" | "nerdctl" => docker(args),
        "docker-compose" | "podman-compose" => compose(args),
        "fly" | "flyctl" => fly(args),
        "heroku" => heroku(args),
        "railway" => railway(args),
        "gcloud" => gcloud(args),
        "aws" => aws(args),
        // The application's database client, with the application's credentials:
        // `rails dbconsole` / `rails db`, `manage.py dbshell` (psql, mysql or sqlite3 behind
        // them; what they read on stdin is SQL, judged as psql would).
        "rails" if args.first().is_some_and(|a| a == "dbconsole" || a == "db") => db_console("rails dbconsole"),
        "manage.py" | "django-admin" if args.first().is_some_and(|a| a == "dbshell") => db_console("manage.py dbshell"),
        "python" | "python3"
            if args.first().is_some_and(|a| a.trim_start_matches("./") == "manage.py")
                && args.get(1).is_some_and(|a| a == "dbshell") =>
        {
            db_console("manage.py dbshell")
        }
        _ => Step::Not,
    }
}

/// A framework command that opens the application's database client.
fn db_console(what: &str) -> Step {
    runs(Inner {
        body: Body::Argv(vec!["psql".into()]),
        env: Vec::new(),
        note: Some(format!("`{what}` opens the application's database client")),
        target: None,
    })
}

#[cfg(test)]
fn first(s: &str) -> Inner {
    bodies_full(s).remove(0)
}

#[cfg(test)]
fn bodies(s: &str) -> Vec<Body> {
    bodies_full(s).into_iter().map(|i| i.body).collect()
}

#[cfg(test)]
fn bodies_full(s: &str) -> Vec<Inner> {
    match step(&words(s)) {
        Step::Runs(r) => r,
        other => panic!("{s}: {other:?}"),
    }
}

#[cfg(test)]
fn words(s: &str) -> Vec<String> {
    shell_words::split(s).unwrap_or_default()
}
