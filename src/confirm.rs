//! Asking a human: the terminal conversation, approvals, and the explanation when there is
//! no one to ask.
//!
//! The only module that talks to the terminal. The question goes to the controlling terminal
//! (`/dev/tty`), never to stdin (which may be the SQL or the request body) or stderr (which
//! an agent may capture). Typeahead is discarded before the question; anything but the exact
//! confirmation text — Enter, Ctrl-C, end of input, a timeout — is no.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

use crate::approval;
use crate::facts::looks_like_production;
use crate::invocation::Invocation;
use crate::judge::Judgement;
use crate::redact;
use crate::verdict::{Decision, Severity};

/// How long the question waits for an answer.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// How a call the engine did not allow was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A human typed the confirmation at the terminal.
    Confirmed,
    /// A human approved this exact call earlier with `interlock approve`.
    Approved,
    /// The human at the terminal did not confirm.
    Declined,
    /// No human terminal to ask on.
    Blocked,
    /// A rule forbids it.
    Denied,
}

impl Outcome {
    /// The word the audit log records for this outcome.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Outcome::Confirmed => "confirmed",
            Outcome::Approved => "approved",
            Outcome::Declined => "declined",
            Outcome::Blocked => "blocked",
            Outcome::Denied => "denied",
        }
    }

    /// Whether the real program runs.
    pub(crate) fn runs(self) -> bool {
        matches!(self, Outcome::Confirmed | Outcome::Approved)
    }
}

/// Settle a call the engine did not allow: refuse a deny; for a confirm, spend an approval
/// a human gave, or ask the human at the terminal, or block with an approval code.
pub(crate) fn decide(inv: &Invocation, real: &Path, eval: &Judgement) -> Outcome {
    let args = inv.args_lossy();
    if eval.verdict.decision == Decision::Deny {
        eprint!("{}", block_message(&inv.program, &args, eval, &Why::Denied));
        return Outcome::Denied;
    }
    let store = approval::Store::open().ok();
    // The human said Yes to exactly this call in the agent's own dialog (Claude Code's `ask`),
    // and the hook handed over a grant for it: one confirmation, not two.
    if let (Some(store), Some(token)) = (&store, std::env::var_os(crate::grant::VAR))
        && crate::grant::redeem(store, &token.to_string_lossy(), &inv.argv, &inv.cwd)
    {
        return Outcome::Confirmed;
    }
    let fingerprint = store.as_ref().map(|s| s.fingerprint(&inv.argv, &inv.cwd));
    if let (Some(store), Some(fp)) = (&store, &fingerprint)
        && store.take(fp).is_some()
    {
        return Outcome::Approved;
    }
    let word = confirmation_word(eval);
    let terminal = match crate::agent::detect() {
        Some(agent) => Err(format!("this process runs under an AI agent — {agent} — so its terminal is not a human's")),
        None => open_tty().ok_or_else(|| "there is no terminal here to ask on".to_string()),
    };
    match terminal {
        Ok(mut tty) => {
            let shown = describe(&inv.program, real, &args, eval);
            if ask(&mut tty, &shown, &word, "run it", timeout()) {
                Outcome::Confirmed
            } else {
                eprint!("{}", block_message(&inv.program, &args, eval, &Why::Declined));
                Outcome::Declined
            }
        }
        Err(why) => {
            let code = match (&store, fingerprint) {
                (Some(store), Some(fingerprint)) => {
                    store.request(approval_request(inv, &args, eval, fingerprint, word)).ok()
                }
                _ => None,
            };
            eprint!("{}", block_message(&inv.program, &args, eval, &Why::NoTerminal { why, code }));
            Outcome::Blocked
        }
    }
}

fn approval_request(
    inv: &Invocation,
    args: &[String],
    eval: &Judgement,
    fingerprint: String,
    word: String,
) -> approval::Request {
    let mut full = vec![inv.program.clone()];
    full.extend(args.iter().cloned());
    approval::Request {
        code: String::new(),
        fingerprint,
        program: inv.program.clone(),
        command: redact::command_line(&full),
        cwd: redact::escape(&inv.cwd.display().to_string()),
        reasons: eval
            .verdict
            .matches
            .iter()
            .map(|m| format!("{} ({}): {}", m.rule, m.severity.as_str(), redact::text(&m.reason)))
            .collect(),
        what: eval.verdict.primary().and_then(|m| m.what.as_deref()).map(|w| redact::escape(&redact::text(w))),
        confirm_word: word,
        created: 0,
        approved_until: None,
    }
}

