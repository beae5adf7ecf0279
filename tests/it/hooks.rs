//! `interlock hook` and `interlock setup` against the built binary.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::*;

fn claude_event(command: &str) -> Vec<u8> {
    claude_event_in(command, std::path::Path::new("/tmp"))
}

const INCIDENT: &str = r#"curl -X POST https://backboard.railway.com/graphql/v2 -H "Authorization: Bearer sk_live_abcdefghijklmnop" -d '{"query":"mutation { volumeDelete(volumeId: \"3d2c\") }"}'"#;

#[test]
fn golden_replies() {
    let s = Sandbox::new();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("claude", claude_event(INCIDENT)),
        ("claude", claude_event("git status && ls")),
        ("claude", claude_event("terraform destroy -auto-approve")),
        ("codex", claude_event(INCIDENT)),
        ("cursor", serde_json::json!({"hook_event_name": "beforeShellExecution", "command": INCIDENT, "cwd": "", "workspace_roots": ["/tmp"]}).to_string().into_bytes()),
        ("cursor", serde_json::json!({"hook_event_name": "beforeShellExecution", "command": "npm test", "cwd": "/tmp"}).to_string().into_bytes()),
        ("gemini", serde_json::json!({"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": {"command": INCIDENT}, "cwd": "/tmp"}).to_string().into_bytes()),
        ("gemini", serde_json::json!({"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": {"command": "cargo build"}}).to_string().into_bytes()),
    ];
    let mut all = Vec::new();
    for (agent, input) in cases {
        let out = hook(&s, agent, &input);
        assert_eq!(out.status.code(), Some(0), "{agent}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains("abcdefghijklmnop"), "the token leaked: {text}");
        all.push(serde_json::json!({ "agent": agent, "reply": reply(&out) }));
    }
    insta::assert_json_snapshot!("hook_replies", all);
}

#[test]
fn claude_contract() {
    let s = Sandbox::new();
    let decision = |cmd: &str| claude_decision(&hook(&s, "claude", &claude_event(cmd)));
    // No objection is silence: an explicit `allow` would switch Claude Code's own checks off.
    assert_eq!(decision("ls -la"), "none");
    assert_eq!(decision("echo hi > /tmp/elsewhere"), "none");
    // A write into /etc is a system file (issue 28).
    assert_eq!(decision("echo hi > /etc/elsewhere"), "ask");
    assert_eq!(decision(INCIDENT), "ask");
    assert_eq!(decision("/usr/bin/psql -c 'DROP TABLE users'"), "ask");
    assert_eq!(decision("$(echo rm) -rf /"), "ask");
}

