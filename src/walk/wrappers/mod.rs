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

use crate::analyze::options::{OptTable, opt_table, val};
use crate::invocation::program_name;

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

// --- Running as another user ------------------------------------------------------------

/// sudo(8): `-u user`, `-g group`, `-h host`, `-p prompt`, `-C num`, `-D dir`, `-r role`,
/// `-t type`, `-T timeout`, `-U user` take values; `-e` edits files, `-l`/`-v`/`-k`/`-K`
/// alone run nothing; leading `VAR=value` operands go into the environment.
const SUDO: OptTable = OptTable::new(&[
    val(Some('u'), "user"),
    val(Some('g'), "group"),
    val(Some('h'), "host"),
    val(Some('p'), "prompt"),
    val(Some('C'), "close-from"),
    val(Some('D'), "chdir"),
    val(Some('r'), "role"),
    val(Some('t'), "type"),
    val(Some('T'), "command-timeout"),
    val(Some('U'), "other-user"),
]);

fn sudo(args: &[String]) -> Step {
    let p = SUDO.parse(args);
    if p.has(&["-e", "--edit", "-l", "--list"]) {
        return Step::Not;
    }
    let (env, rest) = split_assignments(&args[p.rest..]);
    if rest.is_empty() {
        return Step::Not;
    }
    let user = p.value(&["-u", "--user"]).unwrap_or("root");
    // `sudo -s CMD`, `sudo -i CMD`: the command goes to the user's shell as `-c` text, each
    // argument escaped (so it stays one word there).
    let rest = if rest.first().is_some_and(|a| a == "--") { rest[1..].to_vec() } else { rest };
    let mut inner = if p.has(&["-s", "--shell", "-i", "--login"]) {
        Inner::shell(shell_words::join(&rest))
    } else {
        Inner::argv(rest)
    };
    inner.env = env;
    inner.note = Some(format!("runs as the user `{user}` through sudo"));
    runs(inner)
}

#[test]
fn sudo_option_forms() {
    let psql = |s: &str| step(&words(s));
    let want = Step::Runs(vec![Inner {
        body: Body::Argv(words("psql -c x")),
        env: vec![],
        note: Some("runs as the user `postgres` through sudo".into()),
        target: None,
    }]);
    // A login shell (`-i`) gets the command as `-c` text.
    for s in ["sudo -iu postgres psql -c x", "sudo -u postgres -i psql -c x"] {
        assert!(matches!(psql(s), Step::Runs(r) if r[0].body == Body::Shell("psql -c x".into())), "{s}");
    }
    for s in [
        "sudo -upostgres psql -c x",
        "sudo --user=postgres psql -c x",
        "sudo --user postgres -- psql -c x",
        "sudo -E -H -u postgres psql -c x",
    ] {
        assert_eq!(psql(s), want, "{s}");
    }
    assert!(matches!(psql("sudo -E -- psql -c x"), Step::Runs(r) if r[0].body == Body::Argv(words("psql -c x"))));
    assert!(matches!(psql("sudo PGHOST=prod psql"), Step::Runs(r) if r[0].env == [("PGHOST".into(), "prod".into())]));
    assert_eq!(psql("sudo -l psql"), Step::Not);
    assert_eq!(psql("sudo -e /etc/hosts"), Step::Not);
    assert_eq!(psql("sudo -v"), Step::Not);
}

/// doas(1): `-a style`, `-C config` (checks the config, runs nothing), `-u user`.
const DOAS: OptTable = OptTable::new(&[val(Some('a'), ""), val(Some('C'), ""), val(Some('u'), "")]);
/// pkexec(1): `--user NAME`; `--keep-cwd`, `--disable-internal-agent` are flags.
const PKEXEC: OptTable = OptTable::new(&[val(None, "user")]);

/// su(1) and runuser(1) without `-u`: `su [options] [-] [USER [ARG…]]`, options anywhere
/// (util-linux permutes them); `-c COMMAND` is a shell string; without it, the shell reads
/// standard input.
const SU: OptTable = OptTable::new(&[
    val(Some('c'), "command"),
    val(Some('g'), "group"),
    val(Some('G'), "supp-group"),
    val(Some('s'), "shell"),
    val(Some('w'), "whitelist-environment"),
    val(Some('C'), "session-command"),
]);
const RUNUSER: OptTable = OptTable::new(&[
    val(Some('c'), "command"),
    val(Some('g'), "group"),
    val(Some('G'), "supp-group"),
    val(Some('s'), "shell"),
    val(Some('w'), "whitelist-environment"),
    val(Some('u'), "user"),
    val(Some('C'), "session-command"),
]);

fn su(args: &[String], opts: OptTable) -> Step {
    let (p, operands) = opts.parse_permuted(args);
    let user = operands.iter().find(|o| *o != "-").map_or("root", String::as_str).to_string();
    let note = Some(format!("runs as the user `{user}` through su"));
    match p.value(&["-c", "--command", "-C", "--session-command"]) {
        Some(c) => runs(Inner { body: Body::Shell(c.to_string()), env: Vec::new(), note, target: None }),
        None => runs(Inner { body: Body::Stdin, env: Vec::new(), note, target: None }),
    }
}

#[test]
fn su_forms() {
    let shell = |s: &str| first(s).body;
    for s in [
        "su postgres -c 'psql -c x'",
        "su - postgres -c 'psql -c x'",
        "su -l postgres --command='psql -c x'",
        "su -c 'psql -c x' postgres",
        "runuser -l postgres -c 'psql -c x'",
        "su -C 'psql -c x' postgres",
        "su --session-command 'psql -c x' - postgres",
    ] {
        assert_eq!(shell(s), Body::Shell("psql -c x".into()), "{s}");
    }
    assert_eq!(shell("runuser -u postgres -- psql -c x"), Body::Argv(words("psql -c x")));
    assert_eq!(shell("su - postgres"), Body::Stdin);
}

/// env(1): `-u NAME`, `-C DIR`, `-S STRING` (split into words: `-S"a b"` or `-S 'a b'`),
/// `-P PATH` (BSD); `NAME=value` operands set the environment.
const ENV: OptTable = OptTable::new(&[
    val(Some('u'), "unset"),
    val(Some('C'), "chdir"),
    val(Some('S'), "split-string"),
    val(Some('P'), ""),
]);

