//! The terminal conversation in a real pseudo-terminal (rexpect): confirm, decline,
//! typeahead, stdin that says yes, Ctrl-C, end of input, timeout; approvals across
//! processes; loosening rules waiting for a human.

use std::process::Command;

use crate::common::*;
use nix::sys::wait::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 20_000;

/// `cmd` run in the sandbox environment with a pseudo-terminal as its controlling terminal.
fn in_pty(s: &Sandbox, program: &str, args: &[&str]) -> PtySession {
    let mut c = Command::new(program);
    c.args(args)
        .env_clear()
        .env("HOME", s.home())
        .env("XDG_CONFIG_HOME", s.home().join(".config"))
        .env("XDG_STATE_HOME", s.home().join(".local/state"))
        .env("XDG_DATA_HOME", s.home().join(".local/share"))
        .env("PATH", s.path_var(&["shims", "real"]))
        .env("RECORD_DIR", s.path("records"))
        .env("TERM", "dumb")
        .current_dir(s.path("work"));
    spawn_command(c, Some(TIMEOUT_MS)).expect("spawn in a pty")
}

fn in_pty_sh(s: &Sandbox, script: &str) -> PtySession {
    in_pty(s, "/bin/sh", &["-c", script])
}

fn exit_code(p: &PtySession) -> Option<i32> {
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

fn railway() -> Sandbox {
    let s = Sandbox::new();
    s.shim("railway");
    s.recorder("real", "railway");
    s
}

/// The destructive call; stdin is not the terminal, so the recorder does not wait on it.
const DELETE: &str = "railway volume delete --volume pgdata --yes </dev/null";
const DELETE_ARGS: &[&str] = &["volume", "delete", "--volume", "pgdata", "--yes"];

#[test]
fn confirmed_with_the_name_of_the_volume() {
    let s = railway();
    let mut p = in_pty_sh(&s, DELETE);
    p.exp_string("deletes a Railway volume").expect("reason shown");
    p.exp_string("Type `pgdata` to run it").expect("the question names the volume");
    p.send_line("pgdata").expect("send");
    p.exp_string("real program ran").expect("ran");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&p), Some(0));
    assert_eq!(s.runs(), 1);
}

#[test]
fn declined_answers_are_no() {
    for answer in ["yes", "", "PGDATA", "pgdata please"] {
        let s = railway();
        let mut p = in_pty_sh(&s, DELETE);
        p.exp_string("Type `pgdata` to run it").expect("question");
        p.send_line(answer).expect("send");
        p.exp_eof().expect("eof");
        assert_eq!(exit_code(&p), Some(77), "answer {answer:?}");
        assert_eq!(s.runs(), 0, "answer {answer:?}");
    }
}

#[test]
fn typeahead_is_not_an_answer() {
    let s = railway();
    // The line is typed while the shell sleeps, long before the question.
    let mut p = in_pty_sh(&s, &format!("sleep 1; {DELETE}"));
    p.send_line("pgdata").expect("type ahead");
    p.exp_string("Type `pgdata` to run it").expect("question");
    p.send_line("no").expect("send");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&p), Some(77));
    assert_eq!(s.runs(), 0);
}

#[test]
fn yes_on_stdin_is_not_an_answer() {
    let s = railway();
    let mut p = in_pty_sh(&s, &format!("yes pgdata | {DELETE}"));
    p.exp_string("Type `pgdata` to run it").expect("question on the terminal");
    p.send_line("no").expect("send");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&p), Some(77));
    assert_eq!(s.runs(), 0);
}

#[test]
fn ctrl_c_and_end_of_input_are_no() {
    for key in ['c', 'd'] {
        let s = railway();
        let shim = s.path("shims/railway");
        let mut p = in_pty(&s, shim.to_str().expect("utf-8"), DELETE_ARGS);
        p.exp_string("Type `pgdata` to run it").expect("question");
        p.send_control(key).expect("send control");
        p.exp_string("interlock: blocked").expect("blocked");
        p.exp_eof().expect("eof");
        assert_eq!(exit_code(&p), Some(77), "Ctrl-{key}");
        assert_eq!(s.runs(), 0, "Ctrl-{key}");
    }
}

#[test]
fn timeout_is_no() {
    let s = railway();
    let mut p = in_pty_sh(&s, &format!("INTERLOCK_CONFIRM_TIMEOUT=1 {DELETE}; echo status=$?"));
    p.exp_string("Type `pgdata` to run it").expect("question");
    p.exp_string("status=77").expect("blocked after the timeout");
    assert_eq!(s.runs(), 0);
}