/// The conversation of `interlock approve`: show the stored request, ask for its word.
pub(crate) fn approve_conversation(tty: &mut File, req: &approval::Request) -> bool {
    let mut shown = String::from("\ninterlock: approve this blocked command to run once?\n");
    shown.push_str(&format!("  command:  {}\n", req.command));
    shown.push_str(&format!("  in:       {}\n", req.cwd));
    if let Some(what) = &req.what {
        shown.push_str(&format!("  action:   {what}\n"));
    }
    for r in &req.reasons {
        shown.push_str(&format!("  rule:     {}\n", redact::escape(r)));
    }
    shown.push_str(&format!(
        "  If you approve, exactly this command may run once, in this directory, within {} minutes.\n",
        approval::APPROVAL_WINDOW_SECS / 60
    ));
    ask(tty, &shown, &req.confirm_word, "approve it", timeout())
}

fn timeout() -> Duration {
    // Only a shorter wait may be configured; a longer one protects nothing more.
    std::env::var("INTERLOCK_CONFIRM_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_secs)
        .filter(|d| *d < DEFAULT_TIMEOUT)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// The controlling terminal, if this process has one.
pub(crate) fn open_tty() -> Option<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(nix::libc::O_NOCTTY | nix::libc::O_CLOEXEC)
        .open("/dev/tty")
        .ok()
}

/// What the human must type: the name of the thing destroyed for critical actions, `yes`
/// otherwise.
pub(crate) fn confirmation_word(eval: &Judgement) -> String {
    let critical = eval.verdict.severity() == Some(Severity::Critical);
    let object = eval.verdict.primary().and_then(|m| m.object.clone());
    match object {
        Some(o) if critical && !o.is_empty() && o.len() <= 64 && !o.chars().any(char::is_whitespace) => {
            redact::escape(&o)
        }
        _ => "yes".into(),
    }
}

/// The lines shown before the question.
pub(crate) fn describe(program: &str, real: &Path, args: &[String], eval: &Judgement) -> String {
    let mut out = String::new();
    let primary = eval.verdict.primary();
    out.push_str("\ninterlock: this call can destroy data and needs your confirmation\n");
    out.push_str(&format!("  program:  {program} ({})\n", redact::escape(&real.display().to_string())));
    if let Some(what) = primary.and_then(|m| m.what.as_deref()) {
        out.push_str(&format!("  action:   {}\n", redact::escape(&redact::text(what))));
    }
    for target in eval.targets() {
        let flag = if looks_like_production(target) { "   <-- looks like PRODUCTION" } else { "" };
        out.push_str(&format!("  target:   {}{flag}\n", redact::escape(&redact::text(target))));
    }
    for m in &eval.verdict.matches {
        out.push_str(&format!("  rule:     {} ({}): {}\n", m.rule, m.severity.as_str(), redact::escape(&m.reason)));
    }
    for note in &eval.notes {
        out.push_str(&format!("  note:     {}\n", redact::escape(note)));
    }
    let mut full = vec![program.to_string()];
    full.extend(args.iter().cloned());
    out.push_str(&format!("  command:  {}\n", redact::command_line(&full)));
    out
}

/// Show `shown`, then ask for `yes` to `verb`.
pub(crate) fn ask_yes(tty: &mut File, shown: &str, verb: &str) -> bool {
    ask(tty, shown, "yes", verb, timeout())
}

/// Show `shown`, then ask for `word` on `tty`. True only when exactly `word` was typed.
fn ask(tty: &mut File, shown: &str, word: &str, verb: &str, timeout: Duration) -> bool {
    if tty.write_all(shown.as_bytes()).is_err() {
        return false;
    }
    let _guard = InterruptGuard::install();
    // Typeahead is not an answer: drop whatever was typed before the question appears.
    let _ = nix::sys::termios::tcflush(tty.as_fd(), nix::sys::termios::FlushArg::TCIFLUSH);
    let question = format!("Type `{word}` to {verb} (anything else cancels): ");
    if tty.write_all(question.as_bytes()).and_then(|_| tty.flush()).is_err() {
        return false;
    }
    let answer = read_line(tty, timeout);
    let yes = answer.as_deref().is_some_and(|a| a.trim_end_matches(['\r', '\n']).trim() == word);
    let _ = tty.write_all(if yes { b"interlock: confirmed.\n" } else { b"\ninterlock: not confirmed.\n" });
    yes
}

/// One line from the terminal, or `None` on end of input, interruption or timeout.
fn read_line(tty: &mut File, timeout: Duration) -> Option<String> {
    let deadline = Instant::now() + timeout;
    let mut line = Vec::new();
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        let ms = PollTimeout::try_from(left.as_millis().min(i32::MAX as u128) as i32).ok()?;
        let mut fds = [PollFd::new(tty.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, ms) {
            Ok(0) | Err(_) => return None, // timeout, or Ctrl-C (EINTR)
            Ok(_) => {}
        }
        let mut buf = [0u8; 256];
        let n = tty.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        if buf[..n].contains(&0x03) || buf[..n].contains(&0x04) {
            return None;
        }
        line.extend_from_slice(&buf[..n]);
        if line.contains(&b'\n') || line.len() > 4096 {
            return Some(String::from_utf8_lossy(&line).into_owned());
        }
    }
}

/// While alive, SIGINT interrupts the wait (and means no) instead of killing interlock
/// before it can explain. `exec` resets the handler for the real program.
struct InterruptGuard {
    old: Option<SigAction>,
}

extern "C" fn on_interrupt(_: nix::libc::c_int) {}

impl InterruptGuard {
    fn install() -> InterruptGuard {
        let action = SigAction::new(SigHandler::Handler(on_interrupt), SaFlags::empty(), SigSet::empty());
        // SAFETY: the handler does nothing, which is async-signal-safe.
        let old = unsafe { sigaction(Signal::SIGINT, &action) }.ok();
        InterruptGuard { old }
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        if let Some(old) = self.old.take() {
            // SAFETY: restores the disposition saved in `install`.
            let _ = unsafe { sigaction(Signal::SIGINT, &old) };
        }
    }
}

/// Why a call did not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Why {
    /// No human terminal (and why), with the approval code a human can use.
    NoTerminal {
        why: String,
        code: Option<String>,
    },
    Declined,
    Denied,
}