fn env(args: &[String]) -> Step {
    let p = ENV.parse(args);
    let (env, mut rest) = split_assignments(&args[p.rest..]);
    if let Some(split) = p.value(&["-S", "--split-string"]) {
        match shell_words::split(split) {
            Ok(words) => {
                let (more_env, mut words) = split_assignments(&words);
                words.extend(rest);
                rest = words;
                let mut inner = Inner::argv(rest);
                inner.env = env.into_iter().chain(more_env).collect();
                return if inner.body == Body::Argv(Vec::new()) { Step::Not } else { runs(inner) };
            }
            Err(_) => return Step::Unknown("`env -S` is given a string it cannot split".into()),
        }
    }
    if rest.is_empty() {
        return Step::Not;
    }
    let mut inner = Inner::argv(rest);
    inner.env = env;
    runs(inner)
}

#[test]
fn env_forms() {
    let body = |s: &str| (first(s).body, first(s).env.clone());
    assert_eq!(body("env -i A=1 psql -c x").0, Body::Argv(words("psql -c x")));
    assert_eq!(body("env -i A=1 psql -c x").1, [("A".to_string(), "1".to_string())]);
    assert_eq!(body("env -S\"psql -c 'DROP TABLE t'\"").0, Body::Argv(words("psql -c 'DROP TABLE t'")));
    assert_eq!(body("env -S 'psql -c x'").0, Body::Argv(words("psql -c x")));
    assert_eq!(body("env --split-string='B=2 psql -c x'").1, [("B".to_string(), "2".to_string())]);
    assert_eq!(body("env -u HOME -C /tmp psql").0, Body::Argv(words("psql")));
    assert_eq!(step(&words("env")), Step::Not);
}

// --- Running later, elsewhere in time or scheduling ------------------------------------------

/// ionice(1): `-c class`, `-n level`, `-p PID…` (changes running processes, runs nothing).
const IONICE: OptTable = OptTable::new(&[
    val(Some('c'), "class"),
    val(Some('n'), "classdata"),
    val(Some('p'), "pid"),
    val(Some('P'), "pgid"),
    val(Some('u'), "uid"),
]);
/// timeout(1): `-s SIGNAL`, `-k DURATION`, then the duration operand.
const TIMEOUT: OptTable = OptTable::new(&[val(Some('s'), "signal"), val(Some('k'), "kill-after")]);
/// script(1): `-c COMMAND` runs a shell string instead of an interactive shell.
const SCRIPT: OptTable = OptTable::new(&[
    val(Some('c'), "command"),
    val(Some('E'), "echo"),
    val(Some('I'), "log-in"),
    val(Some('O'), "log-out"),
    val(Some('B'), "log-io"),
    val(Some('T'), "log-timing"),
    val(Some('m'), "logging-format"),
    val(Some('o'), "output-limit"),
]);
/// flock(1): `-w SECS`, `-E CODE`; then `FILE COMMAND…` or `FILE -c STRING`.
const FLOCK: OptTable = OptTable::new(&[
    val(Some('w'), ""),
    val(Some('E'), ""),
    val(None, "timeout"),
    val(None, "wait"),
    val(None, "conflict-exit-code"),
]);

fn flock(args: &[String]) -> Step {
    let p = FLOCK.parse(args);
    let rest = &args[p.rest..];
    match rest {
        [_file, c, script, ..] if c == "-c" || c == "--command" => runs(Inner::shell(script.clone())),
        [_file, cmd @ ..] if !cmd.is_empty() => runs(Inner::argv(cmd.to_vec())),
        _ => Step::Not, // `flock FD`: locks a descriptor for the calling shell
    }
}

#[test]
fn scheduling_wrappers() {
    let body = |s: &str| first(s).body;
    let psql = Body::Argv(words("psql -c x"));
    for s in [
        "nohup psql -c x",
        "nice -n 10 psql -c x",
        "ionice -c3 psql -c x",
        "ionice -c 2 -n 7 psql -c x",
        "setsid -f psql -c x",
        "chronic -e psql -c x",
        "caffeinate -i -t 600 psql -c x",
        "stdbuf -oL psql -c x",
        "timeout -s KILL 30 psql -c x",
        "timeout --kill-after=5 1m psql -c x",
        "flock -w 10 /tmp/lock psql -c x",
        "time -p psql -c x",
    ] {
        assert_eq!(body(s), psql, "{s}");
    }
    assert_eq!(body("flock /tmp/lock -c 'psql -c x'"), Body::Shell("psql -c x".into()));
    assert_eq!(body("script -qc 'psql -c x' /dev/null"), Body::Shell("psql -c x".into()));
    assert_eq!(body("script -q -c 'psql -c x'"), Body::Shell("psql -c x".into()));
    assert_eq!(step(&words("script out.log")), Step::Not);
    assert_eq!(step(&words("ionice -p 123")), Step::Not);
    assert_eq!(step(&words("command -v psql")), Step::Not);
}

/// watch(1): runs its operands joined by spaces through `sh -c`, or as an argv with `-x`.
const WATCH: OptTable =
    OptTable::new(&[val(Some('n'), ""), val(Some('q'), ""), val(None, "interval"), val(None, "equexit")]);

fn watch(args: &[String]) -> Step {
    let p = WATCH.parse(args);
    let rest = &args[p.rest..];
    if rest.is_empty() {
        Step::Not
    } else if p.has(&["-x", "--exec"]) {
        runs(Inner::argv(rest.to_vec()))
    } else {
        runs(Inner::shell(rest.join(" ")))
    }
}

/// entr(1): `entr [-acdnprsz] UTILITY [ARG…]`; with `-s` the utility is a shell string.
/// `/_` stands for the file that changed.
fn entr(args: &[String]) -> Step {
    let p = OptTable::NONE.parse(args);
    let rest = &args[p.rest..];
    if rest.is_empty() {
        return Step::Not;
    }
    if p.opts.iter().any(|o| o.name == "-s") {
        runs(Inner::shell(rest.join(" ")))
    } else {
        runs(Inner::argv(rest.to_vec()))
    }
}

