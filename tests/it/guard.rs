//! The exec guard (Linux): installed with `install.sh`, turned on by sourcing `activate.sh`,
//! under an agent and without a terminal. Every route around the PATH shims — an absolute
//! path, `env -i`, `command -p`, a PATH reset, `sh -c 'exec …'`, `find -exec`, `xargs`, a
//! Makefile recipe, Python's `subprocess` (vfork and posix_spawn), Node's `child_process`,
//! the dynamic loader, and each exec function from C — gets a destructive `curl` blocked
//! (exit 77, nothing sent to the loopback stand-in of the API) and a benign one through with
//! exactly the output it has without interlock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use crate::common::*;

const INCIDENT: &str = r#"{"query":"mutation { volumeDelete(volumeId: \"3d2c4a1e-8a0b-4d5e-9f00-112233445566\") }"}"#;
const BENIGN: &str = r#"{"query":"query { me { id email } }"}"#;

/// An installed interlock in a sandbox, the API stand-in, and request bodies in `work/`.
struct Guarded {
    s: Sandbox,
    api: ApiServer,
}

impl Guarded {
    fn new() -> Guarded {
        let s = Sandbox::new();
        let out = s.install();
        assert!(out.status.success(), "install.sh: {}{}", stdout(&out), stderr(&out));
        std::fs::write(s.path("work/incident.json"), INCIDENT).unwrap();
        std::fs::write(s.path("work/benign.json"), BENIGN).unwrap();
        Guarded { s, api: ApiServer::start() }
    }

    /// curl's arguments for a request with the body in `work/FILE`.
    fn curl_args(&self, file: &str) -> String {
        format!(
            "-sS --resolve {} {} -H 'Content-Type: application/json' -d @{file}",
            self.api.resolve(),
            self.api.url()
        )
    }

    /// `bash -c SCRIPT` as an agent runs it: no terminal, the agent's marker set, after
    /// sourcing the installed `activate.sh` when `activate`. `$@` holds curl's arguments.
    fn bash(&self, script: &str, file: &str, activate: bool) -> Output {
        let source = if activate { ". \"$HOME/.local/share/interlock/activate.sh\"\n" } else { "" };
        let mut c = self.s.cmd("/bin/bash", &[]);
        c.arg("-c")
            .arg(format!("{source}eval \"set -- $CURL_ARGS\"\n{script}"))
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("CLAUDECODE", "1")
            .env("CURL_ARGS", self.curl_args(file))
            .env("PROBE", probe());
        c.output().expect("bash")
    }

    /// The decisions interlock logged, as `(decision, program)`.
    fn decisions(&self) -> Vec<(String, String)> {
        let out = self.s.cmd(self.s.path("bin/interlock"), &[]).args(["log", "--json"]).output().expect("log");
        stdout(&out)
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                (v["decision"].as_str().unwrap_or("").into(), v["program"].as_str().unwrap_or("").into())
            })
            .collect()
    }

    fn lib(&self) -> PathBuf {
        self.s.data().join("libinterlock_guard.so")
    }
}

/// tests/fixtures/execprobe.c, compiled once.
fn probe() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("execprobe-{}", std::process::id()));
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/execprobe.c");
        let status = Command::new("cc").arg("-O2").arg("-o").arg(&out).arg(&src).status().expect("cc");
        assert!(status.success(), "compiling execprobe failed");
        out
    })
}

