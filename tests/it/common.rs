//! Test harness: a sandbox with its own HOME, a shims directory pointing at the built
//! binary, and fake "real" programs that record what they received.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_interlock");

/// The absolute path of a program on the test machine's PATH.
pub fn which(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is needed by the tests and is not installed"))
}

pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::Builder::new().prefix("interlock-test").tempdir().expect("tempdir");
        let s = Sandbox { dir };
        for sub in ["home", "shims", "real", "work", "records"] {
            std::fs::create_dir_all(s.path(sub)).expect("mkdir");
        }
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn home(&self) -> PathBuf {
        self.path("home")
    }

    /// A symlink `shims/NAME` → the interlock binary.
    pub fn shim(&self, name: &str) -> PathBuf {
        self.shim_in("shims", name)
    }

    pub fn shim_in(&self, dir: &str, name: &str) -> PathBuf {
        let d = self.path(dir);
        std::fs::create_dir_all(&d).expect("mkdir");
        let link = d.join(name);
        std::os::unix::fs::symlink(BIN, &link).expect("symlink");
        link
    }

    /// An executable script `DIR/NAME` with `body`.
    pub fn script(&self, dir: &str, name: &str, body: &str) -> PathBuf {
        let d = self.path(dir);
        std::fs::create_dir_all(&d).expect("mkdir");
        let p = d.join(name);
        std::fs::write(&p, body).expect("write script");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        p
    }

    /// The recorder (tests/fixtures/recorder.c) installed as `DIR/NAME`: it records argv,
    /// environment, pid and stdin into `records/`.
    pub fn recorder(&self, dir: &str, name: &str) -> PathBuf {
        let d = self.path(dir);
        std::fs::create_dir_all(&d).expect("mkdir");
        let p = d.join(name);
        std::fs::copy(recorder_binary(), &p).expect("copy recorder");
        p
    }

    /// How many times a recorder ran.
    pub fn runs(&self) -> usize {
        std::fs::read_to_string(self.path("records/runs")).map(|t| t.lines().count()).unwrap_or(0)
    }

    /// The argv the recorder last received.
    pub fn recorded_argv(&self) -> Vec<Vec<u8>> {
        let bytes = std::fs::read(self.path("records/argv")).expect("recorded argv");
        let mut parts: Vec<Vec<u8>> = bytes.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
        parts.pop(); // after the last NUL
        parts
    }

    /// The environment the recorder last received, sorted.
    pub fn recorded_env(&self) -> Vec<Vec<u8>> {
        let bytes = std::fs::read(self.path("records/env")).expect("recorded env");
        let mut vars: Vec<Vec<u8>> = bytes.split(|&b| b == 0).filter(|v| !v.is_empty()).map(<[u8]>::to_vec).collect();
        vars.sort();
        vars
    }

    pub fn recorded_pid(&self) -> u32 {
        std::fs::read_to_string(self.path("records/pid")).expect("recorded pid").trim().parse().expect("pid")
    }

    pub fn recorded_stdin(&self) -> Vec<u8> {
        std::fs::read(self.path("records/stdin")).expect("recorded stdin")
    }

    /// PATH with the given sandbox directories first, then the system's.
    pub fn path_var(&self, dirs: &[&str]) -> OsString {
        let mut parts: Vec<String> = dirs.iter().map(|d| self.path(d).display().to_string()).collect();
        parts.push("/usr/local/bin:/usr/bin:/bin".into());
        OsString::from(parts.join(":"))
    }

    /// A command with a clean environment: HOME and XDG dirs in the sandbox, PATH as given,
    /// no terminal on stdin.
    pub fn cmd(&self, program: impl AsRef<std::ffi::OsStr>, path_dirs: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.env_clear()
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("XDG_STATE_HOME", self.home().join(".local/state"))
            .env("XDG_DATA_HOME", self.home().join(".local/share"))
            .env("PATH", self.path_var(path_dirs))
            .env("RECORD_DIR", self.path("records"))
            .current_dir(self.path("work"))
            .stdin(Stdio::null());
        detach_from_terminal(&mut c);
        c
    }

    /// `interlock ARGS…` in the sandbox.
    pub fn interlock(&self, args: &[&str]) -> Output {
        self.cmd(BIN, &["shims", "real"]).args(args).output().expect("run interlock")
    }
}

/// Run the child in a new session, so it has no controlling terminal, as under an agent.
pub fn detach_from_terminal(c: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        c.pre_exec(|| nix::unistd::setsid().map(|_| ()).map_err(std::io::Error::from));
    }
}