#[test]
fn garbage_never_allows() {
    let s = Sandbox::new();
    for agent in ["claude", "cursor", "codex", "gemini"] {
        for input in [
            &b""[..],
            b"{",
            b"[1,2]",
            b"{\"tool_input\":{\"command\":null}}",
            b"\xff\xfe\x00",
            b"{\"hook_event_name\":\"SessionStart\",\"command\":\"ls\",\"tool_input\":{\"command\":\"ls\"}}",
        ] {
            let out = hook(&s, agent, input);
            assert_eq!(out.status.code(), Some(2), "{agent} {input:?}");
            let text = stdout(&out);
            assert!(text.contains("deny") && !text.contains("\"allow\""), "{agent} {input:?}: {text}");
        }
    }
    let out = s.cmd(BIN, &[]).args(["hook", "nobody"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn confirm_becomes_deny_with_two_messages_for_cursor_and_gemini() {
    let s = Sandbox::new();
    let out = hook(
        &s,
        "cursor",
        serde_json::json!({"command": "kubectl delete ns prod", "cwd": "/tmp"}).to_string().as_bytes(),
    );
    let v = reply(&out);
    assert_eq!(v["permission"], "deny");
    assert!(v["user_message"].as_str().expect("user").contains("run it yourself"));
    assert!(v["agent_message"].as_str().expect("agent").contains("Stop and ask the user"));
    let out = hook(&s, "codex", &claude_event("kubectl delete ns prod"));
    assert_eq!(reply(&out)["hookSpecificOutput"]["permissionDecision"], "deny");
}

#[test]
fn script_files_run_by_a_shell_are_read() {
    let s = Sandbox::new();
    std::fs::write(s.path("work/deploy.sh"), "#!/bin/sh\nset -e\ngit pull\nterraform destroy -auto-approve\n")
        .expect("write");
    std::fs::write(s.path("work/build.sh"), "#!/bin/sh\ncargo build --release\n").expect("write");
    let decision = |cmd: &str| {
        let event = serde_json::json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": cmd}, "cwd": s.path("work")});
        claude_decision(&hook(&s, "claude", event.to_string().as_bytes()))
    };
    assert_eq!(decision("bash deploy.sh"), "ask");
    assert_eq!(decision("sh ./build.sh"), "none");
    assert_eq!(decision("bash missing.sh"), "ask");
    assert_eq!(decision("./deploy.sh"), "ask");
    assert_eq!(decision("./build.sh && ls"), "none");
}

#[test]
fn heredocs_and_redirects_use_the_hook_cwd() {
    let s = Sandbox::new();
    std::fs::write(s.path("work/drop.sql"), "DROP TABLE users;\n").expect("write");
    let event = serde_json::json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "psql app < drop.sql"}, "cwd": s.path("work")});
    assert_eq!(claude_decision(&hook(&s, "claude", event.to_string().as_bytes())), "ask");
    std::fs::write(s.path("work/select.sql"), "SELECT 1;\n").expect("write");
    let event = serde_json::json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "psql app < select.sql"}, "cwd": s.path("work")});
    assert_eq!(claude_decision(&hook(&s, "claude", event.to_string().as_bytes())), "none");
}

/// Regression (issue 11): hostile input crashed the hook (stack overflow, exit 134) or hung
/// it past the agent's timeout — both of which the agent treats as "no objection".
#[test]
fn hostile_input_never_crashes_or_hangs() {
    let s = Sandbox::new();
    let fifo = s.path("work/fifo.sql");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let nested = |open: &str, close: &str| format!("echo {}x{}", open.repeat(5000), close.repeat(5000));
    let cases = [
        nested("$(", ")"),
        nested("(", ")"),
        nested("`echo ", "`"),
        format!("{}ls; {}", "if true; then ".repeat(4000), "fi; ".repeat(4000)),
        format!("{}psql -c 'DROP TABLE users'", "{ ".repeat(4000)),
        "psql -f /dev/zero".into(),
        "mysql < /dev/zero".into(),
        "psql -f /dev/stdin".into(),
        format!("psql -f {}", fifo.display()),
        format!("bash {}", fifo.display()),
        format!("sqlite3 db < {}", fifo.display()),
        "psql -f /proc/self/environ".into(),
        "ls; ".repeat(3 << 20),
    ];
    for cmd in &cases {
        let event = serde_json::json!({"tool_input": {"command": cmd}, "cwd": s.path("work")});
        let started = std::time::Instant::now();
        let out = hook(&s, "claude", event.to_string().as_bytes());
        let took = started.elapsed();
        let d = claude_decision(&out);
        assert!(d == "ask" || d == "deny", "{}…: {d} {:?}", &cmd[..40.min(cmd.len())], out.status);
        assert!(took < std::time::Duration::from_secs(5), "{}…: took {took:?}", &cmd[..40.min(cmd.len())]);
    }
}

