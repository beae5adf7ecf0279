//! Each agent's hook protocol, behind one trait: which event it sends, where the command is,
//! and how it wants to hear "no objection", "ask", "deny" and "could not check". `protocol`
//! is the one place that picks an agent's module; `protocol.rs` runs the conversation.
//!
//! Claude Code: `ask` hands a confirm to its own dialog (which the model cannot answer). Codex
//! reads Claude Code's format but enforces only `deny`; Cursor's `ask` is ignored in some run
//! modes; Gemini CLI has no `ask`. For those three a confirm becomes `deny`, with one message
//! for the human and one for the agent.

use serde_json::{Map, Value, json};

use crate::agent::{Agent, STOP};
use crate::verdict::Decision;

/// What the human is told to do instead, where the agent shows it.
const USER_HOW: &str =
    "If it is intended, run it yourself in your own terminal, where interlock will ask you to confirm it.";

/// One agent's pre-execution hook protocol.
pub(crate) trait Protocol {
    /// The `hook_event_name`s the agent sends before a shell command.
    fn events(&self) -> &'static [&'static str];
    /// The shell command in the event.
    fn command<'a>(&self, event: &'a Map<String, Value>) -> Option<&'a Value> {
        event.get("tool_input").and_then(|t| t.get("command"))
    }
    /// Whether a confirm is the agent's human's to answer in its own dialog (`ask`).
    fn asks_its_human(&self) -> bool {
        false
    }
    /// The answer to `decision` with the reasons `why`; None is silence ("no objection").
    fn answer(&self, decision: Decision, why: &str) -> Option<Value>;
    /// A refusal for `reason`, in the agent's format.
    fn deny(&self, reason: &str) -> Value;
}

/// The protocol of `agent`.
pub(crate) fn protocol(agent: Agent) -> &'static dyn Protocol {
    match agent {
        Agent::Claude => &ClaudeFormat { asks: true },
        Agent::Codex => &ClaudeFormat { asks: false },
        Agent::Cursor => &Cursor,
        Agent::Gemini => &Gemini,
    }
}

/// Claude Code's PreToolUse format, which Codex reads too (but without `ask`).
struct ClaudeFormat {
    asks: bool,
}

impl ClaudeFormat {
    fn reply(decision: &str, reason: &str) -> Value {
        json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": decision,
                "permissionDecisionReason": reason,
            }
        })
    }
}

impl Protocol for ClaudeFormat {
    fn events(&self) -> &'static [&'static str] {
        &["PreToolUse"]
    }

    fn asks_its_human(&self) -> bool {
        self.asks
    }

    fn answer(&self, decision: Decision, why: &str) -> Option<Value> {
        // An explicit allow would switch Claude Code's own permission checks off, and Codex
        // reports it as a failed hook: silence.
        match decision {
            Decision::Allow => None,
            Decision::Confirm if self.asks => Some(Self::reply(
                "ask",
                &format!("interlock: this command can destroy data. {why}. If the user declines: {STOP}"),
            )),
            _ => Some(Self::reply("deny", &format!("interlock blocked this command: {why}. {STOP}"))),
        }
    }

    fn deny(&self, reason: &str) -> Value {
        Self::reply("deny", reason)
    }
}

/// Cursor's beforeShellExecution: it refuses a `failClosed` hook that prints nothing, so no
/// objection is an explicit allow.
struct Cursor;

impl Protocol for Cursor {
    fn events(&self) -> &'static [&'static str] {
        &["beforeShellExecution"]
    }

    fn command<'a>(&self, event: &'a Map<String, Value>) -> Option<&'a Value> {
        event.get("command")
    }

    fn answer(&self, decision: Decision, why: &str) -> Option<Value> {
        Some(match decision {
            Decision::Allow => json!({ "permission": "allow" }),
            _ => json!({
                "permission": "deny",
                "user_message": format!("interlock blocked a command the agent wanted to run: {why}. {USER_HOW}"),
                "agent_message": format!("interlock blocked this command: {why}. {STOP}"),
            }),
        })
    }

    fn deny(&self, reason: &str) -> Value {
        json!({ "permission": "deny", "user_message": reason, "agent_message": reason })
    }
}

/// Gemini CLI's BeforeTool: it parses stdout as JSON on exit 0, so no objection is `{}`.
struct Gemini;

impl Protocol for Gemini {
    fn events(&self) -> &'static [&'static str] {
        &["BeforeTool"]
    }

    fn answer(&self, decision: Decision, why: &str) -> Option<Value> {
        Some(match decision {
            Decision::Allow => json!({}),
            _ => json!({
                "decision": "deny",
                "reason": format!("interlock blocked this command: {why}. {STOP} For the user: {USER_HOW}"),
            }),
        })
    }

    fn deny(&self, reason: &str) -> Value {
        json!({ "decision": "deny", "reason": reason })
    }
}
