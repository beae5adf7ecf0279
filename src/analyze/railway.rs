//! Railway's CLI: the shared argv analyzer, plus what only Railway has — `railway api`
//! (a GraphQL document as an argument, `--file`, or stdin) and `railway run CMD`, which runs
//! CMD with the project's (often production) credentials in its environment.

use super::spec::ProgramSpec;
use super::{argv, graphql, input};
use crate::facts::Facts;
use crate::invocation::Invocation;

/// The host `railway api` talks to.
pub(crate) const API_HOST: &str = "backboard.railway.com";

pub(crate) fn analyze(inv: &Invocation, spec: Option<&ProgramSpec>) -> Facts {
    let mut facts = argv::analyze(&inv.args_lossy(), spec, &inv.env);
    match facts.command.first().map(String::as_str) {
        Some("api") => api(inv, &mut facts),
        Some("run") => facts.notes.push(
            "`railway run` starts the command with the project's variables (database URLs, tokens) — often production credentials".into(),
        ),
        _ => {}
    }
    facts
}

fn api(inv: &Invocation, facts: &mut Facts) {
    let variables = facts
        .flag_values
        .iter()
        .find(|(f, _)| f == "--variables" || f == "-v")
        .and_then(|(_, v)| serde_json::from_str::<serde_json::Value>(v).ok());
    let file = facts.flag_values.iter().find(|(f, _)| f == "--file" || f == "-f").map(|(_, v)| v.clone());
    let doc = match (facts.command.get(1), file) {
        (Some(doc), _) if doc != "-" => Ok(doc.clone()),
        (_, Some(f)) if f != "-" => input::file(inv, &f).map(|t| t.text),
        _ => input::stdin_text(inv).map(|t| t.text),
    };
    match doc {
        Ok(doc) => {
            let parsed = graphql::from_document(&doc, variables.as_ref(), Some(API_HOST));
            facts.graphql.extend(parsed.fields);
            facts.unknown.extend(parsed.unknown);
        }
        Err(e) => facts.unknown.push(format!("the GraphQL document for `railway api` could not be read: {e}")),
    }
    facts.add_target(API_HOST);
}
