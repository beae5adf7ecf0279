//! Is an AI agent behind this process? Used to decide whether a terminal belongs to a human.
//!
//! A terminal inside an agent's process tree is not a human's: either it is the agent's own
//! terminal (which a child must never borrow: the agent's UI reads it), or a pseudo-terminal
//! that a wrapper (`script`, `expect`, `unbuffer`, `socat`, a pty library) created so the
//! agent can type into it. So the markers agents set are looked for in this process'
//! environment *and* in every ancestor's (on Linux, through `/proc`): unsetting them in a
//! child (`env -u CLAUDECODE script -qc …`) does not hide the agent above it.

/// The agents interlock works with: their hook protocols, their setup, their doctor checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Agent {
    Claude,
    Cursor,
    Codex,
    Gemini,
}

impl Agent {
    /// Every agent, in the order interlock lists them.
    pub(crate) const ALL: [Agent; 4] = [Agent::Claude, Agent::Cursor, Agent::Codex, Agent::Gemini];

    /// The agent named `name` on interlock's command line.
    pub(crate) fn from_name(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The name on interlock's command line (`interlock hook claude`, `setup gemini`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Cursor => "cursor",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
        }
    }
}

/// What interlock tells an agent whose command it stopped, everywhere it tells it (the
/// shims' block message and every hook's reply): one text, so no path is softer.
pub(crate) const STOP: &str = "Do not retry this command, rephrase it, or look for another way to do the same thing \
(another tool, a direct API call, a different token or credentials). Stop and ask the user: tell them what you \
wanted to run and why.";

/// Environment variables agents set for the commands they run.
pub(crate) const MARKERS: &[(&str, &str)] = &[
    ("CLAUDECODE", "Claude Code"),
    ("CLAUDE_CODE_CHILD_SESSION", "Claude Code"),
    ("CURSOR_AGENT", "Cursor"),
    ("GEMINI_CLI", "Gemini CLI"),
    ("CODEX_SANDBOX", "Codex"),
    ("CODEX_SANDBOX_NETWORK_DISABLED", "Codex"),
    ("CODEX_MANAGED_BY_NPM", "Codex"),
    ("AIDER_CHAT", "aider"),
];

/// Process names of agents themselves.
#[cfg(any(target_os = "linux", target_os = "macos"))]
const AGENT_PROGRAMS: &[(&str, &str)] = &[
    ("claude", "Claude Code"),
    ("cursor-agent", "Cursor"),
    ("codex", "Codex"),
    ("gemini", "Gemini CLI"),
    ("aider", "aider"),
];

/// The agent this process runs under, if any, and how it was recognised.
pub(crate) fn detect() -> Option<String> {
    if let Some(found) = marker_in(std::env::vars_os().map(|(k, _)| k.to_string_lossy().into_owned())) {
        return Some(format!("{found} (its marker is in this environment)"));
    }
    ancestry()
}

/// The agent named by the environment only (for the audit log; no /proc walk).
pub(crate) fn from_env() -> Option<&'static str> {
    MARKERS.iter().find(|(var, _)| std::env::var_os(var).is_some_and(|v| !v.is_empty())).map(|(_, name)| *name)
}

fn marker_in(names: impl Iterator<Item = String>) -> Option<&'static str> {
    let names: Vec<String> = names.collect();
    MARKERS.iter().find(|(var, _)| names.iter().any(|n| n == var)).map(|(_, name)| *name)
}

#[cfg(target_os = "linux")]
fn ancestry() -> Option<String> {
    let mut pid = std::os::unix::process::parent_id();
    for _ in 0..64 {
        if pid <= 1 {
            return None;
        }
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (comm) state ppid …`; comm may contain spaces and parentheses.
        let open = stat.find('(')?;
        let close = stat.rfind(')').filter(|c| *c > open)?;
        let comm = &stat[open + 1..close];
        if let Some((_, name)) = AGENT_PROGRAMS.iter().find(|(p, _)| *p == comm) {
            return Some(format!("{name} (process {pid}, `{comm}`, is an ancestor)"));
        }
        if let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) {
            let names = env
                .split(|&b| b == 0)
                .filter_map(|kv| kv.split(|&b| b == b'=').next())
                .map(|k| String::from_utf8_lossy(k).into_owned());
            if let Some(found) = marker_in(names) {
                return Some(format!("{found} (its marker is in the environment of ancestor process {pid}, `{comm}`)"));
            }
        }
        pid = stat[close + 1..].split_whitespace().nth(1)?.parse().ok()?;
    }
    None
}

/// macOS has no /proc: the ancestors' names come from `proc_pidinfo` (their environments are
/// not read there, so a marker unset in a child is not seen — the agents' own process names
/// still are).
#[cfg(target_os = "macos")]
fn ancestry() -> Option<String> {
    let mut pid = std::os::unix::process::parent_id();
    for _ in 0..64 {
        if pid <= 1 {
            return None;
        }
        let mut info = std::mem::MaybeUninit::<libc::proc_bsdinfo>::zeroed();
        let size = std::mem::size_of::<libc::proc_bsdinfo>() as libc::c_int;
        // SAFETY: the buffer is a proc_bsdinfo of the size passed; the kernel fills at most that.
        let got = unsafe {
            libc::proc_pidinfo(pid as libc::c_int, libc::PROC_PIDTBSDINFO, 0, info.as_mut_ptr().cast(), size)
        };
        if got != size {
            return None;
        }
        // SAFETY: the call filled the whole struct (checked above); a zeroed one is valid too.
        let info = unsafe { info.assume_init() };
        let comm: Vec<u8> = info.pbi_comm.iter().take_while(|c| **c != 0).map(|c| *c as u8).collect();
        let comm = String::from_utf8_lossy(&comm);
        if let Some((_, name)) = AGENT_PROGRAMS.iter().find(|(p, _)| *p == comm) {
            return Some(format!("{name} (process {pid}, `{comm}`, is an ancestor)"));
        }
        pid = info.pbi_ppid;
    }
    None
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn ancestry() -> Option<String> {
    // Without /proc or proc_pidinfo, only this process' own environment is checked.
    None
}