#[test]
fn confirmed_psql_gets_its_stdin_byte_for_byte() {
    let s = Sandbox::new();
    s.shim("psql");
    s.recorder("real", "psql");
    let mut sql = String::from("BEGIN;\n");
    for i in 0..20_000 {
        sql.push_str(&format!("INSERT INTO t VALUES ({i}, 'x');\n"));
    }
    sql.push_str("DROP TABLE old_orders;\nCOMMIT;\n");
    std::fs::write(s.path("work/migrate.sql"), &sql).expect("write");
    let mut p = in_pty_sh(&s, "psql app < migrate.sql; echo status=$?");
    p.exp_string("DROP TABLE old_orders").expect("statement shown");
    p.exp_string("Type `yes` to run it").expect("question");
    p.send_line("yes").expect("send");
    p.exp_string("status=0").expect("ran");
    assert_eq!(s.recorded_stdin(), sql.as_bytes());
    // Piped stdin too.
    let mut p = in_pty_sh(&s, "cat migrate.sql | psql app; echo status=$?");
    p.exp_string("Type `yes` to run it").expect("question");
    p.send_line("yes").expect("send");
    p.exp_string("status=0").expect("ran");
    assert_eq!(s.recorded_stdin(), sql.as_bytes());
}

#[test]
fn a_pty_made_inside_an_agent_is_no_terminal() {
    let s = railway();
    // An agent (marker in its environment) starts a wrapper that hides the marker from the
    // shim and hands it a terminal: still no human terminal.
    let mut p = in_pty_sh(&s, &format!("CLAUDECODE=1 sh -c 'env -u CLAUDECODE {DELETE}'; echo status=$?"));
    p.exp_string("runs under an AI agent").expect("explains");
    p.exp_string("status=77").expect("blocked");
    assert_eq!(s.runs(), 0);
}

/// The code in a block message.
fn code_of(stderr: &str) -> String {
    let start = stderr.find("interlock approve ").expect("an approval code") + "interlock approve ".len();
    stderr[start..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
}

#[test]
fn approve_flow_grants_exactly_one_run() {
    let s = railway();
    let args = ["volume", "delete", "--volume", "pgdata", "--yes"];
    let out = s.cmd("railway", &["shims", "real"]).args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(77));
    let code = code_of(&stderr(&out));

    // Asking again without approval gives the same code and still blocks.
    let again = s.cmd("railway", &["shims", "real"]).args(args).output().expect("run");
    assert_eq!(again.status.code(), Some(77));
    assert_eq!(code_of(&stderr(&again)), code);

    let mut p = in_pty(&s, BIN, &["approve", &code.to_lowercase()]);
    p.exp_string("railway volume delete --volume pgdata --yes").expect("command shown");
    p.exp_string("Type `pgdata` to approve it").expect("question");
    p.send_line("pgdata").expect("send");
    p.exp_string("approved").expect("approved");
    p.exp_eof().expect("eof");
    assert_eq!(exit_code(&p), Some(0));

    // A different call is not covered by the approval.
    let other =
        s.cmd("railway", &["shims", "real"]).args(["volume", "delete", "--volume", "other"]).output().expect("run");
    assert_eq!(other.status.code(), Some(77));
    // The approved call runs once, with no terminal…
    let out = s.cmd("railway", &["shims", "real"]).args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
    // …and only once.
    let out = s.cmd("railway", &["shims", "real"]).args(args).output().expect("run");
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(s.runs(), 1);
}

