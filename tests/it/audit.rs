//! The audit log against the built binary: concurrency, redaction everywhere, `log`.

use std::process::Stdio;

use crate::common::*;

fn log_lines(s: &Sandbox) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(s.home().join(".local/state/interlock/log/log.jsonl")).unwrap_or_default();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("torn line {l:?}: {e}"))).collect()
}

#[test]
fn sixty_four_concurrent_calls_make_sixty_four_records() {
    let s = Sandbox::new();
    s.shim("railway");
    s.script("real", "railway", "#!/bin/sh\nexit 0\n");
    let children: Vec<_> = (0..64)
        .map(|i| {
            let args: Vec<String> = if i % 2 == 0 {
                vec!["status".into(), format!("--n={i}")]
            } else {
                vec!["volume".into(), "delete".into(), "--volume".into(), format!("v{i}")]
            };
            s.cmd("railway", &["shims", "real"])
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        c.wait().expect("wait");
    }
    let records = log_lines(&s);
    assert_eq!(records.len(), 64);
    let allowed = records.iter().filter(|r| r["decision"] == "allow").count();
    let blocked = records.iter().filter(|r| r["decision"] == "blocked").count();
    assert_eq!((allowed, blocked), (32, 32));
    for r in &records {
        for field in ["time", "program", "real", "command", "cwd", "matches", "terminal", "pid", "ppid"] {
            assert!(r.get(field).is_some(), "{field} missing in {r}");
        }
        assert_eq!(r["terminal"], false);
    }
    use std::os::unix::fs::PermissionsExt;
    let mode =
        std::fs::metadata(s.home().join(".local/state/interlock/log/log.jsonl")).expect("log").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn check_writes_nothing_and_agents_are_recorded() {
    let s = Sandbox::new();
    s.shim("railway");
    s.recorder("real", "railway");
    s.interlock(&["check", "--", "railway", "volume", "delete", "--volume", "x"]);
    assert!(log_lines(&s).is_empty());
    s.cmd("railway", &["shims", "real"]).env("CURSOR_AGENT", "1").arg("status").output().expect("run");
    let r = &log_lines(&s)[0];
    assert_eq!(r["agent"], "Cursor");
    assert_eq!(r["decision"], "allow");
}

/// Fake secrets in every position a secret can take; none may reach any file or terminal.
#[test]
fn secrets_never_reach_disk_or_terminal() {
    let s = Sandbox::new();
    for p in ["curl", "psql", "railway"] {
        s.shim(p);
        s.script("real", p, "#!/bin/sh\nexit 0\n");
    }
    let secrets = [
        "SECRETBEARER0001",
        "SECRETPROJTOKEN02",
        "SECRETCOOKIE0003",
        "SECRETAPIKEY00004",
        "SECRETURLPASS0005",
        "SECRETQUERYTOK006",
        "SECRETUSERPASS007",
        "SECRETCONNINFO008",
        "SECRETFLAGTOKEN09",
        "SECRETENVASSIGN10",
        "SECRETPGURIPASS11",
    ];
    let gql = r#"{"query":"mutation { volumeDelete(volumeId: \"v1\") }"}"#;
    let calls: Vec<(&str, Vec<String>)> = vec![
        (
            "curl",
            vec![
                "-X".into(),
                "POST".into(),
                "-H".into(),
                format!("Authorization: Bearer {}", secrets[0]),
                "-H".into(),
                format!("Project-Access-Token: {}", secrets[1]),
                "-H".into(),
                format!("Cookie: session={}", secrets[2]),
                "-H".into(),
                format!("X-API-Key: {}", secrets[3]),
                "-u".into(),
                format!("admin:{}", secrets[6]),
                format!("https://user:{}@backboard.railway.com/graphql/v2?access_token={}", secrets[4], secrets[5]),
                "-d".into(),
                gql.into(),
            ],
        ),
        ("curl", vec!["-H".into(), format!("Authorization: Bearer {}", secrets[0]), "https://example.com/".into()]),
        (
            "psql",
            vec![format!("host=prod-db dbname=app password={}", secrets[7]), "-c".into(), "DROP TABLE users".into()],
        ),
        ("psql", vec![format!("postgres://app:{}@db.example.com/app", secrets[10]), "-c".into(), "SELECT 1".into()]),
        (
            "railway",
            vec!["--token".into(), secrets[8].into(), "volume".into(), "delete".into(), "--volume".into(), "pg".into()],
        ),
        ("railway", vec![format!("RAILWAY_TOKEN={}", secrets[9]), "status".into()]),
    ];
    let mut shown = String::new();
    for (program, args) in &calls {
        let out = s.cmd(program, &["shims", "real"]).args(args).output().expect("run");
        shown.push_str(&stderr(&out));
        shown.push_str(&stdout(&out));
        let mut check = vec!["check", "--json", "--", program];
        check.extend(args.iter().map(String::as_str));
        let out = s.interlock(&check);
        shown.push_str(&stdout(&out));
        let mut explain = vec!["explain", "--", program];
        explain.extend(args.iter().map(String::as_str));
        shown.push_str(&stdout(&s.interlock(&explain)));
    }
    shown.push_str(&stdout(&s.interlock(&["log"])));
    shown.push_str(&stdout(&s.interlock(&["log", "--json"])));
    assert!(shown.contains("interlock: blocked"), "the calls were judged: {shown}");
    assert!(log_lines(&s).len() >= calls.len());
    let mut on_disk = String::new();
    for dir in [s.home().join(".local/state"), s.home().join(".config"), s.home().join(".local/share")] {
        for entry in walk(&dir) {
            on_disk.push_str(&String::from_utf8_lossy(&std::fs::read(&entry).unwrap_or_default()));
        }
    }
    for secret in secrets {
        assert!(!on_disk.contains(secret), "{secret} reached disk");
        assert!(!shown.contains(secret), "{secret} reached the terminal:\n{shown}");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[test]
fn log_filters_and_json() {
    let s = Sandbox::new();
    s.shim("railway");
    s.shim("curl");
    s.script("real", "railway", "#!/bin/sh\nexit 0\n");
    s.script("real", "curl", "#!/bin/sh\nexit 0\n");
    s.cmd("railway", &["shims", "real"]).arg("status").output().expect("run");
    s.cmd("railway", &["shims", "real"]).args(["volume", "delete", "--volume", "pg"]).output().expect("run");
    s.cmd("curl", &["shims", "real"])
        .env("GEMINI_CLI", "1")
        .args(["-X", "DELETE", "https://api.example.com/x"])
        .output()
        .expect("run");

    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["log", "--json"];
        all.extend(args);
        let out = s.interlock(&all);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).lines().map(|l| serde_json::from_str(l).expect("one object per line")).collect()
    };
    assert_eq!(json(&[]).len(), 3);
    let blocked = json(&["--decision", "blocked"]);
    assert_eq!(blocked.len(), 2);
    assert!(blocked.iter().all(|r| r["decision"] == "blocked"));
    assert_eq!(json(&["--program", "curl"]).len(), 1);
    assert_eq!(json(&["--agent", "gemini cli"]).len(), 1);
    assert_eq!(json(&["--since", "1h"]).len(), 3);
    assert_eq!(json(&["--since", "2999-01-01T00:00:00Z"]).len(), 0);

    // The shape an outside script relies on, with the volatile fields masked.
    let mut r = json(&["--program", "curl"]).remove(0);
    for volatile in ["time", "pid", "ppid", "real", "cwd"] {
        r[volatile] = serde_json::Value::String(format!("<{volatile}>"));
    }
    insta::assert_json_snapshot!("log_json_curl_delete", r);

    let table = stdout(&s.interlock(&["log"]));
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("TIME"), "{table}");
    assert_eq!(lines.len(), 4, "{table}");
    assert!(lines[3].contains("blocked") && lines[3].contains("DELETE https://api.example.com/x"), "{table}");
    let bad = s.interlock(&["log", "--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_unwritable_log_never_stops_a_call() {
    let s = Sandbox::new();
    s.shim("railway");
    s.recorder("real", "railway");
    // The state directory is a file: nothing can be written under it.
    std::fs::create_dir_all(s.home().join(".local")).expect("mkdir");
    std::fs::write(s.home().join(".local/state"), "not a directory").expect("write");
    let tmp = s.path("tmp");
    std::fs::create_dir_all(&tmp).expect("mkdir");
    let run = || s.cmd("railway", &["shims", "real"]).env("TMPDIR", &tmp).arg("status").output().expect("run");
    let first = run();
    assert!(first.status.success());
    assert!(stderr(&first).contains("cannot write the audit log"), "{}", stderr(&first));
    let second = run();
    assert!(second.status.success());
    assert!(second.stderr.is_empty(), "warned twice: {}", stderr(&second));
    assert_eq!(s.runs(), 2);
    let blocked = s
        .cmd("railway", &["shims", "real"])
        .env("TMPDIR", &tmp)
        .args(["volume", "rm", "-v", "x"])
        .output()
        .expect("run");
    assert_eq!(blocked.status.code(), Some(77), "the decision is unaffected");
}
