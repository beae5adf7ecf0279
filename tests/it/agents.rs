//! The real agents: Claude Code, Codex and Gemini CLI from npm, wired only by
//! `interlock shims install` + `interlock setup <agent>`, driven by a mock model on loopback
//! that asks for one shell command and then ends the turn. A second loopback server stands in
//! for Railway's API, so "did the mutation reach the API?" is a recorded fact.
//!
//! The agents come from npm at pinned versions (`.ci/run` installs them into
//! `target/agents`; `INTERLOCK_AGENTS_DIR` points elsewhere). Without them the tests say so
//! and pass, unless `INTERLOCK_REQUIRE_AGENTS=1` (set by `.ci/run`) makes that a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use serde_json::{Value, json};

const BASE_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The directory holding the agents' executables, or `None` (with a note) when absent.
fn agents_bin() -> Option<PathBuf> {
    let dir = std::env::var_os("INTERLOCK_AGENTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/agents"));
    let bin = dir.join("node_modules/.bin");
    if ["claude", "codex", "gemini"].iter().all(|a| bin.join(a).exists()) {
        return Some(bin);
    }
    assert!(
        std::env::var_os("INTERLOCK_REQUIRE_AGENTS").is_none(),
        "the agent CLIs are not installed in {} (.ci/run installs them)",
        dir.display()
    );
    // Straight to the process' stderr, past the test harness' capture: a newcomer running
    // `cargo test` must see that these tests did not run, not a quiet "ok".
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "\nSKIPPED: the real-agent tests did not run — the agent CLIs are not installed in {} \
         (.ci/run installs them; INTERLOCK_REQUIRE_AGENTS=1 makes their absence a failure)",
        dir.display()
    );
    None
}

/// One HTTP request as a loopback server received it.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    body: String,
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let (mut length, mut chunked) = (0usize, false);
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        match k.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = v.trim().parse().ok()?,
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0u8; n + 2];
            reader.read_exact(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body).ok()?;
    }
    Some(Request { method, path, body: String::from_utf8_lossy(&body).into_owned() })
}

/// A loopback HTTP server answering with `respond`; every request is kept.
struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

type Respond = dyn Fn(&Request, &mut TcpStream) + Send + Sync;

impl Server {
    fn start(respond: Arc<Respond>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, respond) = (seen.clone(), respond.clone());
                std::thread::spawn(move || {
                    let mut stream = stream;
                    if let Some(req) = read_request(&mut stream) {
                        seen.lock().expect("lock").push(req.clone());
                        respond(&req, &mut stream);
                    }
                });
            }
        });
        Server { port, requests }
    }

    fn count(&self) -> usize {
        self.requests.lock().expect("lock").len()
    }

    /// Every request body received, as one text.
    fn bodies(&self) -> String {
        self.requests.lock().expect("lock").iter().map(|r| r.body.clone()).collect::<Vec<_>>().join("\n")
    }
}

