//! The audit log: one JSON line per shim decision, secrets redacted before they are written.
//!
//! The only module that writes the log. Each record is written with a single `write` under
//! an exclusive lock on a separate lock file, so concurrent agents never tear or lose a line;
//! the file is rotated by size (keeping `KEEP` old files) under the same lock. A log that
//! cannot be written never stops a call and never changes its decision: it costs one warning.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::redact;
use crate::verdict::Verdict;

/// Rotate when the log grows past this.
pub(crate) const MAX_BYTES: u64 = 8 << 20;
/// Old files kept: `log.1.jsonl` … `log.KEEP.jsonl`.
pub(crate) const KEEP: usize = 3;

/// One matched rule in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RuleRecord {
    pub rule: String,
    pub severity: String,
    pub reason: String,
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    pub time: String,
    /// `allow`, `confirmed`, `declined`, `blocked`, `denied` or `approved`.
    pub decision: String,
    pub program: String,
    pub real: Option<String>,
    /// The command line, redacted and escaped.
    pub command: String,
    pub cwd: String,
    /// What the call does, in plain words (redacted), when a rule said.
    pub summary: Option<String>,
    pub matches: Vec<RuleRecord>,
    pub terminal: bool,
    pub agent: Option<String>,
    pub pid: u32,
    pub ppid: u32,
}

impl Record {
    /// A record of `decision` for the call `argv` (argv[0] included).
    pub(crate) fn new(
        decision: &str,
        program: &str,
        real: Option<&Path>,
        args: &[String],
        cwd: &Path,
        verdict: Option<&Verdict>,
    ) -> Record {
        let mut full = vec![program.to_string()];
        full.extend(args.iter().cloned());
        let mut record = Record::judged(decision, verdict);
        record.program = program.into();
        record.real = real.map(|r| redact::escape(&r.display().to_string()));
        record.command = redact::command_line(&full);
        record.cwd = redact::escape(&redact::text(&cwd.display().to_string()));
        record.terminal = has_terminal();
        record.agent = crate::agent::from_env().map(String::from);
        record
    }

