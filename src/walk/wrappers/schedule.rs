//! Running the same command later or under other scheduling: `time`, `nice`, `ionice`,
//! `timeout`, `flock`, `script`, `watch`, `entr`, `parallel`, `find -exec`.

use super::*;

pub(super) fn flock(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
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

pub(super) fn watch(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
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
pub(super) fn entr(args: &[String]) -> Step {
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

pub(super) fn parallel(args: &[String], spec: &ProgramSpec) -> Step {
    let p = spec.at(&[]).parse(args);
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
pub(super) fn find(args: &[String]) -> Step {
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
