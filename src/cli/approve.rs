//! `interlock approve CODE` and `interlock rules accept`: decisions only a human at their
//! own terminal can make. Both refuse without a terminal and under an AI agent.

use crate::agent;
use crate::approval::Store;
use crate::confirm;
use crate::exit;
use crate::rules::RuleSet;

/// The human's terminal, or why there is none.
fn human_terminal(what: &str) -> Result<std::fs::File, String> {
    if let Some(agent) = agent::detect() {
        return Err(format!(
            "interlock: {what} refused: this process runs under an AI agent — {agent}.\n\
             A human must run it in their own terminal, outside the agent."
        ));
    }
    confirm::open_tty().ok_or_else(|| {
        format!("interlock: {what} refused: there is no terminal. A human must run it in their own terminal.")
    })
}

pub(super) fn approve(code: &str) -> anyhow::Result<u8> {
    let mut tty = match human_terminal("approve") {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("{msg}");
            return Ok(exit::NEEDS_HUMAN);
        }
    };
    let store = Store::open()?;
    let request = store.load(code)?;
    if let Some(until) = request.approved_until {
        println!("interlock: {} is already approved (until {}).", request.code, crate::audit::rfc3339(until));
        return Ok(exit::ALLOW);
    }
    if !confirm::approve_conversation(&mut tty, &request) {
        eprintln!("interlock: not approved.");
        return Ok(exit::NEEDS_HUMAN);
    }
    let code = request.code.clone();
    let until = store.approve(request)?;
    println!(
        "interlock: approved {code}: the command may run once, in the same directory, until {}.",
        crate::audit::rfc3339(until)
    );
    Ok(exit::ALLOW)
}

pub(super) fn accept() -> anyhow::Result<u8> {
    let rules = RuleSet::all();
    if rules.pending.is_empty() {
        println!("interlock: no rule file waits for acceptance.");
        return Ok(exit::ALLOW);
    }
    let mut tty = match human_terminal("rules accept") {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("{msg}");
            return Ok(exit::NEEDS_HUMAN);
        }
    };
    let store = Store::open()?;
    let mut declined = 0;
    for p in &rules.pending {
        let mut shown = format!("\ninterlock: {} loosens protection\n", p.file);
        for id in &p.allow_rules {
            let rule = rules.ignored.iter().find(|r| &r.spec.id == id && r.file == p.file);
            let reason = rule.map(|r| r.spec.reason.as_str()).unwrap_or("");
            shown.push_str(&format!("  allows:   {id}: {reason}\n"));
        }
        for id in &p.disable {
            shown.push_str(&format!("  disables: {id}\n"));
        }
        shown.push_str(&format!("  digest:   {} (editing the file later needs a new acceptance)\n", p.digest));
        if confirm::ask_yes(&mut tty, &shown, "accept it") {
            store.accept_digest(&p.digest)?;
            println!("interlock: accepted {}", p.file);
        } else {
            declined += 1;
        }
    }
    Ok(if declined == 0 { exit::ALLOW } else { exit::NEEDS_HUMAN })
}