/// Routes that go around the PATH shims: label and script (`$@` = curl's arguments).
fn routes() -> Vec<(&'static str, String)> {
    let loader = ["/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux-aarch64.so.1"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("/lib64/ld-linux-x86-64.so.2");
    vec![
        ("absolute path", "/usr/bin/curl \"$@\"".into()),
        ("env -i", "env -i /usr/bin/curl \"$@\"".into()),
        ("command -p", "command -p curl \"$@\"".into()),
        ("PATH reset", "PATH=/usr/bin:/bin curl \"$@\"".into()),
        ("sh -c exec", "sh -c 'exec curl \"$@\"' sh \"$@\"".into()),
        ("find -exec", "find /usr/bin -maxdepth 1 -name curl -exec {} \"$@\" \\;".into()),
        ("xargs", "printf '%s\\0' \"$@\" | xargs -0 /usr/bin/curl".into()),
        ("make", "printf 'all:\\n\\t@/usr/bin/curl $(ARGS)\\n' > Makefile.guard; make -s -f Makefile.guard ARGS=\"$CURL_ARGS\"".into()),
        (
            "python subprocess (vfork)",
            "python3 -c 'import subprocess,sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)' /usr/bin/curl \"$@\""
                .into(),
        ),
        (
            "python subprocess (posix_spawn)",
            "python3 -c 'import subprocess,sys; sys.exit(subprocess.run(sys.argv[1:], close_fds=False).returncode)' /usr/bin/curl \"$@\"".into(),
        ),
        (
            "python os.posix_spawnp",
            "python3 -c 'import os,sys; p=os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ); sys.exit(os.waitstatus_to_exitcode(os.waitpid(p,0)[1]))' curl \"$@\"".into(),
        ),
        (
            "node child_process",
            "node -e 'const r=require(\"child_process\").spawnSync(process.argv[1], process.argv.slice(2), {stdio:\"inherit\"}); process.exit(r.status)' /usr/bin/curl \"$@\"".into(),
        ),
        ("dynamic loader", format!("{loader} /usr/bin/curl \"$@\"")),
        // A `#!` script whose interpreter is curl (its first line is a comment to `-K`): the
        // kernel runs curl, named only by the script's first line.
        ("#! script run by curl", "printf '#!/usr/bin/curl -K\\n' > run.curl; chmod +x run.curl; ./run.curl \"$@\"".into()),
        ("C execl", "\"$PROBE\" execl /usr/bin/curl \"$@\"".into()),
        ("C execlp", "PATH=/usr/bin \"$PROBE\" execlp curl \"$@\"".into()),
        ("C execle", "\"$PROBE\" execle /usr/bin/curl \"$@\"".into()),
        ("C execv", "\"$PROBE\" execv /usr/bin/curl \"$@\"".into()),
        ("C execvp", "PATH=/usr/bin \"$PROBE\" execvp curl \"$@\"".into()),
        ("C execvpe", "PATH=/usr/bin \"$PROBE\" execvpe curl \"$@\"".into()),
        ("C execveat", "\"$PROBE\" execveat /usr/bin/curl \"$@\"".into()),
        ("C execveat (dir fd)", "\"$PROBE\" execveat-dir /usr/bin/curl \"$@\"".into()),
        ("C fexecve", "\"$PROBE\" fexecve /usr/bin/curl \"$@\"".into()),
        ("C vfork + execv", "\"$PROBE\" vfork /usr/bin/curl \"$@\"".into()),
        ("C posix_spawn", "\"$PROBE\" posix_spawn /usr/bin/curl \"$@\"".into()),
        ("C posix_spawnp", "PATH=/usr/bin \"$PROBE\" posix_spawnp curl \"$@\"".into()),
        ("C execve with a cleared environment", "\"$PROBE\" clearenv /usr/bin/curl \"$@\"".into()),
    ]
}

/// Routes whose own exit status is not curl's (find, xargs and make report a failure their way).
fn passes_status_through(label: &str) -> bool {
    !matches!(label, "find -exec" | "xargs" | "make")
}

#[test]
fn every_route_around_the_shims_is_blocked() {
    let g = Guarded::new();
    for (label, script) in routes() {
        let out = g.bash(&script, "incident.json", true);
        let err = stderr(&out);
        assert!(g.api.requests().is_empty(), "{label}: the mutation reached the API\n{err}");
        assert!(err.contains("interlock: blocked"), "{label}: {err}");
        if passes_status_through(label) {
            assert_eq!(out.status.code(), Some(77), "{label}: {err}");
        } else {
            assert_ne!(out.status.code(), Some(0), "{label}: {err}");
        }
        // It was curl that interlock judged, not the program in front of it — except where
        // that program is itself a shim that sees the curl it runs (find -exec).
        let (decision, program) = g.decisions().pop().expect("a logged decision");
        assert_eq!(decision, "blocked", "{label}");
        assert!(program == "curl" || (label == "find -exec" && program == "find"), "{label}: {program}");
    }
}

#[test]
fn every_route_runs_a_benign_call_exactly_as_without_interlock() {
    let g = Guarded::new();
    for (label, script) in routes() {
        let plain = g.bash(&script, "benign.json", false);
        assert_eq!(stdout(&plain), RESPONSE, "{label} without interlock: {}", stderr(&plain));
        let before = g.api.requests().len();
        let guarded = g.bash(&script, "benign.json", true);
        assert_eq!(stdout(&guarded), stdout(&plain), "{label}: {}", stderr(&guarded));
        assert_eq!(stderr(&guarded), stderr(&plain), "{label}");
        assert_eq!(guarded.status.code(), plain.status.code(), "{label}");
        assert_eq!(g.api.requests().len(), before + 1, "{label}");
        let last = g.decisions().pop().expect("a logged decision");
        assert_eq!(last, ("allow".to_string(), "curl".to_string()), "{label}");
    }
}

#[test]
fn an_unguarded_program_sees_its_argv_and_environment_unchanged() {
    let g = Guarded::new();
    let recorder = g.s.recorder("real", "tool");
    let env_of = |out: &Output| {
        assert!(out.status.success(), "{}", stderr(out));
        g.s.recorded_env()
    };
    // Through the guard (bash preloaded by activate.sh's LD_PRELOAD) and without it.
    let script = format!(
        "RECORD_DIR={0} \"$PROBE\" execve {1} 'a b' '' \"$(printf 'c\\td')\"",
        g.s.path("records").display(),
        recorder.display()
    );
    let plain = env_of(&g.bash(&script, "benign.json", false));
    let plain_argv = g.s.recorded_argv();
    let guarded = env_of(&g.bash(&script, "benign.json", true));
    assert_eq!(g.s.recorded_argv(), plain_argv);
    assert_eq!(plain_argv[1..], [b"a b".to_vec(), b"".to_vec(), b"c\td".to_vec()]);
    let preload = format!("LD_PRELOAD={}", g.lib().display()).into_bytes();
    // activate.sh changed PATH and LD_PRELOAD; nothing else differs.
    let rest = |env: &[Vec<u8>]| -> Vec<Vec<u8>> {
        env.iter().filter(|v| !v.starts_with(b"LD_PRELOAD=") && !v.starts_with(b"PATH=")).cloned().collect()
    };
    assert_eq!(rest(&guarded), rest(&plain));
    assert!(guarded.contains(&preload), "the guard follows the tree");

    // A caller that clears the environment: the guard puts itself back, nothing else.
    let out = g.bash(
        &format!("RECORD_DIR={} \"$PROBE\" clearenv {}", g.s.path("records").display(), recorder.display()),
        "benign.json",
        true,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let record = format!("RECORD_DIR={}", g.s.path("records").display()).into_bytes();
    assert_eq!(g.s.recorded_env(), [preload, b"PATH=/usr/bin:/bin".to_vec(), record]);
}

#[test]
fn failures_of_unguarded_execs_keep_their_errno() {
    let g = Guarded::new();
    std::fs::write(g.s.path("work/data.txt"), "not a program\n").unwrap();
    for (mode, target) in [
        ("execv", "/nonexistent/tool"),
        ("execvp", "no-such-program-anywhere"),
        ("posix_spawn", "/nonexistent/tool"),
        ("posix_spawnp", "no-such-program-anywhere"),
        ("execv", "./data.txt"),
        ("execv", "/etc"),
    ] {
        let script = format!("\"$PROBE\" {mode} {target}");
        let plain = g.bash(&script, "benign.json", false);
        assert!(stdout(&plain).starts_with("errno="), "{mode} {target}: {}", stdout(&plain));
        let guarded = g.bash(&script, "benign.json", true);
        assert_eq!(stdout(&guarded), stdout(&plain), "{mode} {target}: {}", stderr(&guarded));
        assert_eq!(guarded.status.code(), Some(99));
    }
}

#[test]
fn the_real_program_gets_the_shims_argv_and_no_guard_variables() {
    let g = Guarded::new();
    // A stand-in for curl in a directory that is not on PATH, run by absolute path.
    let curl = g.s.recorder("real", "curl");
    let script =
        format!("RECORD_DIR={} {} -sS https://example.com/health", g.s.path("records").display(), curl.display());
    let out = g.bash(&script, "benign.json", true);
    assert!(out.status.success(), "{}", stderr(&out));
    let expected: Vec<Vec<u8>> =
        [curl.as_os_str().as_encoded_bytes(), b"-sS", b"https://example.com/health"].map(<[u8]>::to_vec).into();
    assert_eq!(g.s.recorded_argv(), expected);
    let env = g.s.recorded_env();
    assert!(
        !env.iter().any(|v| v.starts_with(b"INTERLOCK_GUARD_")),
        "{:?}",
        env.iter().map(|v| String::from_utf8_lossy(v)).collect::<Vec<_>>()
    );
    assert_eq!(g.decisions().pop(), Some(("allow".into(), "curl".into())));
}

#[test]
fn a_copy_under_another_name_is_found_by_its_inode() {
    let g = Guarded::new();
    // A symlink to the real curl under a name interlock does not know.
    let link = g.s.path("work/fetch");
    std::os::unix::fs::symlink("/usr/bin/curl", &link).unwrap();
    let out = g.bash("./fetch \"$@\"", "incident.json", true);
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(g.api.requests().is_empty());
    assert_eq!(g.decisions().pop(), Some(("blocked".into(), "curl".into())));
}

/// A library without the table in its slot (as built, before `shims install` writes it)
/// reads `guard.table` beside it, and guards the same.
#[test]
fn a_library_without_its_table_reads_the_file_beside_it() {
    let g = Guarded::new();
    let lib = g.lib();
    std::fs::remove_file(&lib).unwrap();
    std::fs::copy(guard_library(), &lib).unwrap();
    assert!(g.s.data().join("guard.table").is_file());
    let out = g.bash("/usr/bin/curl \"$@\"", "incident.json", true);
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(g.api.requests().is_empty());
    let out = g.bash("/usr/bin/curl \"$@\"", "benign.json", true);
    assert_eq!(stdout(&out), RESPONSE, "{}", stderr(&out));
    // Without either, the guard stays out of the way.
    std::fs::remove_file(g.s.data().join("guard.table")).unwrap();
    let out = g.bash("/usr/bin/curl \"$@\"", "incident.json", true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(g.api.requests().len(), 2, "the benign call and the unguarded one");
}

#[test]
fn a_missing_interlock_binary_blocks_a_guarded_program() {
    let g = Guarded::new();
    std::fs::remove_file(g.s.path("bin/interlock")).unwrap();
    let out = g.bash("/usr/bin/curl \"$@\"", "benign.json", true);
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("interlock: blocked"), "{}", stderr(&out));
    assert!(g.api.requests().is_empty());
    // Unguarded programs are not affected.
    let out = g.bash("echo fine; /bin/true", "benign.json", true);
    assert_eq!(stdout(&out), "fine\n");
    assert!(out.status.success());
}

#[test]
fn doctor_reports_the_guard() {
    let g = Guarded::new();
    let doctor = format!("{} doctor", g.s.path("bin/interlock").display());
    let on = g.bash(&doctor, "benign.json", true);
    assert!(stdout(&on).contains("exec guard: on"), "{}", stdout(&on));
    let off = g.bash(&doctor, "benign.json", false);
    assert!(stdout(&off).contains("exec guard: off"), "{}", stdout(&off));
}

/// tests/fixtures/recorder.c linked statically: the guard's constructor never runs inside it,
/// so only the exec functions of its caller can stop it.
fn static_recorder() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("recorder-static-{}", std::process::id()));
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recorder.c");
        let status = Command::new("cc").args(["-O2", "-static", "-o"]).arg(&out).arg(&src).status().expect("cc");
        assert!(status.success(), "compiling the static recorder failed (is libc.a installed?)");
        out
    })
}

