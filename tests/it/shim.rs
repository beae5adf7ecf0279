//! Shim mode against the built binary: faithful exec, resolution, exit codes, bad input.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Stdio;

use crate::common::*;

/// A sandbox with `railway` shimmed and a recorder as the real `railway`.
fn railway() -> Sandbox {
    let s = Sandbox::new();
    s.shim("railway");
    s.recorder("real", "railway");
    s
}

fn run_railway(s: &Sandbox, args: &[OsString]) -> std::process::Output {
    s.cmd("railway", &["shims", "real"]).args(args).output().expect("run shim")
}

#[test]
fn argv_is_byte_identical() {
    let s = railway();
    let args: Vec<OsString> = vec![
        OsString::from_vec(vec![0xff, 0xfe, b'x']),
        OsString::new(),
        "with space".into(),
        "new\nline".into(),
        "--flag=value".into(),
        "ünïcode".into(),
        String::new().into(),
    ];
    let out = run_railway(&s, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "interlock printed on an allowed call: {}", stderr(&out));
    let mut expected = vec![b"railway".to_vec()];
    expected.extend(args.iter().map(|a| a.as_bytes().to_vec()));
    assert_eq!(s.recorded_argv(), expected);
}

#[test]
fn ten_thousand_arguments() {
    let s = railway();
    let args: Vec<OsString> = (0..10_000).map(|i| OsString::from(format!("arg-{i}"))).collect();
    let out = run_railway(&s, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let got = s.recorded_argv();
    assert_eq!(got.len(), 10_001);
    assert_eq!(got[10_000], b"arg-9999");
}

#[test]
fn argv0_is_passed_as_given() {
    let s = railway();
    let shim = s.path("shims/railway");
    let out = s.cmd(&shim, &["shims", "real"]).arg0("custom-zero").arg("status").output().expect("run");
    // argv[0] names no shim, so the program is taken from... argv[0]: no such program.
    assert_eq!(out.status.code(), Some(127), "{}", stderr(&out));

    let out = s.cmd(&shim, &["shims", "real"]).arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.recorded_argv()[0], shim.as_os_str().as_bytes(), "argv[0] with a directory part is kept");
}

#[test]
fn environment_and_stdio_are_the_callers() {
    let s = railway();
    let mut c = s.cmd("railway", &["shims", "real"]);
    c.env("ODD", "a=b\nc").env("EMPTY", "").arg("status");
    let out = c.output().expect("run");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "real program ran\n");
    let env: Vec<Vec<u8>> = s.recorded_env().into_iter().filter(|v| !v.starts_with(b"INTERLOCK_")).collect();
    let mut expected: Vec<Vec<u8>> = [
        format!("HOME={}", s.home().display()),
        format!("XDG_CONFIG_HOME={}", s.home().join(".config").display()),
        format!("XDG_STATE_HOME={}", s.home().join(".local/state").display()),
        format!("XDG_DATA_HOME={}", s.home().join(".local/share").display()),
        format!("PATH={}", s.path_var(&["shims", "real"]).to_string_lossy()),
        format!("RECORD_DIR={}", s.path("records").display()),
        "ODD=a=b\nc".into(),
        "EMPTY=".into(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    expected.sort();
    assert_eq!(env, expected);
}

#[test]
fn binary_stdin_reaches_the_program_unchanged() {
    let s = railway();
    let data: Vec<u8> = (0..(1 << 20)).map(|i: u32| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let mut child = s.cmd("railway", &["shims", "real"]).arg("status").stdin(Stdio::piped()).spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &data))
    };
    let status = child.wait().expect("wait");
    writer.join().expect("writer").expect("write stdin");
    assert!(status.success());
    assert_eq!(s.recorded_stdin(), data);
}

#[test]
fn same_pid_proves_exec() {
    let s = railway();
    let child = s.cmd("railway", &["shims", "real"]).arg("status").spawn().expect("spawn");
    let pid = child.id();
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert_eq!(s.recorded_pid(), pid);
}

/// Regression: the Rust runtime ignores SIGPIPE and execve keeps it ignored, so the real
/// program used to start with SIGPIPE ignored (`psql … | head` would not end on EPIPE).
#[test]
fn signal_dispositions_are_the_same_as_a_direct_run() {
    let s = Sandbox::new();
    s.shim("railway");
    let script = s.script("real", "railway", "#!/bin/sh\ngrep -E '^SigIgn' /proc/$$/status\n");
    let direct = s.cmd(&script, &[]).output().expect("direct");
    let through = s.cmd("railway", &["shims", "real"]).output().expect("shim");
    assert!(through.status.success(), "{}", stderr(&through));
    assert_eq!(stdout(&through), stdout(&direct));
}

