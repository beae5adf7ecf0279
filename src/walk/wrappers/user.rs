//! Running as another user: `sudo`, `doas`, `pkexec`, `su`, `runuser`, and `env`, which
//! sets the environment of what it runs.

use super::*;

pub(super) fn sudo(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
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

pub(super) fn su(args: &[String], opts: &impl Grammar) -> Step {
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

pub(super) fn env(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
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
