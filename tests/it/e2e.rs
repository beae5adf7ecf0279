//! End to end with real components, on loopback only: real curl against a stand-in for
//! Railway's API, a real PostgreSQL 15 server, real sqlite3, make and npm, and the approval
//! flow across processes. Every call goes through the installed-style layout: a shims
//! directory first on PATH, the real programs after it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::common::*;
use rexpect::session::{PtySession, spawn_command};

// ---------------------------------------------------------------- HTTP stand-in

const INCIDENT_BODY: &str =
    r#"{"query":"mutation { volumeDelete(volumeId: \"3d2c4a1e-8a0b-4d5e-9f00-112233445566\") }"}"#;

fn curl_sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.shim("curl");
    s
}

/// A command in a pseudo-terminal, with the sandbox's environment.
fn pty(s: &Sandbox, script: &str, path_dirs: &[&str], extra_path: &str) -> PtySession {
    let mut c = Command::new("/bin/sh");
    let mut path = s.path_var(path_dirs).to_string_lossy().into_owned();
    if !extra_path.is_empty() {
        path = format!("{extra_path}:{path}");
    }
    c.arg("-c")
        .arg(script)
        .env_clear()
        .env("HOME", s.home())
        .env("XDG_STATE_HOME", s.home().join(".local/state"))
        .env("XDG_CONFIG_HOME", s.home().join(".config"))
        .env("XDG_DATA_HOME", s.home().join(".local/share"))
        .env("PATH", path)
        .env("TERM", "dumb")
        .env("RECORD_DIR", s.path("records"))
        .current_dir(s.path("work"));
    if let Some(pg) = PG.get() {
        c.env("PGHOST", &pg.socket_dir).env("PGPORT", pg.port.to_string()).env("PGUSER", "postgres");
    }
    spawn_command(c, Some(30_000)).expect("spawn in a pty")
}

#[test]
fn the_incident_is_stopped_without_a_terminal() {
    let s = curl_sandbox();
    let api = ApiServer::start();
    let out = s
        .cmd("curl", &["shims"])
        .args(["-sS", "--resolve", &api.resolve(), "-X", "POST", &api.url()])
        .args([
            "-H",
            "Authorization: Bearer tok_live_1234567890",
            "-H",
            "Content-Type: application/json",
            "-d",
            INCIDENT_BODY,
        ])
        .output()
        .expect("run curl");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("interlock: blocked"), "{}", stderr(&out));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(api.requests().is_empty(), "the server received {:?}", api.requests());
}

/// A Python script that posts `query` to the stand-in, as `backboard.railway.com` (the
/// name resolves to loopback inside the script, as `--resolve` does for curl).
fn python_poster(api: &ApiServer, query: &str) -> String {
    format!(
        r#"import json, socket, urllib.request
_resolve = socket.getaddrinfo
socket.getaddrinfo = lambda host, *a, **k: _resolve("127.0.0.1" if host == "backboard.railway.com" else host, *a, **k)
body = json.dumps({{"query": '{query}'}}).encode()
req = urllib.request.Request("{url}", data=body, headers={{"Content-Type": "application/json"}})
print(urllib.request.urlopen(req).read().decode())
"#,
        url = api.url()
    )
}

#[test]
fn a_python_script_that_sends_the_incident_is_stopped_and_its_read_only_twin_runs() {
    let s = Sandbox::new();
    s.shim("python3");
    let api = ApiServer::start();
    let mutation = r#"mutation { volumeDelete(volumeId: "3d2c4a1e-8a0b-4d5e-9f00-112233445566") }"#;
    std::fs::write(s.path("work/cleanup.py"), python_poster(&api, mutation)).expect("write script");
    std::fs::write(s.path("work/whoami.py"), python_poster(&api, "query { me { id email } }")).expect("write twin");

    let out = s.cmd("python3", &["shims"]).arg("cleanup.py").output().expect("run python3");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(stderr(&out).contains("volumeDelete") && stderr(&out).contains("cleanup.py"), "{}", stderr(&out));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(api.requests().is_empty(), "the server received {:?}", api.requests());

    let out = s.cmd("python3", &["shims"]).arg("whoami.py").output().expect("run python3");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), RESPONSE);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    assert_eq!(api.requests().len(), 1);
}

/// A Node script that posts `query` to the stand-in as `backboard.railway.com` (its
/// `lookup` sends the name to loopback, as `--resolve` does for curl).
fn node_poster(api: &ApiServer, query: &str) -> String {
    format!(
        r#"import http from "node:http";
const lookup = (host, opts, cb) => opts.all ? cb(null, [{{ address: "127.0.0.1", family: 4 }}]) : cb(null, "127.0.0.1", 4);
const body = JSON.stringify({{ query: `{query}` }});
const req = http.request("{url}", {{ method: "POST", lookup, headers: {{ "Content-Type": "application/json" }} }}, (res) => {{
  let out = "";
  res.on("data", (c) => (out += c));
  res.on("end", () => console.log(out));
}});
req.end(body);
"#,
        url = api.url()
    )
}

