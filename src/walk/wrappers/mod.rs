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

use crate::analyze::options::{Grammar, OptTable, opt_table, val};
use crate::analyze::spec::{ProgramSpec, Reader, RunsRow};
#[cfg(test)]
use crate::invocation::program_name;
use crate::registry::Registry;
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
fn argv_after(args: &[String], opts: impl Grammar) -> Step {
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

/// What `argv` runs besides itself, read by `spec`, the program's registry entry: its Rust
/// reader, or its `runs` rows. `argv[0]` may be a path.
pub(crate) fn step_with(argv: &[String], spec: Option<&ProgramSpec>, registry: &Registry) -> Step {
    let (Some(spec), Some(args)) = (spec, argv.get(1..)) else { return Step::Not };
    match spec.reader {
        Some(reader) => read(reader, args, spec, registry),
        None => runs_rows(spec, args),
    }
}

/// A wrapper with real logic, read by its Rust reader.
fn read(reader: Reader, args: &[String], spec: &ProgramSpec, registry: &Registry) -> Step {
    use Reader::*;
    let first = args.first().map(String::as_str);
    match reader {
        Sudo => sudo(args, spec),
        Su => su(args, &spec.at(&[])),
        Runuser => {
            let grammar = spec.at(&[]);
            if grammar.parse(args).has(&["-u", "--user"]) { argv_after(args, grammar) } else { su(args, &grammar) }
        }
        Env => env(args, spec),
        Flock => flock(args, spec),
        Script => {
            let p = spec.at(&[]).parse_permuted(args).0;
            p.value(&["-c", "--command"]).map_or(Step::Not, |c| runs(Inner::shell(c.to_string())))
        }
        Watch => watch(args, spec),
        Entr => entr(args),
        Parallel => parallel(args, spec),
        Find => find(args),
        Npx => npx(args, spec),
        Npm => npm(args, spec, registry),
        PackageManager => package_manager(args, registry),
        Bun if first == Some("x") => as_npx(&args[1..], registry),
        Uvx => tool_runner(args, spec.at(&[])),
        Uv => match first {
            Some("run") => uv_run(&args[1..], spec),
            Some("tool") if args.get(1).is_some_and(|a| a == "run") => {
                read_as(registry, "uvx", |uvx| tool_runner(&args[2..], uvx.at(&[])))
            }
            _ => Step::Not,
        },
        Pipx if first == Some("run") => tool_runner(&args[1..], spec.at(&["run"])),
        Dotenv => dotenv(args, spec),
        SecretsRun if first == Some("run") => secrets_run(&args[1..], spec),
        Cargo if first == Some("run") => cargo_run(&args[1..], spec),
        Go if first == Some("run") => go_run(&args[1..], spec),
        Chroot => chroot(args, spec),
        Screen => screen(args, spec),
        Tmux => tmux(args),
        At => at(args),
        Ssh => ssh(args, spec),
        Ansible => ansible(args, spec),
        Kubectl => kubectl(args, spec, registry),
        Java => java_jar(args, spec),
        Docker => docker(args, spec),
        Compose => compose(args, spec),
        Fly => fly(args, spec),
        Heroku => heroku(args, spec),
        Railway => railway(args, spec),
        Gcloud => gcloud(args, spec, registry),
        Aws => aws(args, spec),
        // Read by the walker itself (`walk::shell`), or not running anything here.
        Shell | Xargs | Crontab | Git | Bun | Pipx | SecretsRun | Cargo | Go => Step::Not,
    }
}

/// `java [options] -jar NAME.jar ARGS`: the jar's tool, named after the jar without its
/// version (`jenkins-cli.jar`, `flyway-commandline-10.1.jar` → `flyway-commandline`), with ARGS.
fn java_jar(args: &[String], _spec: &ProgramSpec) -> Step {
    // Everything after `-jar FILE` is the jar's own arguments.
    let Some(at) = args.iter().position(|a| a == "-jar" || a == "--jar") else { return Step::Not };
    let (Some(jar), rest) = (args.get(at + 1), args.get(at + 2..).unwrap_or_default()) else { return Step::Not };
    let stem = std::path::Path::new(jar).file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let name = stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-');
    if name.is_empty() {
        return Step::Not;
    }
    let mut argv = vec![name.to_string()];
    argv.extend(rest.iter().cloned());
    runs(Inner::argv(argv))
}

/// `f` with another program's table, for a reader that reads part of its command line with
/// that program's options (`npm exec` reads npx's, `gcloud compute ssh -- …` ssh's). Without
/// that table, what it runs cannot be read.
fn read_as(registry: &Registry, program: &str, f: impl FnOnce(&ProgramSpec) -> Step) -> Step {
    registry.with_spec(program, |spec| spec.map(f)).unwrap_or_else(|| {
        Step::Unknown(format!("the options of `{program}`, which this command passes its arguments to, are not known"))
    })
}

/// A wrapper described by its `runs` rows: each row that applies gives one command.
fn runs_rows(spec: &ProgramSpec, args: &[String]) -> Step {
    let inners: Vec<Inner> = spec.runs.iter().filter_map(|row| runs_row(spec, row, args)).collect();
    if inners.is_empty() { Step::Not } else { Step::Runs(inners) }
}

/// The command one `runs` row finds in `args`, if the row applies.
fn runs_row(spec: &ProgramSpec, row: &RunsRow, args: &[String]) -> Option<Inner> {
    let want: Vec<&str> = row.under.as_deref().unwrap_or("").split_whitespace().collect();
    let mut path: Vec<String> = Vec::new();
    let mut i = 0;
    let mut given: Vec<String> = Vec::new();
    loop {
        let (opts, used) = spec.leading_options(&args[i..], &path);
        given.extend(opts.into_iter().map(|(o, _)| o));
        let ended = i + used > 0 && args.get(i + used - 1).is_some_and(|a| a == "--");
        i += used;
        if path.len() == want.len() || ended {
            break;
        }
        let word = args.get(i)?;
        if word.trim_start_matches("./") != want[path.len()] {
            return None;
        }
        path.push(want[path.len()].to_string());
        i += 1;
    }
    if path.len() != want.len() || given.iter().any(|g| row.unless.contains(g)) {
        return None;
    }
    let rest = match row.after.as_deref() {
        Some("--") => &args[args.iter().position(|a| a == "--")? + 1..],
        _ => args.get(i + row.skip..)?,
    };
    let body = match &row.command {
        Some(fixed) => Body::Argv(fixed.clone()),
        None if rest.is_empty() => return None,
        None => Body::Argv(rest.to_vec()),
    };
    Some(Inner { body, env: Vec::new(), note: row.note.clone(), target: None })
}

/// pnpm and yarn: `dlx`/`exec` run a package's binary; so does a word that is not one of the
/// package manager's own commands (`yarn prisma migrate reset`: a script of that name is read
/// from package.json as well, by the project tasks).
fn package_manager(args: &[String], registry: &Registry) -> Step {
    match args.first().map(String::as_str) {
        Some("dlx" | "exec") => as_npx(&args[1..], registry),
        Some(word) if !word.starts_with('-') && !PACKAGE_MANAGER_COMMANDS.contains(&word) => {
            argv_after(args, OptTable::NONE)
        }
        _ => Step::Not,
    }
}

/// at(1) and batch(1) read the commands they run later from stdin (or `-f FILE`).
fn at(args: &[String]) -> Step {
    if args.iter().any(|a| matches!(a.as_str(), "-l" | "-d" | "-r" | "-c" | "-f")) {
        return Step::Not;
    }
    runs(Inner { body: Body::Stdin, env: Vec::new(), note: Some("runs later through at(1)".into()), target: None })
}

/// `step_with`, with the built-in registry entry of `argv[0]` (the readers' tests).
#[cfg(test)]
fn step(argv: &[String]) -> Step {
    let name = program_name(std::ffi::OsStr::new(argv.first().map_or("", String::as_str)));
    let registry = Registry::default();
    registry.with_spec(&name, |spec| step_with(argv, spec, &registry))
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
