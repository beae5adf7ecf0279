//! `Invocation`: one call of one program, as the engine sees it.
//!
//! Built once — by the shim from its own process, by `check` from its arguments, by a hook
//! from a parsed shell string — and then only read. Downstream code never re-splits a command
//! string: it gets the argv as the real program would.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::stdin::Spool;

/// The environment the real program would see.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: Vec<(OsString, OsString)>,
}

impl Env {
    /// This process' environment.
    pub fn from_process() -> Env {
        Env { vars: std::env::vars_os().collect() }
    }

    pub fn from_pairs<I, K, V>(pairs: I) -> Env
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Env { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// The value of `name`, as text (lossy), if set.
    pub fn get(&self, name: &str) -> Option<String> {
        self.get_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    pub fn get_os(&self, name: &str) -> Option<&OsStr> {
        // The last assignment wins, as with `env A=1 A=2`.
        self.vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_os_str())
    }

    /// Set (or override) a variable, as a `NAME=value` prefix in a shell does.
    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) {
        let name = name.into();
        self.vars.retain(|(k, _)| *k != name);
        self.vars.push((name, value.into()));
    }

    pub fn iter(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.vars.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }
}

/// A shared handle on this process' standard-input spool.
pub(crate) type SpoolHandle = std::rc::Rc<std::cell::RefCell<Spool>>;

/// Where the program's standard input comes from, as far as interlock can tell.
#[derive(Debug)]
pub enum Stdin {
    /// A terminal: a human types whatever the program reads; there is nothing to inspect.
    Terminal,
    /// Nothing (closed, or `/dev/null`).
    Empty,
    /// This process' own standard input (shim and `check`): read through a spool so the
    /// real program still receives every byte. A shared handle: the analyzers read through it
    /// while the `Invocation` is read-only to them, and the shim, which keeps its own handle,
    /// restores fd 0 from it before the exec.
    Process(SpoolHandle),
    /// Known bytes (a heredoc or here-string seen by a hook).
    Bytes(Vec<u8>),
    /// A file (`< file` seen by a hook), relative to the invocation's cwd.
    File(PathBuf),
    /// Something interlock cannot see (a pipe from another command in a hook's string).
    Unseen,
}

impl Stdin {
    /// This process' standard input as the analyzers may read it: a terminal is the human's,
    /// not data, and is never read.
    pub fn from_process() -> Stdin {
        if nix::unistd::isatty(std::io::stdin()).unwrap_or(false) {
            Stdin::Terminal
        } else {
            Stdin::Process(SpoolHandle::default())
        }
    }
}

/// One call of one program.
#[derive(Debug)]
pub struct Invocation {
    /// The program's name: the basename of argv[0] or of the path a hook saw.
    pub program: String,
    /// The full argv, argv[0] included, byte for byte.
    pub argv: Vec<OsString>,
    /// Where relative paths in the arguments are resolved.
    pub cwd: PathBuf,
    pub env: Env,
    pub stdin: Stdin,
    /// Context a caller adds for the human, e.g. "runs under `railway run` with production
    /// credentials".
    pub notes: Vec<String>,
    /// Where a wrapper makes the call land (`ssh prod-db psql …` → `prod-db`): a target like
    /// those the analyzers find, so a production-looking one raises severity.
    pub targets: Vec<String>,
    /// Files the same command string writes before this call runs (`cat > q.json <<EOF`),
    /// absolute: the analyzers read these contents, not the stale file on disk. `None`: the
    /// content is only known at run time.
    pub written: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Arguments (as they appear in `argv`) whose text a shell builds when the command runs
    /// (`psql -c "$(cat q.sql)"`, seen by a hook): not what the program will receive. An
    /// analyzer that finds one where a statement or a request body goes cannot see it.
    pub computed: Vec<String>,
    /// The argvs of the commands that run before this one in the same command string (seen
    /// by a hook): `terraform apply FILE` reads what `terraform plan -destroy -out FILE` made.
    pub earlier: Vec<Vec<String>>,
    /// The most bytes of one named file the analyzers read (SQL scripts, `< file`); a longer
    /// file is "cannot see". Unlimited for the shim, which streams a dump at memchr speed;
    /// a hook, which must answer within its time budget, sets a limit.
    pub file_limit: u64,
}

impl Invocation {
    /// An invocation of `argv` in `cwd` with `env`, the program named after argv[0].
    pub fn new(argv: Vec<OsString>, cwd: PathBuf, env: Env, stdin: Stdin) -> Invocation {
        let program = argv.first().map(|a| program_name(a)).unwrap_or_default();
        Invocation {
            program,
            argv,
            cwd,
            env,
            stdin,
            notes: Vec::new(),
            targets: Vec::new(),
            written: Vec::new(),
            computed: Vec::new(),
            earlier: Vec::new(),
            file_limit: u64::MAX,
        }
    }

    /// The arguments after argv[0], as text (lossy: analyzers reason about text; the real
    /// program still receives the original bytes).
    /// Whether `arg` is text a shell builds when the command runs (see `computed`).
    pub fn is_computed(&self, arg: &str) -> bool {
        self.computed.iter().any(|c| c == arg)
    }

    pub fn args_lossy(&self) -> Vec<String> {
        self.argv.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect()
    }

    /// A path named in the arguments, resolved against the invocation's cwd.
    pub fn resolve_path(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if let Some(rest) = p.strip_prefix("~/")
            && let Some(home) = self.env.get_os("HOME")
        {
            return Path::new(home).join(rest);
        }
        if path.is_absolute() { path.to_path_buf() } else { self.cwd.join(path) }
    }
}

/// The program name a path or argv[0] stands for: its last component.
pub(crate) fn program_name(arg0: &OsStr) -> String {
    let bytes = arg0.as_bytes();
    let base = match memchr::memrchr(b'/', bytes) {
        Some(i) => &bytes[i + 1..],
        None => bytes,
    };
    String::from_utf8_lossy(base).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_name_is_the_basename() {
        assert_eq!(program_name(OsStr::new("curl")), "curl");
        assert_eq!(program_name(OsStr::new("/home/me/.local/share/interlock/shims/psql")), "psql");
        assert_eq!(program_name(OsStr::new("./railway")), "railway");
        assert_eq!(program_name(OsStr::new("dir/")), "");
    }

    #[test]
    fn env_last_assignment_wins() {
        let mut env = Env::from_pairs([("A", "1"), ("B", "2")]);
        env.set("A", "3");
        assert_eq!(env.get("A").as_deref(), Some("3"));
        assert_eq!(env.get("B").as_deref(), Some("2"));
        assert_eq!(env.get("C"), None);
    }
}