#[test]
fn each_exec_function_stops_a_statically_linked_program_before_it_starts() {
    let g = Guarded::new();
    let curl = g.s.path("real/curl");
    std::fs::copy(static_recorder(), &curl).unwrap();
    let records = g.s.path("records").display().to_string();
    let dir = g.s.path("real").display().to_string();
    let modes = [
        "execl",
        "execle",
        "execv",
        "execve",
        "execveat",
        "execveat-dir",
        "fexecve",
        "vfork",
        "posix_spawn",
        "clearenv",
    ];
    let mut scripts: Vec<(String, String)> =
        modes.iter().map(|m| (m.to_string(), format!("\"$PROBE\" {m} {} \"$@\"", curl.display()))).collect();
    for m in ["execlp", "execvp", "execvpe", "posix_spawnp"] {
        scripts.push((m.to_string(), format!("PATH={dir} \"$PROBE\" {m} curl \"$@\"")));
    }
    scripts.push((
        "python".into(),
        format!(
            "python3 -c 'import subprocess,sys; sys.exit(subprocess.run(sys.argv[1:]).returncode)' {} \"$@\"",
            curl.display()
        ),
    ));
    scripts.push((
        "node".into(),
        format!(
            "node -e 'process.exit(require(\"child_process\").spawnSync(process.argv[1], process.argv.slice(2), {{stdio:\"inherit\"}}).status)' {} \"$@\"",
            curl.display()
        ),
    ));
    for (label, script) in &scripts {
        let out = g.bash(&format!("export RECORD_DIR={records}\n{script}"), "incident.json", true);
        assert_eq!(g.s.runs(), 0, "{label}: the program started: {}", stderr(&out));
        assert!(stderr(&out).contains("interlock: blocked"), "{label}: {}", stderr(&out));
    }
    // And the same program with a benign request runs, once per route.
    for (n, (label, script)) in scripts.iter().enumerate() {
        let out = g.bash(&format!("export RECORD_DIR={records}\n{script}"), "benign.json", true);
        assert_eq!(g.s.runs(), n + 1, "{label}: {}", stderr(&out));
    }
}

/// The guard's own hand-over variable cannot be forged inside a guarded tree: a preloaded
/// shell that sets `INTERLOCK_GUARD_PASS` to its pid and execs an intermediary gets the
/// variable dropped on the way, so the curl behind it is still judged.
#[test]
fn a_forged_hand_over_is_dropped_inside_a_guarded_tree() {
    let g = Guarded::new();
    let lib = g.lib();
    let script = "INTERLOCK_GUARD_PASS=$BASHPID exec /usr/bin/env /usr/bin/curl \"$@\"";
    // The shell itself starts with the guard loaded (as under `interlock setup`).
    let out =
        g.s.cmd("/bin/bash", &[])
            .arg("-c")
            .arg(format!("eval \"set -- $CURL_ARGS\"\n{script}"))
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LD_PRELOAD", &lib)
            .env("CLAUDECODE", "1")
            .env("CURL_ARGS", g.curl_args("incident.json"))
            .output()
            .expect("bash");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(g.api.requests().is_empty(), "the forged hand-over let curl run");
}
