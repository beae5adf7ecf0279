//! The hook conversation: read one event, judge its command, answer in the agent's format
//! (`agents`: each agent's protocol behind one trait).
//!
//! Every failure — unreadable input, bad JSON, an unknown event, a missing command, a panic —
//! answers with a refusal and exit status 2, which each agent treats as blocking. `serve` adds
//! a wall-clock budget: whatever the input, an answer is on stdout before `BUDGET` has passed,
//! because an agent treats a hook that hangs past its timeout — or crashes — as no objection.
//! A refusal is logged here (no shim will see a command that never runs); Claude Code's `ask`
//! is its human's to answer, and what then runs meets the shims.

use std::path::PathBuf;

use std::io::Read as _;

use serde_json::{Value, json};

use super::agents::protocol;
use super::judge;
use crate::judge::Judgement;
use crate::redact;
use crate::verdict::Decision;

pub(crate) use crate::agent::Agent;

/// What to print and how to exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

/// How long the hook may take before it refuses (exit 2). Setup gives each agent a longer
/// timeout than this, so the refusal always arrives before the agent gives up on the hook.
pub(crate) const BUDGET: std::time::Duration = std::time::Duration::from_secs(3);
/// The most hook input read; a longer event is refused.
const MAX_INPUT: u64 = 16 << 20;
/// Stack for the thread that judges: recursion is capped, this is the margin on top.
const JUDGE_STACK: usize = 64 << 20;

/// Read one event from `input`, answer it, and print the answer — within `budget`, on a
/// separate thread with a large stack, so neither a hang nor an overflow reaches the agent as
/// silence. Returns the exit status.
pub(crate) fn serve<R: std::io::Read + Send + 'static>(agent: Agent, input: R, budget: std::time::Duration) -> u8 {
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new().stack_size(JUDGE_STACK).spawn(move || {
        let mut bytes = Vec::new();
        let reply = match std::io::Read::take(input, MAX_INPUT + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > MAX_INPUT => refusal(agent, "the hook input is larger than 16 MiB"),
            Ok(_) => answer(agent, &bytes),
            Err(e) => refusal(agent, &format!("cannot read the hook input: {e}")),
        };
        let _ = tx.send(reply);
    });
    let reply = match worker {
        Ok(_) => match rx.recv_timeout(budget) {
            Ok(reply) => reply,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                refusal(agent, &format!("checking it took longer than {} s", budget.as_secs_f32()))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                refusal(agent, "an internal error occurred while checking the command")
            }
        },
        Err(e) => refusal(agent, &format!("cannot start the checker ({e})")),
    };
    // Only this thread prints; a worker still stuck in a read ends with the process.
    emit(&reply)
}

/// Print a reply; its exit status.
fn emit(reply: &Reply) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(reply.stdout.as_bytes());
    let _ = out.flush();
    let _ = std::io::stderr().write_all(reply.stderr.as_bytes());
    reply.exit
}

/// Answer one hook event. Never panics, never allows what it could not read.
pub(crate) fn answer(agent: Agent, input: &[u8]) -> Reply {
    match std::panic::catch_unwind(|| try_answer(agent, input)) {
        Ok(Ok(reply)) => reply,
        Ok(Err(problem)) => refusal(agent, &problem),
        Err(_) => refusal(agent, "an internal error occurred while checking the command"),
    }
}

/// The hook event's command and working directory.
struct Event {
    command: String,
    cwd: PathBuf,
    /// Claude Code's whole `tool_input`, which `updatedInput` replaces.
    tool_input: Option<Value>,
}

fn read_event(agent: Agent, input: &[u8]) -> Result<Event, String> {
    let v: Value = serde_json::from_slice(input).map_err(|e| format!("the hook input is not valid JSON ({e})"))?;
    let obj = v.as_object().ok_or("the hook input is not a JSON object")?;
    let event = obj.get("hook_event_name").and_then(Value::as_str);
    let expected = protocol(agent).events();
    if let Some(e) = event
        && !expected.contains(&e)
    {
        return Err(format!("unexpected hook event `{e}` (interlock answers {})", expected.join(", ")));
    }
    let command = protocol(agent)
        .command(obj)
        .and_then(Value::as_str)
        .ok_or("the hook input carries no shell command")?
        .to_string();
    let cwd = obj
        .get("cwd")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            obj.get("workspace_roots")
                .and_then(Value::as_array)
                .and_then(|r| r.first())
                .and_then(Value::as_str)
                .map(PathBuf::from)
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    let tool_input = obj.get("tool_input").filter(|t| t.is_object()).cloned();
    Ok(Event { command, cwd, tool_input })
}

fn try_answer(agent: Agent, input: &[u8]) -> Result<Reply, String> {
    let event = read_event(agent, input)?;
    if event.command.contains(crate::grant::VAR) {
        // Only interlock's hook hands out grants, after a human's Yes; a command that sets
        // one itself is trying to skip that.
        let forged = Judgement::of(crate::verdict::Match {
            rule: "interlock.grant-forged".into(),
            action: Decision::Deny,
            severity: crate::verdict::Severity::Critical,
            reason: format!(
                "the command sets {} itself; only a human's Yes in the dialog grants a run",
                crate::grant::VAR
            ),
            what: None,
            object: None,
        });
        crate::audit::record(&crate::audit::Record::hook(
            "denied",
            agent.name(),
            &event.command,
            &event.cwd,
            &forged.verdict,
        ));
        return Ok(render(agent, &forged));
    }
    // The command's project rules are those of the directory it runs in, which the event
    // names (the hook process may have started elsewhere).
    let _ = std::env::set_current_dir(&event.cwd);
    let j = judge(&event.command, &event.cwd);
    // A refusal is a decision no shim will see (the command never runs): it goes to the
    // audit log here. Claude Code's `ask` is the human's to answer in its dialog; what then
    // runs meets the shims, which log it.
    let asks = protocol(agent).asks_its_human();
    let refused = match j.verdict.decision {
        Decision::Allow => None,
        Decision::Confirm if asks => None,
        Decision::Deny => Some("denied"),
        Decision::Confirm => Some("blocked"),
    };
    if let Some(decision) = refused {
        crate::audit::record(&crate::audit::Record::hook(
            decision,
            agent.name(),
            &event.command,
            &event.cwd,
            &j.verdict,
        ));
    }
    let mut reply = render(agent, &j);
    if asks && j.verdict.decision == Decision::Confirm {
        hand_over_grant(&mut reply, &event, &j);
    }
    Ok(reply)
}