#[test]
fn a_node_script_that_sends_the_incident_is_stopped_and_its_read_only_twin_runs() {
    let s = Sandbox::new();
    s.shim("node");
    let api = ApiServer::start();
    let mutation = r#"mutation { volumeDelete(volumeId: "3d2c4a1e-8a0b-4d5e-9f00-112233445566") }"#;
    std::fs::write(s.path("work/cleanup.mjs"), node_poster(&api, mutation)).expect("write script");
    std::fs::write(s.path("work/whoami.mjs"), node_poster(&api, "query { me { id email } }")).expect("write twin");

    let out = s.cmd("node", &["shims"]).arg("cleanup.mjs").output().expect("run node (installed by .ci/run)");
    assert_eq!(out.status.code(), Some(77), "{}", stderr(&out));
    assert!(stderr(&out).contains("volumeDelete"), "{}", stderr(&out));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(api.requests().is_empty(), "the server received {:?}", api.requests());

    let out = s.cmd("node", &["shims"]).arg("whoami.mjs").output().expect("run node");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), RESPONSE);
    assert_eq!(api.requests().len(), 1);
}

#[test]
fn the_incident_runs_once_when_a_human_confirms() {
    let s = curl_sandbox();
    let api = ApiServer::start();
    std::fs::write(s.path("work/body.json"), INCIDENT_BODY).expect("write body");
    let script = format!(
        "curl -sS --resolve {} -X POST {} -H 'Content-Type: application/json' -d @body.json </dev/null; echo status=$?",
        api.resolve(),
        api.url()
    );
    let mut p = pty(&s, &script, &["shims"], "");
    p.exp_string("volumeDelete").expect("the action is shown");
    p.exp_string("Type `3d2c4a1e-8a0b-4d5e-9f00-112233445566` to run it").expect("the volume id is asked for");
    p.send_line("3d2c4a1e-8a0b-4d5e-9f00-112233445566").expect("confirm");
    p.exp_string("status=0").expect("curl ran");
    let got = api.requests();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].path, "/graphql/v2");
    assert!(got[0].host.starts_with("backboard.railway.com"));
    assert_eq!(got[0].body, INCIDENT_BODY.as_bytes(), "body intact");
}

#[test]
fn a_benign_query_passes_untouched() {
    let s = curl_sandbox();
    let api = ApiServer::start();
    let out = s
        .cmd("curl", &["shims"])
        .args(["-sS", "--resolve", &api.resolve(), &api.url(), "-d", r#"{"query":"query { me { id email } }"}"#])
        .output()
        .expect("run curl");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, RESPONSE.as_bytes());
    assert!(out.stderr.is_empty());
    assert_eq!(api.requests().len(), 1);
}

// ---------------------------------------------------------------- PostgreSQL

/// One PostgreSQL 15 server for the whole suite: a temporary data directory, a unix socket
/// in it, no TCP. Stopped, and its directory removed, when the test process exits.
struct Postgres {
    socket_dir: PathBuf,
    port: u16,
}

static PG: OnceLock<Postgres> = OnceLock::new();
static PG_PID: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
static PG_DIR: OnceLock<PathBuf> = OnceLock::new();

extern "C" fn stop_postgres() {
    if let Some(dir) = PG_DIR.get() {
        // Stop and wait for the shutdown to finish, then remove everything it wrote.
        let _ = as_postgres(&pg_bin("pg_ctl")).args(["stop", "-m", "fast", "-w", "-D"]).arg(dir.join("data")).output();
        let pid = PG_PID.load(std::sync::atomic::Ordering::SeqCst);
        if pid > 0 {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGTERM);
            let _ = nix::sys::wait::waitpid(nix::unistd::Pid::from_raw(pid), None);
        }
        for _ in 0..50 {
            if std::fs::remove_dir_all(dir).is_ok() || !dir.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

fn pg_bin(name: &str) -> PathBuf {
    for dir in ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/pgsql/bin"] {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return p;
        }
    }
    which(name)
}

/// Run `program` as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn as_postgres(program: &Path) -> Command {
    let mut c = if nix::unistd::getuid().is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    // The postgres user may not be allowed into the checkout; the temp dir is open to it.
    c.current_dir(std::env::temp_dir());
    c
}