/// The recorder, compiled once per test binary with the machine's C compiler.
pub fn recorder_binary() -> &'static Path {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("recorder-{}", std::process::id()));
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recorder.c");
        let status = Command::new("cc").arg("-O2").arg("-o").arg(&out).arg(&src).status().expect("a C compiler (cc)");
        assert!(status.success(), "compiling the recorder failed");
        out
    })
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

// ---------------------------------------------------------------- HTTP stand-in

/// A request the stand-in server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub host: String,
    pub body: Vec<u8>,
}

/// A loopback HTTP server answering every request with a fixed GraphQL response.
pub struct ApiServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

pub const RESPONSE: &str = r#"{"data":{"me":{"id":"u1","email":"dev@example.com"}}}"#;

impl ApiServer {
    pub fn start() -> ApiServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
                let (mut length, mut host) = (0usize, String::new());
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    let lower = h.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if let Some(v) = lower.strip_prefix("host:") {
                        host = v.trim().to_string();
                    }
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                log.lock().expect("lock").push(Received { method, path, host, body });
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{RESPONSE}",
                    RESPONSE.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        ApiServer { port, received }
    }

    pub fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    pub fn url(&self) -> String {
        format!("http://backboard.railway.com:{}/graphql/v2", self.port)
    }

    pub fn resolve(&self) -> String {
        format!("backboard.railway.com:{}:127.0.0.1", self.port)
    }
}

// ---------------------------------------------------------------- the exec guard

/// The exec guard library, built once per test binary (release: the only loadable build, see
/// guard/Cargo.toml) into the target directory of `BIN`.
pub fn guard_library() -> &'static Path {
    static LIB: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    LIB.get_or_init(|| {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        // Its own workspace (no_std, panic = "abort"), built into this target directory.
        let target = Path::new(BIN).parent().and_then(Path::parent).expect("the target directory");
        let status = Command::new(cargo)
            .args(["build", "--release", "--quiet", "--locked", "--manifest-path", "guard/Cargo.toml", "--target-dir"])
            .arg(target)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo build of the exec guard");
        assert!(status.success(), "building the exec guard failed");
        let lib = target.join("release/libinterlock_guard.so");
        assert!(lib.is_file(), "no {}", lib.display());
        lib
    })
}

/// A directory holding this build's `interlock` and guard library, for
/// `INTERLOCK_PREBUILT=DIR ./install.sh`.
pub fn prebuilt() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prebuilt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::copy(BIN, dir.join("interlock")).expect("copy interlock");
        std::fs::copy(guard_library(), dir.join("libinterlock_guard.so")).expect("copy the guard");
        dir
    })
}

impl Sandbox {
    /// Runs `./install.sh` with this build into the sandbox's HOME (binary in `bin/`).
    pub fn install(&self) -> Output {
        Command::new("sh")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("install.sh"))
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("INTERLOCK_INSTALL_DIR", self.path("bin"))
            .env("INTERLOCK_PREBUILT", prebuilt())
            .output()
            .expect("install.sh")
    }

    /// The installed data directory (shims, guard library, activation snippets).
    pub fn data(&self) -> PathBuf {
        self.home().join(".local/share/interlock")
    }
}

// ---------------------------------------------------------------- agent hooks

/// `interlock hook AGENT` in the sandbox, with `input` on its standard input.
pub fn hook(s: &Sandbox, agent: &str, input: &[u8]) -> Output {
    let mut child = s
        .cmd(BIN, &[])
        .args(["hook", agent])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(input).expect("write");
    child.wait_with_output().expect("wait")
}

/// A Claude Code PreToolUse event for the Bash tool running `command` in `cwd`.
pub fn claude_event_in(command: &str, cwd: &Path) -> Vec<u8> {
    serde_json::json!({
        "session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": command}, "cwd": cwd, "permission_mode": "default"
    })
    .to_string()
    .into_bytes()
}

/// The hook's answer: one JSON object, or `null` for the silence that means "no objection".
pub fn reply(out: &Output) -> serde_json::Value {
    if out.stdout.is_empty() && out.status.code() == Some(0) {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("one JSON object ({e}): {}", stdout(out)))
}

/// Claude Code's decision: `allow`/`ask`/`deny`, or `none` when the hook said nothing.
pub fn claude_decision(out: &Output) -> String {
    match reply(out) {
        serde_json::Value::Null => "none".into(),
        v => v["hookSpecificOutput"]["permissionDecision"].as_str().unwrap_or("?").into(),
    }
}