#[test]
fn exit_codes_are_the_programs_own() {
    let s = Sandbox::new();
    s.shim("railway");
    s.script("real", "railway", "#!/bin/sh\nexit \"$1\"\n");
    for code in 0..=255 {
        let out = s.cmd("railway", &["shims", "real"]).arg(code.to_string()).output().expect("run");
        assert_eq!(out.status.code(), Some(code), "exit {code}");
    }
}

#[test]
fn death_by_signal_is_the_programs_own() {
    let s = railway();
    let out = s.cmd("railway", &["shims", "real"]).env("FAKE_SIGNAL", "15").arg("status").output().expect("run");
    assert_eq!(out.status.signal(), Some(15));
}

#[test]
fn missing_program_is_127() {
    let s = Sandbox::new();
    s.shim("railway");
    let out = s.cmd("railway", &["shims"]).arg("status").output().expect("run");
    assert_eq!(out.status.code(), Some(127));
    assert!(stderr(&out).starts_with("interlock: railway: command not found"), "{}", stderr(&out));
}

#[test]
fn non_executable_program_is_126() {
    let s = Sandbox::new();
    s.shim("railway");
    let p = s.script("real", "railway", "#!/bin/sh\nexit 0\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let out = s.cmd("railway", &["shims", "real"]).arg("status").output().expect("run");
    assert_eq!(out.status.code(), Some(126), "{}", stderr(&out));
    assert!(stderr(&out).contains("Permission denied"), "{}", stderr(&out));
}

#[test]
fn a_later_executable_wins_over_a_non_executable_one() {
    let s = Sandbox::new();
    s.shim("railway");
    let p = s.script("first", "railway", "#!/bin/sh\nexit 9\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    s.recorder("real", "railway");
    let out = s.cmd("railway", &["shims", "first", "real"]).arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
}

#[test]
fn two_shim_directories_on_path() {
    let s = railway();
    s.shim_in("shims2", "railway");
    let out = s.cmd("railway", &["shims", "shims2", "real"]).arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
}

#[test]
fn two_separate_installs_do_not_exec_each_other() {
    let s = railway();
    // A second copy of interlock, under a name that does not say "interlock": only the
    // visited-identity hand-off can tell it apart.
    for (dir, name) in [("install-a", "interlock"), ("install-b", "guard")] {
        let bin = s.path(dir).join(name);
        std::fs::create_dir_all(s.path(dir)).expect("mkdir");
        std::fs::copy(BIN, &bin).expect("copy binary");
        std::os::unix::fs::symlink(&bin, s.path(dir).join("railway")).expect("symlink");
    }
    for order in [["install-a", "install-b"], ["install-b", "install-a"]] {
        let out = s.cmd("railway", &[order[0], order[1], "real"]).arg("status").output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(s.runs(), 2);
    // and each of them still guards:
    let out = s
        .cmd("railway", &["install-b", "install-a", "real"])
        .args(["volume", "delete", "--volume", "v"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(s.runs(), 2);
}

#[test]
fn nested_calls_are_checked_every_time() {
    let s = railway();
    // A script that calls railway twice, the second time destructively.
    s.script("work", "deploy.sh", "#!/bin/sh\nrailway status\nrailway volume delete --volume pgdata --yes\n");
    let out = s.cmd(s.path("work/deploy.sh"), &["shims", "real"]).output().expect("run");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert_eq!(s.runs(), 1, "only the benign call ran");
}

#[test]
fn relative_and_empty_path_entries() {
    let s = railway();
    // Empty entry = current directory: put the real program in the working directory.
    let sandbox_path = format!("{}::/usr/bin:/bin", s.path("shims").display());
    let work = s.path("work");
    std::fs::copy(recorder_binary(), work.join("railway")).expect("copy");
    let out = s
        .cmd(s.path("shims/railway"), &[])
        .env("PATH", &sandbox_path)
        .current_dir(&work)
        .arg("status")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
    // A relative entry: `../real` from the working directory (which also holds a railway,
    // not on this PATH).
    let out =
        s.cmd(s.path("shims/railway"), &[]).env("PATH", "../shims:../real:/bin").arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 2);
}

#[test]
fn shims_dir_reached_through_a_symlink() {
    let s = railway();
    std::os::unix::fs::symlink(s.path("shims"), s.path("linked-shims")).expect("symlink");
    let out = s.cmd(s.path("linked-shims/railway"), &["linked-shims", "real"]).arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
}

#[test]
fn unset_and_empty_path() {
    let s = railway();
    let shim = s.path("shims/railway");
    let out = s.cmd(&shim, &[]).env_remove("PATH").arg("status").output().expect("run");
    assert_eq!(out.status.code(), Some(127));
    assert!(stderr(&out).contains("looked in: /bin, /usr/bin"), "{}", stderr(&out));
    let out = s.cmd(&shim, &[]).env("PATH", "").arg("status").output().expect("run");
    assert_eq!(out.status.code(), Some(127));
    assert!(stderr(&out).contains("command not found"), "{}", stderr(&out));
}

#[test]
fn odd_program_names_and_unreadable_path_entries() {
    let s = Sandbox::new();
    let odd = s.shim("we ird\nname");
    let out = s.cmd(&odd, &["shims"]).output().expect("run");
    assert_eq!(out.status.code(), Some(127));
    assert!(stderr(&out).starts_with("interlock: we ird\nname: command not found"), "{}", stderr(&out));

    s.shim("railway");
    s.recorder("real", "railway");
    let locked = s.path("locked");
    std::fs::create_dir_all(&locked).expect("mkdir");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let path = format!(
        "{}:{}:/nonexistent:{}:{}",
        locked.display(),
        s.path("work/not-a-dir").display(),
        s.path("shims").display(),
        s.path("real").display()
    );
    std::fs::write(s.path("work/not-a-dir"), "").expect("write");
    let out = s.cmd(s.path("shims/railway"), &[]).env("PATH", path).arg("status").output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

/// The agent-facing "stop" sentence, as the hooks say it too.
fn interlock_stop_text() -> &'static str {
    "Do not retry this command, rephrase it, or look for another way to do the same thing"
}

#[test]
fn blocked_without_a_terminal() {
    let s = railway();
    let out = run_railway(&s, &["volume".into(), "delete".into(), "--volume".into(), "pgdata".into(), "--yes".into()]);
    assert_eq!(out.status.code(), Some(77));
    let err = stderr(&out);
    assert!(err.starts_with("interlock: blocked"), "{err}");
    assert!(err.contains(interlock_stop_text()), "{err}");
    assert_eq!(s.runs(), 0, "the real program must not run");
    assert!(out.stdout.is_empty());
}

/// Regression (issue 25): a 100 KB URL made a 200 KB block message with the instruction to the
/// agent at its end, where agent tools cut long output. The instruction comes first; the
/// command is shown capped.
#[test]
fn a_long_blocked_command_is_cut_and_the_instruction_comes_first() {
    let s = Sandbox::new();
    s.shim("curl");
    s.recorder("real", "curl");
    let url = format!("https://api.example.com/v1/items/{}", "x".repeat(100_000));
    let out = s.cmd(s.path("shims/curl"), &["shims", "real"]).args(["-X", "DELETE", &url]).output().expect("curl");
    assert_eq!(out.status.code(), Some(77));
    let err = stderr(&out);
    assert!(err.len() < 4096, "{} bytes", err.len());
    let head: Vec<&str> = err.lines().take(3).collect();
    assert!(head[0].starts_with("interlock: blocked"), "{err}");
    assert!(head.iter().any(|l| l.contains(interlock_stop_text())), "{head:?}");
    assert!(err.contains("more characters)"), "{err}");
    assert_eq!(s.runs(), 0);
}

/// SQL on stdin is read for analysis and still reaches psql byte for byte, from a pipe
/// (spooled, beyond the in-memory limit) and from a regular file (rewound).
#[test]
fn analyzed_stdin_is_handed_over_intact() {
    let s = Sandbox::new();
    s.shim("psql");
    s.recorder("real", "psql");
    let mut sql = String::new();
    for i in 0..150_000 {
        sql.push_str(&format!("INSERT INTO t VALUES ({i}, 'drop table; it''s $$ fine', E'\\\\x');\n"));
    }
    assert!(sql.len() > 9 << 20);
    let mut child = s.cmd("psql", &["shims", "real"]).arg("app").stdin(Stdio::piped()).spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = sql.clone().into_bytes();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &data));
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer").expect("write");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.recorded_stdin(), sql.as_bytes());

    let file = s.path("work/dump.sql");
    std::fs::write(&file, &sql).expect("write");
    let out = s
        .cmd("psql", &["shims", "real"])
        .arg("app")
        .stdin(std::fs::File::open(&file).expect("open"))
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(s.recorded_stdin(), sql.as_bytes());

    // The same dump with a DROP at the very end is blocked, and psql never runs.
    std::fs::write(&file, format!("{sql}DROP TABLE t;\n")).expect("write");
    let out = s
        .cmd("psql", &["shims", "real"])
        .arg("app")
        .stdin(std::fs::File::open(&file).expect("open"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert_eq!(s.runs(), 2);
}

#[test]
fn a_panic_in_shim_mode_blocks_the_call() {
    let s = railway();
    // Debug builds panic on purpose when INTERLOCK_TEST_PANIC is set (see `blocked_on_panic`).
    let out =
        s.cmd("railway", &["shims", "real"]).arg("status").env("INTERLOCK_TEST_PANIC", "1").output().expect("run");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("interlock: blocked: interlock failed while judging this call"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(s.runs(), 0, "the real program ran");
}