/// The explanation on stderr. First line `interlock: blocked …`; written to be read by an
/// agent as much as by a human.
pub(crate) fn block_message(program: &str, args: &[String], eval: &Judgement, why: &Why) -> String {
    let mut full = vec![program.to_string()];
    full.extend(args.iter().cloned());
    let what = eval.verdict.primary().and_then(|m| m.what.clone()).unwrap_or_else(|| program.to_string());
    // What the agent must do comes first: agent tools cut long output at the end.
    let mut out =
        format!("interlock: blocked: {}\n", redact::capped(&redact::escape(&redact::text(&what)), SHOWN_TEXT));
    match why {
        Why::NoTerminal { why, .. } => out.push_str(&format!(
            "This command can destroy data and needs a human's confirmation; {why}, so it did not run.\n"
        )),
        Why::Declined => out.push_str("The human at the terminal did not confirm it, so it did not run.\n"),
        Why::Denied => out.push_str("A rule forbids this command outright, so it did not run.\n"),
    }
    out.push_str(&format!("If you are an AI agent: {}\n", crate::agent::STOP));
    match why {
        Why::Denied => out.push_str("To allow it, a human must change the rule that forbids it (see `interlock explain -- …`).\n"),
        Why::NoTerminal { code: Some(code), .. } => out.push_str(&format!(
            "To allow it once, a human can run `interlock approve {code}` in their own terminal (not through an agent), \
             then run this exact command again in the same directory within {} minutes; or run the command themselves \
             in their own terminal, where interlock will ask them.\n",
            approval::APPROVAL_WINDOW_SECS / 60
        )),
        _ => out.push_str(
            "To allow it, a human can run the command themselves in their own terminal, where interlock will ask them to confirm it.\n",
        ),
    }
    out.push_str(&format!("  command: {}\n", redact::capped(&redact::command_line(&full), SHOWN_TEXT)));
    for m in eval.verdict.matches.iter().take(SHOWN_REASONS) {
        out.push_str(&format!(
            "  rule: {} ({}): {}\n",
            m.rule,
            m.severity.as_str(),
            redact::capped(&redact::escape(&m.reason), SHOWN_TEXT)
        ));
    }
    if eval.verdict.matches.len() > SHOWN_REASONS {
        out.push_str(&format!("  … and {} more rules\n", eval.verdict.matches.len() - SHOWN_REASONS));
    }
    for note in eval.notes.iter().take(SHOWN_REASONS) {
        out.push_str(&format!("  note: {}\n", redact::capped(&redact::escape(note), SHOWN_TEXT)));
    }
    out
}

/// The most characters of one command, reason or note a block message shows (a 100 KB URL made
/// a 200 KB message), and the most reasons and notes.
const SHOWN_TEXT: usize = 400;
const SHOWN_REASONS: usize = 8;