#[test]
fn approve_is_refused_without_a_terminal_or_under_an_agent() {
    let s = railway();
    let out = s.cmd("railway", &["shims", "real"]).args(["volume", "rm", "-v", "pg"]).output().expect("run");
    let code = code_of(&stderr(&out));

    let out = s.cmd(BIN, &[]).args(["approve", &code]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no terminal"), "{}", stderr(&out));

    for marker in ["CLAUDE_CODE_CHILD_SESSION", "CURSOR_AGENT", "GEMINI_CLI", "CODEX_SANDBOX"] {
        let mut p = in_pty_sh(&s, &format!("{marker}=1 {BIN} approve {code}; echo status=$?"));
        p.exp_string("runs under an AI agent").expect("refused");
        p.exp_string("status=1").expect("exit 1");
    }
    // Still not approved.
    let out = s.cmd("railway", &["shims", "real"]).args(["volume", "rm", "-v", "pg"]).output().expect("run");
    assert_eq!(out.status.code(), Some(77));
    assert_eq!(s.runs(), 0);
}

#[test]
fn a_loosening_rule_waits_for_a_human() {
    let s = railway();
    let dir = s.home().join(".config/interlock/rules");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("scratch.toml"),
        r#"
[[rule]]
id = "me.scratch-volumes"
program = "railway"
command = ["volume", "delete"]
arg = "^scratch-"
action = "allow"
severity = "low"
reason = "scratch volumes hold nothing"
match = ["railway volume delete scratch-1"]
not_match = ["railway volume delete pgdata"]
"#,
    )
    .expect("write");
    let check = || s.interlock(&["check", "--", "railway", "volume", "delete", "scratch-1"]);
    let out = check();
    assert_eq!(out.status.code(), Some(1), "ignored until accepted: {}", stdout(&out));
    let doctor = s.interlock(&["doctor"]);
    assert!(stdout(&doctor).contains("loosens protection"), "{}", stdout(&doctor));
    let blocked = s.cmd("railway", &["shims", "real"]).args(["volume", "delete", "scratch-1"]).output().expect("run");
    assert!(stderr(&blocked).contains("no human has accepted it"), "{}", stderr(&blocked));

    let refused = s.interlock(&["rules", "accept"]);
    assert_eq!(refused.status.code(), Some(1), "no terminal: {}", stderr(&refused));

    let mut p = in_pty(&s, BIN, &["rules", "accept"]);
    p.exp_string("me.scratch-volumes").expect("shown");
    p.exp_string("Type `yes` to accept it").expect("question");
    p.send_line("yes").expect("send");
    p.exp_eof().expect("eof");
    assert_eq!(check().status.code(), Some(0));
    // Still careful about everything else.
    assert_eq!(s.interlock(&["check", "--", "railway", "volume", "delete", "pgdata"]).status.code(), Some(1));

    // Editing the accepted file puts it back on hold.
    let text = std::fs::read_to_string(dir.join("scratch.toml")).expect("read").replace("^scratch-", "^");
    std::fs::write(dir.join("scratch.toml"), text).expect("write");
    assert_eq!(check().status.code(), Some(1));
}

/// Regression (issue 11, the PTY route): an agent started `psql` on a pseudo-terminal and
/// typed `DROP TABLE users;` into it; the shim let the session through because its stdin
/// was a terminal. Under an agent it is blocked; a human's own session is untouched.
#[test]
fn an_interactive_database_shell_under_an_agent_is_blocked() {
    let s = Sandbox::new();
    s.shim("psql");
    s.shim("redis-cli");
    s.script("real", "psql", "#!/bin/sh\necho real psql ran\n");
    s.script("real", "redis-cli", "#!/bin/sh\necho real redis-cli ran\n");
    let mut p = in_pty_sh(&s, "psql app; echo status=$?");
    p.exp_string("real psql ran").expect("a human's session runs");
    p.exp_string("status=0").expect("exit 0");
    for cmd in ["psql app", "redis-cli -h cache"] {
        let mut p = in_pty_sh(&s, &format!("CODEX_MANAGED_BY_NPM=1 {cmd}; echo status=$?"));
        p.exp_string("interlock: blocked: an interactive").expect("blocked");
        p.exp_string("Pass the statements with -c/-e or a file (-f)").expect("tells the agent how");
        p.exp_string("status=77").expect("exit 77");
    }
    // With the statements on the command line, the agent's call is checked as usual.
    let mut p = in_pty_sh(&s, "CODEX_MANAGED_BY_NPM=1 psql app -c 'SELECT 1'; echo status=$?");
    p.exp_string("real psql ran").expect("a checked statement runs");
}

/// `interlock check` answers the interactive-session case as the shim does: on a terminal
/// under an agent, `psql app` needs a human (the agent would type the statements); on a
/// human's terminal it is allowed. (Regression: check used to allow what the shim blocked.)
#[test]
fn check_agrees_with_the_shim_on_an_interactive_session_under_an_agent() {
    let s = Sandbox::new();
    let mut p = in_pty_sh(&s, &format!("CODEX_MANAGED_BY_NPM=1 {BIN} check -- psql app; echo status=$?"));
    p.exp_string("confirm: interlock.interactive-under-agent").expect("check asks, as the shim blocks");
    p.exp_string("status=1").expect("exit 1");
    let mut p = in_pty_sh(&s, &format!("{BIN} check -- psql app; echo status=$?"));
    p.exp_string("allow").expect("a human's own session");
    p.exp_string("status=0").expect("exit 0");
}