/// Whether a human can answer Claude Code's dialog: its interactive UI, not `-p` (where
/// `ask` becomes a refusal and a grant would only end up in the transcript).
fn human_can_answer() -> bool {
    std::env::var("CLAUDE_CODE_ENTRYPOINT").is_ok_and(|e| e == "cli")
}

/// Add to Claude Code's `ask` a grant for the calls it is about, so the Yes in Claude Code's
/// dialog is the only confirmation (see `grant`). Without a grant (no state directory, `-p`)
/// the `ask` stands alone and the shim asks for `interlock approve` as before.
fn hand_over_grant(reply: &mut Reply, event: &Event, j: &Judgement) {
    if !human_can_answer() || j.confirm_calls.is_empty() {
        return;
    }
    let Some(tool_input) = &event.tool_input else { return };
    let Ok(store) = crate::approval::Store::open() else { return };
    let calls: Vec<Vec<std::ffi::OsString>> =
        j.confirm_calls.iter().map(|argv| argv.iter().map(Into::into).collect()).collect();
    let Ok(token) = crate::grant::issue(&store, &calls, &event.cwd) else { return };
    let Ok(mut out) = serde_json::from_str::<Value>(&reply.stdout) else { return };
    let mut input = tool_input.clone();
    input["command"] = json!(format!("export {}={token}; {}", crate::grant::VAR, event.command));
    out["hookSpecificOutput"]["updatedInput"] = input;
    if let Some(reason) = out["hookSpecificOutput"]["permissionDecisionReason"].as_str() {
        let reason = format!(
            "{reason} (Yes runs it once: {} lets interlock's shim run exactly these calls, once, without asking again.)",
            crate::grant::VAR
        );
        out["hookSpecificOutput"]["permissionDecisionReason"] = json!(reason);
    }
    reply.stdout = format!("{out}\n");
}

/// Why, in one paragraph, redacted.
fn reasons(j: &Judgement) -> String {
    /// Reasons listed; the rest are counted (hostile input can produce thousands).
    const SHOWN: usize = 6;
    let mut parts: Vec<String> = Vec::new();
    if j.verdict.matches.len() > SHOWN {
        parts.push(format!("{} reasons, the first {SHOWN} shown", j.verdict.matches.len()));
    }
    for m in j.verdict.matches.iter().take(SHOWN) {
        let what =
            m.what.as_deref().map(|w| format!(" [{}]", redact::capped(&redact::text(w), 400))).unwrap_or_default();
        parts.push(format!("{} ({}): {}{what}", m.rule, m.severity.as_str(), redact::text(&m.reason)));
    }
    let mut text = parts.join("; ");
    for n in &j.notes {
        text.push_str(&format!(" Note: {}.", redact::text(n)));
    }
    // The answer adds its own full stop after the reasons.
    redact::escape(text.trim_end_matches('.'))
}

/// The agent's answer to a judgement: silence where its protocol has "no objection".
fn render(agent: Agent, j: &Judgement) -> Reply {
    match protocol(agent).answer(j.verdict.decision, &reasons(j)) {
        Some(out) => Reply { stdout: format!("{out}\n"), stderr: String::new(), exit: 0 },
        None => Reply { stdout: String::new(), stderr: String::new(), exit: 0 },
    }
}

/// The answer when something went wrong: refuse, in the agent's format, and exit 2.
pub(crate) fn refusal(agent: Agent, problem: &str) -> Reply {
    let reason =
        format!("interlock could not check this command ({problem}), so it is blocked. {}", crate::agent::STOP);
    let out = protocol(agent).deny(&reason);
    Reply { stdout: format!("{out}\n"), stderr: format!("interlock: {reason}\n"), exit: 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(agent: Agent, input: &str) -> (String, u8) {
        let r = answer(agent, input.as_bytes());
        let v: Value = serde_json::from_str(&r.stdout).expect("one JSON object");
        let d = match agent {
            Agent::Claude | Agent::Codex => v["hookSpecificOutput"]["permissionDecision"].as_str().map(String::from),
            Agent::Cursor => v["permission"].as_str().map(String::from),
            Agent::Gemini => v["decision"].as_str().map(String::from),
        };
        (d.expect("a decision"), r.exit)
    }

    #[test]
    fn garbage_never_allows() {
        for agent in Agent::ALL {
            for input in [
                "",
                "not json",
                "[]",
                "null",
                "{}",
                r#"{"tool_input":{}}"#,
                r#"{"tool_input":{"command":7}}"#,
                r#"{"hook_event_name":"Stop","tool_input":{"command":"ls"},"command":"ls"}"#,
                "\u{0}\u{ff}",
            ] {
                let (d, code) = decision(agent, input);
                assert_eq!((d.as_str(), code), ("deny", 2), "{agent:?} {input:?}");
            }
        }
    }
}