/// An event that never ends (a writer that keeps the pipe open) is refused within the budget.
#[test]
fn endless_input_is_refused_in_time() {
    let s = Sandbox::new();
    let mut child = s
        .cmd(BIN, &[])
        .args(["hook", "claude"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"{\"tool_input\": {\"command\": \"ls").expect("write");
    let started = std::time::Instant::now();
    let out = child.wait_with_output().expect("wait");
    drop(stdin);
    assert!(started.elapsed() < std::time::Duration::from_secs(6), "took {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(claude_decision(&out), "deny");
}

fn read(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

#[test]
fn setup_is_idempotent_keeps_other_keys_and_removes_cleanly() {
    let s = Sandbox::new();
    let home = s.home();
    // The exec guard installed where install.sh puts it: setup turns it on too (and --remove
    // takes it out again: every file below must come back exactly as it was).
    let lib = s.data().join("libinterlock_guard.so");
    std::fs::create_dir_all(s.data()).expect("mkdir");
    std::fs::write(&lib, "stand-in").expect("write");
    let lib = lib.display().to_string();
    let claude = home.join(".claude/settings.json");
    std::fs::create_dir_all(claude.parent().expect("parent")).expect("mkdir");
    let original = serde_json::json!({
        "model": "opus",
        "env": {"FOO": "bar"},
        "hooks": {"PreToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "fmt.sh"}]}]}
    });
    std::fs::write(&claude, serde_json::to_string_pretty(&original).expect("json")).expect("write");
    let setup = |args: &[&str]| {
        let mut all = vec!["setup"];
        all.extend(args);
        let out = s.interlock(&all);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        out
    };
    let dry = setup(&["claude", "--dry-run"]);
    assert!(stdout(&dry).contains("would write"));
    assert_eq!(read(&claude), original, "dry run wrote");
    setup(&["claude"]);
    let once = read(&claude);
    setup(&["claude"]);
    assert_eq!(read(&claude), once, "not idempotent");
    assert_eq!(once["model"], "opus");
    assert_eq!(once["env"]["FOO"], "bar");
    assert!(
        once["env"]["PATH"]
            .as_str()
            .expect("PATH")
            .starts_with(&home.join(".local/share/interlock/shims").display().to_string())
    );
    assert_eq!(once["env"]["LD_PRELOAD"], lib.as_str());
    let groups = once["hooks"]["PreToolUse"].as_array().expect("groups");
    assert_eq!(groups.len(), 2);
    assert!(groups[1]["hooks"][0]["command"].as_str().expect("command").ends_with(" hook claude"));
    assert!(home.join(".claude/settings.json.interlock-backup").exists());
    let doctor = s.interlock(&["doctor"]);
    assert!(stdout(&doctor).contains("claude  wired"), "{}", stdout(&doctor));
    setup(&["claude", "--remove"]);
    assert_eq!(read(&claude), original);

    // Cursor: hooks.json plus a ~/.zshenv block; both reversible.
    std::fs::write(home.join(".zshenv"), "export EDITOR=vim\n").expect("write");
    setup(&["cursor"]);
    setup(&["cursor"]);
    let hooks = read(&home.join(".cursor/hooks.json"));
    assert_eq!(hooks["version"], 1);
    assert_eq!(hooks["hooks"]["beforeShellExecution"].as_array().expect("list").len(), 1);
    assert_eq!(hooks["hooks"]["beforeShellExecution"][0]["failClosed"], true);
    let zshenv = std::fs::read_to_string(home.join(".zshenv")).expect("zshenv");
    assert_eq!(zshenv.matches("CURSOR_AGENT").count(), 2, "{zshenv}");
    assert!(zshenv.contains(&format!("export LD_PRELOAD=\"{lib}")), "{zshenv}");
    assert!(zshenv.starts_with("export EDITOR=vim\n"));
    setup(&["cursor", "--remove"]);
    assert_eq!(std::fs::read_to_string(home.join(".zshenv")).expect("zshenv"), "export EDITOR=vim\n");

    // Codex: hooks.json and config.toml, comments kept.
    std::fs::create_dir_all(home.join(".codex")).expect("mkdir");
    let toml = "# my settings\nmodel = \"o4\"\n";
    std::fs::write(home.join(".codex/config.toml"), toml).expect("write");
    setup(&["codex"]);
    setup(&["codex"]);
    let config = std::fs::read_to_string(home.join(".codex/config.toml")).expect("toml");
    assert!(
        config.contains("# my settings") && config.contains("shell_environment_policy") && config.contains("PATH"),
        "{config}"
    );
    assert!(config.contains(&format!("LD_PRELOAD = \"{lib}\"")), "{config}");
    // The audit log's own directory, and nothing else of interlock's state, is writable from
    // Codex's workspace-write sandbox.
    let doc: toml::Table = config.parse().expect("toml");
    let roots = doc["sandbox_workspace_write"]["writable_roots"].as_array().expect("writable_roots");
    assert_eq!(roots.len(), 1, "{config}");
    assert_eq!(roots[0].as_str(), Some(s.home().join(".local/state/interlock/log").display().to_string().as_str()));
    assert_eq!(read(&home.join(".codex/hooks.json"))["hooks"]["PreToolUse"].as_array().expect("list").len(), 1);
    setup(&["codex", "--remove"]);
    assert_eq!(std::fs::read_to_string(home.join(".codex/config.toml")).expect("toml"), toml);

    // Gemini.
    setup(&["gemini"]);
    let g = read(&home.join(".gemini/settings.json"));
    assert_eq!(g["hooks"]["BeforeTool"][0]["matcher"], "run_shell_command");
    let snippet = std::fs::read_to_string(home.join(".gemini/interlock-bash-env.sh")).expect("snippet");
    assert!(snippet.contains(&format!("LD_PRELOAD={lib}")), "{snippet}");
    setup(&["gemini", "--remove"]);
    // Setup created the file: taking setup out leaves no file, as before.
    assert!(!home.join(".gemini/settings.json").exists());
}

/// doctor notices settings older than the installed exec guard, and names an unparsable
/// Codex config with its line instead of three wrong reasons (issue 25).
#[test]
fn doctor_notices_stale_settings_and_a_broken_codex_config() {
    let s = Sandbox::new();
    assert!(s.interlock(&["setup", "claude"]).status.success());
    assert!(stdout(&s.interlock(&["doctor"])).contains("  claude  wired\n"));
    // The guard is installed after setup: the agent's settings do not turn it on.
    std::fs::create_dir_all(s.data()).expect("mkdir");
    std::fs::write(s.data().join("libinterlock_guard.so"), "stand-in").expect("write");
    let doctor = stdout(&s.interlock(&["doctor"]));
    assert!(doctor.contains("claude  wired, NOT protecting"), "{doctor}");
    assert!(doctor.contains("predate the installed exec guard"), "{doctor}");
    assert!(s.interlock(&["setup", "claude"]).status.success());
    assert!(stdout(&s.interlock(&["doctor"])).contains("  claude  wired\n"));

    assert!(s.interlock(&["setup", "codex"]).status.success());
    let config = s.home().join(".codex/config.toml");
    let mut text = std::fs::read_to_string(&config).expect("config");
    text.push_str("\n[broken\n");
    std::fs::write(&config, text).expect("write");
    let doctor = stdout(&s.interlock(&["doctor"]));
    let codex: Vec<&str> = doctor.lines().skip_while(|l| !l.starts_with("  codex")).take(3).collect();
    assert!(codex[1].contains("config.toml:") && codex[1].contains("not valid TOML"), "{doctor}");
    assert!(!codex[2].trim_start().starts_with("- codex"), "one reason, not several: {doctor}");
}

/// Regression (issue 11): setup wrote files the agents ignored — Codex skips an untrusted
/// hook silently, Gemini's `bash -c` never reads ~/.zshenv — and doctor still said "wired".
#[test]
fn setup_wires_what_each_agent_really_reads_and_doctor_tells_the_truth() {
    use sha2::Digest;
    let s = Sandbox::new();
    let home = s.home();
    assert!(s.interlock(&["shims", "install"]).status.success());
    let shims = home.join(".local/share/interlock/shims");
    for agent in ["claude", "codex", "gemini", "cursor", "vscode"] {
        let out = s.interlock(&["setup", agent]);
        assert!(out.status.success(), "{agent}: {}", stderr(&out));
    }
    let doctor = stdout(&s.interlock(&["doctor"]));
    for agent in ["claude", "codex", "gemini", "cursor", "vscode"] {
        assert!(doctor.contains(&format!("  {agent:<7} wired\n")), "{agent}: {doctor}");
    }

    // Codex: the trust entry holds sha256 over the normalized hook, as Codex's review does.
    let hooks_json = home.join(".codex/hooks.json");
    let command = read(&hooks_json)["hooks"]["PreToolUse"][0]["hooks"][0]["command"].as_str().expect("cmd").to_string();
    let ident = format!(
        r#"{{"event_name":"pre_tool_use","hooks":[{{"async":false,"command":{},"timeout":10,"type":"command"}}],"matcher":"Bash"}}"#,
        serde_json::Value::String(command.clone())
    );
    let want: String = sha2::Sha256::digest(ident.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let config = std::fs::read_to_string(home.join(".codex/config.toml")).expect("config");
    let doc: toml::Table = config.parse().expect("toml");
    let key = format!("{}:pre_tool_use:0:0", hooks_json.display());
    assert_eq!(doc["hooks"]["state"][&key]["trusted_hash"].as_str(), Some(format!("sha256:{want}").as_str()));
    assert_eq!(doc["allow_login_shell"].as_bool(), Some(false));
    // Without the trust entry, doctor says Codex will not run the hook.
    let untrusted: String = config.replace(&want, &"0".repeat(64));
    std::fs::write(home.join(".codex/config.toml"), untrusted).expect("write");
    let out = s.interlock(&["doctor"]);
    assert!(stdout(&out).contains("installed but not trusted: Codex will not run it"), "{}", stdout(&out));
    assert_ne!(out.status.code(), Some(0));
    assert!(s.interlock(&["setup", "codex"]).status.success());
    assert!(stdout(&s.interlock(&["doctor"])).contains("  codex   wired\n"));

    // Gemini: `bash -c` with the BASH_ENV from ~/.gemini/.env finds the shims first.
    let env = std::fs::read_to_string(home.join(".gemini/.env")).expect(".env");
    let bash_env = env.lines().find_map(|l| l.strip_prefix("BASH_ENV=")).expect("BASH_ENV").to_string();
    let out = Command::new("bash")
        .args(["-c", "command -v curl; echo \"$PATH\""])
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("BASH_ENV", &bash_env)
        .output()
        .expect("bash");
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{}/curl\n", shims.display())), "{text}");
    assert_eq!(read(&home.join(".gemini/settings.json"))["hooks"]["BeforeTool"][0]["hooks"][0]["timeout"], 10000);

    // Claude Code: env.PATH is literal (Claude Code does not expand $PATH), shims first, once.
    let claude = read(&home.join(".claude/settings.json"));
    let path = claude["env"]["PATH"].as_str().expect("PATH");
    let dirs: Vec<&str> = path.split(':').collect();
    assert_eq!(dirs[0], shims.display().to_string());
    assert!(!path.contains('$'));
    let mut unique = dirs.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), dirs.len(), "duplicates in {path}");
    assert_eq!(claude["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"], 10);

    // VS Code: the integrated terminal's PATH, expanded by VS Code when the terminal starts.
    let code = read(&home.join(".config/Code/User/settings.json"));
    assert_eq!(code["terminal.integrated.env.linux"]["PATH"], format!("{}:${{env:PATH}}", shims.display()));

    // Everything comes out again.
    for agent in ["claude", "codex", "gemini", "cursor", "vscode"] {
        assert!(s.interlock(&["setup", agent, "--remove"]).status.success(), "{agent}");
    }
    assert!(!std::path::Path::new(&bash_env).exists());
    // Files setup created are gone again (config.toml was edited by hand above, so what is
    // left of it stays, without interlock's entries).
    for created in [".config/Code/User/settings.json", ".codex/hooks.json", ".claude/settings.json"] {
        assert!(!home.join(created).exists(), "{created} left behind");
    }
    let config = std::fs::read_to_string(home.join(".codex/config.toml")).unwrap_or_default();
    assert!(!config.contains("hooks.state") && !config.contains("allow_login_shell"), "{config}");
    let doctor = stdout(&s.interlock(&["doctor"]));
    assert_eq!(doctor.matches("not wired").count(), 5, "{doctor}");
}

/// Issue 11: under Claude Code, the human's Yes in Claude Code's own dialog is the only
/// confirmation. The hook's `ask` carries a grant in `updatedInput`; the command Claude Code
/// then runs passes the shim once; the same command again is blocked; `-p` gets no grant.
#[test]
fn one_confirmation_the_grant_runs_the_approved_call_once() {
    let s = Sandbox::new();
    s.shim("psql");
    s.recorder("real", "psql");
    let original = "psql app -c 'DROP TABLE users'";
    let event = serde_json::json!({
        "hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": s.path("work"),
        "tool_input": {"command": original, "description": "drop it", "timeout": 5000}
    });
    let ask = |entrypoint: &str| {
        let mut child = s
            .cmd(BIN, &[])
            .args(["hook", "claude"])
            .env("CLAUDE_CODE_ENTRYPOINT", entrypoint)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child.stdin.take().expect("stdin").write_all(event.to_string().as_bytes()).expect("write");
        reply(&child.wait_with_output().expect("wait"))
    };
    // `claude -p`: nobody can answer the dialog, so no grant is issued.
    let v = ask("sdk-cli");
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "ask");
    assert!(v["hookSpecificOutput"].get("updatedInput").is_none(), "{v}");

    let v = ask("cli");
    assert_eq!(v["hookSpecificOutput"]["permissionDecision"], "ask");
    let updated = &v["hookSpecificOutput"]["updatedInput"];
    assert_eq!(updated["description"], "drop it", "the rest of tool_input is kept");
    let command = updated["command"].as_str().expect("command").to_string();
    assert!(command.starts_with("export INTERLOCK_GRANT=") && command.ends_with(original), "{command}");
    let run =
        |cmd: &str| s.cmd("bash", &["shims", "real"]).args(["-c", cmd]).env("CLAUDECODE", "1").output().expect("bash");
    // What Claude Code runs after the Yes: the real psql runs, once, with no second question.
    let out = run(&command);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
    // The same grant again (an agent that read it back from its transcript): spent.
    let out = run(&command);
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert_eq!(s.runs(), 1);
    // A grant does not cover another call.
    let v = ask("cli");
    let command = v["hookSpecificOutput"]["updatedInput"]["command"].as_str().expect("command").to_string();
    let other = command.replace("DROP TABLE users", "DROP TABLE orders");
    assert_eq!(run(&other).status.code(), Some(77));
    assert_eq!(s.runs(), 1);
    // A command that sets the grant itself is refused by the hook.
    let forged = serde_json::json!({"tool_input": {"command": command}, "cwd": s.path("work")});
    assert_eq!(claude_decision(&hook(&s, "claude", forged.to_string().as_bytes())), "deny");
}

/// A hook's refusal is logged (the command never runs, so no shim would log it), redacted;
/// Claude Code's `ask` is not (the human answers there; what runs meets the shims); a
/// command the hook does not object to is not either.
#[test]
fn refusals_land_in_the_audit_log() {
    let s = Sandbox::new();
    let log = || {
        let out = s.interlock(&["log", "--json"]);
        stdout(&out)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json line"))
            .collect::<Vec<_>>()
    };
    assert_eq!(claude_decision(&hook(&s, "claude", &claude_event(INCIDENT))), "ask");
    hook(&s, "codex", &claude_event("git status"));
    assert!(log().is_empty(), "{:?}", log());
    hook(&s, "codex", &claude_event(INCIDENT));
    let gemini = serde_json::json!({"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": {"command": "kubectl delete ns prod"}, "cwd": "/tmp"});
    hook(&s, "gemini", gemini.to_string().as_bytes());
    let records = log();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0]["decision"], "blocked");
    assert_eq!(records[0]["agent"], "codex");
    assert_eq!(records[0]["program"], "codex hook");
    assert_eq!(records[0]["matches"][0]["rule"], "railway.api.volume-delete");
    assert!(!records[0].to_string().contains("abcdefghijklmnop"), "the token leaked: {}", records[0]);
    assert_eq!(records[1]["agent"], "gemini");
    assert_eq!(records[1]["command"], "kubectl delete ns prod");
}