    /// The parts every record has: the time, the decision, what the verdict matched (redacted)
    /// and this process; the caller fills in what was judged.
    fn judged(decision: &str, verdict: Option<&crate::verdict::Verdict>) -> Record {
        Record {
            time: rfc3339(now()),
            decision: decision.into(),
            program: String::new(),
            real: None,
            command: String::new(),
            cwd: String::new(),
            summary: verdict
                .and_then(|v| v.primary())
                .and_then(|m| m.what.as_deref())
                .map(|w| redact::escape(&redact::text(w))),
            matches: verdict
                .map(|v| {
                    v.matches
                        .iter()
                        .map(|m| RuleRecord {
                            rule: m.rule.clone(),
                            severity: m.severity.as_str().into(),
                            reason: redact::text(&m.reason),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            terminal: false,
            agent: None,
            pid: std::process::id(),
            ppid: std::os::unix::process::parent_id(),
        }
    }

    /// A record of an agent hook's refusal: `decision` for the shell command string
    /// `command` the agent wanted to run (it never runs, so no shim will log it).
    pub(crate) fn hook(
        decision: &str,
        agent: &str,
        command: &str,
        cwd: &Path,
        verdict: &crate::verdict::Verdict,
    ) -> Record {
        let mut record = Record::judged(decision, Some(verdict));
        record.program = format!("{agent} hook");
        record.command = redact::escape(&redact::text(command));
        record.cwd = redact::escape(&redact::text(&cwd.display().to_string()));
        record.agent = Some(agent.to_string());
        record
    }
}

fn has_terminal() -> bool {
    OpenOptions::new().read(true).custom_flags(nix::libc::O_NOCTTY | nix::libc::O_CLOEXEC).open("/dev/tty").is_ok()
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `2026-11-21T05:40:00Z` for seconds since the epoch.
pub(crate) fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Seconds since the epoch of an RFC 3339 UTC time written by `rfc3339`.
pub(crate) fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d, hh, mm, ss) = (n(0..4)?, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?);
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hh * 3600 + mm * 60 + ss).ok()
}

/// The log's own directory, `<state>/log`: nothing else lives there, so an agent's sandbox can
/// be allowed to write it (`setup codex` adds it to Codex's writable roots) without giving the
/// agent approvals, grants, the key or accepted rules.
pub(crate) fn log_dir() -> Option<PathBuf> {
    crate::paths::state_dir().map(|d| d.join("log"))
}

/// The log's location.
pub(crate) fn log_path() -> Option<PathBuf> {
    log_dir().map(|d| d.join("log.jsonl"))
}

/// Where the log was kept before it had a directory of its own (still read).
fn legacy_log_path() -> Option<PathBuf> {
    crate::paths::state_dir().map(|d| d.join("log.jsonl"))
}

/// The log files, oldest first.
pub(crate) fn log_files(path: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = (1..=KEEP).rev().map(|i| rotated(path, i)).filter(|p| p.exists()).collect();
    if path.exists() {
        files.push(path.to_path_buf());
    }
    files
}

fn rotated(path: &Path, i: usize) -> PathBuf {
    path.with_file_name(format!("log.{i}.jsonl"))
}

/// Append `record` to the log; on failure, warn once and carry on.
pub(crate) fn record(record: &Record) {
    let Some(path) = log_path() else { return };
    if let Err(e) = append(&path, record) {
        warn_once(&path, &e);
    }
}

/// Append one record to the log at `path`.
pub(crate) fn append(path: &Path, record: &Record) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::state::private_dir(dir)?;
    let mut line = serde_json::to_vec(record).map_err(|e| std::io::Error::other(e.to_string()))?;
    line.push(b'\n');
    let lock_file =
        OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(dir.join("log.lock"))?;
    let _lock = nix::fcntl::Flock::lock(lock_file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| std::io::Error::from(e))?;
    if fs::metadata(path).is_ok_and(|m| m.len() >= MAX_BYTES) {
        for i in (1..KEEP).rev() {
            let _ = fs::rename(rotated(path, i), rotated(path, i + 1));
        }
        fs::rename(path, rotated(path, 1))?;
    }
    let mut f: File = OpenOptions::new().append(true).create(true).mode(0o600).open(path)?;
    f.write_all(&line)
}

/// One warning per boot and user, remembered in the temporary directory.
fn warn_once(path: &Path, e: &std::io::Error) {
    let marker = std::env::temp_dir().join(format!("interlock-log-warning-{}", nix::unistd::getuid()));
    if OpenOptions::new().write(true).create_new(true).mode(0o600).open(&marker).is_ok() {
        eprintln!(
            "interlock: warning: cannot write the audit log {}: {e} (decisions are unaffected; this warning is shown once)",
            path.display()
        );
    }
}

/// Read every record (oldest first), skipping lines that are not records; the log's records
/// from before it had a directory of its own come first.
pub(crate) fn read_all(path: &Path) -> Vec<Record> {
    let is_the_log = log_path().is_some_and(|p| p == path);
    let legacy = legacy_log_path().filter(|_| is_the_log).map(|l| log_files(&l)).unwrap_or_default();
    legacy
        .iter()
        .chain(&log_files(path))
        .filter_map(|p| fs::read_to_string(p).ok())
        .flat_map(|t| t.lines().filter_map(|l| serde_json::from_str::<Record>(l).ok()).collect::<Vec<_>>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_219_200), "2026-11-21T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        for t in [0, 951_782_400, 1_795_238_461, 4_102_444_799] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
    }

    fn sample(decision: &str) -> Record {
        Record::new(
            decision,
            "curl",
            None,
            &["-H".into(), "Authorization: Bearer SECRETTOKEN123".into()],
            Path::new("/w"),
            None,
        )
    }

    #[test]
    fn rotation_keeps_a_few_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.jsonl");
        let big = "x".repeat(MAX_BYTES as usize);
        std::fs::write(&path, &big).unwrap();
        append(&path, &sample("allow")).unwrap();
        assert!(rotated(&path, 1).exists());
        assert_eq!(read_all(&path).len(), 1);
        for _ in 0..5 {
            std::fs::write(&path, &big).unwrap();
            append(&path, &sample("blocked")).unwrap();
        }
        assert_eq!(log_files(&path).len(), KEEP + 1);
        assert!(!rotated(&path, KEEP + 1).exists());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("SECRETTOKEN123"));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
