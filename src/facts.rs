//! `Facts`: what an analyzer saw an invocation will do. Rules match facts, never the raw
//! command line.
//!
//! Everything here is plain data produced by `analyze` and read by `rules`. An analyzer that
//! cannot see something that could matter records it in `unknown` instead of guessing.

use serde::Serialize;

/// One HTTP request a client will send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: String,
    /// The URL as given (after curl's defaults, e.g. a missing scheme).
    pub url: String,
    /// Lower-case host name, if the URL has one.
    pub host: Option<String>,
    pub port: Option<u16>,
    pub path: String,
    pub query: Option<String>,
    /// Header names lower-cased, values as given.
    pub headers: Vec<(String, String)>,
    /// The body, when interlock could read it (lossy UTF-8).
    #[serde(skip)]
    pub body: Option<String>,
}

/// GraphQL operation kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

impl OperationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Query => "query",
            OperationKind::Mutation => "mutation",
            OperationKind::Subscription => "subscription",
        }
    }
}

/// One root field of a GraphQL operation, aliases resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphqlField {
    pub operation: OperationKind,
    /// The field's real name (`volumeDelete`), never its alias.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Arguments as `name` → value text; input-object fields are flattened as `input.replace`.
    pub args: Vec<(String, String)>,
    /// The host the document is sent to, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
}

impl GraphqlField {
    /// The name of what the field acts on: its first id-like argument (`volumeId: "v1"` →
    /// `v1`), else the field's name.
    pub fn object(&self) -> String {
        self.args
            .iter()
            .find(|(k, _)| k.to_ascii_lowercase().ends_with("id") || k == "name")
            .map(|(_, v)| v.trim_matches('"').to_string())
            .filter(|v| !v.is_empty() && !v.starts_with('$'))
            .unwrap_or_else(|| self.name.clone())
    }

    /// `volumeDelete(volumeId: "v1")`, for humans.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self.args.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{}({})", self.name, args.join(", "))
    }
}

/// One SQL (or cache/document-store) statement a client will send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// The classification rules match on: `drop`, `truncate`, `delete_all`, `update_all`,
    /// `alter_drop`, `drop_database`, `flushall`, …; `other` for everything else.
    pub kind: String,
    /// The object the statement acts on, when the classifier can name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// A short excerpt of the statement for humans.
    pub text: String,
}

/// Everything an analyzer learned about one invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Positional words in order, flag values removed: the subcommand path and its operands
    /// (`["volume", "delete"]`, `["push", "origin", "+main"]`).
    pub command: Vec<String>,
    /// Flags as written, short clusters expanded (`-fdx` → `-f`, `-d`, `-x`), values removed.
    pub flags: Vec<String>,
    /// Flag values, keyed by the flag that took them.
    pub flag_values: Vec<(String, String)>,
    pub requests: Vec<HttpRequest>,
    pub graphql: Vec<GraphqlField>,
    pub statements: Vec<Statement>,
    /// Where the call lands: hosts, databases, environments, contexts.
    pub targets: Vec<String>,
    /// What the analyzer could not see, and why it might matter.
    pub unknown: Vec<String>,
    /// Context for the human (e.g. the credentials `railway run` injects).
    pub notes: Vec<String>,
    /// The program reads its commands from a terminal as they are typed (`psql` with no
    /// `-c`/`-f`): what it will run cannot be seen in advance. Harmless when a human types;
    /// under an agent, the agent types (the shim decides which).
    pub interactive: bool,
}

impl Facts {
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    pub fn add_target(&mut self, target: impl Into<String>) {
        let target = target.into();
        if !target.is_empty() && !self.targets.contains(&target) {
            self.targets.push(target);
        }
    }

    /// The first target that looks like production, if any.
    pub fn production_target(&self) -> Option<&str> {
        self.targets.iter().map(String::as_str).find(|t| looks_like_production(t))
    }
}

/// Whether a host, database, environment or context name looks like production: a
/// `prod`/`production`/`prd`/`live` word inside it (`prod-db.internal`, `api_production`).
pub fn looks_like_production(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "prod" | "production" | "prd" | "live" | "prod1" | "prod2"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_names() {
        for name in ["prod", "prod-db.internal", "api_production", "eu.live.example.com", "PRD"] {
            assert!(looks_like_production(name), "{name}");
        }
        for name in ["staging", "product-api", "localhost", "deliver", "produce", "olive"] {
            assert!(!looks_like_production(name), "{name}");
        }
    }
}