/// GNU parallel: `parallel [OPTIONS] COMMAND ::: ARG…` runs COMMAND through the shell once
/// per argument (`{}` replaced, else appended). Arguments from stdin or `::::` files are not
/// known in advance.
const PARALLEL: OptTable = OptTable::new(&[
    val(Some('j'), ""),
    val(Some('S'), ""),
    val(Some('a'), ""),
    val(Some('d'), ""),
    val(Some('I'), ""),
    val(Some('A'), ""),
    val(Some('N'), ""),
    val(Some('n'), ""),
    val(Some('L'), ""),
    val(Some('l'), ""),
    val(Some('E'), ""),
    val(None, "jobs"),
    val(None, "sshlogin"),
    val(None, "arg-file"),
    val(None, "delimiter"),
    val(None, "colsep"),
    val(None, "replace"),
    val(None, "max-args"),
    val(None, "max-lines"),
    val(None, "joblog"),
    val(None, "results"),
    val(None, "tmpdir"),
    val(None, "workdir"),
    val(None, "timeout"),
    val(None, "delay"),
    val(None, "retries"),
    val(None, "halt"),
    val(None, "eof"),
]);

fn parallel(args: &[String]) -> Step {
    let p = PARALLEL.parse(args);
    let rest = &args[p.rest..];
    let split = rest.iter().position(|a| a == ":::" || a == "::::" || a == ":::+" || a == "::::+");
    let template = &rest[..split.unwrap_or(rest.len())];
    if template.is_empty() {
        return Step::Unknown("`parallel` runs commands it reads as input, which cannot be seen in advance".into());
    }
    let template = template.join(" ");
    match split.map(|i| (&rest[i], &rest[i + 1..])) {
        Some((sep, values)) if sep.starts_with(":::") && !sep.starts_with("::::") => {
            let cmds = values
                .iter()
                .filter(|v| !v.starts_with(":::"))
                .map(|v| {
                    let quoted = shell_words::quote(v).into_owned();
                    Inner::shell(if template.contains("{}") {
                        template.replace("{}", &quoted)
                    } else {
                        format!("{template} {quoted}")
                    })
                })
                .collect();
            Step::Runs(cmds)
        }
        _ => {
            let mut inner = Inner::shell(template.replace("{}", ""));
            inner.note = Some("`parallel` adds arguments read from its input, which cannot be seen in advance".into());
            runs(inner)
        }
    }
}

