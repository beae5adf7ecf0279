//! Running as another user: `sudo`, `doas`, `pkexec`, `su`, `runuser`, and `env`, which
//! sets the environment of what it runs.

use super::*;

/// sudo(8): `-u user`, `-g group`, `-h host`, `-p prompt`, `-C num`, `-D dir`, `-r role`,
/// `-t type`, `-T timeout`, `-U user` take values; `-e` edits files, `-l`/`-v`/`-k`/`-K`
/// alone run nothing; leading `VAR=value` operands go into the environment.
pub(super) const SUDO: OptTable = OptTable::new(&[
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

pub(super) fn sudo(args: &[String]) -> Step {
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

/// su(1) and runuser(1) without `-u`: `su [options] [-] [USER [ARG…]]`, options anywhere
/// (util-linux permutes them); `-c COMMAND` is a shell string; without it, the shell reads
/// standard input.
pub(super) const SU: OptTable = OptTable::new(&[
    val(Some('c'), "command"),
    val(Some('g'), "group"),
    val(Some('G'), "supp-group"),
    val(Some('s'), "shell"),
    val(Some('w'), "whitelist-environment"),
    val(Some('C'), "session-command"),
]);
pub(super) const RUNUSER: OptTable = OptTable::new(&[
    val(Some('c'), "command"),
    val(Some('g'), "group"),
    val(Some('G'), "supp-group"),
    val(Some('s'), "shell"),
    val(Some('w'), "whitelist-environment"),
    val(Some('u'), "user"),
    val(Some('C'), "session-command"),
]);

pub(super) fn su(args: &[String], opts: OptTable) -> Step {
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
pub(super) const ENV: OptTable = OptTable::new(&[
    val(Some('u'), "unset"),
    val(Some('C'), "chdir"),
    val(Some('S'), "split-string"),
    val(Some('P'), ""),
]);

pub(super) fn env(args: &[String]) -> Step {
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