fn postgres() -> &'static Postgres {
    PG.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("interlock-e2e-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        PG_DIR.set(dir.clone()).expect("once");
        // SAFETY: registering a plain extern "C" function with atexit.
        unsafe { nix::libc::atexit(stop_postgres) };
        let data = dir.join("data");
        let out = as_postgres(&pg_bin("initdb"))
            .args(["-D"])
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"])
            .output()
            .expect("initdb");
        assert!(out.status.success(), "initdb: {}", stderr(&out));
        let port = 54321 + (std::process::id() % 1000) as u16;
        // Reaped by `stop_postgres` at exit.
        #[allow(clippy::zombie_processes)]
        let child = as_postgres(&pg_bin("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-k"])
            .arg(&dir)
            .args(["-c", "listen_addresses=", "-p", &port.to_string(), "-c", "fsync=off"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start postgres");
        PG_PID.store(child.id() as i32, std::sync::atomic::Ordering::SeqCst);
        let pg = Postgres { socket_dir: dir, port };
        for _ in 0..100 {
            let ok = Command::new(pg_bin("pg_isready"))
                .args(["-h"])
                .arg(&pg.socket_dir)
                .args(["-p", &port.to_string()])
                .output();
            if ok.is_ok_and(|o| o.status.success()) {
                return pg;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("postgres did not start");
    })
}

/// A fresh database with a table of 5 rows, for one test.
fn database(name: &str) -> String {
    let pg = postgres();
    let direct = |sql: &str, db: &str| {
        let out = Command::new("/usr/bin/psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&pg.socket_dir)
            .args(["-p", &pg.port.to_string(), "-U", "postgres", "-d", db, "-c", sql])
            .output()
            .expect("psql");
        assert!(out.status.success(), "{sql}: {}", stderr(&out));
    };
    direct(&format!("DROP DATABASE IF EXISTS {name}"), "postgres");
    direct(&format!("CREATE DATABASE {name}"), "postgres");
    direct(
        "CREATE TABLE orders (id int primary key, item text); INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 5) g",
        name,
    );
    name.to_string()
}

/// Rows in `orders`, asked directly (not through interlock); None when the table is gone.
fn rows(db: &str) -> Option<i64> {
    let pg = postgres();
    let out = Command::new("/usr/bin/psql")
        .args(["-X", "-At", "-h"])
        .arg(&pg.socket_dir)
        .args(["-p", &pg.port.to_string(), "-U", "postgres", "-d", db, "-c", "SELECT count(*) FROM orders"])
        .output()
        .expect("psql");
    if !out.status.success() {
        return None;
    }
    stdout(&out).trim().parse().ok()
}

fn pg_sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.shim("psql");
    s
}

/// A command through the shims with the server's connection in the environment.
fn pg_cmd(s: &Sandbox, program: &str) -> Command {
    let pg = postgres();
    let mut c = s.cmd(program, &["shims"]);
    c.env("PGHOST", &pg.socket_dir).env("PGPORT", pg.port.to_string()).env("PGUSER", "postgres");
    c
}

fn blocked(out: &Output) {
    assert_eq!(out.status.code(), Some(77), "stdout: {}\nstderr: {}", stdout(out), stderr(out));
}

#[test]
fn destructive_sql_is_blocked_in_every_spelling() {
    let s = pg_sandbox();
    let db = database("shop_block");
    std::fs::write(s.path("work/drop.sql"), "SELECT 1;\nDROP TABLE orders;\n").expect("write");
    s.script("work", "cleanup.sh", &format!("#!/bin/sh\npsql -d {db} -c 'TRUNCATE orders'\n"));
    std::fs::write(s.path("work/Makefile"), format!("db-reset:\n\tpsql -d {db} -c 'DELETE FROM orders'\n"))
        .expect("write");
    std::fs::write(
        s.path("work/package.json"),
        format!(
            r#"{{"name":"shop","version":"1.0.0","scripts":{{"db:reset":"psql -d {db} -c 'DROP TABLE orders'"}}}}"#
        ),
    )
    .expect("write");

    blocked(&pg_cmd(&s, "psql").args(["-d", &db, "-c", "DROP TABLE orders"]).output().expect("run"));
    let mut child = pg_cmd(&s, "psql")
        .args(["-d", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"DELETE FROM orders;\n").expect("write");
    blocked(&child.wait_with_output().expect("wait"));
    blocked(&pg_cmd(&s, "psql").args(["-d", &db, "-f", "drop.sql"]).output().expect("run"));
    blocked(
        &pg_cmd(&s, "/bin/sh")
            .args(["-c", &format!("psql -d {db} <<'EOF'\nBEGIN;\nDROP TABLE orders;\nCOMMIT;\nEOF\n")])
            .output()
            .expect("run"),
    );
    blocked(&pg_cmd(&s, "/bin/sh").arg("./cleanup.sh").output().expect("run"));
    let make = pg_cmd(&s, "make").arg("db-reset").output().expect("run make");
    assert!(!make.status.success(), "make passed: {}", stdout(&make));
    assert!(stderr(&make).contains("interlock: blocked"), "{}", stderr(&make));
    let npm = pg_cmd(&s, "npm")
        .args(["run", "db:reset"])
        .env("npm_config_update_notifier", "false")
        .output()
        .expect("run npm");
    assert!(!npm.status.success(), "npm passed: {}", stdout(&npm));
    assert!(stderr(&npm).contains("interlock: blocked"), "{}", stderr(&npm));

    assert_eq!(rows(&db), Some(5), "every row is still there");
}

#[test]
fn benign_queries_return_what_direct_psql_returns() {
    let s = pg_sandbox();
    let db = database("shop_read");
    let pg = postgres();
    let query = "SELECT id, item FROM orders ORDER BY id";
    let through = pg_cmd(&s, "psql").args(["-X", "-d", &db, "-c", query]).output().expect("run");
    let direct = Command::new("/usr/bin/psql")
        .args(["-X", "-h"])
        .arg(&pg.socket_dir)
        .args(["-p", &pg.port.to_string(), "-U", "postgres", "-d", &db, "-c", query])
        .output()
        .expect("run");
    assert!(through.status.success(), "{}", stderr(&through));
    assert_eq!(through.stdout, direct.stdout);
    assert!(stdout(&through).contains("item 5"));
    // Benign SQL on stdin too.
    let mut child = pg_cmd(&s, "psql")
        .args(["-X", "-At", "-d", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"SELECT count(*) FROM orders;\n").expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(stdout(&out), "5\n");
}

#[test]
fn a_confirmed_drop_happens() {
    let s = pg_sandbox();
    let db = database("shop_confirm");
    postgres();
    let mut p = pty(&s, &format!("psql -X -d {db} -c 'DROP TABLE orders' </dev/null; echo status=$?"), &["shims"], "");
    p.exp_string("DROP TABLE orders").expect("shown");
    p.exp_string("Type `yes` to run it").expect("question");
    p.send_line("yes").expect("confirm");
    p.exp_string("status=0").expect("psql ran");
    assert_eq!(rows(&db), None, "the table is gone");
}

#[test]
fn approval_flow_with_a_real_database() {
    let s = pg_sandbox();
    let db = database("shop_approve");
    let args = ["-X", "-d", db.as_str(), "-c", "TRUNCATE orders"];
    let out = pg_cmd(&s, "psql").args(args).output().expect("run");
    blocked(&out);
    let err = stderr(&out);
    let start = err.find("interlock approve ").expect("a code") + "interlock approve ".len();
    let code: String = err[start..].chars().take_while(char::is_ascii_alphanumeric).collect();
    let mut p = pty(&s, &format!("{BIN} approve {code}; echo status=$?"), &[], "");
    p.exp_string("TRUNCATE orders").expect("shown");
    p.exp_string("Type `yes` to approve it").expect("question");
    p.send_line("yes").expect("approve");
    p.exp_string("status=0").expect("approved");
    assert_eq!(rows(&db), Some(5));
    let out = pg_cmd(&s, "psql").args(args).output().expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(rows(&db), Some(0), "the approved TRUNCATE ran");
    blocked(&pg_cmd(&s, "psql").args(args).output().expect("run"));
}

// ---------------------------------------------------------------- sqlite3 and railway

#[test]
fn sqlite_drop_leaves_the_file_unchanged() {
    use sha2::Digest;
    let s = Sandbox::new();
    s.shim("sqlite3");
    let db = s.path("work/app.db");
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg("CREATE TABLE users(id int); INSERT INTO users VALUES (1),(2);")
        .output()
        .expect("sqlite3");
    assert!(out.status.success());
    let digest = || sha2::Sha256::digest(std::fs::read(&db).expect("read db"));
    let before = digest();
    blocked(&s.cmd("sqlite3", &["shims"]).arg("app.db").arg("DROP TABLE users").output().expect("run"));
    let mut child = s
        .cmd("sqlite3", &["shims"])
        .arg("app.db")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(b"DELETE FROM users;\n").expect("write");
    blocked(&child.wait_with_output().expect("wait"));
    assert_eq!(digest(), before);
    let out = s.cmd("sqlite3", &["shims"]).arg("app.db").arg("SELECT count(*) FROM users").output().expect("run");
    assert_eq!(stdout(&out), "2\n");
}

#[test]
fn railway_stand_in() {
    let s = Sandbox::new();
    s.shim("railway");
    s.recorder("real", "railway");
    blocked(
        &s.cmd("railway", &["shims", "real"])
            .args(["volume", "delete", "--volume", "pgdata", "--yes"])
            .output()
            .expect("run"),
    );
    assert_eq!(s.runs(), 0);
    for args in [&["logs"][..], &["status"][..]] {
        let out = s.cmd("railway", &["shims", "real"]).args(args).output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(s.runs(), 2);
    assert_eq!(s.recorded_argv(), vec![b"railway".to_vec(), b"status".to_vec()]);
}