/// find(1): each `-exec`/`-execdir`/`-ok`/`-okdir` COMMAND … `;` or `+` runs COMMAND with
/// `{}` standing for each file found: judged with `{}` replaced by what the expression
/// names — `START/NAME` for the last `-name`/`-iname` before it (`find . -name
/// __pycache__ -exec rm -rf {} +` → `rm -rf ./__pycache__`), the `-path` pattern, else the
/// starting points themselves (the files are under them).
fn find(args: &[String]) -> Step {
    let starts: Vec<String> = args
        .iter()
        .take_while(|a| !a.starts_with('-') && !matches!(a.as_str(), "(" | "!" | ","))
        .map(|s| s.trim_end_matches('/').to_string())
        .map(|s| if s.is_empty() { "/".to_string() } else { s })
        .collect();
    let starts = if starts.is_empty() { vec![".".to_string()] } else { starts };
    let mut out = Vec::new();
    let mut named: Option<Vec<String>> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-name" | "-iname" => {
                if let Some(n) = args.get(i + 1) {
                    named = Some(starts.iter().map(|s| format!("{}/{n}", s.trim_end_matches('/'))).collect());
                }
                i += 2;
            }
            "-path" | "-ipath" | "-wholename" => {
                named = args.get(i + 1).map(|p| vec![p.clone()]);
                i += 2;
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let end = args[i + 1..].iter().position(|a| a == ";" || a == "+").map_or(args.len(), |e| i + 1 + e);
                let files = named.clone().unwrap_or_else(|| starts.clone());
                let cmd: Vec<String> = args[i + 1..end]
                    .iter()
                    .flat_map(|a| if a == "{}" { files.clone() } else { vec![a.replace("{}", &files[0])] })
                    .collect();
                if !cmd.is_empty() {
                    out.push(Inner::argv(cmd));
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    if out.is_empty() { Step::Not } else { Step::Runs(out) }
}

#[test]
fn command_runners() {
    assert_eq!(bodies("watch -n 5 psql -c x"), [Body::Shell("psql -c x".into())]);
    assert_eq!(bodies("watch -x psql -c x"), [Body::Argv(words("psql -c x"))]);
    assert_eq!(bodies("entr -s 'psql -f /_'"), [Body::Shell("psql -f /_".into())]);
    assert_eq!(bodies("entr -r psql -f /_"), [Body::Argv(words("psql -f /_"))]);
    assert_eq!(
        bodies("parallel -j4 'psql -c {}' ::: 'DROP TABLE a' b"),
        [Body::Shell("psql -c 'DROP TABLE a'".into()), Body::Shell("psql -c b".into())]
    );
    assert_eq!(
        bodies("find /srv/data -name '*.db' -exec rm -rf {} \\; -execdir git push -f {} +"),
        [Body::Argv(words("rm -rf /srv/data/*.db")), Body::Argv(words("git push -f /srv/data/*.db"))]
    );
    assert_eq!(bodies("find . -exec psql -f {} ;"), [Body::Argv(words("psql -f ."))]);
    assert_eq!(
        bodies("find . -name __pycache__ -type d -exec rm -rf {} +"),
        [Body::Argv(words("rm -rf ./__pycache__"))]
    );
    assert_eq!(bodies("find src/ -path '*/gen/*' -exec rm -rf {} +"), [Body::Argv(words("rm -rf '*/gen/*'"))]);
    assert_eq!(step(&words("find . -name '*.rs'")), Step::Not);
    assert!(matches!(step(&words("parallel")), Step::Unknown(_)));
}

// --- Package and project runners ---------------------------------------------------------

/// npx / `npm exec` / `bunx` / `pnpm dlx`: `-p/--package PKG`, `-c/--call STRING` (a shell
/// string), then the command.
const NPX: OptTable = OptTable::new(&[
    val(Some('p'), ""),
    val(Some('c'), ""),
    val(None, "package"),
    val(None, "call"),
    val(None, "registry"),
    val(None, "cache"),
    val(None, "prefix"),
]);

fn npx(args: &[String]) -> Step {
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
fn package_bin(spec: &str) -> String {
    let unscoped = spec.strip_prefix('@').map_or(spec, |s| s.split_once('/').map_or(s, |(_, b)| b));
    let end = unscoped.find(['@', '=', '[', '<', '>', '~', '!']).unwrap_or(unscoped.len());
    if end == 0 { spec.to_string() } else { unscoped[..end].to_string() }
}

/// The commands of yarn (classic and berry) and pnpm themselves: any other first word runs a
/// script or a binary of the project's packages.
const PACKAGE_MANAGER_COMMANDS: &[&str] = &[
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
const NPM: OptTable = OptTable::new(&[
    val(Some('w'), ""),
    val(Some('C'), ""),
    val(None, "prefix"),
    val(None, "workspace"),
    val(None, "registry"),
    val(None, "cache"),
    val(None, "userconfig"),
]);

fn npm(args: &[String]) -> Step {
    let p = NPM.parse(args);
    match args.get(p.rest..) {
        Some([sub, rest @ ..]) if sub == "exec" || sub == "x" => npx(rest),
        _ => Step::Not,
    }
}

/// `uv run [OPTIONS] COMMAND…`; `-m MODULE` runs `python -m MODULE`.
const UV_RUN: OptTable = OptTable::new(&[
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

fn uv_run(args: &[String]) -> Step {
    let p = UV_RUN.parse(args);
    argv_after(&args[p.rest..], OptTable::NONE)
}

/// `uvx`/`uv tool run` and `pipx run`: `[OPTIONS] PACKAGE[@VERSION] ARG…`, `--from SPEC`.
const UVX: OptTable = OptTable::new(&[
    val(Some('p'), ""),
    val(None, "from"),
    val(None, "with"),
    val(None, "with-editable"),
    val(None, "with-requirements"),
    val(None, "python"),
    val(None, "index"),
    val(None, "index-url"),
]);
const PIPX: OptTable =
    OptTable::new(&[val(None, "spec"), val(None, "python"), val(None, "pip-args"), val(None, "index-url")]);

fn tool_runner(args: &[String], opts: OptTable) -> Step {
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

/// poetry, pdm, hatch, rye: global options, then `run COMMAND…`.
const POETRY: OptTable =
    OptTable::new(&[val(Some('C'), ""), val(Some('P'), ""), val(None, "directory"), val(None, "project")]);

/// dotenv-cli (`dotenv [-e FILE] [-v VAR=V] [-c ENV] -- COMMAND`) and python-dotenv
/// (`dotenv [-f FILE] run [--override] COMMAND`).
const DOTENV: OptTable = OptTable::new(&[
    val(Some('e'), ""),
    val(Some('v'), ""),
    val(Some('c'), ""),
    val(Some('p'), ""),
    val(Some('f'), ""),
    val(None, "file"),
]);

fn dotenv(args: &[String]) -> Step {
    let p = DOTENV.parse(args);
    let rest = &args[p.rest..];
    match rest.first().map(String::as_str) {
        Some("run") => argv_after(&rest[1..], OptTable::NONE),
        Some(_) => runs(Inner::argv(rest.to_vec())),
        None => Step::Not,
    }
}

// --- Launchers: containment, namespaces, terminals, later --------------------------------

/// chroot(8): `chroot [--userspec=U:G] [--groups=G] NEWROOT [COMMAND [ARG…]]`.
fn chroot(args: &[String]) -> Step {
    let opts = opt_table![val(None, "userspec"), val(None, "groups")];
    let p = opts.parse(args);
    match args.get(p.rest + 1..) {
        Some(rest) if !rest.is_empty() => runs(Inner::argv(rest.to_vec())),
        // Without a command, chroot runs the shell, which reads stdin.
        _ => Step::Not,
    }
}

/// nsenter(1): `-t PID`, `-S UID`, `-G GID` take values; the namespace flags take an
/// optional `=FILE` only.
const NSENTER: OptTable =
    OptTable::new(&[val(Some('t'), "target"), val(Some('S'), "setuid"), val(Some('G'), "setgid")]);
/// unshare(1): the options that take a value.
const UNSHARE: OptTable = OptTable::new(&[
    val(None, "propagation"),
    val(None, "setgroups"),
    val(Some('S'), "setuid"),
    val(Some('G'), "setgid"),
    val(Some('R'), "root"),
    val(Some('w'), "wd"),
    val(None, "map-user"),
    val(None, "map-group"),
    val(None, "map-users"),
    val(None, "map-groups"),
    val(None, "monotonic"),
    val(None, "boottime"),
]);
/// proot(1): the options that take a value.
const PROOT: OptTable = OptTable::new(&[
    val(Some('r'), "rootfs"),
    val(Some('b'), "bind"),
    val(Some('w'), "cwd"),
    val(Some('q'), "qemu"),
    val(Some('k'), "kernel-release"),
]);
/// systemd-run(1): the options that take a value.
const SYSTEMD_RUN: OptTable = OptTable::new(&[
    val(Some('u'), "unit"),
    val(Some('p'), "property"),
    val(Some('E'), "setenv"),
    val(Some('M'), "machine"),
    val(Some('H'), "host"),
    val(Some('d'), ""),
    val(None, "description"),
    val(None, "slice"),
    val(None, "uid"),
    val(None, "gid"),
    val(None, "nice"),
    val(None, "working-directory"),
    val(None, "on-active"),
    val(None, "on-boot"),
    val(None, "on-startup"),
    val(None, "on-unit-active"),
    val(None, "on-unit-inactive"),
    val(None, "on-calendar"),
    val(None, "timer-property"),
    val(None, "path-property"),
    val(None, "socket-property"),
    val(None, "service-type"),
]);

/// screen(1): `screen [-dmS NAME …] [COMMAND [ARG…]]` starts COMMAND in a new window.
fn screen(args: &[String]) -> Step {
    let opts = opt_table![
        val(Some('S'), ""),
        val(Some('c'), ""),
        val(Some('e'), ""),
        val(Some('h'), ""),
        val(Some('p'), ""),
        val(Some('t'), ""),
        val(Some('T'), ""),
        val(Some('X'), ""),
        val(Some('Q'), ""),
        val(Some('L'), ""),
        val(Some('s'), "")
    ];
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
fn tmux(args: &[String]) -> Step {
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
fn secrets_run(args: &[String]) -> Step {
    let note = Some("runs with secrets from a secrets manager in its environment (often production's)".to_string());
    if let Some(cut) = args.iter().position(|a| a == "--") {
        let rest = &args[cut + 1..];
        if rest.is_empty() {
            return Step::Not;
        }
        return runs(Inner { note, ..Inner::argv(rest.to_vec()) });
    }
    let opts = opt_table![val(None, "command")];
    match opts.parse_permuted(args).0.value(&["--command"]) {
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
fn cargo_run(args: &[String]) -> Step {
    let cut = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let opts = opt_table![
        val(Some('p'), ""),
        val(Some('F'), ""),
        val(Some('j'), ""),
        val(None, "bin"),
        val(None, "example"),
        val(None, "package"),
        val(None, "features"),
        val(None, "jobs"),
        val(None, "profile"),
        val(None, "target"),
        val(None, "manifest-path")
    ];
    let (p, _) = opts.parse_permuted(&args[..cut]);
    let Some(bin) = p.value(&["--bin", "--package", "-p"]) else { return Step::Not };
    let mut argv = vec![bin.to_string()];
    argv.extend(args.get(cut + 1..).unwrap_or_default().iter().cloned());
    runs(Inner::argv(argv))
}

/// `go run [build flags] PACKAGE[@VERSION] ARGS…`: a remote package is its last path
/// element (`…/cmd/migrate@latest` → `migrate`); local files or `.` are the project's own.
fn go_run(args: &[String]) -> Step {
    // Go's flags are single-dash words (`-tags`, `-ldflags`).
    const GO_BUILD: OptTable = OptTable::single_dash(&[
        val(None, "C"),
        val(None, "o"),
        val(None, "p"),
        val(None, "tags"),
        val(None, "ldflags"),
        val(None, "gcflags"),
        val(None, "asmflags"),
        val(None, "mod"),
        val(None, "modfile"),
        val(None, "overlay"),
        val(None, "pgo"),
    ]);
    let opts = GO_BUILD;
    let p = opts.parse(args);
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

// --- Remote hosts and containers --------------------------------------------------------

/// ssh(1): `ssh [OPTIONS] DESTINATION [COMMAND [ARG…]]`. The remote shell runs the command
/// words joined by spaces.
const SSH: OptTable = OptTable::new(&[
    val(Some('B'), ""),
    val(Some('b'), ""),
    val(Some('c'), ""),
    val(Some('D'), ""),
    val(Some('E'), ""),
    val(Some('e'), ""),
    val(Some('F'), ""),
    val(Some('I'), ""),
    val(Some('i'), ""),
    val(Some('J'), ""),
    val(Some('L'), ""),
    val(Some('l'), ""),
    val(Some('m'), ""),
    val(Some('O'), ""),
    val(Some('o'), ""),
    val(Some('P'), ""),
    val(Some('p'), ""),
    val(Some('R'), ""),
    val(Some('S'), ""),
    val(Some('W'), ""),
    val(Some('w'), ""),
]);

fn ssh(args: &[String]) -> Step {
    let p = SSH.parse(args);
    let rest = &args[p.rest..];
    let Some(dest) = rest.first() else { return Step::Not };
    let mut cmd = &rest[1..];
    if cmd.first().is_some_and(|c| c == "--") {
        cmd = &cmd[1..];
    }
    if cmd.is_empty() {
        // An interactive login (or `-N` forwarding): stdin is what runs, if anything.
        return Step::Not;
    }
    let host = dest.rsplit('@').next().unwrap_or(dest);
    remote_shell(cmd, Some(host), format!("runs on the remote host `{host}` over ssh"))
}

/// ansible(1) ad hoc: `ansible HOSTS -m shell|command|raw -a 'CMD'` runs CMD on every host
/// of the pattern (the default module is `command`).
const ANSIBLE: OptTable = OptTable::new(&[
    val(Some('m'), "module-name"),
    val(Some('a'), "args"),
    val(Some('i'), "inventory"),
    val(Some('u'), "user"),
    val(Some('e'), "extra-vars"),
    val(Some('f'), "forks"),
    val(Some('l'), "limit"),
    val(Some('t'), "tree"),
    val(Some('T'), "timeout"),
    val(Some('B'), "background"),
    val(Some('P'), "poll"),
    val(None, "become-user"),
    val(None, "become-method"),
    val(None, "private-key"),
    val(None, "key-file"),
    val(None, "connection"),
    val(Some('c'), ""),
    val(None, "vault-password-file"),
    val(None, "vault-id"),
]);

fn ansible(args: &[String]) -> Step {
    let (p, operands) = ANSIBLE.parse_permuted(args);
    let module = p.value(&["-m", "--module-name"]).unwrap_or("command");
    let module = module.rsplit('.').next().unwrap_or(module); // ansible.builtin.shell
    let (Some(hosts), Some(cmd)) = (operands.first(), p.value(&["-a", "--args"])) else { return Step::Not };
    if !matches!(module, "shell" | "command" | "raw") {
        return Step::Not;
    }
    let words = vec![cmd.to_string()];
    remote_shell(&words, Some(hosts), format!("runs on the hosts `{hosts}` through ansible"))
}

#[test]
fn ansible_ad_hoc() {
    let shell = |s: &str| first(s).body;
    assert_eq!(
        shell("ansible all -i prod -m shell -a 'rm -rf /var/lib/mysql'"),
        Body::Shell("rm -rf /var/lib/mysql".into())
    );
    assert_eq!(shell("ansible db -a 'dropdb shop' --become"), Body::Shell("dropdb shop".into()));
    assert_eq!(shell("ansible web -m ansible.builtin.raw -a 'reboot'"), Body::Shell("reboot".into()));
    assert_eq!(step(&words("ansible all -m ping")), Step::Not);
    assert_eq!(step(&words("ansible all -m copy -a 'src=a dest=b'")), Step::Not);
}

/// kubectl's global options that take a value (shared with `oc`).
const KUBECTL: OptTable = OptTable::new(&[
    val(Some('n'), ""),
    val(Some('s'), ""),
    val(Some('c'), ""),
    val(Some('f'), ""),
    val(None, "namespace"),
    val(None, "context"),
    val(None, "cluster"),
    val(None, "kubeconfig"),
    val(None, "server"),
    val(None, "user"),
    val(None, "token"),
    val(None, "as"),
    val(None, "as-group"),
    val(None, "request-timeout"),
    val(None, "container"),
    val(None, "filename"),
    val(None, "pod-running-timeout"),
    val(None, "image"),
    val(None, "overrides"),
    val(None, "env"),
    val(None, "labels"),
    val(None, "target"),
    val(None, "profile"),
    val(None, "restart"),
    val(None, "port"),
]);

/// `kubectl exec POD [-c C] -- COMMAND…` (and the deprecated form without `--`);
/// `kubectl run NAME --image=I -- COMMAND…`; `kubectl debug … -- COMMAND…`.
fn kubectl(args: &[String]) -> Step {
    let cut = args.iter().position(|a| a == "--");
    let (p, operands) = KUBECTL.parse_permuted(&args[..cut.unwrap_or(args.len())]);
    let Some(sub) = operands.first().map(String::as_str) else { return Step::Not };
    if !matches!(sub, "exec" | "run" | "debug") {
        return Step::Not;
    }
    let cmd: Vec<String> = match cut {
        Some(c) => args[c + 1..].to_vec(),
        None if sub == "exec" => operands.get(2..).unwrap_or_default().to_vec(),
        None => Vec::new(),
    };
    if cmd.is_empty() {
        return Step::Not;
    }
    let pod = operands.get(1).map(String::as_str).unwrap_or("");
    let context = p.value(&["--context", "--cluster"]);
    let namespace = p.value(&["-n", "--namespace"]);
    let target = context.or(namespace).or(Some(pod)).filter(|t| !t.is_empty());
    let place = [context, namespace, Some(pod)].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    runs(Inner::argv(cmd).remote(target, format!("runs inside the Kubernetes pod `{}`", place.join("/"))))
}

/// docker/podman global options that take a value.
const DOCKER_GLOBAL: OptTable = OptTable::new(&[
    val(Some('H'), ""),
    val(Some('c'), ""),
    val(Some('l'), ""),
    val(None, "host"),
    val(None, "context"),
    val(None, "config"),
    val(None, "log-level"),
    val(None, "tlscacert"),
    val(None, "tlscert"),
    val(None, "tlskey"),
]);
/// `docker exec [OPTIONS] CONTAINER COMMAND…`.
const DOCKER_EXEC: OptTable = OptTable::new(&[
    val(Some('e'), ""),
    val(Some('u'), ""),
    val(Some('w'), ""),
    val(None, "env"),
    val(None, "env-file"),
    val(None, "user"),
    val(None, "workdir"),
    val(None, "detach-keys"),
]);
/// `docker run [OPTIONS] IMAGE [COMMAND…]`: the options that take a value.
const DOCKER_RUN: OptTable = OptTable::new(&[
    val(Some('e'), ""),
    val(Some('h'), ""),
    val(Some('l'), ""),
    val(Some('m'), ""),
    val(Some('p'), ""),
    val(Some('u'), ""),
    val(Some('v'), ""),
    val(Some('w'), ""),
    val(Some('c'), ""),
    val(None, "env"),
    val(None, "env-file"),
    val(None, "hostname"),
    val(None, "label"),
    val(None, "memory"),
    val(None, "publish"),
    val(None, "user"),
    val(None, "volume"),
    val(None, "workdir"),
    val(None, "cpu-shares"),
    val(None, "name"),
    val(None, "network"),
    val(None, "entrypoint"),
    val(None, "mount"),
    val(None, "platform"),
    val(None, "pull"),
    val(None, "restart"),
    val(None, "add-host"),
    val(None, "cap-add"),
    val(None, "cap-drop"),
    val(None, "cpus"),
    val(None, "device"),
    val(None, "dns"),
    val(None, "gpus"),
    val(None, "ipc"),
    val(None, "link"),
    val(None, "log-driver"),
    val(None, "log-opt"),
    val(None, "pid"),
    val(None, "runtime"),
    val(None, "security-opt"),
    val(None, "shm-size"),
    val(None, "stop-signal"),
    val(None, "tmpfs"),
    val(None, "ulimit"),
    val(None, "volumes-from"),
    val(None, "health-cmd"),
]);
/// `docker compose` options before the subcommand.
const COMPOSE_GLOBAL: OptTable = OptTable::new(&[
    val(Some('f'), ""),
    val(Some('p'), ""),
    val(None, "file"),
    val(None, "project-name"),
    val(None, "profile"),
    val(None, "env-file"),
    val(None, "project-directory"),
    val(None, "ansi"),
    val(None, "parallel"),
]);
/// `docker compose exec|run [OPTIONS] SERVICE COMMAND…`.
const COMPOSE_EXEC: OptTable = OptTable::new(&[
    val(Some('e'), ""),
    val(Some('u'), ""),
    val(Some('w'), ""),
    val(Some('l'), ""),
    val(Some('p'), ""),
    val(Some('v'), ""),
    val(None, "env"),
    val(None, "user"),
    val(None, "workdir"),
    val(None, "index"),
    val(None, "label"),
    val(None, "publish"),
    val(None, "volume"),
    val(None, "name"),
    val(None, "entrypoint"),
    val(None, "env-from-file"),
    val(None, "cap-add"),
    val(None, "cap-drop"),
    val(None, "pull"),
]);

fn docker(args: &[String]) -> Step {
    let g = DOCKER_GLOBAL.parse(args);
    let context = g.value(&["-c", "--context", "-H", "--host"]).map(str::to_string);
    let rest = &args[g.rest..];
    let mut step = match rest.first().map(String::as_str) {
        Some("exec") => container_command(&rest[1..], DOCKER_EXEC, "container"),
        Some("run") => container_command(&rest[1..], DOCKER_RUN, "new container from the image"),
        Some("container") if matches!(rest.get(1).map(String::as_str), Some("exec")) => {
            container_command(&rest[2..], DOCKER_EXEC, "container")
        }
        Some("compose") => compose(&rest[1..]),
        _ => Step::Not,
    };
    if let (Some(ctx), Step::Runs(inner)) = (context, &mut step) {
        for i in inner {
            i.target = Some(ctx.clone());
        }
    }
    step
}

fn compose(args: &[String]) -> Step {
    let g = COMPOSE_GLOBAL.parse(args);
    let rest = &args[g.rest..];
    match rest.first().map(String::as_str) {
        Some("exec" | "run") => container_command(&rest[1..], COMPOSE_EXEC, "compose service"),
        _ => Step::Not,
    }
}

fn container_command(args: &[String], opts: OptTable, what: &str) -> Step {
    let p = opts.parse(args);
    let rest = &args[p.rest..];
    match rest {
        [name, cmd @ ..] if !cmd.is_empty() => {
            runs(Inner::argv(cmd.to_vec()).remote(Some(name), format!("runs inside the {what} `{name}`")))
        }
        _ => Step::Not,
    }
}

/// `fly ssh console -C COMMAND` and `fly console -C COMMAND` (`-a APP`).
const FLY: OptTable = OptTable::new(&[
    val(Some('C'), ""),
    val(Some('a'), ""),
    val(Some('A'), ""),
    val(Some('c'), ""),
    val(Some('o'), ""),
    val(Some('g'), ""),
    val(Some('r'), ""),
    val(Some('u'), ""),
    val(Some('t'), ""),
    val(None, "command"),
    val(None, "app"),
    val(None, "address"),
    val(None, "config"),
    val(None, "org"),
    val(None, "process-group"),
    val(None, "region"),
    val(None, "user"),
    val(None, "machine"),
]);

fn fly(args: &[String]) -> Step {
    let (p, operands) = FLY.parse_permuted(args);
    let console = matches!(
        operands.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
        ["ssh", "console", ..] | ["console", ..]
    );
    match (console, p.value(&["-C", "--command"])) {
        (true, Some(cmd)) => {
            let app = p.value(&["-a", "--app"]);
            runs(
                Inner::shell(cmd.to_string())
                    .remote(app, format!("runs on a Fly.io machine of `{}`", app.unwrap_or("the app"))),
            )
        }
        _ => Step::Not,
    }
}

/// `heroku run [-a APP] COMMAND…` (oclif: the flags may follow the command; `--` ends them).
const HEROKU: OptTable = OptTable::new(&[
    val(Some('a'), ""),
    val(Some('r'), ""),
    val(Some('s'), ""),
    val(Some('e'), ""),
    val(Some('t'), ""),
    val(None, "app"),
    val(None, "remote"),
    val(None, "size"),
    val(None, "env"),
    val(None, "type"),
]);

fn heroku(args: &[String]) -> Step {
    match args.first().map(String::as_str) {
        Some("run" | "run:detached") => {}
        _ => return Step::Not,
    }
    let (p, operands) = HEROKU.parse_permuted(&args[1..]);
    if operands.is_empty() {
        return Step::Not;
    }
    let app = p.value(&["-a", "--app"]);
    remote_shell(&operands, app, format!("runs on a Heroku dyno of `{}`", app.unwrap_or("the app")))
}

/// `railway run CMD…` runs CMD here with the project's variables; `railway ssh [CMD…]` runs
/// it inside the service's container.
const RAILWAY: OptTable = OptTable::new(&[
    val(Some('s'), ""),
    val(Some('p'), ""),
    val(Some('e'), ""),
    val(Some('d'), ""),
    val(Some('i'), ""),
    val(None, "service"),
    val(None, "project"),
    val(None, "environment"),
    val(None, "deployment-instance"),
    val(None, "identity-file"),
]);

fn railway(args: &[String]) -> Step {
    let g = RAILWAY.parse(args);
    let rest = &args[g.rest..];
    match rest.first().map(String::as_str) {
        Some("run") => {
            let p = RAILWAY.parse(&rest[1..]);
            let cmd = &rest[1 + p.rest..];
            if cmd.is_empty() {
                return Step::Not;
            }
            let env = p.value(&["-e", "--environment"]).or(g.value(&["-e", "--environment"]));
            let mut inner = Inner::argv(cmd.to_vec());
            inner.note = Some(
                "runs under `railway run`, with the project's variables (database URLs, tokens) — often production credentials"
                    .into(),
            );
            inner.target = env.map(str::to_string);
            runs(inner)
        }
        Some("ssh") => {
            let (p, operands) = RAILWAY.parse_permuted(&rest[1..]);
            if operands.is_empty() {
                return Step::Not;
            }
            let env = p.value(&["-e", "--environment"]).or(g.value(&["-e", "--environment"]));
            let service = p.value(&["-s", "--service"]).unwrap_or("the linked service");
            remote_shell(&operands, env, format!("runs inside the Railway service `{service}`"))
        }
        _ => Step::Not,
    }
}

/// `gcloud compute ssh [USER@]INSTANCE --command=CMD [-- SSH_ARGS…]`.
fn gcloud(args: &[String]) -> Step {
    let cut = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let opts = opt_table![
        val(None, "command"),
        val(None, "zone"),
        val(None, "project"),
        val(None, "ssh-key-file"),
        val(None, "container")
    ];
    let (p, operands) = opts.parse_permuted(&args[..cut]);
    let words: Vec<&str> = operands.iter().map(String::as_str).collect();
    let instance = match words.as_slice() {
        ["compute", "ssh", instance, ..] | ["beta" | "alpha", "compute", "ssh", instance, ..] => *instance,
        _ => return Step::Not,
    };
    let host = instance.rsplit('@').next().unwrap_or(instance);
    let note = format!("runs on the Compute Engine instance `{host}` over ssh");
    if let Some(cmd) = p.value(&["--command"]) {
        return runs(Inner::shell(cmd.to_string()).remote(Some(host), note));
    }
    // After `--`, ssh's own arguments: options, then a remote command.
    let after = args.get(cut + 1..).unwrap_or_default();
    let q = SSH.parse(after);
    match after.get(q.rest..) {
        Some(cmd) if !cmd.is_empty() => remote_shell(cmd, Some(host), note),
        _ => Step::Not,
    }
}

/// `aws ssm send-command --parameters commands=[…]` (shorthand or JSON, or `file://`) and
/// `aws ecs execute-command --command CMD`.
fn aws(args: &[String]) -> Step {
    let opts = opt_table![
        val(None, "parameters"),
        val(None, "command"),
        val(None, "document-name"),
        val(None, "instance-ids"),
        val(None, "targets"),
        val(None, "cluster"),
        val(None, "task"),
        val(None, "container"),
        val(None, "region"),
        val(None, "profile"),
        val(None, "output"),
        val(None, "comment"),
        val(None, "endpoint-url")
    ];
    let (p, operands) = opts.parse_permuted(args);
    let words: Vec<&str> = operands.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["ssm", "send-command", ..] => {
            let target = p.value(&["--instance-ids", "--targets"]);
            let note = format!("runs on the EC2 instances `{}` through SSM", target.unwrap_or("targeted"));
            let Some(params) = p.value(&["--parameters"]) else { return Step::Not };
            match ssm_commands(params) {
                Some(cmds) => {
                    Step::Runs(cmds.into_iter().map(|c| Inner::shell(c).remote(target, note.clone())).collect())
                }
                None => Step::Unknown(
                    "the commands `aws ssm send-command` runs are not written out on its command line".into(),
                ),
            }
        }
        ["ecs", "execute-command", ..] => {
            let Some(cmd) = p.value(&["--command"]) else { return Step::Not };
            let target = p.value(&["--cluster"]);
            runs(
                Inner::shell(cmd.to_string())
                    .remote(target, format!("runs inside an ECS task of `{}`", target.unwrap_or("the cluster"))),
            )
        }
        _ => Step::Not,
    }
}

/// The `commands` of SSM parameters: JSON `{"commands":["…"]}` or shorthand
/// `commands=["a","b"]` / `commands=a`. `None` for `file://` and anything unreadable.
fn ssm_commands(params: &str) -> Option<Vec<String>> {
    let params = params.trim();
    if params.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(params).ok()?;
        let cmds = v.get("commands")?;
        return match cmds {
            serde_json::Value::Array(a) => a.iter().map(|c| c.as_str().map(str::to_string)).collect(),
            serde_json::Value::String(s) => Some(vec![s.clone()]),
            _ => None,
        };
    }
    let value = params.strip_prefix("commands=")?;
    if value.starts_with('[') {
        if let Ok(list) = serde_json::from_str::<Vec<String>>(value) {
            return Some(list);
        }
        let inner = value.trim_start_matches('[').trim_end_matches(']');
        return Some(inner.split(',').map(|c| c.trim().trim_matches('"').to_string()).collect());
    }
    Some(vec![value.trim_matches('"').to_string()])
}

#[test]
fn remote_exec() {
    let one = |s: &str| (first(s).body, first(s).target.clone());
    let drop = Body::Argv(words("psql -c 'DROP DATABASE shop'"));
    let drop_sh = Body::Shell("psql -c 'DROP DATABASE shop'".into());
    assert_eq!(one("kubectl exec -it postgres-0 -- psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(
        one("kubectl --context prod -n db exec postgres-0 -c pg -- psql -c 'DROP DATABASE shop'"),
        (drop.clone(), Some("prod".into()))
    );
    // The deprecated form without `--`: kubectl reads flags among the operands, as here.
    assert_eq!(one("kubectl exec postgres-0 dropdb shop").0, Body::Argv(words("dropdb shop")));
    assert_eq!(one("kubectl run tmp --rm -i --image=postgres -- psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker exec -it -u postgres db psql -c 'DROP DATABASE shop'"), (drop.clone(), Some("db".into())));
    assert_eq!(one("docker --context prod exec db psql -c 'DROP DATABASE shop'").1, Some("prod".into()));
    assert_eq!(one("docker container exec db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker run --rm -e PGPASSWORD=x postgres:16 psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker compose -f prod.yml exec -T db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("docker-compose run --rm db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("podman exec db psql -c 'DROP DATABASE shop'").0, drop);
    assert_eq!(one("ssh prod-db \"psql -c 'DROP DATABASE shop'\""), (drop_sh.clone(), Some("prod-db".into())));
    assert_eq!(one("ssh -p 2222 -i key deploy@prod-db -- psql -c \"'DROP DATABASE shop'\"").1, Some("prod-db".into()));
    assert_eq!(
        one("fly ssh console -a shop-prod -C \"psql -c 'DROP DATABASE shop'\""),
        (drop_sh.clone(), Some("shop-prod".into()))
    );
    assert_eq!(one("flyctl console --command \"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(one("heroku run rails db:drop -a shop").0, Body::Shell("rails db:drop".into()));
    assert_eq!(
        one("railway ssh -s db -- psql -c \"'DROP DATABASE shop'\"").0,
        Body::Shell("psql -c 'DROP DATABASE shop'".into())
    );

    assert_eq!(
        bodies("ssh db psql -c 'DROP DATABASE shop'"),
        [Body::Shell("psql -c DROP DATABASE shop".into()), Body::Shell("psql -c 'DROP DATABASE shop'".into())]
    );
    assert_eq!(
        one("railway run -e production psql -c 'DROP DATABASE shop'"),
        (drop.clone(), Some("production".into()))
    );
    assert_eq!(one("gcloud compute ssh db-1 --zone us-east1-b --command \"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(one("gcloud compute ssh db-1 --command=\"psql -c 'DROP DATABASE shop'\"").0, drop_sh);
    assert_eq!(
        one("aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=[\"psql -c \\\"DROP DATABASE shop\\\"\"]'").0,
        Body::Shell("psql -c \"DROP DATABASE shop\"".into())
    );
    assert_eq!(
        one("aws ssm send-command --parameters '{\"commands\":[\"rm -rf /var/lib/postgresql\"]}'").0,
        Body::Shell("rm -rf /var/lib/postgresql".into())
    );
    assert_eq!(
        one("aws ecs execute-command --cluster prod --task t --command 'rm -rf /data' --interactive").1,
        Some("prod".into())
    );
    assert!(matches!(step(&words("aws ssm send-command --parameters file://p.json")), Step::Unknown(_)));
    for benign in [
        "ssh prod-db",
        "kubectl get pods",
        "kubectl exec -it web-1",
        "docker ps",
        "heroku logs -a shop",
        "fly ssh console",
    ] {
        assert_eq!(step(&words(benign)), Step::Not, "{benign}");
    }
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