fn send(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn not_found(stream: &mut TcpStream) {
    send(stream, "404 Not Found", "application/json", r#"{"error":{"message":"mock"}}"#);
}

/// Server-sent events, closed when done.
fn send_sse(stream: &mut TcpStream, events: &[(Option<&str>, Value)]) {
    let mut out = String::from("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
    for (name, data) in events {
        if let Some(n) = name {
            out.push_str(&format!("event: {n}\n"));
        }
        out.push_str(&format!("data: {data}\n\n"));
    }
    let _ = stream.write_all(out.as_bytes());
}

/// The mock model: turn 1 asks for `command` with the agent's shell tool, turn 2 (once a
/// tool result is in the request) ends with a text.
struct Mock {
    server: Server,
    command: Arc<Mutex<String>>,
}

const FINAL: &str = "MOCK-FINAL: done";

/// A fresh number for tool-call ids.
fn next_id() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Whether a message (Anthropic: content blocks; Gemini: parts) or a Responses input list
/// carries a tool result.
fn has_tool_result(v: &Value) -> bool {
    let items = v["content"].as_array().or_else(|| v["parts"].as_array()).or_else(|| v.as_array());
    items.is_some_and(|items| {
        items.iter().any(|i| {
            matches!(i["type"].as_str(), Some("tool_result" | "function_call_output"))
                || i.get("functionResponse").is_some()
        })
    })
}

fn anthropic(req: &Request, stream: &mut TcpStream, command: &str) {
    if req.path.contains("count_tokens") {
        return send(stream, "200 OK", "application/json", r#"{"input_tokens":10}"#);
    }
    if !req.path.contains("/messages") {
        return not_found(stream);
    }
    let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
    let offers_bash = body["tools"].as_array().is_some_and(|t| t.iter().any(|t| t["name"] == "Bash"));
    // The turn is answered when the last message ends with a tool result; a user's new text
    // after it (Claude Code merges both into one message) asks for a new turn.
    let last_is_result = body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .is_some_and(|m| m["content"].as_array().and_then(|c| c.last()).is_some_and(|b| b["type"] == "tool_result"));
    let (block, delta, stop) = if offers_bash && !last_is_result {
        let input = json!({"command": command, "description": "mock model: run the scenario command"}).to_string();
        (
            json!({"type": "tool_use", "id": format!("toolu_mock{:016}", next_id()), "name": "Bash", "input": {}}),
            json!({"type": "input_json_delta", "partial_json": input}),
            "tool_use",
        )
    } else {
        (json!({"type": "text", "text": ""}), json!({"type": "text_delta", "text": FINAL}), "end_turn")
    };
    let model = body["model"].as_str().unwrap_or("mock").to_string();
    let message = json!({"id": "msg_mock", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 10, "output_tokens": 1}});
    send_sse(
        stream,
        &[
            (Some("message_start"), json!({"type": "message_start", "message": message})),
            (Some("content_block_start"), json!({"type": "content_block_start", "index": 0, "content_block": block})),
            (Some("content_block_delta"), json!({"type": "content_block_delta", "index": 0, "delta": delta})),
            (Some("content_block_stop"), json!({"type": "content_block_stop", "index": 0})),
            (
                Some("message_delta"),
                json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": 20}}),
            ),
            (Some("message_stop"), json!({"type": "message_stop"})),
        ],
    );
}

fn openai(req: &Request, stream: &mut TcpStream, command: &str) {
    if !req.path.ends_with("/responses") {
        return not_found(stream);
    }
    let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
    let tools = body["tools"].as_array().cloned().unwrap_or_default();
    let tool = |name: &str| tools.iter().find(|t| t["name"] == name).cloned();
    let item = if has_tool_result(&body["input"]) {
        None
    } else if tool("exec_command").is_some() {
        Some(("exec_command", json!({"cmd": command})))
    } else if tool("shell_command").is_some() {
        Some(("shell_command", json!({"command": command})))
    } else if tool("shell").is_some() {
        Some(("shell", json!({"command": ["bash", "-lc", command]})))
    } else {
        None
    };
    let item = match item {
        Some((name, args)) => json!({"type": "function_call", "id": "fc_mock1", "call_id": "call_mock1",
            "name": name, "arguments": args.to_string(), "status": "completed"}),
        None => json!({"type": "message", "id": "msg_mock1", "role": "assistant", "status": "completed",
            "content": [{"type": "output_text", "text": FINAL, "annotations": []}]}),
    };
    let base = json!({"id": "resp_mock", "object": "response", "created_at": 0, "model": "mock-model"});
    let mut created = base.clone();
    created["status"] = json!("in_progress");
    created["output"] = json!([]);
    let mut done = base;
    done["status"] = json!("completed");
    done["output"] = json!([item.clone()]);
    done["usage"] = json!({"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 20,
        "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 30});
    let ev = |v: Value| (v["type"].as_str().map(String::from), v);
    let events: Vec<(Option<String>, Value)> = vec![
        ev(json!({"type": "response.created", "response": created})),
        ev(json!({"type": "response.output_item.added", "output_index": 0, "item": item})),
        ev(json!({"type": "response.output_item.done", "output_index": 0, "item": item})),
        ev(json!({"type": "response.completed", "response": done})),
    ];
    let events: Vec<(Option<&str>, Value)> = events.iter().map(|(n, v)| (n.as_deref(), v.clone())).collect();
    send_sse(stream, &events);
}

/// A JSON value shaped by a response schema (Gemini CLI's side calls).
fn fill_schema(schema: &Value, key: &str) -> Value {
    if let Some(e) = schema["enum"].as_array().filter(|e| !e.is_empty()) {
        return if key == "next_speaker" && e.contains(&json!("user")) { json!("user") } else { e[0].clone() };
    }
    match schema["type"].as_str().unwrap_or("").to_ascii_lowercase().as_str() {
        "object" => {
            let props = schema["properties"].as_object().cloned().unwrap_or_default();
            Value::Object(props.iter().map(|(k, v)| (k.clone(), fill_schema(v, k))).collect())
        }
        "array" => json!([]),
        "boolean" => json!(false),
        "number" | "integer" => json!(1),
        _ if key == "next_speaker" => json!("user"),
        _ => json!("mock"),
    }
}

fn gemini(req: &Request, stream: &mut TcpStream, command: &str) {
    if req.path.contains(":countTokens") {
        return send(stream, "200 OK", "application/json", r#"{"totalTokens":10}"#);
    }
    if !req.path.contains("enerateContent") {
        return not_found(stream);
    }
    let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
    let config = &body["generationConfig"];
    let schema =
        if config["responseSchema"].is_object() { &config["responseSchema"] } else { &config["responseJsonSchema"] };
    let offers_shell = body["tools"].to_string().contains("\"run_shell_command\"");
    let last_is_result = body["contents"].as_array().and_then(|c| c.last()).is_some_and(has_tool_result);
    let part = if schema.is_object() {
        json!({"text": fill_schema(schema, "").to_string()})
    } else if offers_shell && !last_is_result {
        json!({"functionCall": {"name": "run_shell_command", "args": {"command": command, "description": "mock"}}})
    } else {
        json!({"text": FINAL})
    };
    let resp = json!({"candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 20, "totalTokenCount": 30}, "modelVersion": "mock"});
    if req.path.contains(":streamGenerateContent") {
        send_sse(stream, &[(None, resp)]);
    } else {
        send(stream, "200 OK", "application/json", &resp.to_string());
    }
}

impl Mock {
    fn start(api: fn(&Request, &mut TcpStream, &str)) -> Mock {
        let command = Arc::new(Mutex::new(String::new()));
        let c = command.clone();
        let server = Server::start(Arc::new(move |req: &Request, stream: &mut TcpStream| {
            if req.method == "GET" {
                return send(stream, "200 OK", "application/json", r#"{"object":"list","data":[],"models":[]}"#);
            }
            let command = c.lock().expect("lock").clone();
            api(req, stream, &command)
        }));
        Mock { server, command }
    }
}

/// The stand-in for Railway's API: records every request, answers `recorder-health-ok`.
fn recorder() -> Server {
    Server::start(Arc::new(|_: &Request, stream: &mut TcpStream| {
        send(stream, "200 OK", "text/plain", "recorder-health-ok\n")
    }))
}

/// One agent's world: a HOME set up by interlock, a project, the two servers.
struct World {
    sandbox: Sandbox,
    bin: PathBuf,
    mock: Mock,
    api: Server,
}

const INCIDENT_BODY: &str = r#"{"query":"mutation { volumeDelete(volumeId: \"vol-1\") }"}"#;

impl World {
    fn new(agent: &str, bin: PathBuf, api: fn(&Request, &mut TcpStream, &str)) -> World {
        let sandbox = Sandbox::new();
        let w = World { sandbox, bin, mock: Mock::start(api), api: recorder() };
        // The exec guard where install.sh puts it, so setup turns it on for the agent.
        let data = w.home().join(".local/share/interlock");
        std::fs::create_dir_all(&data).expect("mkdir");
        std::fs::copy(guard_library(), data.join("libinterlock_guard.so")).expect("copy the guard");
        for args in [vec!["shims", "install"], vec!["setup", agent]] {
            let out = w.sandbox.cmd(BIN, &[]).env("PATH", BASE_PATH).args(&args).output().expect("interlock");
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        }
        w
    }

    fn home(&self) -> PathBuf {
        self.sandbox.home()
    }

    fn shims(&self) -> PathBuf {
        self.home().join(".local/share/interlock/shims")
    }

    fn project(&self) -> PathBuf {
        self.sandbox.path("work")
    }

    /// The agent's environment: nothing of the test's own.
    fn command(&self, program: &str) -> Command {
        let mut c = self.sandbox.cmd(self.bin.join(program), &[]);
        c.env("PATH", format!("{}:{BASE_PATH}", self.bin.display()))
            .env("TERM", "dumb")
            .env("LANG", "C.UTF-8")
            .current_dir(self.project())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    fn curl(&self, curl: &str, what: &str) -> String {
        let host = format!("backboard.railway.com:{}", self.api.port);
        match what {
            "incident" => format!(
                "{curl} -sS -X POST http://{host}/graphql/v2 --resolve {host}:127.0.0.1 -H 'Authorization: Bearer fake-token-123' -H 'Content-Type: application/json' -d '{INCIDENT_BODY}'"
            ),
            _ => format!("{curl} -sS http://{host}/health --resolve {host}:127.0.0.1"),
        }
    }

    /// Run the agent once with the model asking for `command`; the model requests made.
    fn run(&self, mut agent: Command, command: &str) -> String {
        *self.mock.command.lock().expect("lock") = command.to_string();
        let before = self.mock.server.count();
        let mut child = agent.spawn().expect("start the agent");
        let deadline = Instant::now() + Duration::from_secs(180);
        while child.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the agent did not finish within 180 s: {command}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut err = String::new();
        let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
        let requests = self.mock.server.requests.lock().expect("lock");
        if let Some(dir) = std::env::var_os("INTERLOCK_AGENTS_DEBUG") {
            let dump: Vec<String> = requests.iter().map(|r| format!("{} {}\n{}\n", r.method, r.path, r.body)).collect();
            let _ = std::fs::write(Path::new(&dir).join("requests.txt"), dump.join("\n"));
            let _ = std::fs::write(Path::new(&dir).join("stderr.txt"), &err);
        }
        let later: Vec<String> = requests[before..].iter().map(|r| r.body.clone()).collect();
        assert!(later.len() >= 2, "the agent never sent the tool result back ({command}); stderr: {err}");
        later.join("\n")
    }

    /// The scenarios every agent must pass.
    fn scenarios(&self, agent: &dyn Fn() -> Command, name: &str) {
        // PATH: the shims come first for the agent's commands.
        let seen = self.run(agent(), "command -v curl; echo \"PATH=$PATH\"");
        let shim = format!("{}/curl", self.shims().display());
        let result = seen
            .find("PATH=")
            .map(|i| &seen[i.saturating_sub(400)..(i + 600).min(seen.len())])
            .unwrap_or("(no PATH= in any request)");
        assert!(seen.contains(&shim), "{name}: curl does not resolve to the shim {shim}: {result}");

        // The incident, by name: the shim (or the hook) stops it; the agent is told.
        let seen = self.run(agent(), &self.curl("curl", "incident"));
        assert_eq!(self.api.count(), 0, "{name}: the mutation reached the API");
        assert!(seen.contains("interlock"), "{name}: the agent was not told why");

        // By absolute path: the shims do not see it; the hook does (before the exec guard
        // would): its answer, not the guard's `interlock: blocked`, reaches the agent — so a
        // hook the agent silently ignores fails here even with the guard on.
        let seen = self.run(agent(), &self.curl("/usr/bin/curl", "incident"));
        assert_eq!(self.api.count(), 0, "{name}: /usr/bin/curl reached the API");
        assert!(
            seen.contains("interlock blocked this command")
                || seen.contains("interlock: this command can destroy data"),
            "{name}: the hook did not answer: {}",
            &seen[..seen.len().min(600)]
        );

        // From a program the agent starts, with the request in a file: neither the hook nor the
        // shims can see it (the command names no curl); the exec guard stops it.
        let request: Vec<String> = shell_words::split(&self.curl("/usr/bin/curl", "incident")).expect("words");
        std::fs::write(self.project().join("req.json"), serde_json::to_string(&request).expect("json")).expect("write");
        let seen = self.run(
            agent(),
            "python3 -c 'import json,subprocess,sys; sys.exit(subprocess.run(json.load(open(\"req.json\"))).returncode)'",
        );
        assert_eq!(self.api.count(), 0, "{name}: a subprocess' /usr/bin/curl reached the API");
        assert!(seen.contains("interlock: blocked"), "{name}: the agent was not told why");

        // A benign call runs and its output reaches the agent.
        let seen = self.run(agent(), &self.curl("curl", "benign"));
        assert!(seen.contains("recorder-health-ok"), "{name}: the benign call's output did not reach the agent");
        let reqs = self.api.requests.lock().expect("lock").clone();
        assert!(reqs.iter().any(|r| r.method == "GET" && r.path == "/health"), "{name}: {reqs:?}");
        assert!(!self.api.bodies().contains("volumeDelete"));
    }
}

#[test]
fn claude_code() {
    let Some(bin) = agents_bin() else { return };
    let w = World::new("claude", bin, anthropic);
    let agent = || {
        let mut c = w.command("claude");
        c.args(["-p", "Run the check the project needs.", "--output-format", "json"])
            .args(["--permission-mode", "bypassPermissions"])
            .env("IS_SANDBOX", "1")
            .env("ANTHROPIC_BASE_URL", format!("http://127.0.0.1:{}", w.mock.server.port))
            .env("ANTHROPIC_API_KEY", "sk-ant-mock-000")
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .env("DISABLE_AUTOUPDATER", "1");
        c
    };
    w.scenarios(&agent, "claude");
}

#[test]
fn codex() {
    let Some(bin) = agents_bin() else { return };
    let w = World::new("codex", bin, openai);
    // The mock model as a custom provider; setup's own keys (trust, PATH, login shell) stay.
    let config = w.home().join(".codex/config.toml");
    let setup = std::fs::read_to_string(&config).expect("config.toml");
    let provider = format!(
        "model = \"mock-model\"\nmodel_provider = \"mock\"\n{setup}\n[model_providers.mock]\nname = \"mock\"\nbase_url = \"http://127.0.0.1:{}/v1\"\nwire_api = \"responses\"\nenv_key = \"MOCK_API_KEY\"\n",
        w.mock.server.port
    );
    std::fs::write(&config, provider).expect("write config");
    let w = &w;
    let agent_with = |extra: &'static [&'static str]| {
        move || {
            let mut c = w.command("codex");
            c.args(["exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"])
                .args(extra)
                .arg("Run the check the project needs.")
                .env("MOCK_API_KEY", "sk-mock-000");
            c
        }
    };
    w.scenarios(&agent_with(&[]), "codex");
    // Without Codex's shell snapshot, `bash -lc` runs /etc/profile, which used to reset PATH.
    let seen = w.run(agent_with(&["--disable", "shell_snapshot"])(), "command -v curl");
    assert!(seen.contains(&format!("{}/curl", w.shims().display())), "codex: a login shell lost the shims");
}

#[test]
fn gemini_cli() {
    let Some(bin) = agents_bin() else { return };
    let w = World::new("gemini", bin, gemini);
    let settings = w.home().join(".gemini/settings.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&settings).expect("settings")).expect("json");
    v["security"]["auth"]["selectedType"] = json!("gemini-api-key");
    v["privacy"]["usageStatisticsEnabled"] = json!(false);
    std::fs::write(&settings, v.to_string()).expect("write");
    let trusted = json!({ w.project().display().to_string(): "TRUST_FOLDER" });
    std::fs::write(w.home().join(".gemini/trustedFolders.json"), trusted.to_string()).expect("write");
    let agent = || {
        let mut c = w.command("gemini");
        c.args(["-p", "Run the check the project needs.", "--yolo"])
            .env("GEMINI_API_KEY", "fake-gemini-key-000")
            .env("GOOGLE_GEMINI_BASE_URL", format!("http://127.0.0.1:{}", w.mock.server.port));
        c
    };
    w.scenarios(&agent, "gemini");
}

/// Claude Code's interactive UI in a pseudo-terminal (tmux): interlock's `ask` shows Claude
/// Code's own dialog; Yes runs the call exactly once with no second question from the shim;
/// the same call again is asked again, and No runs nothing.
#[test]
fn claude_code_one_confirmation() {
    let Some(bin) = agents_bin() else { return };
    let w = World::new("claude", bin.clone(), anthropic);
    let key = "sk-ant-mock-000-interactive-key-abcdefghij";
    let state = json!({"hasCompletedOnboarding": true, "theme": "dark",
        "customApiKeyResponses": {"approved": [&key[key.len() - 20..]], "rejected": []},
        "projects": {w.project().display().to_string(): {"hasTrustDialogAccepted": true, "allowedTools": []}}});
    std::fs::write(w.home().join(".claude.json"), state.to_string()).expect("write");
    let script = w.sandbox.path("claude.sh");
    std::fs::write(
        &script,
        format!(
            "cd '{}' && exec env -i HOME='{}' PATH='{}:{BASE_PATH}' TERM=xterm-256color LANG=C.UTF-8 \
             ANTHROPIC_BASE_URL=http://127.0.0.1:{} ANTHROPIC_API_KEY={key} \
             CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_AUTOUPDATER=1 '{}/claude'\n",
            w.project().display(),
            w.home().display(),
            bin.display(),
            w.mock.server.port,
            bin.display()
        ),
    )
    .expect("write");
    let sock = w.sandbox.path("tmux.sock");
    let tmux =
        |args: &[&str]| Command::new("tmux").arg("-S").arg(&sock).args(args).env_remove("TMUX").output().expect("tmux");
    struct Kill<'a>(&'a dyn Fn(&[&str]) -> std::process::Output);
    impl Drop for Kill<'_> {
        fn drop(&mut self) {
            (self.0)(&["kill-server"]);
        }
    }
    let _kill = Kill(&tmux);
    *w.mock.command.lock().expect("lock") = w.curl("curl", "incident");
    let script_s = format!("bash {}", script.display());
    assert!(tmux(&["new-session", "-d", "-s", "cl", "-x", "200", "-y", "50", &script_s]).status.success());
    let screen =
        || String::from_utf8_lossy(&tmux(&["capture-pane", "-t", "cl", "-p", "-S", "-300"]).stdout).into_owned();
    let count = |needle: &str| screen().matches(needle).count();
    let wait_for = |needle: &str, n: usize| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while count(needle) < n {
            assert!(Instant::now() < deadline, "waited for {needle:?}; the screen:\n{}", screen());
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let keys = |k: &[&str]| {
        let mut args = vec!["send-keys", "-t", "cl"];
        args.extend(k);
        assert!(tmux(&args).status.success());
    };
    wait_for("for shortcuts", 1);
    keys(&["Run the check the project needs.", "Enter"]);
    wait_for("Do you want to proceed", 1);
    assert!(screen().contains("interlock: this command can destroy data"), "{}", screen());
    std::thread::sleep(Duration::from_millis(500));
    keys(&["1"]);
    wait_for("MOCK-FINAL", 1);
    assert_eq!(w.api.count(), 1, "Yes in Claude Code's dialog: the call runs exactly once");
    let log = w.sandbox.interlock(&["log", "--json"]);
    assert!(stdout(&log).lines().any(|l| l.contains("\"confirmed\"") && l.contains("\"curl\"")), "{}", stdout(&log));
    // The same call again: Claude Code asks again; No runs nothing.
    let dialogs = count("Do you want to proceed");
    keys(&["Once more.", "Enter"]);
    wait_for("Do you want to proceed", dialogs + 1);
    std::thread::sleep(Duration::from_millis(500));
    keys(&["2"]);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(w.api.count(), 1, "No in Claude Code's dialog: nothing runs");
}
